//! Where API keys live: the OS keychain (Secret Service on Linux, Keychain on macOS, Credential
//! Manager on Windows), keyed by connection id. Nowhere else, except in memory for a session
//! when the user chooses that because no keychain is available.

use std::collections::HashMap;
use std::sync::Mutex;

use jc_api::{ApiKey, ClientSecret};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    /// No keychain on this machine, or it is locked: the user can still work for this session.
    #[error("no keychain is available ({0})")]
    Unavailable(String),
    /// The keychain holds something for this connection that is not a key.
    #[error("the keychain entry for this connection is damaged")]
    Damaged,
    #[error("the keychain refused the request ({0})")]
    Failed(String),
}

/// A place that keeps API keys by connection id.
pub trait SecretStore: Send + Sync {
    fn get(&self, connection_id: &str) -> Result<Option<ApiKey>, SecretError>;
    fn set(&self, connection_id: &str, key: &ApiKey) -> Result<(), SecretError>;
    /// A service account's client secret, kept where a key would be (its client ID is not
    /// secret and lives in the connection file).
    fn get_client_secret(&self, connection_id: &str) -> Result<Option<ClientSecret>, SecretError>;
    fn set_client_secret(
        &self,
        connection_id: &str,
        secret: &ClientSecret,
    ) -> Result<(), SecretError>;
    /// Deleting a missing entry is not an error.
    fn delete(&self, connection_id: &str) -> Result<(), SecretError>;
}

/// The OS keychain, under the app's identifier as the service name.
pub struct SystemKeychain {
    service: String,
}

impl SystemKeychain {
    pub fn new(service: &str) -> SystemKeychain {
        SystemKeychain {
            service: service.to_owned(),
        }
    }

    /// Whether a keychain answers at all, found by reading an entry that does not exist.
    pub fn probe(&self) -> Result<(), SecretError> {
        self.get("availability-probe").map(|_| ())
    }

    fn entry(&self, connection_id: &str) -> Result<keyring::Entry, SecretError> {
        keyring::Entry::new(&self.service, connection_id).map_err(map_error)
    }
}

impl SecretStore for SystemKeychain {
    fn get(&self, connection_id: &str) -> Result<Option<ApiKey>, SecretError> {
        match self.entry(connection_id)?.get_password() {
            Ok(text) => ApiKey::parse(&text)
                .map(Some)
                .map_err(|_| SecretError::Damaged),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set(&self, connection_id: &str, key: &ApiKey) -> Result<(), SecretError> {
        self.entry(connection_id)?
            .set_password(key.expose())
            .map_err(map_error)
    }

    fn get_client_secret(&self, connection_id: &str) -> Result<Option<ClientSecret>, SecretError> {
        match self.entry(connection_id)?.get_password() {
            Ok(text) => ClientSecret::parse(&zeroize::Zeroizing::new(text))
                .map(Some)
                .map_err(|_| SecretError::Damaged),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_error(e)),
        }
    }

    fn set_client_secret(
        &self,
        connection_id: &str,
        secret: &ClientSecret,
    ) -> Result<(), SecretError> {
        self.entry(connection_id)?
            .set_password(secret.expose())
            .map_err(map_error)
    }

    fn delete(&self, connection_id: &str) -> Result<(), SecretError> {
        match self.entry(connection_id)?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(map_error(e)),
        }
    }
}

/// keyring's errors carry platform text, never the secret; they are kept as the reason.
fn map_error(error: keyring::Error) -> SecretError {
    match error {
        keyring::Error::PlatformFailure(e) => SecretError::Unavailable(e.to_string()),
        keyring::Error::NoStorageAccess(e) => SecretError::Unavailable(e.to_string()),
        keyring::Error::BadEncoding(_) => SecretError::Damaged,
        other => SecretError::Failed(other.to_string()),
    }
}

/// Keys kept in memory for this session only, for when there is no keychain. Gone at exit.
#[derive(Default)]
pub struct SessionSecrets(
    Mutex<HashMap<String, ApiKey>>,
    Mutex<HashMap<String, ClientSecret>>,
);

impl SecretStore for SessionSecrets {
    fn get_client_secret(&self, connection_id: &str) -> Result<Option<ClientSecret>, SecretError> {
        Ok(self
            .1
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(connection_id)
            .cloned())
    }

    fn set_client_secret(
        &self,
        connection_id: &str,
        secret: &ClientSecret,
    ) -> Result<(), SecretError> {
        self.1
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(connection_id.to_owned(), secret.clone());
        Ok(())
    }

    fn get(&self, connection_id: &str) -> Result<Option<ApiKey>, SecretError> {
        Ok(self
            .0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .get(connection_id)
            .cloned())
    }

    fn set(&self, connection_id: &str, key: &ApiKey) -> Result<(), SecretError> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .insert(connection_id.to_owned(), key.clone());
        Ok(())
    }

    fn delete(&self, connection_id: &str) -> Result<(), SecretError> {
        self.0
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(connection_id);
        self.1
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .remove(connection_id);
        Ok(())
    }
}
