import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { insideTauri, setBackend, type Backend } from "./lib/backend";
import { tauriBackend } from "./lib/backend.tauri";

// Inside the Tauri webview the real commands answer. In a plain browser (vite dev) the recorded
// answers of the demo organization's scenarios replay (see src/fixtures): choose "Try with a
// demo organization" to walk the wizard. ?delay=MS slows each answer down. The real backend is
// in the first script the window loads (no second fetch before the first screen); the
// recordings, megabytes, only in a plain browser.
async function chooseBackend(): Promise<Backend> {
  if (insideTauri()) return tauriBackend();
  const [{ replayBackend }, { TAPES }] = await Promise.all([import("./lib/replay"), import("./fixtures")]);
  const delay = Number(new URLSearchParams(window.location.search).get("delay") ?? "150");
  console.info("No Tauri runtime: replaying the recorded answers of the demo organization.");
  return replayBackend(Object.values(TAPES), { delayMs: Number.isFinite(delay) ? delay : 150 });
}

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
void chooseBackend().then((backend) => {
  setBackend(backend);
  mount(App, { target });
});
