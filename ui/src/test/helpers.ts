// Shared set-up for component tests: a fake backend behind getBackend(), and a wizard placed
// at a given step with the inputs that step needs.

import { render } from "@testing-library/svelte";
import Wizard from "../Wizard.svelte";
import { setBackend } from "../lib/backend";
import { FAKE_CATALOGUE, FAKE_DEMO_KEYS, FakeBackend, type FakeOptions } from "../lib/backend.fake";
import { WizardState, type StepId } from "../lib/wizard.svelte";
import type { CheckEvent, ConnectionRequest, KeychainStatus, Report, SavedConnection } from "../lib/types";

export const HEALTHY_KEY = FAKE_DEMO_KEYS["healthy"]!;
export const MULTI_TENANT_KEY = FAKE_DEMO_KEYS["multi-tenant"]!;
export const RATE_LIMITED_KEY = FAKE_DEMO_KEYS["rate-limited"]!;
export const COMMAND_RUNNER_KEY = FAKE_DEMO_KEYS["command-runner"]!;

export function useFake(options: FakeOptions = {}): FakeBackend {
  const fake = new FakeBackend(options);
  setBackend(fake);
  return fake;
}

export interface WizardSetup {
  step: StepId;
  key?: string;
  orgId?: string;
  keychain?: KeychainStatus;
  existingCount?: number;
  prepare?: (wiz: WizardState) => void;
}

export function renderWizard(setup: WizardSetup) {
  const wiz = new WizardState(FAKE_CATALOGUE);
  wiz.step = setup.step;
  if (setup.key !== undefined) wiz.key = setup.key;
  if (setup.orgId !== undefined) wiz.orgId = setup.orgId;
  setup.prepare?.(wiz);
  const saved: SavedConnection[] = [];
  let exited = 0;
  const result = render(Wizard, {
    props: {
      wiz,
      keychain: setup.keychain ?? { available: true, message: null },
      existingCount: setup.existingCount ?? 0,
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

/** A backend whose check runs the test drives by hand, event by event. */
export class SteppedBackend extends FakeBackend {
  emit: (e: CheckEvent) => void = () => {
    throw new Error("runChecks was not called yet");
  };
  requests: ConnectionRequest[] = [];
  private settle: { resolve: (r: Report) => void; reject: (e: unknown) => void } | null = null;

  override runChecks(req: ConnectionRequest, onEvent: (e: CheckEvent) => void): Promise<Report> {
    this.requests.push(req);
    this.emit = onEvent;
    return new Promise((resolve, reject) => {
      this.settle = { resolve, reject };
    });
  }

  finish(report: Report): void {
    this.settle?.resolve(report);
  }

  fail(error: unknown): void {
    this.settle?.reject(error);
  }
}
