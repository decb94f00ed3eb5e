//! Saved connections in tauri-plugin-store's file. A file that cannot be read is renamed aside
//! (kept for support) and reported, never silently overwritten.

use std::path::Path;
use std::sync::Arc;

use onboard::connections::{ConnectionStorage, SavedConnection, StorageError};
use tauri::{Manager, Runtime};
use tauri_plugin_store::{Store, StoreExt};

pub const STORE_FILE: &str = "connections.json";
const CONNECTIONS: &str = "connections";
const VERSION: &str = "version";
const SCHEMA_VERSION: u32 = 1;

pub struct PluginStorage<R: Runtime> {
    store: Arc<Store<R>>,
}

const EXTRA_CA: &str = "extra_ca_pem";

/// The app's non-secret settings (today: the extra CA certificate), in the same store file.
pub trait Settings: Send + Sync {
    fn extra_ca(&self) -> Option<String>;
    fn set_extra_ca(&self, pem: Option<&str>) -> Result<(), StorageError>;
}

impl<R: Runtime> Settings for PluginStorage<R> {
    fn extra_ca(&self) -> Option<String> {
        self.store
            .get(EXTRA_CA)
            .and_then(|v| v.as_str().map(str::to_owned))
    }

    fn set_extra_ca(&self, pem: Option<&str>) -> Result<(), StorageError> {
        match pem {
            Some(pem) => self.store.set(EXTRA_CA, pem),
            None => {
                self.store.delete(EXTRA_CA);
            }
        }
        self.store
            .save()
            .map_err(|e| StorageError::Write(e.to_string()))
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

impl<R: Runtime> ConnectionStorage for PluginStorage<R> {
    fn load(&self) -> Result<Vec<SavedConnection>, StorageError> {
        match self.store.get(CONNECTIONS) {
            None => Ok(Vec::new()),
            Some(value) => {
                serde_json::from_value(value).map_err(|e| StorageError::Read(e.to_string()))
            }
        }
    }

    fn save(&self, connections: &[SavedConnection]) -> Result<(), StorageError> {
        let value =
            serde_json::to_value(connections).map_err(|e| StorageError::Write(e.to_string()))?;
        self.store.set(VERSION, SCHEMA_VERSION);
        self.store.set(CONNECTIONS, value);
        self.store
            .save()
            .map_err(|e| StorageError::Write(e.to_string()))
    }
}

/// Opens the store, first setting aside a file that does not read as ours. Returns the
/// storage and, when something was set aside or could not be opened, a plain sentence.
pub fn open<R: Runtime>(
    app: &tauri::AppHandle<R>,
) -> (
    Box<dyn ConnectionStorage>,
    Box<dyn Settings>,
    Option<String>,
) {
    let mut problem = None;
    if let Ok(dir) = app.path().app_data_dir() {
        problem = set_aside_if_unreadable(&dir.join(STORE_FILE));
    }
    match app.store(STORE_FILE) {
        Ok(store) => (
            Box::new(PluginStorage {
                store: store.clone(),
            }),
            Box::new(PluginStorage { store }),
            problem,
        ),
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

fn set_aside_if_unreadable(path: &Path) -> Option<String> {
    let text = match std::fs::read(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            return Some(format!(
                "The saved connections file could not be read ({e})."
            ))
        }
    };
    if readable(&text) {
        return None;
    }
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let aside = path.with_file_name(format!("connections.unreadable-{stamp}.json"));
    match std::fs::rename(path, &aside) {
        Ok(()) => {
            tracing::warn!(aside = %aside.display(), "unreadable connections file set aside");
            Some(format!(
                "The saved connections file was damaged, so it was set aside as {} (kept for support) and a new one was started. Connections saved before need to be added again.",
                aside.display()
            ))
        }
        Err(e) => Some(format!(
            "The saved connections file is damaged and could not be set aside ({e})."
        )),
    }
}

/// Ours: a JSON object whose `connections`, if present, are saved connections.
fn readable(text: &[u8]) -> bool {
    let Ok(serde_json::Value::Object(map)) = serde_json::from_slice::<serde_json::Value>(text)
    else {
        return false;
    };
    map.get(CONNECTIONS)
        .is_none_or(|v| serde_json::from_value::<Vec<SavedConnection>>(v.clone()).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn damaged_file_is_set_aside_not_lost() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(STORE_FILE);
        std::fs::write(&path, b"{\"connections\": [ {\"id\": 3").expect("write a cut-off file");
        let problem = set_aside_if_unreadable(&path).expect("a damaged file is reported");
        assert!(problem.contains("kept for support"), "{problem}");
        assert!(
            !path.exists(),
            "the damaged file is moved away so a fresh store can start"
        );
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .collect();
        assert_eq!(kept.len(), 1, "the damaged file is kept beside it");
        let content = std::fs::read(kept[0].path()).expect("read kept file");
        assert_eq!(content, b"{\"connections\": [ {\"id\": 3", "byte for byte");
    }

    #[test]
    fn our_file_and_no_file_are_left_alone() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join(STORE_FILE);
        assert_eq!(
            set_aside_if_unreadable(&path),
            None,
            "no file yet is normal"
        );
        std::fs::write(&path, br#"{"version":1,"connections":[]}"#).expect("write");
        assert_eq!(set_aside_if_unreadable(&path), None);
        assert!(path.exists());
    }
}
