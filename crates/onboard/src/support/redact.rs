//! Redaction: the last line of defence before anything leaves the machine.
//!
//! Secrets (every JumpCloud credential shape, and the exact key in use) are always removed.
//! People's emails and names are replaced by a salted hash (`email:sha256:1a2b3c4d5e6f7a8b`,
//! `name:sha256:…`, 64 bits of SHA-256 over a random per-redactor salt and the text) unless the
//! user opts in to keep them: the same person hashes the same way everywhere one redactor
//! touches (one bundle), so support can still follow one person through it, while a hash cannot
//! be looked up in a table of known addresses made for another bundle. Names are found where text marks them as
//! names (`Jane Doe <jane@x>`, `firstname=Jane`, `"lastname": "Doe"`) and wherever a name the
//! caller knows about appears (people seen in preview or collection). Organization names are
//! not personal data and are kept.

use std::sync::LazyLock;

use regex::{Captures, Regex};
use serde_json::Value;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

const REDACTED_SECRET: &str = "[redacted]";
/// Hex digits of a hash shown: 64 bits.
const HASH_HEX_DIGITS: usize = 16;

#[allow(clippy::expect_used)] // Constant patterns, covered by the tests below.
fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("a constant pattern compiles")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?i)[a-z0-9._%+\-]+@[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)+",
    )
});

/// `Jane Doe <jane@example.com>` or `"Jane Doe" <jane@...>`: the display name of an address.
static NAMED_ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r#""?(\p{Lu}[\p{L}'\-]*(?:[ \t]+\p{Lu}[\p{L}'\-]*){0,3})"?[ \t]*<([^<>@\s]+@[^<>\s]+)>"#,
    )
});

/// A field that holds a person's name, as `key=value`, `key: value` or JSON `"key": "value"`.
static NAME_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r#"\b((?i:(?:first|last|display|full|given|family|middle|manager|user|person)[_\- ]?name|manager))("?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&"')\]}]+(?:[ \t]+\p{Lu}[\p{L}'\-]*)*)"#,
    )
});

/// The token for a piece of personal data: `kind:sha256:` and 16 hex digits (64 bits) of the
/// SHA-256 of `salt`, `kind` and the text's lower-cased, whitespace-collapsed form.
pub fn hash_token(salt: &str, kind: &str, text: &str) -> String {
    let normal = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    let mut hasher = Sha256::new();
    for part in [salt, kind, &normal] {
        hasher.update((part.len() as u64).to_be_bytes());
        hasher.update(part.as_bytes());
    }
    let digest = hasher.finalize();
    let hex: String = digest
        .iter()
        .take(HASH_HEX_DIGITS / 2)
        .map(|b| format!("{b:02x}"))
        .collect();
    format!("{kind}:sha256:{hex}")
}

/// A fresh random salt: 128 bits as hex.
fn new_salt() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}

fn is_token(text: &str) -> bool {
    let bare = text.trim_matches(|c| c == '"' || c == '\'');
    bare.starts_with("name:sha256:") || bare.starts_with("email:sha256:")
}

/// Replaces `user:pass@` in a URL-like value (proxy variables) with `***@`.
pub fn redact_credentials_in_url(value: &str) -> String {
    // `user:pass@proxy:3128` without a scheme would parse as a URL with scheme `user`.
    let parsed = if value.contains("://") {
        url::Url::parse(value).ok()
    } else {
        None
    };
    match parsed {
        Some(mut url) if !url.username().is_empty() || url.password().is_some() => {
            let _ = url.set_username("***");
            let _ = url.set_password(None);
            url.to_string()
        }
        Some(_) => value.to_owned(),
        // Not a URL: cut everything up to the last '@'.
        None => match value.rsplit_once('@') {
            Some((_, host)) => format!("***@{host}"),
            None => value.to_owned(),
        },
    }
}

/// What to remove from text before it leaves the machine.
#[derive(Clone)]
pub struct Redactor {
    keep_personal_data: bool,
    /// Copies of secrets are zeroed when the redactor goes.
    secrets: Vec<Zeroizing<String>>,
    people: Vec<String>,
    salt: String,
}

impl Default for Redactor {
    fn default() -> Self {
        Redactor {
            keep_personal_data: false,
            secrets: Vec::new(),
            people: Vec::new(),
            salt: new_salt(),
        }
    }
}

// Hand-written: the secrets it holds must not reach a log line through `{:?}`.
impl std::fmt::Debug for Redactor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Redactor")
            .field("keep_personal_data", &self.keep_personal_data)
            .field("secrets", &self.secrets.len())
            .field("people", &self.people.len())
            .finish()
    }
}

impl Redactor {
    /// Removes keys and hashes people's emails and names.
    pub fn new() -> Redactor {
        Redactor::default()
    }

    /// Keeps emails and names as they are (the user opted in). Keys are removed regardless.
    pub fn keep_personal_data(mut self, keep: bool) -> Redactor {
        self.keep_personal_data = keep;
        self
    }

    /// A secret to remove wherever it appears verbatim, e.g. the key in use (legacy 40-char
    /// keys have no `jca_` prefix to recognise them by). Trimmed; ignored when shorter than 8.
    pub fn secret(mut self, secret: &str) -> Redactor {
        let secret = secret.trim();
        if secret.chars().count() >= 8 && !self.secrets.iter().any(|s| s.as_str() == secret) {
            self.secrets.push(Zeroizing::new(secret.to_owned()));
            self.secrets.sort_by_key(|s| std::cmp::Reverse(s.len()));
        }
        self
    }

    /// Hashes with this salt instead of a fresh one (to read a bundle's hashes again, or to
    /// make two redactions agree).
    pub fn salt(mut self, salt: &str) -> Redactor {
        self.salt = salt.to_owned();
        self
    }

    /// The salt every hash of this redactor is made with (stored in the bundle it redacts).
    pub fn hash_salt(&self) -> &str {
        &self.salt
    }

    /// This redactor's token for a piece of personal data.
    pub fn hash(&self, kind: &str, text: &str) -> String {
        hash_token(&self.salt, kind, text)
    }

    /// Names of people known to be in the data (preview, collection), hashed wherever they
    /// appear, with or without any marker around them.
    pub fn people<I, S>(mut self, names: I) -> Redactor
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for name in names {
            let name = name
                .as_ref()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if name.chars().count() >= 3 && !self.people.contains(&name) {
                self.people.push(name);
            }
        }
        self.people.sort_by_key(|s| std::cmp::Reverse(s.len()));
        self
    }

    pub fn keeps_personal_data(&self) -> bool {
        self.keep_personal_data
    }

    /// One string, redacted. Idempotent: redacting twice changes nothing more.
    pub fn text(&self, text: &str) -> String {
        let mut out = text.to_owned();
        for secret in &self.secrets {
            if out.contains(secret.as_str()) {
                out = out.replace(secret.as_str(), REDACTED_SECRET);
            }
        }
        out = jc_api::sanitize::redact_credentials(&out).into_owned();
        if self.keep_personal_data {
            return out;
        }
        out = NAMED_ADDRESS
            .replace_all(&out, |c: &Captures<'_>| {
                format!(
                    "{} <{}>",
                    self.hash("name", &c[1]),
                    self.hash("email", &c[2])
                )
            })
            .into_owned();
        out = NAME_FIELD
            .replace_all(&out, |c: &Captures<'_>| {
                let value = &c[3];
                // `name:sha256:…` is a token this pass made, not a `name:` field.
                let our_token = c[1].to_ascii_lowercase().ends_with("name")
                    && c[2].starts_with(':')
                    && value.starts_with("sha256:");
                if our_token || is_token(value) || EMAIL.is_match(value) {
                    return c[0].to_owned();
                }
                let quote = value.chars().next().filter(|q| *q == '"' || *q == '\'');
                let bare = value.trim_matches(|ch| ch == '"' || ch == '\'');
                let token = self.hash("name", bare);
                match quote {
                    Some(q) => format!("{}{}{q}{token}{q}", &c[1], &c[2]),
                    None => format!("{}{}{token}", &c[1], &c[2]),
                }
            })
            .into_owned();
        for name in &self.people {
            if out.contains(name.as_str()) {
                out = out.replace(name.as_str(), &self.hash("name", name));
            }
        }
        EMAIL
            .replace_all(&out, |c: &Captures<'_>| self.hash("email", &c[0]))
            .into_owned()
    }

    /// Every string in a JSON document, redacted in place. Values of fields that hold a
    /// person's email or name are hashed whole, whatever they look like.
    pub fn value(&self, value: &mut Value) {
        match value {
            Value::String(text) => *text = self.text(text),
            Value::Array(items) => items.iter_mut().for_each(|v| self.value(v)),
            Value::Object(fields) => {
                for (key, field) in fields.iter_mut() {
                    match (personal_field(key), &*field) {
                        (Some(kind), Value::String(text))
                            if !self.keep_personal_data && !text.is_empty() && !is_token(text) =>
                        {
                            *field = Value::String(self.hash(kind, text));
                        }
                        _ => self.value(field),
                    }
                }
            }
            _ => {}
        }
    }
}

/// Fields that, wherever they appear, hold a person's email or name.
fn personal_field(key: &str) -> Option<&'static str> {
    match key.to_ascii_lowercase().as_str() {
        "email" | "alternateemail" | "manager_email" => Some("email"),
        "firstname" | "lastname" | "displayname" | "middlename" | "fullname" | "person"
        | "manager_name" => Some("name"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_always_removed() {
        let key = "jca_CANARYcanary0123456789CANARYcanary01";
        let legacy = "0123456789abcdef0123456789abcdef01234567";
        let odd = "not-a-key-shape-but-the-key";
        let r = Redactor::new().secret(odd).keep_personal_data(true);
        let out = r.text(&format!("x-api-key: {key} then {legacy} and {odd}"));
        assert!(!out.contains(key), "a jca_ key is removed: {out}");
        assert!(
            !out.contains(legacy),
            "a legacy 40-character key is removed without being named: {out}"
        );
        assert!(!out.contains(odd), "the named secret is removed: {out}");
        let service = "jcs_0123456789abcdefXYZ";
        let out = r.text(&format!(
            "service key {service}; Authorization: Bearer abc.def-ghi_jkl"
        ));
        assert!(
            !out.contains(service) && !out.contains("abc.def-ghi_jkl"),
            "service-account keys and bearer tokens are removed: {out}"
        );
    }

    #[test]
    fn emails_and_names_hash_stably() {
        let r = Redactor::new().people(["Priya Raman"]);
        let out = r.text("mail from Jane Doe <jane.doe@example.com>; firstname=Jane lastname=Doe; Priya Raman called; email=bob@x.io; manager Ann Lee <ann@x.io>");
        assert!(
            out.contains(&format!("email={}", r.hash("email", "bob@x.io"))),
            "the field name before an email is kept: {out}"
        );
        assert!(
            out.contains(&format!("manager {} <", r.hash("name", "Ann Lee"))),
            "a hashed name is not hashed again as a `name:` field: {out}"
        );
        for leaked in ["jane.doe@example.com", "Jane", "Doe", "Priya", "bob@x.io"] {
            assert!(!out.contains(leaked), "{leaked} must be hashed: {out}");
        }
        assert_eq!(
            r.hash("email", "Bob@X.io"),
            r.hash("email", "bob@x.io"),
            "case does not change the hash, so one person stays one token"
        );
        assert_eq!(r.text(&out), out, "redaction is idempotent");
    }

    #[test]
    fn hashes_are_salted_per_redactor_and_64_bits_long() {
        let (a, b) = (Redactor::new(), Redactor::new());
        let token = a.hash("email", "bob@x.io");
        let hex = token.strip_prefix("email:sha256:").expect("a hash token");
        assert_eq!(hex.len(), 16, "64 bits are shown: {token}");
        assert!(hex.chars().all(|c| c.is_ascii_hexdigit()), "{token}");
        assert_ne!(
            token,
            b.hash("email", "bob@x.io"),
            "another bundle's salt gives another hash, so tokens cannot be matched across bundles"
        );
        assert_eq!(
            Redactor::new()
                .salt(a.hash_salt())
                .hash("email", "bob@x.io"),
            token,
            "the stored salt reproduces the hash"
        );
        assert_ne!(
            a.hash("email", "bob@x.io"),
            a.hash("name", "bob@x.io"),
            "the kind is part of the hash"
        );
    }

    #[test]
    fn json_fields_and_org_names() {
        let r = Redactor::new();
        let mut v = serde_json::json!({"org": {"name": "Acme Corp"}, "email": "not-an-address", "lastname": "Doe",
            "route": "/api/applications?fields=_id id name displayName"});
        r.value(&mut v);
        assert_eq!(v["org"]["name"], "Acme Corp", "organization names are kept");
        assert_eq!(v["lastname"], r.hash("name", "Doe"));
        assert_eq!(v["email"], r.hash("email", "not-an-address"));
        assert_eq!(
            v["route"], "/api/applications?fields=_id id name displayName",
            "field lists in routes are not names"
        );
    }

    #[test]
    fn proxy_credentials() {
        assert_eq!(
            redact_credentials_in_url("http://me:s3cret@proxy.corp:3128"),
            "http://***@proxy.corp:3128/"
        );
        assert_eq!(
            redact_credentials_in_url("me:s3cret@proxy:3128"),
            "***@proxy:3128"
        );
        assert_eq!(
            redact_credentials_in_url("http://proxy:3128"),
            "http://proxy:3128"
        );
    }
}
