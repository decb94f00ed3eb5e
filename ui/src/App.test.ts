import { render, screen, waitFor, within } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import App from "./App.svelte";
import type { About, Report, SavedConnection } from "./lib/types";
import { demoOf, recorded, reportOf, useRecorded } from "./test/helpers";

const heading = (name: string | RegExp) => screen.findByRole("heading", { level: 1, name });
const next = () => screen.getByRole("button", { name: "Next" });

/** From the home screen to the first wizard step of a demo scenario. */
async function startDemo(user: ReturnType<typeof userEvent.setup>, label: RegExp): Promise<void> {
  await user.click(await screen.findByRole("button", { name: "Try with a demo organization" }));
  await heading("Try with a demo organization");
  await user.click(await screen.findByRole("radio", { name: label }));
  await user.click(screen.getByRole("button", { name: "Start the demo" }));
}

/** "How should the platform connect?": keep what the demo chose. */
async function keepConnectChoice(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await heading("How should the platform connect?");
  await user.click(next());
}

/** From "How should the platform connect?" down the administrator's API key path. */
async function chooseApiKey(user: ReturnType<typeof userEvent.setup>): Promise<void> {
  await heading("How should the platform connect?");
  await user.click(screen.getByRole("radio", { name: /An administrator's API key/ }));
  await user.click(next());
}

/** The Platform step: choose one, then Next. */
async function choosePlatform(user: ReturnType<typeof userEvent.setup>, name: string): Promise<void> {
  await heading("Which platform are you connecting to?");
  await user.click(await screen.findByRole("radio", { name }));
  await user.click(next());
}

describe("the whole app on Rust's recorded answers", () => {
  it("walks a first-time admin from the empty home screen through the demo to a saved connection", async () => {
    const backend = useRecorded("healthy");
    const user = userEvent.setup();
    render(App);

    await heading("Your JumpCloud connections");
    await startDemo(user, /Healthy organization/);
    const platform = await heading("Which platform are you connecting to?");
    await waitFor(() => expect(document.activeElement, "focus moves to the new step's heading").toBe(platform));
    expect(next(), "Next waits for a choice").toBeDisabled();
    await choosePlatform(user, "Another platform");
    await keepConnectChoice(user);

    const admin = await heading("Create a read-only administrator");
    await waitFor(() => expect(document.activeElement, "focus moves to the new step's heading").toBe(admin));
    expect(screen.getByRole("listitem", { current: "step" }), "the step indicator marks the current step").toHaveTextContent("Read-only admin");
    await user.click(next());

    await heading("Copy the administrator's API key");
    await screen.findByText("The key has the right shape: an administrator's API key.");
    await user.click(next());

    await heading(/Organization ID/);
    await user.click(next());

    await heading("Test the connection");
    const report = reportOf("healthy");
    expect(await screen.findByText(`Connected to ${report.org!.name} in the US data center.`)).toBeInTheDocument();
    await user.click(next());

    await heading("Preview your data");
    await screen.findByRole("heading", { name: "How much there is" });
    await user.click(next());

    await heading("Name and save the connection");
    const name = recorded<string>("healthy", "proposedName");
    await waitFor(() => expect(screen.getByLabelText("Connection name"), "the name Rust proposes").toHaveValue(name));
    // Recorded without a keychain: the key is kept for this session only.
    await user.click(screen.getByLabelText("Use the key for this session only"));
    await user.click(screen.getByRole("button", { name: "Save connection" }));

    await heading("Hand over to your platform");
    await user.click(await screen.findByRole("button", { name: "Done" }));
    await heading("Your JumpCloud connections");
    expect(await screen.findByText(`Saved “${name}”. You can test it again here at any time.`)).toBeInTheDocument();
    const item = within(screen.getByRole("list", { name: "Saved connections" })).getByRole("button", { name: new RegExp(name) });
    expect(item, "the new connection is highlighted and open").toHaveAttribute("aria-current", "true");
    expect(item).toHaveTextContent("Last test passed");
    const saved = recorded<SavedConnection>("healthy", "saveConnection");
    expect(saved.key_last_four, "only the key's last four characters come back").toMatch(/^….{4}$/);
    const keyCalls = backend.calls.filter((c) => JSON.stringify(c.args).includes(demoOf("healthy").api_key)).map((c) => c.method);
    expect(new Set(keyCalls), "after the test, no command carries the key").toEqual(new Set(["keyShape", "runChecks"]));
    const answers = JSON.stringify(backend.calls.filter((c) => c.method === "connectionHandover"));
    expect(answers.includes(demoOf("healthy").api_key), "nor does the hand-over").toBe(false);
    expect(backend.calls.filter((c) => c.method === "runChecks"), "the key crossed once to be tested").toHaveLength(1);
  }, 60_000);

  it("keeps the key, region and test result when going back", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole("button", { name: "Connect JumpCloud" }));
    await user.click(await screen.findByRole("button", { name: "Start" }));
    await choosePlatform(user, "Another platform");
    await chooseApiKey(user);
    await heading("Create a read-only administrator");
    await user.click(screen.getByRole("radio", { name: "US" }));
    await user.click(next());
    await user.click(screen.getByLabelText("API key"));
    const key = demoOf("healthy").api_key;
    await user.paste(key);
    await screen.findByText("The key has the right shape: an administrator's API key.");
    await user.click(next());
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByLabelText("API key"), "the key survives Back").toHaveValue(key);
    expect(next(), "and is still accepted").toBeEnabled();
    await user.click(screen.getByRole("button", { name: "Back" }));
    expect(await screen.findByRole("radio", { name: "US" }), "the region survives Back").toBeChecked();
  });

  it("shows the Demo badge on every step of a demo", async () => {
    const backend = useRecorded("eu-region");
    const user = userEvent.setup();
    render(App);
    await startDemo(user, /Organization in the EU data center/);
    await choosePlatform(user, "Another platform");
    await keepConnectChoice(user);

    const report: Report = reportOf("eu-region");
    const titles = ["Create a read-only administrator", "Copy the administrator's API key", /Organization ID/, "Test the connection", "Preview your data", "Name and save the connection"];
    for (const title of titles) {
      await heading(title);
      expect(within(screen.getByRole("banner")).getByTestId("demo-badge"), `the Demo badge shows on "${String(title)}"`).toHaveTextContent(
        "Demo: Organization in the EU data center",
      );
      if (title === "Copy the administrator's API key") await screen.findByText("The key has the right shape: an administrator's API key.");
      if (title === "Test the connection") {
        expect(await screen.findByText(`Connected to ${report.org!.name} in the EU data center.`)).toBeInTheDocument();
      }
      if (title === "Preview your data") await screen.findByRole("heading", { name: "How much there is" });
      if (title !== "Name and save the connection") await user.click(next());
    }
    await waitFor(() => expect(screen.getByLabelText("Connection name")).not.toHaveValue(""));
    await user.click(screen.getByLabelText("Use the key for this session only"));
    await user.click(screen.getByRole("button", { name: "Save connection" }));
    await user.click(await screen.findByRole("button", { name: "Done" }));
    await heading("Your JumpCloud connections");
    expect(within(screen.getByRole("banner")).queryByTestId("demo-badge"), "leaving the wizard ends demo mode").toBeNull();
    expect(within(screen.getByRole("list", { name: "Saved connections" })).getByText("Demo"), "the saved demo connection is tagged").toBeInTheDocument();
    expect(backend.calls.some((c) => c.method === "stopDemo"), "the demo org is stopped when leaving").toBe(true);
  }, 60_000);

  it("asks before leaving setup with a key entered", async () => {
    useRecorded("healthy");
    const user = userEvent.setup();
    render(App);
    await user.click(await screen.findByRole("button", { name: "Connect JumpCloud" }));
    await user.click(await screen.findByRole("button", { name: "Start" }));
    await choosePlatform(user, "Another platform");
    await chooseApiKey(user);
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await user.click(screen.getByLabelText("API key"));
    const key = demoOf("healthy").api_key;
    await user.paste(key);
    await user.click(screen.getByRole("button", { name: "Leave setup" }));
    const dialog = screen.getByRole("alertdialog", { name: "Leave setup?" });
    const stay = within(dialog).getByRole("button", { name: "Stay" });
    await waitFor(() => expect(stay, "the question takes focus, on the safe answer").toHaveFocus());
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("alertdialog"), "Escape answers Stay").not.toBeInTheDocument();
    await waitFor(() => expect(screen.getByRole("button", { name: "Leave setup" }), "focus returns to what opened it").toHaveFocus());
    expect(screen.getByLabelText("API key"), "staying keeps what was typed").toHaveValue(key);
  });

  it("shows About from the home screen and over the wizard, with what Rust reported", async () => {
    const backend = useRecorded("healthy");
    const about = recorded<About>("inputs", "about");
    const user = userEvent.setup();
    render(App);
    await heading("Your JumpCloud connections");

    await user.click(within(screen.getByRole("banner")).getByRole("button", { name: "About" }));
    const dialog = await screen.findByRole("dialog", { name: "About this app" });
    expect(await within(dialog).findByText(about.version), "the version comes from Rust").toBeInTheDocument();
    expect(within(dialog).getByText(about.commit), "the build commit").toBeInTheDocument();
    expect(within(dialog).getByText(about.license)).toBeInTheDocument();
    expect(within(dialog).getByText(about.collections_folder), "the real collections folder").toBeInTheDocument();
    expect(within(dialog).getByText(about.help_address), "a pointer to the help").toBeInTheDocument();
    await user.keyboard("{Escape}");
    expect(screen.queryByRole("dialog", { name: "About this app" }), "Escape closes it").toBeNull();

    await user.click(screen.getByRole("button", { name: "Connect JumpCloud" }));
    await user.click(await screen.findByRole("button", { name: "Start" }));
    await choosePlatform(user, "Another platform");
    await chooseApiKey(user);
    await user.click(await screen.findByRole("button", { name: "Next" }));
    await user.click(screen.getByLabelText("API key"));
    const key = demoOf("healthy").api_key;
    await user.paste(key);
    await user.click(within(screen.getByRole("banner")).getByRole("button", { name: "About" }));
    const again = await screen.findByRole("dialog", { name: "About this app" });
    await user.click(within(again).getByRole("button", { name: "Close" }));
    expect(screen.getByLabelText("API key"), "the wizard underneath keeps what was typed").toHaveValue(key);
    expect(backend.calls.filter((c) => c.method === "about")).toHaveLength(2);
  });

  it("asks before a close stops a running collection, and does what the answer says", async () => {
    const backend = useRecorded("healthy");
    // Rust holds a close back during a collection and asks through the channel the app gave it.
    const rust: { ask: (() => void) | null } = { ask: null };
    const watchClose = backend.watchClose;
    backend.watchClose = (onAsk) => {
      rust.ask = () => onAsk(null);
      return watchClose(onAsk);
    };
    const user = userEvent.setup();
    render(App);
    await heading("Your JumpCloud connections");
    await waitFor(() => expect(rust.ask, "the app listens from the start").not.toBeNull());

    rust.ask?.();
    const ask = await screen.findByRole("alertdialog", { name: "Stop the collection and close?" });
    await user.click(within(ask).getByRole("button", { name: "Keep collecting" }));
    expect(screen.queryByRole("alertdialog"), "keeping on closes the question").toBeNull();
    expect(screen.queryByText("Stopping the collection and closing…"), "nothing is closing").toBeNull();

    rust.ask?.();
    await user.click(within(await screen.findByRole("alertdialog")).getByRole("button", { name: "Stop and close" }));
    expect(await screen.findByText("Stopping the collection and closing…")).toBeInTheDocument();
    expect(
      backend.calls.filter((c) => c.method === "resolveClose").map((c) => c.args[0]),
      "Rust is told each answer: keep collecting, then stop and close",
    ).toEqual([false, true]);
  });
});
