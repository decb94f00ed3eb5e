import { screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { PLATFORMS, renderWizard, useRecorded } from "../test/helpers";

describe("Platform step", () => {
  it("lists the five platforms and Another platform in Rust's words, and Next waits for a choice", async () => {
    useRecorded();
    const user = userEvent.setup();
    const { wiz } = renderWizard({ step: "platform", prepare: (w) => ((w.platform = null), (w.platforms = null), (w.connectKind = "service_account")) });
    await screen.findByRole("heading", { level: 1, name: "Which platform are you connecting to?" });
    const radios = await screen.findAllByRole("radio");
    expect(
      radios.map((r) => r.closest("label")?.textContent?.trim()),
      "the profiles' display names, never their ids",
    ).toEqual(["Axiom Security", "Authomize", "ControlMap", "Apono", "Scytale", "Another platform"]);
    const next = screen.getByRole("button", { name: "Next" });
    expect(next, "a platform has to be chosen first").toBeDisabled();
    await user.click(screen.getByRole("radio", { name: "Authomize" }));
    expect(wiz.platform).toBe("authomize");
    const asks = screen.getByRole("region", { name: "What Authomize will ask for" });
    const authomize = PLATFORMS.find((p) => p.id === "authomize")!;
    for (const field of authomize.fields) expect(within(asks).getByText(field.label)).toBeInTheDocument();
    expect(next).toBeEnabled();
    await user.click(next);
    await screen.findByRole("heading", { level: 1, name: "How should the platform connect?" });
    const advice = screen.getByRole("region", { name: "Which key Authomize takes" });
    for (const c of authomize.credentials) expect(within(advice).getByText(c.message)).toBeInTheDocument();
    expect(
      screen.getByRole("radio", { name: /An administrator's API key/ }),
      "Authomize has no field for a client ID and secret, so its API key is chosen to start with",
    ).toBeChecked();
    expect(screen.queryByText("Recommended"), "a service account with a client secret is not recommended for it").toBeNull();
    await user.click(screen.getByRole("button", { name: "Next" }));
    await screen.findByRole("heading", { level: 1, name: "Create a read-only administrator" });
  });

  it("keeps the choice when going back", async () => {
    useRecorded();
    const user = userEvent.setup();
    renderWizard({ step: "connect_how", prepare: (w) => (w.platform = "scytale") });
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByRole("radio", { name: "Scytale" })).toBeChecked();
  });
});
