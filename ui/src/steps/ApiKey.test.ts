import { screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { demoOf, renderWizard, useRecorded } from "../test/helpers";

const next = () => screen.getByRole("button", { name: "Next" });

describe("API key step", () => {
  it("starts empty, with Next off and a reason in words", async () => {
    useRecorded();
    renderWizard({ step: "api_key" });
    expect(screen.getByRole("heading", { level: 1, name: /API key/ })).toBeInTheDocument();
    expect(next(), "an empty key cannot go on").toBeDisabled();
    expect(screen.getByText("Paste the API key to go on."), "a disabled Next must say why").toBeInTheDocument();
  });

  it("shows the Rust side's feedback for a partial key and keeps Next off", async () => {
    const backend = useRecorded();
    const user = userEvent.setup();
    renderWizard({ step: "api_key" });
    const field = screen.getByLabelText("API key");
    expect(field, "the key is masked by default").toHaveAttribute("type", "password");
    await user.type(field, "jca_abc123");
    expect(await screen.findByText("The key is 10 characters long but JumpCloud keys are 40: part of it is missing."), "shape feedback comes from keyShape()").toBeInTheDocument();
    expect(field, "the field is marked invalid for assistive tech").toHaveAttribute("aria-invalid", "true");
    expect(next()).toBeDisabled();
    const asked = backend.calls.filter((c) => c.method === "keyShape");
    expect(asked.length, "typing is debounced: far fewer calls than keystrokes").toBeLessThan(10);
    expect(asked.at(-1)?.args[0], "the last call checks what is typed now").toBe("jca_abc123");
  });

  it("enables Next once a pasted key (spaces around it included) has the right shape", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    renderWizard({ step: "api_key" });
    await user.click(screen.getByLabelText("API key"));
    await user.paste(`  ${demoOf("healthy").api_key} `);
    expect(await screen.findByText("The key has the right shape: an administrator's API key."), "Rust trims what surrounds a pasted key").toBeInTheDocument();
    expect(next(), "a well-shaped key lets the user go on").toBeEnabled();
  });

  it("reveals the key with a pressed toggle", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    renderWizard({ step: "api_key", demo: "healthy" });
    const toggle = screen.getByRole("button", { name: "Show" });
    expect(toggle).toHaveAttribute("aria-pressed", "false");
    await user.click(toggle);
    expect(toggle, "the toggle state is exposed to screen readers").toHaveAttribute("aria-pressed", "true");
    expect(screen.getByLabelText("API key")).toHaveAttribute("type", "text");
  });

  it("warns that generating a new key revokes the old one", () => {
    useRecorded();
    renderWizard({ step: "api_key" });
    expect(screen.getByText(/stops the\s+old key from working/)).toBeInTheDocument();
  });

  it("says the demo key is filled in only while it is", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    renderWizard({ step: "api_key", demo: "healthy" });
    const notice = "Demo: the demo organization's key is already filled in.";
    expect(screen.getByText(notice)).toBeInTheDocument();
    await user.clear(screen.getByLabelText("API key"));
    expect(screen.queryByText(notice), "an emptied field no longer holds the demo key").not.toBeInTheDocument();
    await user.type(screen.getByLabelText("API key"), "jca_other");
    expect(screen.queryByText(notice), "nor does a replaced one").not.toBeInTheDocument();
  });
});
