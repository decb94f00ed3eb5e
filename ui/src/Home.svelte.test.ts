import { act, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import Home from "./Home.svelte";
import { getBackend } from "./lib/backend";
import { FAKE_CATALOGUE, FAKE_DEMO_KEYS, sampleConnections } from "./lib/backend.fake";
import type { CheckEvent, ConnectionList } from "./lib/types";
import { useFake } from "./test/helpers";

function renderHome(list: ConnectionList, extra: { highlightId?: string | null } = {}) {
  let connects = 0;
  let demos = 0;
  const props = $state({
    list,
    catalogue: FAKE_CATALOGUE,
    version: "1.2.3",
    highlightId: extra.highlightId ?? null,
    onconnect: () => void connects++,
    ondemo: () => void demos++,
    onchanged: async () => {
      props.list = await getBackend().listConnections();
    },
  });
  render(Home, { props });
  return { props, connects: () => connects, demos: () => demos };
}

describe("Home", () => {
  it("invites to connect or try the demo when there are no connections", async () => {
    useFake();
    const user = userEvent.setup();
    const home = renderHome({ connections: [], store_problem: null });
    expect(screen.getByRole("heading", { name: "No connections yet" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Connect JumpCloud" }));
    await user.click(screen.getByRole("button", { name: "Try with a demo organization" }));
    expect([home.connects(), home.demos()], "each invitation does what it says").toEqual([1, 1]);
  });

  it("says plainly when the store file could not be read, and that it was kept", () => {
    useFake();
    renderHome({ connections: [], store_problem: "The connections file was damaged and renamed to connections.json.corrupt." });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("The connections file was damaged");
    expect(alert, "the user learns nothing was lost").toHaveTextContent("set aside and kept");
  });

  it("lists connections with region, org, last test and Demo / session-only tags", () => {
    useFake();
    renderHome({ connections: sampleConnections(), store_problem: null });
    const list = screen.getByRole("list", { name: "Saved connections" });
    const prod = within(list).getByRole("button", { name: /Production_JumpCloud/ });
    expect(prod).toHaveTextContent("Acme Corp");
    expect(prod).toHaveTextContent("US");
    expect(prod).toHaveTextContent(/Last test passed\s*2 hours ago/);
    const demo = within(list).getByRole("button", { name: /Connection 3/ });
    expect(within(demo).getByText("Demo")).toBeInTheDocument();
    expect(within(demo).getByText("Session only")).toBeInTheDocument();
    expect(demo).toHaveTextContent("Not tested yet");
  });

  it("re-tests a connection with live checks and refreshes its last test", async () => {
    const fake = useFake({ connections: sampleConnections() });
    const user = userEvent.setup();
    renderHome(await fake.listConnections());
    await user.click(screen.getByRole("button", { name: /EU subsidiary/ }));
    const detail = screen.getByRole("region", { name: "EU subsidiary" });
    expect(detail).toHaveTextContent("Last test");
    expect(detail).toHaveTextContent("Failed");
    await user.click(within(detail).getByRole("button", { name: "Test again" }));
    expect(await within(detail).findByText("Connected to Acme Europe GmbH in the EU data center.")).toBeInTheDocument();
    await waitFor(() =>
      expect(within(screen.getByRole("list", { name: "Saved connections" })).getByRole("button", { name: /EU subsidiary/ })).toHaveTextContent(
        "Last test passed",
      ),
    );
  });

  it("shows a re-test as running while events stream", async () => {
    const fake = useFake({ connections: sampleConnections() });
    const user = userEvent.setup();
    let emit: (e: CheckEvent) => void = () => {};
    fake.retestConnection = (_id, onEvent) => {
      emit = onEvent;
      return new Promise(() => {});
    };
    renderHome(await fake.listConnections());
    await user.click(screen.getByRole("button", { name: /Production_JumpCloud/ }));
    await user.click(screen.getByRole("button", { name: "Test again" }));
    expect(screen.getByRole("button", { name: "Testing…" }), "no second test while one runs").toBeDisabled();
    await act(() => emit({ event: "started", id: "network.reach", title: "JumpCloud can be reached" }));
    expect(screen.getByText(/Now: JumpCloud can be reached/), "progress names the running check").toBeInTheDocument();
    expect(document.querySelector('[data-check="network.reach"]')).toHaveTextContent("Checking…");
  });

  it("asks before deleting, and says the key leaves the keychain too", async () => {
    const fake = useFake({ connections: sampleConnections() });
    const user = userEvent.setup();
    renderHome(await fake.listConnections());
    await user.click(screen.getByRole("button", { name: /Production_JumpCloud/ }));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    const confirm = screen.getByRole("group", { name: "Delete “Production_JumpCloud”?" });
    expect(confirm).toHaveTextContent("removed from this computer's keychain too");
    expect(fake.calls.some((c) => c.method === "deleteConnection"), "nothing is deleted before confirming").toBe(false);
    await user.click(within(confirm).getByRole("button", { name: "Delete connection" }));
    expect(await screen.findByText("Deleted “Production_JumpCloud”.")).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("button", { name: /Production_JumpCloud/ })).toBeNull());
  });

  it("renames a connection", async () => {
    const fake = useFake({ connections: sampleConnections() });
    const user = userEvent.setup();
    renderHome(await fake.listConnections());
    await user.click(screen.getByRole("button", { name: /Production_JumpCloud/ }));
    await user.click(screen.getByRole("button", { name: "Rename" }));
    const input = screen.getByLabelText("New name");
    await user.clear(input);
    expect(screen.getByRole("button", { name: "Save name" }), "an empty name cannot be saved").toBeDisabled();
    await user.type(input, "Acme production");
    await user.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findByText("Renamed to “Acme production”.")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: /Acme production/ })).toBeInTheDocument();
  });

  it("replaces a key only once its shape is right", async () => {
    const fake = useFake({ connections: sampleConnections() });
    const user = userEvent.setup();
    renderHome(await fake.listConnections());
    await user.click(screen.getByRole("button", { name: /Production_JumpCloud/ }));
    await user.click(screen.getByRole("button", { name: "Replace key" }));
    const field = screen.getByLabelText("New API key");
    expect(field, "the new key is masked").toHaveAttribute("type", "password");
    await user.type(field, "jca_short");
    expect(await screen.findByText(/part of it is missing/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save the new key" })).toBeDisabled();
    await user.clear(field);
    await user.click(field);
    await user.paste(FAKE_DEMO_KEYS["healthy"]!);
    await screen.findByText(/right shape/);
    await user.click(screen.getByRole("button", { name: "Save the new key" }));
    expect(await screen.findByText(/Key replaced/)).toBeInTheDocument();
    expect(fake.calls.find((c) => c.method === "replaceKey")?.args).toEqual(["sample-1", FAKE_DEMO_KEYS["healthy"]]);
  });
});
