// The IPC types, generated from the Rust commands into bindings.ts (one source of truth; CI fails
// when bindings.ts is stale).

export type * from "./bindings";
