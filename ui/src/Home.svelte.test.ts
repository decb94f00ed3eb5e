import { act, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import Home from "./Home.svelte";
import { getBackend } from "./lib/backend";
import type { CheckEvent, ConnectionList, Report } from "./lib/types";
import { CATALOGUE, demoOf, recorded, useRecorded } from "./test/helpers";

/** The list after the healthy recording saved its connection, and after it renamed it. */
const SAVED = recorded<ConnectionList>("healthy", "listConnections", 1);
const RENAMED = recorded<ConnectionList>("healthy", "listConnections", 2);

function renderHome(list: ConnectionList, extra: { highlightId?: string | null } = {}) {
  let connects = 0;
  let demos = 0;
  const props = $state({
    list,
    catalogue: CATALOGUE,
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

/** The recorded answers, with the saved connections the app holds now. */
function withConnections(list: ConnectionList) {
  const backend = useRecorded("healthy");
  const held = { list };
  backend.listConnections = async () => structuredClone(held.list);
  return { backend, held };
}

describe("Home", () => {
  it("invites to connect or try the demo when there are no connections", async () => {
    useRecorded();
    const user = userEvent.setup();
    const home = renderHome({ connections: [], store_problem: null, words: [] });
    expect(screen.getByRole("heading", { name: "No connections yet" })).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Connect JumpCloud" }));
    await user.click(screen.getByRole("button", { name: "Try with a demo organization" }));
    expect([home.connects(), home.demos()], "each invitation does what it says").toEqual([1, 1]);
  });

  it("says plainly when the store file could not be read, and that it was kept", () => {
    useRecorded();
    renderHome({ connections: [], store_problem: "The saved connections file was damaged, so it was set aside.", words: [] });
    const alert = screen.getByRole("alert");
    expect(alert).toHaveTextContent("The saved connections file was damaged");
    expect(alert, "the user learns nothing was lost").toHaveTextContent("set aside and kept");
  });

  it("lists a saved connection with its org, region, last test and Demo / session-only tags", () => {
    useRecorded();
    renderHome(SAVED);
    const saved = SAVED.connections[0]!;
    const item = within(screen.getByRole("list", { name: "Saved connections" })).getByRole("button", { name: new RegExp(saved.name) });
    expect(item).toHaveTextContent(saved.org!.name);
    expect(item).toHaveTextContent("US");
    expect(item).toHaveTextContent("Last test passed");
    expect(within(item).getByText("Demo")).toBeInTheDocument();
    expect(within(item).getByText("Session only")).toBeInTheDocument();
  });

  it("re-tests a connection with Rust's live checks", async () => {
    withConnections(SAVED);
    const user = userEvent.setup();
    renderHome(SAVED);
    const saved = SAVED.connections[0]!;
    await user.click(screen.getByRole("button", { name: new RegExp(saved.name) }));
    const detail = screen.getByRole("region", { name: saved.name });
    expect(detail).toHaveTextContent("Last test");
    await user.click(within(detail).getByRole("button", { name: "Test again" }));
    const report = recorded<Report>("healthy", "retestConnection");
    expect(await within(detail).findByText(`Connected to ${report.org!.name} in the US data center.`)).toBeInTheDocument();
  });

  it("shows a re-test as running while events stream", async () => {
    const { backend } = withConnections(SAVED);
    const user = userEvent.setup();
    let emit: (e: CheckEvent) => void = () => {};
    backend.retestConnection = (_id, onEvent) => {
      emit = onEvent;
      return new Promise(() => {});
    };
    renderHome(SAVED);
    await user.click(screen.getByRole("button", { name: new RegExp(SAVED.connections[0]!.name) }));
    await user.click(screen.getByRole("button", { name: "Test again" }));
    expect(screen.getByRole("button", { name: "Testing…" }), "no second test while one runs; the button keeps focus").toHaveAttribute("aria-disabled", "true");
    const reach = CATALOGUE.find((c) => c.id === "network.reach")!;
    await act(() => emit({ event: "started", id: reach.id, title: reach.title, state_label: "Checking…" }));
    expect(screen.getByText(new RegExp(`Now: ${reach.title}`)), "progress names the running check").toBeInTheDocument();
    expect(document.querySelector('[data-check="network.reach"]')).toHaveTextContent("Checking…");
  });

  it("asks before deleting, and says the key is forgotten", async () => {
    const { backend, held } = withConnections(SAVED);
    const user = userEvent.setup();
    renderHome(SAVED);
    const name = SAVED.connections[0]!.name;
    await user.click(screen.getByRole("button", { name: new RegExp(name) }));
    await user.click(screen.getByRole("button", { name: "Delete" }));
    const confirm = screen.getByRole("group", { name: `Delete “${name}”?` });
    expect(confirm, "a session-only key is only forgotten").toHaveTextContent("kept for this session and is forgotten now");
    expect(backend.calls.some((c) => c.method === "deleteConnection"), "nothing is deleted before confirming").toBe(false);
    held.list = { connections: [], store_problem: null, words: [] };
    await user.click(within(confirm).getByRole("button", { name: "Delete connection" }));
    expect(await screen.findByText(`Deleted “${name}”.`)).toBeInTheDocument();
    await waitFor(() => expect(screen.queryByRole("button", { name: new RegExp(name) })).toBeNull());
  });

  it("renames a connection", async () => {
    const { held } = withConnections(SAVED);
    const user = userEvent.setup();
    renderHome(SAVED);
    await user.click(screen.getByRole("button", { name: new RegExp(SAVED.connections[0]!.name) }));
    await user.click(screen.getByRole("button", { name: "Rename" }));
    const input = screen.getByLabelText("New name");
    await user.clear(input);
    expect(screen.getByRole("button", { name: "Save name" }), "an empty name cannot be saved").toBeDisabled();
    await user.type(input, "Production_JumpCloud");
    held.list = RENAMED;
    await user.click(screen.getByRole("button", { name: "Save name" }));
    expect(await screen.findByText("Renamed to “Production_JumpCloud”.")).toBeInTheDocument();
    expect(await screen.findByRole("button", { name: /Production_JumpCloud/ })).toBeInTheDocument();
  });

  it("replaces a key only once Rust says its shape is right", async () => {
    const { backend } = withConnections(SAVED);
    const user = userEvent.setup();
    renderHome(SAVED);
    const saved = SAVED.connections[0]!;
    await user.click(screen.getByRole("button", { name: new RegExp(saved.name) }));
    await user.click(screen.getByRole("button", { name: "Replace key" }));
    const field = screen.getByLabelText("New API key");
    expect(field, "the new key is masked").toHaveAttribute("type", "password");
    await user.type(field, "jca_short");
    expect(await screen.findByText(/part of it is missing/)).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Save the new key" })).toBeDisabled();
    await user.clear(field);
    await user.click(field);
    const key = demoOf("healthy").api_key;
    await user.paste(key);
    await screen.findByText("The key has the right shape: an administrator's API key.");
    await user.click(screen.getByRole("button", { name: "Save the new key" }));
    expect(await screen.findByText(/Key replaced/)).toBeInTheDocument();
    expect(backend.calls.find((c) => c.method === "replaceKey")?.args, "the one other time a key crosses to Rust").toEqual([saved.id, key]);
  });
});
