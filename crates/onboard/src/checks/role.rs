//! role.least_privilege: the key's administrator should be Read Only. The role comes from the
//! undocumented `GET /api/settings` (its `ROLE` field); when it says nothing usable, we say so
//! and go on.

use jc_api::endpoints::GetSettings;
use jc_api::{Client, Region};

use super::Outcome;
use crate::explain::console_url;
use crate::report::{CheckState, Evidence};

/// How a built-in role name (compared case-insensitively) bears on a read-only integration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RoleFit {
    ReadOnly,
    /// Can read, but can also change the directory.
    Broader,
    /// Cannot read the directory at all.
    CannotRead,
    /// A custom role, or one we do not know.
    Unknown,
}

pub fn role_fit(role: &str) -> RoleFit {
    match role.trim().to_ascii_lowercase().as_str() {
        "read only" | "read-only" | "readonly" => RoleFit::ReadOnly,
        "administrator with billing" | "administrator" | "manager" | "help desk" => {
            RoleFit::Broader
        }
        "command runner" | "command runner with billing" | "billing only" => RoleFit::CannotRead,
        _ => RoleFit::Unknown,
    }
}

pub(super) async fn least_privilege(
    client: &Client,
    region: Option<Region>,
) -> (Outcome, Option<String>) {
    let console = console_url(region);
    let create_read_only = format!(
        "An Administrator With Billing signs in to {console}, opens the initials menu (top right), Administrators, \
         clicks +, adds an administrator with the Read Only role and turns on its API access. Sign in as that \
         administrator, copy its key from \"My API Key\" and use it here."
    );
    let (settings, evidence) = match client.fetch_with_detail(&GetSettings).await {
        Ok((settings, detail)) => (settings, Evidence::ok(&detail)),
        Err(error) => {
            let mut outcome = Outcome::from_error(
                CheckState::Warn,
                &error,
                "the key's settings",
                region,
                client,
                "/api/settings",
            );
            outcome.message = format!(
                "The key's role could not be read, so we cannot confirm it is read-only. {}",
                outcome.message
            );
            return (outcome, None);
        }
    };
    let Some(role) = settings.role.filter(|r| !r.trim().is_empty()) else {
        let outcome = Outcome::warn(
            "JumpCloud did not say which role this key's administrator has (likely a custom role), so we cannot \
             confirm it is read-only. The access checks below show what it can read.",
            format!("To be sure, use the key of an administrator with the built-in Read Only role. {create_read_only}"),
        );
        return (outcome.with_evidence(evidence), None);
    };
    let outcome = match role_fit(&role) {
        RoleFit::ReadOnly => Outcome::pass(format!("The key's administrator has the {role} role.")),
        RoleFit::Broader => Outcome::warn(
            format!(
                "The key's administrator has the {role} role, which can change your directory. This app only reads, \
                 but a read-only key is safer to hand to an integration."
            ),
            create_read_only,
        ),
        RoleFit::CannotRead => Outcome::fail(
            format!(
                "The key's administrator has the {role} role, which cannot read users, groups or applications \
                 (JumpCloud answers 403 Forbidden)."
            ),
            create_read_only,
        ),
        RoleFit::Unknown => Outcome::warn(
            format!(
                "The key's administrator has the custom role \"{role}\". We cannot confirm it is read-only; the access \
                 checks below show what it can read."
            ),
            format!("For least privilege, prefer the built-in Read Only role. {create_read_only}"),
        ),
    };
    (outcome.with_evidence(evidence), Some(role))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_roles_compare_case_insensitively() {
        assert_eq!(role_fit("Read Only"), RoleFit::ReadOnly);
        assert_eq!(
            role_fit("Administrator with Billing"),
            RoleFit::Broader,
            "Baton spells it lower-case"
        );
        assert_eq!(role_fit("Command Runner"), RoleFit::CannotRead);
        assert_eq!(role_fit("Billing Only"), RoleFit::CannotRead);
        assert_eq!(role_fit("Audit Reader"), RoleFit::Unknown);
    }
}
