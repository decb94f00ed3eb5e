//! User groups (some nested inside others, one empty) and device groups.

use serde_json::{json, Value};

use super::clock::DAY_MS;
use super::ids::{IdFactory, ObjectId};
use super::names::EXTRA_GROUP_NAMES;
use super::rng::Rng;
use super::systems::{Os, System};
use super::users::User;
use super::{Org, Record};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupAttributes {
    None,
    SudoAndLdap,
}

#[derive(Debug, Clone)]
pub struct UserGroup {
    pub id: ObjectId,
    pub name: String,
    pub description: &'static str,
    /// Direct user members (indexes into the org's users, ascending).
    pub users: Vec<u32>,
    /// User groups that are members of this one (indexes into the org's user groups).
    pub groups: Vec<u32>,
    pub dynamic: bool,
    pub attributes: GroupAttributes,
}

impl Record for UserGroup {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl UserGroup {
    pub fn to_json(&self, org: &Org) -> Value {
        let attributes = match self.attributes {
            GroupAttributes::None => Value::Null,
            GroupAttributes::SudoAndLdap => json!({
                "sudo": {"enabled": true, "withoutPassword": false},
                "ldapGroups": [{"name": self.name.to_lowercase().replace(' ', "-")}],
            }),
        };
        let (method, query) = if self.dynamic {
            (
                "DYNAMIC_AUTOMATED",
                json!({"queryType": "FilterQuery", "filters": [{"field": "state", "operator": "eq", "value": "ACTIVATED"}]}),
            )
        } else {
            ("STATIC", Value::Null)
        };
        json!({
            "attributes": attributes,
            "description": self.description,
            "email": "",
            "id": self.id.to_string(),
            "memberQuery": query,
            "memberQueryExemptions": [],
            "memberSuggestionsNotify": false,
            "membershipMethod": method,
            "name": self.name,
            "organizationObjectId": org.id.to_string(),
            "suggestionCounts": {"add": 0, "remove": 0, "total": 0},
            "type": "user_group",
        })
    }
}

/// Layout for `count` groups: 0 "All Staff"; 1 "Engineering" containing 2 "Platform Team" containing
/// 3 "On-Call"; 4 "Sales"; more department groups; the last one is always empty.
pub fn generate_user_groups(
    count: usize,
    users: &[User],
    ids: &mut IdFactory,
    rng: &mut Rng,
    org_created_ms: i64,
) -> Vec<UserGroup> {
    let empty = if count >= 2 { Some(count - 1) } else { None };
    let in_dept = |dept: usize| -> Vec<u32> {
        users
            .iter()
            .enumerate()
            .filter(|(_, u)| u.department == dept)
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    };
    let engineering = in_dept(0);
    let mut groups = Vec::with_capacity(count);
    for g in 0..count {
        let created_ms = org_created_ms + DAY_MS * (2 + i64::try_from(g).unwrap_or(0));
        let nests = |child: usize| child < count && Some(child) != empty;
        let (name, description, members, nested, dynamic, attributes) = if Some(g) == empty {
            (
                "Former Contractors".to_string(),
                "Nobody is left in here.",
                Vec::new(),
                Vec::new(),
                false,
                GroupAttributes::None,
            )
        } else {
            match g {
                0 => (
                    "All Staff".to_string(),
                    "Every active employee.",
                    users
                        .iter()
                        .enumerate()
                        .filter(|(_, u)| !u.is_suspended())
                        .filter_map(|(i, _)| u32::try_from(i).ok())
                        .collect(),
                    Vec::new(),
                    true,
                    GroupAttributes::None,
                ),
                1 => (
                    "Engineering".to_string(),
                    "Engineers, including the Platform Team group.",
                    engineering.clone(),
                    if nests(2) { vec![2] } else { Vec::new() },
                    false,
                    GroupAttributes::SudoAndLdap,
                ),
                2 => (
                    "Platform Team".to_string(),
                    "Platform engineers, including the On-Call group.",
                    engineering.iter().copied().step_by(2).collect(),
                    if nests(3) { vec![3] } else { Vec::new() },
                    false,
                    GroupAttributes::None,
                ),
                3 => (
                    "On-Call".to_string(),
                    "Whoever carries the pager.",
                    engineering.iter().copied().step_by(4).take(10).collect(),
                    Vec::new(),
                    false,
                    GroupAttributes::None,
                ),
                4 => (
                    "Sales".to_string(),
                    "The sales team.",
                    in_dept(1),
                    Vec::new(),
                    false,
                    GroupAttributes::None,
                ),
                _ => {
                    let extra = g - 5;
                    match EXTRA_GROUP_NAMES.get(extra) {
                        Some(name) => (
                            name.to_string(),
                            "A department group.",
                            in_dept(extra + 2),
                            Vec::new(),
                            false,
                            GroupAttributes::None,
                        ),
                        None => {
                            let share = 2 + rng.below(8);
                            let members = (0..users.len())
                                .filter(|_| rng.percent(share))
                                .filter_map(|i| u32::try_from(i).ok())
                                .collect();
                            (
                                format!("Project {}", g - 4),
                                "A project team.",
                                members,
                                Vec::new(),
                                false,
                                GroupAttributes::None,
                            )
                        }
                    }
                }
            }
        };
        groups.push(UserGroup {
            id: ids.next(created_ms),
            name,
            description,
            users: members,
            groups: nested
                .into_iter()
                .filter_map(|n: usize| u32::try_from(n).ok())
                .collect(),
            dynamic,
            attributes,
        });
    }
    groups
}

#[derive(Debug, Clone)]
pub struct SystemGroup {
    pub id: ObjectId,
    pub name: String,
    pub description: &'static str,
    /// Member systems (indexes into the org's systems, ascending).
    pub systems: Vec<u32>,
}

impl Record for SystemGroup {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl SystemGroup {
    pub fn to_json(&self, org: &Org) -> Value {
        json!({
            "attributes": null,
            "description": self.description,
            "email": "",
            "id": self.id.to_string(),
            "memberQuery": null,
            "memberQueryExemptions": [],
            "memberSuggestionsNotify": false,
            "membershipMethod": "STATIC",
            "name": self.name,
            "organizationObjectId": org.id.to_string(),
            "type": "system_group",
        })
    }
}

/// One group per OS family first, then rings that split the fleet.
pub fn generate_system_groups(
    count: usize,
    systems: &[System],
    ids: &mut IdFactory,
    org_created_ms: i64,
) -> Vec<SystemGroup> {
    let by_os = |os: Os| -> Vec<u32> {
        systems
            .iter()
            .enumerate()
            .filter(|(_, s)| s.os == os)
            .filter_map(|(i, _)| u32::try_from(i).ok())
            .collect()
    };
    // Rings split the fleet round-robin; built in one pass since there can be thousands of them.
    let mut rings: Vec<Vec<u32>> = vec![Vec::new(); count];
    for i in 0..systems.len() {
        if let (Some(ring), Ok(index)) = (rings.get_mut(i % count.max(1)), u32::try_from(i)) {
            ring.push(index);
        }
    }
    (0..count)
        .map(|g| {
            let created_ms = org_created_ms + DAY_MS * (30 + i64::try_from(g).unwrap_or(0));
            let (name, description, members) = match g {
                0 => ("Mac Fleet".to_string(), "Every Mac.", by_os(Os::Mac)),
                1 => (
                    "Windows Laptops".to_string(),
                    "Every Windows device.",
                    by_os(Os::Windows),
                ),
                2 => (
                    "Linux Servers".to_string(),
                    "Every Linux host.",
                    by_os(Os::Linux),
                ),
                _ => (
                    format!("Update Ring {}", g - 2),
                    "Devices that take updates together.",
                    rings.get_mut(g).map(std::mem::take).unwrap_or_default(),
                ),
            };
            SystemGroup {
                id: ids.next(created_ms),
                name,
                description,
                systems: members,
            }
        })
        .collect()
}
