import { act, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { CheckEvent, CheckResult, PermissionView } from "../lib/types";
import { CATALOGUE, eventsOf, renderWizard, reportOf, steppedChecks, useRecorded } from "../test/helpers";

const row = (id: string): HTMLElement => {
  const found = document.querySelector<HTMLElement>(`[data-check="${id}"]`);
  if (!found) throw new Error(`no row for ${id}`);
  return found;
};

const check = (scenario: string, id: string, nth = 0): CheckResult => {
  const found = reportOf(scenario, nth).checks.find((c) => c.id === id);
  if (!found) throw new Error(`${scenario} reported no ${id}`);
  return found;
};

const permissionsOf = (scenario: string): PermissionView => {
  const found = reportOf(scenario).permissions;
  if (!found) throw new Error(`${scenario} reported no permission view`);
  return found;
};

/** The permission view's section on the Test step. */
const permissionSection = async (): Promise<HTMLElement> => {
  await screen.findByRole("heading", { name: "Permissions" });
  return document.querySelector<HTMLElement>('[data-permissions="test-permissions"]')!;
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Test connection step", () => {
  it("draws the catalogue as pending rows, then follows Rust's started/finished events live", async () => {
    const stepped = steppedChecks("expired-key");
    renderWizard({ step: "test", demo: "expired-key" });

    expect(within(row("key.accepted")).getByText("Waiting"), "before any event, every check is pending").toBeInTheDocument();
    expect(document.querySelectorAll("[data-check]")).toHaveLength(CATALOGUE.length);

    const refused = check("expired-key", "key.accepted");
    await act(() => stepped.emit({ event: "started", id: refused.id, title: refused.title, state_label: "Checking…" }));
    expect(within(row("key.accepted")).getByText("Checking…"), "a started check shows as running").toBeInTheDocument();
    expect(row("key.accepted")).toHaveAttribute("aria-busy", "true");

    await act(() => stepped.emit({ event: "finished", ...refused }));
    const r = row("key.accepted");
    expect(refused.state, "the recording is of a refused key").toBe("fail");
    expect(within(r).getByText("Failed"), "state is written in words, not colour alone").toBeInTheDocument();
    expect(within(r).getByText(refused.message)).toBeInTheDocument();
    expect(within(r).getByText(refused.fix!, { exact: false }), "a failed check shows its fix").toBeInTheDocument();
    const requestId = refused.detail.find((d) => d.request_id)?.request_id;
    expect(within(r).queryByText(requestId!), "raw evidence starts hidden").toBeNull();
    const toggle = screen.getByRole("button", { name: "Show technical details for support" });
    expect(screen.getAllByRole("button", { name: /technical details/ }), "one toggle for the whole list, not one per check").toHaveLength(1);
    await act(() => toggle.click());
    expect(toggle).toHaveAttribute("aria-pressed", "true");
    expect(within(r).getAllByText(requestId!).length, "the request id is there for support").toBeGreaterThan(0);

    await act(() => stepped.finish(reportOf("expired-key")));
    expect(await screen.findByText(`Not connected yet: fix the first failed check, “${refused.title}”.`)).toBeInTheDocument();
    expect(within(row("access.users")).getByText("Skipped"), "checks after the failure are listed as skipped").toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" }), "a failed test keeps Next off").toBeDisabled();
    expect(screen.getByRole("button", { name: "Retry" })).not.toHaveAttribute("aria-disabled", "true");
  });

  it("shows checks that run together in their catalogue slots, whatever order their events arrive in", async () => {
    const stepped = steppedChecks("healthy");
    renderWizard({ step: "test", demo: "healthy" });
    const events = eventsOf("healthy");
    const started = (id: string): CheckEvent => events.find((e) => e.event === "started" && e.id === id)!;
    const finished = (id: string): CheckEvent => events.find((e) => e.event === "finished" && e.id === id)!;
    const title = (id: string): string => CATALOGUE.find((c) => c.id === id)!.title;
    const ids = (): string[] => [...document.querySelectorAll<HTMLElement>("[data-check]")].map((r) => r.dataset.check!);

    // Rust finds the key, the region and the organization one after another...
    const first = CATALOGUE.map((c) => c.id).slice(0, CATALOGUE.findIndex((c) => c.id === "role.least_privilege"));
    await act(() => first.forEach((id) => [started(id), finished(id)].forEach(stepped.emit)));
    // ...then runs the checks beneath the organization together: they start and end in any order.
    await act(() => ["access.devices", "access.users", "role.least_privilege"].map(started).forEach(stepped.emit));
    expect(
      screen.getByText(`Now: ${title("role.least_privilege")}, and 2 more checks at the same time`),
      "the running checks are named first in catalogue order, whatever order they started in",
    ).toBeInTheDocument();
    await act(() => stepped.emit(finished("access.devices")));
    expect(ids(), "a check ending first does not move: rows stay in catalogue order").toEqual(CATALOGUE.map((c) => c.id));
    const devices = finished("access.devices") as CheckResult;
    expect(within(row("access.devices")).getByText(devices.message), "its result shows in its own row").toBeInTheDocument();
    expect(within(row("role.least_privilege")).getByText("Checking…"), "the checks before it in the catalogue are still running").toBeInTheDocument();
    expect(within(row("access.user_groups")).getByText("Waiting"), "a check that has not started is still pending").toBeInTheDocument();
    await act(() => ["role.least_privilege", "access.users"].map(finished).forEach(stepped.emit));
    expect(screen.getByText(`Testing… ${first.length + 3} of ${CATALOGUE.length} checks done`), "finished checks are counted").toBeInTheDocument();
    expect(screen.queryByText(/^Now:/), "nothing is named once no check is running").not.toBeInTheDocument();

    await act(() => stepped.finish(reportOf("healthy")));
    expect(await screen.findByText(`Connected to ${reportOf("healthy").org!.name} in the US data center.`)).toBeInTheDocument();
    expect(ids(), "the report's rows are in catalogue order too").toEqual(CATALOGUE.map((c) => c.id));
  });

  it("passes for the healthy demo org, names the org and data center, and enables Next", async () => {
    useRecorded("healthy");
    renderWizard({ step: "test", demo: "healthy" });
    const org = reportOf("healthy").org!.name;
    expect(await screen.findByText(`Connected to ${org} in the US data center.`)).toBeInTheDocument();
    expect(within(row("role.least_privilege")).getByText("Passed")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeEnabled();
  });

  it("shows warnings with their fix and still lets the user go on", async () => {
    useRecorded("admin-with-billing");
    renderWizard({ step: "test", demo: "admin-with-billing" });
    const role = check("admin-with-billing", "role.least_privilege");
    expect(role.state, "an Administrator With Billing key is more than read-only").toBe("warn");
    const warnings = reportOf("admin-with-billing").checks.filter((c) => c.state === "warn").length;
    expect(await screen.findByText(new RegExp(`^${warnings} checks? ha(s a warning|ve warnings)`))).toBeInTheDocument();
    expect(within(row("role.least_privilege")).getByText("Warning")).toBeInTheDocument();
    expect(within(row("role.least_privilege")).getByText(/How to fix:/), "a warning shows its fix too").toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" }), "warnings do not block").toBeEnabled();
  });

  it("fails the role check for a Command Runner key, with Rust's message", async () => {
    useRecorded("command-runner");
    renderWizard({ step: "test", demo: "command-runner" });
    const failed = reportOf("command-runner").checks.find((c) => c.state === "fail")!;
    expect(await screen.findByText(`Not connected yet: fix the first failed check, “${failed.title}”.`)).toBeInTheDocument();
    expect(within(row(failed.id)).getByText(failed.message)).toBeInTheDocument();
  });

  it("offers an org picker for a multi-tenant key and re-runs with the chosen org", async () => {
    const backend = useRecorded("multi-tenant");
    const user = userEvent.setup();
    const { wiz } = renderWizard({ step: "test", demo: "multi-tenant" });
    expect(await screen.findByText("Not connected yet: choose which organization to connect.")).toBeInTheDocument();
    const use = screen.getByRole("button", { name: "Use this organization and test again" });
    expect(use, "nothing is chosen yet").toBeDisabled();
    const second = reportOf("multi-tenant").orgs_available[1]!;
    await user.click(screen.getByRole("radio", { name: new RegExp(second.name) }));
    await user.click(use);
    expect(await screen.findByText(`Connected to ${second.name} in the US data center.`)).toBeInTheDocument();
    const runs = backend.calls.filter((c) => c.method === "runChecks").map((c) => c.args[0] as { org_id: string | null });
    expect(runs.map((r) => r.org_id), "the second run carries the chosen org").toEqual([null, second.id]);
    expect(wiz.orgId, "the choice is kept for the Organization step").toBe(second.id);
    expect(screen.queryByRole("radio", { name: new RegExp(second.name) }), "the picker goes away once an org is chosen").not.toBeInTheDocument();
  });

  it("shows a backend error's message and next step", async () => {
    const stepped = steppedChecks("healthy");
    renderWizard({ step: "test", demo: "healthy" });
    await act(() => stepped.fail({ kind: "demo", message: "The demo organization is not running.", fix: "Start again from \"Try with a demo organization\"." }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The demo organization is not running.");
    expect(alert, "every error has a next step").toHaveTextContent("Start again from");
  });

  it("keeps the result when coming back with the same inputs", async () => {
    const backend = useRecorded("healthy");
    const user = userEvent.setup();
    renderWizard({ step: "test", demo: "healthy" });
    await screen.findByText(/Connected to/);
    await user.click(screen.getByRole("button", { name: "Back" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    expect(await screen.findByText(/Connected to/)).toBeInTheDocument();
    expect(backend.calls.filter((c) => c.method === "runChecks"), "no second run for unchanged inputs").toHaveLength(1);
  });

  it("shows the custom role's two missing permissions, each category's result and the recipe, as Rust computed them", async () => {
    useRecorded("custom-role-partial");
    const user = userEvent.setup();
    const writeText = vi.fn((_text: string) => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    renderWizard({ step: "test", demo: "custom-role-partial" });
    const view = permissionsOf("custom-role-partial");
    expect(view.role.missing, "the recording is of a role without the devices and RADIUS permissions").toEqual(["systems.readonly", "radius.readonly"]);
    expect(view.attention, "Rust says the recipe is the fix").toBe(true);

    const section = await permissionSection();
    const verdict = section.querySelector<HTMLElement>("[data-verdict]")!;
    expect(verdict.dataset.verdict).toBe("lacking");
    expect(within(verdict).getByText("The role is missing permissions this connection needs")).toBeInTheDocument();
    expect(within(verdict).getByText(view.summary), "Rust's sentence names what is missing").toBeInTheDocument();
    const checks = document.querySelector("ol.checks")!;
    expect(section.compareDocumentPosition(checks) & Node.DOCUMENT_POSITION_FOLLOWING, "the permissions come before the checks when they are the problem").toBeTruthy();

    const rows = section.querySelectorAll<HTMLElement>("tbody tr[data-permission]");
    expect([...rows].map((r) => r.dataset.permission), "one row per category, in Rust's order").toEqual(view.rows.map((r) => r.category));
    for (const [i, expected] of view.rows.entries()) {
      const row = rows[i]!;
      expect(row.querySelector("th")?.textContent).toContain(expected.label);
      const said = { readable: "Readable", forbidden: "Not allowed", failed: "Not confirmed", not_checked: "Not checked" }[expected.access];
      expect(row.querySelector(".access")?.textContent?.trim(), `${expected.label}: ${expected.access}`).toBe(said);
      if (expected.access === "forbidden") {
        expect(within(row).getByText(expected.message), `${expected.label} says what to grant`).toBeInTheDocument();
      }
    }
    const devices = section.querySelector<HTMLTableRowElement>('tr[data-permission="devices"]')!;
    expect(devices.cells[1]!.textContent, "the permission is named in the console's words").toBe("Devices (includes device policies)");
    expect(within(devices).getByText(/Grant read access: Devices \(includes device policies\) \(systems\.readonly\)/)).toBeInTheDocument();

    const recipe = section.querySelector<HTMLElement>("[data-recipe]")!;
    expect(recipe.closest("details"), "the recipe is shown open when it is the fix").toBeNull();
    expect(within(recipe).getByRole("heading", { name: view.recipe.title })).toBeInTheDocument();
    const turnOn = within(recipe).getByRole("list", { name: "Permissions to turn on" });
    expect(within(turnOn).getAllByRole("listitem").map((li) => li.dataset.scope), "exactly the least privilege set").toEqual(view.minimal);
    await user.click(within(recipe).getByRole("button", { name: "Copy the recipe" }));
    expect(await within(recipe).findByText("Copied")).toBeInTheDocument();
    expect(writeText.mock.calls[0]![0], "the copied text is Rust's recipe, word for word").toBe(view.recipe.text);
  });

  it("shows the recipe's text to copy by hand when the clipboard is refused", async () => {
    useRecorded("custom-role-partial");
    const user = userEvent.setup();
    Object.defineProperty(navigator, "clipboard", { value: { writeText: () => Promise.reject(new Error("denied")) }, configurable: true });
    renderWizard({ step: "test", demo: "custom-role-partial" });
    const section = await permissionSection();
    await user.click(within(section).getByRole("button", { name: "Copy the recipe" }));
    const text = await within(section).findByLabelText(/could not be copied automatically/);
    expect((text as HTMLTextAreaElement).value).toBe(permissionsOf("custom-role-partial").recipe.text);
  });

  it("names a broad role's write permissions beyond need, with the read-only one needed instead", async () => {
    useRecorded("broad-role");
    renderWizard({ step: "test", demo: "broad-role" });
    const view = permissionsOf("broad-role");
    const section = await permissionSection();
    const verdict = section.querySelector<HTMLElement>("[data-verdict]")!;
    expect(verdict.dataset.verdict).toBe(view.role.verdict);
    expect(view.role.verdict, "the broad role can change things").toBe("can_change");
    expect(within(verdict).getByText(view.summary)).toBeInTheDocument();
    const technical = within(section).getByText("Technical details").closest("details")!;
    const changes = view.role.beyond.filter((e) => e.write);
    expect(changes.length, "the recording has write scopes beyond need").toBeGreaterThan(0);
    for (const extra of changes) {
      expect(within(technical).getAllByText(extra.scope).length, `${extra.scope} is named`).toBeGreaterThan(0);
    }
    const users = changes.find((e) => e.scope === "users");
    if (users) expect(users.instead, "users.readonly is all that is needed in place of users").toBe("users.readonly");
  });

  it("keeps a healthy role's view after the checks, with the recipe folded away", async () => {
    useRecorded("healthy");
    renderWizard({ step: "test", demo: "healthy" });
    const view = permissionsOf("healthy");
    const section = await permissionSection();
    expect(view.attention, "nothing is wrong with the healthy demo's role").toBe(false);
    expect(section.querySelector<HTMLElement>("[data-verdict]")!.dataset.verdict).toBe(view.role.verdict);
    const checks = document.querySelector("ol.checks")!;
    expect(checks.compareDocumentPosition(section) & Node.DOCUMENT_POSITION_FOLLOWING, "after the checks when all is well").toBeTruthy();
    const folded = section.querySelector("[data-recipe]")!.closest("details");
    expect(folded, "the recipe is there, folded").not.toBeNull();
    expect(folded!.open).toBe(false);
    expect(section.querySelectorAll("tr.forbidden"), "nothing refused").toHaveLength(0);
  });
});
