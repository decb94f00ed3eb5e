//! Which path is which route, and the shared helpers the V1 and V2 handlers page with.

pub mod v1;
pub mod v2;

use serde_json::Value;

use crate::data::{Org, World};
use crate::wire::{Api, Params, Reply};

/// Every GET route the sim serves. Ids are borrowed from the path as sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route<'a> {
    // Anonymous.
    Logo(&'a str),
    // Organization selection: these refuse `x-org-id`.
    OrganizationList,
    Organization(&'a str),
    // Data routes (V1).
    Settings,
    Admins,
    SystemUserList,
    SystemUser(&'a str),
    ApplicationList,
    Application(&'a str),
    SystemList,
    System(&'a str),
    RadiusServerList,
    RadiusServer(&'a str),
    // Data routes (V2).
    UserGroupList,
    UserGroup(&'a str),
    UserGroupMembers(&'a str),
    UserGroupMembership(&'a str),
    UserMemberOf(&'a str),
    UserApplications(&'a str),
    UserSystems(&'a str),
    ApplicationAssociations(&'a str),
    ApplicationUserGroups(&'a str),
    ApplicationUsers(&'a str),
    SystemMemberOf(&'a str),
    SystemUsers(&'a str),
    SystemPolicyStatuses(&'a str),
    SystemFdeKey(&'a str),
    SystemGroupList,
    SystemGroup(&'a str),
    SystemGroupMembers(&'a str),
    SystemGroupMembership(&'a str),
    PolicyList,
    Policy(&'a str),
    PolicyStatuses(&'a str),
    PolicyResults,
    LdapServerList,
    LdapServer(&'a str),
    LdapServerAssociations(&'a str),
    LdapServerUserGroups(&'a str),
    LdapServerUsers(&'a str),
    RadiusServerAssociations(&'a str),
    RadiusServerUserGroups(&'a str),
    RoleList,
    Role(&'a str),
    ServiceAccountList,
}

/// How a route is authorized.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// No key needed (logos).
    Anonymous,
    /// Needs the key; `x-org-id` is refused.
    OrgSelection,
    /// Needs the key and an org (`x-org-id` required for a multi-tenant key).
    Data,
}

impl<'a> Route<'a> {
    pub fn parse(path: &'a str) -> Option<Route<'a>> {
        use Route::*;
        let segments: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        let route = match segments.as_slice() {
            ["api", "organizations"] => OrganizationList,
            ["api", "organizations", id] => Organization(id),
            ["api", "settings"] => Settings,
            ["api", "users"] => Admins,
            ["api", "systemusers"] => SystemUserList,
            ["api", "systemusers", id] => SystemUser(id),
            ["api", "applications"] => ApplicationList,
            ["api", "applications", id] => Application(id),
            ["api", "systems"] => SystemList,
            ["api", "systems", id] => System(id),
            ["api", "radiusservers"] => RadiusServerList,
            ["api", "radiusservers", id] => RadiusServer(id),
            ["api", "v2", rest @ ..] => match rest {
                ["logos", id] => Logo(id),
                ["usergroups"] => UserGroupList,
                ["usergroups", id] => UserGroup(id),
                ["usergroups", id, "members"] => UserGroupMembers(id),
                ["usergroups", id, "membership"] => UserGroupMembership(id),
                ["users", id, "memberof"] => UserMemberOf(id),
                ["users", id, "applications"] => UserApplications(id),
                ["users", id, "systems"] => UserSystems(id),
                ["applications", id, "associations"] => ApplicationAssociations(id),
                ["applications", id, "usergroups"] => ApplicationUserGroups(id),
                ["applications", id, "users"] => ApplicationUsers(id),
                ["systems", id, "memberof"] => SystemMemberOf(id),
                ["systems", id, "users"] => SystemUsers(id),
                ["systems", id, "policystatuses"] => SystemPolicyStatuses(id),
                ["systems", id, "fdekey"] => SystemFdeKey(id),
                ["systemgroups"] => SystemGroupList,
                ["systemgroups", id] => SystemGroup(id),
                ["systemgroups", id, "members"] => SystemGroupMembers(id),
                ["systemgroups", id, "membership"] => SystemGroupMembership(id),
                ["policies"] => PolicyList,
                ["policies", id] => Policy(id),
                ["policies", id, "policystatuses"] => PolicyStatuses(id),
                ["policyresults"] => PolicyResults,
                ["ldapservers"] => LdapServerList,
                ["ldapservers", id] => LdapServer(id),
                ["ldapservers", id, "associations"] => LdapServerAssociations(id),
                ["ldapservers", id, "usergroups"] => LdapServerUserGroups(id),
                ["ldapservers", id, "users"] => LdapServerUsers(id),
                ["radiusservers", id, "associations"] => RadiusServerAssociations(id),
                ["radiusservers", id, "usergroups"] => RadiusServerUserGroups(id),
                ["roles"] => RoleList,
                ["roles", id] => Role(id),
                ["service-accounts"] => ServiceAccountList,
                _ => return None,
            },
            _ => return None,
        };
        Some(route)
    }

    pub fn access(&self) -> Access {
        match self {
            Route::Logo(_) => Access::Anonymous,
            Route::OrganizationList | Route::Organization(_) => Access::OrgSelection,
            _ => Access::Data,
        }
    }

    pub fn api(&self) -> Api {
        match self {
            Route::OrganizationList
            | Route::Organization(_)
            | Route::Settings
            | Route::Admins
            | Route::SystemUserList
            | Route::SystemUser(_)
            | Route::ApplicationList
            | Route::Application(_)
            | Route::SystemList
            | Route::System(_)
            | Route::RadiusServerList
            | Route::RadiusServer(_) => Api::V1,
            _ => Api::V2,
        }
    }

    /// Where JumpCloud's spec documents this route (spec version, path as the spec writes it)
    /// and the scopes it names (`x-scopes`: any one is enough). `None` for undocumented routes.
    pub fn documented(&self) -> Option<(&'static str, &'static str, &'static [&'static str])> {
        use Route::*;
        const ORGS: &[&str] = &["organizations", "organizations.readonly"];
        const USERS: &[&str] = &["users", "users.readonly"];
        const GROUPS: &[&str] = &["groups", "groups.readonly"];
        const APPS: &[&str] = &["applications", "applications.readonly"];
        const SYSTEMS: &[&str] = &["systems", "systems.readonly"];
        const RADIUS: &[&str] = &["radius", "radius.readonly"];
        const DIRECTORIES: &[&str] = &["directories", "directories.readonly"];
        const ROLES: &[&str] = &["roles.readonly", "roles"];
        let (version, path, scopes) = match self {
            Logo(_) => ("2.0", "/logos/{id}", &["anonymous"][..]),
            OrganizationList => (
                "1.0",
                "/organizations",
                &[
                    "commandrunner.legacy",
                    "organizations",
                    "organizations.readonly",
                ][..],
            ),
            Organization(_) => ("1.0", "/organizations/{id}", ORGS),
            Settings | Admins => return None,
            SystemUserList => (
                "1.0",
                "/systemusers",
                &["commandrunner.legacy", "users", "users.readonly"][..],
            ),
            SystemUser(_) => ("1.0", "/systemusers/{id}", USERS),
            ApplicationList => ("1.0", "/applications", APPS),
            Application(_) => ("1.0", "/applications/{id}", APPS),
            SystemList => ("1.0", "/systems", SYSTEMS),
            System(_) => (
                "1.0",
                "/systems/{id}",
                &["systems", "systems.readonly", "systems.self"][..],
            ),
            RadiusServerList => ("1.0", "/radiusservers", RADIUS),
            RadiusServer(_) => ("1.0", "/radiusservers/{id}", RADIUS),
            UserGroupList => ("2.0", "/usergroups", GROUPS),
            UserGroup(_) => ("2.0", "/usergroups/{id}", GROUPS),
            UserGroupMembers(_) => ("2.0", "/usergroups/{group_id}/members", USERS),
            UserGroupMembership(_) => ("2.0", "/usergroups/{group_id}/membership", USERS),
            UserMemberOf(_) => ("2.0", "/users/{user_id}/memberof", GROUPS),
            UserApplications(_) => ("2.0", "/users/{user_id}/applications", APPS),
            UserSystems(_) => ("2.0", "/users/{user_id}/systems", SYSTEMS),
            ApplicationAssociations(_) => (
                "2.0",
                "/applications/{application_id}/associations",
                &[
                    "associations.applications",
                    "associations.applications.readonly",
                    "associations",
                    "associations.readonly",
                ][..],
            ),
            ApplicationUserGroups(_) => {
                ("2.0", "/applications/{application_id}/usergroups", GROUPS)
            }
            ApplicationUsers(_) => ("2.0", "/applications/{application_id}/users", USERS),
            SystemMemberOf(_) => (
                "2.0",
                "/systems/{system_id}/memberof",
                &["groups", "groups.readonly", "groups.self"][..],
            ),
            SystemUsers(_) => (
                "2.0",
                "/systems/{system_id}/users",
                &["users", "users.readonly", "users.self"][..],
            ),
            SystemPolicyStatuses(_) => ("2.0", "/systems/{system_id}/policystatuses", SYSTEMS),
            SystemFdeKey(_) => ("2.0", "/systems/{system_id}/fdekey", SYSTEMS),
            SystemGroupList => ("2.0", "/systemgroups", GROUPS),
            SystemGroup(_) => ("2.0", "/systemgroups/{id}", GROUPS),
            SystemGroupMembers(_) => ("2.0", "/systemgroups/{group_id}/members", SYSTEMS),
            SystemGroupMembership(_) => ("2.0", "/systemgroups/{group_id}/membership", SYSTEMS),
            PolicyList => ("2.0", "/policies", SYSTEMS),
            Policy(_) => ("2.0", "/policies/{id}", SYSTEMS),
            PolicyStatuses(_) => ("2.0", "/policies/{policy_id}/policystatuses", SYSTEMS),
            PolicyResults => ("2.0", "/policyresults", SYSTEMS),
            LdapServerList => ("2.0", "/ldapservers", DIRECTORIES),
            LdapServer(_) => ("2.0", "/ldapservers/{id}", DIRECTORIES),
            LdapServerAssociations(_) => (
                "2.0",
                "/ldapservers/{ldapserver_id}/associations",
                &[
                    "associations.directories",
                    "associations.directories.readonly",
                    "associations",
                    "associations.readonly",
                ][..],
            ),
            LdapServerUserGroups(_) => ("2.0", "/ldapservers/{ldapserver_id}/usergroups", GROUPS),
            LdapServerUsers(_) => ("2.0", "/ldapservers/{ldapserver_id}/users", USERS),
            RadiusServerAssociations(_) => (
                "2.0",
                "/radiusservers/{radiusserver_id}/associations",
                &[
                    "associations.radius",
                    "associations.radius.readonly",
                    "associations",
                    "associations.readonly",
                ][..],
            ),
            RadiusServerUserGroups(_) => {
                ("2.0", "/radiusservers/{radiusserver_id}/usergroups", GROUPS)
            }
            RoleList => ("2.0", "/roles", ROLES),
            Role(_) => ("2.0", "/roles/{role_id}", ROLES),
            ServiceAccountList => (
                "2.0",
                "/service-accounts",
                &["serviceaccounts", "serviceaccounts.readonly"][..],
            ),
        };
        Some((version, path, scopes))
    }

    /// The scopes that let a key call this route (any one is enough). For the two undocumented
    /// routes these are this simulator's assumptions: `/api/settings` answers every key, and the
    /// administrator list answers keys that may read users.
    pub fn scopes(&self) -> Option<&'static [&'static str]> {
        match self {
            Route::Settings => None,
            Route::Admins => Some(&["users", "users.readonly"]),
            _ => self.documented().map(|(_, _, scopes)| scopes),
        }
    }

    pub fn is_association(&self) -> bool {
        matches!(
            self,
            Route::ApplicationAssociations(_)
                | Route::LdapServerAssociations(_)
                | Route::RadiusServerAssociations(_)
        )
    }
}

/// What a path needs, for tests that compare the simulator's routes with the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RouteScopes {
    /// Where the spec documents the route: its version (`1.0`, `2.0`) and path template.
    pub documented: Option<(&'static str, &'static str)>,
    /// Any one of these lets a key call it; `None`: every key may.
    pub scopes: Option<&'static [&'static str]>,
}

/// The scopes a GET of `path` needs in the simulator; `None` for a path it does not serve.
pub fn route_scopes(path: &str) -> Option<RouteScopes> {
    let route = Route::parse(path)?;
    Some(RouteScopes {
        documented: route.documented().map(|(version, path, _)| (version, path)),
        scopes: route.scopes(),
    })
}

/// What a data handler gets to work with.
pub struct Ctx<'a> {
    pub world: &'a World,
    pub org: &'a Org,
    pub params: &'a Params,
    /// The home region's root URL, for links back into the sim (logos).
    pub root_url: &'a str,
}

/// Answers a data route for the selected org.
pub fn handle_data(route: Route<'_>, ctx: &Ctx<'_>) -> Reply {
    match route.api() {
        Api::V1 => v1::handle(route, ctx),
        Api::V2 => v2::handle(route, ctx),
    }
}

/// One page of `total` records, `record(i)` building the i-th in id order.
pub fn page(
    api: Api,
    params: &Params,
    total: usize,
    record: impl Fn(usize) -> Option<Value>,
) -> Reply {
    let query = match params.list_query(api) {
        Ok(q) => q,
        Err(reply) => return reply,
    };
    let results: Vec<Value> = query
        .window(total)
        .into_iter()
        .filter_map(&record)
        .map(|r| query.project(r))
        .collect();
    match api {
        Api::V1 => Reply::v1_list(total, results),
        Api::V2 => Reply::v2_list(total, results),
    }
}

pub fn page_of<T>(api: Api, params: &Params, items: &[T], to_json: impl Fn(&T) -> Value) -> Reply {
    page(api, params, items.len(), |i| items.get(i).map(&to_json))
}

/// One record, projected by `fields` when asked.
pub fn single(api: Api, params: &Params, record: Value) -> Reply {
    match params.fields(api) {
        Some(fields) => Reply::ok(&crate::wire::project(&record, &fields)),
        None => Reply::ok(&record),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_map_to_routes() {
        assert_eq!(
            Route::parse("/api/organizations/"),
            Some(Route::OrganizationList)
        );
        assert_eq!(
            Route::parse("/api/v2/usergroups/abc/membership"),
            Some(Route::UserGroupMembership("abc"))
        );
        assert_eq!(
            Route::parse("/api/v2/logos/x").map(|r| r.access()),
            Some(Access::Anonymous)
        );
        assert_eq!(Route::parse("/api"), None);
        assert_eq!(Route::parse("/"), None);
        assert_eq!(Route::parse("/api/v2/nope"), None);
    }
}
