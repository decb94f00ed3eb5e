// The live state of one run of the connection checks: rows drawn from the catalogue as pending,
// updated as started/finished events arrive, then replaced by the report. Several checks run at
// once and finish in any order, so each event updates the row with its id, in its catalogue slot.

import { toUiError } from "./backend";
import type { CheckEvent, CheckResult, CheckSpec, Report, UiError } from "./types";

export type RowState = CheckResult["state"] | "pending";

export interface Row {
  id: string;
  title: string;
  mandatory: boolean;
  state: RowState;
  /** The state in Rust's words (the same the CLI prints). */
  state_label: string;
  message: string;
  fix: string | null;
  detail: CheckResult["detail"];
}

function pendingRow(spec: CheckSpec): Row {
  return { id: spec.id, title: spec.title, mandatory: spec.mandatory, state: "pending", state_label: spec.state_label, message: "", fix: null, detail: [] };
}

export class CheckRun {
  rows = $state<Row[]>([]);
  running = $state(false);
  report = $state<Report | null>(null);
  error = $state<UiError | null>(null);
  /** What the last run was for (the wizard compares it to the current inputs). */
  signature = $state<string | null>(null);
  private token = 0;

  constructor(private specs: CheckSpec[] = []) {
    this.rows = specs.map(pendingRow);
  }

  /** The checks a run is drawn from, in order. */
  get catalogue(): CheckSpec[] {
    return this.specs;
  }

  setCatalogue(specs: CheckSpec[]): void {
    this.specs = specs;
    if (!this.running && this.report === null) this.rows = specs.map(pendingRow);
  }

  reset(): void {
    this.token++;
    this.running = false;
    this.report = null;
    this.error = null;
    this.signature = null;
    this.rows = this.specs.map(pendingRow);
  }

  /** The checks running now, in catalogue order (several run at once). */
  get inProgress(): Row[] {
    return this.rows.filter((r) => r.state === "running");
  }

  get firstFailure(): Row | undefined {
    return this.rows.find((r) => r.state === "fail");
  }

  private apply(event: CheckEvent): void {
    const index = this.rows.findIndex((r) => r.id === event.id);
    const row: Row =
      event.event === "started"
        ? {
            ...(index >= 0 ? this.rows[index]! : pendingRow({ id: event.id, title: event.title, mandatory: false, state_label: event.state_label })),
            title: event.title,
            state: "running",
            state_label: event.state_label,
          }
        : {
            id: event.id,
            title: event.title,
            mandatory: event.mandatory,
            state: event.state,
            state_label: event.state_label,
            message: event.message,
            fix: event.fix,
            detail: event.detail,
          };
    if (index >= 0) this.rows[index] = row;
    else this.rows.push(row);
  }

  /** Starts a run; events from an earlier, superseded run are ignored. */
  async run(start: (onEvent: (e: CheckEvent) => void) => Promise<Report>, signature: string | null = null): Promise<Report | null> {
    const token = ++this.token;
    this.running = true;
    this.report = null;
    this.error = null;
    this.signature = signature;
    this.rows = this.specs.map(pendingRow);
    try {
      const report = await start((event) => {
        if (token === this.token) this.apply(event);
      });
      if (token !== this.token) return null;
      this.report = report;
      this.rows = report.checks.map((c) => ({ ...c }));
      return report;
    } catch (error) {
      if (token === this.token) {
        this.error = toUiError(error);
        // Whatever was still running did not finish.
        this.rows = this.rows.map((r) => (r.state === "running" ? { ...r, state: "pending" } : r));
      }
      return null;
    } finally {
      if (token === this.token) this.running = false;
    }
  }
}
