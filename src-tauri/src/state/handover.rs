//! The hand-over to the platform: its profile filled from the wizard's tested connection or a
//! saved one, checked against what the organization holds. The key stays in Rust: the answer
//! says where to copy it from, and only `copy_handover_key` reads it.

use std::sync::Arc;

use onboard::connections::{default_name, SavedConnection};
use onboard::credential::CredentialKind;
use onboard::platforms::{self, HandoverInput, KeyLocation, Occasion, PlatformId, Seen, Source};
use onboard::preview::{PreviewData, UserSample};

use super::AppState;
use crate::error::{UiError, UiErrorKind};
use crate::ipc::{HandoverView, PlatformDetails};

/// What the organization showed once, for the checks a hand-over makes: the administrators
/// (for an inferred username) and the first users (for a custom manager field).
#[derive(Debug)]
pub(super) struct SeenData {
    preview: PreviewData,
    users: Option<UserSample>,
}

impl SeenData {
    fn seen(&self) -> Seen<'_> {
        Seen {
            preview: Some(&self.preview),
            users: self.users.as_ref(),
        }
    }
}

fn view(handover: platforms::Handover, users: Option<&UserSample>) -> HandoverView {
    let checks_users = handover
        .fields
        .iter()
        .any(|f| f.source == Source::ManagerAttribute);
    HandoverView {
        ticket_note: handover.ticket_note(),
        users_checked: users
            .filter(|_| checks_users)
            .map(|u| u32::try_from(u.users.len()).unwrap_or(u32::MAX)),
        handover,
    }
}

impl AppState {
    /// The name the Save step offers: the platform's convention when it has one (with the
    /// tested organization's name), otherwise the next free "Connection N".
    pub fn proposed_name(&self, platform: Option<PlatformId>) -> Result<String, UiError> {
        let existing = self.book().list()?;
        let org_name = self
            .wizard()
            .as_ref()
            .and_then(|s| s.report.org.as_ref().map(|o| o.name.clone()));
        Ok(match platform {
            Some(platform) => {
                platforms::suggested_name(platform.profile(), org_name.as_deref(), &existing)
            }
            None => default_name(&existing),
        })
    }

    /// What the organization showed, read once per tested connection.
    async fn wizard_seen(&self) -> Result<Arc<SeenData>, UiError> {
        if let Some(seen) = self.wizard().as_ref().and_then(|s| s.seen.clone()) {
            return Ok(seen);
        }
        let client = self.tested_client()?;
        let (preview, users) = tokio::join!(
            onboard::preview::first_rows(&client, client.region()),
            onboard::preview::user_sample(&client)
        );
        let seen = Arc::new(SeenData {
            preview,
            users: users.ok(),
        });
        if let Some(session) = self.wizard().as_mut() {
            session.seen = Some(Arc::clone(&seen));
        }
        Ok(seen)
    }

    /// The hand-over as the Save step's fields would make it, checked against the tested
    /// organization: for the Save step's advice before anything is saved.
    pub async fn wizard_handover(&self, details: PlatformDetails) -> Result<HandoverView, UiError> {
        let (report, key_kind, key_last_four) = {
            let wizard = self.wizard();
            let session = wizard
                .as_ref()
                .filter(|s| s.report.ok)
                .ok_or_else(UiError::not_connected)?;
            let key = session.key.text();
            (
                session.report.clone(),
                CredentialKind::of_api_key(key),
                jc_api::ApiKey::parse(key).ok().map(|k| k.last_four()),
            )
        };
        let seen = self.wizard_seen().await?;
        let input = HandoverInput {
            connection_name: Some(details.name),
            manager_attribute: details.manager_attribute,
            admin_username: details.admin_username,
            owner_email: details.owner_email,
            key: KeyLocation::ThisSession,
            key_last_four,
            key_kind: Some(key_kind),
            ..HandoverInput::from_report(&report)
        };
        let handover = platforms::resolve(details.platform.profile(), &input, seen.seen());
        Ok(view(handover, seen.users.as_ref()))
    }

    /// A saved connection's hand-over; `new_key` when its key was just replaced, so the
    /// platform still holds the revoked one.
    pub fn connection_handover(&self, id: &str, new_key: bool) -> Result<HandoverView, UiError> {
        let connection = self.book().get(id)?;
        let platform = connection.platform.unwrap_or(PlatformId::Other);
        let input = HandoverInput {
            occasion: if new_key {
                Occasion::NewKey
            } else {
                Occasion::NewConnection
            },
            ..HandoverInput::from_saved(&connection)
        };
        let seen = self.seen_for(&connection);
        let handover = platforms::resolve(
            platform.profile(),
            &input,
            seen.as_ref().map(|s| s.seen()).unwrap_or_default(),
        );
        Ok(view(handover, seen.as_ref().and_then(|s| s.users.as_ref())))
    }

    /// What the wizard already read, when the saved connection is the organization it tested:
    /// nothing is fetched for a saved connection's hand-over.
    fn seen_for(&self, connection: &SavedConnection) -> Option<Arc<SeenData>> {
        let wizard = self.wizard();
        let session = wizard.as_ref()?;
        let same_org = matches!(
            (&session.report.org, &connection.org),
            (Some(tested), Some(saved)) if tested.id == saved.id
        );
        same_org.then(|| session.seen.clone()).flatten()
    }

    /// Reads the saved connection's key and puts it on the clipboard for a minute.
    pub fn copy_handover_key(
        &self,
        id: &str,
        clipboard: &crate::clipboard::KeyClipboard,
    ) -> Result<crate::ipc::KeyCopied, UiError> {
        let key = platforms::key_to_copy(&self.book(), id)?;
        clipboard.copy_key(&key).map_err(|e| {
            UiError::new(
                UiErrorKind::Unexpected,
                format!("The key could not be put on the clipboard ({e})."),
                "Try again. If it keeps failing, copy the key from the JumpCloud console instead.",
            )
        })?;
        Ok(crate::ipc::KeyCopied {
            clears_after_seconds: u32::try_from(crate::clipboard::CLEAR_AFTER.as_secs())
                .unwrap_or(u32::MAX),
            last_four: key.last_four(),
        })
    }
}
