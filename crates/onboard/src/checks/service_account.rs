//! For a service account: which account the credentials are (by client ID, or by the API key's
//! first characters), its role, and when its secret expires. `credentials.expiry` is judged
//! here; the role is judged by [`super::role`].

use jc_api::endpoints::ListServiceAccounts;
use jc_api::model::ServiceAccount;
use jc_api::{AuthKind, Client, Credential, Error};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

use super::Outcome;
use crate::explain::console_url;
use crate::report::Evidence;

/// At most this many pages of service accounts are read.
const MAX_PAGES: u32 = 5;
/// A secret that expires within this many days is worth a warning.
pub const EXPIRY_WARNING_DAYS: i64 = 14;

/// The account found, with the expiry of the secret in use.
pub(super) struct Found {
    pub account: ServiceAccount,
    pub expires_at: Option<String>,
}

pub(super) enum Lookup {
    Found(Box<Found>),
    /// 403: the role may not read service accounts.
    Refused,
    /// Read, but none of them holds these credentials.
    NotListed,
    Failed(Error),
}

/// Reads the organization's service accounts and finds the one the credentials belong to.
pub(super) async fn find(client: &Client, evidence: &mut Vec<Evidence>) -> Lookup {
    let mut pager = client.pager(ListServiceAccounts);
    while pager.pages() < MAX_PAGES {
        let page = match pager.next_page().await {
            Ok(Some(page)) => page,
            Ok(None) => break,
            Err(error) => {
                evidence.push(Evidence::failed(
                    &error,
                    &client.base().host(),
                    jc_api::calls::SERVICE_ACCOUNTS.path,
                ));
                return match error {
                    Error::Forbidden { .. } => Lookup::Refused,
                    error => Lookup::Failed(error),
                };
            }
        };
        if page.number == 1 {
            evidence.push(Evidence::ok(&page.detail));
        }
        for account in page.items {
            if let Some(expires_at) = secret_in_use(&account, client.credential()) {
                return Lookup::Found(Box::new(Found {
                    expires_at: expires_at.or_else(|| account.expires_at.clone()),
                    account,
                }));
            }
        }
    }
    Lookup::NotListed
}

/// `Some(expiry)` when `account` holds these credentials: a client secret with this client
/// ID, or an API key starting with the prefix JumpCloud lists.
fn secret_in_use(account: &ServiceAccount, credential: &Credential) -> Option<Option<String>> {
    account
        .auth_config_list
        .iter()
        .find_map(|config| match credential {
            Credential::ClientCredentials(c) => config
                .client_secret_config
                .as_ref()
                .filter(|s| s.client_id.as_deref() == Some(c.id.as_str()))
                .map(|s| s.expires_at.clone()),
            Credential::ApiKey(key) => config
                .api_key_config
                .as_ref()
                .filter(|k| {
                    k.api_key_prefix
                        .as_deref()
                        .is_some_and(|p| p.len() >= 8 && key.expose().starts_with(p))
                })
                .map(|k| k.expires_at.clone()),
        })
}

/// What the secret is called in sentences.
fn secret_noun(kind: AuthKind) -> &'static str {
    match kind {
        AuthKind::ClientCredentials => "client secret",
        _ => "service-account key",
    }
}

/// How to rotate without breaking the connection.
pub fn rotation_fix(kind: AuthKind, region: Option<jc_api::Region>) -> String {
    let noun = secret_noun(kind);
    format!(
        "Add a second {noun} in the console ({}: Settings, Service Accounts, the account, add a new {noun}), paste \
         it here, test, then delete the old one.",
        console_url(region)
    )
}

/// How credentials.expiry ends.
pub(super) enum Expiry {
    /// The verdict, and the expiry it was judged on (RFC 3339).
    Judged(Outcome, String),
    Skipped(String),
}

/// credentials.expiry from an expiry timestamp, as of `clock`'s now, its date shown in `clock`'s time zone.
pub(super) fn judge_expiry(
    kind: AuthKind,
    expires_at: Option<&str>,
    clock: crate::display::Clock,
    region: Option<jc_api::Region>,
) -> Expiry {
    let noun = secret_noun(kind);
    let Some(at) = expires_at.and_then(|raw| OffsetDateTime::parse(raw.trim(), &Rfc3339).ok())
    else {
        return Expiry::Skipped(format!(
            "JumpCloud did not say when this {noun} expires, so there is nothing to check."
        ));
    };
    let date =
        crate::display::when(&at.format(&Rfc3339).unwrap_or_default(), clock).unwrap_or_default();
    let now = clock.now();
    let days = (clock.local(at).date() - now.date()).whole_days();
    let fix = rotation_fix(kind, region);
    let outcome = if at <= now {
        Outcome::fail(format!("The {noun} has expired: {date}."), fix)
    } else if days <= EXPIRY_WARNING_DAYS {
        let when = match days {
            0 => "today".to_owned(),
            1 => "in 1 day".to_owned(),
            n => format!("in {n} days"),
        };
        Outcome::warn(
            format!("The {noun} expires {when}: {date}. The connection stops working then."),
            fix,
        )
    } else {
        Outcome::pass(format!("The {noun} expires on {date}."))
    };
    Expiry::Judged(outcome, at.format(&Rfc3339).unwrap_or_default())
}

/// credentials.expiry when the credentials are not a service account's.
pub(super) fn admin_key_expiry() -> Expiry {
    Expiry::Skipped(
        "JumpCloud does not show when an administrator's API key expires, so there is nothing to check."
            .to_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    fn judged(expires_at: &str) -> Outcome {
        match judge_expiry(
            AuthKind::ClientCredentials,
            Some(expires_at),
            crate::display::Clock::fixed(datetime!(2026-12-02 10:00 UTC), time::UtcOffset::UTC),
            None,
        ) {
            Expiry::Judged(outcome, _) => outcome,
            Expiry::Skipped(why) => panic!("{expires_at} is a date, yet skipped: {why}"),
        }
    }

    #[test]
    fn expiry_passes_warns_within_two_weeks_and_fails_when_past() {
        let far = judged("2027-02-20T00:00:00Z");
        assert_eq!(far.state, crate::CheckState::Pass);
        assert_eq!(
            far.message,
            "The client secret expires on 20 Feb 2027 (in 2 months)."
        );
        let soon = judged("2026-12-07T00:00:00Z");
        assert_eq!(soon.state, crate::CheckState::Warn);
        assert!(
            soon.message
                .starts_with("The client secret expires in 5 days"),
            "{}",
            soon.message
        );
        assert!(
            soon.fix
                .as_deref()
                .is_some_and(|f| f.contains("paste it here, test, then delete the old one")),
            "the fix is the rotation: {:?}",
            soon.fix
        );
        let past = judged("2026-11-30T00:00:00Z");
        assert_eq!(past.state, crate::CheckState::Fail);
        assert!(past.message.contains("has expired"), "{}", past.message);
        assert!(matches!(
            judge_expiry(
                AuthKind::ClientCredentials,
                Some("soon"),
                crate::display::Clock::fixed(datetime!(2026-12-02 10:00 UTC), time::UtcOffset::UTC),
                None
            ),
            Expiry::Skipped(_)
        ));
    }
}
