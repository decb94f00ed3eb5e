//! The API key and organization id: parsed once, at the edge, into types that cannot leak.

use std::fmt;
use zeroize::Zeroizing;

/// Longest text we look at before calling it "not a key": keeps a 10 kB paste out of messages.
const MAX_INSPECTED_LEN: usize = 256;
/// Current admin keys: `jca_` + 36 characters. Legacy admin keys: 40 characters, no prefix.
pub const KEY_LEN: usize = 40;
pub const KEY_PREFIX: &str = "jca_";
/// Service-account keys: `jcs_` and a length JumpCloud does not document.
pub const SERVICE_ACCOUNT_KEY_PREFIX: &str = "jcs_";
/// The fewest characters after `jcs_`: JumpCloud itself shows the first 8 of a key
/// (`jcs_BWx3`), so anything that short is a label, not a key.
pub const SERVICE_ACCOUNT_KEY_MIN_TAIL: usize = 12;

/// Which kind of API key a well-formed key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
    /// An administrator's key, `jca_` + 36.
    Admin,
    /// An administrator's key from before the prefix: 40 letters and digits.
    AdminLegacy,
    /// A service account's key, `jcs_...`.
    ServiceAccount,
}

/// A JumpCloud API key. `Debug` and `Display` print `<redacted>`, it has no `Serialize`,
/// and its memory is zeroed on drop. The only way to read it is [`ApiKey::expose`].
#[derive(Clone)]
pub struct ApiKey(Zeroizing<String>);

/// What is wrong with a pasted key, in terms a message can explain without quoting the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyShapeError {
    #[error("no API key was given")]
    Empty,
    #[error("the API key has spaces or line breaks inside it")]
    InnerWhitespace,
    #[error("the API key has characters that never appear in JumpCloud keys")]
    BadCharacters,
    #[error("the API key is {len} characters long; JumpCloud keys are {KEY_LEN}")]
    WrongLength { len: usize, has_prefix: bool },
    #[error("the service-account key is only {len} characters long, too short to be whole")]
    ServiceAccountKeyTooShort { len: usize },
    #[error("the pasted text is far too long to be an API key ({len} characters)")]
    TooLong { len: usize },
}

impl ApiKey {
    /// Trims surrounding whitespace (pastes often carry a newline) and checks the shape.
    pub fn parse(raw: &str) -> Result<ApiKey, KeyShapeError> {
        let trimmed = raw.trim();
        let len = trimmed.chars().count();
        if len == 0 {
            return Err(KeyShapeError::Empty);
        }
        if len > MAX_INSPECTED_LEN {
            return Err(KeyShapeError::TooLong { len });
        }
        if trimmed.chars().any(char::is_whitespace) {
            return Err(KeyShapeError::InnerWhitespace);
        }
        if !trimmed
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
        {
            return Err(KeyShapeError::BadCharacters);
        }
        if trimmed.starts_with(SERVICE_ACCOUNT_KEY_PREFIX) {
            if len < SERVICE_ACCOUNT_KEY_PREFIX.len() + SERVICE_ACCOUNT_KEY_MIN_TAIL {
                return Err(KeyShapeError::ServiceAccountKeyTooShort { len });
            }
            return Ok(ApiKey(Zeroizing::new(trimmed.to_owned())));
        }
        if len != KEY_LEN {
            return Err(KeyShapeError::WrongLength {
                len,
                has_prefix: trimmed.starts_with(KEY_PREFIX),
            });
        }
        Ok(ApiKey(Zeroizing::new(trimmed.to_owned())))
    }

    /// Legacy admin keys predate the `jca_` prefix; they still work, but are worth a note.
    pub fn is_legacy(&self) -> bool {
        self.form() == KeyForm::AdminLegacy
    }

    pub fn form(&self) -> KeyForm {
        if self.0.starts_with(SERVICE_ACCOUNT_KEY_PREFIX) {
            KeyForm::ServiceAccount
        } else if self.0.starts_with(KEY_PREFIX) {
            KeyForm::Admin
        } else {
            KeyForm::AdminLegacy
        }
    }

    /// The last four characters, the only part of a key we ever show.
    pub fn last_four(&self) -> String {
        let n = self.0.len();
        format!("…{}", &self.0[n.saturating_sub(4)..])
    }

    /// The key itself, for the `x-api-key` header and the keychain. Nowhere else.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for ApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// A JumpCloud object id (24 hex characters), here an organization's.
#[derive(Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct OrgId(String);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OrgIdError {
    #[error("the organization ID is {len} characters long; it should be 24")]
    WrongLength { len: usize },
    #[error("the organization ID may only contain the digits 0-9 and letters a-f")]
    NotHex,
}

impl OrgId {
    pub fn parse(raw: &str) -> Result<OrgId, OrgIdError> {
        let trimmed = raw.trim();
        let len = trimmed.chars().count();
        if len != 24 {
            return Err(OrgIdError::WrongLength { len });
        }
        if !trimmed.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(OrgIdError::NotHex);
        }
        Ok(OrgId(trimmed.to_ascii_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for OrgId {
    type Error = OrgIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        OrgId::parse(&value)
    }
}

impl From<OrgId> for String {
    fn from(value: OrgId) -> Self {
        value.0
    }
}

impl fmt::Debug for OrgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "OrgId({})", self.0)
    }
}

impl fmt::Display for OrgId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "jca_CANARYcanaryCANARYcanaryCANARYcanary";

    #[test]
    fn key_never_prints_itself() {
        let key = ApiKey::parse(CANARY).expect("a 40-character jca_ key is well formed");
        assert_eq!(format!("{key:?}"), "<redacted>");
        assert_eq!(format!("{key}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(key.clone())), "Some(<redacted>)");
        assert_eq!(key.last_four(), "…nary");
    }

    #[test]
    fn key_is_trimmed_of_paste_whitespace() {
        let key =
            ApiKey::parse(&format!("  \n{CANARY}\r\n\t")).expect("whitespace around is trimmed");
        assert_eq!(key.expose(), CANARY);
        assert!(!key.is_legacy());
    }

    #[test]
    fn legacy_forty_character_keys_are_accepted() {
        let key = ApiKey::parse(&"a1".repeat(20)).expect("legacy keys have no prefix");
        assert!(key.is_legacy());
    }

    #[test]
    fn bad_keys_are_named_precisely() {
        assert_eq!(ApiKey::parse("").err(), Some(KeyShapeError::Empty));
        assert_eq!(ApiKey::parse(" \n\t ").err(), Some(KeyShapeError::Empty));
        assert_eq!(
            ApiKey::parse("jca_abc def0123456789012345678901234567").err(),
            Some(KeyShapeError::InnerWhitespace)
        );
        assert_eq!(
            ApiKey::parse("jca_ä123456789012345678901234567890123").err(),
            Some(KeyShapeError::BadCharacters),
            "non-ASCII text is never part of a key"
        );
        assert_eq!(
            ApiKey::parse("jca_short").err(),
            Some(KeyShapeError::WrongLength {
                len: 9,
                has_prefix: true
            })
        );
        assert_eq!(
            ApiKey::parse(&"x".repeat(10_000)).err(),
            Some(KeyShapeError::TooLong { len: 10_000 })
        );
    }

    #[test]
    fn service_account_keys_of_any_sane_length_are_accepted() {
        for tail in [12, 36, 60, 120] {
            let raw = format!("jcs_{}", "Q".repeat(tail));
            let key = ApiKey::parse(&raw).expect("a jcs_ key's length is not documented");
            assert_eq!(
                key.form(),
                KeyForm::ServiceAccount,
                "{tail} characters after jcs_"
            );
            assert!(!key.is_legacy(), "a jcs_ key is never called older-style");
        }
        assert_eq!(
            ApiKey::parse("jcs_BWx3").err(),
            Some(KeyShapeError::ServiceAccountKeyTooShort { len: 8 }),
            "the 8-character prefix JumpCloud shows is not a whole key"
        );
        assert_eq!(
            ApiKey::parse(&format!("jcs_{}", "Q".repeat(300))).err(),
            Some(KeyShapeError::TooLong { len: 304 })
        );
        assert_eq!(
            ApiKey::parse(&format!("jca_{}", "a".repeat(36)))
                .expect("admin key")
                .form(),
            KeyForm::Admin
        );
    }

    #[test]
    fn org_id_shape() {
        let id = OrgId::parse(" 5D2F7024F0E1526BE4DF38E7 ").expect("24 hex, any case");
        assert_eq!(id.as_str(), "5d2f7024f0e1526be4df38e7");
        assert_eq!(
            OrgId::parse("5d2f").err(),
            Some(OrgIdError::WrongLength { len: 4 })
        );
        assert_eq!(
            OrgId::parse("zz2f7024f0e1526be4df38e7").err(),
            Some(OrgIdError::NotHex)
        );
    }
}
