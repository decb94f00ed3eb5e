// The one door from the UI to the Rust side. Components call getBackend(), never Tauri directly,
// so tests and a plain browser (vite dev) can put the in-memory fake behind the same interface.

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
  AppInfo,
  CheckEvent,
  ConnectionList,
  ConnectionRequest,
  ConsolePage,
  DemoScenario,
  DemoSession,
  Diagnostics,
  DiagnosticsSubject,
  HistoryEntry,
  PreviewData,
  Region,
  Report,
  SaveRequest,
  SavedBundle,
  SavedConnection,
  ShapeFeedback,
  UiError,
} from "./types";

export interface Backend {
  appInfo(): Promise<AppInfo>;
  demoScenarios(): Promise<DemoScenario[]>;
  startDemo(scenario: string): Promise<DemoSession>;
  stopDemo(): Promise<void>;
  keyShape(key: string): Promise<ShapeFeedback>;
  orgShape(orgId: string): Promise<ShapeFeedback>;
  runChecks(req: ConnectionRequest, onEvent: (e: CheckEvent) => void): Promise<Report>;
  preview(req: ConnectionRequest): Promise<PreviewData>;
  listConnections(): Promise<ConnectionList>;
  saveConnection(req: SaveRequest): Promise<SavedConnection>;
  retestConnection(id: string, onEvent: (e: CheckEvent) => void): Promise<Report>;
  renameConnection(id: string, name: string): Promise<SavedConnection>;
  replaceKey(id: string, key: string): Promise<SavedConnection>;
  deleteConnection(id: string): Promise<void>;
  openConsole(region: Region | null, page: ConsolePage): Promise<void>;
  /** Re-runs the checks for a saved connection (recorded in its history) or the wizard's current one. */
  diagnoseConnection(subject: DiagnosticsSubject, onEvent: (e: CheckEvent) => void): Promise<Diagnostics>;
  connectionHistory(id: string): Promise<HistoryEntry[]>;
  /** Plain text for a support ticket: never the key; people's names and emails hashed. */
  supportSummary(subject: DiagnosticsSubject): Promise<string>;
  saveSupportBundle(subject: DiagnosticsSubject, includePersonalData: boolean): Promise<SavedBundle>;
  openLogFolder(): Promise<string>;
  networkSettings(): Promise<NetworkSettings>;
  /** Trusts one more CA certificate (PEM); null removes it. Rejects with a UiError if unusable. */
  setExtraCa(pem: string | null): Promise<NetworkSettings>;
  openBundleFolder(): Promise<string>;
  /** Opens the console page where a diagnosed cause is fixed (the address comes from Rust). */
  openCauseLink(causeId: string, region: Region | null): Promise<void>;
  /** Collects everything with the tested connection; progress per category as it goes. */
  startCollection(managerAttribute: string | null, onProgress: (p: CollectProgress) => void): Promise<CollectionView>;
  cancelCollection(): Promise<void>;
  /** The last finished collection of the tested connection (kept while it is in use), or null. */
  currentCollection(): Promise<CollectionView | null>;
  /** One page (at most 200) of a collected category's rows, searched and sorted in Rust. */
  collectionRows(category: string, offset: number, limit: number, search: string | null, sort: SortSpec | null): Promise<RowPage>;
  /** Where a record is among the searched and sorted rows; null when the search leaves it out. */
  collectionRowIndex(category: string, id: string, search: string | null, sort: SortSpec | null): Promise<number | null>;
  collectionRecord(category: string, id: string): Promise<RecordDetail>;
  related(category: string, id: string): Promise<RelatedItem[]>;
  /** Copies snapshot.json, the CSVs and the logos into a new folder under Downloads. */
  exportCollection(): Promise<ExportedCollection>;
  /** Version, build, license and the folders the app uses on this computer. */
  about(): Promise<About>;
  /**
   * Calls `onAsk` when the window is closed while a collection runs (the close is held back);
   * resolves to a function that stops listening.
   */
  onCloseWhileCollecting(onAsk: () => void): Promise<() => void>;
  /** The answer to that: true stops the collection and closes the app, false keeps collecting. */
  resolveClose(close: boolean): Promise<void>;
}

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
