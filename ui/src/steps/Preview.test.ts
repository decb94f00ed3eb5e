import { fireEvent, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import type { PreviewData } from "../lib/types";
import { PLATFORMS, recorded, renderWizard, useRecorded } from "../test/helpers";

describe("Preview step", () => {
  it("marks what the chosen platform will use, as its profile says (Authomize: no LDAP or RADIUS)", async () => {
    useRecorded("healthy");
    renderWizard({ step: "preview", demo: "healthy", prepare: (w) => (w.platform = "authomize") });
    await screen.findByRole("heading", { name: "How much there is" });
    const authomize = PLATFORMS.find((p) => p.id === "authomize")!;
    const data = recorded<PreviewData>("healthy", "preview");
    for (const c of data.categories) {
      const use = authomize.categories.find((u) => u.category === c.category)!;
      const item = document.querySelector<HTMLElement>(`li.count[data-category="${c.category}"]`)!;
      expect(item.textContent, `${c.category} is marked as the profile says`).toContain(use.used ? "Used by Authomize" : "Not used by Authomize");
    }
    expect(screen.getByText(/LDAP applications are currently not supported/), "and says why not").toBeInTheDocument();
  });

  it("shows Rust's counts per category and first rows, with app logos from data URLs", async () => {
    const backend = useRecorded("healthy");
    renderWizard({ step: "preview", demo: "healthy" });
    const data = recorded<PreviewData>("healthy", "preview");
    expect(await screen.findByRole("heading", { name: "How much there is" })).toBeInTheDocument();
    expect(screen.getByText("First rows shown", { exact: false })).toBeInTheDocument();
    for (const c of data.categories) expect(screen.getAllByText(c.label).length, `the ${c.category} count is labelled`).toBeGreaterThan(0);
    const users = screen.getByRole("region", { name: "Users" });
    const email = data.users.find((u) => u.email)?.email;
    expect(within(users).getByText(email!)).toBeInTheDocument();
    const withLogo = data.apps.find((a) => a.logo);
    if (withLogo) {
      const logo = screen.getByRole("img", { name: withLogo.name! });
      expect(logo.getAttribute("src"), "logos are data, never remote").toMatch(/^data:image\//);
    }
    expect(backend.calls.find((c) => c.method === "preview")?.args, "the preview sends nothing: Rust holds the tested connection").toEqual([]);
  });

  it("marks categories that could not be read, with Rust's reason", async () => {
    useRecorded("custom-role");
    renderWizard({ step: "preview", demo: "custom-role" });
    const unreadable = recorded<PreviewData>("custom-role", "preview").categories.filter((c) => c.status !== "ok");
    expect(unreadable.length, "a custom role may not read device policies").toBeGreaterThan(0);
    expect(await screen.findAllByText("Not readable")).toHaveLength(unreadable.length);
    expect(screen.getAllByText(unreadable[0]!.message!, { exact: false }).length).toBeGreaterThan(0);
  });

  it("says it is reading while the preview is on its way", async () => {
    const backend = useRecorded("healthy");
    backend.preview = () => new Promise(() => {});
    renderWizard({ step: "preview", demo: "healthy" });
    expect(await screen.findByText("Reading a sample from JumpCloud…")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" }), "the preview is informative: it never blocks saving").toBeEnabled();
  });

  it("shows an error with a next step when the preview fails", async () => {
    // Recorded before any test: Rust answers that the test comes first.
    useRecorded();
    renderWizard({ step: "preview", demo: "healthy" });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("The connection has not been tested yet.");
    expect(alert, "with the next step").toHaveTextContent("Test connection");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("offers to collect everything, then summarizes it with the data-quality findings", async () => {
    const backend = useRecorded("healthy");
    renderWizard({ step: "preview", demo: "healthy" });
    await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
    const summary = await screen.findByTestId("collection-summary");
    expect(summary).toHaveTextContent("Collected in");
    expect(backend.calls.find((c) => c.method === "startCollection")?.args[0], "no manager attribute typed: none is sent").toBe(null);
    expect(screen.getByRole("button", { name: "Collect again" })).toBeEnabled();
  });

  it("stops a running collection when the wizard leaves the Preview step, and only then", async () => {
    const backend = useRecorded("healthy");
    backend.startCollection = (managerAttribute: string | null) => {
      backend.calls.push({ method: "startCollection", args: [managerAttribute] });
      return new Promise(() => {});
    };
    const cancels = () => backend.calls.filter((c) => c.method === "cancelCollection").length;
    const first = renderWizard({ step: "preview", demo: "healthy" });
    await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
    expect(await screen.findByText("Collecting…")).toBeInTheDocument();
    expect(cancels(), "nothing is cancelled while the collection is on screen").toBe(0);
    await fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect(first.wiz.step).toBe("test");
    expect(cancels(), "Back stops the running collection").toBe(1);
    first.unmount();

    const second = renderWizard({ step: "preview", demo: "healthy" });
    await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
    expect(await screen.findByText("Collecting…")).toBeInTheDocument();
    second.unmount();
    expect(cancels(), "closing the wizard (Home) stops it too").toBe(2);

    const idle = renderWizard({ step: "preview", demo: "healthy" });
    await screen.findByRole("button", { name: "Collect everything" });
    await fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect(idle.wiz.step).toBe("test");
    expect(cancels(), "with nothing running, leaving cancels nothing").toBe(2);
  });
});
