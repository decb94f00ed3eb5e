//! Saved connections: everything about a connection except its key (which lives in a
//! [`crate::secrets::SecretStore`]). This is what the store file holds.

use jc_api::Region;
use serde::{Deserialize, Serialize};

use crate::report::{OrgRef, Report};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(from = "StoredLastTest")]
pub struct LastTest {
    /// RFC 3339, UTC.
    pub at: String,
    pub ok: bool,
    /// `ok` in words ([`crate::report::outcome_label`]); made afresh when the store is read.
    pub outcome_label: String,
    pub summary: String,
    /// When the tested service account's secret expires (RFC 3339), when JumpCloud said. Not
    /// a secret; kept so saved connections can show the countdown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credentials_expire_at: Option<String>,
}

/// A [`LastTest`] as read back: the words are made from `ok`.
#[derive(Deserialize)]
struct StoredLastTest {
    at: String,
    ok: bool,
    summary: String,
    #[serde(default)]
    credentials_expire_at: Option<String>,
}

impl From<StoredLastTest> for LastTest {
    fn from(stored: StoredLastTest) -> LastTest {
        LastTest {
            at: stored.at,
            ok: stored.ok,
            outcome_label: crate::report::outcome_label(stored.ok).to_owned(),
            summary: stored.summary,
            credentials_expire_at: stored.credentials_expire_at,
        }
    }
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
    /// A service account's client ID, when the connection uses client credentials; its secret
    /// is in the keychain like a key. Not a secret: the rotation screen checks a new secret
    /// against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The platform this connection was made for; `None` in files written before it was asked.
    #[serde(default, deserialize_with = "crate::platforms::known_or_none")]
    pub platform: Option<crate::platforms::PlatformId>,
    /// The sign-in email of the key's administrator, for platforms that ask for it (Authomize).
    #[serde(default)]
    pub admin_username: Option<String>,
    /// Who owns the integration at the platform, for platforms that ask for it (Authomize).
    #[serde(default)]
    pub owner_email: Option<String>,
}

/// "Connection N": the first N not already taken (in any case, as the book compares names).
pub fn default_name(existing: &[SavedConnection]) -> String {
    (1..)
        .map(|n| format!("Connection {n}"))
        .find(|name| !existing.iter().any(|c| c.name.eq_ignore_ascii_case(name)))
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
        outcome_label: crate::report::outcome_label(report.ok).to_owned(),
        summary,
        credentials_expire_at: report.credentials_expire_at.clone(),
    }
}

/// What the user chose when saving a connection that passed the checks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewConnection {
    /// Blank: the proposed name.
    pub name: String,
    /// Blank or `None`: JumpCloud's `manager` field.
    pub manager_attribute: Option<String>,
    pub demo_scenario: Option<String>,
    pub session_only: bool,
    /// The platform the connection is handed over to, when one was chosen.
    pub platform: Option<crate::platforms::PlatformId>,
    /// Blank or `None`: not given.
    pub admin_username: Option<String>,
    /// Blank or `None`: not given.
    pub owner_email: Option<String>,
}

/// A typed value, trimmed; blank is not given.
fn given(value: Option<String>) -> Option<String> {
    value.map(|v| v.trim().to_owned()).filter(|v| !v.is_empty())
}

/// A new connection id: random, not derived from anything about the org or key.
pub fn new_id() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

mod file;

pub use file::{FileStorage, Opened, STORE_FILE};

/// What the store holds about connections: the saved connections, and the ids of the keys
/// stored in the keychain, so a key whose connection is gone can be found and removed (a
/// keychain cannot be listed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stored {
    pub connections: Vec<SavedConnection>,
    pub key_ids: Vec<String>,
}

/// A change to what is stored; an error leaves it as it was.
pub type Change<'a> = dyn FnMut(&mut Stored) -> Result<(), BookError> + 'a;

/// Where saved connections (never keys) are persisted: the app's store file, or memory in tests.
pub trait ConnectionStorage: Send + Sync {
    fn read(&self) -> Result<Stored, StorageError>;

    /// Reads, changes and writes back as one step: a second change waits until the first is
    /// written, so neither is lost. Nothing is written when `change` fails.
    fn change(&self, change: &mut Change<'_>) -> Result<(), BookError>;

    fn load(&self) -> Result<Vec<SavedConnection>, StorageError> {
        Ok(self.read()?.connections)
    }
}

impl<T: ConnectionStorage + ?Sized> ConnectionStorage for std::sync::Arc<T> {
    fn read(&self) -> Result<Stored, StorageError> {
        (**self).read()
    }

    fn change(&self, change: &mut Change<'_>) -> Result<(), BookError> {
        (**self).change(change)
    }
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
    #[error("this connection uses a service account's client ID and secret, not an API key")]
    NoApiKey,
    #[error("a connection needs a name")]
    NameMissing,
    /// Names tell connections apart on the home screen, so two may not share one (any case).
    #[error("there is already a connection called {0:?}")]
    NameTaken(String),
}

/// `name` trimmed, if no connection in `connections` but `except` (the one being renamed) has it.
fn free_name(
    connections: &[SavedConnection],
    name: &str,
    except: Option<&str>,
) -> Result<String, BookError> {
    let name = name.trim();
    if name.is_empty() {
        return Err(BookError::NameMissing);
    }
    let taken = connections
        .iter()
        .any(|c| Some(c.id.as_str()) != except && c.name.eq_ignore_ascii_case(name));
    if taken {
        return Err(BookError::NameTaken(name.to_owned()));
    }
    Ok(name.to_owned())
}

/// Saved connections and their keys, kept consistent: a keychain key is listed in the store
/// before it is written, its connection saved after, and both removed together, so a crash at
/// any point leaves at worst a listed key that [`Book::remove_orphaned_keys`] removes.
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

    fn list_key(&self, id: &str) -> Result<(), BookError> {
        self.storage.change(&mut |stored| {
            if !stored.key_ids.iter().any(|k| k == id) {
                stored.key_ids.push(id.to_owned());
            }
            Ok(())
        })
    }

    fn unlist_keys(&self, ids: &[String]) -> Result<(), BookError> {
        self.storage.change(&mut |stored| {
            stored.key_ids.retain(|k| !ids.contains(k));
            Ok(())
        })
    }

    /// The name offered for the next connection: "Connection N", the first N not taken.
    pub fn proposed_name(&self) -> Result<String, BookError> {
        Ok(default_name(&self.list()?))
    }

    /// Saves a connection the checks passed for, as `report` found it (region, organization,
    /// the last test at `at`), with its key.
    pub fn add_tested(
        &self,
        new: NewConnection,
        report: &Report,
        key: &jc_api::ApiKey,
        at: String,
    ) -> Result<SavedConnection, BookError> {
        let connection = self.tested_connection(new, report, at, None)?;
        self.add(connection, key)
    }

    /// A new connection from what the wizard gathered and the report of its last test; its name
    /// is the one given, or the proposed one.
    fn tested_connection(
        &self,
        new: NewConnection,
        report: &Report,
        at: String,
        client_id: Option<String>,
    ) -> Result<SavedConnection, BookError> {
        let name = match new.name.trim() {
            "" => self.proposed_name()?,
            given => given.to_owned(),
        };
        Ok(SavedConnection {
            id: new_id(),
            name,
            region: report.region,
            org: report.org.clone(),
            manager_attribute: given(new.manager_attribute),
            demo_scenario: new.demo_scenario,
            last_test: Some(summarize(report, at)),
            key_last_four: None,
            session_only: new.session_only,
            client_id,
            platform: new.platform,
            admin_username: given(new.admin_username),
            owner_email: given(new.owner_email),
        })
    }

    /// Stores the key (keychain, or memory when `session_only`), then the connection. Its name
    /// must be free, as checked again when the connection is written.
    pub fn add(
        &self,
        mut connection: SavedConnection,
        key: &jc_api::ApiKey,
    ) -> Result<SavedConnection, BookError> {
        connection.key_last_four = Some(key.last_four());
        self.store(connection, |book, connection, id| {
            book.secrets_for(connection).set(id, key)
        })
    }

    /// Stores the connection's secret with `put` (keychain, or memory when `session_only`), then
    /// the connection; undoes the first when the second fails. Its name must be free, as
    /// checked again when the connection is written.
    fn store(
        &self,
        mut connection: SavedConnection,
        put: impl FnOnce(&Self, &SavedConnection, &str) -> Result<(), crate::secrets::SecretError>,
    ) -> Result<SavedConnection, BookError> {
        connection.name = free_name(&self.list()?, &connection.name, None)?;
        let id = connection.id.clone();
        let in_keychain = !connection.session_only;
        if in_keychain {
            self.list_key(&id)?;
        }
        let undo = |book: &Self| {
            let _ = book.secrets_for(&connection).delete(&id);
            if in_keychain {
                let _ = book.unlist_keys(std::slice::from_ref(&id));
            }
        };
        if let Err(error) = put(self, &connection, &id) {
            undo(self);
            return Err(error.into());
        }
        let saved = self.storage.change(&mut |stored| {
            free_name(&stored.connections, &connection.name, None)?;
            stored.connections.push(connection.clone());
            Ok(())
        });
        if let Err(error) = saved {
            undo(self);
            return Err(error);
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

    /// Saves a connection that uses a service account's client ID and secret: the secret goes
    /// to the keychain (or memory when `session_only`), the client ID to the connection file.
    pub fn add_tested_client_credentials(
        &self,
        new: NewConnection,
        report: &Report,
        credentials: &jc_api::ClientCredentials,
        at: String,
    ) -> Result<SavedConnection, BookError> {
        let connection =
            self.tested_connection(new, report, at, Some(credentials.id.to_string()))?;
        self.store(connection, |book, connection, id| {
            book.secrets_for(connection)
                .set_client_secret(id, &credentials.secret)
        })
    }

    /// The credential a saved connection tests with: its key, or its client ID and secret.
    pub fn credential(
        &self,
        connection: &SavedConnection,
    ) -> Result<jc_api::Credential, BookError> {
        match &connection.client_id {
            None => self.key(connection).map(jc_api::Credential::from),
            Some(id) => {
                let secret = self
                    .secrets_for(connection)
                    .get_client_secret(&connection.id)?
                    .ok_or(BookError::KeyMissing)?;
                let id = jc_api::ClientId::parse(id).map_err(|_| BookError::KeyMissing)?;
                Ok(jc_api::Credential::ClientCredentials(
                    jc_api::ClientCredentials { id, secret },
                ))
            }
        }
    }

    pub fn key(&self, connection: &SavedConnection) -> Result<jc_api::ApiKey, BookError> {
        self.secrets_for(connection)
            .get(&connection.id)?
            .ok_or(BookError::KeyMissing)
    }

    /// Changes one connection with `change` and saves them all, as one step.
    pub fn update(
        &self,
        id: &str,
        change: impl FnOnce(&mut SavedConnection),
    ) -> Result<SavedConnection, BookError> {
        let mut change = Some(change);
        let mut updated = None;
        self.storage.change(&mut |stored| {
            let connection = stored
                .connections
                .iter_mut()
                .find(|c| c.id == id)
                .ok_or_else(|| BookError::NoSuchConnection(id.to_owned()))?;
            if let Some(change) = change.take() {
                change(connection);
            }
            updated = Some(connection.clone());
            Ok(())
        })?;
        updated.ok_or_else(|| BookError::NoSuchConnection(id.to_owned()))
    }

    /// Renames a connection, if no other one has the name (in any case).
    pub fn rename(&self, id: &str, name: &str) -> Result<SavedConnection, BookError> {
        let mut renamed = None;
        self.storage.change(&mut |stored| {
            let name = free_name(&stored.connections, name, Some(id))?;
            let connection = stored
                .connections
                .iter_mut()
                .find(|c| c.id == id)
                .ok_or_else(|| BookError::NoSuchConnection(id.to_owned()))?;
            connection.name = name;
            renamed = Some(connection.clone());
            Ok(())
        })?;
        renamed.ok_or_else(|| BookError::NoSuchConnection(id.to_owned()))
    }

    pub fn replace_key(
        &self,
        id: &str,
        key: &jc_api::ApiKey,
    ) -> Result<SavedConnection, BookError> {
        let connection = self.get(id)?;
        if !connection.session_only {
            self.list_key(id)?;
        }
        self.secrets_for(&connection).set(id, key)?;
        self.update(id, |c| c.key_last_four = Some(key.last_four()))
    }

    /// Puts a new client secret in place of a service-account connection's secret (after a
    /// rotation); the client ID stays.
    pub fn replace_client_secret(
        &self,
        id: &str,
        secret: &jc_api::ClientSecret,
    ) -> Result<SavedConnection, BookError> {
        let connection = self.get(id)?;
        if !connection.session_only {
            self.list_key(id)?;
        }
        self.secrets_for(&connection)
            .set_client_secret(id, secret)?;
        self.update(id, |_| {})
    }

    /// Deletes the key first: a connection without its key is harmless, a key without a
    /// connection would be an orphaned secret.
    pub fn delete(&self, id: &str) -> Result<(), BookError> {
        let connection = self.get(id)?;
        self.secrets_for(&connection).delete(id)?;
        self.storage.change(&mut |stored| {
            stored.connections.retain(|c| c.id != id);
            stored.key_ids.retain(|k| k != id);
            Ok(())
        })
    }

    /// Deletes the keychain keys listed in the store whose connection is gone (a crash between
    /// storing a key and its connection, or a store file that had to be started over), and
    /// returns how many. Run it at start, before connections are added: a key being added is
    /// listed before its connection is saved. A key the keychain refuses to delete stays listed
    /// for the next start.
    pub fn remove_orphaned_keys(&self) -> Result<usize, BookError> {
        let stored = self.storage.read()?;
        let orphans: Vec<&String> = stored
            .key_ids
            .iter()
            .filter(|id| {
                !stored
                    .connections
                    .iter()
                    .any(|c| &c.id == *id && !c.session_only)
            })
            .collect();
        let mut removed = Vec::new();
        for id in orphans {
            match self.keychain.delete(id) {
                Ok(()) => removed.push(id.clone()),
                Err(error) => {
                    tracing::warn!(%error, "a key without a connection stays in the keychain until the next start")
                }
            }
        }
        if !removed.is_empty() {
            self.unlist_keys(&removed)?;
        }
        Ok(removed.len())
    }
}

/// Connections in memory: for tests and for a store that could not be opened.
#[derive(Default)]
pub struct MemoryStorage(std::sync::Mutex<Stored>);

impl ConnectionStorage for MemoryStorage {
    fn read(&self) -> Result<Stored, StorageError> {
        Ok(self.0.lock().unwrap_or_else(|p| p.into_inner()).clone())
    }

    fn change(&self, change: &mut Change<'_>) -> Result<(), BookError> {
        let mut stored = self.0.lock().unwrap_or_else(|p| p.into_inner());
        let mut changed = stored.clone();
        change(&mut changed)?;
        *stored = changed;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_last_test_stored_before_its_words_existed_reads_in_words() {
        let stored = r#"{"at": "2026-11-22T09:30:00Z", "ok": false, "summary": "Key refused"}"#;
        let read: LastTest = serde_json::from_str(stored).expect("an older store still reads");
        assert_eq!(read.outcome_label, "Failed", "the words are made from ok");
        let stale = r#"{"at": "x", "ok": true, "outcome_label": "PASS", "summary": ""}"#;
        let read: LastTest = serde_json::from_str(stale).expect("reads");
        assert_eq!(
            read.outcome_label, "Passed",
            "stored words are never trusted"
        );
    }

    #[test]
    fn a_secrets_expiry_survives_the_store() {
        let written = LastTest {
            at: "2026-11-22T09:30:00Z".to_owned(),
            ok: true,
            outcome_label: "Passed".to_owned(),
            summary: "All passed".to_owned(),
            credentials_expire_at: Some("2026-12-07T00:00:00Z".to_owned()),
        };
        let text = serde_json::to_string(&written).expect("writes");
        let read: LastTest = serde_json::from_str(&text).expect("reads");
        assert_eq!(
            read, written,
            "the expiry is read back, so the countdown still shows after a restart"
        );
    }

    pub(super) fn named(name: &str) -> SavedConnection {
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
            client_id: None,
            platform: None,
            admin_username: None,
            owner_email: None,
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
        assert_eq!(
            default_name(&[named("connection 1")]),
            "Connection 2",
            "the book refuses a name taken in another case, so none is proposed"
        );
    }

    #[test]
    fn names_are_proposed_trimmed_and_unique_in_any_case() {
        let storage = MemoryStorage::default();
        let secrets = crate::secrets::SessionSecrets::default();
        let book = Book {
            storage: &storage,
            keychain: &secrets,
            session: &secrets,
        };
        let key = jc_api::ApiKey::parse(&format!("jca_{}", "a".repeat(36))).expect("a key");
        let report = Report {
            ok: true,
            permissions: None,
            auth: None,
            credentials_expire_at: None,
            region: None,
            org: None,
            orgs_available: Vec::new(),
            role: None,
            checks: Vec::new(),
        };
        let save = |name: &str| {
            let new = NewConnection {
                name: name.to_owned(),
                ..NewConnection::default()
            };
            book.add_tested(new, &report, &key, "2026-11-22T09:30:00Z".to_owned())
        };
        assert_eq!(book.proposed_name(), Ok("Connection 1".to_owned()));
        let first = save("  ").expect("a blank name takes the proposed one");
        assert_eq!(first.name, "Connection 1");
        assert_eq!(book.proposed_name(), Ok("Connection 2".to_owned()));
        assert_eq!(
            save("connection 1").map(|c| c.name),
            Err(BookError::NameTaken("connection 1".to_owned())),
            "names are unique in any case"
        );
        let prod = save(" Prod ").expect("saved");
        assert_eq!(prod.name, "Prod", "names are trimmed");
        assert_eq!(
            book.rename(&prod.id, "CONNECTION 1").map(|c| c.name),
            Err(BookError::NameTaken("CONNECTION 1".to_owned()))
        );
        assert_eq!(book.rename(&prod.id, " "), Err(BookError::NameMissing));
        assert_eq!(
            book.rename(&prod.id, "prod").map(|c| c.name),
            Ok("prod".to_owned()),
            "a connection may change the case of its own name"
        );
    }

    #[test]
    fn ids_are_random_and_hex() {
        let (a, b) = (new_id(), new_id());
        assert_ne!(a, b);
        assert!(a.len() == 32 && a.chars().all(|c| c.is_ascii_hexdigit()));
    }
}
