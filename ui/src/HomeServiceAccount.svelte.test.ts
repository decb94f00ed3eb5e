import { render, screen, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import Home from "./Home.svelte";
import { getBackend } from "./lib/backend";
import type { ConnectionList, Report } from "./lib/types";
import { CATALOGUE, demoOf, recorded, useRecorded } from "./test/helpers";

/** The lists after the expiring-secret recording saved its service account, and after it renamed it. */
const SAVED = recorded<ConnectionList>("service-account-expiring", "listConnections", 1);
const RENAMED = recorded<ConnectionList>("service-account-expiring", "listConnections", 2);

function renderHome(list: ConnectionList) {
  const props = $state({
    list,
    catalogue: CATALOGUE,
    version: "1.2.3",
    highlightId: null,
    onconnect: () => undefined,
    ondemo: () => undefined,
    onchanged: async () => {
      props.list = await getBackend().listConnections();
    },
  });
  render(Home, { props });
}

describe("Home with a service account", () => {
  it("lists its kind and its secret's expiry in Rust's words, marked when it is soon", () => {
    useRecorded("service-account-expiring");
    renderHome(SAVED);
    const words = SAVED.words[0]!;
    expect(words.expiry, "the recording knows the expiry").not.toBeNull();
    const item = within(screen.getByRole("list", { name: "Saved connections" })).getByRole("button", { name: new RegExp(SAVED.connections[0]!.name) });
    expect(item).toHaveTextContent("Service account");
    const expiry = within(item).getByText(`Secret ${words.expiry}`);
    expect(expiry, "an expiry within two weeks stands out").toHaveClass("soon");
    expect(item.textContent, "no ISO timestamp reaches the screen").not.toMatch(/\d{4}-\d{2}-\d{2}T/);
  });

  it("rotates the secret: console steps, paste, save, test, then the reminder to delete the old one", async () => {
    const backend = useRecorded("service-account-expiring");
    const held = { list: SAVED };
    backend.listConnections = async () => structuredClone(held.list);
    const user = userEvent.setup();
    renderHome(SAVED);
    const saved = SAVED.connections[0]!;
    await user.click(screen.getByRole("button", { name: new RegExp(saved.name) }));
    const detail = screen.getByRole("region", { name: saved.name });
    expect(detail).toHaveTextContent("Connects with Service account");
    expect(detail).toHaveTextContent(SAVED.words[0]!.expiry!);
    expect(within(detail).queryByRole("button", { name: "Replace key" }), "a service account rotates its secret instead").toBeNull();
    await user.click(within(detail).getByRole("button", { name: "Rotate secret" }));
    expect(detail).toHaveTextContent("A service account can have two at a time");
    const save = within(detail).getByRole("button", { name: "Save the new secret" });
    expect(save, "nothing to save before a secret is pasted").toBeDisabled();
    await user.click(within(detail).getByLabelText("Client secret"));
    await user.paste(demoOf("service-account-expiring").client_secret!);
    expect(await within(detail).findByText(/The client ID and secret have the right shape/)).toBeInTheDocument();
    held.list = RENAMED;
    await user.click(save);
    expect(await screen.findByText("New secret saved. Test the connection to check that it works.")).toBeInTheDocument();
    const replaced = backend.calls.find((c) => c.method === "replaceKey")?.args;
    expect(replaced, "the new secret goes through replace_key for this connection").toEqual([saved.id, demoOf("service-account-expiring").client_secret]);
    expect(screen.getByTestId("delete-old-secret")).toHaveTextContent("When the test passes with the new secret, delete the old one");
    await user.click(within(screen.getByRole("region", { name: /Production_JumpCloud|Connection 1/ })).getByRole("button", { name: "Test again" }));
    const report = recorded<Report>("service-account-expiring", "retestConnection");
    expect(await screen.findByText(new RegExp(`Connected to ${report.org!.name}`))).toBeInTheDocument();
    expect(screen.getByTestId("delete-old-secret"), "after a passing test, the reminder says to delete the old secret now").toHaveTextContent("The new secret works. Now delete the old secret");
  });
});
