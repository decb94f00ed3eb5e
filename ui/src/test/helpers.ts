// Shared set-up for component tests: the recorded Rust answers behind getBackend(), and a
// wizard placed at a given step with the inputs that step needs.

import { render } from "@testing-library/svelte";
import Wizard from "../Wizard.svelte";
import { tape } from "../fixtures";
import { setBackend } from "../lib/backend";
import { recordedAnswer, replayBackend, type ReplayBackend, type Tape } from "../lib/replay";
import { WizardState, type StepId } from "../lib/wizard.svelte";
import type { AppInfo, PlatformSummary, CheckEvent, ConnectionRequest, DemoSession, KeychainStatus, Report, SavedConnection } from "../lib/types";

/** The check catalogue, as Rust's app_info gave it. */
export const CATALOGUE = recordedAnswer<AppInfo>(tape("inputs"), "appInfo").checks;

/** The platforms Rust's profiles describe, as the Platform step lists them. */
export const PLATFORMS = recordedAnswer<PlatformSummary[]>(tape("inputs"), "platforms");

/** The recorded answers of these demo scenarios (and the shape feedback), as the backend. */
export function useRecorded(...scenarios: string[]): ReplayBackend {
  const backend = replayBackend([...scenarios.map(tape), tape("inputs")]);
  setBackend(backend);
  return backend;
}

/** The demo session a scenario's recording started. */
export function demoOf(scenario: string): DemoSession {
  return recordedAnswer<DemoSession>(tape(scenario), "startDemo");
}

/** The nth report a scenario's recording produced. */
export function reportOf(scenario: string, nth = 0): Report {
  return recordedAnswer<Report>(tape(scenario), "runChecks", nth);
}

/** The check events of a scenario's nth recorded run, in the order they were recorded. */
export function eventsOf(scenario: string, nth = 0): CheckEvent[] {
  const found = tape(scenario).calls.filter((c) => c.command === "runChecks")[nth];
  if (found === undefined) throw new Error(`${scenario} recorded no run ${nth} of the checks`);
  return JSON.parse(JSON.stringify(found.events ?? [])) as CheckEvent[];
}

export function recorded<T>(scenario: string, command: Parameters<typeof recordedAnswer>[1], nth = 0): T {
  return recordedAnswer<T>(tape(scenario) as Tape, command, nth);
}

export interface WizardSetup {
  step: StepId;
  /** Walks the wizard as this demo scenario: its session, key and (recorded) answers. */
  demo?: string;
  key?: string;
  orgId?: string;
  keychain?: KeychainStatus;
  prepare?: (wiz: WizardState) => void;
}

export function renderWizard(setup: WizardSetup) {
  const wiz = new WizardState(CATALOGUE);
  wiz.step = setup.step;
  // Past the Platform step, as most walks are: "Another platform", from Rust's profiles.
  wiz.platforms = PLATFORMS;
  wiz.platform = "other";
  // Steps after the choice are tested on the API key path unless a service-account demo is given.
  wiz.connectKind = "api_key";
  if (setup.demo !== undefined) {
    wiz.demo = demoOf(setup.demo);
    wiz.key = wiz.demo.api_key;
    if (wiz.demo.client_id !== null && wiz.demo.client_secret !== null) {
      wiz.connectKind = "service_account";
      wiz.clientId = wiz.demo.client_id;
      wiz.clientSecret = wiz.demo.client_secret;
    }
  }
  if (setup.key !== undefined) wiz.key = setup.key;
  if (setup.orgId !== undefined) wiz.orgId = setup.orgId;
  setup.prepare?.(wiz);
  const saved: SavedConnection[] = [];
  let exited = 0;
  const result = render(Wizard, {
    props: {
      wiz,
      keychain: setup.keychain ?? { available: true, message: null },
      onexit: () => {
        exited++;
      },
      onsaved: (c: SavedConnection) => {
        saved.push(c);
      },
    },
  });
  return { ...result, wiz, saved, exits: () => exited };
}

/** The recorded answers, but the test drives the check run by hand, event by event. */
export function steppedChecks(...scenarios: string[]) {
  const backend = useRecorded(...scenarios);
  const requests: ConnectionRequest[] = [];
  let settle: { resolve: (r: Report) => void; reject: (e: unknown) => void } | null = null;
  const control = {
    backend,
    requests,
    emit: (_e: CheckEvent): void => {
      throw new Error("runChecks was not called yet");
    },
    finish: (report: Report): void => settle?.resolve(report),
    fail: (error: unknown): void => settle?.reject(error),
  };
  backend.runChecks = (req, onEvent) => {
    requests.push(req);
    control.emit = onEvent;
    return new Promise((resolve, reject) => {
      settle = { resolve, reject };
    });
  };
  return control;
}
