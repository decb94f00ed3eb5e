//! The app's store file, `connections.json` in its data folder: saved connections (never keys)
//! and settings, through `onboard`'s [`FileStorage`] (replaced atomically, backed up, a damaged
//! file set aside and the last good copy restored).

use std::sync::Arc;

use onboard::connections::{ConnectionStorage, FileStorage, StorageError};
use tauri::{Manager, Runtime};

const EXTRA_CA: &str = "extra_ca_pem";

/// The app's non-secret settings (today: the extra CA certificate), in the same store file.
pub trait Settings: Send + Sync {
    fn extra_ca(&self) -> Option<String>;
    fn set_extra_ca(&self, pem: Option<&str>) -> Result<(), StorageError>;
}

/// The settings kept beside the connections in the store file.
struct FileSettings(Arc<FileStorage>);

impl Settings for FileSettings {
    fn extra_ca(&self) -> Option<String> {
        self.0.setting(EXTRA_CA)
    }

    fn set_extra_ca(&self, pem: Option<&str>) -> Result<(), StorageError> {
        self.0
            .set_setting(EXTRA_CA, pem.map(serde_json::Value::from))
    }
}

/// Settings in memory: tests, and a store that could not be opened.
#[derive(Default)]
pub struct MemorySettings(std::sync::Mutex<Option<String>>);

impl Settings for MemorySettings {
    fn extra_ca(&self) -> Option<String> {
        self.0.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    fn set_extra_ca(&self, pem: Option<&str>) -> Result<(), StorageError> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = pem.map(str::to_owned);
        Ok(())
    }
}

/// Opens the store in the app's data folder. Returns the storage, the settings and, when the
/// file had to be repaired or could not be opened, a plain sentence for the home screen.
pub fn open<R: Runtime>(
    app: &tauri::AppHandle<R>,
) -> (
    Box<dyn ConnectionStorage>,
    Box<dyn Settings>,
    Option<String>,
) {
    let opened = app
        .path()
        .app_data_dir()
        .map_err(|e| StorageError::Read(e.to_string()))
        .and_then(|dir| FileStorage::open(&dir));
    match opened {
        Ok(opened) => {
            let storage = Arc::new(opened.storage);
            (
                Box::new(Arc::clone(&storage)),
                Box::new(FileSettings(storage)),
                opened.notice,
            )
        }
        Err(error) => {
            tracing::error!(%error, "the connections store could not be opened");
            let message = format!(
                "Saved connections could not be opened ({error}). Connections made now last until the app closes."
            );
            (
                Box::new(onboard::connections::MemoryStorage::default()),
                Box::new(MemorySettings::default()),
                Some(message),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extra_ca_is_kept_in_the_store_file_across_restarts() {
        let dir = tempfile::tempdir().expect("temp dir");
        let settings = FileSettings(Arc::new(
            FileStorage::open(dir.path()).expect("opens").storage,
        ));
        assert_eq!(settings.extra_ca(), None);
        settings
            .set_extra_ca(Some("-----BEGIN CERTIFICATE-----"))
            .expect("kept");
        let reopened = FileSettings(Arc::new(
            FileStorage::open(dir.path()).expect("opens").storage,
        ));
        assert_eq!(
            reopened.extra_ca().as_deref(),
            Some("-----BEGIN CERTIFICATE-----")
        );
        reopened.set_extra_ca(None).expect("removed");
        assert_eq!(reopened.extra_ca(), None);
    }
}
