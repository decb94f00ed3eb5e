//! The kinds of data the product reads, as the call table, the checks and the permission view
//! name them.

/// One kind of data: every call in the table serves exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    /// The organizations the key reaches: how the key and the organization are tested.
    Organizations,
    /// The key's role and its permissions.
    Role,
    Users,
    UserGroups,
    GroupMembers,
    Admins,
    Applications,
    AppAccess,
    Devices,
    DeviceGroups,
    Policies,
    PolicyResults,
    LdapServers,
    RadiusServers,
}

impl Category {
    /// The data categories an integration collects, each proved readable by its own access check,
    /// in the order they are checked.
    pub const ALL: [Category; 12] = [
        Category::Users,
        Category::UserGroups,
        Category::GroupMembers,
        Category::Admins,
        Category::Applications,
        Category::AppAccess,
        Category::Devices,
        Category::DeviceGroups,
        Category::Policies,
        Category::PolicyResults,
        Category::LdapServers,
        Category::RadiusServers,
    ];

    /// Every category, the connection's own two first: the rows of the permission view.
    pub fn every() -> impl Iterator<Item = Category> {
        [Category::Organizations, Category::Role]
            .into_iter()
            .chain(Category::ALL)
    }

    pub fn key(self) -> &'static str {
        match self {
            Category::Organizations => "organizations",
            Category::Role => "role",
            Category::Users => "users",
            Category::UserGroups => "user_groups",
            Category::GroupMembers => "group_members",
            Category::Admins => "admins",
            Category::Applications => "applications",
            Category::AppAccess => "app_access",
            Category::Devices => "devices",
            Category::DeviceGroups => "device_groups",
            Category::Policies => "policies",
            Category::PolicyResults => "policy_results",
            Category::LdapServers => "ldap_servers",
            Category::RadiusServers => "radius_servers",
        }
    }

    /// The check that proves this category readable.
    pub fn check_id(self) -> String {
        match self {
            Category::Organizations => "key.accepted".to_owned(),
            Category::Role => "role.least_privilege".to_owned(),
            _ => format!("access.{}", self.key()),
        }
    }

    /// What it is, in the words of a sentence: "users", "SSO applications".
    pub fn noun(self) -> &'static str {
        match self {
            Category::Organizations => "the organizations this key reaches",
            Category::Role => "the key's role and its permissions",
            Category::Users => "users",
            Category::UserGroups => "user groups",
            Category::GroupMembers => "group memberships",
            Category::Admins => "administrators and their roles",
            Category::Applications => "SSO applications",
            Category::AppAccess => "which groups can use each application",
            Category::Devices => "devices",
            Category::DeviceGroups => "device groups",
            Category::Policies => "device policies",
            Category::PolicyResults => "policy results",
            Category::LdapServers => "LDAP servers",
            Category::RadiusServers => "RADIUS servers",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Category::Organizations => "Organizations can be read",
            Category::Role => "The key's role can be read",
            Category::Users => "Users can be read",
            Category::UserGroups => "User groups can be read",
            Category::GroupMembers => "Group members can be read",
            Category::Admins => "Administrators can be read",
            Category::Applications => "SSO applications can be read",
            Category::AppAccess => "Application access can be read",
            Category::Devices => "Devices can be read",
            Category::DeviceGroups => "Device groups can be read",
            Category::Policies => "Device policies can be read",
            Category::PolicyResults => "Policy results can be read",
            Category::LdapServers => "LDAP servers can be read",
            Category::RadiusServers => "RADIUS servers can be read",
        }
    }

    /// The category's name on its own, for tables: "Users", "SSO applications".
    pub fn label(self) -> &'static str {
        self.title().trim_end_matches(" can be read")
    }

    /// Without the organizations (the key's test) and users there is nothing to onboard; every
    /// other category can be missing.
    pub fn mandatory(self) -> bool {
        matches!(self, Category::Organizations | Category::Users)
    }
}
