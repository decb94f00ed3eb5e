import "./app.css";
import { mount } from "svelte";
import App from "./App.svelte";
import { insideTauri, setBackend, type Backend } from "./lib/backend";

// Inside the Tauri webview the real commands answer; in a plain browser (vite dev) the in-memory
// fake plays a demo org. URL parameters shape the fake for rehearsals and screenshots:
// ?connections=1 (sample saved connections), ?keychain=off, ?store_problem=1, ?delay=MS.
async function chooseBackend(): Promise<Backend> {
  if (insideTauri()) {
    const { TauriBackend } = await import("./lib/backend.tauri");
    return new TauriBackend();
  }
  const { FakeBackend, sampleConnections } = await import("./lib/backend.fake");
  const params = new URLSearchParams(window.location.search);
  const delay = Number(params.get("delay") ?? "350");
  console.info("No Tauri runtime: using the in-memory fake backend.");
  return new FakeBackend({
    delayMs: Number.isFinite(delay) ? delay : 350,
    keychainAvailable: params.get("keychain") !== "off",
    connections: params.has("connections") ? sampleConnections() : [],
    storeProblem: params.has("store_problem")
      ? "The saved connections file (connections.json) could not be read; it was renamed to connections.json.corrupt-2025-11-22."
      : null,
  });
}

const target = document.getElementById("app");
if (!target) throw new Error("index.html has no #app element");
void chooseBackend().then((backend) => {
  setBackend(backend);
  mount(App, { target });
});
