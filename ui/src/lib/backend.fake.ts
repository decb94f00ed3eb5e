// An in-memory Backend: used by the tests, and by `npm run dev` in a plain browser (no Tauri).
// It plays a small demo JumpCloud org in a few scenarios, emitting check events the way the Rust
// side does (started, then finished, in catalogue order; checks after a failed mandatory one are
// listed as skipped in the report without events). Its messages mirror crates/onboard's wording.

import type { Backend } from "./backend";
import { FakeCollection } from "./collection.fake";
import type {
  About,
  CollectProgress,
  CollectionView,
  ExportedCollection,
  RecordDetail,
  RelatedItem,
  RowPage,
  SortSpec,
  NetworkSettings,
  AdminRow,
  AppInfo,
  AppRow,
  CategoryCount,
  CheckEvent,
  CheckResult,
  CheckSpec,
  CheckState,
  ConnectionList,
  ConnectionRequest,
  ConsolePage,
  DemoScenario,
  DemoSession,
  Diagnosis,
  Diagnostics,
  DiagnosticsSubject,
  DeviceRow,
  Evidence,
  GroupRow,
  HistoryEntry,
  OrgRef,
  PreviewData,
  Region,
  RegionChoice,
  Report,
  SaveRequest,
  SavedBundle,
  SavedConnection,
  ShapeFeedback,
  UiError,
  UserRow,
} from "./types";

// ---------------------------------------------------------------------------------------------
// The catalogue, in the order the Rust side runs it.

const CATEGORIES: { key: string; noun: string; label: string }[] = [
  { key: "users", noun: "users", label: "Users" },
  { key: "user_groups", noun: "user groups", label: "User groups" },
  { key: "group_members", noun: "group memberships", label: "Group memberships" },
  { key: "admins", noun: "administrators and their roles", label: "Administrators" },
  { key: "applications", noun: "SSO applications", label: "SSO applications" },
  { key: "app_access", noun: "which groups can use each application", label: "App access" },
  { key: "devices", noun: "devices", label: "Devices" },
  { key: "device_groups", noun: "device groups", label: "Device groups" },
  { key: "policies", noun: "device policies", label: "Policies" },
  { key: "policy_results", noun: "policy results", label: "Policy results" },
  { key: "ldap_servers", noun: "LDAP servers", label: "LDAP servers" },
  { key: "radius_servers", noun: "RADIUS servers", label: "RADIUS servers" },
];

const capitalise = (s: string): string => s.charAt(0).toUpperCase() + s.slice(1);

export const FAKE_CATALOGUE: CheckSpec[] = [
  { id: "key.shape", title: "API key looks right", mandatory: true },
  { id: "org.shape", title: "Organization ID looks right", mandatory: true },
  { id: "network.reach", title: "JumpCloud can be reached", mandatory: true },
  { id: "key.accepted", title: "JumpCloud accepts the key", mandatory: true },
  { id: "org.selected", title: "Organization is selected", mandatory: true },
  { id: "role.least_privilege", title: "Key is read-only", mandatory: true },
  ...CATEGORIES.map((c) => ({ id: `access.${c.key}`, title: `${capitalise(c.noun)} can be read`, mandatory: c.key === "users" })),
  { id: "preview.sample", title: "Records come back", mandatory: false },
];

// ---------------------------------------------------------------------------------------------
// Scenarios.

interface OrgData {
  ref: OrgRef;
  domain: string;
  counts: Record<string, number>;
}

interface Scenario {
  id: string;
  label: string;
  description: string;
  region: Region;
  role: string;
  orgs: OrgData[];
  /** Categories answered with 429 during the test and the preview. */
  throttled: string[];
}

const STANDARD_COUNTS: Record<string, number> = {
  users: 25,
  user_groups: 6,
  group_members: 41,
  admins: 3,
  applications: 5,
  app_access: 7,
  devices: 12,
  device_groups: 3,
  policies: 4,
  policy_results: 12,
  ldap_servers: 1,
  radius_servers: 1,
};

const scaled = (factor: number): Record<string, number> =>
  Object.fromEntries(Object.entries(STANDARD_COUNTS).map(([k, v]) => [k, Math.max(1, Math.round(v * factor))]));

const ACME: OrgData = { ref: { id: "5d2f7024f0e1526be4df38e7", name: "Acme Corp" }, domain: "acme.example", counts: STANDARD_COUNTS };

export const FAKE_SCENARIOS: Scenario[] = [
  {
    id: "healthy",
    label: "Healthy organization",
    description: "One US organization and a Read Only administrator's key: every check passes.",
    region: "us",
    role: "Read Only",
    orgs: [ACME],
    throttled: [],
  },
  {
    id: "eu-region",
    label: "EU data center",
    description: "The organization is hosted in the EU, so the US data center does not know the key; the test finds the right one.",
    region: "eu",
    role: "Read Only",
    orgs: [{ ref: { id: "61a4c2e9b7d3f80012ab34cd", name: "Acme Europe GmbH" }, domain: "acme.example.eu", counts: scaled(0.6) }],
    throttled: [],
  },
  {
    id: "multi-tenant",
    label: "Several organizations (multi-tenant)",
    description: "An administrator who manages three organizations: the test asks you to pick one.",
    region: "us",
    role: "Read Only",
    orgs: [
      { ref: { id: "64b0f1a2c3d4e5f6a7b8c9d0", name: "Northwind Traders" }, domain: "northwind.example", counts: scaled(1.4) },
      { ref: { id: "64b0f1a2c3d4e5f6a7b8c9d1", name: "Contoso Ltd" }, domain: "contoso.example", counts: scaled(0.8) },
      { ref: { id: "64b0f1a2c3d4e5f6a7b8c9d2", name: "Fabrikam Inc" }, domain: "fabrikam.example", counts: scaled(0.3) },
    ],
    throttled: [],
  },
  {
    id: "command-runner",
    label: "Command Runner key",
    description: "The key belongs to a Command Runner administrator, who cannot read the directory: the role check fails.",
    region: "us",
    role: "Command Runner",
    orgs: [ACME],
    throttled: [],
  },
  {
    id: "rate-limited",
    label: "Rate limited",
    description: "JumpCloud answers some requests with 429 Too Many Requests: a few checks warn, and you can still go on.",
    region: "us",
    role: "Read Only",
    orgs: [ACME],
    throttled: ["devices", "policies", "policy_results"],
  },
];

/** A deterministic 36-character tail, so each scenario has a stable, well-shaped demo key. */
function demoKey(seed: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  let h = 2166136261;
  for (const ch of seed) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  let out = "";
  for (let i = 0; i < 36; i++) {
    h = Math.imul(h ^ (h >>> 15), 2246822507) >>> 0;
    h = (h + 0x9e3779b9) >>> 0;
    out += alphabet[h % alphabet.length];
  }
  return `jca_${out}`;
}

export const FAKE_DEMO_KEYS: Record<string, string> = Object.fromEntries(FAKE_SCENARIOS.map((s) => [s.id, demoKey(s.id)]));

function scenarioById(id: string): Scenario | undefined {
  return FAKE_SCENARIOS.find((s) => s.id === id);
}

// ---------------------------------------------------------------------------------------------
// Shape checks (mirroring crates/onboard/src/checks/input.rs).

const KEY_LEN = 40;
const KEY_PREFIX = "jca_";
const WHERE_THE_KEY_IS =
  'In the JumpCloud console, click the circle with your initials (top right), choose "My API Key" and copy the whole key. ' +
  'Do not click "Generate New API Key" unless you mean to: it stops the old key from working.';
const WHERE_THE_ORG_IS =
  "In the JumpCloud console open Settings, Organization Profile, General, click the eye icon next to the Organization ID " +
  "and copy it. Or leave it empty: single-organization keys don't need it.";

export function fakeKeyShape(pasted: string): ShapeFeedback {
  const key = pasted.trim();
  const trimmedNote = key !== pasted && key !== "" ? "Spaces around the key were removed. " : "";
  if (key === "") return { ok: false, message: "No API key was entered." };
  if (/\s/.test(key)) {
    return { ok: false, message: "The key has spaces or line breaks inside it, so it was probably copied with extra text." };
  }
  if (key.length > 200) {
    return { ok: false, message: `The pasted text is ${key.length} characters long, far longer than a JumpCloud API key (${KEY_LEN}).` };
  }
  if (!/^[A-Za-z0-9_-]+$/.test(key)) {
    return {
      ok: false,
      message: "The key contains characters that never appear in JumpCloud keys, so it was probably copied with extra text.",
    };
  }
  if (key.length !== KEY_LEN) {
    if (key.startsWith(KEY_PREFIX) && key.length < KEY_LEN) {
      return { ok: false, message: `The key is ${key.length} characters long but JumpCloud keys are ${KEY_LEN}: part of it is missing.` };
    }
    return {
      ok: false,
      message: `The key is ${key.length} characters long but JumpCloud keys are ${KEY_LEN}, so this is not a whole JumpCloud API key.`,
    };
  }
  if (!key.startsWith(KEY_PREFIX)) {
    return {
      ok: true,
      message: `${trimmedNote}The key has the right length. It is an older-style key (newer ones start with "${KEY_PREFIX}"), which still works.`,
    };
  }
  return { ok: true, message: `${trimmedNote}The key has the right shape.` };
}

export function fakeOrgShape(given: string): ShapeFeedback {
  const id = given.trim();
  if (id === "") return { ok: true, message: "No organization ID was given; it will be found from the key." };
  if (id.length !== 24) return { ok: false, message: `The organization ID is ${id.length} characters long; JumpCloud organization IDs are 24.` };
  if (!/^[0-9a-fA-F]{24}$/.test(id)) return { ok: false, message: "The organization ID may only contain the digits 0-9 and the letters a-f." };
  return { ok: true, message: `The organization ID ${id.toLowerCase()} has the right shape.` };
}

// ---------------------------------------------------------------------------------------------
// Evidence helpers.

const REGION_HOSTS: Record<Region, string> = {
  us: "console.jumpcloud.com",
  eu: "console.eu.jumpcloud.com",
  in: "console.in.jumpcloud.com",
};
const REGION_NAMES: Record<Region, string> = { us: "US", eu: "EU", in: "India" };
const DEMO_HOSTS: Record<Region, string> = { us: "127.0.0.1:41234", eu: "127.0.0.1:41235", in: "127.0.0.1:41236" };

let requestCounter = 0x51a3;
function rayId(): string {
  requestCounter += 0x1f3d;
  return `8f${(requestCounter * 2654435761).toString(16).slice(-12).padStart(12, "0")}-FRA`;
}

function evidence(host: string, route: string, status: number | null, outcome: string, serverSaid: string | null = null): Evidence {
  return {
    host,
    route,
    status,
    latency_ms: 60 + ((requestCounter >> 3) % 140),
    request_id: status === null ? null : rayId(),
    outcome,
    server_said: serverSaid,
  };
}

function uiError(kind: string, message: string, fix: string | null): UiError {
  return { kind, message, fix };
}

// ---------------------------------------------------------------------------------------------
// Sample records.

const PEOPLE = [
  ["Ada", "Lovelace"],
  ["Grace", "Hopper"],
  ["Alan", "Turing"],
  ["Katherine", "Johnson"],
  ["Margaret", "Hamilton"],
  ["Edsger", "Dijkstra"],
  ["Barbara", "Liskov"],
  ["Donald", "Knuth"],
] as const;

function logo(letter: string, colour: string): string {
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" width="32" height="32" viewBox="0 0 32 32">` +
    `<rect width="32" height="32" rx="7" fill="${colour}"/>` +
    `<text x="16" y="22" font-family="sans-serif" font-size="17" font-weight="700" fill="#fff" text-anchor="middle">${letter}</text></svg>`;
  return `data:image/svg+xml;base64,${btoa(svg)}`;
}

function previewFor(scenario: Scenario, org: OrgData, now = Date.now()): PreviewData {
  const d = org.domain;
  const hoursAgo = (h: number): string => new Date(now - h * 3_600_000).toISOString();
  const users: UserRow[] = PEOPLE.slice(0, 6).map(([first, last], i) => ({
    id: `64c1${i}a2b3c4d5e6f7a8b9c0d${i}`,
    username: `${first.toLowerCase()}.${last.toLowerCase()}`,
    email: `${first.toLowerCase()}.${last.toLowerCase()}@${d}`,
    name: `${first} ${last}`,
    state: i === 4 ? "SUSPENDED" : "ACTIVATED",
    mfa: i % 3 !== 2,
    manager: i === 0 ? null : `ada.lovelace@${d}`,
  }));
  const groupNames: [string, string | null][] = [
    ["All Employees", "Everyone in the company"],
    ["Engineering", "Product and platform engineers"],
    ["Finance", null],
    ["IT Admins", "People who manage devices and apps"],
    ["Sales", "Account executives and SDRs"],
  ];
  const groups: GroupRow[] = groupNames.map(([name, description], i) => ({ id: `64d2${i}0000000000000000000`.slice(0, 24), name, description }));
  const admins: AdminRow[] = [
    { id: "64e300000000000000000001", email: `owner@${d}`, name: "Olivia Owner", role: "Administrator With Billing" },
    { id: "64e300000000000000000002", email: `helpdesk@${d}`, name: "Hank Desk", role: "Help Desk" },
    { id: "64e300000000000000000003", email: `it-readonly@${d}`, name: "Integration (read only)", role: scenario.role },
  ];
  const apps: AppRow[] = [
    { id: "64f400000000000000000001", name: "Slack", sso_type: "SAML", active: true, logo: logo("S", "#4a154b") },
    { id: "64f400000000000000000002", name: "Google Workspace", sso_type: "SAML", active: true, logo: logo("G", "#1a73e8") },
    { id: "64f400000000000000000003", name: "Salesforce", sso_type: "SAML", active: true, logo: logo("S", "#0b7bc1") },
    { id: "64f400000000000000000004", name: "Zoom", sso_type: "OIDC", active: false, logo: logo("Z", "#2d8cff") },
    { id: "64f400000000000000000005", name: "Internal wiki", sso_type: "Bookmark", active: true, logo: null },
  ];
  const devices: DeviceRow[] = [
    { id: "650500000000000000000001", hostname: "ada-macbook-pro", os: "macOS 14.5", last_contact: hoursAgo(2), agent_version: "1.160.0" },
    { id: "650500000000000000000002", hostname: "grace-thinkpad", os: "Windows 11 Pro", last_contact: hoursAgo(19), agent_version: "1.158.2" },
    { id: "650500000000000000000003", hostname: "build-runner-01", os: "Ubuntu 22.04", last_contact: hoursAgo(24 * 20), agent_version: "1.151.0" },
    { id: "650500000000000000000004", hostname: "alan-imac", os: "macOS 13.6", last_contact: null, agent_version: null },
  ];
  const categories: CategoryCount[] = CATEGORIES.map((c) => {
    if (scenario.throttled.includes(c.key)) {
      return {
        category: c.key,
        label: c.label,
        total: null,
        status: "failed",
        message: "JumpCloud kept asking us to slow down (429 Too Many Requests). Try again in a few minutes.",
      };
    }
    return { category: c.key, label: c.label, total: org.counts[c.key] ?? 0, status: "ok", message: null };
  });
  return {
    categories,
    users: users.slice(0, Math.min(users.length, org.counts.users ?? 0)),
    groups,
    admins,
    apps,
    devices: scenario.throttled.includes("devices") ? [] : devices,
  };
}

// ---------------------------------------------------------------------------------------------

export interface FakeOptions {
  /** Milliseconds each check takes. 0 in tests (still asynchronous). */
  delayMs?: number;
  keychainAvailable?: boolean;
  keychainMessage?: string | null;
  connections?: SavedConnection[];
  storeProblem?: string | null;
  /** What a well-shaped key that is no demo key plays. */
  unknownKeyScenario?: string;
  version?: string;
}

interface StoredConnection {
  connection: SavedConnection;
  key: string;
  orgId: string | null;
  region: RegionChoice;
}

/** Every call the fake received, for tests to assert on. */
export interface FakeCall {
  method: keyof Backend;
  args: unknown[];
}

export class FakeBackend implements Backend {
  readonly calls: FakeCall[] = [];
  private readonly delayMs: number;
  private keychain: { available: boolean; message: string | null };
  private readonly version: string;
  private readonly unknownKeyScenario: string;
  private stored: StoredConnection[];
  private storeProblem: string | null;
  private demo: Scenario | null = null;
  private nextId = 1;
  private lastReports = new Map<string, { report: Report; key: string }>();
  private histories = new Map<string, HistoryEntry[]>();
  private bundles = 0;

  constructor(options: FakeOptions = {}) {
    this.delayMs = options.delayMs ?? 0;
    const available = options.keychainAvailable ?? true;
    this.keychain = {
      available,
      message: available
        ? null
        : (options.keychainMessage ??
          "No keychain (Secret Service) is running on this computer, so the API key cannot be stored safely."),
    };
    this.version = options.version ?? "0.1.0-dev";
    this.unknownKeyScenario = options.unknownKeyScenario ?? "healthy";
    this.storeProblem = options.storeProblem ?? null;
    this.stored = (options.connections ?? []).map((connection) => {
      const played = connection.demo_scenario ?? (connection.region === "eu" ? "eu-region" : "healthy");
      const scenario = scenarioById(played) ?? FAKE_SCENARIOS[0]!;
      return { connection, key: FAKE_DEMO_KEYS[scenario.id]!, orgId: connection.org?.id ?? null, region: connection.region ?? "auto" };
    });
  }

  private record(method: keyof Backend, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private wait(factor = 1): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, this.delayMs * factor));
  }

  // --- app --------------------------------------------------------------------------------

  async appInfo(): Promise<AppInfo> {
    this.record("appInfo");
    await this.wait(0);
    return { version: this.version, keychain: { ...this.keychain }, checks: FAKE_CATALOGUE.map((c) => ({ ...c })) };
  }

  async demoScenarios(): Promise<DemoScenario[]> {
    this.record("demoScenarios");
    await this.wait(0);
    return FAKE_SCENARIOS.map(({ id, label, description }) => ({ id, label, description }));
  }

  async startDemo(scenario: string): Promise<DemoSession> {
    this.record("startDemo", scenario);
    await this.wait(2);
    const found = scenarioById(scenario);
    if (!found) {
      throw uiError("unknown_scenario", `There is no demo scenario called "${scenario}".`, "Pick one of the scenarios in the list.");
    }
    this.demo = found;
    return { scenario: found.id, api_key: FAKE_DEMO_KEYS[found.id]!, org_id: found.orgs.length > 1 ? null : found.orgs[0]!.ref.id };
  }

  async stopDemo(): Promise<void> {
    this.record("stopDemo");
    await this.wait(0);
    this.demo = null;
  }

  async keyShape(key: string): Promise<ShapeFeedback> {
    this.record("keyShape", key);
    await this.wait(0);
    return fakeKeyShape(key);
  }

  async orgShape(orgId: string): Promise<ShapeFeedback> {
    this.record("orgShape", orgId);
    await this.wait(0);
    return fakeOrgShape(orgId);
  }

  async openConsole(region: Region | null, page: ConsolePage): Promise<void> {
    this.record("openConsole", region, page);
    await this.wait(0);
  }

  // --- checks -------------------------------------------------------------------------------

  private scenarioForKey(key: string, demo: boolean): Scenario {
    if (demo) {
      if (!this.demo) {
        throw uiError(
          "demo_not_running",
          "The demo organization is not running.",
          "Go back to the start and choose \"Try with a demo organization\" again.",
        );
      }
      return this.demo;
    }
    const trimmed = key.trim();
    const byKey = FAKE_SCENARIOS.find((s) => FAKE_DEMO_KEYS[s.id] === trimmed);
    return byKey ?? scenarioById(this.unknownKeyScenario) ?? FAKE_SCENARIOS[0]!;
  }

  async runChecks(req: ConnectionRequest, onEvent: (e: CheckEvent) => void): Promise<Report> {
    this.record("runChecks", { ...req });
    const scenario = this.scenarioForKey(req.key, req.demo);
    const report = await this.play(scenario, req, onEvent);
    this.lastReports.set("current", { report, key: req.key.trim() });
    return report;
  }

  private async play(scenario: Scenario, req: ConnectionRequest, onEvent: (e: CheckEvent) => void): Promise<Report> {
    const results: CheckResult[] = [];
    let blocker: string | null = null;
    let inputProblem = false;
    const hosts = req.demo ? DEMO_HOSTS : REGION_HOSTS;
    let region: Region | null = null;
    let org: OrgRef | null = null;
    let orgData: OrgData | null = null;
    let orgsAvailable: OrgRef[] = [];
    let role: string | null = null;

    const run = async (
      spec: CheckSpec,
      body: () => { state: CheckState; message: string; fix?: string | null; detail?: Evidence[] },
      factor = 1,
    ): Promise<CheckResult | null> => {
      if (blocker !== null) return null;
      onEvent({ event: "started", id: spec.id, title: spec.title });
      await this.wait(factor);
      const out = body();
      const result: CheckResult = {
        id: spec.id,
        title: spec.title,
        mandatory: spec.mandatory,
        state: out.state,
        message: out.message,
        fix: out.fix ?? null,
        detail: out.detail ?? [],
      };
      results.push(result);
      onEvent({ event: "finished", ...result });
      return result;
    };
    const spec = (id: string): CheckSpec => FAKE_CATALOGUE.find((c) => c.id === id)!;
    const blockIfFailed = (r: CheckResult | null): void => {
      if (r && r.state === "fail" && r.mandatory && blocker === null) blocker = r.title;
    };

    // Both input checks always run, so every input problem shows at once.
    for (const [id, feedback, fix] of [
      ["key.shape", fakeKeyShape(req.key), WHERE_THE_KEY_IS],
      ["org.shape", fakeOrgShape(req.org_id ?? ""), WHERE_THE_ORG_IS],
    ] as const) {
      const r = await run(spec(id), () => ({ state: feedback.ok ? "pass" : "fail", message: feedback.message, fix: feedback.ok ? null : fix }), 0.5);
      if (r?.state === "fail") inputProblem = true;
    }
    if (inputProblem) blocker = results.find((r) => r.state === "fail")?.title ?? "API key looks right";

    const probeRegion: Region = req.region === "auto" ? "us" : req.region;
    blockIfFailed(
      await run(spec("network.reach"), () => ({
        state: "pass",
        message: `JumpCloud's ${REGION_NAMES[probeRegion]} data center answered.`,
        detail: [evidence(hosts[probeRegion], "TLS handshake", null, "connected (TLS 1.3)")],
      })),
    );

    blockIfFailed(
      await run(
        spec("key.accepted"),
        () => {
          const route = "GET /api/organizations?limit=1";
          const unknown = '{"message":"Unauthorized: api key user not found"}';
          if (req.region !== "auto" && req.region !== scenario.region) {
            return {
              state: "fail",
              message: `The ${REGION_NAMES[req.region]} data center does not know this key. Your organization may be hosted in another data center.`,
              fix: 'Go back to "Create a read-only administrator" and choose Automatic, so every data center is tried. If that fails too, copy the key again.',
              detail: [evidence(hosts[req.region], route, 401, "401 Unauthorized", unknown)],
            };
          }
          region = scenario.region;
          if (req.region === "auto" && scenario.region !== "us") {
            const tried: Evidence[] = [evidence(hosts.us, route, 401, "401 Unauthorized: tried the next data center", unknown)];
            if (scenario.region === "in") tried.push(evidence(hosts.eu, route, 401, "401 Unauthorized: tried the next data center", unknown));
            tried.push(evidence(hosts[scenario.region], route, 200, `200 OK, ${scenario.orgs.length} organization(s)`));
            return {
              state: "pass",
              message: `The US data center did not know the key, so we asked the others: your organization is in the ${REGION_NAMES[scenario.region]} data center. We switched for you.`,
              detail: tried,
            };
          }
          return {
            state: "pass",
            message: `JumpCloud's ${REGION_NAMES[scenario.region]} data center accepted the key.`,
            detail: [evidence(hosts[scenario.region], route, 200, `200 OK, ${scenario.orgs.length} organization(s)`)],
          };
        },
        scenario.region === "us" ? 1 : 2.5,
      ),
    );

    const home = hosts[scenario.region];
    blockIfFailed(
      await run(spec("org.selected"), () => {
        orgsAvailable = scenario.orgs.map((o) => ({ ...o.ref }));
        const list = evidence(home, "GET /api/organizations?limit=100&skip=0", 200, `200 OK, ${scenario.orgs.length} organization(s)`);
        const given = req.org_id?.trim().toLowerCase() || null;
        if (given) {
          const match = scenario.orgs.find((o) => o.ref.id === given);
          if (!match) {
            return {
              state: "fail",
              message: `This key cannot reach the organization ${given}.`,
              fix: "Check the organization ID (Settings, Organization Profile), or leave it empty to choose from the organizations this key reaches.",
              detail: [list, evidence(home, `GET /api/organizations/${given}`, 404, "404 Not Found", '{"message":"Not found"}')],
            };
          }
          orgData = match;
          org = { ...match.ref };
          return { state: "pass", message: `Using organization "${match.ref.name}" (${match.ref.id}).`, detail: [list] };
        }
        if (scenario.orgs.length === 1) {
          const only = scenario.orgs[0]!;
          orgData = only;
          org = { ...only.ref };
          return { state: "pass", message: `Using organization "${only.ref.name}" (${only.ref.id}), the only one this key reaches.`, detail: [list] };
        }
        return {
          state: "fail",
          message: `This key belongs to a multi-tenant administrator who can reach ${scenario.orgs.length} organizations (${scenario.orgs
            .map((o) => o.ref.name)
            .join(", ")}). Choose which one to connect.`,
          fix: "Pick the organization from the list. Each organization's ID is in its console under Settings, Organization Profile.",
          detail: [list],
        };
      }),
    );

    const createReadOnly =
      `An Administrator With Billing signs in to ${REGION_HOSTS[scenario.region]}, opens the initials menu (top right), Administrators, ` +
      "clicks +, adds an administrator with the Read Only role and turns on its API access. Sign in as that administrator, " +
      'copy its key from "My API Key" and use it here.';
    blockIfFailed(
      await run(spec("role.least_privilege"), () => {
        role = scenario.role;
        const detail = [evidence(home, "GET /api/settings", 200, `200 OK, ROLE = "${scenario.role}"`)];
        if (scenario.role === "Read Only") {
          return { state: "pass", message: `The key's administrator has the ${scenario.role} role.`, detail };
        }
        if (scenario.role.startsWith("Command Runner")) {
          return {
            state: "fail",
            message: `The key's administrator has the ${scenario.role} role, which cannot read users, groups or applications (JumpCloud answers 403 Forbidden).`,
            fix: createReadOnly,
            detail,
          };
        }
        return {
          state: "warn",
          message: `The key's administrator has the ${scenario.role} role, which can change your directory. This app only reads, but a read-only key is safer to hand to an integration.`,
          fix: createReadOnly,
          detail,
        };
      }),
    );

    for (const c of CATEGORIES) {
      blockIfFailed(
        await run(
          spec(`access.${c.key}`),
          () => {
            const route = `GET /api/${c.key === "users" ? "systemusers" : `v2/${c.key.replace("_", "")}`}?limit=1`;
            if (scenario.throttled.includes(c.key)) {
              return {
                state: "warn",
                message: `JumpCloud asked us to slow down (429 Too Many Requests), so ${c.noun} were not checked. When collecting, this app waits and tries again.`,
                fix: "Nothing to do now. If it keeps happening, another tool may be using the same key heavily: wait a few minutes and click Retry.",
                detail: [evidence(home, route, 429, "429 Too Many Requests, Retry-After: 30", '{"message":"Too Many Requests"}')],
              };
            }
            const total = orgData?.counts[c.key] ?? 0;
            return {
              state: "pass",
              message: `The key can read ${c.noun} (${total} found).`,
              detail: [evidence(home, route, 200, `200 OK, totalCount ${total}`)],
            };
          },
          0.6,
        ),
      );
    }

    await run(spec("preview.sample"), () => {
      const domain = (orgData as OrgData | null)?.domain ?? "acme.example";
      return {
        state: "pass",
        message: `The first users came back, for example Ada Lovelace (ada.lovelace@${domain}).`,
        detail: [evidence(home, "GET /api/systemusers?limit=5&skip=0&sort=_id", 200, "200 OK, 5 records")],
      };
    });

    // Every check that did not run is listed as skipped, as the Rust side does.
    const checks: CheckResult[] = FAKE_CATALOGUE.map((c) => {
      const done = results.find((r) => r.id === c.id);
      return (
        done ?? {
          ...c,
          state: "skipped" as const,
          message: `Not checked, because "${blocker ?? "an earlier check"}" failed.`,
          fix: null,
          detail: [],
        }
      );
    });
    const ok = !checks.some((c) => c.mandatory && c.state === "fail");
    return { ok, region, org, orgs_available: orgsAvailable, role, checks };
  }

  async preview(req: ConnectionRequest): Promise<PreviewData> {
    this.record("preview", { ...req });
    const scenario = this.scenarioForKey(req.key, req.demo);
    await this.wait(3);
    const given = req.org_id?.trim().toLowerCase() || null;
    const org = given ? scenario.orgs.find((o) => o.ref.id === given) : scenario.orgs.length === 1 ? scenario.orgs[0] : undefined;
    if (!org) {
      throw uiError("org_required", "This key reaches several organizations, and none is chosen.", "Go back to Test connection and pick the organization.");
    }
    if (scenario.role.startsWith("Command Runner")) {
      throw uiError("forbidden", "JumpCloud refused to show any records to this key (403 Forbidden).", "Use the key of a Read Only administrator.");
    }
    return previewFor(scenario, org);
  }

  // --- saved connections ----------------------------------------------------------------------

  async listConnections(): Promise<ConnectionList> {
    this.record("listConnections");
    await this.wait(0);
    return { connections: this.stored.map((s) => clone(s.connection)), store_problem: this.storeProblem };
  }

  async saveConnection(req: SaveRequest): Promise<SavedConnection> {
    this.record("saveConnection", clone(req));
    await this.wait(1);
    const name = req.name.trim();
    if (name === "") throw uiError("invalid_name", "The connection needs a name.", 'Type a name, for example "Production_JumpCloud".');
    if (this.stored.some((s) => s.connection.name.toLowerCase() === name.toLowerCase())) {
      throw uiError("name_taken", `There is already a connection called "${name}".`, "Choose another name.");
    }
    if (!this.keychain.available && !req.session_only) {
      throw uiError(
        "keychain_unavailable",
        "The key cannot be stored: this computer has no keychain available.",
        'Choose "Use the key for this session only", or start your system\'s keychain and try again.',
      );
    }
    const key = req.key.trim();
    const connection: SavedConnection = {
      id: `conn-${this.nextId++}`,
      name,
      region: req.report.region,
      org: req.report.org,
      manager_attribute: req.manager_attribute?.trim() || null,
      demo_scenario: req.demo ? (this.demo?.id ?? null) : null,
      last_test: { at: new Date().toISOString(), ok: req.report.ok, summary: summarise(req.report) },
      key_last_four: key.slice(-4),
      session_only: req.session_only,
    };
    this.stored.push({ connection, key, orgId: req.report.org?.id ?? null, region: req.report.region ?? "auto" });
    this.lastReports.set(`saved:${connection.id}`, { report: clone(req.report), key });
    return clone(connection);
  }

  private find(id: string): StoredConnection {
    const found = this.stored.find((s) => s.connection.id === id);
    if (!found) {
      throw uiError("not_found", "This connection no longer exists.", "Go back to the list of connections; it has been refreshed.");
    }
    return found;
  }

  async retestConnection(id: string, onEvent: (e: CheckEvent) => void): Promise<Report> {
    this.record("retestConnection", id);
    const stored = this.find(id);
    const scenario = scenarioById(stored.connection.demo_scenario ?? "") ?? this.scenarioForKey(stored.key, false);
    const report = await this.play(scenario, { key: stored.key, org_id: stored.orgId, region: stored.region, demo: stored.connection.demo_scenario !== null }, onEvent);
    stored.connection.last_test = { at: new Date().toISOString(), ok: report.ok, summary: summarise(report) };
    if (report.region) stored.connection.region = report.region;
    this.lastReports.set(`saved:${id}`, { report, key: stored.key });
    return report;
  }

  async renameConnection(id: string, name: string): Promise<SavedConnection> {
    this.record("renameConnection", id, name);
    await this.wait(0);
    const stored = this.find(id);
    const trimmed = name.trim();
    if (trimmed === "") throw uiError("invalid_name", "The connection needs a name.", "Type a name and save again.");
    if (this.stored.some((s) => s !== stored && s.connection.name.toLowerCase() === trimmed.toLowerCase())) {
      throw uiError("name_taken", `There is already a connection called "${trimmed}".`, "Choose another name.");
    }
    stored.connection.name = trimmed;
    return clone(stored.connection);
  }

  async replaceKey(id: string, key: string): Promise<SavedConnection> {
    this.record("replaceKey", id, key);
    await this.wait(1);
    const stored = this.find(id);
    const shape = fakeKeyShape(key);
    if (!shape.ok) throw uiError("invalid_key", shape.message, WHERE_THE_KEY_IS);
    stored.key = key.trim();
    stored.connection.key_last_four = stored.key.slice(-4);
    stored.connection.last_test = null;
    return clone(stored.connection);
  }

  async deleteConnection(id: string): Promise<void> {
    this.record("deleteConnection", id);
    await this.wait(0);
    this.find(id);
    this.stored = this.stored.filter((s) => s.connection.id !== id);
    this.histories.delete(id);
    this.lastReports.delete(`saved:${id}`);
  }

  // --- diagnostics ----------------------------------------------------------------------------

  /** Seeds earlier runs of a saved connection (tests, and the browser demo). */
  setHistory(id: string, runs: HistoryEntry[]): void {
    this.histories.set(id, clone(runs));
  }

  private slot(subject: DiagnosticsSubject): string {
    return "saved" in subject ? `saved:${subject.saved}` : "current";
  }

  private last(subject: DiagnosticsSubject): { report: Report; key: string } {
    if ("saved" in subject) this.find(subject.saved);
    const found = this.lastReports.get(this.slot(subject));
    if (!found) throw uiError("not_connected", "The checks have not run for this connection yet.", 'Choose "Re-run checks" first.');
    return found;
  }

  async diagnoseConnection(subject: DiagnosticsSubject, onEvent: (e: CheckEvent) => void): Promise<Diagnostics> {
    this.record("diagnoseConnection", clone(subject));
    let history: HistoryEntry[] = [];
    let report: Report;
    let lastFour: string | null;
    if ("saved" in subject) {
      const id = subject.saved;
      report = await this.retestConnection(id, onEvent);
      const stored = this.find(id);
      lastFour = stored.connection.key_last_four;
      const runs = this.histories.get(id) ?? [];
      const states = Object.fromEntries(report.checks.map((c) => [c.id, c.state]));
      const previous = runs[runs.length - 1];
      const changed = previous
        ? Object.entries(states)
            .filter(([cid, state]) => previous.states[cid] !== state)
            .map(([cid, state]) => ({ id: cid, from: previous.states[cid] ?? null, to: state }))
        : [];
      runs.push({ at: new Date().toISOString(), ok: report.ok, changed, states });
      this.histories.set(id, runs);
      history = clone(runs);
    } else {
      report = await this.runChecks(subject.current, onEvent);
      lastFour = `…${subject.current.key.trim().slice(-4)}`;
    }
    return {
      report,
      diagnoses: fakeDiagnose(report),
      history,
      region: report.region,
      org: report.org,
      role: report.role,
      key_last_four: lastFour,
      history_problem: null,
    };
  }

  async connectionHistory(id: string): Promise<HistoryEntry[]> {
    this.record("connectionHistory", id);
    await this.wait(0);
    this.find(id);
    return clone(this.histories.get(id) ?? []);
  }

  async supportSummary(subject: DiagnosticsSubject): Promise<string> {
    this.record("supportSummary", clone(subject));
    await this.wait(0);
    const { report, key } = this.last(subject);
    const name = "saved" in subject ? this.find(subject.saved).connection.name : "not saved yet (wizard)";
    const lines = [
      `JumpCloud Onboarding ${this.version}: support summary`,
      `Connection: ${name}`,
      `Data center: ${report.region ? REGION_NAMES[report.region] : "not known"}`,
      `Organization: ${report.org ? `${report.org.name} (${report.org.id})` : "not known"}`,
      `Role: ${report.role ?? "not known"}`,
      `API key: ends in …${key.slice(-4)}`,
      `Result: ${report.ok ? "connected" : "not connected"}`,
      "Checks:",
      ...report.checks.map((c) => `  [${c.state}] ${c.title}: ${c.message}`),
      "Diagnoses:",
      ...fakeDiagnose(report).map((d) => `  [${d.severity}] ${d.title}: ${d.cause} Fix: ${d.fix}`),
    ];
    return lines.join("\n").split(key).join("[redacted key]") + "\n";
  }

  async saveSupportBundle(subject: DiagnosticsSubject, includePersonalData: boolean): Promise<SavedBundle> {
    this.record("saveSupportBundle", clone(subject), includePersonalData);
    await this.wait(1);
    this.last(subject);
    this.bundles++;
    const folder = "/home/you/Downloads";
    return { path: `${folder}/jc-onboard-support-${this.bundles}.json`, folder };
  }

  private extraCa: string | null = null;

  async networkSettings(): Promise<NetworkSettings> {
    this.record("networkSettings");
    await this.wait(0);
    return { extra_ca_pem: this.extraCa, proxies: [] };
  }

  async setExtraCa(pem: string | null): Promise<NetworkSettings> {
    this.record("setExtraCa", pem);
    await this.wait(0);
    const trimmed = pem?.trim() ?? "";
    if (trimmed !== "" && !/^-----BEGIN CERTIFICATE-----[\s\S]+-----END CERTIFICATE-----$/.test(trimmed)) {
      throw uiError(
        "input",
        "The extra CA certificate could not be used (the extra CA certificate could not be read).",
        "Use your company's CA certificate in PEM format: a text file that starts with -----BEGIN CERTIFICATE-----. Your IT team can provide it. Or remove the setting.",
      );
    }
    this.extraCa = trimmed === "" ? null : trimmed;
    return { extra_ca_pem: this.extraCa, proxies: [] };
  }

  async openLogFolder(): Promise<string> {
    this.record("openLogFolder");
    await this.wait(0);
    return "/home/you/.local/share/com.jconboard.wizard/logs";
  }

  async openCauseLink(causeId: string, region: Region | null): Promise<void> {
    this.record("openCauseLink", causeId, region);
    await this.wait(0);
  }

  async openBundleFolder(): Promise<string> {
    this.record("openBundleFolder");
    await this.wait(0);
    return "/home/you/Downloads";
  }

  // --- collection ---------------------------------------------------------------------------

  readonly collection = new FakeCollection();
  private exports = 0;

  async startCollection(managerAttribute: string | null, onProgress: (p: CollectProgress) => void): Promise<CollectionView> {
    this.record("startCollection", managerAttribute);
    return this.collection.start(onProgress, () => this.wait(1));
  }

  async cancelCollection(): Promise<void> {
    this.record("cancelCollection");
  }

  async currentCollection(): Promise<CollectionView | null> {
    this.record("currentCollection");
    await this.wait(0);
    return this.collection.last;
  }

  async collectionRows(category: string, offset: number, limit: number, search: string | null, sort: SortSpec | null): Promise<RowPage> {
    this.record("collectionRows", category, offset, limit, search, sort);
    await this.wait(0);
    return this.collection.page(category, offset, limit, search, sort);
  }

  async collectionRowIndex(category: string, id: string, search: string | null, sort: SortSpec | null): Promise<number | null> {
    this.record("collectionRowIndex", category, id, search, sort);
    await this.wait(0);
    const at = this.collection.page(category, 0, Number.MAX_SAFE_INTEGER, search, sort, true).ids.indexOf(id);
    return at < 0 ? null : at;
  }

  async collectionRecord(category: string, id: string): Promise<RecordDetail> {
    this.record("collectionRecord", category, id);
    await this.wait(0);
    return this.collection.record(category, id);
  }

  async related(category: string, id: string): Promise<RelatedItem[]> {
    this.record("related", category, id);
    await this.wait(0);
    return this.collection.related(category, id);
  }

  async exportCollection(): Promise<ExportedCollection> {
    this.record("exportCollection");
    await this.wait(0);
    this.exports += 1;
    return { path: `/home/you/Downloads/jumpcloud-export-${this.exports}`, folder: "/home/you/Downloads" };
  }

  // --- the window ---------------------------------------------------------------------------

  private closeListeners = new Set<() => void>();
  /** True once the fake was asked to stop the collection and close the app. */
  closed = false;

  async about(): Promise<About> {
    this.record("about");
    await this.wait(0);
    return {
      version: this.version,
      commit: "0000000",
      license: "MIT",
      data_folder: "/home/you/.local/share/com.jconboard.wizard",
      log_folder: "/home/you/.local/share/com.jconboard.wizard/logs",
      collections_folder: "/home/you/.cache/com.jconboard.wizard/collections",
      keys_kept_in: "the system keychain (Secret Service, e.g. GNOME Keyring)",
      help: "Help is in the README: “Install”, “The desktop wizard” and “Support”.",
      help_address: "https://example.invalid/jc-onboard#readme",
    };
  }

  async onCloseWhileCollecting(onAsk: () => void): Promise<() => void> {
    this.record("onCloseWhileCollecting");
    this.closeListeners.add(onAsk);
    return () => this.closeListeners.delete(onAsk);
  }

  /** What Rust does when the window is closed during a collection: asks the screens. */
  requestClose(): void {
    for (const ask of this.closeListeners) ask();
  }

  async resolveClose(close: boolean): Promise<void> {
    this.record("resolveClose", close);
    await this.wait(0);
    if (close) this.closed = true;
  }
}

/** What the Rust `support::diagnose` names for a report, roughly: one cause per failed or warned check. */
export function fakeDiagnose(report: Report): Diagnosis[] {
  const out: Diagnosis[] = [];
  for (const c of report.checks) {
    if (c.state !== "fail" && c.state !== "warn") continue;
    const commandRunner = c.id === "role.least_privilege" && (report.role ?? "").startsWith("Command Runner");
    out.push({
      cause_id: commandRunner ? "role.command_runner" : c.id,
      severity: c.state === "fail" ? "fail" : "warn",
      title: commandRunner ? "The key is a Command Runner's" : c.title,
      cause: c.message,
      fix: c.fix ?? "Nothing to do.",
      link: commandRunner ? "https://console.jumpcloud.com/#/administrators" : null,
      checks: [c.id],
    });
  }
  return out.sort((a, b) => ["fail", "warn", "note"].indexOf(a.severity) - ["fail", "warn", "note"].indexOf(b.severity));
}

/** A deep copy of plain data (works on Svelte state proxies, unlike structuredClone). */
function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

export function summarise(report: Report): string {
  if (report.ok) {
    const where = report.region ? ` (${REGION_NAMES[report.region]})` : "";
    const warnings = report.checks.filter((c) => c.state === "warn").length;
    return `Connected to ${report.org?.name ?? "JumpCloud"}${where}${warnings ? `, ${warnings} warning${warnings > 1 ? "s" : ""}` : ""}.`;
  }
  const failed = report.checks.find((c) => c.state === "fail");
  return failed ? `Failed: ${failed.title}.` : "Not connected.";
}

/** A few saved connections, for running the UI in a browser (`?connections=3`). */
export function sampleConnections(now = Date.now()): SavedConnection[] {
  const ago = (minutes: number): string => new Date(now - minutes * 60_000).toISOString();
  return [
    {
      id: "sample-1",
      name: "Production_JumpCloud",
      region: "us",
      org: { ...ACME.ref },
      manager_attribute: null,
      demo_scenario: null,
      last_test: { at: ago(125), ok: true, summary: "Connected to Acme Corp (US)." },
      key_last_four: "7Qm2",
      session_only: false,
    },
    {
      id: "sample-2",
      name: "EU subsidiary",
      region: "eu",
      org: { id: "61a4c2e9b7d3f80012ab34cd", name: "Acme Europe GmbH" },
      manager_attribute: "managerEmail",
      demo_scenario: null,
      last_test: { at: ago(60 * 26), ok: false, summary: "Failed: JumpCloud accepts the key." },
      key_last_four: "x9Lb",
      session_only: false,
    },
    {
      id: "sample-3",
      name: "Connection 3",
      region: null,
      org: null,
      manager_attribute: null,
      demo_scenario: "multi-tenant",
      last_test: null,
      key_last_four: "Qe40",
      session_only: true,
    },
  ];
}
