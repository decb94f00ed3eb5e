// The IPC types, generated from the Rust commands into bindings.ts (one source of truth; CI fails
// when bindings.ts is stale). Only the UI's own error shape is declared here.

export type {
  About,
  Category,
  CategoryView,
  Column,
  CollectProgress,
  CollectionView,
  DataWarning,
  ExportedCollection,
  FindingCount,
  RecordDetail,
  RelatedItem,
  RowPage,
  SortSpec,
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
  CountStatus,
  DemoScenario,
  DemoSession,
  Diagnosis,
  Diagnostics,
  DiagnosticsSubject,
  DeviceRow,
  Evidence,
  GroupRow,
  HistoryEntry,
  KeychainStatus,
  LastTest,
  OrgRef,
  PreviewData,
  Region,
  RegionChoice,
  Report,
  SavedBundle,
  SavedConnection,
  SaveRequest,
  Severity,
  ShapeFeedback,
  StateChange,
  UserRow,
  NetworkSettings,
  ProxySetting,
} from "./bindings";

/** Every rejected backend promise carries one: the Rust `UiError`, or an unexpected failure. */
export interface UiError {
  kind: string;
  message: string;
  fix: string | null;
}
