import { render, screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { beforeEach, describe, expect, it } from "vitest";
import { setBackend } from "../lib/backend";
import { FakeBackend } from "../lib/backend.fake";
import NetworkSettings from "./NetworkSettings.svelte";

const PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

describe("NetworkSettings", () => {
  let backend: FakeBackend;
  beforeEach(() => {
    backend = new FakeBackend();
    setBackend(backend);
  });

  async function open() {
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

  it("refuses text that is not a certificate, with a fix", async () => {
    const user = await open();
    await user.type(screen.getByLabelText(/CA certificate/), "hello");
    await user.click(screen.getByRole("button", { name: "Trust this certificate" }));
    expect(await screen.findByText(/could not be used/), "the problem is named").toBeInTheDocument();
    expect(screen.getByText(/PEM format/), "the fix says what a certificate looks like").toBeInTheDocument();
  });

  it("trusts a certificate and can remove it again", async () => {
    const user = await open();
    await user.click(screen.getByLabelText(/CA certificate/));
    await user.paste(PEM);
    await user.click(screen.getByRole("button", { name: "Trust this certificate" }));
    expect(await screen.findByText("The certificate is trusted from now on.")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Remove it" }));
    expect(await screen.findByText("The extra certificate was removed."), "removal is confirmed").toBeInTheDocument();
  });
});
