//! The credential a client authenticates with, in its three forms: an administrator's API key, a
//! service account's API key (both sent as `x-api-key`), or a service account's client ID and
//! secret (exchanged for a bearer token). Secret parts are types that cannot leak: `Debug` and
//! `Display` print `<redacted>`, there is no `Serialize`, and their memory is zeroed on drop.

use std::fmt;
use zeroize::Zeroizing;

use crate::secret::{ApiKey, KeyForm};

/// Longest client ID or secret we accept: keeps a 10 kB paste out of memory and messages.
const MAX_PART_LEN: usize = 256;
/// Longest bearer token we accept from a token host.
pub const MAX_TOKEN_LEN: usize = 8192;

/// Which of the three forms a credential is, for messages and reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum AuthKind {
    AdminApiKey,
    ServiceAccountKey,
    ClientCredentials,
}

impl AuthKind {
    /// The value `check --json` reports.
    pub fn as_str(self) -> &'static str {
        match self {
            AuthKind::AdminApiKey => "admin_api_key",
            AuthKind::ServiceAccountKey => "service_account_key",
            AuthKind::ClientCredentials => "client_credentials",
        }
    }

    /// What it is called on screen.
    pub fn label(self) -> &'static str {
        match self {
            AuthKind::AdminApiKey => "an administrator's API key",
            AuthKind::ServiceAccountKey => "a service account's API key",
            AuthKind::ClientCredentials => "a service account's client ID and secret",
        }
    }

    pub fn is_service_account(self) -> bool {
        self != AuthKind::AdminApiKey
    }
}

/// What is wrong with a client ID or secret, without quoting it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PartShapeError {
    #[error("it is empty")]
    Empty,
    #[error("it has spaces or line breaks inside it")]
    InnerWhitespace,
    #[error("it has characters that never appear in it")]
    BadCharacters,
    #[error("the pasted text is far too long ({len} characters)")]
    TooLong { len: usize },
}

/// Trims surrounding whitespace and checks a client ID's or secret's shape.
fn part(raw: &str, allowed: impl Fn(char) -> bool) -> Result<&str, PartShapeError> {
    let trimmed = raw.trim();
    let len = trimmed.chars().count();
    if len == 0 {
        return Err(PartShapeError::Empty);
    }
    if len > MAX_PART_LEN {
        return Err(PartShapeError::TooLong { len });
    }
    if trimmed.chars().any(char::is_whitespace) {
        return Err(PartShapeError::InnerWhitespace);
    }
    if !trimmed.chars().all(allowed) {
        return Err(PartShapeError::BadCharacters);
    }
    Ok(trimmed)
}

/// A service account's client ID. Not a secret (it may be shown and stored), but checked.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ClientId(String);

impl ClientId {
    pub fn parse(raw: &str) -> Result<ClientId, PartShapeError> {
        part(raw, |c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
        })
        .map(|id| ClientId(id.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ClientId({})", self.0)
    }
}

impl fmt::Display for ClientId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

macro_rules! secret_type {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(Zeroizing<String>);

        impl $name {
            /// The secret itself, for the one header or body it belongs in and the keychain.
            pub fn expose(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("<redacted>")
            }
        }
    };
}

secret_type!(
    /// A service account's client secret.
    ClientSecret
);
secret_type!(
    /// A bearer token issued by a token host. Lives in memory only, for its short life.
    BearerToken
);

impl ClientSecret {
    pub fn parse(raw: &str) -> Result<ClientSecret, PartShapeError> {
        part(raw, |c| c.is_ascii_graphic()).map(|s| ClientSecret(Zeroizing::new(s.to_owned())))
    }
}

impl BearerToken {
    /// A token as a token host sent it: printable ASCII, no spaces, bounded.
    pub(crate) fn from_answer(raw: &str) -> Option<BearerToken> {
        let ok = !raw.is_empty()
            && raw.len() <= MAX_TOKEN_LEN
            && raw.chars().all(|c| c.is_ascii_graphic());
        ok.then(|| BearerToken(Zeroizing::new(raw.to_owned())))
    }
}

/// A service account's client ID and secret.
#[derive(Clone)]
pub struct ClientCredentials {
    pub id: ClientId,
    pub secret: ClientSecret,
}

impl fmt::Debug for ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientCredentials")
            .field("id", &self.id)
            .field("secret", &self.secret)
            .finish()
    }
}

/// What a client authenticates with.
#[derive(Clone, Debug)]
pub enum Credential {
    /// An administrator's or a service account's API key, sent as `x-api-key`.
    ApiKey(ApiKey),
    /// A service account's client ID and secret, exchanged for a bearer token.
    ClientCredentials(ClientCredentials),
}

impl Credential {
    pub fn kind(&self) -> AuthKind {
        match self {
            Credential::ApiKey(key) if key.form() == KeyForm::ServiceAccount => {
                AuthKind::ServiceAccountKey
            }
            Credential::ApiKey(_) => AuthKind::AdminApiKey,
            Credential::ClientCredentials(_) => AuthKind::ClientCredentials,
        }
    }

    /// The long-lived secret, for scrubbing it out of anything a server sends back.
    pub fn secret_text(&self) -> &str {
        match self {
            Credential::ApiKey(key) => key.expose(),
            Credential::ClientCredentials(c) => c.secret.expose(),
        }
    }

    pub fn api_key(&self) -> Option<&ApiKey> {
        match self {
            Credential::ApiKey(key) => Some(key),
            Credential::ClientCredentials(_) => None,
        }
    }

    pub fn client_id(&self) -> Option<&ClientId> {
        match self {
            Credential::ApiKey(_) => None,
            Credential::ClientCredentials(c) => Some(&c.id),
        }
    }

    /// The only part ever shown: a key's last four characters, or the client ID.
    pub fn shown(&self) -> String {
        match self {
            Credential::ApiKey(key) => key.last_four(),
            Credential::ClientCredentials(c) => c.id.to_string(),
        }
    }
}

impl From<ApiKey> for Credential {
    fn from(key: ApiKey) -> Self {
        Credential::ApiKey(key)
    }
}

impl From<ClientCredentials> for Credential {
    fn from(credentials: ClientCredentials) -> Self {
        Credential::ClientCredentials(credentials)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY_SECRET: &str = "CANARYsecret-9f8e7d6c5b4a";

    #[test]
    fn secrets_never_print_themselves() {
        let secret = ClientSecret::parse(CANARY_SECRET).expect("a secret's shape");
        let credentials = ClientCredentials {
            id: ClientId::parse("3f1c2a5e-client").expect("an id"),
            secret,
        };
        let printed = format!("{credentials:?} {}", credentials.secret);
        assert!(!printed.contains("CANARY"), "printed: {printed}");
        assert!(
            printed.contains("3f1c2a5e-client"),
            "the client ID is not secret"
        );
        let token = BearerToken::from_answer("CANARYtoken.abc").expect("a token");
        assert_eq!(format!("{token:?} {token}"), "<redacted> <redacted>");
    }

    #[test]
    fn bad_parts_are_named_without_quoting_them() {
        assert_eq!(ClientId::parse("  ").err(), Some(PartShapeError::Empty));
        assert_eq!(
            ClientSecret::parse("abc\ndef").err(),
            Some(PartShapeError::InnerWhitespace)
        );
        assert_eq!(
            ClientSecret::parse("abc def").err(),
            Some(PartShapeError::InnerWhitespace)
        );
        assert_eq!(
            ClientSecret::parse(&"s".repeat(10_240)).err(),
            Some(PartShapeError::TooLong { len: 10_240 })
        );
        assert_eq!(
            ClientId::parse("id/with/slashes").err(),
            Some(PartShapeError::BadCharacters)
        );
        assert_eq!(
            ClientSecret::parse(" s3cr3t!#$ \n").map(|s| s.expose().to_owned()),
            Ok("s3cr3t!#$".to_owned()),
            "surrounding paste whitespace is trimmed; symbols are allowed"
        );
        assert!(BearerToken::from_answer("").is_none());
        assert!(BearerToken::from_answer("has space").is_none());
        assert!(BearerToken::from_answer(&"t".repeat(MAX_TOKEN_LEN + 1)).is_none());
    }

    #[test]
    fn credential_kinds() {
        let admin =
            Credential::from(ApiKey::parse(&format!("jca_{}", "a".repeat(36))).expect("key"));
        let service =
            Credential::from(ApiKey::parse(&format!("jcs_{}", "b".repeat(50))).expect("key"));
        assert_eq!(admin.kind(), AuthKind::AdminApiKey);
        assert_eq!(service.kind(), AuthKind::ServiceAccountKey);
        assert_eq!(AuthKind::ClientCredentials.as_str(), "client_credentials");
    }
}
