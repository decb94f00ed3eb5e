//! The hand-over: a platform's fields in its order, each with the value to paste. The key is
//! never in it: its field says where the key is, and [`key_to_copy`] reads it from the keychain
//! only when the admin asks to copy it.

use std::fmt::Write as _;

use jc_api::Region;
use serde::Serialize;

use super::validate::{self, Advice};
use super::{CategoryUse, PlatformId, Profile, Source};
use crate::collect::ManagerSource;
use crate::connections::{Book, BookError, SavedConnection};
use crate::credential::CredentialKind;
use crate::preview::{PreviewData, UserSample};
use crate::report::{OrgRef, Report};

/// Where the key to paste is kept. Its words end up on screen and in the ticket note.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum KeyLocation {
    /// The saved connection's key, in this computer's keychain.
    #[default]
    Keychain,
    /// Held in memory for this session only (no keychain was available).
    ThisSession,
    /// The environment variable the command line read it from.
    Environment(String),
    /// Piped to the command line on standard input.
    StandardInput,
}

impl KeyLocation {
    pub fn describe(&self) -> String {
        match self {
            KeyLocation::Keychain => {
                "the key saved in this computer's keychain: use its Copy button".to_owned()
            }
            KeyLocation::ThisSession => {
                "the key kept for this session only: use its Copy button".to_owned()
            }
            KeyLocation::Environment(variable) => format!("the key you tested ({variable})"),
            KeyLocation::StandardInput => {
                "the key you tested (the one piped to standard input)".to_owned()
            }
        }
    }
}

/// Why the hand-over is shown.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Occasion {
    /// A connection was just verified and saved.
    #[default]
    NewConnection,
    /// The connection's key was replaced: the platform still holds the revoked one.
    NewKey,
}

/// What is known about the connection being handed over, and what the admin typed for it.
#[derive(Debug, Clone, Default)]
pub struct HandoverInput {
    pub connection_name: Option<String>,
    pub org: Option<OrgRef>,
    pub region: Option<Region>,
    /// The key's administrator's role, as the test found it.
    pub role: Option<String>,
    /// `None`: JumpCloud's `manager` field.
    pub manager_attribute: Option<String>,
    pub key: KeyLocation,
    pub key_last_four: Option<String>,
    /// `None`: an administrator's key.
    pub key_kind: Option<CredentialKind>,
    /// Typed by the admin; otherwise inferred from the administrators seen, when only one fits.
    pub admin_username: Option<String>,
    pub owner_email: Option<String>,
    pub occasion: Occasion,
}

impl HandoverInput {
    /// What a passing test found: organization, region and role.
    pub fn from_report(report: &Report) -> HandoverInput {
        HandoverInput {
            org: report.org.clone(),
            region: report.region,
            role: report.role.clone(),
            ..HandoverInput::default()
        }
    }

    /// What a saved connection remembers; its key stays in the keychain.
    pub fn from_saved(connection: &SavedConnection) -> HandoverInput {
        HandoverInput {
            connection_name: Some(connection.name.clone()),
            org: connection.org.clone(),
            region: connection.region,
            manager_attribute: connection.manager_attribute.clone(),
            key: if connection.session_only {
                KeyLocation::ThisSession
            } else {
                KeyLocation::Keychain
            },
            key_last_four: connection.key_last_four.clone(),
            admin_username: connection.admin_username.clone(),
            owner_email: connection.owner_email.clone(),
            key_kind: connection
                .client_id
                .as_ref()
                .map(|_| CredentialKind::ClientCredentials),
            ..HandoverInput::default()
        }
    }
}

/// What the preview read from the organization, for values and checks that need its data.
#[derive(Debug, Clone, Copy, Default)]
pub struct Seen<'a> {
    /// The administrators (with their roles) and the category counts.
    pub preview: Option<&'a PreviewData>,
    /// Users with their custom attributes, for a custom manager field.
    pub users: Option<&'a UserSample>,
}

/// A field's value as the hand-over shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldValue {
    /// Plain text to copy.
    Text { text: String },
    /// The key: never here. Says where to copy it from.
    Secret {
        copy_from: String,
        last_four: Option<String>,
    },
    /// An optional field best left empty, and why.
    Empty { why: String },
    /// A value the platform needs that is not known yet, and how to give it.
    Missing { fix: String },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HandoverField {
    /// The platform's own label.
    pub label: String,
    pub source: Source,
    pub required: bool,
    pub value: FieldValue,
    /// What the platform's guide says about the field.
    pub note: Option<String>,
    /// How the value was found, when that is worth checking (an inferred username, the region's
    /// host).
    pub found: Option<String>,
}

/// Everything to paste into one platform, in its order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Handover {
    pub platform: PlatformId,
    pub platform_name: String,
    pub connection_name: Option<String>,
    pub where_to_paste: String,
    /// The button that completes the platform's form, when its guide names it.
    pub finish: Option<String>,
    pub guide: String,
    pub fields: Vec<HandoverField>,
    /// What the platform's guide warns about, and what this occasion asks for.
    pub notes: Vec<String>,
    /// Values to fix or look at before pasting.
    pub advice: Vec<Advice>,
    pub categories: Vec<CategoryUse>,
}

/// The profile's fields filled from the connection, checked against what the preview saw.
pub fn resolve(profile: &Profile, input: &HandoverInput, seen: Seen<'_>) -> Handover {
    let mut advice = Vec::new();
    let fields = profile
        .fields
        .iter()
        .map(|spec| {
            let (value, found) = value_of(profile, spec.source, input, seen);
            let value = match value {
                FieldValue::Missing { .. } | FieldValue::Empty { .. } if !spec.required => {
                    FieldValue::Empty {
                        why: optional_empty(spec.source),
                    }
                }
                other => other,
            };
            if let FieldValue::Text { text } = &value {
                advice.extend(check(profile, spec.label, spec.source, text));
            }
            if let (Source::ManagerAttribute, Some(users)) = (spec.source, seen.users) {
                advice.extend(validate::manager_field(
                    spec.label,
                    input.manager_attribute.as_deref(),
                    users,
                ));
            }
            HandoverField {
                label: spec.label.to_owned(),
                source: spec.source,
                required: spec.required,
                value,
                note: spec.note.map(str::to_owned),
                found,
            }
        })
        .collect();
    Handover {
        platform: profile.id,
        platform_name: profile.name.to_owned(),
        connection_name: input.connection_name.clone(),
        where_to_paste: profile.where_to_paste.to_owned(),
        finish: profile.finish.map(str::to_owned),
        guide: profile.guide.to_owned(),
        fields,
        notes: notes(profile, input),
        advice,
        categories: profile.categories(),
    }
}

/// The value for one source, and a note when it was inferred rather than given.
fn value_of(
    profile: &Profile,
    source: Source,
    input: &HandoverInput,
    seen: Seen<'_>,
) -> (FieldValue, Option<String>) {
    let text = |t: &str| FieldValue::Text { text: t.to_owned() };
    let given = |t: &Option<String>| {
        t.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
    };
    let value = match source {
        Source::ApiKey => FieldValue::Secret {
            copy_from: input.key.describe(),
            last_four: input.key_last_four.clone(),
        },
        Source::OrgId => match &input.org {
            Some(org) => text(&org.id),
            None => FieldValue::Missing {
                fix: "Test the connection: the organization ID is found from the key.".to_owned(),
            },
        },
        Source::Region => match input.region {
            Some(region) => {
                return (
                    text(region.label()),
                    Some(format!(
                        "JumpCloud's {} data center, at {}.",
                        region.label(),
                        crate::explain::console_url(Some(region))
                    )),
                )
            }
            None => FieldValue::Missing {
                fix: "Test the connection: the data center is found from the key.".to_owned(),
            },
        },
        Source::ConnectionName => match given(&input.connection_name) {
            Some(name) => text(&name),
            None => FieldValue::Missing {
                fix: "Give the connection a name.".to_owned(),
            },
        },
        Source::ManagerAttribute => match given(&input.manager_attribute) {
            Some(name) if ManagerSource::from_name(Some(&name)) != ManagerSource::Field => {
                text(&name)
            }
            _ => FieldValue::Empty {
                why: optional_empty(source),
            },
        },
        Source::AdminUsername => match given(&input.admin_username) {
            Some(name) => text(&name),
            None => match only_admin_with_role(input.role.as_deref(), seen.preview) {
                Some((email, role)) => {
                    let found = format!(
                        "The only administrator with the {role} role in this organization: check \
                         it is the one whose key you tested."
                    );
                    return (text(&email), Some(found));
                }
                None => FieldValue::Missing {
                    fix: format!("Type {}.", source.describe()),
                },
            },
        },
        Source::OwnerEmail => match given(&input.owner_email) {
            Some(email) => text(&email),
            None => FieldValue::Missing {
                fix: format!("Type {} ({} asks for it).", source.describe(), profile.name),
            },
        },
    };
    (value, None)
}

fn optional_empty(source: Source) -> String {
    match source {
        Source::ManagerAttribute => {
            "Leave it empty: JumpCloud's own manager attribute is used.".to_owned()
        }
        _ => "Optional: leave it empty if you have nothing to put here.".to_owned(),
    }
}

/// The sign-in email of the one administrator holding the key's role, when the preview saw
/// every administrator and exactly one holds it.
fn only_admin_with_role<'r>(
    role: Option<&'r str>,
    preview: Option<&PreviewData>,
) -> Option<(String, &'r str)> {
    let (role, preview) = (role?, preview?);
    let seen_all = preview
        .categories
        .iter()
        .find(|c| c.category == crate::Category::Admins)
        .and_then(|c| c.total)
        .is_some_and(|total| total == preview.admins.len() as u64);
    let mut holding = preview.admins.iter().filter(|a| {
        a.role
            .as_deref()
            .is_some_and(|r| r.eq_ignore_ascii_case(role))
    });
    match (seen_all, holding.next(), holding.next()) {
        (true, Some(admin), None) => admin.email.clone().map(|email| (email, role)),
        _ => None,
    }
}

fn check(profile: &Profile, label: &str, source: Source, text: &str) -> Option<Advice> {
    match source {
        Source::OwnerEmail => validate::owner_email(label, text),
        Source::AdminUsername => validate::admin_username(label, text),
        Source::ConnectionName => validate::name(profile, label, text),
        _ => None,
    }
}

fn notes(profile: &Profile, input: &HandoverInput) -> Vec<String> {
    let mut notes = Vec::new();
    if input.occasion == Occasion::NewKey {
        notes.push(profile.after_new_key());
    }
    if let Some(kind) = input.key_kind.filter(|k| *k != CredentialKind::AdminApiKey) {
        notes.push(profile.credential_advice(kind).message);
    }
    notes.extend(profile.warnings.iter().map(|w| (*w).to_owned()));
    notes
}

impl Handover {
    /// Plain text for a ticket or a colleague: every value but the key, which only says where
    /// it is.
    pub fn ticket_note(&self) -> String {
        let mut note = String::new();
        let named = self
            .connection_name
            .as_deref()
            .map(|n| format!(" (connection \"{n}\")"))
            .unwrap_or_default();
        let _ = writeln!(note, "JumpCloud hand-over to {}{named}", self.platform_name);
        let _ = writeln!(note, "Where: {}", self.where_to_paste);
        for (n, field) in self.fields.iter().enumerate() {
            let _ = writeln!(
                note,
                "{}. {}: {}",
                n + 1,
                field.label,
                field.value.as_note()
            );
            if let Some(found) = &field.found {
                let _ = writeln!(note, "   ({found})");
            }
        }
        if let Some(finish) = &self.finish {
            let _ = writeln!(note, "Then click {finish}.");
        }
        for advice in &self.advice {
            let _ = writeln!(
                note,
                "Check {}: {} {}",
                advice.field, advice.message, advice.fix
            );
        }
        for line in &self.notes {
            let _ = writeln!(note, "Note: {line}");
        }
        let _ = writeln!(note, "Guide: {}", self.guide);
        note
    }
}

impl FieldValue {
    /// One line for the ticket note.
    pub fn as_note(&self) -> String {
        match self {
            FieldValue::Text { text } => text.clone(),
            FieldValue::Secret {
                copy_from,
                last_four,
            } => match last_four {
                Some(four) => format!("not included; copy it from {copy_from} (it ends in {four})"),
                None => format!("not included; copy it from {copy_from}"),
            },
            FieldValue::Empty { why } => format!("(empty) {why}"),
            FieldValue::Missing { fix } => format!("(missing) {fix}"),
        }
    }
}

/// The saved connection's key, read from the keychain (or this session's memory) when the admin
/// presses its Copy button. Nothing else in the hand-over holds it.
pub fn key_to_copy(book: &Book<'_>, connection_id: &str) -> Result<jc_api::ApiKey, BookError> {
    let connection = book.get(connection_id)?;
    if connection.client_id.is_some() {
        return Err(BookError::NoApiKey);
    }
    book.key(&connection)
}
