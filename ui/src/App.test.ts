import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import { HEALTHY_KEY, useFake } from "./test/helpers";

const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });
const next = () => screen.getByRole("button", { name: "Next" });

describe("the whole app with the fake backend", () => {
  it("walks a first-time admin from the empty home screen to a saved connection", async () => {
    const fake = useFake();
    const user = userEvent.setup();
    render(App);

    await heading("Your JumpCloud connections");
    await user.click(screen.getByRole("button", { name: "Connect JumpCloud" }));

    const welcome = await heading("Connect your JumpCloud directory");
    await waitFor(() => expect(document.activeElement, "focus moves to the new step's heading").toBe(welcome));
    expect(screen.getByRole("listitem", { current: "step" }), "the step indicator marks the current step").toHaveTextContent("Welcome");
    await user.click(screen.getByRole("button", { name: "Start" }));

    await heading("Create a read-only administrator");
    await user.click(next());

    await heading("Copy the administrator's API key");
    await user.click(screen.getByLabelText("API key"));
    await user.paste(HEALTHY_KEY);
    await screen.findByText("The key has the right shape.");
    await user.click(next());

    await heading(/Organization ID/);
    await user.click(next());

    await heading("Test the connection");
    expect(await screen.findByText("Connected to Acme Corp in the US data center.")).toBeInTheDocument();
    await user.click(next());

    await heading("Preview your data");
    await screen.findByRole("heading", { name: "How much there is" });
    await user.click(next());

    await heading("Name and save the connection");
    const name = screen.getByLabelText("Connection name");
    expect(name).toHaveValue("Connection 1");
    await user.clear(name);
    await user.type(name, "Production_JumpCloud");
    await user.click(screen.getByRole("button", { name: "Save connection" }));

    await heading("Your JumpCloud connections");
    expect(await screen.findByText("Saved “Production_JumpCloud”. You can test it again here at any time.")).toBeInTheDocument();
    const item = within(screen.getByRole("list", { name: "Saved connections" })).getByRole("button", { name: /Production_JumpCloud/ });
    expect(item, "the new connection is highlighted and open").toHaveAttribute("aria-current", "true");
    expect(item).toHaveTextContent("Last test passed");
    expect(fake.calls.filter((c) => c.method === "saveConnection")).toHaveLength(1);
  });

  it("keeps the key, region and test result when going back", async () => {
    useFake();
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole("button", { name: "Connect JumpCloud" }));
    await user.click(await screen.findByRole("button", { name: "Start" }));
    await heading("Create a read-only administrator");
    await user.click(screen.getByRole("radio", { name: "US" }));
    await user.click(next());
    await user.click(screen.getByLabelText("API key"));
    await user.paste(HEALTHY_KEY);
    await screen.findByText("The key has the right shape.");
    await user.click(next());
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByLabelText("API key"), "the key survives Back").toHaveValue(HEALTHY_KEY);
    expect(next(), "and is still accepted").toBeEnabled();
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByRole("radio", { name: "US" }), "the region survives Back").toBeChecked();
  });

  it("shows the Demo badge on every step of a demo", async () => {
    const fake = useFake();
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole("button", { name: "Try with a demo organization" }));
    await heading("Try with a demo organization");
    await user.click(await screen.findByRole("radio", { name: /EU data center/ }));
    await user.click(screen.getByRole("button", { name: "Start the demo" }));

    const titles = ["Create a read-only administrator", "Copy the administrator's API key", /Organization ID/, "Test the connection", "Preview your data", "Name and save the connection"];
    for (const title of titles) {
      await heading(title);
      expect(within(screen.getByRole("banner")).getByTestId("demo-badge"), `the Demo badge shows on "${String(title)}"`).toHaveTextContent("Demo: EU data center");
      if (title === "Copy the administrator's API key") {
        await screen.findByText("The key has the right shape.");
      }
      if (title === "Test the connection") {
        expect(await screen.findByText("Connected to Acme Europe GmbH in the EU data center.")).toBeInTheDocument();
      }
      if (title === "Preview your data") await screen.findByRole("heading", { name: "How much there is" });
      if (title !== "Name and save the connection") await user.click(next());
    }
    await user.click(screen.getByRole("button", { name: "Save connection" }));
    await heading("Your JumpCloud connections");
    expect(within(screen.getByRole("banner")).queryByTestId("demo-badge"), "leaving the wizard ends demo mode").toBeNull();
    expect(within(screen.getByRole("list", { name: "Saved connections" })).getByText("Demo"), "the saved demo connection is tagged").toBeInTheDocument();
    expect(fake.calls.some((c) => c.method === "stopDemo"), "the demo org is stopped when leaving").toBe(true);
  });

  it("asks before leaving setup with a key entered", async () => {
    useFake();
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole("button", { name: "Connect JumpCloud" }));
    await user.click(await screen.findByRole("button", { name: "Start" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await user.click(screen.getByLabelText("API key"));
    await user.paste(HEALTHY_KEY);
    await user.click(screen.getByRole("button", { name: "Leave setup" }));
    const dialog = screen.getByRole("alertdialog", { name: "Leave setup?" });
    await user.click(within(dialog).getByRole("button", { name: "Stay" }));
    expect(screen.getByLabelText("API key"), "staying keeps what was typed").toHaveValue(HEALTHY_KEY);
  });

  it("shows About from the home screen and over the wizard, with what Rust reported", async () => {
    const fake = useFake({ version: "9.8.7" });
    const user = userEvent.setup();
    render(App);
    await heading("Your JumpCloud connections");

    await user.click(within(screen.getByRole("banner")).getByRole("button", { name: "About" }));
    const about = await screen.findByRole("dialog", { name: "About this app" });
    expect(await within(about).findByText("9.8.7"), "the version comes from the backend").toBeInTheDocument();
    expect(within(about).getByText("0000000"), "the build commit").toBeInTheDocument();
    expect(within(about).getByText("MIT")).toBeInTheDocument();
    expect(within(about).getByText("/home/you/.cache/com.jconboard.wizard/collections"), "the real collections folder").toBeInTheDocument();
    expect(within(about).getByText("https://example.invalid/jc-onboard#readme"), "a pointer to the help").toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog", { name: "About this app" }), "Escape closes it").toBeNull();

    await user.click(screen.getByRole("button", { name: "Connect JumpCloud" }));
    await user.click(await screen.findByRole("button", { name: "Start" }));
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await user.click(screen.getByLabelText("API key"));
    await user.paste(HEALTHY_KEY);
    await user.click(within(screen.getByRole("banner")).getByRole("button", { name: "About" }));
    const again = await screen.findByRole("dialog", { name: "About this app" });
    await user.click(within(again).getByRole("button", { name: "Close" }));
    expect(screen.getByLabelText("API key"), "the wizard underneath keeps what was typed").toHaveValue(HEALTHY_KEY);
    expect(fake.calls.filter((c) => c.method === "about")).toHaveLength(2);
  });

  it("asks before a close stops a running collection, and does what the answer says", async () => {
    const fake = useFake();
    const user = userEvent.setup();
    render(App);
    await heading("Your JumpCloud connections");
    await waitFor(() => expect(fake.calls.some((c) => c.method === "onCloseWhileCollecting"), "the app listens from the start").toBe(true));

    fake.requestClose();
    const ask = await screen.findByRole("alertdialog", { name: "Stop the collection and close?" });
    await user.click(within(ask).getByRole("button", { name: "Keep collecting" }));
    expect(screen.queryByRole("alertdialog"), "keeping on closes the question").toBeNull();
    expect(fake.closed, "nothing was closed").toBe(false);

    fake.requestClose();
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Stop and close" }));
    expect(await screen.findByText("Stopping the collection and closing…")).toBeInTheDocument();
    expect(fake.calls.filter((c) => c.method === "resolveClose").map((c) => c.args[0])).toEqual([false, true]);
    expect(fake.closed, "the second answer closes the app").toBe(true);
  });
});
