// The one door from the UI to the Rust side. Components call getBackend(), never Tauri directly.
// The Backend type is derived from the generated bindings (bindings.ts): one method per Rust
// command, with channels as callbacks and a command's error as a rejected UiError. Adding a
// command in Rust adds it here; nothing is declared by hand.

import type { Channel } from "@tauri-apps/api/core";
import type { commands, Result } from "./bindings";
import type { UiError } from "./types";

type Commands = typeof commands;
/** A command's answer: the data of a Result (its error rejects), or the value itself. */
type Answer<R> = [R] extends [Result<infer T, UiError>] ? T : R;
/** A channel argument becomes a callback for each event. */
type Arg<A> = A extends Channel<infer T> ? (event: T) => void : A;
type Args<P extends unknown[]> = { [I in keyof P]: Arg<P[I]> };

export type Backend = {
  [K in keyof Commands]: (...args: Args<Parameters<Commands[K]>>) => Promise<Answer<Awaited<ReturnType<Commands[K]>>>>;
};

let current: Backend | null = null;

export function setBackend(backend: Backend): void {
  current = backend;
}

export function getBackend(): Backend {
  if (current === null) {
    throw new Error("No backend set: call setBackend() before mounting the app.");
  }
  return current;
}

/** True inside the Tauri webview, false in a plain browser or in tests. */
export function insideTauri(): boolean {
  return typeof window !== "undefined" && "__TAURI_INTERNALS__" in window;
}

function isUiError(value: unknown): value is UiError {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return typeof v.kind === "string" && typeof v.message === "string" && (v.fix === null || typeof v.fix === "string" || v.fix === undefined);
}

/**
 * Every rejection should already be a UiError; anything else (a bug, a lost IPC channel) is
 * wrapped so the screens can always show a message and a next step.
 */
export function toUiError(error: unknown): UiError {
  if (isUiError(error)) return { kind: error.kind, message: error.message, fix: error.fix ?? null };
  const text = error instanceof Error ? error.message : typeof error === "string" ? error : "";
  return {
    kind: "unexpected",
    message: text ? `Something went wrong inside the app: ${text}` : "Something went wrong inside the app.",
    fix: "Try again. If it happens again, restart the app and tell support what you were doing.",
  };
}
