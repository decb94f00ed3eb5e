//! The one error type the UI sees: a kind to branch on, a plain message and a fix.

use onboard::connections::BookError;
use onboard::secrets::SecretError;
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, specta::Type)]
#[serde(rename_all = "snake_case")]
pub enum UiErrorKind {
    /// Something the user typed is not usable.
    Input,
    /// The OS keychain is missing, locked or refused.
    Keychain,
    /// The saved-connections file could not be read or written.
    Store,
    /// A step needs a tested connection first.
    NotConnected,
    NotFound,
    /// The demo organization could not start.
    Demo,
    /// Something inside the app went wrong (the UI's own name for a failure Rust did not explain).
    Unexpected,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, specta::Type, thiserror::Error)]
#[error("{message}")]
pub struct UiError {
    pub kind: UiErrorKind,
    pub message: String,
    pub fix: Option<String>,
}

impl UiError {
    pub fn new(kind: UiErrorKind, message: impl Into<String>, fix: impl Into<String>) -> UiError {
        UiError {
            kind,
            message: message.into(),
            fix: Some(fix.into()),
        }
    }

    pub fn not_connected() -> UiError {
        UiError::new(
            UiErrorKind::NotConnected,
            "The connection has not been tested yet.",
            "Go back to \"Test connection\" and run the checks first.",
        )
    }
}

impl From<SecretError> for UiError {
    fn from(error: SecretError) -> Self {
        let fix = match error {
            SecretError::Unavailable(_) => {
                "Unlock or set up your system keychain (on Linux: GNOME Keyring or KWallet), or use the key for this session only."
            }
            SecretError::Damaged => "Replace this connection's key: open the connection and choose \"Replace key\".",
            SecretError::Failed(_) => "Try again; if it keeps failing, use the key for this session only.",
        };
        UiError::new(
            UiErrorKind::Keychain,
            format!("The keychain could not be used: {error}."),
            fix,
        )
    }
}

impl From<BookError> for UiError {
    fn from(error: BookError) -> Self {
        match error {
            BookError::Secret(e) => e.into(),
            BookError::KeyMissing => UiError::new(
                UiErrorKind::Keychain,
                "This connection's key is no longer in the keychain (or it was kept for a previous session only).",
                "Open the connection and choose \"Replace key\" to enter the key again.",
            ),
            BookError::NoApiKey => UiError::new(
                UiErrorKind::Input,
                "This connection uses a service account's client ID and secret, and has no API key to copy.",
                "Give the platform a read-only administrator's API key or a service account's API key if its form asks for an API key.",
            ),
            BookError::NoSuchConnection(_) => UiError::new(
                UiErrorKind::NotFound,
                "That connection no longer exists.",
                "Go back to the list of connections.",
            ),
            BookError::NameMissing => UiError::new(
                UiErrorKind::Input,
                "A connection needs a name.",
                "Type a name, e.g. Production_JumpCloud.",
            ),
            BookError::NameTaken(name) => UiError::new(
                UiErrorKind::Input,
                format!("There is already a connection called \"{name}\"."),
                "Choose another name.",
            ),
            BookError::Storage(e) => UiError::new(
                UiErrorKind::Store,
                format!("{e}."),
                "Check that there is free disk space and that the app's data folder is writable, then try again.",
            ),
        }
    }
}

impl From<jc_api::KeyShapeError> for UiError {
    fn from(error: jc_api::KeyShapeError) -> Self {
        UiError::new(
            UiErrorKind::Input,
            format!("The API key is not usable: {error}."),
            "Copy the key again from the JumpCloud console (initials menu, My API Key).",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serializes_as_a_small_tagged_object() {
        let json = serde_json::to_value(UiError::not_connected()).expect("serializes");
        assert_eq!(
            json["kind"], "not_connected",
            "the UI branches on a stable snake_case kind"
        );
        assert!(json["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert!(
            json["fix"].as_str().is_some_and(|f| !f.is_empty()),
            "every error offers a next step"
        );
    }
}
