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

  it("asks Authomize's owner email and admin username, and keeps Save off while Rust says the email is not one", async () => {
    const backend = useRecorded("walk-authomize", "healthy");
    const user = userEvent.setup();
    const { wiz, saved } = renderWizard({
      step: "preview",
      demo: "healthy",
      keychain: { available: false, message: null },
      prepare: (w) => (w.platform = "authomize"),
    });
    await passTest(wiz);
    await user.click(await screen.findByRole("button", { name: "Next" }));
    const owner = await screen.findByLabelText("Authomize's “Application Owner's email”");
    await user.type(owner, "Grace Hopper");
    expect(await screen.findByText(/"Grace Hopper" is not an email address/)).toBeInTheDocument();
    await user.click(screen.getByLabelText("Use the key for this session only"));
    expect(screen.getByRole("button", { name: "Save connection" }), "Authomize would refuse it").toBeDisabled();
    expect(screen.getByText("Fix “Application Owner's email” to save.")).toBeInTheDocument();
    await user.clear(owner);
    await user.type(owner, "grace@example.com");
    await waitFor(() => expect(screen.queryByText(/is not an email address/)).toBeNull());
    await user.type(screen.getByLabelText("Authomize's “Username”"), "readonly-admin@example.com");
    await waitFor(() => expect(backend.calls.filter((c) => c.method === "wizardHandover").at(-1)?.args[0]).toMatchObject({ admin_username: "readonly-admin@example.com" }));
    await user.click(screen.getByRole("button", { name: "Save connection" }));
    await waitFor(() => expect(saved).toHaveLength(1));
    expect(saved[0]?.platform, "the platform is saved with the connection").toBe("authomize");
    expect(saved[0]?.owner_email).toBe("grace@example.com");
  });

  it("warns when Apono's manager field holds names, with examples from the organization", async () => {
    useRecorded("walk-apono-manager-names", "manager-names");
    const user = userEvent.setup();
    const { wiz } = renderWizard({ step: "preview", demo: "manager-names", prepare: (w) => (w.platform = "apono") });
    await passTest(wiz);
    await user.click(await screen.findByRole("button", { name: "Next" }));
    expect(await screen.findByText(/You paste it into Apono's “Custom Manager Field Name”/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Manager attribute/), "managerName");
    const warning = await screen.findByText(/neither an email address nor a JumpCloud user ID/);
    const notice = warning.closest(".notice")!;
    expect(notice.textContent, "examples of what the attribute holds").toMatch(/For example: “.+”/);
    expect(screen.getByText(/Checked against the first \d+ users/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save connection" }), "a warning, not a refusal").toBeEnabled();
  });
});
