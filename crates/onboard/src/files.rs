//! Files that hold people's data or settings: created owner-only, replaced atomically, read
//! with a size bound.
//!
//! On Unix, folders are created 0700 and files 0600 whatever the umask allows beyond that.
//! Elsewhere (Windows) there are no mode bits: files and folders take the access rules of the
//! folder they are created in, and the app's data, cache and Downloads folders are the user's
//! own.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

/// Creates `path` and any missing parents as owner-only folders. An existing folder is left as
/// it is.
pub fn private_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Creates one new owner-only folder; an existing one is an `AlreadyExists` error.
pub fn new_private_dir(path: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(path)
}

/// Makes an existing folder owner-only.
pub fn restrict_dir(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Creates (or truncates) an owner-only file for writing.
pub fn create_private(path: &Path) -> io::Result<File> {
    let file = private_options().truncate(true).open(path)?;
    restrict_file(&file)?;
    Ok(file)
}

/// Opens an owner-only file for writing, created empty if missing, its content kept (a lock
/// file).
pub fn open_private(path: &Path) -> io::Result<File> {
    let file = private_options().truncate(false).open(path)?;
    restrict_file(&file)?;
    Ok(file)
}

/// Writes `bytes` to a new or truncated owner-only file.
pub fn write_private(path: &Path, bytes: &[u8]) -> io::Result<()> {
    create_private(path)?.write_all(bytes)
}

/// Copies a file into a new or truncated owner-only file (the source's own mode is not copied).
pub fn copy_private(from: &Path, to: &Path) -> io::Result<u64> {
    let mut source = File::open(from)?;
    let mut target = create_private(to)?;
    let copied = io::copy(&mut source, &mut target)?;
    target.flush()?;
    Ok(copied)
}

/// Writes `bytes` to `path` atomically: an owner-only temporary file in the same folder, synced
/// to disk, renamed over the target, then the folder synced so the rename itself is on disk. A
/// crash or a full disk leaves the old file or the new one, never half of one; the temporary
/// file is removed on failure (or by [`remove_stale_temporaries`] after a kill).
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let dir = parent_of(path);
    let temp = dir.join(format!(
        "{}{}.{}.tmp",
        temp_prefix(path),
        std::process::id(),
        fastrand::u64(..)
    ));
    let written = (|| {
        let mut file = private_options().create_new(true).open(&temp)?;
        restrict_file(&file)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        sync_dir(dir)
    })();
    if written.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    written
}

/// Removes the temporary files a killed [`write_atomic`] of `path` left beside it. Returns how
/// many were removed.
pub fn remove_stale_temporaries(path: &Path) -> usize {
    let prefix = temp_prefix(path);
    let Ok(entries) = std::fs::read_dir(parent_of(path)) else {
        return 0;
    };
    entries
        .flatten()
        .filter(|e| {
            let name = e.file_name();
            let name = name.to_string_lossy();
            name.starts_with(&prefix) && name.ends_with(".tmp")
        })
        .filter(|e| std::fs::remove_file(e.path()).is_ok())
        .count()
}

/// Reads a whole file of at most `max` bytes; a larger one is an error, not a large allocation.
pub fn read_bounded(path: &Path, max: u64) -> io::Result<Vec<u8>> {
    let file = File::open(path)?;
    let mut bytes = Vec::new();
    file.take(max.saturating_add(1)).read_to_end(&mut bytes)?;
    if u64::try_from(bytes.len()).unwrap_or(u64::MAX) > max {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("{} is larger than {max} bytes", path.display()),
        ));
    }
    Ok(bytes)
}

fn private_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options
}

/// The mode given at creation does not apply to a file that already existed.
fn restrict_file(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}

fn parent_of(path: &Path) -> &Path {
    match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    }
}

/// `.<name>.`: what every temporary file of `path` starts with.
fn temp_prefix(path: &Path) -> String {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "file".to_owned());
    format!(".{name}.")
}

/// Makes a rename inside `dir` durable. Windows cannot open a folder as a file; its renames are
/// made durable by the file system's own journal.
fn sync_dir(dir: &Path) -> io::Result<()> {
    #[cfg(unix)]
    File::open(dir)?.sync_all()?;
    #[cfg(not(unix))]
    let _ = dir;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path)
            .expect("metadata")
            .permissions()
            .mode()
            & 0o777
    }

    #[test]
    fn an_atomic_write_replaces_the_file_and_leaves_no_temporary() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("connections.json");
        std::fs::write(&path, b"old").expect("an earlier file");
        write_atomic(&path, b"new").expect("written");
        assert_eq!(std::fs::read(&path).expect("read"), b"new");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(names.len(), 1, "only the file itself remains: {names:?}");
        #[cfg(unix)]
        assert_eq!(mode(&path), 0o600, "the replaced file is owner-only");
    }

    #[test]
    fn stale_temporaries_of_a_file_are_removed_and_nothing_else() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("connections.json");
        std::fs::write(dir.path().join(".connections.json.77.123.tmp"), b"{\"conn")
            .expect("a killed write");
        std::fs::write(dir.path().join(".other.json.77.1.tmp"), b"x").expect("someone else's");
        assert_eq!(remove_stale_temporaries(&path), 1);
        assert!(dir.path().join(".other.json.77.1.tmp").exists());
    }

    #[test]
    fn a_bounded_read_refuses_a_larger_file() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big");
        std::fs::write(&path, vec![b'x'; 11]).expect("written");
        assert_eq!(read_bounded(&path, 11).expect("at the bound").len(), 11);
        let error = read_bounded(&path, 10).expect_err("over the bound");
        assert_eq!(error.kind(), io::ErrorKind::InvalidData);
    }

    #[cfg(unix)]
    #[test]
    fn folders_and_files_are_owner_only() {
        let dir = tempfile::tempdir().expect("temp dir");
        let nested = dir.path().join("a/b");
        private_dir(&nested).expect("created");
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        assert_eq!(mode(&nested), 0o700);
        let file = nested.join("f");
        std::fs::write(&file, b"x").expect("a world-readable file");
        write_private(&file, b"y").expect("rewritten");
        assert_eq!(mode(&file), 0o600, "an existing file is made owner-only");
        let copy = nested.join("g");
        copy_private(&file, &copy).expect("copied");
        assert_eq!(mode(&copy), 0o600);
    }
}
