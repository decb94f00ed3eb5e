import { screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWizard, useRecorded } from "../test/helpers";

describe("Create a read-only administrator step", () => {
  it("lists the console steps as optional checkboxes that never block Next", async () => {
    useRecorded();
    const user = userEvent.setup();
    renderWizard({ step: "admin" });
    expect(screen.getByLabelText(/Administrator With Billing/)).not.toBeChecked();
    expect(screen.getByLabelText(/set Role to Read Only/)).toBeInTheDocument();
    expect(screen.getByLabelText(/turn on API access/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" }), "the checklist is a helper, not a gate").toBeEnabled();
    await user.click(screen.getByLabelText(/Administrator With Billing/));
    expect(screen.getByLabelText(/Administrator With Billing/)).toBeChecked();
  });

  it("opens the US console for Automatic and the chosen region's otherwise", async () => {
    const backend = useRecorded();
    // Opening the browser is not recorded (the recorder cannot open one): it answers nothing.
    backend.openConsole = async (...args) => {
      backend.calls.push({ method: "openConsole", args });
      return null;
    };
    const user = userEvent.setup();
    renderWizard({ step: "admin" });
    expect(screen.getByText(/EU or India, use console.eu.jumpcloud.com/), "automatic says EU/India users use their own console").toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Open the JumpCloud console" }));
    await user.click(screen.getByRole("radio", { name: "EU" }));
    await user.click(screen.getByRole("button", { name: "Open the JumpCloud console" }));
    const opened = backend.calls.filter((c) => c.method === "openConsole").map((c) => c.args);
    expect(opened).toEqual([
      [null, "administrators"],
      ["eu", "administrators"],
    ]);
  });
});
