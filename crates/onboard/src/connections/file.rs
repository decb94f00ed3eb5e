//! The saved connections in one JSON file, `connections.json` in the app's data folder: an
//! object with `version`, `connections`, the keychain index `key_ids`, and the app's settings
//! beside them (the format tauri-plugin-store wrote, so earlier files load as they are).
//!
//! Every change replaces the file atomically ([`files::write_atomic`]) after the last good
//! version is copied to `connections.json.bak`. A file that does not read as ours is renamed
//! aside (kept for support), the last good copy is restored, and the person is told.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{BookError, Change, ConnectionStorage, SavedConnection, StorageError, Stored};
use crate::files;

pub const STORE_FILE: &str = "connections.json";
const BACKUP_SUFFIX: &str = ".bak";
const SCHEMA_VERSION: u32 = 1;
/// A store of a few hundred connections and a CA bundle is well under this.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

const VERSION: &str = "version";
const CONNECTIONS: &str = "connections";
const KEY_IDS: &str = "key_ids";

/// The store file, with the document as last read or written. Changes are serialized by the
/// mutex, which is held from reading the document to the end of its replacement on disk.
pub struct FileStorage {
    path: PathBuf,
    state: Mutex<State>,
}

struct State {
    document: Map<String, Value>,
    /// The bytes of the document on disk when it last read or wrote whole: what the backup
    /// is made of before the next replacement.
    last_good: Option<Vec<u8>>,
}

/// A store just opened, and a sentence for the person when something had to be repaired.
pub struct Opened {
    pub storage: FileStorage,
    pub notice: Option<String>,
}

enum Read {
    Missing,
    Good(Map<String, Value>, Vec<u8>),
    Damaged,
}

impl FileStorage {
    /// Opens (or starts) the store in `dir`, creating the folder owner-only if it is missing.
    /// Temporary files a killed write left are removed; a damaged file is set aside and the
    /// last good copy restored. An error means the store cannot be used at all (the folder or
    /// file cannot be read, or a damaged file cannot be moved out of the way).
    pub fn open(dir: &Path) -> Result<Opened, StorageError> {
        files::private_dir(dir).map_err(|e| StorageError::Read(e.to_string()))?;
        let path = dir.join(STORE_FILE);
        let backup = backup_path(&path);
        for leftover in [&path, &backup] {
            let removed = files::remove_stale_temporaries(leftover);
            if removed > 0 {
                tracing::info!(
                    removed,
                    "removed the temporary files of an interrupted save"
                );
            }
        }
        let (document, last_good, notice) = match read(&path)? {
            Read::Missing => (Map::new(), None, None),
            Read::Good(document, bytes) => (document, Some(bytes), None),
            Read::Damaged => {
                let aside = set_aside(&path)?;
                match read(&backup) {
                    Ok(Read::Good(document, bytes)) => {
                        files::write_atomic(&path, &bytes)
                            .map_err(|e| StorageError::Write(e.to_string()))?;
                        let count = stored_of(&document).map_or(0, |s| s.connections.len());
                        tracing::warn!(aside = %aside.display(), count, "damaged connections file set aside, last good copy restored");
                        let notice = restored_notice(&aside, count);
                        (document, Some(bytes), Some(notice))
                    }
                    _ => {
                        tracing::warn!(aside = %aside.display(), "damaged connections file set aside, no good copy to restore");
                        (Map::new(), None, Some(started_over_notice(&aside)))
                    }
                }
            }
        };
        Ok(Opened {
            storage: FileStorage {
                path,
                state: Mutex::new(State {
                    document,
                    last_good,
                }),
            },
            notice,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A setting kept beside the connections, by name.
    pub fn setting<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let state = self.lock();
        let value = state.document.get(name)?.clone();
        serde_json::from_value(value).ok()
    }

    /// Sets (or, with `None`, removes) a setting and writes the store. The connection fields
    /// themselves are not settings.
    pub fn set_setting(&self, name: &str, value: Option<Value>) -> Result<(), StorageError> {
        if [VERSION, CONNECTIONS, KEY_IDS].contains(&name) {
            return Err(StorageError::Write(format!("{name:?} is not a setting")));
        }
        let mut state = self.lock();
        let mut document = state.document.clone();
        match value {
            Some(value) => document.insert(name.to_owned(), value),
            None => document.remove(name),
        };
        self.replace(&mut state, document)
    }

    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Backs up the last good file, then replaces it with `document`.
    fn replace(&self, state: &mut State, document: Map<String, Value>) -> Result<(), StorageError> {
        let write = |e: std::io::Error| StorageError::Write(e.to_string());
        let bytes =
            serde_json::to_vec_pretty(&document).map_err(|e| StorageError::Write(e.to_string()))?;
        if let Some(good) = &state.last_good {
            files::write_atomic(&backup_path(&self.path), good).map_err(write)?;
        }
        files::write_atomic(&self.path, &bytes).map_err(write)?;
        state.document = document;
        state.last_good = Some(bytes);
        Ok(())
    }
}

impl ConnectionStorage for FileStorage {
    fn read(&self) -> Result<Stored, StorageError> {
        stored_of(&self.lock().document).map_err(StorageError::Read)
    }

    fn change(&self, change: &mut Change<'_>) -> Result<(), BookError> {
        let mut state = self.lock();
        let mut stored = stored_of(&state.document).map_err(StorageError::Read)?;
        change(&mut stored)?;
        let mut document = state.document.clone();
        document.insert(VERSION.to_owned(), Value::from(SCHEMA_VERSION));
        document.insert(CONNECTIONS.to_owned(), to_value(&stored.connections)?);
        document.insert(KEY_IDS.to_owned(), to_value(&stored.key_ids)?);
        Ok(self.replace(&mut state, document)?)
    }
}

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value, StorageError> {
    serde_json::to_value(value).map_err(|e| StorageError::Write(e.to_string()))
}

fn backup_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_owned();
    name.push(BACKUP_SUFFIX);
    path.with_file_name(name)
}

/// The connections and key index of a document; a missing field is empty.
fn stored_of(document: &Map<String, Value>) -> Result<Stored, String> {
    fn field<T: DeserializeOwned + Default>(
        document: &Map<String, Value>,
        name: &str,
    ) -> Result<T, String> {
        match document.get(name) {
            None => Ok(T::default()),
            Some(value) => {
                serde_json::from_value(value.clone()).map_err(|e| format!("{name}: {e}"))
            }
        }
    }
    Ok(Stored {
        connections: field::<Vec<SavedConnection>>(document, CONNECTIONS)?,
        key_ids: field::<Vec<String>>(document, KEY_IDS)?,
    })
}

fn read(path: &Path) -> Result<Read, StorageError> {
    let bytes = match files::read_bounded(path, MAX_BYTES) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Read::Missing),
        // Larger than any store we write: as damaged as a cut-off one.
        Err(e) if e.kind() == std::io::ErrorKind::InvalidData => return Ok(Read::Damaged),
        Err(e) => return Err(StorageError::Read(e.to_string())),
    };
    let Ok(document) = serde_json::from_slice::<Map<String, Value>>(&bytes) else {
        return Ok(Read::Damaged);
    };
    if stored_of(&document).is_err() {
        return Ok(Read::Damaged);
    }
    Ok(Read::Good(document, bytes))
}

fn set_aside(path: &Path) -> Result<PathBuf, StorageError> {
    let stamp = time::OffsetDateTime::now_utc().unix_timestamp();
    let mut aside = path.with_file_name(format!("connections.unreadable-{stamp}.json"));
    let mut n = 1;
    while aside.exists() {
        n += 1;
        aside = path.with_file_name(format!("connections.unreadable-{stamp}-{n}.json"));
    }
    std::fs::rename(path, &aside).map_err(|e| {
        StorageError::Read(format!(
            "the file is damaged and could not be set aside: {e}"
        ))
    })?;
    Ok(aside)
}

fn restored_notice(aside: &Path, count: usize) -> String {
    let connections = match count {
        1 => "1 saved connection is".to_owned(),
        n => format!("{n} saved connections are"),
    };
    format!(
        "The saved connections file was damaged, so it was set aside as {} (kept for support) and the last good copy was restored: {connections} back. A change made just before may need to be made again.",
        aside.display()
    )
}

fn started_over_notice(aside: &Path) -> String {
    format!(
        "The saved connections file was damaged, so it was set aside as {} (kept for support) and a new one was started. Connections saved before need to be added again.",
        aside.display()
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::connections::tests::named as connection;
    use crate::connections::Book;
    use crate::secrets::{SecretStore, SessionSecrets};

    const KEY: &str = "jca_STOREcanary0123456789STOREcanary0123";

    /// A book over `storage` whose keychain is the in-memory store.
    fn book<'a>(storage: &'a FileStorage, keychain: &'a SessionSecrets) -> Book<'a> {
        Book {
            storage,
            keychain,
            session: keychain,
        }
    }

    fn key() -> jc_api::ApiKey {
        jc_api::ApiKey::parse(KEY).expect("a key's shape")
    }

    fn open(dir: &Path) -> Opened {
        FileStorage::open(dir).expect("the store opens")
    }

    /// A store with three connections added through a book.
    fn three(dir: &Path) -> Vec<String> {
        let opened = open(dir);
        let keychain = SessionSecrets::default();
        let book = book(&opened.storage, &keychain);
        ["A", "B", "C"]
            .iter()
            .map(|name| book.add(connection(name), &key()).expect("added").id)
            .collect()
    }

    fn ids(storage: &FileStorage) -> Vec<String> {
        let mut ids: Vec<String> = storage
            .load()
            .expect("loads")
            .into_iter()
            .map(|c| c.id)
            .collect();
        ids.sort();
        ids
    }

    #[test]
    fn a_file_written_by_tauri_plugin_store_loads_and_keeps_its_settings() {
        let dir = tempfile::tempdir().expect("temp dir");
        let earlier = r#"{
  "connections": [{"id": "c1", "name": "Prod", "region": "eu", "org": null,
    "manager_attribute": null, "demo_scenario": null, "last_test": null,
    "key_last_four": "…abcd", "session_only": false}],
  "extra_ca_pem": "-----BEGIN CERTIFICATE-----",
  "version": 1
}"#;
        std::fs::write(dir.path().join(STORE_FILE), earlier).expect("an earlier file");
        let opened = open(dir.path());
        assert!(opened.notice.is_none(), "nothing to repair");
        let storage = opened.storage;
        assert_eq!(storage.load().expect("loads")[0].name, "Prod");
        storage
            .change(&mut |stored| {
                stored.connections[0].name = "Production".to_owned();
                Ok(())
            })
            .expect("changed");
        let reopened = open(dir.path()).storage;
        assert_eq!(reopened.load().expect("loads")[0].name, "Production");
        assert_eq!(
            reopened.setting::<String>("extra_ca_pem").as_deref(),
            Some("-----BEGIN CERTIFICATE-----"),
            "settings beside the connections survive a change"
        );
    }

    #[test]
    fn a_kill_between_writing_and_renaming_loses_nothing() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut added = three(dir.path());
        added.sort();
        let path = dir.path().join(STORE_FILE);
        let whole = std::fs::read(&path).expect("the store");
        let temp = dir.path().join(format!(".{STORE_FILE}.4242.99.tmp"));
        std::fs::write(&temp, &whole[..whole.len() / 2]).expect("a half-written replacement");

        let opened = open(dir.path());
        assert_eq!(
            ids(&opened.storage),
            added,
            "every connection is still there"
        );
        assert!(opened.notice.is_none(), "the file itself was never damaged");
        assert!(
            !temp.exists(),
            "the interrupted write's leftover is removed"
        );
    }

    #[test]
    fn a_truncated_file_is_set_aside_and_the_last_good_copy_restored_and_reported() {
        let dir = tempfile::tempdir().expect("temp dir");
        let mut added = three(dir.path());
        added.sort();
        let path = dir.path().join(STORE_FILE);
        // One more save, so the backup holds every connection.
        open(dir.path())
            .storage
            .set_setting("extra_ca_pem", None)
            .expect("saved");
        let whole = std::fs::read(&path).expect("the store");
        let cut = &whole[..whole.len() / 3];
        std::fs::write(&path, cut).expect("a file cut short by a kill mid-write");

        let opened = open(dir.path());
        assert_eq!(
            ids(&opened.storage),
            added,
            "every connection is restored from the last good copy"
        );
        let notice = opened.notice.expect("the person is told");
        assert!(
            notice.contains("last good copy was restored: 3 saved connections are back"),
            "{notice}"
        );
        assert!(notice.contains("kept for support"), "{notice}");
        let aside: Vec<PathBuf> = std::fs::read_dir(dir.path())
            .expect("list")
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.to_string_lossy().contains("unreadable"))
            .collect();
        assert_eq!(aside.len(), 1, "the damaged file is kept");
        assert_eq!(
            std::fs::read(&aside[0]).expect("read"),
            cut,
            "byte for byte"
        );
        assert_eq!(
            ids(&open(dir.path()).storage),
            added,
            "the restored file is on disk, not only in memory"
        );
    }

    #[test]
    fn a_damaged_file_without_a_good_copy_starts_over_and_says_so() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(
            dir.path().join(STORE_FILE),
            b"{\"connections\": [ {\"id\": 3",
        )
        .expect("a cut-off file");
        let opened = open(dir.path());
        assert!(opened.storage.load().expect("loads").is_empty());
        let notice = opened.notice.expect("the person is told");
        assert!(notice.contains("need to be added again"), "{notice}");
    }

    #[test]
    fn concurrent_changes_all_land() {
        let dir = tempfile::tempdir().expect("temp dir");
        let storage = open(dir.path()).storage;
        let keychain = SessionSecrets::default();
        let book = book(&storage, &keychain);
        let first = book.add(connection("first"), &key()).expect("added");
        const EACH: usize = 15;
        std::thread::scope(|scope| {
            for thread in 0..2 {
                let (book, first) = (&book, &first);
                scope.spawn(move || {
                    for i in 0..EACH {
                        book.add(connection(&format!("t{thread}-{i}")), &key())
                            .expect("added");
                        book.update(&first.id, |c| {
                            c.manager_attribute = Some(format!("t{thread}-{i}"))
                        })
                        .expect("updated");
                    }
                });
            }
        });
        let reopened = open(dir.path()).storage;
        let stored = reopened.read().expect("reads");
        assert_eq!(
            stored.connections.len(),
            1 + 2 * EACH,
            "no add was lost to another thread's save"
        );
        assert_eq!(stored.key_ids.len(), 1 + 2 * EACH, "every key is listed");
    }

    #[test]
    fn client_credentials_keep_the_secret_in_the_keychain_and_the_client_id_in_the_file() {
        const SECRET: &str = "CANARYstoredSECRET0123456789";
        let dir = tempfile::tempdir().expect("temp dir");
        let opened = open(dir.path());
        let keychain = SessionSecrets::default();
        let book = book(&opened.storage, &keychain);
        let credentials = jc_api::ClientCredentials {
            id: jc_api::ClientId::parse("integration-7f3a").expect("an id"),
            secret: jc_api::ClientSecret::parse(SECRET).expect("a secret"),
        };
        let report = crate::Report {
            ok: true,
            region: Some(jc_api::Region::Eu),
            org: None,
            orgs_available: Vec::new(),
            role: Some("Read Only".into()),
            checks: Vec::new(),
            permissions: None,
            auth: Some(jc_api::AuthKind::ClientCredentials),
            credentials_expire_at: None,
        };
        let new = crate::connections::NewConnection {
            name: "Service account".into(),
            manager_attribute: None,
            demo_scenario: None,
            session_only: false,
            platform: None,
            admin_username: None,
            owner_email: None,
        };
        let saved = book
            .add_tested_client_credentials(
                new,
                &report,
                &credentials,
                "2026-12-02T10:00:00Z".into(),
            )
            .expect("saved");
        assert_eq!(saved.client_id.as_deref(), Some("integration-7f3a"));
        assert_eq!(
            saved.key_last_four, None,
            "there is no key to show a part of"
        );
        let mut on_disk = String::new();
        for entry in std::fs::read_dir(dir.path()).expect("lists").flatten() {
            on_disk.push_str(&std::fs::read_to_string(entry.path()).unwrap_or_default());
        }
        assert!(
            on_disk.contains("integration-7f3a"),
            "the client ID is in the connection file"
        );
        assert!(
            !on_disk.contains("CANARY"),
            "the secret never reaches a file: {on_disk}"
        );
        match book
            .credential(&book.get(&saved.id).expect("found"))
            .expect("read back")
        {
            jc_api::Credential::ClientCredentials(back) => {
                assert_eq!(back.secret.expose(), SECRET);
                assert_eq!(back.id.as_str(), "integration-7f3a");
            }
            other => panic!("the saved form comes back: {other:?}"),
        }
        book.delete(&saved.id).expect("deleted");
        assert!(
            keychain
                .get_client_secret(&saved.id)
                .expect("reads")
                .is_none(),
            "deleting the connection forgets its secret"
        );
    }

    #[test]
    fn a_key_whose_connection_is_gone_is_removed_from_the_keychain() {
        let dir = tempfile::tempdir().expect("temp dir");
        let storage = open(dir.path()).storage;
        let keychain = SessionSecrets::default();
        let book = book(&storage, &keychain);
        let kept = book.add(connection("kept"), &key()).expect("added");
        // A crash after the key was stored and before its connection was.
        storage
            .change(&mut |stored| {
                stored.key_ids.push("orphan".to_owned());
                Ok(())
            })
            .expect("listed");
        keychain.set("orphan", &key()).expect("stored");

        assert_eq!(book.remove_orphaned_keys().expect("cleaned"), 1);
        assert!(
            keychain.get("orphan").expect("reads").is_none(),
            "the orphaned key is gone"
        );
        assert!(
            keychain.get(&kept.id).expect("reads").is_some(),
            "a saved connection's key stays"
        );
        assert_eq!(storage.read().expect("reads").key_ids, vec![kept.id]);
        assert_eq!(book.remove_orphaned_keys().expect("cleaned"), 0);
    }

    #[cfg(unix)]
    #[test]
    fn the_store_and_its_backup_are_owner_only() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        three(dir.path());
        for name in [STORE_FILE, "connections.json.bak"] {
            let mode = std::fs::metadata(dir.path().join(name))
                .expect("written")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name} is owner-only");
        }
    }
}
