import { screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import type { DemoScenario } from "../lib/types";
import { demoOf, recorded, renderWizard, useRecorded } from "../test/helpers";

describe("Welcome step", () => {
  it("says what is collected, what never is, and how long it takes", () => {
    useRecorded();
    renderWizard({ step: "welcome" });
    expect(screen.getByText(/about/).textContent).toMatch(/5 minutes/);
    const never = screen.getByRole("region", { name: "Never collected" });
    for (const secret of ["Passwords", "RADIUS shared secrets", "Disk-encryption recovery keys"]) {
      expect(within(never).getByText(secret), `${secret} must be listed as never collected`).toBeInTheDocument();
    }
    const collected = screen.getByRole("region", { name: "What is collected" });
    expect(within(collected).getByText(/SSO applications, their logos/)).toBeInTheDocument();
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
    expect(screen.getByText(/reaches three organizations/), "each scenario has its description").toBeInTheDocument();
    await user.click(screen.getByRole("radio", { name: /Command Runner key/ }));
    await user.click(screen.getByRole("button", { name: "Start the demo" }));
    expect(await screen.findByRole("heading", { level: 1, name: "Create a read-only administrator" })).toBeInTheDocument();
    expect(wiz.demo?.scenario).toBe("command-runner");
    expect(wiz.key, "starting the demo fills in the key").toBe(demoOf("command-runner").api_key);
    expect(wiz.orgId, "and nothing else").toBe("");
  });
});
