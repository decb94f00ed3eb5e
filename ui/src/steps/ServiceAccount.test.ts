import { screen } from "@testing-library/svelte";
import userEvent from "@testing-library/user-event";
import { describe, expect, it } from "vitest";
import { demoOf, renderWizard, reportOf, useRecorded } from "../test/helpers";

const next = () => screen.getByRole("button", { name: "Next" });

describe("How should the platform connect? step", () => {
  it("recommends a service account, with why, and offers the administrator's API key", () => {
    useRecorded();
    renderWizard({ step: "connect_how", prepare: (wiz) => (wiz.connectKind = "service_account") });
    expect(screen.getByRole("heading", { level: 1, name: "How should the platform connect?" })).toBeInTheDocument();
    const sa = screen.getByRole("radio", { name: /A service account/ });
    expect(sa, "the recommended kind is the one chosen").toBeChecked();
    expect(sa, "the radio says why it is recommended").toHaveAccessibleDescription(/no administrator seat or email address/);
    expect(screen.getByRole("radio", { name: /An administrator's API key/ })).not.toBeChecked();
    expect(next(), "either kind can go on").toBeEnabled();
  });

  it("branches the console and credentials steps on the choice, keeping what was typed for both", async () => {
    useRecorded();
    const user = userEvent.setup();
    const { wiz } = renderWizard({ step: "connect_how", prepare: (w) => (w.connectKind = "service_account") });
    await user.click(next());
    expect(screen.getByRole("heading", { level: 1, name: "Create a read-only service account" })).toBeInTheDocument();
    expect(screen.getByRole("listitem", { current: "step" }), "the step indicator names the path's step").toHaveTextContent("Service account");
    await user.click(next());
    await user.type(screen.getByLabelText("Client ID"), "rcnjdabr-djalfrwgivxp");
    await user.click(screen.getByRole("button", { name: "Back" }));
    await user.click(screen.getByRole("button", { name: "Back" }));
    await user.click(screen.getByRole("radio", { name: /An administrator's API key/ }));
    await user.click(next());
    expect(screen.getByRole("heading", { level: 1, name: "Create a read-only administrator" }), "the API key path has the admin checklist").toBeInTheDocument();
    await user.click(next());
    await user.type(screen.getByLabelText("API key"), "jca_abc123");
    await user.click(screen.getByRole("button", { name: "Back" }));
    await user.click(screen.getByRole("button", { name: "Back" }));
    await user.click(screen.getByRole("radio", { name: /A service account/ }));
    await user.click(next());
    await user.click(next());
    expect(screen.getByLabelText("Client ID"), "going back and forth keeps the client ID").toHaveValue("rcnjdabr-djalfrwgivxp");
    expect(wiz.key, "and the API key typed on the other path").toBe("jca_abc123");
  });
});

describe("Service-account console step", () => {
  it("lists the console steps and opens the region's console on the service accounts page", async () => {
    const backend = useRecorded();
    // Opening the browser is not recorded (the recorder cannot open one): it answers nothing.
    backend.openConsole = async (...args) => {
      backend.calls.push({ method: "openConsole", args });
      return null;
    };
    const user = userEvent.setup();
    renderWizard({ step: "admin", prepare: (w) => (w.connectKind = "service_account") });
    expect(screen.getByLabelText(/Settings, then Service Accounts, and click \+ New/)).not.toBeChecked();
    expect(screen.getByLabelText(/set Role to Read Only/)).toBeInTheDocument();
    expect(screen.getByLabelText(/Client Secret as the key type/)).toBeInTheDocument();
    expect(screen.getByText(/shows the secret only once/)).toBeInTheDocument();
    expect(next(), "the checklist is a helper, not a gate").toBeEnabled();
    await user.click(screen.getByRole("radio", { name: "EU" }));
    await user.click(screen.getByRole("button", { name: "Open the JumpCloud console" }));
    expect(backend.calls.filter((c) => c.method === "openConsole").map((c) => c.args)).toEqual([["eu", "service_accounts"]]);
  });
});

describe("Client ID and secret step", () => {
  it("masks the secret and shows Rust's feedback on a secret copied with extra text, keeping Next off", async () => {
    const backend = useRecorded();
    const user = userEvent.setup();
    renderWizard({ step: "api_key", prepare: (w) => (w.connectKind = "service_account") });
    expect(next()).toBeDisabled();
    expect(screen.getByText("Paste the client ID and the client secret to go on."), "a disabled Next says why").toBeInTheDocument();
    const secret = screen.getByLabelText("Client secret");
    expect(secret, "the secret is masked by default").toHaveAttribute("type", "password");
    await user.click(screen.getByLabelText("Client ID"));
    await user.paste("rcnjdabr-djalfrwgivxp");
    await user.click(secret);
    await user.paste("has a space inside it and more text after it, far too long");
    expect(await screen.findByText("The client secret has spaces or line breaks inside it, so it was probably copied with extra text.")).toBeInTheDocument();
    expect(secret, "the field is marked invalid for assistive tech").toHaveAttribute("aria-invalid", "true");
    expect(next()).toBeDisabled();
    expect(screen.getByText("The client ID or secret needs fixing before you go on.")).toBeInTheDocument();
    expect(backend.calls.at(-1)?.method, "the feedback comes from clientCredentialsShape").toBe("clientCredentialsShape");
  });

  it("goes down the service-account path in the demo, with the ID and secret filled in and sent to the test", async () => {
    const backend = useRecorded("service-account");
    const user = userEvent.setup();
    const demo = demoOf("service-account");
    renderWizard({ step: "api_key", demo: "service-account" });
    expect(screen.getByText("Demo: the demo service account's client ID and secret are already filled in.")).toBeInTheDocument();
    expect(screen.getByLabelText("Client ID")).toHaveValue(demo.client_id);
    expect(await screen.findByText(/The client ID and secret have the right shape/)).toBeInTheDocument();
    await user.click(next());
    await user.click(next());
    expect(await screen.findByText(`Connected to ${reportOf("service-account").org!.name} in the US data center.`)).toBeInTheDocument();
    const sent = backend.calls.find((c) => c.method === "runChecks")?.args[0];
    expect(sent, "the test uses the client ID, with the secret where a key would go").toEqual({
      key: demo.client_secret,
      client_id: demo.client_id,
      org_id: null,
      region: "auto",
      demo: true,
    });
  });
});
