import { act, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import Diagnostics from "./Diagnostics.svelte";
import ConnectionDetail from "../ConnectionDetail.svelte";
import { setBackend } from "../lib/backend";
import { FAKE_CATALOGUE, FAKE_DEMO_KEYS, FakeBackend, fakeDiagnose } from "../lib/backend.fake";
import type { CheckEvent, Diagnostics as DiagnosticsResult, DiagnosticsSubject, Report, SavedConnection } from "../lib/types";
import { COMMAND_RUNNER_KEY, renderWizard, useFake } from "../test/helpers";

const COMMAND_RUNNER: SavedConnection = {
  id: "conn-cr",
  name: "Command runner test",
  region: "us",
  org: { id: "5d2f7024f0e1526be4df38e7", name: "Acme Corp" },
  manager_attribute: null,
  demo_scenario: "command-runner",
  last_test: null,
  key_last_four: `…${FAKE_DEMO_KEYS["command-runner"]!.slice(-4)}`,
  session_only: false,
};

function renderDiagnostics(subject: DiagnosticsSubject) {
  return render(Diagnostics, { props: { subject, catalogue: FAKE_CATALOGUE } });
}

const diagnosesList = (): HTMLElement => screen.getByRole("heading", { name: "What's wrong and how to fix it" }).parentElement!;

/** A backend whose diagnose run the test finishes by hand. */
class HeldBackend extends FakeBackend {
  emit: (e: CheckEvent) => void = () => {};
  private settle: ((d: DiagnosticsResult) => void) | null = null;
  override diagnoseConnection(_subject: DiagnosticsSubject, onEvent: (e: CheckEvent) => void): Promise<DiagnosticsResult> {
    this.emit = onEvent;
    return new Promise((resolve) => {
      this.settle = resolve;
    });
  }
  finish(report: Report): void {
    this.settle?.({
      report,
      diagnoses: fakeDiagnose(report),
      history: [],
      region: report.region,
      org: report.org,
      role: report.role,
      key_last_four: "…AB12",
      history_problem: null,
    });
  }
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Diagnostics", () => {
  it("re-runs the checks live, with Re-run disabled while running", async () => {
    const backend = new HeldBackend({ connections: [COMMAND_RUNNER] });
    setBackend(backend);
    renderDiagnostics({ saved: COMMAND_RUNNER.id });
    const rerun = await screen.findByRole("button", { name: "Running checks…" });
    expect(rerun, "a run starts when Diagnostics opens").toBeDisabled();
    await act(() => backend.emit({ event: "started", id: "key.accepted", title: "JumpCloud accepts the key" }));
    const row = document.querySelector<HTMLElement>('#diagnostics [data-check="key.accepted"]')!;
    expect(within(row).getByText("Checking…")).toBeInTheDocument();
    expect(screen.getByText(/Testing… 0 of/)).toBeInTheDocument();
    await act(() =>
      backend.finish({
        ok: true,
        region: "us",
        org: COMMAND_RUNNER.org,
        orgs_available: [],
        role: "Read Only",
        checks: FAKE_CATALOGUE.map((c) => ({ ...c, state: "pass", message: "Fine.", fix: null, detail: [] })),
      }),
    );
    expect(await screen.findByText("Nothing is wrong: every check passed.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Re-run checks" })).toBeEnabled();
    expect(screen.getByText("…AB12"), "only the key's last four characters").toBeInTheDocument();
  });

  it("shows a failing role as a diagnosis with its fix, the facts, and a console link", async () => {
    const fake = useFake({ connections: [COMMAND_RUNNER] });
    const user = userEvent.setup();
    renderDiagnostics({ saved: COMMAND_RUNNER.id });
    const cause = await screen.findByText("The key is a Command Runner's");
    const item = cause.closest("li")!;
    expect(within(item).getByText("Blocks the connection")).toBeInTheDocument();
    expect(within(item).getByText(/Read Only/, { selector: ".fix" }), "the fix says what to do").toBeInTheDocument();
    expect(screen.getByText("Command Runner", { selector: "[data-fact='role']" })).toBeInTheDocument();
    expect(screen.getByText("Acme Corp", { exact: false, selector: "[data-fact='org']" })).toBeInTheDocument();
    expect(document.body.textContent, "the key itself never appears").not.toContain(FAKE_DEMO_KEYS["command-runner"]!);
    await user.click(within(item).getByRole("button", { name: "Open the JumpCloud console" }));
    expect(fake.calls.find((c) => c.method === "openCauseLink")?.args).toEqual(["role.command_runner", "us"]);
  });

  it("lists earlier runs, newest first, with the checks that changed state", async () => {
    const fake = useFake({ connections: [COMMAND_RUNNER] });
    const states = Object.fromEntries(FAKE_CATALOGUE.map((c) => [c.id, "pass" as const]));
    fake.setHistory(COMMAND_RUNNER.id, [{ at: new Date(Date.now() - 3_600_000).toISOString(), ok: true, changed: [], states }]);
    renderDiagnostics({ saved: COMMAND_RUNNER.id });
    await screen.findByText("The key is a Command Runner's");
    const history = screen.getByRole("heading", { name: "Earlier runs" }).parentElement!;
    const runs = within(history).getAllByRole("listitem").filter((li) => li.classList.contains("run"));
    expect(runs).toHaveLength(2);
    expect(within(runs[0]!).getByText("Failed")).toBeInTheDocument();
    expect(runs[0]!.textContent).toContain("role.least_privilege: pass → fail");
    expect(within(runs[1]!).getByText("Passed")).toBeInTheDocument();
    expect(within(runs[1]!).getByText("First recorded run")).toBeInTheDocument();
  });

  it("copies a summary without the key and says Copied", async () => {
    useFake({ connections: [COMMAND_RUNNER] });
    const user = userEvent.setup();
    const writeText = vi.fn((_text: string) => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    renderDiagnostics({ saved: COMMAND_RUNNER.id });
    await screen.findByText("The key is a Command Runner's");
    await user.click(screen.getByRole("button", { name: "Copy summary" }));
    expect(await screen.findByText("Copied")).toBeInTheDocument();
    const text = writeText.mock.calls[0]![0];
    expect(text).toContain("Role: Command Runner");
    expect(text).toContain("Connection: Command runner test");
    expect(text).not.toContain(FAKE_DEMO_KEYS["command-runner"]!);
  });

  it("saves a support bundle without people's data by default and shows where", async () => {
    const fake = useFake({ connections: [COMMAND_RUNNER] });
    const user = userEvent.setup();
    renderDiagnostics({ saved: COMMAND_RUNNER.id });
    await screen.findByText("The key is a Command Runner's");
    const personal = screen.getByRole("checkbox", { name: "Include people's names and emails" });
    expect(personal, "off by default").not.toBeChecked();
    expect(screen.getByText(/replaced by codes/)).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Save support bundle" }));
    const saved = await screen.findByText(/Support bundle saved to/);
    expect(within(saved).getByText("/home/you/Downloads/jc-onboard-support-1.json")).toBeInTheDocument();
    expect(fake.calls.find((c) => c.method === "saveSupportBundle")?.args).toEqual([{ saved: COMMAND_RUNNER.id }, false]);
    await user.click(within(saved).getByRole("button", { name: "Show in folder" }));
    expect(fake.calls.some((c) => c.method === "openBundleFolder")).toBe(true);
    await user.click(screen.getByRole("button", { name: "Open log folder" }));
    expect(await screen.findByText(/Log files are in/)).toBeInTheDocument();
  });

  it("opens from a saved connection's detail panel", async () => {
    useFake({ connections: [COMMAND_RUNNER] });
    const user = userEvent.setup();
    render(ConnectionDetail, { props: { connection: COMMAND_RUNNER, catalogue: FAKE_CATALOGUE, onchanged: () => {}, ondeleted: () => {} } });
    await user.click(screen.getByRole("button", { name: "Diagnostics" }));
    expect(await screen.findByText("The key is a Command Runner's")).toBeInTheDocument();
    expect(diagnosesList()).toBeInTheDocument();
  });

  it("is offered on the wizard's test step when the test fails, for the unsaved connection", async () => {
    const fake = useFake();
    const user = userEvent.setup();
    renderWizard({ step: "test", key: COMMAND_RUNNER_KEY });
    await user.click(await screen.findByRole("button", { name: "Open diagnostics" }));
    expect(await screen.findByText("The key is a Command Runner's")).toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("button", { name: "Save support bundle" })).toBeEnabled());
    expect(screen.queryByRole("heading", { name: "Earlier runs" }), "an unsaved connection has no history").toBeNull();
    await user.click(screen.getByRole("button", { name: "Save support bundle" }));
    expect(await screen.findByText(/Support bundle saved to/)).toBeInTheDocument();
    const call = fake.calls.find((c) => c.method === "saveSupportBundle");
    expect(call?.args[0]).toHaveProperty("current");
  });
});
