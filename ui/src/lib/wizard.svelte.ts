// Everything the wizard's steps share, kept while the user goes back and forth.

import { CheckRun } from "./checks.svelte";
import type {
  Advice,
  CheckSpec,
  ConnectionRequest,
  DemoScenario,
  DemoSession,
  HandoverView,
  PlatformId,
  PlatformSummary,
  PreviewData,
  RegionChoice,
  ShapeFeedback,
  UiError,
} from "./types";

export type StepId =
  | "welcome"
  | "platform"
  | "connect_how"
  | "admin"
  | "api_key"
  | "organization"
  | "test"
  | "preview"
  | "save";

/** `saLabel`: the step's name on the service-account path, where it differs. */
export const STEPS: { id: StepId; label: string; saLabel?: string }[] = [
  { id: "welcome", label: "Welcome" },
  { id: "platform", label: "Platform" },
  { id: "connect_how", label: "How to connect" },
  { id: "admin", label: "Read-only admin", saLabel: "Service account" },
  { id: "api_key", label: "API key", saLabel: "Client ID and secret" },
  { id: "organization", label: "Organization" },
  { id: "test", label: "Test connection" },
  { id: "preview", label: "Preview" },
  { id: "save", label: "Save" },
];

/** Shape feedback for one exact input, so a stale answer never enables Next. */
export interface Feedback {
  input: string;
  result: ShapeFeedback;
}

export const ADMIN_STEPS = 6;
export const SERVICE_ACCOUNT_STEPS = 6;

/** How the platform connects: a service account's client ID and secret, or an administrator's API key. */
export type ConnectKind = "service_account" | "api_key";

export class WizardState {
  step = $state<StepId>("welcome");
  /** The scenario chooser shown before a demo starts. */
  choosingDemo = $state(false);
  scenarios = $state<DemoScenario[] | null>(null);
  chosenScenario = $state("healthy");
  demo = $state<DemoSession | null>(null);

  region = $state<RegionChoice>("auto");
  adminDone = $state<boolean[]>(Array.from({ length: ADMIN_STEPS }, () => false));
  key = $state("");
  keyFeedback = $state<Feedback | null>(null);
  connectKind = $state<ConnectKind>("service_account");
  serviceAccountDone = $state<boolean[]>(Array.from({ length: SERVICE_ACCOUNT_STEPS }, () => false));
  clientId = $state("");
  clientSecret = $state("");
  /** Feedback on the client ID and secret together; its input is `credentialsInput`. */
  credentialsFeedback = $state<Feedback | null>(null);
  orgId = $state("");
  orgFeedback = $state<Feedback | null>(null);

  checks: CheckRun;

  preview = $state<PreviewData | null>(null);
  previewError = $state<UiError | null>(null);
  previewFor = $state<string | null>(null);
  previewLoading = $state(false);

  /** The platform the connection is for; it tailors the advice, the Save step and the hand-over. */
  platform = $state<PlatformId | null>(null);
  platforms = $state<PlatformSummary[] | null>(null);

  name = $state("");
  managerAttribute = $state("");
  adminUsername = $state("");
  ownerEmail = $state("");
  /** The name last proposed, so it is proposed again for another platform unless it was edited. */
  proposedName = $state("");
  /** Rust's check of the Save step's values; a problem in it keeps Save off. */
  saveCheck = $state<HandoverView | null>(null);
  sessionOnly = $state(false);

  constructor(catalogue: CheckSpec[] = []) {
    this.checks = new CheckRun(catalogue);
  }

  get chosenPlatform(): PlatformSummary | null {
    return this.platforms?.find((p) => p.id === this.platform) ?? null;
  }

  /** Whether the chosen platform's form has a field filled from `source`. */
  asks(source: PlatformSummary["fields"][number]["source"]): boolean {
    return this.chosenPlatform?.fields.some((f) => f.source === source) ?? false;
  }

  /** Values the platform would refuse, as Rust's check found them. */
  get saveProblems(): Advice[] {
    return this.saveCheck?.handover.advice.filter((a) => a.severity === "problem") ?? [];
  }

  get usesServiceAccount(): boolean {
    return this.connectKind === "service_account";
  }

  get request(): ConnectionRequest {
    const org = this.orgId.trim();
    const common = { org_id: org === "" ? null : org, region: this.region, demo: this.demo !== null };
    // A service account's secret goes where a key would, with its client ID beside it.
    if (this.usesServiceAccount) return { key: this.clientSecret, client_id: this.clientId, ...common };
    return { key: this.key, ...common };
  }

  /** What the client ID and secret feedback was given for. */
  get credentialsInput(): string {
    return JSON.stringify([this.clientId, this.clientSecret]);
  }

  get credentialsOk(): boolean {
    const f = this.credentialsFeedback;
    return this.clientId.trim() !== "" && this.clientSecret.trim() !== "" && f !== null && f.input === this.credentialsInput && f.result.ok;
  }

  /** The chosen kind's credentials are ready to test. */
  get credentialOk(): boolean {
    return this.usesServiceAccount ? this.credentialsOk : this.keyOk;
  }

  /** Identifies the inputs a report or preview was made for. */
  get signature(): string {
    const r = this.request;
    return JSON.stringify([r.key.trim(), r.client_id?.trim() ?? null, r.org_id?.toLowerCase() ?? null, r.region, r.demo]);
  }

  get keyOk(): boolean {
    return this.key.trim() !== "" && this.keyFeedback !== null && this.keyFeedback.input === this.key && this.keyFeedback.result.ok;
  }

  get orgOk(): boolean {
    if (this.orgId.trim() === "") return true;
    return this.orgFeedback !== null && this.orgFeedback.input === this.orgId && this.orgFeedback.result.ok;
  }

  /** The current inputs passed the test. */
  get testedOk(): boolean {
    return !this.checks.running && this.checks.report?.ok === true && this.checks.signature === this.signature;
  }
}
