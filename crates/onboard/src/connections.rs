//! Saved connections: everything about a connection except its key (which lives in a
//! [`crate::secrets::SecretStore`]). This is what the store file holds.

use jc_api::Region;
use serde::{Deserialize, Serialize};

use crate::report::{OrgRef, Report};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct LastTest {
    /// RFC 3339, UTC.
    pub at: String,
    pub ok: bool,
    pub summary: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SavedConnection {
    pub id: String,
    pub name: String,
    pub region: Option<Region>,
    pub org: Option<OrgRef>,
    /// `None`: JumpCloud's `manager` field; otherwise the custom attribute holding the manager.
    pub manager_attribute: Option<String>,
    /// Set for connections to the demo organization, which is restarted to re-test them.
    pub demo_scenario: Option<String>,
    pub last_test: Option<LastTest>,
    /// The only part of the key ever shown or stored outside the keychain.
    pub key_last_four: Option<String>,
    /// The key is held in memory for this session only (no keychain was available).
    pub session_only: bool,
    /// The platform this connection was made for; `None` in files written before it was asked.
    /// Not in the app's generated bindings until its screens read it.
    #[serde(default, deserialize_with = "crate::platforms::known_or_none")]
    #[cfg_attr(feature = "specta", specta(skip))]
    pub platform: Option<crate::platforms::PlatformId>,
}

/// "Connection N": the first N not already taken.
pub fn default_name(existing: &[SavedConnection]) -> String {
    (1..)
        .map(|n| format!("Connection {n}"))
        .find(|name| !existing.iter().any(|c| &c.name == name))
        .unwrap_or_else(|| "Connection".to_owned())
}

/// One line for the home screen: what the last test found.
pub fn summarize(report: &Report, at: String) -> LastTest {
    let failed: Vec<&str> = report
        .checks
        .iter()
        .filter(|c| c.state == crate::CheckState::Fail)
        .map(|c| c.title.as_str())
        .collect();
    let warned = report
        .checks
        .iter()
        .filter(|c| c.state == crate::CheckState::Warn)
        .count();
    let summary = match (failed.first(), warned) {
        (Some(first), _) => format!("Failed: {first}"),
        (None, 0) => "All checks passed".to_owned(),
        (None, 1) => "Works, 1 warning".to_owned(),
        (None, n) => format!("Works, {n} warnings"),
    };
    LastTest {
        at,
        ok: report.ok,
        summary,
    }
}

/// A new connection id: random, not derived from anything about the org or key.
pub fn new_id() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> SavedConnection {
        SavedConnection {
            id: new_id(),
            name: name.to_owned(),
            region: None,
            org: None,
            manager_attribute: None,
            demo_scenario: None,
            last_test: None,
            key_last_four: None,
            session_only: false,
            platform: None,
        }
    }

    #[test]
    fn default_names_count_up_and_skip_taken_ones() {
        assert_eq!(default_name(&[]), "Connection 1");
        assert_eq!(
            default_name(&[named("Connection 1"), named("Prod")]),
            "Connection 2"
        );
        assert_eq!(default_name(&[named("Connection 2")]), "Connection 1");
    }

    #[test]
    fn ids_are_random_and_hex() {
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert!(a.len() == 32 && a.chars().all(|c| c.is_ascii_hexdigit()));
    }
}

/// Where saved connections (never keys) are persisted: the app's store file, or memory in tests.
pub trait ConnectionStorage: Send + Sync {
    fn load(&self) -> Result<Vec<SavedConnection>, StorageError>;
    fn save(&self, connections: &[SavedConnection]) -> Result<(), StorageError>;
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StorageError {
    #[error("the saved connections could not be written ({0})")]
    Write(String),
    #[error("the saved connections could not be read ({0})")]
    Read(String),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BookError {
    #[error("no saved connection has the id {0}")]
    NoSuchConnection(String),
    #[error(transparent)]
    Storage(#[from] StorageError),
    #[error(transparent)]
    Secret(#[from] crate::secrets::SecretError),
    #[error("this connection's key is not in the keychain any more")]
    KeyMissing,
}

/// Saved connections and their keys, kept consistent: a connection's key is written before the
/// connection is, and deleted with it.
pub struct Book<'a> {
    pub storage: &'a dyn ConnectionStorage,
    pub keychain: &'a dyn crate::secrets::SecretStore,
    pub session: &'a dyn crate::secrets::SecretStore,
}

impl Book<'_> {
    pub fn list(&self) -> Result<Vec<SavedConnection>, BookError> {
        Ok(self.storage.load()?)
    }

    fn secrets_for(&self, connection: &SavedConnection) -> &dyn crate::secrets::SecretStore {
        if connection.session_only {
            self.session
        } else {
            self.keychain
        }
    }

    /// Stores the key (keychain, or memory when `session_only`), then the connection.
    pub fn add(
        &self,
        mut connection: SavedConnection,
        key: &jc_api::ApiKey,
    ) -> Result<SavedConnection, BookError> {
        connection.key_last_four = Some(key.last_four());
        self.secrets_for(&connection).set(&connection.id, key)?;
        let mut all = self.storage.load()?;
        all.push(connection.clone());
        if let Err(error) = self.storage.save(&all) {
            let _ = self.secrets_for(&connection).delete(&connection.id);
            return Err(error.into());
        }
        Ok(connection)
    }

    pub fn get(&self, id: &str) -> Result<SavedConnection, BookError> {
        self.storage
            .load()?
            .into_iter()
            .find(|c| c.id == id)
            .ok_or_else(|| BookError::NoSuchConnection(id.to_owned()))
    }

    pub fn key(&self, connection: &SavedConnection) -> Result<jc_api::ApiKey, BookError> {
        self.secrets_for(connection)
            .get(&connection.id)?
            .ok_or(BookError::KeyMissing)
    }

    /// Changes one connection with `change` and saves them all.
    pub fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut SavedConnection),
    ) -> Result<SavedConnection, BookError> {
        let mut all = self.storage.load()?;
        let connection = all
            .iter_mut()
            .find(|c| c.id == id)
            .ok_or_else(|| BookError::NoSuchConnection(id.to_owned()))?;
        change(connection);
        let updated = connection.clone();
        self.storage.save(&all)?;
        Ok(updated)
    }

    pub fn replace_key(
        &self,
        id: &str,
        key: &jc_api::ApiKey,
    ) -> Result<SavedConnection, BookError> {
        let connection = self.get(id)?;
        self.secrets_for(&connection).set(id, key)?;
        self.update(id, |c| c.key_last_four = Some(key.last_four()))
    }

    /// Deletes the key first: a connection without its key is harmless, a key without a
    /// connection would be an orphaned secret.
    pub fn delete(&self, id: &str) -> Result<(), BookError> {
        let connection = self.get(id)?;
        self.secrets_for(&connection).delete(id)?;
        let remaining: Vec<_> = self
            .storage
            .load()?
            .into_iter()
            .filter(|c| c.id != id)
            .collect();
        Ok(self.storage.save(&remaining)?)
    }
}

/// Connections in memory: for tests and for a store that could not be opened.
#[derive(Default)]
pub struct MemoryStorage(std::sync::Mutex<Vec<SavedConnection>>);

impl ConnectionStorage for MemoryStorage {
    fn load(&self) -> Result<Vec<SavedConnection>, StorageError> {
        Ok(self.0.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    fn save(&self, connections: &[SavedConnection]) -> Result<(), StorageError> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = connections.to_vec();
        Ok(())
    }
}
