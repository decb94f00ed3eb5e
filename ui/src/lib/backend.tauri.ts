// The real backend: the generated tauri-specta bindings (bindings.ts), behind the Backend
// interface. Progress events arrive over a Channel; Rust errors arrive as UiError values.

import { Channel } from "@tauri-apps/api/core";
import { commands, events, type Result } from "./bindings";
import { toUiError, type Backend } from "./backend";
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
} from "./types";

/** Turns a command's `Result` into a value, or a rejected promise carrying the UiError. */
async function unwrap<T, E>(call: Promise<Result<T, E>>): Promise<T> {
  let result: Result<T, E>;
  try {
    result = await call;
  } catch (error) {
    throw toUiError(error);
  }
  if (result.status === "error") throw toUiError(result.error);
  return result.data;
}

async function plain<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    throw toUiError(error);
  }
}

function channel(onEvent: (e: CheckEvent) => void): Channel<CheckEvent> {
  const ch = new Channel<CheckEvent>();
  ch.onmessage = onEvent;
  return ch;
}

export class TauriBackend implements Backend {
  appInfo(): Promise<AppInfo> {
    return plain(commands.appInfo());
  }
  demoScenarios(): Promise<DemoScenario[]> {
    return plain(commands.demoScenarios());
  }
  startDemo(scenario: string): Promise<DemoSession> {
    return unwrap(commands.startDemo(scenario));
  }
  async stopDemo(): Promise<void> {
    await unwrap(commands.stopDemo());
  }
  keyShape(key: string): Promise<ShapeFeedback> {
    return plain(commands.keyShape(key));
  }
  orgShape(orgId: string): Promise<ShapeFeedback> {
    return plain(commands.orgShape(orgId));
  }
  runChecks(req: ConnectionRequest, onEvent: (e: CheckEvent) => void): Promise<Report> {
    return unwrap(commands.runChecks(req, channel(onEvent)));
  }
  preview(req: ConnectionRequest): Promise<PreviewData> {
    return unwrap(commands.preview(req));
  }
  listConnections(): Promise<ConnectionList> {
    return unwrap(commands.listConnections());
  }
  saveConnection(req: SaveRequest): Promise<SavedConnection> {
    return unwrap(commands.saveConnection(req));
  }
  retestConnection(id: string, onEvent: (e: CheckEvent) => void): Promise<Report> {
    return unwrap(commands.retestConnection(id, channel(onEvent)));
  }
  renameConnection(id: string, name: string): Promise<SavedConnection> {
    return unwrap(commands.renameConnection(id, name));
  }
  replaceKey(id: string, key: string): Promise<SavedConnection> {
    return unwrap(commands.replaceKey(id, key));
  }
  async deleteConnection(id: string): Promise<void> {
    await unwrap(commands.deleteConnection(id));
  }
  async openConsole(region: Region | null, page: ConsolePage): Promise<void> {
    await unwrap(commands.openConsole(region, page));
  }
  diagnoseConnection(subject: DiagnosticsSubject, onEvent: (e: CheckEvent) => void): Promise<Diagnostics> {
    return unwrap(commands.diagnoseConnection(subject, channel(onEvent)));
  }
  connectionHistory(id: string): Promise<HistoryEntry[]> {
    return unwrap(commands.connectionHistory(id));
  }
  supportSummary(subject: DiagnosticsSubject): Promise<string> {
    return unwrap(commands.supportSummary(subject));
  }
  saveSupportBundle(subject: DiagnosticsSubject, includePersonalData: boolean): Promise<SavedBundle> {
    return unwrap(commands.saveSupportBundle(subject, includePersonalData));
  }
  networkSettings(): Promise<NetworkSettings> {
    return plain(commands.networkSettings());
  }
  setExtraCa(pem: string | null): Promise<NetworkSettings> {
    return unwrap(commands.setExtraCa(pem));
  }
  openLogFolder(): Promise<string> {
    return unwrap(commands.openLogFolder());
  }
  openBundleFolder(): Promise<string> {
    return unwrap(commands.openBundleFolder());
  }
  async openCauseLink(causeId: string, region: Region | null): Promise<void> {
    await unwrap(commands.openCauseLink(causeId, region));
  }
  startCollection(managerAttribute: string | null, onProgress: (p: CollectProgress) => void): Promise<CollectionView> {
    const ch = new Channel<CollectProgress>();
    ch.onmessage = onProgress;
    return unwrap(commands.startCollection(managerAttribute, ch));
  }
  cancelCollection(): Promise<void> {
    return plain(commands.cancelCollection());
  }
  currentCollection(): Promise<CollectionView | null> {
    return plain(commands.currentCollection());
  }
  collectionRows(category: string, offset: number, limit: number, search: string | null, sort: SortSpec | null): Promise<RowPage> {
    return unwrap(commands.collectionRows(category, offset, limit, search, sort));
  }
  collectionRowIndex(category: string, id: string, search: string | null, sort: SortSpec | null): Promise<number | null> {
    return unwrap(commands.collectionRowIndex(category, id, search, sort));
  }
  collectionRecord(category: string, id: string): Promise<RecordDetail> {
    return unwrap(commands.collectionRecord(category, id));
  }
  related(category: string, id: string): Promise<RelatedItem[]> {
    return unwrap(commands.related(category, id));
  }
  exportCollection(): Promise<ExportedCollection> {
    return unwrap(commands.exportCollection());
  }
  about(): Promise<About> {
    return plain(commands.about());
  }
  onCloseWhileCollecting(onAsk: () => void): Promise<() => void> {
    return plain(events.closeWhileCollecting.listen(() => onAsk()));
  }
  async resolveClose(close: boolean): Promise<void> {
    await unwrap(commands.resolveClose(close));
  }
}
