// A backend that replays what the Rust commands answered, as recorded by the app's own tests
// (src-tauri/tests/ipc/fixtures.rs) into src/fixtures/. It holds no domain logic: a call is matched
// to a recording of the same command with the same arguments, its events are played to the
// callback, and its answer or error comes back. Repeated calls get the recordings in order
// (then the last again). A call nothing recorded is refused, so a screen cannot be tested
// against behaviour Rust does not have.

import { commands } from "./bindings";
import type { Backend } from "./backend";
import type { UiError } from "./types";

export interface Recorded {
  command: string;
  args: unknown[];
  events?: unknown[];
  ok?: unknown;
  error?: UiError;
}

export interface Tape {
  scenario: string;
  calls: Recorded[];
}

export interface ReplayedCall {
  method: keyof Backend;
  args: unknown[];
}

type Method = (...args: unknown[]) => Promise<unknown>;

export type ReplayBackend = Backend & {
  /** Every call received, for tests to assert on. */
  readonly calls: ReplayedCall[];
};

/** JSON with object keys sorted, so argument objects match whatever order their keys came in. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
    entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(",")}}`;
  }
  return JSON.stringify(value ?? null);
}

const same = (a: unknown[], b: unknown[]): boolean => canonical(a) === canonical(b);

/** A deep copy, so a screen can never change a recording. */
const copy = <T>(value: T): T => (value === undefined ? value : (JSON.parse(JSON.stringify(value)) as T));

export function replayBackend(tapes: Tape[], options: { delayMs?: number } = {}): ReplayBackend {
  const recorded = tapes.flatMap((t) => t.calls.map((call) => ({ call, tape: t })));
  const used = new Set<Recorded>();
  // Several scenarios answer the same call differently: after a demo starts, its own tape answers first.
  let active: Tape | null = null;
  const calls: ReplayedCall[] = [];
  const wait = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, options.delayMs ?? 0));

  async function replay(method: string, args: unknown[]): Promise<unknown> {
    calls.push({ method: method as keyof Backend, args: copy(args.filter((a) => typeof a !== "function")) });
    const callbacks = args.filter((a): a is (event: unknown) => void => typeof a === "function");
    const values = args.filter((a) => typeof a !== "function").map((a) => (a === undefined ? null : a));
    const all = recorded.filter((r) => r.call.command === method && same(r.call.args, values));
    const own = all.filter((r) => r.tape === active);
    const matching = (own.length > 0 ? own : all).map((r) => r.call);
    const next = matching.find((r) => !used.has(r)) ?? matching.at(-1);
    if (method === "startDemo" && next !== undefined) active = all.find((r) => r.call === next)?.tape ?? null;
    await wait();
    if (next === undefined) {
      const error: UiError = {
        kind: "unexpected",
        message: `No recorded answer for ${method}(${values.map((v) => JSON.stringify(v)).join(", ")}).`,
        fix: "Record it in src-tauri/tests/ipc/fixtures.rs, or use arguments a recording has.",
      };
      throw error;
    }
    used.add(next);
    for (const event of next.events ?? []) {
      for (const callback of callbacks) callback(copy(event));
    }
    if (next.error !== undefined) throw copy(next.error);
    return copy(next.ok ?? null);
  }

  const backend: Record<string, Method | ReplayedCall[]> = { calls };
  for (const name of Object.keys(commands)) {
    backend[name] = (...args: unknown[]) => replay(name, args);
  }
  return backend as unknown as ReplayBackend;
}

/** The answer one recording gave, for a test to compare the screen with. */
export function recordedAnswer<T = unknown>(tape: Tape, command: keyof Backend, nth = 0): T {
  const found = tape.calls.filter((c) => c.command === command)[nth];
  if (found === undefined || found.ok === undefined) throw new Error(`${tape.scenario} recorded no answer ${nth} for ${command}`);
  return copy(found.ok) as T;
}
