//! The folder a collection is written to, kept safe for what else is in it.
//!
//! - It must be new, empty, or an earlier export of this tool (known by [`MARKER_FILE`], which
//!   lists the files the tool wrote there). Any other folder is refused before anything in it
//!   changes.
//! - One collection writes to it at a time: [`LOCK_FILE`] is held (an OS file lock, released
//!   when the process ends, however it ends) from start to finish.
//! - The work happens in a hidden work folder, removed on every way out (its guard's `Drop`
//!   covers errors and panics), and swept by the next collection into the folder after a kill.
//! - Publishing the export replaces only files the tool wrote itself (the export's own file
//!   names and the listed logos), and removes only files an earlier export listed.
//! - Everything is owner-only (see [`crate::files`]).

use std::collections::BTreeSet;
use std::fs::{File, TryLockError};
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::export::{csv_name, SNAPSHOT_FILE, WARNINGS_FILE};
use super::logos::{is_logo_file, LOGOS_DIR};
use super::store::remove_dir_if_present;
use super::{CollectError, RECORDS_DIR};
use crate::category::Category;
use crate::files;

/// The small file that marks a folder as an export of this tool and lists what it wrote.
pub const MARKER_FILE: &str = ".jc-onboard-export";
/// Held locked by the collection writing to the folder; kept between collections (removing it
/// would let a waiting process lock a file nobody else sees).
pub const LOCK_FILE: &str = ".jc-onboard.lock";
/// The work folder inside the output folder.
pub const WORK_DIR: &str = ".collecting";
/// Inside the work folder: the export as it is written, before it is published.
const STAGED_DIR: &str = "export";

const TOOL: &str = "jc-onboard";
const MARKER_SCHEMA: u32 = 1;
/// A marker lists at most a few thousand short names.
const MARKER_MAX_BYTES: u64 = 4 * 1024 * 1024;

#[derive(Debug, Serialize, Deserialize)]
struct Marker {
    tool: String,
    schema: u32,
    /// Paths relative to the folder, `/`-separated.
    files: Vec<String>,
}

/// Whether `dir` may be written to, without changing anything: it is missing, empty, or an
/// earlier export. The collection checks again, under its lock, before it writes.
pub fn check_out_dir(dir: &Path) -> Result<(), CollectError> {
    inspect(dir).map(drop)
}

enum Contents {
    Missing,
    Ours,
}

fn inspect(dir: &Path) -> Result<Contents, CollectError> {
    let metadata = match std::fs::metadata(dir) {
        Ok(metadata) => metadata,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Contents::Missing),
        Err(source) => return Err(io_error(dir, source)),
    };
    if !metadata.is_dir() {
        return Err(CollectError::NotAFolder(dir.to_owned()));
    }
    if read_marker(dir).is_some() {
        return Ok(Contents::Ours);
    }
    let mut entries = std::fs::read_dir(dir).map_err(|e| io_error(dir, e))?;
    let only_ours = entries.all(|entry| {
        entry.is_ok_and(|e| {
            let name = e.file_name();
            name == LOCK_FILE || name == WORK_DIR
        })
    });
    if only_ours {
        Ok(Contents::Ours)
    } else {
        Err(CollectError::NotAnExport(dir.to_owned()))
    }
}

fn io_error(path: &Path, source: io::Error) -> CollectError {
    CollectError::Io {
        path: path.to_owned(),
        source,
    }
}

/// The output folder, locked for one collection, with its work folder.
pub(crate) struct OutDir {
    dir: PathBuf,
    work: WorkDir,
    /// The lock is released when the file is closed, after the work folder is gone.
    _lock: File,
}

impl OutDir {
    /// Checks the folder, takes its lock, sweeps a dead collection's work folder and starts a
    /// fresh one.
    pub(crate) fn open(dir: &Path) -> Result<OutDir, CollectError> {
        match inspect(dir)? {
            Contents::Missing => files::private_dir(dir),
            Contents::Ours => files::restrict_dir(dir),
        }
        .map_err(|e| io_error(dir, e))?;
        let lock_path = dir.join(LOCK_FILE);
        let lock = files::open_private(&lock_path).map_err(|e| io_error(&lock_path, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(TryLockError::WouldBlock) => return Err(CollectError::Busy(dir.to_owned())),
            Err(TryLockError::Error(e)) => return Err(io_error(&lock_path, e)),
        }
        let work_path = dir.join(WORK_DIR);
        // Under the lock, a work folder can only be what a killed collection left.
        remove_dir_if_present(&work_path).map_err(|e| io_error(&work_path, e))?;
        let work = WorkDir::create(work_path.clone()).map_err(|e| io_error(&work_path, e))?;
        Ok(OutDir {
            dir: dir.to_owned(),
            work,
            _lock: lock,
        })
    }

    pub(crate) fn work(&self) -> &WorkDir {
        &self.work
    }

    /// Moves the staged export (and, with `keep_records`, the records) into the folder, then
    /// removes the work folder.
    pub(crate) fn publish(self, keep_records: bool) -> io::Result<()> {
        let mut staged = listed(&self.work.staged(), "")?;
        staged.extend(listed(&self.work.logos(), LOGOS_DIR)?);
        if keep_records {
            staged.extend(listed(&self.work.records(), RECORDS_DIR)?);
        }
        staged.retain(|(_, name)| is_export_file(name));
        let earlier: BTreeSet<String> = read_marker(&self.dir)
            .map(|m| m.files.into_iter().filter(|f| is_export_file(f)).collect())
            .unwrap_or_default();
        let now: BTreeSet<String> = staged.iter().map(|(_, name)| name.clone()).collect();

        // Listed first, so a kill half-way still leaves every file we may have written listed.
        write_marker(&self.dir, earlier.union(&now))?;
        for (from, name) in &staged {
            let to = self.dir.join(name);
            if let Some(parent) = to.parent() {
                files::private_dir(parent)?;
            }
            std::fs::rename(from, &to)?;
        }
        for gone in earlier.difference(&now) {
            let path = self.dir.join(gone);
            let is_file = std::fs::symlink_metadata(&path).is_ok_and(|m| !m.is_dir());
            if is_file {
                std::fs::remove_file(&path)?;
                // Only an empty folder goes: anything the user put there stays.
                if let Some(parent) = path.parent().filter(|p| *p != self.dir) {
                    let _ = std::fs::remove_dir(parent);
                }
            }
        }
        write_marker(&self.dir, now.iter())?;
        self.work.remove()
    }
}

/// The files in `dir` (not below it), with their names as published under `prefix`.
fn listed(dir: &Path, prefix: &str) -> io::Result<Vec<(PathBuf, String)>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(e),
    };
    let mut found = Vec::new();
    for entry in entries {
        let entry = entry?;
        if !entry.file_type()?.is_file() {
            continue;
        }
        let Some(name) = entry.file_name().to_str().map(str::to_owned) else {
            continue;
        };
        let published = match prefix {
            "" => name,
            prefix => format!("{prefix}/{name}"),
        };
        found.push((entry.path(), published));
    }
    Ok(found)
}

/// A name the export writes: its snapshot and CSVs, a logo, or a kept records file. A marker's
/// list is read from disk, so anything else in it (`../x`, a folder) is never touched.
fn is_export_file(name: &str) -> bool {
    let csvs = || {
        Category::ALL
            .iter()
            .map(|c| csv_name(*c))
            .chain([format!("{WARNINGS_FILE}.csv")])
    };
    let records = || {
        Category::ALL
            .iter()
            .map(|c| c.as_str())
            .chain([WARNINGS_FILE])
            .map(|n| format!("{n}.jsonl"))
    };
    match name.split_once('/') {
        None => name == SNAPSHOT_FILE || csvs().any(|c| c == name),
        Some((LOGOS_DIR, file)) => is_logo_file(file),
        Some((RECORDS_DIR, file)) => records().any(|r| r == file),
        Some(_) => false,
    }
}

fn read_marker(dir: &Path) -> Option<Marker> {
    let bytes = files::read_bounded(&dir.join(MARKER_FILE), MARKER_MAX_BYTES).ok()?;
    serde_json::from_slice::<Marker>(&bytes)
        .ok()
        .filter(|m| m.tool == TOOL && m.schema == MARKER_SCHEMA)
}

fn write_marker<'a>(dir: &Path, names: impl Iterator<Item = &'a String>) -> io::Result<()> {
    let marker = Marker {
        tool: TOOL.to_owned(),
        schema: MARKER_SCHEMA,
        files: names.cloned().collect(),
    };
    let text = serde_json::to_vec_pretty(&marker)?;
    files::write_atomic(&dir.join(MARKER_FILE), &text)
}

/// Writes the marker of an export copied to a new folder, listing `names`.
pub(crate) fn mark_copied_export(dir: &Path, names: &[String]) -> io::Result<()> {
    write_marker(dir, names.iter())
}

/// A collection's work folder: records as they stream in, logos, and the export staged before
/// it is published. Removed when dropped, so no error or panic leaves people's data behind.
pub(crate) struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    fn create(path: PathBuf) -> io::Result<WorkDir> {
        // The guard exists before anything is created, so a half-made folder goes too.
        let work = WorkDir { path };
        for sub in [RECORDS_DIR, LOGOS_DIR, STAGED_DIR] {
            files::private_dir(&work.path.join(sub))?;
        }
        Ok(work)
    }

    /// A folder holding `records/` and `logos/`, as [`super::browse::Collection`] opens.
    pub(crate) fn path(&self) -> &Path {
        &self.path
    }

    pub(crate) fn records(&self) -> PathBuf {
        self.path.join(RECORDS_DIR)
    }

    pub(crate) fn logos(&self) -> PathBuf {
        self.path.join(LOGOS_DIR)
    }

    pub(crate) fn staged(&self) -> PathBuf {
        self.path.join(STAGED_DIR)
    }

    /// Removes the folder, saying whether that worked (dropping only logs it).
    fn remove(self) -> io::Result<()> {
        remove_dir_if_present(&self.path)
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if let Err(error) = remove_dir_if_present(&self.path) {
            tracing::warn!(%error, path = %self.path.display(), "the collection's work folder was not removed");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_exports_own_names_are_ever_touched() {
        for ours in [
            "snapshot.json",
            "users.csv",
            "warnings.csv",
            "logos/5f1e2d3c4b5a69788796a5b4.png",
            "records/users.jsonl",
            "records/warnings.jsonl",
        ] {
            assert!(is_export_file(ours), "{ours} is written by an export");
        }
        for theirs in [
            "notes.txt",
            "logos/mine.jpeg",
            "logos/../notes.txt",
            "records/x",
            "../users.csv",
            "/etc/passwd",
            "logos",
            "records/sub/users.jsonl",
        ] {
            assert!(!is_export_file(theirs), "{theirs} is not the export's");
        }
    }

    #[test]
    fn a_folder_is_ours_when_empty_marked_or_holding_only_our_leftovers() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            inspect(&dir.path().join("new")),
            Ok(Contents::Missing)
        ));
        assert!(matches!(inspect(dir.path()), Ok(Contents::Ours)));
        std::fs::create_dir(dir.path().join(WORK_DIR)).expect("a killed run's work folder");
        std::fs::write(dir.path().join(LOCK_FILE), "").expect("its lock file");
        assert!(matches!(inspect(dir.path()), Ok(Contents::Ours)));
        std::fs::write(dir.path().join("notes.txt"), "mine").expect("a user's file");
        assert!(matches!(
            inspect(dir.path()),
            Err(CollectError::NotAnExport(_))
        ));
        write_marker(dir.path(), [String::from("users.csv")].iter()).expect("marked");
        assert!(matches!(inspect(dir.path()), Ok(Contents::Ours)));
        std::fs::write(
            dir.path().join(MARKER_FILE),
            r#"{"tool":"other","schema":1,"files":[]}"#,
        )
        .expect("someone else's marker");
        assert!(matches!(
            inspect(dir.path()),
            Err(CollectError::NotAnExport(_))
        ));
        assert!(matches!(
            inspect(&dir.path().join("notes.txt")),
            Err(CollectError::NotAFolder(_))
        ));
    }

    #[test]
    fn a_second_open_waits_for_the_first_and_a_dropped_one_leaves_no_work_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let first = OutDir::open(dir.path()).expect("opened");
        let work = first.work().path().to_owned();
        std::fs::write(first.work().records().join("users.jsonl"), "{}\n").expect("a record");
        assert!(matches!(
            OutDir::open(dir.path()),
            Err(CollectError::Busy(_))
        ));
        drop(first);
        assert!(!work.exists(), "the work folder goes with its guard");
        let second = OutDir::open(dir.path()).expect("free again");
        drop(second);
    }
}
