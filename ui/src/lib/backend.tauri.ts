// The real backend: every command of the generated bindings (bindings.ts), with callbacks
// turned into Channels and a Result's error turned into a rejected UiError.

import { Channel } from "@tauri-apps/api/core";
import { commands } from "./bindings";
import { toUiError, type Backend } from "./backend";

type Command = (...args: unknown[]) => Promise<unknown>;

function isResult(answer: unknown): answer is { status: "ok"; data: unknown } | { status: "error"; error: unknown } {
  if (typeof answer !== "object" || answer === null) return false;
  const a = answer as Record<string, unknown>;
  return (a.status === "ok" && "data" in a) || (a.status === "error" && "error" in a);
}

function channel(onEvent: (event: unknown) => void): Channel<unknown> {
  const ch = new Channel<unknown>();
  ch.onmessage = onEvent;
  return ch;
}

export function tauriBackend(): Backend {
  const backend: Record<string, Command> = {};
  for (const [name, command] of Object.entries(commands as unknown as Record<string, Command>)) {
    backend[name] = async (...args: unknown[]) => {
      const passed = args.map((a) => (typeof a === "function" ? channel(a as (event: unknown) => void) : a));
      let answer: unknown;
      try {
        answer = await command(...passed);
      } catch (error) {
        throw toUiError(error);
      }
      if (!isResult(answer)) return answer;
      if (answer.status === "error") throw toUiError(answer.error);
      return answer.data;
    };
  }
  return backend as unknown as Backend;
}
