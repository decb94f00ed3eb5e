import { screen, waitFor } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { getBackend } from "../lib/backend";
import type { SaveRequest } from "../lib/types";
import type { WizardState } from "../lib/wizard.svelte";
import { HEALTHY_KEY, renderWizard, useFake } from "../test/helpers";

async function passTest(wiz: WizardState): Promise<void> {
  const request = wiz.request;
  await wiz.checks.run((onEvent) => getBackend().runChecks(request, onEvent), wiz.signature);
}

describe("Save step", () => {
  it("proposes 'Connection N' and explains the manager attribute", async () => {
    useFake();
    const user = userEvent.setup();
    // Arrive from Preview, as a user does, so the default name is filled in.
    const { wiz } = renderWizard({ step: "preview", key: HEALTHY_KEY, existingCount: 2 });
    await passTest(wiz);
    await user.click(await screen.findByRole("button", { name: "Next" }));
    expect(screen.getByLabelText("Connection name"), "N is the existing count + 1").toHaveValue("Connection 3");
    expect(screen.getByText(/manager's email address or JumpCloud user ID/)).toBeInTheDocument();
    expect(screen.queryByLabelText("Use the key for this session only"), "no session-only choice when the keychain works").toBeNull();
  });

  it("offers session-only use when the keychain is unavailable, and saves with session_only", async () => {
    const fake = useFake({ keychainAvailable: false });
    const user = userEvent.setup();
    const { wiz, saved } = renderWizard({
      step: "save",
      key: HEALTHY_KEY,
      keychain: { available: false, message: "No Secret Service is running." },
      prepare: (w) => (w.name = "Production_JumpCloud"),
    });
    await passTest(wiz);
    expect(screen.getByText("No Secret Service is running."), "the keychain problem is said plainly").toBeInTheDocument();
    const save = screen.getByRole("button", { name: "Save connection" });
    expect(save, "nothing is saved until the user accepts session-only use").toBeDisabled();
    expect(screen.queryByText(/plain text|in a file instead/i), "never offers to store the key elsewhere").toBeNull();
    await user.click(screen.getByLabelText("Use the key for this session only"));
    await user.click(save);
    await waitFor(() => expect(saved).toHaveLength(1));
    const request = fake.calls.find((c) => c.method === "saveConnection")?.args[0] as SaveRequest;
    expect(request.session_only).toBe(true);
    expect(request.name).toBe("Production_JumpCloud");
    expect(request.report.ok, "the passing report goes with the save").toBe(true);
  });

  it("blocks an empty name and shows a save error with its fix", async () => {
    useFake({ connections: [] });
    const user = userEvent.setup();
    const { wiz } = renderWizard({ step: "save", key: HEALTHY_KEY, prepare: (w) => (w.name = "") });
    await passTest(wiz);
    expect(screen.getByRole("button", { name: "Save connection" })).toBeDisabled();
    expect(screen.getByText("Name the connection to save it.")).toBeInTheDocument();
    await user.type(screen.getByLabelText("Connection name"), "Prod");
    // A first save takes the name; a second with the same name is refused by the backend.
    await getBackend().saveConnection({ name: "Prod", key: HEALTHY_KEY, manager_attribute: null, demo: false, session_only: false, report: wiz.checks.report! });
    await user.click(screen.getByRole("button", { name: "Save connection" }));
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent('There is already a connection called "Prod".');
    expect(alert).toHaveTextContent("Choose another name.");
  });
});
