//! Private working folders for collections. A collection holds the org's people (names,
//! emails), so it lives in the app's own cache folder (owner-only on Unix), not the shared temp
//! folder, and is removed when it is replaced, when the app exits, or, after a crash, by the
//! next start.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use onboard::files::private_dir;

/// Held (locked) by the running app for as long as its folder is in use.
const LOCK_FILE: &str = ".in-use";

/// One collection's folder. Removed on drop.
#[derive(Debug)]
pub struct ScratchDir {
    path: PathBuf,
    lock: Option<File>,
}

impl ScratchDir {
    /// A new empty folder under `root`, locked as in use by this process.
    pub fn create(root: &Path) -> io::Result<ScratchDir> {
        private_dir(root)?;
        let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let path = root.join(format!("{nanos}-{}", std::process::id()));
        private_dir(&path)?;
        let lock = onboard::files::open_private(&path.join(LOCK_FILE))?;
        lock.try_lock().map_err(io::Error::other)?;
        Ok(ScratchDir {
            path,
            lock: Some(lock),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl Drop for ScratchDir {
    fn drop(&mut self) {
        // Closed first: Windows cannot remove a folder holding an open file.
        drop(self.lock.take());
        if let Err(error) = std::fs::remove_dir_all(&self.path) {
            tracing::warn!(%error, path = %self.path.display(), "a collection folder was not removed");
        }
    }
}

/// Removes the folders under `root` that no running app holds: what a crash or a kill left.
/// Returns how many were removed.
pub fn sweep(root: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(root) else {
        return 0;
    };
    let mut removed = 0;
    for entry in entries.flatten() {
        let path = entry.path();
        if !path.is_dir() {
            continue;
        }
        let abandoned = match File::options().write(true).open(path.join(LOCK_FILE)) {
            Ok(lock) => lock.try_lock().is_ok(),
            // No lock file: another app is creating this folder right now, or it was emptied.
            Err(_) => std::fs::read_dir(&path).is_ok_and(|mut d| d.next().is_none()),
        };
        if abandoned && std::fs::remove_dir_all(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_is_private_and_gone_once_dropped() {
        let root = tempfile::tempdir().expect("temp dir");
        let scratch = ScratchDir::create(root.path()).expect("created");
        let path = scratch.path().to_owned();
        assert!(path.is_dir());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path)
                .expect("metadata")
                .permissions()
                .mode();
            assert_eq!(mode & 0o077, 0, "only the owner can read a collection");
        }
        std::fs::write(path.join("users.csv"), "id\n").expect("a file inside");
        drop(scratch);
        assert!(
            !path.exists(),
            "dropping the folder removes it and its files"
        );
    }

    #[test]
    fn a_sweep_removes_abandoned_folders_and_keeps_held_ones() {
        let root = tempfile::tempdir().expect("temp dir");
        let held = ScratchDir::create(root.path()).expect("created");
        let abandoned = root.path().join("1-1");
        std::fs::create_dir_all(&abandoned).expect("an abandoned folder");
        std::fs::write(abandoned.join(LOCK_FILE), "").expect("its unheld lock");
        std::fs::write(abandoned.join("users.csv"), "id\n").expect("its data");
        assert_eq!(sweep(root.path()), 1);
        assert!(!abandoned.exists(), "a crashed app's folder is removed");
        assert!(held.path().is_dir(), "a folder in use is kept");
    }
}
