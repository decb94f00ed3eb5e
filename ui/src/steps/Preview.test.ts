import { fireEvent, screen, within } from "@testing-library/svelte";
import { describe, expect, it } from "vitest";
import { setBackend } from "../lib/backend";
import { FakeBackend } from "../lib/backend.fake";
import { HEALTHY_KEY, RATE_LIMITED_KEY, renderWizard, useFake } from "../test/helpers";

describe("Preview step", () => {
  it("shows counts per category and first rows, with app logos from data URLs", async () => {
    useFake();
    renderWizard({ step: "preview", key: HEALTHY_KEY });
    expect(await screen.findByRole("heading", { name: "How much there is" })).toBeInTheDocument();
    expect(screen.getByText("First rows shown", { exact: false })).toBeInTheDocument();
    const users = screen.getByRole("region", { name: "Users" });
    expect(within(users).getByText("grace.hopper@acme.example")).toBeInTheDocument();
    const logo = screen.getByRole("img", { name: "Slack" });
    expect(logo.getAttribute("src"), "logos are data, never remote").toMatch(/^data:image\//);
    expect(screen.getByText("Internal wiki"), "an app without a logo still shows, with a placeholder").toBeInTheDocument();
  });

  it("marks categories that could not be read, with the reason", async () => {
    useFake();
    renderWizard({ step: "preview", key: RATE_LIMITED_KEY });
    const unreadable = await screen.findAllByText("Not readable");
    expect(unreadable.length, "the rate-limited scenario leaves three categories unread").toBe(3);
    expect(screen.getAllByText(/429 Too Many Requests/).length).toBeGreaterThan(0);
  });

  it("says it is reading while the preview is on its way", async () => {
    class Slow extends FakeBackend {
      override preview(): Promise<never> {
        return new Promise(() => {});
      }
    }
    setBackend(new Slow());
    renderWizard({ step: "preview", key: HEALTHY_KEY });
    expect(await screen.findByText("Reading a sample from JumpCloud…")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Next" }), "the preview is informative: it never blocks saving").toBeEnabled();
  });

  it("shows an error with a next step when the preview fails", async () => {
    class Broken extends FakeBackend {
      override preview(): Promise<never> {
        return Promise.reject({ kind: "network", message: "JumpCloud stopped answering.", fix: "Try again in a minute." });
      }
    }
    setBackend(new Broken());
    renderWizard({ step: "preview", key: HEALTHY_KEY });
    const alert = await screen.findByRole("alert");
    expect(alert).toHaveTextContent("JumpCloud stopped answering.");
    expect(within(alert).getByRole("button", { name: "Try again" })).toBeInTheDocument();
  });

  it("offers to collect everything, then summarizes it with the data-quality findings", async () => {
    const fake = useFake();
    renderWizard({ step: "preview", key: HEALTHY_KEY, prepare: (wiz) => (wiz.managerAttribute = " managerEmail ") });
    await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
    const summary = await screen.findByTestId("collection-summary");
    expect(within(summary).getByText("Users without MFA")).toBeInTheDocument();
    expect(fake.calls.find((c) => c.method === "startCollection")?.args[0], "the manager attribute is passed on, trimmed").toBe("managerEmail");
    expect(screen.getByRole("button", { name: "Collect again" })).toBeEnabled();
  });

  it("stops a running collection when the wizard leaves the Preview step, and only then", async () => {
    class Endless extends FakeBackend {
      override startCollection(managerAttribute: string | null): Promise<never> {
        this.calls.push({ method: "startCollection", args: [managerAttribute] });
        return new Promise(() => {});
      }
    }
    const fake = new Endless();
    setBackend(fake);
    const cancels = () => fake.calls.filter((c) => c.method === "cancelCollection").length;
    const first = renderWizard({ step: "preview", key: HEALTHY_KEY });
    await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
    expect(await screen.findByText("Collecting…")).toBeInTheDocument();
    expect(cancels(), "nothing is cancelled while the collection is on screen").toBe(0);
    await fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect(first.wiz.step).toBe("test");
    expect(cancels(), "Back stops the running collection").toBe(1);
    first.unmount();

    const second = renderWizard({ step: "preview", key: HEALTHY_KEY });
    await fireEvent.click(await screen.findByRole("button", { name: "Collect everything" }));
    expect(await screen.findByText("Collecting…")).toBeInTheDocument();
    second.unmount();
    expect(cancels(), "closing the wizard (Home) stops it too").toBe(2);

    const idle = renderWizard({ step: "preview", key: HEALTHY_KEY });
    await screen.findByRole("button", { name: "Collect everything" });
    await fireEvent.click(screen.getByRole("button", { name: "Back" }));
    expect(idle.wiz.step).toBe("test");
    expect(cancels(), "with nothing running, leaving cancels nothing").toBe(2);
  });
});
