import { describe, expect, it } from "vitest";
import { CheckRun } from "./checks.svelte";
import type { CheckEvent, Report } from "./types";

const specs = [
  { id: "a", title: "A works", mandatory: true, state_label: "Waiting" },
  { id: "b", title: "B works", mandatory: false, state_label: "Waiting" },
];

const report = (state: "pass" | "fail"): Report => ({
  ok: state === "pass",
  region: "us",
  org: null,
  orgs_available: [],
  role: null,
  checks: specs.map((s) => ({ ...s, state, state_label: state === "pass" ? "Passed" : "Failed", message: `${s.title}: ${state}`, fix: null, detail: [] })),
});

describe("CheckRun", () => {
  it("starts with every catalogue check pending, then follows events", async () => {
    const run = new CheckRun(specs);
    expect(run.rows.map((r) => r.state)).toEqual(["pending", "pending"]);
    let emit: (e: CheckEvent) => void = () => {};
    let finish: (r: Report) => void = () => {};
    const done = run.run((onEvent) => {
      emit = onEvent;
      return new Promise((resolve) => (finish = resolve));
    });
    emit({ event: "started", id: "a", title: "A works", state_label: "Checking…" });
    expect(run.rows[0]?.state, "a started check shows as running").toBe("running");
    emit({ event: "finished", id: "a", title: "A works", mandatory: true, state: "pass", state_label: "Passed", message: "ok", fix: null, detail: [] });
    expect(run.rows[0]?.state).toBe("pass");
    expect(run.rows[1]?.state, "a check without events stays pending").toBe("pending");
    finish(report("pass"));
    await done;
    expect(run.running).toBe(false);
    expect(run.report?.ok).toBe(true);
  });

  it("puts events that arrive out of catalogue order in each check's own slot", async () => {
    const three = [...specs, { id: "c", title: "C works", mandatory: false, state_label: "Waiting" }];
    const run = new CheckRun(three);
    let emit: (e: CheckEvent) => void = () => {};
    const done = run.run((onEvent) => {
      emit = onEvent;
      return new Promise(() => {});
    });
    emit({ event: "started", id: "c", title: "C works", state_label: "Checking…" });
    emit({ event: "started", id: "a", title: "A works", state_label: "Checking…" });
    expect(run.inProgress.map((r) => r.id), "checks running together are listed in catalogue order").toEqual(["a", "c"]);
    emit({ event: "finished", id: "c", title: "C works", mandatory: false, state: "warn", state_label: "Warning", message: "c warned", fix: "fix c", detail: [] });
    expect(run.rows.map((r) => `${r.id}=${r.state}`), "a check finishing first stays in its slot").toEqual(["a=running", "b=pending", "c=warn"]);
    emit({ event: "finished", id: "a", title: "A works", mandatory: true, state: "pass", state_label: "Passed", message: "a passed", fix: null, detail: [] });
    expect(run.rows.map((r) => `${r.id}=${r.state}`)).toEqual(["a=pass", "b=pending", "c=warn"]);
    expect(run.inProgress, "nothing is running once both finished").toEqual([]);
    void done;
  });

  it("ignores events and results of a run that a newer run replaced", async () => {
    const run = new CheckRun(specs);
    let oldEmit: (e: CheckEvent) => void = () => {};
    let oldFinish: (r: Report) => void = () => {};
    const first = run.run((onEvent) => {
      oldEmit = onEvent;
      return new Promise((resolve) => (oldFinish = resolve));
    });
    const second = run.run(async () => report("pass"));
    await second;
    oldEmit({ event: "started", id: "b", title: "B works", state_label: "Checking…" });
    oldFinish(report("fail"));
    await first;
    expect(run.report?.ok, "the stale failing report must not overwrite the newer one").toBe(true);
    expect(run.rows[1]?.state).toBe("pass");
  });

  it("turns a rejection into a UiError and leaves no row spinning", async () => {
    const run = new CheckRun(specs);
    await run.run(async (onEvent) => {
      onEvent({ event: "started", id: "a", title: "A works", state_label: "Checking…" });
      throw { kind: "network", message: "No network.", fix: "Check the cable." };
    });
    expect(run.error).toEqual({ kind: "network", message: "No network.", fix: "Check the cable." });
    expect(run.rows.some((r) => r.state === "running"), "nothing may look busy after a failure").toBe(false);
  });
});
