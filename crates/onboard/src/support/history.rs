//! Per-connection history of check runs: when, whether the connection worked, and which checks
//! changed state since the run before. One JSON file in a given directory, written atomically,
//! bounded per connection. A file that cannot be read is set aside (renamed, kept) and reported.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::report::{CheckState, Report};

pub const HISTORY_FILE: &str = "check-history.json";
const HISTORY_SCHEMA: &str = "jc-onboard-history/1";

/// Runs kept per connection; older ones are dropped.
pub const MAX_RUNS_PER_CONNECTION: usize = 50;

#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
    #[error("the history folder {path} could not be created: {source}")]
    CreateDir {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the history file {path} could not be read: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the unreadable history file {path} could not be set aside: {source}")]
    SetAside {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the history file {path} could not be written: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the history could not be encoded: {0}")]
    Encode(#[from] serde_json::Error),
}

/// A check whose state differs from the previous run's. `from` is `None` for a check the
/// previous run did not have.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(from = "StoredChange")]
pub struct StateChange {
    pub id: String,
    pub from: Option<CheckState>,
    pub to: CheckState,
    /// `from` in words ("not run" when there was none) and `to` in words; made afresh when
    /// a history is read, so one written before reads in today's words.
    pub from_label: String,
    pub to_label: String,
}

/// A [`HistoryEntry`] as read back: the words are made from `ok`.
#[derive(Deserialize)]
struct StoredEntry {
    at: String,
    ok: bool,
    changed: Vec<StateChange>,
    states: BTreeMap<String, CheckState>,
}

impl From<StoredEntry> for HistoryEntry {
    fn from(stored: StoredEntry) -> HistoryEntry {
        HistoryEntry {
            at: stored.at,
            ok: stored.ok,
            outcome_label: crate::report::outcome_label(stored.ok).to_owned(),
            changed: stored.changed,
            states: stored.states,
        }
    }
}

/// A [`StateChange`] as read back: its states, the words made from them.
#[derive(Deserialize)]
struct StoredChange {
    id: String,
    from: Option<CheckState>,
    to: CheckState,
}

impl From<StoredChange> for StateChange {
    fn from(stored: StoredChange) -> StateChange {
        StateChange::new(stored.id, stored.from, stored.to)
    }
}

impl StateChange {
    pub fn new(id: String, from: Option<CheckState>, to: CheckState) -> StateChange {
        StateChange {
            id,
            from,
            to,
            from_label: from.map_or("not run", CheckState::label).to_owned(),
            to_label: to.label().to_owned(),
        }
    }
}

/// One run of the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(from = "StoredEntry")]
pub struct HistoryEntry {
    /// RFC 3339, UTC.
    pub at: String,
    pub ok: bool,
    /// `ok` in words ([`crate::report::outcome_label`]); made afresh when a history is read.
    pub outcome_label: String,
    /// Changes against the previous run; empty for the first run.
    pub changed: Vec<StateChange>,
    /// Every check's state in this run, to compare the next run with.
    pub states: BTreeMap<String, CheckState>,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct HistoryFile {
    schema: String,
    connections: BTreeMap<String, Vec<HistoryEntry>>,
}

/// The history, loaded from its directory.
#[derive(Debug)]
pub struct History {
    path: PathBuf,
    file: HistoryFile,
    limit: usize,
}

/// A history just opened, and where an unreadable file was set aside, if one was.
#[derive(Debug)]
pub struct Opened {
    pub history: History,
    pub set_aside: Option<PathBuf>,
}

impl History {
    /// Opens (or starts) the history in `dir`. An unreadable file is renamed to
    /// `check-history.json.corrupt-<unix seconds>` and an empty history starts.
    pub fn open(dir: &Path) -> Result<Opened, HistoryError> {
        std::fs::create_dir_all(dir).map_err(|source| HistoryError::CreateDir {
            path: dir.to_owned(),
            source,
        })?;
        let path = dir.join(HISTORY_FILE);
        let text = match std::fs::read(&path) {
            Ok(text) => Some(text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(source) => return Err(HistoryError::Read { path, source }),
        };
        let parsed = text.map(|t| serde_json::from_slice::<HistoryFile>(&t));
        let (file, set_aside) = match parsed {
            None => (HistoryFile::default(), None),
            Some(Ok(file)) if file.schema == HISTORY_SCHEMA => (file, None),
            Some(Ok(_)) | Some(Err(_)) => {
                let aside = set_aside_path(&path);
                std::fs::rename(&path, &aside).map_err(|source| HistoryError::SetAside {
                    path: path.clone(),
                    source,
                })?;
                tracing::warn!(file = %path.display(), kept_as = %aside.display(), "unreadable check history set aside");
                (HistoryFile::default(), Some(aside))
            }
        };
        Ok(Opened {
            history: History {
                path,
                file: HistoryFile {
                    schema: HISTORY_SCHEMA.to_owned(),
                    ..file
                },
                limit: MAX_RUNS_PER_CONNECTION,
            },
            set_aside,
        })
    }

    /// Keeps at most `limit` runs per connection from now on (at least one).
    pub fn with_limit(mut self, limit: usize) -> History {
        self.limit = limit.max(1);
        self
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs of one connection, oldest first.
    pub fn runs(&self, connection_id: &str) -> &[HistoryEntry] {
        self.file
            .connections
            .get(connection_id)
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    pub fn connections(&self) -> impl Iterator<Item = &str> {
        self.file.connections.keys().map(String::as_str)
    }

    /// Records a run at the current time and saves the file.
    pub fn record(
        &mut self,
        connection_id: &str,
        report: &Report,
    ) -> Result<HistoryEntry, HistoryError> {
        self.record_at(connection_id, report, time::OffsetDateTime::now_utc())
    }

    /// Records a run at `at` and saves the file. The oldest runs beyond the limit are dropped.
    pub fn record_at(
        &mut self,
        connection_id: &str,
        report: &Report,
        at: time::OffsetDateTime,
    ) -> Result<HistoryEntry, HistoryError> {
        let states: BTreeMap<String, CheckState> = report
            .checks
            .iter()
            .map(|c| (c.id.clone(), c.state))
            .collect();
        let runs = self
            .file
            .connections
            .entry(connection_id.to_owned())
            .or_default();
        let changed = match runs.last() {
            None => Vec::new(),
            Some(previous) => states
                .iter()
                .filter(|(id, state)| previous.states.get(*id) != Some(*state))
                .map(|(id, state)| {
                    StateChange::new(id.clone(), previous.states.get(id).copied(), *state)
                })
                .collect(),
        };
        let entry = HistoryEntry {
            at: super::rfc3339(at),
            ok: report.ok,
            outcome_label: crate::report::outcome_label(report.ok).to_owned(),
            changed,
            states,
        };
        runs.push(entry.clone());
        let excess = runs.len().saturating_sub(self.limit);
        runs.drain(..excess);
        self.save()?;
        Ok(entry)
    }

    /// Forgets a connection (deleted by the user) and saves the file.
    pub fn forget(&mut self, connection_id: &str) -> Result<(), HistoryError> {
        if self.file.connections.remove(connection_id).is_some() {
            self.save()?;
        }
        Ok(())
    }

    fn save(&self) -> Result<(), HistoryError> {
        let text = serde_json::to_vec_pretty(&self.file)?;
        super::write_atomic(&self.path, &text).map_err(|source| HistoryError::Write {
            path: self.path.clone(),
            source,
        })
    }
}

fn set_aside_path(path: &Path) -> PathBuf {
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut candidate = path.with_file_name(format!("{HISTORY_FILE}.corrupt-{stamp}"));
    let mut n = 1;
    while candidate.exists() {
        candidate = path.with_file_name(format!("{HISTORY_FILE}.corrupt-{stamp}-{n}"));
        n += 1;
    }
    candidate
}
