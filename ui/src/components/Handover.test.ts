import { act, render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import Handover from "./Handover.svelte";
import ConnectionDetail from "../ConnectionDetail.svelte";
import type { HandoverView, KeyCopied, SavedConnection } from "../lib/types";
import { CATALOGUE, demoOf, recorded, useRecorded } from "../test/helpers";

const WALK = "walk-authomize";
const SAVED = recorded<SavedConnection>(WALK, "saveConnection");
const VIEW = recorded<HandoverView>(WALK, "connectionHandover");

function clipboard() {
  const writeText = vi.fn((_text: string) => Promise.resolve());
  Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
  return writeText;
}

afterEach(() => {
  vi.useRealTimers();
});

describe("the hand-over screen", () => {
  it("lists Authomize's fields in its order with Rust's values, and never the key", async () => {
    useRecorded(WALK);
    render(Handover, { props: { id: SAVED.id } });
    await screen.findByRole("heading", { level: 1, name: "Hand over to Authomize" });
    const labels = [...document.querySelectorAll("li.field .label")].map((l) => l.textContent?.trim());
    expect(labels, "the platform's own labels, in its order").toEqual(VIEW.handover.fields.map((f) => f.label));
    expect(screen.getByText("grace@example.com")).toBeInTheDocument();
    expect(screen.getByText("readonly-admin@example.com")).toBeInTheDocument();
    expect(document.body.textContent, "the demo key is nowhere on the screen").not.toContain(demoOf("healthy").api_key);
    expect(VIEW.ticket_note, "nor in the ticket note").not.toContain(demoOf("healthy").api_key);
    expect(screen.getByText(/cleared after 60 seconds/), "the screen says the key does not stay on the clipboard").toBeInTheDocument();
    const unused = screen.getByRole("region", { name: "What Authomize will not use" });
    expect(within(unused).getByText(/LDAP applications are currently not supported/)).toBeInTheDocument();
  });

  it("copies a value and the ticket note in the webview, as Rust wrote them", async () => {
    useRecorded(WALK);
    const user = userEvent.setup();
    const writeText = clipboard();
    render(Handover, { props: { id: SAVED.id } });
    await user.click(await screen.findByRole("button", { name: "Copy Integration Name" }));
    expect(await screen.findByText("Copied")).toBeInTheDocument();
    expect(writeText).toHaveBeenLastCalledWith(SAVED.name);
    await user.click(screen.getByRole("button", { name: "Copy all but the key" }));
    expect(writeText, "the ticket note is Rust's").toHaveBeenLastCalledWith(VIEW.ticket_note);
  });

  it("asks Rust to copy the key and counts down to the clipboard being cleared", async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    const backend = useRecorded(WALK);
    const user = userEvent.setup({ advanceTimers: vi.advanceTimersByTime });
    const writeText = clipboard();
    render(Handover, { props: { id: SAVED.id } });
    await user.click(await screen.findByRole("button", { name: "Copy the key" }));
    const copied = recorded<KeyCopied>(WALK, "copyHandoverKey");
    expect(await screen.findByText(new RegExp(`cleared in ${copied.clears_after_seconds} seconds`))).toBeInTheDocument();
    expect(writeText, "the key never goes through the webview's clipboard").not.toHaveBeenCalled();
    expect(backend.calls.filter((c) => c.method === "copyHandoverKey").map((c) => c.args)).toEqual([[SAVED.id]]);
    await act(() => vi.advanceTimersByTime(59_000));
    expect(screen.getByText(/cleared in 1 seconds/), "a second before Rust clears it").toBeInTheDocument();
    await act(() => vi.advanceTimersByTime(1_000));
    expect(screen.queryByText(/cleared in/), "the countdown ends when Rust clears the clipboard").toBeNull();
  });

  it("says the platform still holds the revoked key after re-keying", async () => {
    useRecorded(WALK);
    render(Handover, { props: { id: SAVED.id, newKey: true } });
    expect(await screen.findByText(/paste the new key into Authomize/)).toBeInTheDocument();
  });
});

describe("the hand-over from a saved connection", () => {
  it("opens from the connection's details, and replacing the key ends on it", async () => {
    useRecorded(WALK, "healthy");
    const user = userEvent.setup();
    render(ConnectionDetail, { props: { connection: SAVED, catalogue: CATALOGUE, onchanged: () => {}, ondeleted: () => {} } });
    await user.click(await screen.findByRole("button", { name: "Hand over to Authomize" }));
    expect(screen.getByText("Platform").nextElementSibling, "the details name the saved platform").toHaveTextContent("Authomize");
    expect(await screen.findByRole("heading", { level: 3, name: "Hand over to Authomize" })).toBeInTheDocument();
    expect(screen.queryByText(/paste the new key into Authomize/), "no revoked key to speak of yet").toBeNull();

    await user.click(screen.getByRole("button", { name: "Replace key" }));
    await user.click(screen.getByLabelText("New API key"));
    await user.paste(demoOf("healthy").api_key);
    const saveKey = await screen.findByRole("button", { name: "Save the new key" });
    await waitFor(() => expect(saveKey, "the key's shape is checked first").toBeEnabled());
    await user.click(saveKey);
    expect(
      await screen.findByText(/paste the new key into Authomize/),
      "re-keying ends on the hand-over, which says the platform still holds the revoked key",
    ).toBeInTheDocument();
  });
});
