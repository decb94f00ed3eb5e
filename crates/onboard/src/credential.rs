//! The forms of credential that reach JumpCloud's API on an organization's behalf.

use serde::{Deserialize, Serialize};

/// What an integration authenticates with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    /// An administrator's personal API key (`jca_...`, or an older 40-character key), sent as
    /// `x-api-key`.
    AdminApiKey,
    /// A service account's API key (`jcs_...`), sent as `x-api-key` like an administrator's.
    ServiceAccountApiKey,
    /// A service account's client ID and secret, exchanged for a short-lived token.
    ClientCredentials,
}

/// The prefix of a service account's API key.
pub const SERVICE_ACCOUNT_KEY_PREFIX: &str = "jcs_";

impl CredentialKind {
    pub const ALL: [CredentialKind; 3] = [
        CredentialKind::AdminApiKey,
        CredentialKind::ServiceAccountApiKey,
        CredentialKind::ClientCredentials,
    ];

    /// Which kind of API key a pasted key is, from its prefix alone.
    pub fn of_api_key(key: &str) -> CredentialKind {
        if key.trim().starts_with(SERVICE_ACCOUNT_KEY_PREFIX) {
            CredentialKind::ServiceAccountApiKey
        } else {
            CredentialKind::AdminApiKey
        }
    }

    /// The kind's name for a sentence: "an administrator's API key".
    pub fn noun(self) -> &'static str {
        match self {
            CredentialKind::AdminApiKey => "an administrator's API key",
            CredentialKind::ServiceAccountApiKey => "a service account's API key",
            CredentialKind::ClientCredentials => "a service account's client ID and secret",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_service_account_key_is_told_apart_by_its_prefix() {
        assert_eq!(
            CredentialKind::of_api_key(" jcs_BWx3abc"),
            CredentialKind::ServiceAccountApiKey
        );
        assert_eq!(
            CredentialKind::of_api_key(&format!("jca_{}", "a".repeat(36))),
            CredentialKind::AdminApiKey
        );
        assert_eq!(
            CredentialKind::of_api_key(&"b".repeat(40)),
            CredentialKind::AdminApiKey,
            "an older 40-character key is an administrator's"
        );
    }
}
