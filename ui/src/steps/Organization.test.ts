import { screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { renderWizard, useRecorded } from "../test/helpers";

describe("Organization step", () => {
  it("lets an empty org ID through: it is optional", () => {
    useRecorded("healthy");
    renderWizard({ step: "organization", demo: "healthy" });
    expect(screen.getByRole("button", { name: "Next" }), "single-organization keys need no ID").toBeEnabled();
    expect(screen.getByText(/Organization Profile/), "it says where to find the ID").toBeInTheDocument();
  });

  it("shows feedback for a malformed ID and blocks Next until it is fixed or emptied", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    renderWizard({ step: "organization", demo: "healthy" });
    const field = screen.getByLabelText("Organization ID");
    await user.type(field, "12345");
    expect(await screen.findByText("The organization ID is 5 characters long; JumpCloud organization IDs are 24.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeDisabled();
    await user.clear(field);
    expect(screen.getByRole("button", { name: "Next" }), "emptying the field makes it optional again").toBeEnabled();
    await user.click(field);
    await user.paste("5d2f7024f0e1526be4df38e7");
    expect(await screen.findByText(/has the right shape/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" })).toBeEnabled();
  });
});
