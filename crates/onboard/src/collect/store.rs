//! Records go to disk as they arrive, one JSON Lines file per category, so memory stays flat
//! however large the org is.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Appends records to a JSON Lines file. The first write error is kept and reported by
/// [`RecordSink::finish`]; later writes are skipped.
pub(crate) struct RecordSink {
    path: PathBuf,
    writer: Option<BufWriter<File>>,
    written: u64,
    error: Option<io::Error>,
}

impl RecordSink {
    pub(crate) fn create(path: PathBuf) -> io::Result<RecordSink> {
        let file = crate::files::create_private(&path)?;
        Ok(RecordSink {
            path,
            writer: Some(BufWriter::new(file)),
            written: 0,
            error: None,
        })
    }

    pub(crate) fn write<T: Serialize>(&mut self, record: &T) {
        let Some(writer) = self.writer.as_mut() else {
            return;
        };
        let result = serde_json::to_writer(&mut *writer, record)
            .map_err(io::Error::from)
            .and_then(|()| writer.write_all(b"\n"));
        match result {
            Ok(()) => self.written += 1,
            Err(e) => {
                self.error = Some(e);
                self.writer = None;
            }
        }
    }

    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    pub(crate) fn finish(mut self) -> io::Result<u64> {
        if let Some(error) = self.error.take() {
            return Err(io::Error::new(
                error.kind(),
                format!("{}: {error}", self.path.display()),
            ));
        }
        if let Some(mut writer) = self.writer.take() {
            writer.flush()?;
        }
        Ok(self.written)
    }
}

/// Reads a JSON Lines file back, one record at a time. A missing file reads as empty.
pub(crate) fn read_records<T: DeserializeOwned>(
    path: &Path,
) -> io::Result<impl Iterator<Item = io::Result<T>>> {
    let reader = match File::open(path) {
        Ok(file) => Some(BufReader::new(file)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => None,
        Err(e) => return Err(e),
    };
    Ok(reader
        .into_iter()
        .flat_map(BufRead::lines)
        .filter_map(|line| match line {
            Ok(line) if line.trim().is_empty() => None,
            Ok(line) => Some(serde_json::from_str(&line).map_err(io::Error::from)),
            Err(e) => Some(Err(e)),
        }))
}

/// Removes a folder and everything in it; a folder that is not there is fine.
pub(crate) fn remove_dir_if_present(path: &Path) -> io::Result<()> {
    match std::fs::remove_dir_all(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}
