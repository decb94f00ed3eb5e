//! Plain words for JumpCloud's permission scopes: what an area covers, and what holding a
//! scope lets a key do.

use jc_api::calls::{self, Area};

use super::area;

/// What the area of a scope covers, in a sentence's words ("users", "devices and their policies").
fn area(base: &str) -> Option<&'static str> {
    Some(match base {
        "users" => "users",
        "groups" => "user and device groups",
        "systems" => "devices and their policies",
        "applications" => "SSO applications",
        "applicationtemplates" => "the application catalogue",
        "directories" => "LDAP and other directories",
        "radius" => "RADIUS servers",
        "organizations" => "the organization's settings",
        "roles" => "administrator roles",
        "administrators" => "administrators",
        "associations" => "every binding between users, groups, devices and applications",
        "associations.applications" => "which users and groups can use each application",
        "associations.directories" => "which users and groups are bound to each directory",
        "associations.radius" => "which users and groups are bound to each RADIUS server",
        "associations.systems" => "which users and groups are bound to each device",
        "associations.users" => "what each user is bound to",
        "associations.groups" => "what each group is bound to",
        "associations.commands" => "which devices run each command",
        "associations.authn" => "which users each authentication policy applies to",
        "commands" => "commands run on devices",
        "mdm" => "mobile device management",
        "mfa" => "MFA settings",
        "authn" => "authentication policies",
        "serviceaccounts" => "service accounts",
        "providers" => "multi-tenant provider settings",
        "directoryinsights" => "audit events (Directory Insights)",
        "systeminsights" => "device inventory (System Insights)",
        "passwordmanager" => "the password manager",
        "billing" => "billing",
        "reports" => "reports",
        "workflows" => "workflows",
        "accessrequest" => "access requests",
        "accessmanagement" => "access management",
        "assets" => "assets",
        "saas" => "SaaS management",
        "identityrisk" => "identity risk",
        "partners" => "partner settings",
        "support" => "support access",
        _ => return None,
    })
}

/// `users.readonly` → `users`; `users.state.readonly` → `users.state`.
fn base(scope: &str) -> &str {
    scope.strip_suffix(".readonly").unwrap_or(scope)
}

/// The area of a scope or, failing that, of its first segment ("users.create" → "users").
fn area_of(scope: &str) -> String {
    let base = base(scope);
    area(base)
        .or_else(|| base.split('.').next().and_then(area))
        .map(str::to_owned)
        .unwrap_or_else(|| format!("the \"{base}\" area"))
}

/// Whether holding a scope lets a key change something (or run commands), not only read.
pub(crate) fn is_write(scope: &str) -> bool {
    !scope.ends_with(".readonly")
}

/// What holding a scope beyond need lets a key do: "can also change users".
pub(crate) fn beyond(scope: &str) -> String {
    match scope {
        "commandrunner.legacy" => "can run commands on devices (Command Runner)".to_owned(),
        s if is_write(s) => format!("can also change {}", area_of(s)),
        s => format!("can also read {}", area_of(s)),
    }
}

/// The console permission area a read-only scope is ticked in: "Devices", "RADIUS".
pub(crate) fn console_area(scope: &str) -> String {
    let named = match scope {
        "organizations.readonly" => "Organization",
        "roles.readonly" => "Administrator roles",
        "users.readonly" => "Users",
        "groups.readonly" => "Groups (user groups and device groups)",
        "applications.readonly" => "SSO applications",
        "associations.applications.readonly" => "Application associations (bindings)",
        "systems.readonly" => "Devices (includes device policies)",
        "directories.readonly" => "Directories (LDAP)",
        "associations.directories.readonly" => "Directory associations (bindings)",
        "radius.readonly" => "RADIUS",
        "associations.radius.readonly" => "RADIUS associations (bindings)",
        other => return area_of(other),
    };
    named.to_owned()
}

/// The categories whose calls need `scope`, as labels: "Users, Group members, LDAP servers".
pub(crate) fn used_for(scope: &str) -> String {
    let mut labels: Vec<String> = Vec::new();
    for category in Area::every() {
        let needs = calls::serving(category).any(|c| c.scope().id() == Some(scope));
        if needs && !labels.contains(&area::label(category)) {
            labels.push(area::label(category));
        }
    }
    labels.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_as_plain_words() {
        assert_eq!(beyond("users"), "can also change users");
        assert_eq!(beyond("users.create"), "can also change users");
        assert_eq!(
            beyond("mdm.readonly"),
            "can also read mobile device management"
        );
        assert_eq!(beyond("newthing"), "can also change the \"newthing\" area");
        assert_eq!(
            console_area("systems.readonly"),
            "Devices (includes device policies)"
        );
        assert!(used_for("users.readonly").starts_with("Users, Group members"));
        assert_eq!(used_for("radius.readonly"), "RADIUS servers");
    }
}
