//! Each JumpCloud route the wizard reads, as a small type: its path, query and item shape, as
//! JumpCloud's V1 and V2 APIs document them.

use serde::de::DeserializeOwned;

use crate::model::*;
use crate::paging::{ListEndpoint, PageStyle};
use crate::{Client, Error, ResponseDetail};

/// A route that returns one JSON document.
pub trait Endpoint {
    type Output: DeserializeOwned;
    fn path(&self) -> String;
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
        let response = self.get(&endpoint.path(), &endpoint.query()).await?;
        let output = crate::client::decode(&response.body, &response.detail)?;
        Ok((output, response.detail))
    }
}

/// A list route with a fixed path.
macro_rules! list_route {
    ($(#[$doc:meta])* $name:ident, $style:ident, $path:literal, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;
        impl ListEndpoint for $name {
            type Item = $item;
            const STYLE: PageStyle = PageStyle::$style;
            fn path(&self) -> String {
                $path.to_owned()
            }
        }
    };
}

/// A traversal route under one object (`/api/v2/{kind}/{id}/{what}`): ids only, no sort.
macro_rules! traversal_route {
    ($(#[$doc:meta])* $name:ident, $parent:literal, $child:literal, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name(pub String);
        impl ListEndpoint for $name {
            type Item = $item;
            const STYLE: PageStyle = PageStyle::V2;
            fn path(&self) -> String {
                format!(concat!("/api/v2/", $parent, "/{}/", $child), self.0)
            }
            fn sortable(&self) -> bool {
                false
            }
        }
    };
}

list_route!(
    /// The orgs this key reaches; never sent with `x-org-id`. `totalCount > 1` means multi-tenant.
    ListOrganizations, V1, "/api/organizations", OrgSummary
);
list_route!(ListUserGroups, V2, "/api/v2/usergroups", Group);
list_route!(ListSystemGroups, V2, "/api/v2/systemgroups", Group);
list_route!(
    /// Administrators: undocumented, but what JumpCloud's own module and CLI use.
    ListAdmins, V1, "/api/users", Admin
);
list_route!(ListSystems, V1, "/api/systems", System);
list_route!(ListPolicies, V2, "/api/v2/policies", Policy);
list_route!(ListPolicyResults, V2, "/api/v2/policyresults", PolicyResult);
list_route!(ListLdapServers, V2, "/api/v2/ldapservers", LdapServer);

traversal_route!(
    ListUserGroupMembers,
    "usergroups",
    "members",
    GraphConnection
);
traversal_route!(
    ListUserGroupMembership,
    "usergroups",
    "membership",
    GraphObject
);
traversal_route!(ListAppUserGroups, "applications", "usergroups", GraphObject);
traversal_route!(ListAppUsers, "applications", "users", GraphObject);
traversal_route!(
    ListSystemGroupMembers,
    "systemgroups",
    "members",
    GraphConnection
);
traversal_route!(
    ListSystemGroupMembership,
    "systemgroups",
    "membership",
    GraphObject
);
traversal_route!(
    ListLdapServerUserGroups,
    "ldapservers",
    "usergroups",
    GraphObject
);
traversal_route!(ListLdapServerUsers, "ldapservers", "users", GraphObject);
traversal_route!(
    ListRadiusServerUserGroups,
    "radiusservers",
    "usergroups",
    GraphObject
);
traversal_route!(
    ListPolicyStatuses,
    "policies",
    "policystatuses",
    PolicyResult
);

/// `GET /api/organizations/{id}`, never sent with `x-org-id`.
#[derive(Debug, Clone)]
pub struct GetOrganization(pub String);

impl Endpoint for GetOrganization {
    type Output = Organization;
    fn path(&self) -> String {
        format!("/api/organizations/{}", self.0)
    }
}

/// `GET /api/systemusers/{id}`: one user, e.g. a manager not in the page at hand.
#[derive(Debug, Clone)]
pub struct GetSystemUser(pub String);

impl Endpoint for GetSystemUser {
    type Output = SystemUser;
    fn path(&self) -> String {
        format!("/api/systemusers/{}", self.0)
    }
}

/// `GET /api/settings`: undocumented, the only known source of the key's role.
#[derive(Debug, Clone, Copy, Default)]
pub struct GetSettings;

impl Endpoint for GetSettings {
    type Output = Settings;
    fn path(&self) -> String {
        "/api/settings".to_owned()
    }
}

/// Users, with every field we read asked for by name.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListSystemUsers;

impl ListEndpoint for ListSystemUsers {
    type Item = SystemUser;
    const STYLE: PageStyle = PageStyle::V1;
    fn path(&self) -> String {
        "/api/systemusers".to_owned()
    }
}

/// SSO applications. `fields=` keeps `config` (certificates, private keys) off the wire.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListApplications;

pub const APPLICATION_FIELDS: &str =
    "_id id name displayName displayLabel active sso logo ssoUrl created";

impl ListEndpoint for ListApplications {
    type Item = Application;
    const STYLE: PageStyle = PageStyle::V1;
    fn path(&self) -> String {
        "/api/applications".to_owned()
    }
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
    const STYLE: PageStyle = PageStyle::V1;
    fn path(&self) -> String {
        "/api/radiusservers".to_owned()
    }
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
    const STYLE: PageStyle = PageStyle::V2;
    fn path(&self) -> String {
        format!("/api/v2/applications/{}/associations", self.app_id)
    }
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![("targets", self.target.as_str().to_owned())]
    }
    fn sortable(&self) -> bool {
        false
    }
}

/// A direct-binding (association) route under one object, e.g.
/// `GET /api/v2/ldapservers/{id}/associations?targets=user_group`.
macro_rules! association_route {
    ($(#[$doc:meta])* $name:ident, $parent:literal) => {
        $(#[$doc])*
        #[derive(Debug, Clone)]
        pub struct $name {
            pub id: String,
            pub target: Target,
        }
        impl ListEndpoint for $name {
            type Item = GraphConnection;
            const STYLE: PageStyle = PageStyle::V2;
            fn path(&self) -> String {
                format!(concat!("/api/v2/", $parent, "/{}/associations"), self.id)
            }
            fn query(&self) -> Vec<(&'static str, String)> {
                vec![("targets", self.target.as_str().to_owned())]
            }
            fn sortable(&self) -> bool {
                false
            }
        }
    };
}

association_route!(
    /// LDAP server bindings; refused for some read-only keys (traversal routes are the fallback).
    ListLdapServerAssociations,
    "ldapservers"
);
association_route!(
    /// RADIUS server bindings; refused for some read-only keys (traversal routes are the fallback).
    ListRadiusServerAssociations,
    "radiusservers"
);
