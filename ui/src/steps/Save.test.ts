import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { getBackend } from "../lib/backend";
import type { SaveRequest } from "../lib/types";
import type { WizardState } from "../lib/wizard.svelte";
import { recorded, renderWizard, useRecorded } from "../test/helpers";

async function passTest(wiz: WizardState): Promise<void> {
  const request = wiz.request;
  await wiz.checks.run((onEvent) => getBackend().runChecks(request, onEvent), wiz.signature);
}

describe("Save step", () => {
  it("proposes the name Rust offers and explains the manager attribute", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    // Arrive from Preview, as a user does, so the proposed name is filled in.
    const { wiz } = renderWizard({ step: "preview", demo: "healthy" });
    await passTest(wiz);
    await user.click(await screen.findByRole("button", { name: "Next" }));
    expect(await screen.findByLabelText("Connection name"), "the name comes from proposed_name").toHaveValue(recorded<string>("healthy", "proposedName"));
    expect(screen.getByText(/manager's email address or JumpCloud user ID/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Use the key for this session only"), "no session-only choice when the keychain works").toBeNull();
  });

  it("offers session-only use when the keychain is unavailable, and saves the name and choices only", async () => {
    const backend = useRecorded("healthy");
    const user = userEvent.setup();
    const name = recorded<string>("healthy", "proposedName");
    const { wiz, saved } = renderWizard({
      step: "save",
      demo: "healthy",
      keychain: { available: false, message: "No Secret Service is running." },
      prepare: (w) => (w.name = name),
    });
    await passTest(wiz);
    expect(screen.getByText("No Secret Service is running."), "the keychain problem is said plainly").toBeInTheDocument();
    const save = screen.getByRole("button", { name: "Save connection" });
    expect(save, "nothing is saved until the user accepts session-only use").toBeDisabled();
    expect(screen.queryByText(/plain text|in a file instead/i), "never offers to store the key elsewhere").toBeNull();
    await user.click(screen.getByLabelText("Use the key for this session only"));
    await user.click(save);
    await waitFor(() => expect(saved).toHaveLength(1));
    const request = backend.calls.find((c) => c.method === "saveConnection")?.args[0] as SaveRequest;
    expect(request, "the save sends no key and no report: Rust kept the tested ones").toEqual({
      name,
      manager_attribute: null,
      session_only: true,
      platform: "other",
      admin_username: null,
      owner_email: null,
    });
    expect(saved[0]?.session_only).toBe(true);
  });

  it("blocks an empty name and shows a save error with its fix", async () => {
    const backend = useRecorded("healthy");
    const user = userEvent.setup();
    const { wiz } = renderWizard({
      step: "save",
      demo: "healthy",
      keychain: { available: false, message: null },
      prepare: (w) => (w.name = ""),
    });
    await passTest(wiz);
    await user.click(screen.getByLabelText("Use the key for this session only"));
    expect(screen.getByRole("button", { name: "Save connection" })).toBeDisabled();
    expect(screen.getByText("Name the connection to save it.")).toBeInTheDocument();
    // The recording saved "Connection 1", then tried "connection 1": Rust refused it.
    await user.type(screen.getByLabelText("Connection name"), "connection 1");
    await user.click(screen.getByRole("button", { name: "Save connection" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent('There is already a connection called "connection 1".');
    expect(alert).toHaveTextContent("Choose another name.");
    expect(backend.calls.filter((c) => c.method === "saveConnection")).toHaveLength(1);
  });
});
