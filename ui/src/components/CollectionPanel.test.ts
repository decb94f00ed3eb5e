import { cleanup, fireEvent, render, screen, waitFor, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { setBackend } from "../lib/backend";
import { FakeBackend } from "../lib/backend.fake";
import type { CollectProgress, CollectionView } from "../lib/types";
import CollectionPanel from "./CollectionPanel.svelte";

/** A backend whose collection the test drives by hand. */
class ManualCollection extends FakeBackend {
  emit: (p: CollectProgress) => void = () => {};
  finish: (v: CollectionView) => void = () => {};
  cancelled = 0;
  override startCollection(_m: string | null, onProgress: (p: CollectProgress) => void): Promise<CollectionView> {
    this.emit = onProgress;
    return new Promise((resolve) => (this.finish = resolve));
  }
  override async cancelCollection(): Promise<void> {
    this.cancelled += 1;
  }
}

async function collected(): Promise<FakeBackend> {
  const fake = new FakeBackend();
  setBackend(fake);
  render(CollectionPanel, { props: {} });
  await fireEvent.click(screen.getByRole("button", { name: "Collect everything" }));
  await screen.findByTestId("collection-summary");
  return fake;
}

function table(name = "users"): HTMLElement {
  return screen.getByRole("table", { name });
}

function firstCells(): string[] {
  return within(table())
    .getAllByRole("row")
    .slice(1)
    .map((r) => within(r).getAllByRole("cell")[0]!.textContent ?? "");
}

describe("Collecting everything", () => {
  it("starts idle, with one button", () => {
    setBackend(new FakeBackend());
    render(CollectionPanel, { props: {} });
    expect(screen.getByRole("button", { name: "Collect everything" })).toBeEnabled();
    expect(screen.queryByTestId("collection-summary")).not.toBeInTheDocument();
  });

  it("shows live progress per category as N of M, and can be cancelled", async () => {
    const backend = new ManualCollection();
    setBackend(backend);
    render(CollectionPanel, { props: {} });
    await fireEvent.click(screen.getByRole("button", { name: "Collect everything" }));
    backend.emit({ category: "users", label: "users", phase: "running", collected: 200, total: 1500, pages: 2, status: null });
    backend.emit({ category: "devices", label: "devices", phase: "started", collected: 0, total: null, pages: 0, status: null });
    const status = await screen.findByRole("status");
    await waitFor(() => expect(status).toHaveTextContent("200 of 1,500"));
    backend.emit({ category: "users", label: "users", phase: "running", collected: 400, total: 1500, pages: 4, status: null });
    await waitFor(() => expect(status).toHaveTextContent("400 of 1,500"));
    await fireEvent.click(screen.getByRole("button", { name: "Cancel" }));
    expect(backend.cancelled).toBe(1);
    expect(await screen.findByRole("button", { name: "Cancelling…" })).toBeDisabled();
  });

  it("summarizes counts with partial and forbidden categories explained, time and findings", async () => {
    const backend = new ManualCollection();
    setBackend(backend);
    render(CollectionPanel, { props: {} });
    await fireEvent.click(screen.getByRole("button", { name: "Collect everything" }));
    backend.finish({
      categories: [
        { category: "users", label: "users", status: "complete", collected: 10, total: 10, reason: null, notes: [] },
        { category: "devices", label: "devices", status: "partial", collected: 7, total: 9, reason: "2 devices were lost to a 503.", notes: [] },
        { category: "admins", label: "administrators", status: "forbidden", collected: 0, total: null, reason: "This key may not read administrators.", notes: [] },
      ],
      findings: [{ kind: "no_mfa", label: "Users without MFA", count: 3 }],
      warnings: [],
      collected_at: "2026-11-22T09:30:00Z",
      org_id: null,
      duration_ms: 1200,
      requests: 14,
      cancelled: false,
    });
    const summary = await screen.findByTestId("collection-summary");
    expect(summary).toHaveTextContent("Collected in 1.2 seconds (14 requests)");
    const devices = summary.querySelector("tr[data-category='devices']") as HTMLElement;
    expect(devices).toHaveTextContent("7 of 9");
    expect(devices).toHaveTextContent("Partial");
    expect(devices).toHaveTextContent("2 devices were lost to a 503.");
    const admins = summary.querySelector("tr[data-category='admins']") as HTMLElement;
    expect(admins).toHaveTextContent("Not allowed");
    expect(admins).toHaveTextContent("This key may not read administrators.");
    expect(summary).toHaveTextContent("3 Users without MFA");
  });

  it("renders only the visible rows, filters them by search and sorts by a column", async () => {
    await collected();
    await waitFor(() => expect(within(table()).getAllByRole("row").length).toBeGreaterThan(1));
    const rendered = within(table()).getAllByRole("row").length - 1;
    expect(rendered, "1,500 users, but only a window is in the page").toBeLessThan(40);
    expect(screen.getByText("1,500 rows")).toBeInTheDocument();

    await fireEvent.input(screen.getByRole("searchbox", { name: "Search users" }), { target: { value: "ada.lovelace" } });
    await waitFor(() => expect(screen.getByText(/^\d+ rows?$/).textContent).not.toBe("1,500 rows"));
    for (const name of firstCells()) expect(name).toContain("ada.lovelace");

    await fireEvent.input(screen.getByRole("searchbox", { name: "Search users" }), { target: { value: "" } });
    await waitFor(() => expect(screen.getByText("1,500 rows")).toBeInTheDocument());
    await fireEvent.click(screen.getByRole("button", { name: "Username" }));
    await waitFor(() => expect(firstCells()[0]).toBe("ada.allen"));
    await fireEvent.click(screen.getByRole("button", { name: /Username/ }));
    await waitFor(() => expect(firstCells()[0]).toMatch(/^margaret\.turing/));
  });

  it("opens a record's detail and follows a related group to its tab", async () => {
    await collected();
    const row = await waitFor(() => {
      const r = table().querySelector("[role='row'][data-id='u00000']");
      expect(r).not.toBeNull();
      return r as HTMLElement;
    });
    await fireEvent.click(row);
    const detail = await screen.findByRole("complementary");
    await within(detail).findByRole("heading", { name: "Grace Hopper" });
    await fireEvent.click(await within(detail).findByRole("button", { name: "Engineering" }));
    expect(await screen.findByRole("tab", { name: /user groups/ })).toHaveAttribute("aria-selected", "true");
    await within(screen.getByRole("complementary")).findByRole("heading", { name: "Engineering" });
    expect(within(screen.getByRole("complementary")).getByRole("button", { name: "Slack" })).toBeInTheDocument();

    // A member far down the users table: following it scrolls the table to its row.
    const members = screen.getByRole("complementary").querySelectorAll("button[data-category='users']");
    const last = members[members.length - 1] as HTMLElement;
    const name = last.textContent ?? "";
    await fireEvent.click(last);
    expect(await screen.findByRole("tab", { name: /^users/ })).toHaveAttribute("aria-selected", "true");
    await waitFor(() => expect(table().querySelector("[role='row'][aria-selected='true']")).toHaveTextContent(name));
  });

  it("exports and says where", async () => {
    const fake = await collected();
    await fireEvent.click(screen.getByRole("button", { name: "Export" }));
    expect(await screen.findByText("/home/you/Downloads/jumpcloud-export-1")).toBeInTheDocument();
    await fireEvent.click(screen.getByRole("button", { name: "Show in folder" }));
    expect(fake.calls.some((c) => c.method === "openBundleFolder")).toBe(true);
  });

  it("shows the last collection again when the step is opened later, without collecting", async () => {
    const fake = await collected();
    cleanup();
    render(CollectionPanel, { props: {} });
    const summary = await screen.findByTestId("collection-summary");
    expect(summary, "the kept result, with when it was collected").toHaveTextContent("started");
    expect(screen.getByRole("button", { name: "Collect again" })).toBeEnabled();
    expect(fake.calls.filter((c) => c.method === "startCollection")).toHaveLength(1);
  });

  it("shows group members as a count that sorts as a number", async () => {
    await collected();
    await fireEvent.click(screen.getByRole("tab", { name: /user groups/ }));
    const groups = await waitFor(() => table("user groups"));
    await fireEvent.click(await within(groups).findByRole("button", { name: "Members" }));
    await waitFor(() => {
      const rows = within(groups).getAllByRole("row").slice(1);
      const members = rows.map((r) => within(r).getAllByRole("cell")[3]!.textContent?.trim());
      expect(members, "a number of members, smallest first, never a list of ids").toEqual(["0", "500", "500"]);
    });
  });

  it("shows application logos handed over as data, in the table and the detail", async () => {
    await collected();
    await fireEvent.click(screen.getByRole("tab", { name: /SSO applications/ }));
    const apps = await waitFor(() => table("SSO applications"));
    const slack = await waitFor(() => {
      const r = apps.querySelector("[role='row'][data-id='a-slack']");
      expect(r).not.toBeNull();
      return r as HTMLElement;
    });
    expect(slack.querySelector("img")?.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
    expect(apps.querySelector("[role='row'][data-id='a-wiki'] img"), "no logo, no broken image").toBeNull();
    await fireEvent.click(slack);
    const detail = await screen.findByRole("complementary");
    await within(detail).findByRole("heading", { name: "Slack" });
    expect(detail.querySelector("img")?.getAttribute("src")).toMatch(/^data:image\/png;base64,/);
  });
});
