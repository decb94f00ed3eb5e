//! Every call, written by hand: what is asked, why, and for which area. Scopes come from the
//! generated spec facts.

use super::{Area, Call};
use crate::paging::PageStyle;

const V1_LIST: &[&str] = &["limit", "skip", "sort"];
const V1_LIST_FIELDS: &[&str] = &["limit", "skip", "sort", "fields"];
const V2_LIST: &[&str] = &["limit", "skip", "sort"];
/// Sub-lists whose spec declares no `sort`.
const V2_UNSORTED: &[&str] = &["limit", "skip"];
const V2_ASSOCIATIONS: &[&str] = &["limit", "skip", "targets"];

macro_rules! call {
    ($name:ident, $path:literal, $paging:expr, $sends:expr, $area:ident, $purpose:literal $(, undocumented: $evidence:literal)?) => {
        pub static $name: Call = Call {
            method: "GET",
            path: $path,
            paging: $paging,
            sends: $sends,
            purpose: $purpose,
            area: Area::$area,
            undocumented: call!(@evidence $($evidence)?),
        };
    };
    (@evidence) => { None };
    (@evidence $evidence:literal) => { Some($evidence) };
}

const V1: Option<PageStyle> = Some(PageStyle::V1);
const V2: Option<PageStyle> = Some(PageStyle::V2);

call!(
    ORGANIZATIONS,
    "/api/organizations",
    V1,
    V1_LIST,
    Organizations,
    "Proves the key works and in which data center, and lists the organizations it reaches."
);
call!(
    ORGANIZATION,
    "/api/organizations/{id}",
    None,
    &[],
    Organizations,
    "Confirms that the organization ID given is one this key reaches."
);
call!(SETTINGS, "/api/settings", None, &[], Role,
    "Reads the name of the role of the key's administrator.",
    undocumented: "JumpCloud's PowerShell module reads the key's role here right after connecting (Connect-JCOnline) and checks it for Read Only in its backup command.");
call!(
    ROLES,
    "/api/v2/roles",
    V2,
    V2_LIST,
    Role,
    "Reads the permissions of the key's role, to compare them with what this connection needs."
);
call!(
    ROLE,
    "/api/v2/roles/{role_id}",
    None,
    &[],
    Role,
    "Reads the permissions of a service account's role, named by its role ID."
);
call!(
    SERVICE_ACCOUNTS,
    "/api/v2/service-accounts",
    V1,
    V2_LIST,
    Role,
    "Finds the service account these credentials belong to: its role and when its secret expires."
);
call!(
    USERS,
    "/api/systemusers",
    V1,
    V1_LIST_FIELDS,
    Users,
    "Lists users with their emails, state, MFA status, manager and custom attributes."
);
call!(
    USER,
    "/api/systemusers/{id}",
    None,
    &[],
    Users,
    "Reads one user: a manager the preview has not met yet."
);
call!(
    USER_GROUPS,
    "/api/v2/usergroups",
    V2,
    V2_LIST,
    UserGroups,
    "Lists user groups."
);
call!(
    USER_GROUP_MEMBERS,
    "/api/v2/usergroups/{group_id}/members",
    V2,
    V2_UNSORTED,
    GroupMembers,
    "Lists a user group's direct members: users and nested groups."
);
call!(
    USER_GROUP_MEMBERSHIP,
    "/api/v2/usergroups/{group_id}/membership",
    V2,
    V2_LIST,
    GroupMembers,
    "Lists every user in a user group, nested groups included."
);
call!(ADMINS, "/api/users", V1, V1_LIST_FIELDS, Admins,
    "Lists administrators with their roles and MFA status.",
    undocumented: "JumpCloud's PowerShell module (Get-JCAdmin) and Go CLI (admins) list administrators here; the spec documents only PUT /api/users/{id}.");
call!(
    APPLICATIONS,
    "/api/applications",
    V1,
    V1_LIST_FIELDS,
    Applications,
    "Lists SSO applications (names, logos, status), never their configuration."
);
call!(
    APP_ASSOCIATIONS,
    "/api/v2/applications/{application_id}/associations",
    V2,
    V2_ASSOCIATIONS,
    AppAccess,
    "Lists the groups and users an application is bound to directly."
);
call!(
    APP_USER_GROUPS,
    "/api/v2/applications/{application_id}/usergroups",
    V2,
    V2_UNSORTED,
    AppAccess,
    "Lists the groups with access to an application, when the direct bindings are refused."
);
call!(
    APP_USERS,
    "/api/v2/applications/{application_id}/users",
    V2,
    V2_UNSORTED,
    AppAccess,
    "Lists the users with access to an application, when the direct bindings are refused."
);
call!(
    DEVICES,
    "/api/systems",
    V1,
    V1_LIST_FIELDS,
    Devices,
    "Lists devices with their operating system, agent, last contact and disk encryption state."
);
call!(
    DEVICE_GROUPS,
    "/api/v2/systemgroups",
    V2,
    V2_LIST,
    DeviceGroups,
    "Lists device groups."
);
call!(
    DEVICE_GROUP_MEMBERS,
    "/api/v2/systemgroups/{group_id}/members",
    V2,
    V2_UNSORTED,
    DeviceGroups,
    "Lists the devices in a device group."
);
call!(
    POLICIES,
    "/api/v2/policies",
    V2,
    V2_LIST,
    Policies,
    "Lists device policies and their templates."
);
call!(
    POLICY_RESULTS,
    "/api/v2/policyresults",
    V2,
    V2_LIST,
    PolicyResults,
    "Counts the policy results across the organization."
);
call!(
    POLICY_STATUSES,
    "/api/v2/policies/{policy_id}/policystatuses",
    V2,
    V2_LIST,
    PolicyResults,
    "Lists the latest result of one policy on each device."
);
call!(
    LDAP_SERVERS,
    "/api/v2/ldapservers",
    V2,
    V2_LIST,
    LdapServers,
    "Lists LDAP servers."
);
call!(
    LDAP_ASSOCIATIONS,
    "/api/v2/ldapservers/{ldapserver_id}/associations",
    V2,
    V2_ASSOCIATIONS,
    LdapServers,
    "Lists the groups and users bound to an LDAP server directly."
);
call!(
    LDAP_USER_GROUPS,
    "/api/v2/ldapservers/{ldapserver_id}/usergroups",
    V2,
    V2_UNSORTED,
    LdapServers,
    "Lists the groups bound to an LDAP server, when the direct bindings are refused."
);
call!(
    LDAP_USERS,
    "/api/v2/ldapservers/{ldapserver_id}/users",
    V2,
    V2_UNSORTED,
    LdapServers,
    "Lists the users bound to an LDAP server, when the direct bindings are refused."
);
call!(
    RADIUS_SERVERS,
    "/api/radiusservers",
    V1,
    V1_LIST_FIELDS,
    RadiusServers,
    "Lists RADIUS servers, never their shared secrets."
);
call!(
    RADIUS_ASSOCIATIONS,
    "/api/v2/radiusservers/{radiusserver_id}/associations",
    V2,
    V2_ASSOCIATIONS,
    RadiusServers,
    "Lists the groups and users bound to a RADIUS server directly."
);
call!(
    RADIUS_USER_GROUPS,
    "/api/v2/radiusservers/{radiusserver_id}/usergroups",
    V2,
    V2_UNSORTED,
    RadiusServers,
    "Lists the groups bound to a RADIUS server, when the direct bindings are refused."
);

/// Every call the product makes, grouped by area in the order of [`Area::every`].
pub static ALL: &[&Call] = &[
    &ORGANIZATIONS,
    &ORGANIZATION,
    &SETTINGS,
    &ROLES,
    &ROLE,
    &SERVICE_ACCOUNTS,
    &USERS,
    &USER,
    &USER_GROUPS,
    &USER_GROUP_MEMBERS,
    &USER_GROUP_MEMBERSHIP,
    &ADMINS,
    &APPLICATIONS,
    &APP_ASSOCIATIONS,
    &APP_USER_GROUPS,
    &APP_USERS,
    &DEVICES,
    &DEVICE_GROUPS,
    &DEVICE_GROUP_MEMBERS,
    &POLICIES,
    &POLICY_RESULTS,
    &POLICY_STATUSES,
    &LDAP_SERVERS,
    &LDAP_ASSOCIATIONS,
    &LDAP_USER_GROUPS,
    &LDAP_USERS,
    &RADIUS_SERVERS,
    &RADIUS_ASSOCIATIONS,
    &RADIUS_USER_GROUPS,
];

/// A secret JumpCloud holds that the product never collects, and how it is kept out.
#[derive(Debug, PartialEq, Eq)]
pub struct NeverCollected {
    pub secret: &'static str,
    pub how: &'static str,
    /// The route that hands it over, which no entry of [`ALL`] may match.
    pub route: Option<&'static str>,
}

pub static NEVER_COLLECTED: &[NeverCollected] = &[
    NeverCollected {
        secret: "SSO application configuration (SAML certificates and private keys)",
        how: "left out with fields= on the application list; the records have no place for it",
        route: None,
    },
    NeverCollected {
        secret: "RADIUS shared secrets",
        how: "left out with fields= on the RADIUS server list; the records have no place for them",
        route: None,
    },
    NeverCollected {
        secret: "Disk encryption recovery keys",
        how: "their route is never called",
        route: Some("/api/v2/systems/{system_id}/fdekey"),
    },
    NeverCollected {
        secret: "Users' one-time-password (TOTP) details",
        how: "their route is never called",
        route: Some("/api/systemusers/{id}/totpinfo"),
    },
    NeverCollected {
        secret: "Users' SSH keys",
        how: "their route is never called",
        route: Some("/api/systemusers/{id}/sshkeys"),
    },
];
