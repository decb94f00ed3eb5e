//! Keys in the OS keychain: a real Secret Service (gnome-keyring under dbus-run-session), and
//! the behaviour when there is none. Each test needs one of the two, so a plain `cargo test`
//! lists them as ignored (the machine's own keychain is not ours to write to); scripts/test.sh
//! runs each group in its own setting, from the test binary `cargo test` built:
//!
//!   JC_KEYCHAIN=present target/debug/deps/keychain-HASH --ignored with_a_secret_service::
//!   JC_KEYCHAIN=absent  target/debug/deps/keychain-HASH --ignored without_a_secret_service::
//!
//! (the first inside dbus-run-session with an unlocked gnome-keyring, the second with no bus).

use std::process::Command;

use jc_api::ApiKey;
use onboard::connections::{Book, ConnectionStorage, FileStorage, MemoryStorage, SavedConnection};
use onboard::secrets::{SecretError, SecretStore, SessionSecrets, SystemKeychain};

const CANARY: &str = "jca_KEYCHAINcanary0123456789KEYCHAINcana";

/// Run with `--ignored` outside its setting, a test refuses rather than write to (or misjudge)
/// whatever keychain this machine has.
fn require(mode: &str) {
    let set = std::env::var("JC_KEYCHAIN").unwrap_or_default();
    assert_eq!(
        set, mode,
        "this test needs JC_KEYCHAIN={mode} and its setting (see the top of this file)"
    );
}

fn service() -> String {
    format!("com.jconboard.wizard.test-{}", std::process::id())
}

fn connection(id: &str, session_only: bool) -> SavedConnection {
    SavedConnection {
        id: id.to_owned(),
        name: "Production_JumpCloud".to_owned(),
        region: None,
        org: None,
        manager_attribute: None,
        demo_scenario: None,
        last_test: None,
        key_last_four: None,
        session_only,
        client_id: None,
        platform: None,
        admin_username: None,
        owner_email: None,
    }
}

mod with_a_secret_service {
    use super::*;

    #[test]
    #[ignore = "needs a Secret Service: JC_KEYCHAIN=present, inside dbus-run-session with an unlocked keyring, -- --ignored"]
    fn keys_round_trip_through_the_real_secret_service() {
        require("present");
        let keychain = SystemKeychain::new(&service());
        keychain.probe().expect("an unlocked gnome-keyring answers");
        let key = ApiKey::parse(CANARY).expect("shape");

        keychain.set("conn-1", &key).expect("store the key");
        let back = keychain.get("conn-1").expect("read").expect("present");
        assert_eq!(back.expose(), CANARY, "the same key comes back");

        // Proof it is in the Secret Service itself, not a mock: another client finds it.
        if let Ok(out) = Command::new("secret-tool")
            .args(["lookup", "service", &service(), "username", "conn-1"])
            .output()
        {
            assert_eq!(
                String::from_utf8_lossy(&out.stdout).trim(),
                CANARY,
                "secret-tool reads the same item"
            );
        }

        keychain.delete("conn-1").expect("delete");
        assert!(
            keychain.get("conn-1").expect("read after delete").is_none(),
            "deleted keys are gone"
        );
        keychain
            .delete("conn-1")
            .expect("deleting twice is not an error");
    }

    #[test]
    #[ignore = "needs a Secret Service: JC_KEYCHAIN=present, inside dbus-run-session with an unlocked keyring, -- --ignored"]
    fn a_saved_connection_keeps_its_key_only_in_the_keychain() {
        require("present");
        let storage = MemoryStorage::default();
        let keychain = SystemKeychain::new(&service());
        let session = SessionSecrets::default();
        let book = Book {
            storage: &storage,
            keychain: &keychain,
            session: &session,
        };
        let key = ApiKey::parse(CANARY).expect("shape");

        let saved = book.add(connection("conn-2", false), &key).expect("save");
        assert_eq!(
            saved.key_last_four.as_deref(),
            Some("…cana"),
            "only the last four characters are kept"
        );
        let stored = serde_json::to_string(&storage.load().expect("load")).expect("json");
        assert!(
            !stored.contains(CANARY) && !stored.contains(&CANARY[4..36]),
            "the store never holds the key: {stored}"
        );
        assert!(
            session.get("conn-2").expect("session").is_none(),
            "a keychain connection is not held in memory"
        );
        assert_eq!(book.key(&saved).expect("key back").expose(), CANARY);

        book.delete("conn-2").expect("delete");
        assert!(
            keychain.get("conn-2").expect("read").is_none(),
            "deleting a connection deletes its key"
        );
        assert!(storage.load().expect("load").is_empty());
    }

    #[test]
    #[ignore = "needs a Secret Service: JC_KEYCHAIN=present, inside dbus-run-session with an unlocked keyring, -- --ignored"]
    fn a_key_left_without_its_connection_is_removed_from_the_real_keychain_at_start() {
        require("present");
        let dir = tempfile::tempdir().expect("a data folder");
        let keychain = SystemKeychain::new(&service());
        let session = SessionSecrets::default();
        let key = ApiKey::parse(CANARY).expect("shape");
        {
            let storage = FileStorage::open(dir.path()).expect("opens").storage;
            let book = Book {
                storage: &storage,
                keychain: &keychain,
                session: &session,
            };
            book.add(connection("conn-5", false), &key).expect("saved");
            // What a crash between storing a key and saving its connection leaves: a listed key.
            storage
                .change(&mut |stored| {
                    stored.key_ids.push("conn-6".to_owned());
                    Ok(())
                })
                .expect("listed");
            keychain.set("conn-6", &key).expect("the orphan's key");
        }

        let storage = FileStorage::open(dir.path())
            .expect("the next start")
            .storage;
        let book = Book {
            storage: &storage,
            keychain: &keychain,
            session: &session,
        };
        assert_eq!(book.remove_orphaned_keys().expect("cleaned"), 1);
        assert!(
            keychain.get("conn-6").expect("read").is_none(),
            "the orphaned key is deleted from the Secret Service"
        );
        assert_eq!(
            keychain
                .get("conn-5")
                .expect("read")
                .map(|k| k.expose().to_owned()),
            Some(CANARY.to_owned()),
            "a saved connection's key stays"
        );
        book.delete("conn-5").expect("cleaned up");
    }
}

mod without_a_secret_service {
    use super::*;

    #[test]
    #[ignore = "needs no session bus at all: JC_KEYCHAIN=absent, DBUS_SESSION_BUS_ADDRESS and DISPLAY unset, -- --ignored"]
    fn without_a_keychain_it_says_so_and_offers_the_session() {
        require("absent");
        let keychain = SystemKeychain::new(&service());
        let key = ApiKey::parse(CANARY).expect("shape");
        assert!(
            matches!(keychain.probe(), Err(SecretError::Unavailable(_))),
            "no bus means no keychain, plainly"
        );
        assert!(
            matches!(
                keychain.set("conn-3", &key),
                Err(SecretError::Unavailable(_))
            ),
            "nothing is written anywhere instead"
        );

        let storage = MemoryStorage::default();
        let session = SessionSecrets::default();
        let book = Book {
            storage: &storage,
            keychain: &keychain,
            session: &session,
        };
        let saved = book
            .add(connection("conn-3", true), &key)
            .expect("session-only works without a keychain");
        assert_eq!(book.key(&saved).expect("key").expose(), CANARY);
        let stored = serde_json::to_string(&storage.load().expect("load")).expect("json");
        assert!(!stored.contains(CANARY), "session-only keys stay in memory");

        // Another name: the book refuses a taken one before it looks for a keychain.
        let other = SavedConnection {
            name: "Staging_JumpCloud".to_owned(),
            ..connection("conn-4", false)
        };
        let err = book
            .add(other, &key)
            .expect_err("a keychain connection cannot be saved");
        assert!(err.to_string().contains("no keychain"), "{err}");
        assert_eq!(
            storage.load().expect("load").len(),
            1,
            "a failed save leaves nothing behind"
        );
    }
}
