import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { tape } from "../fixtures";
import NetworkSettings from "./NetworkSettings.svelte";
import { useRecorded } from "../test/helpers";

/** The certificates the recording gave Rust: one that is not one, and a real CA certificate. */
const GIVEN = tape("inputs").calls.filter((c) => c.command === "setExtraCa" && c.args[0] !== null);
const [GARBAGE, PEM] = GIVEN.map((c) => c.args[0] as string);
const REFUSAL = GIVEN[0]!.error!;

describe("NetworkSettings", () => {
  async function open() {
    useRecorded();
    const user = userEvent.setup();
    render(NetworkSettings);
    await user.click(screen.getByText(/Network settings/));
    await screen.findByText(/Proxy in use/);
    return user;
  }

  it("starts empty and cannot save nothing", async () => {
    await open();
    expect(screen.getByRole("button", { name: "Trust this certificate" }), "an empty field has nothing to trust").toBeDisabled();
    expect(screen.queryByRole("button", { name: "Remove it" }), "nothing to remove yet").toBeNull();
  });

  it("refuses text that is not a certificate, with Rust's fix", async () => {
    const user = await open();
    await user.click(screen.getByLabelText(/CA certificate/));
    await user.paste(GARBAGE!);
    await user.click(screen.getByRole("button", { name: "Trust this certificate" }));
    expect(await screen.findByText(REFUSAL.message, { exact: false }), "the problem is named").toBeInTheDocument();
    expect(REFUSAL.fix, "the fix says what a certificate looks like").toMatch(/PEM/);
    expect(screen.getByText(REFUSAL.fix!, { exact: false })).toBeInTheDocument();
  });

  it("trusts a certificate and can remove it again", async () => {
    const user = await open();
    await user.click(screen.getByLabelText(/CA certificate/));
    await user.paste(PEM!);
    await user.click(screen.getByRole("button", { name: "Trust this certificate" }));
    expect(await screen.findByText("The certificate is trusted from now on.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remove it" }));
    expect(await screen.findByText("The extra certificate was removed."), "removal is confirmed").toBeInTheDocument();
  });
});
