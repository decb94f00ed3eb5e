import { screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { DemoScenario, Reference } from "../lib/types";
import { demoOf, recorded, renderWizard, useRecorded } from "../test/helpers";

describe("Welcome step", () => {
  it("says what is collected, what never is, and how long it takes", async () => {
    useRecorded();
    renderWizard({ step: "welcome" });
    expect(screen.getByText(/about/).textContent).toMatch(/5 minutes/);
    const reference = recorded<Reference>("inputs", "callReference");
    const never = screen.getByRole("region", { name: "Never collected" });
    expect(within(never).getByText("Passwords")).toBeInTheDocument();
    for (const secret of reference.never_collected) {
      expect(await within(never).findByText(secret.secret), `${secret.secret} must be listed as never collected`).toBeInTheDocument();
    }
    const collected = screen.getByRole("region", { name: "What is collected" });
    const categories = [...new Set(reference.calls.map((c) => c.category_label))];
    await within(collected).findByText(reference.calls[0]!.purpose);
    const entries = [...collected.querySelectorAll<HTMLElement>("li[data-category]")].map((li) => li.dataset.category);
    expect(entries, "one entry per category, in the call table's order").toEqual(categories);
    for (const call of reference.calls) {
      const entry = collected.querySelector<HTMLElement>(`li[data-category="${call.category_label}"]`)!;
      expect(within(entry).getByText(call.purpose), `why ${call.path} is called`).toBeInTheDocument();
    }
    expect(collected.textContent, "no endpoint or permission id outside the technical details").not.toMatch(/\/api\/|\.readonly/);
  });

  it("lists every request with its permission from Rust's call table, undocumented ones said plainly", async () => {
    useRecorded();
    const user = userEvent.setup();
    renderWizard({ step: "welcome" });
    const reference = recorded<Reference>("inputs", "callReference");
    const details = (await screen.findByText(/Technical details: every request/)).closest("details")!;
    expect(details.open, "the technical list starts collapsed").toBe(false);
    await user.click(within(details).getByText(/Technical details: every request/));
    const rows = details.querySelectorAll<HTMLTableRowElement>("tbody tr");
    expect(rows, "one row per call").toHaveLength(reference.calls.length);
    reference.calls.forEach((call, i) => {
      const row = rows[i]!;
      expect(row.cells[0]!.textContent).toBe(`${call.method} ${call.path}`);
      expect(row.cells[1]!.textContent).toBe(call.purpose);
      if (call.scope) expect(row.cells[2]!.textContent?.trim(), `${call.path} needs ${call.scope}`).toBe(call.scope);
      else expect(row.cells[2]!.textContent, `${call.path} is not in the spec: no permission is guessed`).toMatch(/^\s*Not documented by JumpCloud/);
    });
    expect(reference.calls.some((c) => c.scope === null), "the recording has undocumented routes (the admin list)").toBe(true);
    for (const scope of reference.minimal) expect(within(details).getAllByText(scope).length).toBeGreaterThan(0);
  });

  it("offers Start and the demo, and the demo shows Rust's scenarios with descriptions", async () => {
    useRecorded("command-runner");
    const user = userEvent.setup();
    const { wiz } = renderWizard({ step: "welcome" });
    expect(screen.getByRole("button", { name: "Start" })).toBeEnabled();
    await user.click(screen.getByRole("button", { name: "Try with a demo organization" }));
    expect(await screen.findByRole("radio", { name: /Organization in the EU data center/ })).toBeInTheDocument();
    const offered = recorded<DemoScenario[]>("command-runner", "demoScenarios");
    expect(screen.getAllByRole("radio"), "every simulator scenario Rust offers").toHaveLength(offered.length);
    expect(screen.getByRole("radio", { name: /Healthy organization/ }), "healthy is the default scenario").toBeChecked();
    expect(screen.getByText(/manages three organizations/), "each scenario has its plain description").toBeInTheDocument();
    expect(screen.queryByText(/x-org-id header/), "protocol words wait behind technical details").not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Show technical details" }));
    expect(screen.getByText(/x-org-id header/), "one toggle shows every scenario's technical description").toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: /Command Runner key/ }));
    await user.click(screen.getByRole("button", { name: "Start the demo" }));
    expect(await screen.findByRole("heading", { level: 1, name: "How should the platform connect?" }), "the demo starts on the choice of how to connect").toBeInTheDocument();
    expect(screen.getByRole("radio", { name: /An administrator's API key/ }), "an API-key situation comes with the API key chosen").toBeChecked();
    expect(wiz.demo?.scenario).toBe("command-runner");
    expect(wiz.key, "starting the demo fills in the key").toBe(demoOf("command-runner").api_key);
    expect(wiz.orgId, "and nothing else").toBe("");
  });
});
