//! What each call reads: the organizations the key reaches, the key's role, or one kind of
//! data (two sub-lists apart, as a role can be refused them separately). The words for people
//! live with the checks and the permission view, in `onboard`.

/// What a call reads: every call in the table serves exactly one area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Area {
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

impl Area {
    /// The kinds of data an integration collects, each proved readable by its own access check,
    /// in the order they are checked.
    pub const DATA: [Area; 12] = [
        Area::Users,
        Area::UserGroups,
        Area::GroupMembers,
        Area::Admins,
        Area::Applications,
        Area::AppAccess,
        Area::Devices,
        Area::DeviceGroups,
        Area::Policies,
        Area::PolicyResults,
        Area::LdapServers,
        Area::RadiusServers,
    ];

    /// Every area, the connection's own two first: the rows of the permission view.
    pub fn every() -> impl Iterator<Item = Area> {
        [Area::Organizations, Area::Role]
            .into_iter()
            .chain(Area::DATA)
    }

    /// The stable name: `users`, `group_members`.
    pub fn key(self) -> &'static str {
        match self {
            Area::Organizations => "organizations",
            Area::Role => "role",
            Area::Users => "users",
            Area::UserGroups => "user_groups",
            Area::GroupMembers => "group_members",
            Area::Admins => "admins",
            Area::Applications => "applications",
            Area::AppAccess => "app_access",
            Area::Devices => "devices",
            Area::DeviceGroups => "device_groups",
            Area::Policies => "policies",
            Area::PolicyResults => "policy_results",
            Area::LdapServers => "ldap_servers",
            Area::RadiusServers => "radius_servers",
        }
    }
}
