//! role.least_privilege: the key's role should hold exactly the read-only permissions this
//! connection needs. The role's name comes from the undocumented `GET /api/settings`; its
//! permissions from `GET /api/v2/roles`, where the key may read it. When the permissions cannot be
//! read, the role is judged by its name; when the name is unknown too, we say so and go on.

use jc_api::endpoints::{GetRole, GetSettings, ListRoles};
use jc_api::{Client, Region};

use super::service_account::{self, Expiry, Lookup};
use super::Outcome;
use crate::explain::console_url;
use crate::permissions::{self, RoleScopes, RoleVerdict};
use crate::report::{CheckState, Evidence};

/// At most this many pages of roles are read (JumpCloud allows 20 custom roles).
const MAX_ROLE_PAGES: u32 = 5;

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

/// A role's scopes as JumpCloud lists them, or why they could not be read.
enum RoleRead {
    Scopes(Vec<String>),
    Unread { why: String },
}

/// Finds the role named `name` in `/api/v2/roles`.
async fn read_role(client: &Client, name: &str, evidence: &mut Vec<Evidence>) -> RoleRead {
    let mut pager = client.pager(ListRoles);
    while pager.pages() < MAX_ROLE_PAGES {
        let page = match pager.next_page().await {
            Ok(Some(page)) => page,
            Ok(None) => break,
            Err(error) => {
                let refused = matches!(error, jc_api::Error::Forbidden { .. });
                evidence.push(Evidence::failed(
                    &error,
                    &client.base().host(),
                    jc_api::calls::ROLES.path,
                ));
                let why = if refused {
                    "JumpCloud did not let this key read its role's permissions (the role lacks roles.readonly)"
                        .to_owned()
                } else {
                    format!("the role's permissions could not be read ({error})")
                };
                return RoleRead::Unread { why };
            }
        };
        if page.number == 1 {
            evidence.push(Evidence::ok(&page.detail));
        }
        let found = page.items.into_iter().find(|r| {
            r.name
                .as_deref()
                .is_some_and(|n| n.trim().eq_ignore_ascii_case(name.trim()))
        });
        if let Some(role) = found {
            return match role.scopes {
                Some(scopes) => RoleRead::Scopes(scopes),
                None => RoleRead::Unread {
                    why: "JumpCloud listed the role without its permissions".to_owned(),
                },
            };
        }
    }
    RoleRead::Unread {
        why: format!("JumpCloud's role list has no role named \"{name}\""),
    }
}

/// role.least_privilege and credentials.expiry: a service account's role and expiry come from
/// its own record; an administrator's role from the settings, and its key has no known expiry.
pub(super) async fn least_privilege_and_expiry(
    client: &Client,
    region: Option<Region>,
) -> (Outcome, Option<RoleScopes>, Expiry) {
    if client.auth_kind().is_service_account() {
        return service_account_role(client, region).await;
    }
    let (outcome, role) = least_privilege(client, region).await;
    (outcome, role, service_account::admin_key_expiry())
}

async fn service_account_role(
    client: &Client,
    region: Option<Region>,
) -> (Outcome, Option<RoleScopes>, Expiry) {
    let kind = client.auth_kind();
    let console = console_url(region);
    let make_read_only = format!(
        "In {console}, Settings, Service Accounts, give the account the Read Only role (or make a new service \
         account with it) and use its credentials here."
    );
    let recipe_fix = format!(
        "Give the service account's role exactly the read permissions listed in the permission view (the custom \
         role recipe), or the built-in Read Only role. {make_read_only}"
    );
    let mut evidence = Vec::new();
    let found = match service_account::find(client, &mut evidence).await {
        Lookup::Found(found) => found,
        Lookup::Refused => {
            let why = "JumpCloud did not let this service account read the list of service accounts (its role \
                       lacks the service-accounts read permission), so its role and expiry are unknown.";
            let mut outcome = Outcome::warn(
                format!("The service account's role is unknown: {why} The access checks below show what it can read."),
                format!(
                    "To see the role and the expiry here, add the read permission for service accounts to its role, \
                     or check them yourself in {console}, Settings, Service Accounts."
                ),
            );
            outcome.detail = evidence;
            let role = permissions::unread(None, "The service account's role could not be read.");
            return (
                outcome,
                Some(role),
                Expiry::Skipped(
                    "Not known: the service account may not read the list of service accounts, where JumpCloud shows \
                     when a secret expires."
                        .to_owned(),
                ),
            );
        }
        lookup @ (Lookup::NotListed | Lookup::Failed(_)) => {
            let why = match lookup {
                Lookup::Failed(error) => crate::explain(&error, "the service accounts", region).message,
                _ => "The service account these credentials belong to was not found in the list of service \
                      accounts."
                    .to_owned(),
            };
            let mut outcome = Outcome::warn(
                format!(
                    "{why} So its role is unknown. The access checks below show what it can read."
                ),
                format!("Check the account and its role in {console}, Settings, Service Accounts."),
            );
            outcome.detail = evidence;
            let role = permissions::unread(None, "The service account's role could not be read.");
            return (
                outcome,
                Some(role),
                Expiry::Skipped(
                    "Not known: the service account's record could not be read.".to_owned(),
                ),
            );
        }
    };
    let expiry = service_account::judge_expiry(
        kind,
        found.expires_at.as_deref(),
        crate::display::Clock::SYSTEM,
        region,
    );
    let account = &found.account;
    let role_by_id = match account.role_id.as_deref().filter(|id| !id.is_empty()) {
        Some(id) => match client.fetch_with_detail(&GetRole(id.to_owned())).await {
            Ok((role, detail)) => {
                evidence.push(Evidence::ok(&detail));
                Some(role)
            }
            Err(error) => {
                evidence.push(Evidence::failed(
                    &error,
                    &client.base().host(),
                    jc_api::calls::ROLE.path,
                ));
                None
            }
        },
        None => None,
    };
    let name = role_by_id
        .as_ref()
        .and_then(|r| r.name.clone())
        .or_else(|| account.role_name.clone())
        .filter(|n| !n.trim().is_empty());
    let Some(name) = name else {
        let mut outcome = Outcome::warn(
            "JumpCloud did not say which role this service account has, so we cannot confirm it is read-only. The \
             access checks below show what it can read.",
            make_read_only,
        );
        outcome.detail = evidence;
        let role = permissions::unread(None, "JumpCloud did not name the service account's role.");
        return (outcome, Some(role), expiry);
    };
    let (mut outcome, role) = match role_by_id.and_then(|r| r.scopes) {
        Some(scopes) => {
            let role = permissions::compare(Some(&name), &scopes);
            (
                judge_scopes(&name, &role, &make_read_only, &recipe_fix),
                role,
            )
        }
        None => {
            let said =
                "The role's permissions could not be read, so the role is judged by its name.";
            let mut outcome = judge_name(&name, &make_read_only);
            outcome.message = format!("{} {said}", outcome.message);
            (outcome, permissions::unread(Some(&name), said))
        }
    };
    outcome.message = outcome
        .message
        .replace("The key's administrator has", "The service account has")
        .replace("a read-only key is safer", "a read-only role is safer");
    outcome.detail.append(&mut evidence);
    (outcome, Some(role), expiry)
}

pub(super) async fn least_privilege(
    client: &Client,
    region: Option<Region>,
) -> (Outcome, Option<RoleScopes>) {
    let console = console_url(region);
    let create_read_only = format!(
        "An Administrator With Billing signs in to {console}, opens the initials menu (top right), Administrators, \
         clicks +, adds an administrator with the Read Only role and turns on its API access. Sign in as that \
         administrator, copy its key from \"My API Key\" and use it here."
    );
    let recipe_fix = format!(
        "Give the key's role exactly the read permissions listed in the permission view (the custom role \
         recipe: initials menu, Administrators, Roles), or use an administrator with the Read Only role. \
         {create_read_only}"
    );
    let (settings, settings_evidence) = match client.fetch_with_detail(&GetSettings).await {
        Ok((settings, detail)) => (settings, Evidence::ok(&detail)),
        Err(error) => {
            let mut outcome = Outcome::from_error(
                CheckState::Warn,
                &error,
                "the key's settings",
                region,
                client,
                jc_api::calls::SETTINGS.path,
            );
            outcome.message = format!(
                "The key's role could not be read, so we cannot confirm it is read-only. {}",
                outcome.message
            );
            let role = permissions::unread(None, "The key's role could not be read.");
            return (outcome, Some(role));
        }
    };
    let Some(name) = settings.role.filter(|r| !r.trim().is_empty()) else {
        let outcome = Outcome::warn(
            "JumpCloud did not say which role this key's administrator has (likely a custom role), so we cannot \
             confirm it is read-only. The access checks below show what it can read.",
            format!("To be sure, use the key of an administrator with the built-in Read Only role. {create_read_only}"),
        );
        let role = permissions::unread(
            None,
            "JumpCloud did not name the key's role, so its permissions could not be compared.",
        );
        return (outcome.with_evidence(settings_evidence), Some(role));
    };
    let mut evidence = vec![settings_evidence];
    let (mut outcome, role) = match read_role(client, &name, &mut evidence).await {
        RoleRead::Scopes(scopes) => {
            let role = permissions::compare(Some(&name), &scopes);
            (
                judge_scopes(&name, &role, &create_read_only, &recipe_fix),
                role,
            )
        }
        RoleRead::Unread { why } => {
            let said =
                crate::display::capitalized(&format!("{why}, so the role is judged by its name."));
            let mut outcome = judge_name(&name, &create_read_only);
            outcome.message = format!("{} {said}", outcome.message);
            (outcome, permissions::unread(Some(&name), &said))
        }
    };
    outcome.detail.append(&mut evidence);
    (outcome, Some(role))
}

/// The verdict when the role's permissions were read.
fn judge_scopes(
    name: &str,
    role: &RoleScopes,
    create_read_only: &str,
    recipe_fix: &str,
) -> Outcome {
    let lead = format!("The key's administrator has the {name} role");
    let said = role.message.replacen(&format!("The {name} role"), "It", 1);
    match role.verdict {
        RoleVerdict::Exact | RoleVerdict::ReadOnlyBroader => Outcome::pass(format!("{lead}. {said}")),
        RoleVerdict::CanChange => Outcome::warn(
            format!(
                "{lead}, which can change your directory. {said} This app only reads, but a read-only key \
                 is safer to hand to an integration."
            ),
            format!("Use a role with only the read permissions this connection needs. {recipe_fix}"),
        ),
        RoleVerdict::Lacking => Outcome::warn(
            format!("{lead}. {said} Those categories cannot be read."),
            recipe_fix.to_owned(),
        ),
        RoleVerdict::CannotRead => Outcome::fail(
            format!("{lead}, which cannot read users. {said}"),
            create_read_only.to_owned(),
        ),
        RoleVerdict::Unknown => Outcome::warn(
            format!("{lead}. {said}"),
            recipe_fix.to_owned(),
        ),
    }
}

/// The verdict from the role's name alone.
fn judge_name(role: &str, create_read_only: &str) -> Outcome {
    match role_fit(role) {
        RoleFit::ReadOnly => Outcome::pass(format!("The key's administrator has the {role} role.")),
        RoleFit::Broader => Outcome::warn(
            format!(
                "The key's administrator has the {role} role, which can change your directory. This app only reads, \
                 but a read-only key is safer to hand to an integration."
            ),
            create_read_only.to_owned(),
        ),
        RoleFit::CannotRead => Outcome::fail(
            if role.to_ascii_lowercase().starts_with("command runner") {
                format!(
                    "The key's administrator has the {role} role, which can list users but is refused user \
                     groups, applications, devices and the rest of the directory."
                )
            } else {
                format!("The key's administrator has the {role} role, which cannot read the directory.")
            },
            create_read_only.to_owned(),
        ),
        RoleFit::Unknown => Outcome::warn(
            format!(
                "The key's administrator has the custom role \"{role}\". We cannot confirm it is read-only; the access \
                 checks below show what it can read."
            ),
            format!("For least privilege, prefer the built-in Read Only role. {create_read_only}"),
        ),
    }
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
