//! The platforms a verified JumpCloud connection is handed to. Each profile is data: the fields
//! the platform's own JumpCloud guide asks for, in its order and its words; where each value
//! comes from; which credentials it takes; what it collects; how it names a connection; what its
//! guide warns about. [`handover`] turns a profile and a connection into the list to paste, and
//! [`validate`] catches values the platform would reject or misread later.

mod apono;
mod authomize;
mod axiom;
mod controlmap;
pub mod handover;
mod other;
mod scytale;
pub mod validate;

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize};

use crate::category::Category;
use crate::credential::CredentialKind;

pub use handover::{
    key_to_copy, resolve, FieldValue, Handover, HandoverField, HandoverInput, KeyLocation,
    Occasion, Seen,
};
pub use validate::{Advice, Severity};

/// A platform the wizard knows, or "another platform" for a generic hand-over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub enum PlatformId {
    #[serde(rename = "axiom-security")]
    AxiomSecurity,
    #[serde(rename = "authomize")]
    Authomize,
    #[serde(rename = "controlmap")]
    ControlMap,
    #[serde(rename = "apono")]
    Apono,
    #[serde(rename = "scytale")]
    Scytale,
    #[serde(rename = "other")]
    Other,
}

impl PlatformId {
    pub const ALL: [PlatformId; 6] = [
        PlatformId::AxiomSecurity,
        PlatformId::Authomize,
        PlatformId::ControlMap,
        PlatformId::Apono,
        PlatformId::Scytale,
        PlatformId::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            PlatformId::AxiomSecurity => "axiom-security",
            PlatformId::Authomize => "authomize",
            PlatformId::ControlMap => "controlmap",
            PlatformId::Apono => "apono",
            PlatformId::Scytale => "scytale",
            PlatformId::Other => "other",
        }
    }

    /// Every id, comma-separated, for messages.
    pub fn ids() -> String {
        PlatformId::ALL.map(PlatformId::as_str).join(", ")
    }

    pub fn profile(self) -> &'static Profile {
        match self {
            PlatformId::AxiomSecurity => &axiom::PROFILE,
            PlatformId::Authomize => &authomize::PROFILE,
            PlatformId::ControlMap => &controlmap::PROFILE,
            PlatformId::Apono => &apono::PROFILE,
            PlatformId::Scytale => &scytale::PROFILE,
            PlatformId::Other => &other::PROFILE,
        }
    }
}

impl fmt::Display for PlatformId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "no platform is called {given:?}; choose one of: {}",
    PlatformId::ids()
)]
pub struct UnknownPlatform {
    pub given: String,
}

impl FromStr for PlatformId {
    type Err = UnknownPlatform;

    /// The id, or the platform's name, ignoring case, spaces and hyphens ("Axiom Security",
    /// "axiom", "ControlMap").
    fn from_str(given: &str) -> Result<Self, Self::Err> {
        let folded = |s: &str| -> String {
            s.chars()
                .filter(|c| c.is_alphanumeric())
                .flat_map(char::to_lowercase)
                .collect()
        };
        let wanted = folded(given);
        PlatformId::ALL
            .into_iter()
            .find(|id| {
                let name = folded(id.profile().name);
                wanted == folded(id.as_str())
                    || wanted == name
                    || (wanted.len() >= 4 && name.starts_with(&wanted))
            })
            .ok_or_else(|| UnknownPlatform {
                given: given.to_owned(),
            })
    }
}

/// For a saved connection's `platform`: a platform this version does not know (written by a
/// newer one) reads as none chosen, so the store file still loads.
pub fn known_or_none<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<PlatformId>, D::Error> {
    let text = Option::<String>::deserialize(deserializer)?;
    Ok(text.and_then(|t| t.parse().ok()))
}

/// Where a field's value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The tested key: never shown, copied from where it is kept only on request.
    ApiKey,
    /// The organization ID the test resolved.
    OrgId,
    /// The data center the test found the organization in.
    Region,
    /// The saved connection's name.
    ConnectionName,
    /// The custom attribute holding each user's manager; empty for JumpCloud's `manager`.
    ManagerAttribute,
    /// The username (sign-in email) of the read-only administrator whose key it is.
    AdminUsername,
    /// The email of the person who owns the integration, typed by the admin.
    OwnerEmail,
}

impl Source {
    /// Where the value comes from, in plain words.
    pub fn describe(self) -> &'static str {
        match self {
            Source::ApiKey => "the API key you tested",
            Source::OrgId => "the organization ID the test found",
            Source::Region => "the data center the test found your organization in",
            Source::ConnectionName => "this connection's name",
            Source::ManagerAttribute => {
                "the custom attribute that holds each user's manager (empty: JumpCloud's manager field)"
            }
            Source::AdminUsername => {
                "the email address the read-only administrator signs in to JumpCloud with"
            }
            Source::OwnerEmail => "the email address of the person at your company who owns this integration",
        }
    }
}

/// One field of a platform's JumpCloud form.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpec {
    /// The platform's own label, as its guide words it.
    pub label: &'static str,
    pub source: Source,
    pub required: bool,
    /// What the guide tells the admin about the field, when it tells them something.
    pub note: Option<&'static str>,
}

impl FieldSpec {
    pub const fn required(label: &'static str, source: Source) -> FieldSpec {
        FieldSpec {
            label,
            source,
            required: true,
            note: None,
        }
    }

    pub const fn optional(label: &'static str, source: Source) -> FieldSpec {
        FieldSpec {
            required: false,
            ..FieldSpec::required(label, source)
        }
    }

    pub const fn noting(self, note: &'static str) -> FieldSpec {
        FieldSpec {
            note: Some(note),
            ..self
        }
    }
}

/// A category the platform's guide says it does not collect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotCollected {
    pub category: Category,
    pub why: &'static str,
}

/// How a platform's own example names a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameStyle {
    /// Words joined by underscores, no spaces: `Production_Jumpcloud`.
    Underscores,
    /// Lower-case words joined by hyphens: `scytale-production-env`.
    LowerHyphens,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Naming {
    /// The guide's example name.
    pub example: &'static str,
    pub style: NameStyle,
    /// The platform's own default names ("Connection 1", "Connection 2", ...) fit too.
    pub default_prefix: Option<&'static str>,
}

impl Naming {
    /// The rule in plain words, with the guide's example.
    pub fn describe(&self, platform: &str) -> String {
        let rule = match self.style {
            NameStyle::Underscores => "words joined by underscores, no spaces",
            NameStyle::LowerHyphens => "lower-case words joined by hyphens",
        };
        match self.default_prefix {
            Some(prefix) => format!(
                "{platform}'s example is \"{}\" ({rule}); its own default names are {prefix} 1, 2, 3.",
                self.example
            ),
            None => format!("{platform}'s example is \"{}\" ({rule}).", self.example),
        }
    }

    /// `name` rewritten in the platform's style: "Acme Production" → "Acme_Production" or
    /// "acme-production".
    pub fn restyle(&self, name: &str) -> String {
        let words = name
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty());
        match self.style {
            NameStyle::Underscores => words.collect::<Vec<_>>().join("_"),
            NameStyle::LowerHyphens => words.map(str::to_lowercase).collect::<Vec<_>>().join("-"),
        }
    }

    /// Whether `name` follows the example (or is one of the platform's default names).
    pub fn fits(&self, name: &str) -> bool {
        let name = name.trim();
        let is_default = self.default_prefix.is_some_and(|prefix| {
            name.strip_prefix(prefix)
                .map(str::trim_start)
                .is_some_and(|n| !n.is_empty() && n.chars().all(|c| c.is_ascii_digit()))
        });
        is_default || (!name.is_empty() && self.restyle(name) == name)
    }
}

/// A platform's JumpCloud integration, from its own guide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Profile {
    pub id: PlatformId,
    pub name: &'static str,
    /// The platform's own guide: its title and where it is, as plain text (nothing is loaded).
    pub guide: &'static str,
    /// Where in the platform's web app the JumpCloud form is.
    pub where_to_paste: &'static str,
    /// The button that completes the form, when the guide names it.
    pub finish: Option<&'static str>,
    /// The form's fields, in the platform's order.
    pub fields: &'static [FieldSpec],
    /// The credentials the guide names. Empty: the platform is not known.
    pub documented_credentials: &'static [CredentialKind],
    pub not_collected: &'static [NotCollected],
    pub naming: Option<Naming>,
    /// What the guide warns about, in plain words.
    pub warnings: &'static [&'static str],
    /// What to do in the platform once a new key replaced the one it holds, when the guide says.
    pub after_new_key: Option<&'static str>,
}

/// How well a platform takes a kind of credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Fit {
    /// The platform's guide asks for it.
    Documented,
    /// Sent exactly like a documented one, but the platform's guide does not name it.
    ShouldWork,
    /// The platform has no field for it.
    NotAccepted,
    /// The platform is not one we know: its own guide decides.
    AskThePlatform,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CredentialAdvice {
    pub kind: CredentialKind,
    pub fit: Fit,
    /// Plain words, said before the admin creates the credential.
    pub message: String,
}

/// Whether the platform uses a category, for the preview's marks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CategoryUse {
    /// As in the preview's counts.
    pub category: Category,
    pub label: String,
    pub used: bool,
    /// Why not, when it is not used.
    pub why: Option<String>,
}

/// One field as the platform chooser lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct FieldSummary {
    pub label: String,
    pub source: Source,
    pub required: bool,
    /// Where the value comes from, in plain words.
    pub from: String,
    pub note: Option<String>,
}

/// What the wizard shows about a platform before anything is created: what it will ask for,
/// which credentials fit, what it uses.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PlatformSummary {
    pub id: PlatformId,
    pub name: String,
    pub guide: String,
    pub where_to_paste: String,
    pub fields: Vec<FieldSummary>,
    pub credentials: Vec<CredentialAdvice>,
    pub categories: Vec<CategoryUse>,
    /// The platform's naming convention in plain words, when its guide gives an example.
    pub naming: Option<String>,
    pub warnings: Vec<String>,
}

impl Profile {
    pub fn field(&self, source: Source) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.source == source)
    }

    /// Whether the platform takes `kind`, and what to tell the admin about it.
    pub fn credential_advice(&self, kind: CredentialKind) -> CredentialAdvice {
        let name = self.name;
        let known = !self.documented_credentials.is_empty();
        let (fit, message) = match kind {
            _ if self.documented_credentials.contains(&kind) => (
                Fit::Documented,
                format!("{name}'s guide asks for {}.", kind.noun()),
            ),
            CredentialKind::ServiceAccountApiKey if known => (
                Fit::ShouldWork,
                format!(
                    "A service account's API key (it starts with jcs_) reaches JumpCloud exactly like an \
                     administrator's key, so it should work in {name}, but {name}'s guide does not name it: \
                     not confirmed by the platform."
                ),
            ),
            CredentialKind::ClientCredentials if known => (
                Fit::NotAccepted,
                format!(
                    "{name} asks for an API key and has no field for a client ID and secret, so a service \
                     account with a client secret cannot be used here. Use a read-only administrator's API key, \
                     or give the service account an API key instead."
                ),
            ),
            CredentialKind::AdminApiKey => (
                Fit::AskThePlatform,
                "Most platforms' JumpCloud guides ask for a read-only administrator's API key. Check the \
                 platform's own guide."
                    .to_owned(),
            ),
            CredentialKind::ServiceAccountApiKey => (
                Fit::AskThePlatform,
                "A service account's API key (it starts with jcs_) is sent exactly like an \
                 administrator's, so it should work wherever an API key is asked for. Check the \
                 platform's own guide."
                    .to_owned(),
            ),
            CredentialKind::ClientCredentials => (
                Fit::AskThePlatform,
                "Only if the platform asks for a client ID and secret. Check its guide before you make a \
                 service account with a client secret."
                    .to_owned(),
            ),
        };
        CredentialAdvice { kind, fit, message }
    }

    /// Every category, marked with whether this platform uses it.
    pub fn categories(&self) -> Vec<CategoryUse> {
        Category::ALL
            .iter()
            .map(|category| {
                let skipped = self.not_collected.iter().find(|n| n.category == *category);
                CategoryUse {
                    category: *category,
                    label: category.title(),
                    used: skipped.is_none(),
                    why: skipped.map(|n| n.why.to_owned()),
                }
            })
            .collect()
    }

    /// What the platform wants once a new key has revoked the one it holds.
    pub fn after_new_key(&self) -> String {
        self.after_new_key.map(str::to_owned).unwrap_or_else(|| {
            format!(
                "Generating a new key revoked the old one: paste the new key into {}'s JumpCloud connection, \
                 or it keeps the revoked one.",
                self.name
            )
        })
    }

    pub fn summary(&self) -> PlatformSummary {
        PlatformSummary {
            id: self.id,
            name: self.name.to_owned(),
            guide: self.guide.to_owned(),
            where_to_paste: self.where_to_paste.to_owned(),
            fields: self
                .fields
                .iter()
                .map(|f| FieldSummary {
                    label: f.label.to_owned(),
                    source: f.source,
                    required: f.required,
                    from: f.source.describe().to_owned(),
                    note: f.note.map(str::to_owned),
                })
                .collect(),
            credentials: CredentialKind::ALL
                .iter()
                .map(|k| self.credential_advice(*k))
                .collect(),
            categories: self.categories(),
            naming: self.naming.map(|n| n.describe(self.name)),
            warnings: self.warnings.iter().map(|w| (*w).to_owned()).collect(),
        }
    }
}

/// Every platform, for the chooser ("Which platform are you connecting to?").
pub fn summaries() -> Vec<PlatformSummary> {
    PlatformId::ALL
        .iter()
        .map(|id| id.profile().summary())
        .collect()
}

/// A name for a new connection that follows the platform's convention: "Acme_Corp_Jumpcloud"
/// for Axiom-style names, otherwise the next free "Connection N".
pub fn suggested_name(
    profile: &Profile,
    org_name: Option<&str>,
    existing: &[crate::connections::SavedConnection],
) -> String {
    let fallback = || crate::connections::default_name(existing);
    let taken = |name: &str| existing.iter().any(|c| c.name.eq_ignore_ascii_case(name));
    match (profile.naming, org_name) {
        (Some(naming), Some(org)) if naming.default_prefix.is_none() => {
            let name = naming.restyle(&format!("{org} Jumpcloud"));
            if name.is_empty() || taken(&name) {
                fallback()
            } else {
                name
            }
        }
        _ => fallback(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn platforms_parse_by_id_or_name() {
        for id in PlatformId::ALL {
            assert_eq!(id.as_str().parse::<PlatformId>().ok(), Some(id), "{id}");
            assert_eq!(
                id.profile().name.parse::<PlatformId>().ok(),
                Some(id),
                "{id}"
            );
            assert_eq!(id.profile().id, id, "{id}'s profile is its own");
        }
        assert_eq!(
            "Axiom".parse::<PlatformId>().ok(),
            Some(PlatformId::AxiomSecurity)
        );
        assert_eq!(
            "Control Map".parse::<PlatformId>().ok(),
            Some(PlatformId::ControlMap)
        );
        let error = "okta"
            .parse::<PlatformId>()
            .expect_err("not a known platform");
        assert!(
            error.to_string().contains("axiom-security, authomize"),
            "{error}"
        );
    }

    #[test]
    fn serde_names_are_the_ids() {
        for id in PlatformId::ALL {
            assert_eq!(
                serde_json::to_value(id).ok(),
                Some(serde_json::Value::from(id.as_str()))
            );
        }
    }

    #[test]
    fn names_are_restyled_and_checked_against_the_example() {
        let axiom = PlatformId::AxiomSecurity
            .profile()
            .naming
            .expect("Axiom has an example");
        assert!(axiom.fits("Production_Jumpcloud"));
        assert!(!axiom.fits("Production Jumpcloud"));
        assert_eq!(axiom.restyle("Acme Corp  Jumpcloud"), "Acme_Corp_Jumpcloud");
        let scytale = PlatformId::Scytale
            .profile()
            .naming
            .expect("Scytale has an example");
        assert!(scytale.fits("scytale-production-env"));
        assert!(
            scytale.fits("Connection 2"),
            "Scytale's own default names fit"
        );
        assert!(!scytale.fits("Connection two"));
        assert!(!scytale.fits("Production Env"));
        assert_eq!(
            scytale.restyle("Acme Production_Env"),
            "acme-production-env"
        );
    }

    #[test]
    fn suggested_names_follow_the_platform() {
        let axiom = PlatformId::AxiomSecurity.profile();
        assert_eq!(
            suggested_name(axiom, Some("Acme Corp"), &[]),
            "Acme_Corp_Jumpcloud"
        );
        assert_eq!(suggested_name(axiom, None, &[]), "Connection 1");
        let scytale = PlatformId::Scytale.profile();
        assert_eq!(
            suggested_name(scytale, Some("Acme Corp"), &[]),
            "Connection 1"
        );
    }
}
