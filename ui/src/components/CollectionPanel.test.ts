import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { TAPES, tape } from "../fixtures";
import type { ReplayBackend } from "../lib/replay";
import type { CollectProgress, CollectionView, RecordDetail, RowPage } from "../lib/types";
import { recorded, useRecorded } from "../test/helpers";
import CollectionPanel from "./CollectionPanel.svelte";

/** A page of the healthy demo org's collection, as recorded. */
const page = (category: string, sort: { column: string; descending: boolean } | null = null): RowPage => {
  const call = tape("healthy").calls.find(
    (c) => c.command === "collectionRows" && c.args[0] === category && JSON.stringify(c.args[4]) === JSON.stringify(sort),
  );
  if (!call) throw new Error(`no recorded page of ${category}`);
  return call.ok as RowPage;
};
const USERS = page("users");

async function collected(): Promise<ReplayBackend> {
  const backend = useRecorded("healthy");
  render(CollectionPanel, { props: {} });
  await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
  await screen.findByTestId("collection-summary");
  await fireEvent.click(screen.getByRole("tab", { name: /^Users/ }));
  return backend;
}

function table(name = "Users"): HTMLElement {
  return screen.getByRole("grid", { name });
}

function firstCells(): string[] {
  return within(table())
    .getAllByRole("row")
    .slice(1)
    .map((r) => within(r).getAllByRole("gridcell")[0]!.textContent ?? "");
}

/** What a value looks like when it reaches a person as the API sent it. */
const RAW: [RegExp, string][] = [
  [/\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/, "an ISO timestamp"],
  [/^\s*[{[]/, "a JSON value"],
  [/\b(STAGED|ACTIVATED|SUSPENDED|STATIC|DISABLED|ENABLED|ENROLLED)\b|\b[A-Z]+_[A-Z_]+\b/, "an all-caps enum"],
  [/\b[a-z]+_[a-z_]+\b/, "a snake_case name"],
  [/https?:\/\//, "an internal address"],
];
const rawIn = (text: string): string | null => RAW.find(([pattern]) => pattern.test(text))?.[1] ?? null;

describe("Words, not raw values", () => {
  it("the check itself catches each kind of raw value", () => {
    for (const raw of ["2019-10-08T23:20:47.903Z", '{"costCenter":"CC-108"}', "STAGED", "NOT_ENROLLED", "user_group_ids", "http://127.0.0.1:9/logos/a.png"]) {
      expect(rawIn(raw), `${raw} is recognised as raw`).not.toBeNull();
    }
    expect(rawIn("8 Oct 2019 (7 years ago)")).toBeNull();
  });

  it("no table cell, field label or detail value of any recorded collection is a raw API value", () => {
    let checked = 0;
    for (const [name, recording] of Object.entries(TAPES)) {
      for (const call of recording.calls) {
        const texts: string[] = [];
        if (call.command === "collectionRows" && call.ok) {
          const page = call.ok as RowPage;
          texts.push(...page.rows.flat(), ...page.columns.map((c) => c.label));
        }
        if (call.command === "collectionRecord" && call.ok) {
          const detail = call.ok as RecordDetail;
          texts.push(detail.label, ...detail.fields.flat(), ...detail.attributes.map(([, v]) => v));
        }
        for (const text of texts) {
          checked += 1;
          expect(rawIn(text), `${name}: “${text}” reaches the admin as ${rawIn(text)}`).toBeNull();
        }
      }
    }
    expect(checked, "the recordings hold rows and details to check").toBeGreaterThan(100);
  });

  it("renders the users table without a raw value in any cell", async () => {
    await collected();
    await waitFor(() => expect(within(table()).getAllByRole("row").length).toBeGreaterThan(1));
    for (const cell of within(table()).getAllByRole("gridcell")) {
      const text = cell.textContent ?? "";
      expect(rawIn(text), `the cell “${text}”`).toBeNull();
    }
  });
});

describe("Collecting everything", () => {
  it("starts idle, with one button", async () => {
    const backend = useRecorded("healthy");
    render(CollectionPanel, { props: {} });
    await waitFor(() => expect(backend.calls.some((c) => c.method === "currentCollection")).toBe(true));
    expect(screen.getByRole("button", { name: "Collect everything" })).toBeEnabled();
    expect(screen.queryByTestId("collection-summary")).not.toBeInTheDocument();
  });

  it("shows Rust's progress per category as N of M, and can be cancelled", async () => {
    const backend = useRecorded("healthy");
    const events = tape("healthy").calls.find((c) => c.command === "startCollection")!.events as CollectProgress[];
    let emit: (p: CollectProgress) => void = () => {};
    backend.startCollection = (_m, onProgress) => {
      emit = onProgress;
      return new Promise(() => {});
    };
    render(CollectionPanel, { props: {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
    const finished = events.find((e) => e.phase === "finished" && e.total !== null && e.collected > 0)!;
    for (const e of events.filter((e) => e.category === finished.category)) emit(e);
    const status = await screen.findByRole("status");
    await waitFor(() => expect(status).toHaveTextContent(`${finished.collected.toLocaleString()} of ${finished.total!.toLocaleString()}`));
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(backend.calls.some((c) => c.method === "cancelCollection")).toBe(true);
    expect(await screen.findByRole("button", { name: "Cancelling…" })).toHaveAttribute("aria-disabled", "true");
  });

  it("summarizes counts, a forbidden category with Rust's reason, time and findings", async () => {
    useRecorded("custom-role");
    render(CollectionPanel, { props: {} });
    await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
    const view = recorded<CollectionView>("custom-role", "startCollection");
    const summary = await screen.findByTestId("collection-summary");
    expect(summary.querySelector("details.technical"), "the request count is for support, under technical details").toHaveTextContent(
      `${view.requests.toLocaleString()} requests`,
    );
    expect(summary.querySelector("p"), "the sentence an admin reads has no request count").not.toHaveTextContent("requests");
    const forbidden = view.categories.find((c) => c.status === "forbidden")!;
    expect(forbidden, "a custom role may not read device policies").toBeDefined();
    const row = summary.querySelector(`tr[data-category='${forbidden.category}']`) as HTMLElement;
    expect(row).toHaveTextContent("Not allowed");
    expect(row).toHaveTextContent(forbidden.reason!);
    for (const f of view.findings) expect(summary).toHaveTextContent(`${f.count.toLocaleString()} ${f.label}`);
  });

  it("renders only the visible rows, filters them by search and sorts by a column", async () => {
    await collected();
    await waitFor(() => expect(within(table()).getAllByRole("row").length).toBeGreaterThan(1));
    const rendered = within(table()).getAllByRole("row").length - 1;
    expect(rendered, "only a window of the rows is in the page").toBeLessThanOrEqual(Math.min(USERS.total_matching, 18));
    expect(screen.getByText(`${USERS.total_matching.toLocaleString()} rows`)).toBeInTheDocument();

    const search = tape("healthy").calls.find((c) => c.command === "collectionRows" && c.args[3] !== null)!;
    await fireEvent.input(screen.getByRole("searchbox", { name: "Search users" }), { target: { value: search.args[3] } });
    await waitFor(() => expect(firstCells()).toEqual((search.ok as RowPage).rows.map((r) => r[0])));

    await fireEvent.input(screen.getByRole("searchbox", { name: "Search users" }), { target: { value: "" } });
    await waitFor(() => expect(screen.getByText(`${USERS.total_matching.toLocaleString()} rows`)).toBeInTheDocument());
    await fireEvent.click(screen.getByRole("button", { name: "Username" }));
    const ascending = page("users", { column: "username", descending: false });
    await waitFor(() => expect(firstCells()[0]).toBe(ascending.rows[0]![0]));
    await fireEvent.click(screen.getByRole("button", { name: /Username/ }));
    const descending = page("users", { column: "username", descending: true });
    await waitFor(() => expect(firstCells()[0]).toBe(descending.rows[0]![0]));
  });

  it("opens a record's detail and follows a related group to its tab", async () => {
    await collected();
    const user = USERS.ids[0]!;
    const row = await waitFor(() => {
      const r = table().querySelector(`[role='row'][data-id='${user}']`);
      expect(r).not.toBeNull();
      return r as HTMLElement;
    });
    await fireEvent.click(row);
    const detail = await screen.findByRole("complementary");
    const record = tape("healthy").calls.find((c) => c.command === "collectionRecord" && c.args[1] === user)!.ok as { label: string };
    await within(detail).findByRole("heading", { name: record.label });
    const group = await within(detail).findAllByRole("button").then((buttons) => buttons.find((b) => b.dataset.category === "user_groups"));
    expect(group, "the first user is in a group").toBeDefined();
    await fireEvent.click(group!);
    expect(await screen.findByRole("tab", { name: /User groups/ })).toHaveAttribute("aria-selected", "true");
    await within(screen.getByRole("complementary")).findByRole("heading", { name: group!.textContent!.trim() });
  });

  it("is one Tab stop, moved through with the arrow keys (the grid pattern)", async () => {
    await collected();
    await waitFor(() => expect(within(table()).getAllByRole("row").length).toBeGreaterThan(3));
    const stops = () => [...table().querySelectorAll<HTMLElement>("[tabindex='0']")];
    expect(stops(), "one row, and no column header, is in the Tab order").toHaveLength(1);
    const first = stops()[0]!;
    expect(first).toHaveAttribute("aria-rowindex", "2");
    first.focus();
    await fireEvent.keyDown(first, { key: "ArrowDown" });
    await waitFor(() => expect(document.activeElement).toHaveAttribute("aria-rowindex", "3"));
    expect(stops(), "the Tab stop moves with focus").toEqual([document.activeElement]);
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowUp" });
    await waitFor(() => expect(document.activeElement, "up from the first row reaches the column headers").toHaveTextContent(USERS.columns[0]!.label));
    await fireEvent.keyDown(document.activeElement!, { key: "ArrowRight" });
    await waitFor(() => expect(document.activeElement).toHaveTextContent(USERS.columns[1]!.label));
  });

  it("has category tabs that are one Tab stop, moved through with Left, Right, Home and End", async () => {
    await collected();
    const tabs = within(screen.getByRole("tablist", { name: "Collected categories" })).getAllByRole("tab");
    expect(tabs.length, "the healthy org fills several categories").toBeGreaterThan(3);
    const selected = () => tabs.filter((t) => t.getAttribute("aria-selected") === "true");
    const stops = () => tabs.filter((t) => t.getAttribute("tabindex") === "0");
    const panel = screen.getByRole("tabpanel");
    const expectOn = async (index: number, why: string) => {
      await waitFor(() => expect(document.activeElement, why).toBe(tabs[index]));
      expect(selected(), `${why}: the focused tab is the selected one`).toEqual([tabs[index]]);
      expect(stops(), `${why}: only the selected tab is in the Tab order`).toEqual([tabs[index]]);
      expect(panel, `${why}: the panel is named by the selected tab`).toHaveAttribute("aria-labelledby", tabs[index]!.id);
      for (const t of tabs) expect(t, "every tab controls the panel").toHaveAttribute("aria-controls", panel.id);
    };
    const users = tabs.findIndex((t) => /^Users/.test(t.textContent ?? ""));
    tabs[users]!.focus();
    await fireEvent.keyDown(tabs[users]!, { key: "ArrowRight" });
    await expectOn(users + 1, "Right moves to the next tab");
    await waitFor(() => expect(screen.getByRole("grid")).toHaveAccessibleName(tabs[users + 1]!.textContent!.replace(/ \(.*$/, "")));
    await fireEvent.keyDown(tabs[users + 1]!, { key: "ArrowLeft" });
    await expectOn(users, "Left moves back");
    await fireEvent.keyDown(tabs[users]!, { key: "End" });
    await expectOn(tabs.length - 1, "End moves to the last tab");
    await fireEvent.keyDown(tabs[tabs.length - 1]!, { key: "ArrowRight" });
    await expectOn(0, "Right on the last tab wraps to the first");
    await fireEvent.keyDown(tabs[0]!, { key: "ArrowLeft" });
    await expectOn(tabs.length - 1, "Left on the first tab wraps to the last");
    await fireEvent.keyDown(tabs[tabs.length - 1]!, { key: "Home" });
    await expectOn(0, "Home moves to the first tab");
    await fireEvent.keyDown(tabs[0]!, { key: "ArrowDown" });
    expect(selected(), "other keys leave the tabs alone").toEqual([tabs[0]]);
  });

  it("exports and says where", async () => {
    const backend = await collected();
    backend.openBundleFolder = async () => {
      backend.calls.push({ method: "openBundleFolder", args: [] });
      return "/home/you/Downloads";
    };
    await fireEvent.click(screen.getByRole("button", { name: "Export" }));
    const exported = recorded<{ path: string }>("healthy", "exportCollection");
    expect(await screen.findByText(exported.path)).toBeInTheDocument();
    await fireEvent.click(screen.getByRole("button", { name: "Show in folder" }));
    expect(backend.calls.some((c) => c.method === "openBundleFolder")).toBe(true);
  });

  it("shows the last collection again when the step is opened later, without collecting", async () => {
    const backend = await collected();
    cleanup();
    render(CollectionPanel, { props: {} });
    const summary = await screen.findByTestId("collection-summary");
    expect(summary, "the kept result, with when it was collected").toHaveTextContent("started");
    expect(screen.getByRole("button", { name: "Collect again" })).toBeEnabled();
    expect(backend.calls.filter((c) => c.method === "startCollection")).toHaveLength(1);
  });

  it("shows group members as a count that sorts as a number", async () => {
    await collected();
    await fireEvent.click(screen.getByRole("tab", { name: /User groups/ }));
    const groups = await waitFor(() => table("User groups"));
    await fireEvent.click(await within(groups).findByRole("button", { name: "Members" }));
    const sorted = page("user_groups", { column: "effective_user_ids", descending: false });
    const at = sorted.columns.findIndex((c) => c.key === "effective_user_ids");
    await waitFor(() => {
      const rows = within(groups).getAllByRole("row").slice(1);
      const members = rows.map((r) => within(r).getAllByRole("gridcell")[at]!.textContent?.trim());
      expect(members, "a number of members, smallest first, never a list of ids").toEqual(sorted.rows.map((r) => r[at]));
    });
    const counts = sorted.rows.map((r) => Number(r[at]));
    expect(counts, "Rust sorts counts as numbers").toEqual([...counts].sort((a, b) => a - b));
  });

  it("shows application logos handed over as data, in the table", async () => {
    await collected();
    await fireEvent.click(screen.getByRole("tab", { name: /SSO applications/ }));
    const apps = await waitFor(() => table("SSO applications"));
    const recordedApps = page("applications");
    const withLogo = recordedApps.ids.find((_, i) => recordedApps.images[i]);
    expect(withLogo, "the demo org's applications have logos").toBeDefined();
    const row = await waitFor(() => {
      const r = apps.querySelector(`[role='row'][data-id='${withLogo}']`);
      expect(r).not.toBeNull();
      return r as HTMLElement;
    });
    expect(row.querySelector("img")?.getAttribute("src")).toMatch(/^data:image\//);
  });
});
