//! The kinds of data an organization holds, named once: what the checks probe, the preview
//! counts, the collection gathers and the app's tables show.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// One kind of data, in the order categories are reported.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Category {
    Organizations,
    Users,
    UserGroups,
    Admins,
    Applications,
    Devices,
    DeviceGroups,
    Policies,
    PolicyResults,
    LdapServers,
    RadiusServers,
}

impl Category {
    pub const ALL: [Category; 11] = [
        Category::Organizations,
        Category::Users,
        Category::UserGroups,
        Category::Admins,
        Category::Applications,
        Category::Devices,
        Category::DeviceGroups,
        Category::Policies,
        Category::PolicyResults,
        Category::LdapServers,
        Category::RadiusServers,
    ];

    /// The stable name: file names, check ids, `--categories`, the IPC.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Organizations => "organizations",
            Category::Users => "users",
            Category::UserGroups => "user_groups",
            Category::Admins => "admins",
            Category::Applications => "applications",
            Category::Devices => "devices",
            Category::DeviceGroups => "device_groups",
            Category::Policies => "policies",
            Category::PolicyResults => "policy_results",
            Category::LdapServers => "ldap_servers",
            Category::RadiusServers => "radius_servers",
        }
    }

    /// Plain words inside a sentence: "user groups", "SSO applications".
    pub fn label(self) -> &'static str {
        match self {
            Category::Organizations => "organizations",
            Category::Users => "users",
            Category::UserGroups => "user groups",
            Category::Admins => "administrators",
            Category::Applications => "SSO applications",
            Category::Devices => "devices",
            Category::DeviceGroups => "device groups",
            Category::Policies => "device policies",
            Category::PolicyResults => "policy results",
            Category::LdapServers => "LDAP servers",
            Category::RadiusServers => "RADIUS servers",
        }
    }

    /// The words on their own, as a heading: "User groups", "SSO applications".
    pub fn title(self) -> String {
        let label = self.label();
        let mut chars = label.chars();
        match chars.next() {
            Some(first) => first.to_uppercase().chain(chars).collect(),
            None => String::new(),
        }
    }
}

impl fmt::Display for Category {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown category {given:?}; choose from: {}", Category::ALL.map(Category::as_str).join(", "))]
pub struct UnknownCategory {
    pub given: String,
}

impl FromStr for Category {
    type Err = UnknownCategory;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().replace('-', "_");
        Category::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(&wanted))
            .ok_or_else(|| UnknownCategory {
                given: s.to_owned(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_headings_keep_acronyms() {
        for category in Category::ALL {
            assert_eq!(
                category.as_str().parse::<Category>(),
                Ok(category),
                "every stable name parses back"
            );
            let json = serde_json::to_value(category).expect("serializes");
            assert_eq!(
                json,
                category.as_str(),
                "the IPC and files use the stable name"
            );
        }
        assert_eq!(Category::UserGroups.title(), "User groups");
        assert_eq!(Category::Applications.title(), "SSO applications");
        assert_eq!(Category::LdapServers.title(), "LDAP servers");
        assert_eq!("user-groups".parse::<Category>(), Ok(Category::UserGroups));
        assert!("members".parse::<Category>().is_err());
    }
}
