import { act, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { setBackend } from "../lib/backend";
import { FAKE_CATALOGUE } from "../lib/backend.fake";
import type { CheckResult, Report } from "../lib/types";
import { COMMAND_RUNNER_KEY, HEALTHY_KEY, MULTI_TENANT_KEY, RATE_LIMITED_KEY, SteppedBackend, renderWizard, useFake } from "../test/helpers";

const row = (id: string): HTMLElement => {
  const found = document.querySelector<HTMLElement>(`[data-check="${id}"]`);
  if (!found) throw new Error(`no row for ${id}`);
  return found;
};

function result(id: string, state: CheckResult["state"], message: string, fix: string | null = null): CheckResult {
  const spec = FAKE_CATALOGUE.find((c) => c.id === id)!;
  return {
    ...spec,
    state,
    message,
    fix,
    detail: [{ host: "console.jumpcloud.com", route: "GET /api/organizations?limit=1", status: 401, latency_ms: 88, request_id: "8f00aa-FRA", outcome: "401 Unauthorized", server_said: '{"message":"Unauthorized"}' }],
  };
}

describe("Test connection step", () => {
  it("draws the catalogue as pending rows, then follows started/finished events live", async () => {
    const backend = new SteppedBackend();
    setBackend(backend);
    renderWizard({ step: "test", key: HEALTHY_KEY });

    expect(within(row("key.accepted")).getByText("Waiting"), "before any event, every check is pending").toBeInTheDocument();
    expect(document.querySelectorAll("[data-check]")).toHaveLength(FAKE_CATALOGUE.length);

    await act(() => backend.emit({ event: "started", id: "key.accepted", title: "JumpCloud accepts the key" }));
    expect(within(row("key.accepted")).getByText("Checking…"), "a started check shows as running").toBeInTheDocument();
    expect(row("key.accepted")).toHaveAttribute("aria-busy", "true");

    const failed = result("key.accepted", "fail", "JumpCloud does not know this key.", "Copy the key again from My API Key.");
    await act(() => backend.emit({ event: "finished", ...failed }));
    const r = row("key.accepted");
    expect(within(r).getByText("Failed"), "state is written in words, not colour alone").toBeInTheDocument();
    expect(within(r).getByText("JumpCloud does not know this key.")).toBeInTheDocument();
    expect(within(r).getByText(/Copy the key again/), "a failed check shows its fix").toBeInTheDocument();
    const details = r.querySelector("details");
    expect(details, "raw evidence is present").not.toBeNull();
    expect(details?.open, "raw evidence starts collapsed").toBe(false);
    expect(within(r).getByText("8f00aa-FRA"), "the request id is there for support").toBeInTheDocument();

    const report: Report = {
      ok: false,
      region: null,
      org: null,
      orgs_available: [],
      role: null,
      checks: FAKE_CATALOGUE.map((c) =>
        c.id === "key.accepted" ? failed : { ...c, state: "skipped", message: 'Not checked, because "JumpCloud accepts the key" failed.', fix: null, detail: [] },
      ),
    };
    await act(() => backend.finish(report));
    expect(await screen.findByText(/Not connected yet: fix the first failed check, “JumpCloud accepts the key”/)).toBeInTheDocument();
    expect(within(row("access.users")).getByText("Skipped"), "checks after the failure are listed as skipped").toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" }), "a failed test keeps Next off").toBeDisabled();
    expect(screen.getByRole("button", { name: "Retry" })).toBeEnabled();
  });

  it("passes with the healthy fake, names the org and data center, and enables Next", async () => {
    useFake();
    renderWizard({ step: "test", key: HEALTHY_KEY });
    expect(await screen.findByText("Connected to Acme Corp in the US data center.")).toBeInTheDocument();
    expect(within(row("role.least_privilege")).getByText("Passed")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeEnabled();
  });

  it("shows warnings with their fix and still lets the user go on", async () => {
    useFake();
    renderWizard({ step: "test", key: RATE_LIMITED_KEY });
    expect(await screen.findByText(/3 checks have warnings/)).toBeInTheDocument();
    const devices = row("access.devices");
    expect(within(devices).getByText("Warning")).toBeInTheDocument();
    expect(within(devices).getByText(/How to fix:/), "a warning shows its fix too").toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" }), "warnings do not block").toBeEnabled();
  });

  it("fails the role check for a Command Runner key, with a fix", async () => {
    useFake();
    renderWizard({ step: "test", key: COMMAND_RUNNER_KEY });
    expect(await screen.findByText(/fix the first failed check, “Key is read-only”/)).toBeInTheDocument();
    expect(within(row("role.least_privilege")).getByText(/Read Only role/)).toBeInTheDocument();
  });

  it("offers an org picker for a multi-tenant key and re-runs with the chosen org", async () => {
    const fake = useFake();
    const user = userEvent.setup();
    const { wiz } = renderWizard({ step: "test", key: MULTI_TENANT_KEY });
    expect(await screen.findByText("Not connected yet: choose which organization to connect.")).toBeInTheDocument();
    const use = screen.getByRole("button", { name: "Use this organization and test again" });
    expect(use, "nothing is chosen yet").toBeDisabled();
    await user.click(screen.getByRole("radio", { name: /Contoso Ltd/ }));
    await user.click(use);
    expect(await screen.findByText("Connected to Contoso Ltd in the US data center.")).toBeInTheDocument();
    const runs = fake.calls.filter((c) => c.method === "runChecks").map((c) => c.args[0] as { org_id: string | null });
    expect(runs.map((r) => r.org_id), "the second run carries the chosen org").toEqual([null, "64b0f1a2c3d4e5f6a7b8c9d1"]);
    expect(wiz.orgId, "the choice is kept for the Organization step").toBe("64b0f1a2c3d4e5f6a7b8c9d1");
    expect(screen.queryByRole("radio", { name: /Contoso Ltd/ }), "the picker goes away once an org is chosen").not.toBeInTheDocument();
  });

  it("shows a backend error's message and next step", async () => {
    const backend = new SteppedBackend();
    setBackend(backend);
    renderWizard({ step: "test", key: HEALTHY_KEY });
    await act(() => backend.fail({ kind: "network", message: "This computer is offline.", fix: "Connect to the internet and click Retry." }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("This computer is offline.");
    expect(alert, "every error has a next step").toHaveTextContent("Connect to the internet and click Retry.");
  });

  it("keeps the result when coming back with the same inputs", async () => {
    const fake = useFake();
    const user = userEvent.setup();
    renderWizard({ step: "test", key: HEALTHY_KEY });
    await screen.findByText(/Connected to Acme Corp/);
    await user.click(screen.getByRole("button", { name: "Back" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    expect(await screen.findByText(/Connected to Acme Corp/)).toBeInTheDocument();
    expect(fake.calls.filter((c) => c.method === "runChecks"), "no second run for unchanged inputs").toHaveLength(1);
  });
});
