import { act, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import Diagnostics from "./Diagnostics.svelte";
import ConnectionDetail from "../ConnectionDetail.svelte";
import type { CheckEvent, ConnectionList, Diagnostics as DiagnosticsResult, DiagnosticsSubject, SavedBundle } from "../lib/types";
import { CATALOGUE, demoOf, recorded, renderWizard, useRecorded } from "../test/helpers";

/** The connection the healthy recording saved, and what diagnosing it found. */
const SAVED = recorded<ConnectionList>("healthy", "listConnections", 1).connections[0]!;
const SAVED_DIAGNOSIS = recorded<DiagnosticsResult>("healthy", "diagnoseConnection");
/** What diagnosing the Command Runner key found before anything was saved. */
const COMMAND_RUNNER = recorded<DiagnosticsResult>("command-runner", "diagnoseConnection");

function renderDiagnostics(subject: DiagnosticsSubject) {
  return render(Diagnostics, { props: { subject, catalogue: CATALOGUE } });
}

/** The recorded answers; the side effects the recorder cannot run (a browser, a file manager) answer nothing. */
function recordedWithSideEffects(...scenarios: string[]) {
  const backend = useRecorded(...scenarios);
  backend.openCauseLink = async (...args) => {
    backend.calls.push({ method: "openCauseLink", args });
    return null;
  };
  backend.openBundleFolder = async () => {
    backend.calls.push({ method: "openBundleFolder", args: [] });
    return "/home/you/Downloads";
  };
  backend.openLogFolder = async () => "/home/you/.local/share/com.jconboard.wizard/logs";
  return backend;
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Diagnostics", () => {
  it("re-runs the checks live, with Re-run disabled while running", async () => {
    const backend = useRecorded("healthy");
    let emit: (e: CheckEvent) => void = () => {};
    let settle: (d: DiagnosticsResult) => void = () => {};
    backend.diagnoseConnection = (_subject, onEvent) => {
      emit = onEvent;
      return new Promise((resolve) => (settle = resolve));
    };
    renderDiagnostics({ saved: SAVED.id });
    const rerun = await screen.findByRole("button", { name: "Running checks…" });
    expect(rerun, "a run starts when Diagnostics opens").toBeDisabled();
    const accepted = CATALOGUE.find((c) => c.id === "key.accepted")!;
    await act(() => emit({ event: "started", id: accepted.id, title: accepted.title, state_label: "Checking…" }));
    const row = document.querySelector<HTMLElement>('#diagnostics [data-check="key.accepted"]')!;
    expect(within(row).getByText("Checking…")).toBeInTheDocument();
    expect(screen.getByText(/Testing… 0 of/)).toBeInTheDocument();
    await act(() => settle(SAVED_DIAGNOSIS));
    expect(await screen.findByText("Nothing is wrong: every check passed.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Re-run checks" })).toBeEnabled();
    expect(screen.getByText(SAVED_DIAGNOSIS.key_last_four!), "only the key's last four characters").toBeInTheDocument();
  });

  it("shows a Command Runner key's diagnosis with its fix, the facts, and a console link", async () => {
    const backend = recordedWithSideEffects("command-runner");
    const user = userEvent.setup();
    renderDiagnostics("current");
    const first = COMMAND_RUNNER.diagnoses[0]!;
    const cause = await screen.findByText(first.title);
    const item = cause.closest("li")!;
    expect(within(item).getByText(first.severity === "fail" ? "Blocks the connection" : "Should be looked at")).toBeInTheDocument();
    expect(within(item).getByText(first.fix, { exact: false, selector: ".fix" }), "the fix says what to do").toBeInTheDocument();
    if (COMMAND_RUNNER.role) expect(screen.getByText(COMMAND_RUNNER.role, { selector: "[data-fact='role']" })).toBeInTheDocument();
    expect(document.body.textContent, "the key itself never appears").not.toContain(demoOf("command-runner").api_key);
    const linked = COMMAND_RUNNER.diagnoses.find((d) => d.link);
    if (linked) {
      const linkedItem = screen.getByText(linked.title).closest("li")!;
      await user.click(within(linkedItem).getByRole("button", { name: "Open the JumpCloud console" }));
      expect(backend.calls.find((c) => c.method === "openCauseLink")?.args).toEqual([linked.cause_id, COMMAND_RUNNER.region]);
    }
    expect(backend.calls.find((c) => c.method === "diagnoseConnection")?.args, "diagnosing the wizard's connection sends no key").toEqual(["current"]);
  });

  it("lists the runs Rust recorded for a saved connection", async () => {
    useRecorded("healthy");
    renderDiagnostics({ saved: SAVED.id });
    expect(await screen.findByText("Nothing is wrong: every check passed.")).toBeInTheDocument();
    const history = screen.getByRole("heading", { name: "Earlier runs" }).parentElement!;
    const runs = within(history).getAllByRole("listitem").filter((li) => li.classList.contains("run"));
    expect(runs, "one run recorded: this one").toHaveLength(SAVED_DIAGNOSIS.history.length);
    expect(within(runs[0]!).getByText("Passed")).toBeInTheDocument();
    expect(within(runs[0]!).getByText("First recorded run")).toBeInTheDocument();
  });

  it("copies Rust's summary, without the key, and says Copied", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    const writeText = vi.fn((_text: string) => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    renderDiagnostics({ saved: SAVED.id });
    await screen.findByText("Nothing is wrong: every check passed.");
    await user.click(screen.getByRole("button", { name: "Copy summary" }));
    expect(await screen.findByText("Copied")).toBeInTheDocument();
    const text = writeText.mock.calls[0]![0];
    expect(text, "the summary is the one Rust wrote").toBe(recorded<string>("healthy", "supportSummary"));
    expect(text).toContain(`Connection: ${SAVED.name}`);
    expect(text).not.toContain(demoOf("healthy").api_key);
  });

  it("saves a support bundle without people's data by default and shows where", async () => {
    const backend = recordedWithSideEffects("healthy");
    const user = userEvent.setup();
    renderDiagnostics({ saved: SAVED.id });
    await screen.findByText("Nothing is wrong: every check passed.");
    const personal = screen.getByRole("checkbox", { name: "Include people's names and emails" });
    expect(personal, "off by default").not.toBeChecked();
    expect(screen.getByText(/replaced by codes/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save support bundle" }));
    const saved = await screen.findByText(/Support bundle saved to/);
    expect(within(saved).getByText(recorded<SavedBundle>("healthy", "saveSupportBundle").path)).toBeInTheDocument();
    expect(backend.calls.find((c) => c.method === "saveSupportBundle")?.args).toEqual([{ saved: SAVED.id }, false]);
    await user.click(within(saved).getByRole("button", { name: "Show in folder" }));
    expect(backend.calls.some((c) => c.method === "openBundleFolder")).toBe(true);
    await user.click(screen.getByRole("button", { name: "Open log folder" }));
    expect(await screen.findByText(/Log files are in/)).toBeInTheDocument();
  });

  it("opens from a saved connection's detail panel", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    render(ConnectionDetail, { props: { connection: SAVED, catalogue: CATALOGUE, onchanged: () => {}, ondeleted: () => {} } });
    await user.click(screen.getByRole("button", { name: "Diagnostics" }));
    expect(await screen.findByText("Nothing is wrong: every check passed.")).toBeInTheDocument();
  });

  it("is offered on the wizard's test step when the test fails, for the unsaved connection", async () => {
    const backend = recordedWithSideEffects("command-runner");
    const user = userEvent.setup();
    renderWizard({ step: "test", demo: "command-runner" });
    await user.click(await screen.findByRole("button", { name: "Open diagnostics" }));
    expect(await screen.findByText(COMMAND_RUNNER.diagnoses[0]!.title)).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("button", { name: "Save support bundle" })).toBeEnabled());
    expect(screen.queryByRole("heading", { name: "Earlier runs" }), "an unsaved connection has no history").toBeNull();
    await user.click(screen.getByRole("button", { name: "Save support bundle" }));
    expect(await screen.findByText(/Support bundle saved to/)).toBeInTheDocument();
    expect(backend.calls.find((c) => c.method === "saveSupportBundle")?.args).toEqual(["current", false]);
  });

  it("shows the permission view of the run, with what to grant and the recipe", async () => {
    useRecorded("custom-role-partial");
    const saved = recorded<ConnectionList>("custom-role-partial", "listConnections", 1).connections[0]!;
    const view = recorded<DiagnosticsResult>("custom-role-partial", "diagnoseConnection").report.permissions!;
    renderDiagnostics({ saved: saved.id });
    const heading = await screen.findByRole("heading", { level: 3, name: "Permissions" });
    const section = heading.closest<HTMLElement>("[data-permissions]")!;
    expect(section.closest("#diagnostics"), "inside the Diagnostics panel").not.toBeNull();
    expect(within(section).getByText(view.summary), "Rust's verdict on the role").toBeInTheDocument();
    const refused = view.rows.filter((r) => r.access === "forbidden");
    expect(refused.map((r) => r.category), "the recording refuses the device and RADIUS categories").toEqual(["devices", "policies", "policy_results", "radius_servers"]);
    for (const row of refused) {
      const shown = section.querySelector<HTMLElement>(`tr[data-permission="${row.category}"]`)!;
      expect(within(shown).getByText(row.message), `${row.label} says what to grant`).toBeInTheDocument();
    }
    expect(within(section).getByRole("button", { name: "Copy the recipe" })).toBeInTheDocument();
  });
});
