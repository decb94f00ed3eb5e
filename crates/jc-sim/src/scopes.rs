//! Permission scopes: the ones JumpCloud's spec names, the ones each simulated role holds, and
//! the ones each route needs. A role's scopes decide which routes answer 403.
//!
//! JumpCloud documents each route's scopes (`x-scopes`) but not which scopes its built-in roles
//! hold. Those lists are this simulator's assumptions, derived from the spec's vocabulary, and
//! are never presented as JumpCloud's facts: Read Only holds every `*.readonly` scope,
//! Administrator With Billing every scope, Command Runner only `commandrunner.legacy`.

/// Every scope JumpCloud's V1 and V2 specs name in `x-scopes` (a test compares it with the spec).
pub const VOCABULARY: &[&str] = &[
    "accessmanagement",
    "accessmanagement.readonly",
    "accessrequest",
    "accessrequest.readonly",
    "administrators",
    "administrators.readonly",
    "anonymous",
    "applications",
    "applications.create",
    "applications.delete",
    "applications.readonly",
    "applications.update",
    "applicationtemplates",
    "applicationtemplates.readonly",
    "assets",
    "assets.readonly",
    "associations",
    "associations.applications",
    "associations.applications.readonly",
    "associations.authn",
    "associations.authn.readonly",
    "associations.commands",
    "associations.commands.readonly",
    "associations.directories",
    "associations.directories.readonly",
    "associations.groups",
    "associations.groups.readonly",
    "associations.radius",
    "associations.radius.readonly",
    "associations.readonly",
    "associations.self",
    "associations.systems",
    "associations.systems.readonly",
    "associations.users",
    "associations.users.readonly",
    "authn",
    "authn.readonly",
    "billing",
    "commandrunner.legacy",
    "commands",
    "commands.readonly",
    "commands.schedule",
    "directories",
    "directories.readonly",
    "directoryinsights.readonly",
    "groups",
    "groups.readonly",
    "groups.self",
    "healthmonitoring.alerts",
    "healthmonitoring.alerts.readonly",
    "healthmonitoring.rules",
    "healthmonitoring.rules.readonly",
    "identityrisk",
    "identityrisk.readonly",
    "mdm",
    "mdm.readonly",
    "mfa",
    "mfa.readonly",
    "notifications.channels",
    "notifications.channels.readonly",
    "organizations",
    "organizations.billing",
    "organizations.readonly",
    "partners",
    "partners.readonly",
    "passwordmanager",
    "passwordmanager.readonly",
    "protect",
    "providers",
    "providers.readonly",
    "radius",
    "radius.readonly",
    "reports",
    "reports.readonly",
    "roles",
    "roles.readonly",
    "saas",
    "saas.readonly",
    "serviceaccounts",
    "serviceaccounts.readonly",
    "subscriptions.readonly",
    "support",
    "support.readonly",
    "systeminsights.readonly",
    "systems",
    "systems.management",
    "systems.readonly",
    "systems.self",
    "transfer",
    "users",
    "users.create",
    "users.delete",
    "users.mfa",
    "users.mfa.enforce",
    "users.mfa.reset",
    "users.mfa.sync",
    "users.notification",
    "users.notification.send-activation-email",
    "users.password",
    "users.password.expire",
    "users.password.set",
    "users.properties",
    "users.properties.update",
    "users.readonly",
    "users.self",
    "users.state",
    "users.state.activate",
    "users.state.delete",
    "users.state.readonly",
    "users.state.suspend",
    "users.state.unlock",
    "users.state.update",
    "users.update.passwordreset",
    "users.update.unlock",
    "workflows",
    "workflows.readonly",
];

/// Scopes that are not permissions an administrator role grants.
const NOT_GRANTED: &[&str] = &["anonymous", "commandrunner.legacy"];

/// The built-in role names the simulator knows, each with its assumed scopes.
pub fn built_in_scopes(name: &str) -> Option<Vec<String>> {
    let pick = |keep: &dyn Fn(&str) -> bool| -> Vec<String> {
        VOCABULARY
            .iter()
            .filter(|s| keep(s))
            .map(|s| (*s).to_owned())
            .collect()
    };
    match name {
        "Read Only" => Some(pick(&|s| s.ends_with(".readonly"))),
        "Administrator With Billing" => Some(pick(&|s| !NOT_GRANTED.contains(&s))),
        "Command Runner" => Some(vec!["commandrunner.legacy".to_owned()]),
        _ => None,
    }
}

/// What the product needs (one read-only scope per kind of data it reads), as custom roles in
/// the scenarios start from.
pub const INTEGRATION: &[&str] = &[
    "organizations.readonly",
    "roles.readonly",
    "users.readonly",
    "groups.readonly",
    "applications.readonly",
    "associations.applications.readonly",
    "systems.readonly",
    "directories.readonly",
    "associations.directories.readonly",
    "radius.readonly",
    "associations.radius.readonly",
];

/// The integration's scopes without `drop`, plus `add`.
pub fn integration_with(drop: &[&str], add: &[&str]) -> Vec<String> {
    INTEGRATION
        .iter()
        .filter(|s| !drop.contains(s))
        .chain(add)
        .map(|s| (*s).to_owned())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_roles_come_from_the_vocabulary() {
        let read_only = built_in_scopes("Read Only").expect("known");
        assert!(read_only.iter().all(|s| s.ends_with(".readonly")));
        assert!(read_only.contains(&"users.readonly".to_owned()));
        let billing = built_in_scopes("Administrator With Billing").expect("known");
        assert!(
            billing.contains(&"users".to_owned()) && !billing.contains(&"anonymous".to_owned())
        );
        assert!(
            INTEGRATION.iter().all(|s| VOCABULARY.contains(s)),
            "the integration's scopes are real"
        );
        assert_eq!(built_in_scopes("Onboarding Auditor"), None);
    }
}
