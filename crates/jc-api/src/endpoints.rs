//! Each JumpCloud route the product reads, as a small type naming its entry in the call table
//! ([`crate::calls`]): the table decides the path, the paging and the parameters.

use serde::de::DeserializeOwned;

use crate::calls::{self, Call};
use crate::model::*;
use crate::paging::ListEndpoint;
use crate::{Client, Error, ResponseDetail};

/// A route that returns one JSON document.
pub trait Endpoint {
    type Output: DeserializeOwned;
    /// The table entry this route is.
    const CALL: &'static Call;
    /// The ids that fill the path's placeholders, in order.
    fn ids(&self) -> Vec<&str> {
        Vec::new()
    }
    fn query(&self) -> Vec<(&'static str, String)> {
        Vec::new()
    }
}

impl Client {
    pub async fn fetch<E: Endpoint>(&self, endpoint: &E) -> Result<E::Output, Error> {
        self.fetch_with_detail(endpoint)
            .await
            .map(|(output, _)| output)
    }

    /// The document and the evidence of the request that fetched it.
    pub async fn fetch_with_detail<E: Endpoint>(
        &self,
        endpoint: &E,
    ) -> Result<(E::Output, ResponseDetail), Error> {
        let path = E::CALL.path_for(&endpoint.ids())?;
        let query = endpoint.query();
        debug_assert!(
            query.iter().all(|(name, _)| E::CALL.sends(name)),
            "{} sends only the parameters its table entry lists",
            E::CALL.path
        );
        let response = self.get(E::CALL, &path, &query).await?;
        let output = crate::client::decode(&response.body, &response.detail)?;
        Ok((output, response.detail))
    }
}

/// A list route with a fixed path.
macro_rules! list_route {
    ($(#[$doc:meta])* $name:ident, $call:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl ListEndpoint for $name {
            type Item = $item;
            const CALL: &'static Call = &calls::$call;
        }
    };
}

/// A list route beneath one object, e.g. `/api/v2/usergroups/{group_id}/members`.
macro_rules! sub_route {
    ($(#[$doc:meta])* $name:ident, $call:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub String);
        impl ListEndpoint for $name {
            type Item = $item;
            const CALL: &'static Call = &calls::$call;
            fn ids(&self) -> Vec<&str> {
                vec![&self.0]
            }
        }
    };
}

list_route!(
    /// The orgs this key reaches; never sent with `x-org-id`. `totalCount > 1` means multi-tenant.
    ListOrganizations, ORGANIZATIONS, OrgSummary
);
list_route!(
    /// Roles with their scopes, built-in and custom.
    ListRoles, ROLES, Role
);
list_route!(
    /// The organization's service accounts, with their secrets' client IDs, key prefixes and
    /// expiry (never the secrets). Paged like V1 lists: `{results, totalCount}`.
    ListServiceAccounts, SERVICE_ACCOUNTS, ServiceAccount
);
list_route!(
    /// Users; collection asks for the fields it keeps by name.
    ListSystemUsers, USERS, SystemUser
);
list_route!(ListUserGroups, USER_GROUPS, Group);
list_route!(ListSystemGroups, DEVICE_GROUPS, Group);
list_route!(
    /// Administrators: undocumented, but what JumpCloud's own module and CLI use.
    ListAdmins, ADMINS, Admin
);
list_route!(ListSystems, DEVICES, System);
list_route!(ListPolicies, POLICIES, Policy);
list_route!(ListPolicyResults, POLICY_RESULTS, PolicyResult);
list_route!(ListLdapServers, LDAP_SERVERS, LdapServer);

sub_route!(ListUserGroupMembers, USER_GROUP_MEMBERS, GraphConnection);
sub_route!(ListUserGroupMembership, USER_GROUP_MEMBERSHIP, GraphObject);
sub_route!(ListAppUserGroups, APP_USER_GROUPS, GraphObject);
sub_route!(ListAppUsers, APP_USERS, GraphObject);
sub_route!(
    ListSystemGroupMembers,
    DEVICE_GROUP_MEMBERS,
    GraphConnection
);
sub_route!(ListLdapServerUserGroups, LDAP_USER_GROUPS, GraphObject);
sub_route!(ListLdapServerUsers, LDAP_USERS, GraphObject);
sub_route!(ListRadiusServerUserGroups, RADIUS_USER_GROUPS, GraphObject);
sub_route!(ListPolicyStatuses, POLICY_STATUSES, PolicyResult);

/// `GET /api/organizations/{id}`, never sent with `x-org-id`.
#[derive(Debug, Clone)]
pub struct GetOrganization(pub String);

impl Endpoint for GetOrganization {
    type Output = Organization;
    const CALL: &'static Call = &calls::ORGANIZATION;
    fn ids(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `GET /api/systemusers/{id}`: one user, e.g. a manager not in the page at hand.
#[derive(Debug, Clone)]
pub struct GetSystemUser(pub String);

impl Endpoint for GetSystemUser {
    type Output = SystemUser;
    const CALL: &'static Call = &calls::USER;
    fn ids(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `GET /api/v2/roles/{role_id}`: one role with its scopes.
#[derive(Debug, Clone)]
pub struct GetRole(pub String);

impl Endpoint for GetRole {
    type Output = Role;
    const CALL: &'static Call = &calls::ROLE;
    fn ids(&self) -> Vec<&str> {
        vec![&self.0]
    }
}

/// `GET /api/settings`: undocumented, the only known source of the key's role name.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetSettings;

impl Endpoint for GetSettings {
    type Output = Settings;
    const CALL: &'static Call = &calls::SETTINGS;
}

/// SSO applications. `fields=` keeps `config` (certificates, private keys) off the wire.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListApplications;

pub const APPLICATION_FIELDS: &str =
    "_id id name displayName displayLabel active sso logo ssoUrl created";

impl ListEndpoint for ListApplications {
    type Item = Application;
    const CALL: &'static Call = &calls::APPLICATIONS;
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![("fields", APPLICATION_FIELDS.to_owned())]
    }
}

/// RADIUS servers. `fields=` keeps `sharedSecret` off the wire.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListRadiusServers;

pub const RADIUS_FIELDS: &str =
    "_id id name networkSourceIp mfa authIdp userLockoutAction userPasswordExpirationAction";

impl ListEndpoint for ListRadiusServers {
    type Item = RadiusServer;
    const CALL: &'static Call = &calls::RADIUS_SERVERS;
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![("fields", RADIUS_FIELDS.to_owned())]
    }
}

/// What an association route links an object to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    User,
    UserGroup,
}

impl Target {
    fn as_str(self) -> &'static str {
        match self {
            Target::User => "user",
            Target::UserGroup => "user_group",
        }
    }
}

/// `GET /api/v2/applications/{id}/associations?targets=...`: direct bindings. Read-only keys are
/// refused on some association routes; the traversal routes are the fallback.
#[derive(Debug, Clone)]
pub struct ListAppAssociations {
    pub app_id: String,
    pub target: Target,
}

impl ListEndpoint for ListAppAssociations {
    type Item = GraphConnection;
    const CALL: &'static Call = &calls::APP_ASSOCIATIONS;
    fn ids(&self) -> Vec<&str> {
        vec![&self.app_id]
    }
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![("targets", self.target.as_str().to_owned())]
    }
}

/// A direct-binding (association) route under one object, e.g.
/// `GET /api/v2/ldapservers/{id}/associations?targets=user_group`.
macro_rules! association_route {
    ($(#[$doc:meta])* $name:ident, $call:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            pub id: String,
            pub target: Target,
        }
        impl ListEndpoint for $name {
            type Item = GraphConnection;
            const CALL: &'static Call = &calls::$call;
            fn ids(&self) -> Vec<&str> {
                vec![&self.id]
            }
            fn query(&self) -> Vec<(&'static str, String)> {
                vec![("targets", self.target.as_str().to_owned())]
            }
        }
    };
}

association_route!(
    /// LDAP server bindings; refused for some read-only keys (traversal routes are the fallback).
    ListLdapServerAssociations,
    LDAP_ASSOCIATIONS
);
association_route!(
    /// RADIUS server bindings; refused for some read-only keys (traversal routes are the fallback).
    ListRadiusServerAssociations,
    RADIUS_ASSOCIATIONS
);
