//! System users (the people in the directory) and admins (the console accounts, one of them the key's).

use serde_json::{json, Value};

use super::clock::{iso_ms, DAY_MS};
use super::ids::{IdFactory, ObjectId};
use super::names::{DEPARTMENTS, FIRST_NAMES, JOB_TITLES, LAST_NAMES, LOCATIONS};
use super::rng::Rng;
use super::{Org, Record};

const NAME_COMBOS: usize = FIRST_NAMES.len() * LAST_NAMES.len();
// Coprime with NAME_COMBOS, so the first NAME_COMBOS users all get distinct names.
const NAME_STRIDE: usize = 1009;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UserState {
    Activated,
    Staged,
    Suspended,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EmailStyle {
    Plain,
    MixedCase,
    Contractor,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Manager {
    None,
    User(u32),
    /// Points at an id no user has, like a manager who was deleted.
    Missing(ObjectId),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recovery {
    None,
    Unverified,
    Verified,
}

#[derive(Debug, Clone)]
pub struct User {
    pub id: ObjectId,
    pub created_ms: i64,
    pub first: &'static str,
    pub last: &'static str,
    pub name_suffix: u32,
    pub email_style: EmailStyle,
    pub department: usize,
    pub location: usize,
    pub state: UserState,
    pub account_locked: bool,
    pub mfa_configured: bool,
    pub mfa_excluded: bool,
    pub totp_enabled: bool,
    pub employee_number: Option<u32>,
    pub manager: Manager,
    pub manager_email_attribute: bool,
    /// A `managerName` attribute holding the manager's full name (the manager-names scenario).
    pub manager_name_attribute: bool,
    pub cost_center: Option<u32>,
    pub alternate_email: bool,
    pub recovery: Recovery,
    pub password_never_expires: bool,
}

impl Record for User {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl User {
    pub fn username(&self) -> String {
        let base = format!("{}.{}", self.first, self.last).to_lowercase();
        match self.name_suffix {
            0 => base,
            n => format!("{base}{n}"),
        }
    }

    pub fn email(&self, org: &Org) -> String {
        let suffix = match self.name_suffix {
            0 => String::new(),
            n => n.to_string(),
        };
        match self.email_style {
            EmailStyle::Plain => format!("{}@{}", self.username(), org.domain),
            EmailStyle::MixedCase => format!("{}.{}{suffix}@{}", self.first, self.last, org.domain),
            EmailStyle::Contractor => format!("{}@contractor.example.net", self.username()),
        }
    }

    pub fn department_name(&self) -> &'static str {
        DEPARTMENTS.get(self.department).copied().unwrap_or("")
    }

    pub fn is_suspended(&self) -> bool {
        self.state == UserState::Suspended
    }

    pub fn to_json(&self, org: &Org) -> Value {
        let email = self.email(org);
        let id = self.id.to_string();
        let (state, activated) = match self.state {
            UserState::Activated => ("ACTIVATED", true),
            UserState::Staged => ("STAGED", false),
            UserState::Suspended => ("SUSPENDED", true),
        };
        let manager_user = match self.manager {
            Manager::User(index) => org.data.users.get(index as usize),
            _ => None,
        };
        let mut attributes = Vec::new();
        if let Some(cc) = self.cost_center {
            attributes.push(json!({"name": "costCenter", "value": format!("CC-{cc}")}));
        }
        if self.manager_email_attribute {
            let manager_email = match (self.manager, manager_user) {
                (_, Some(m)) => Some(m.email(org)),
                (Manager::Missing(_), None) => Some(format!("former.manager@{}", org.domain)),
                _ => None,
            };
            if let Some(value) = manager_email {
                attributes.push(json!({"name": "managerEmail", "value": value}));
            }
        }
        if let (true, Some(m)) = (self.manager_name_attribute, manager_user) {
            attributes
                .push(json!({"name": "managerName", "value": format!("{} {}", m.first, m.last)}));
        }
        let enrolled = |on: bool| if on { "ENROLLED" } else { "NOT_ENROLLED" };
        let mut user = json!({
            "_id": id,
            "id": id,
            "account_locked": self.account_locked,
            "account_locked_date": if self.account_locked { Value::from(iso_ms(org.now_ms - 2 * DAY_MS)) } else { Value::Null },
            "activated": activated,
            "addresses": [],
            "allow_public_key": true,
            "alternateEmail": if self.alternate_email { format!("{}.{}@personal.example.org", self.first, self.last).to_lowercase() } else { String::new() },
            "attributes": attributes,
            "badLoginAttempts": if self.account_locked { 10 } else { 0 },
            "company": org.name,
            "costCenter": "",
            "created": iso_ms(self.created_ms),
            "creationSource": "manual",
            "department": self.department_name(),
            "description": "",
            "disableDeviceMaxLoginAttempts": false,
            "displayname": format!("{} {}", self.first, self.last),
            "email": email,
            "employeeIdentifier": self.employee_number.map_or(Value::Null, |n| Value::from(format!("E{n:06}"))),
            "employeeType": if self.email_style == EmailStyle::Contractor { "Contractor" } else { "Full-time" },
            "enable_managed_uid": false,
            "enable_user_portal_multifactor": self.mfa_configured,
            "external_dn": "",
            "external_source_type": "",
            "externally_managed": false,
            "firstname": self.first,
            "jobTitle": JOB_TITLES.get(self.department).copied().unwrap_or(""),
            "lastname": self.last,
            "ldap_binding_user": false,
            "location": LOCATIONS.get(self.location).copied().unwrap_or(""),
            "mfa": {"configured": self.mfa_configured, "exclusion": self.mfa_excluded},
            "mfaEnrollment": {
                "overallStatus": enrolled(self.mfa_configured),
                "pushStatus": enrolled(self.mfa_configured && !self.totp_enabled),
                "totpStatus": enrolled(self.totp_enabled),
                "webAuthnStatus": "NOT_ENROLLED",
            },
            "middlename": "",
            "organization": org.id.to_string(),
            "password_expiration_date": if self.password_never_expires { Value::Null } else { Value::from(iso_ms(org.now_ms + 60 * DAY_MS)) },
            "password_expired": false,
            "password_never_expires": self.password_never_expires,
            "passwordless_sudo": false,
            "phoneNumbers": [],
            "recoveryEmail": match self.recovery {
                Recovery::None => json!({"address": "", "verified": false}),
                Recovery::Unverified => json!({"address": email, "verified": false}),
                Recovery::Verified => json!({"address": email, "verified": true, "verifiedAt": iso_ms(self.created_ms + DAY_MS)}),
            },
            "relationships": [],
            "restrictedFields": [],
            "samba_service_user": false,
            "ssh_keys": [],
            "state": state,
            "sudo": false,
            "suspended": self.state == UserState::Suspended,
            "tags": [],
            "totp_enabled": self.totp_enabled,
            "unix_guid": 5000 + self.unix_offset(org),
            "unix_uid": 5000 + self.unix_offset(org),
            "username": self.username(),
        });
        match self.manager {
            Manager::None => {}
            Manager::User(_) => {
                if let (Some(obj), Some(m)) = (user.as_object_mut(), manager_user) {
                    obj.insert("manager".into(), Value::from(m.id.to_string()));
                }
            }
            Manager::Missing(missing) => {
                if let Some(obj) = user.as_object_mut() {
                    obj.insert("manager".into(), Value::from(missing.to_string()));
                }
            }
        }
        if self.mfa_excluded {
            if let Some(mfa) = user.get_mut("mfa").and_then(Value::as_object_mut) {
                mfa.insert(
                    "exclusionUntil".into(),
                    Value::from(iso_ms(org.now_ms + 14 * DAY_MS)),
                );
            }
        }
        user
    }

    fn unix_offset(&self, org: &Org) -> u64 {
        org.data
            .users
            .binary_search_by_key(&self.id, |u| u.id)
            .map_or(0, |i| i as u64)
    }
}

pub fn generate_users(
    count: usize,
    ids: &mut IdFactory,
    rng: &mut Rng,
    org_created_ms: i64,
    now_ms: i64,
) -> Vec<User> {
    let start = org_created_ms + DAY_MS;
    let end = (org_created_ms + 4 * 365 * DAY_MS)
        .min(now_ms - 7 * DAY_MS)
        .max(start + DAY_MS);
    let step = ((end - start) / i64::try_from(count.max(1)).unwrap_or(i64::MAX)).max(1);
    let name_offset = rng.below_usize(NAME_COMBOS);
    // Managers come from the first eighth of the directory, so reporting lines form a tree.
    let manager_pool = (count / 8).max(1);
    let mut users = Vec::with_capacity(count);
    for i in 0..count {
        let created_ms = start
            + step * i64::try_from(i).unwrap_or(0)
            + i64::try_from(rng.below(step as u64)).unwrap_or(0);
        let combo = (i * NAME_STRIDE + name_offset) % NAME_COMBOS;
        let state = match rng.below(100) {
            0..=84 => UserState::Activated,
            85..=92 => UserState::Staged,
            _ => UserState::Suspended,
        };
        let email_style = match rng.below(100) {
            0..=4 => EmailStyle::Contractor,
            5..=11 => EmailStyle::MixedCase,
            _ => EmailStyle::Plain,
        };
        let manager = if i % 17 == 7 {
            Manager::Missing(ids.next(created_ms))
        } else if i == 0 || rng.percent(12) {
            Manager::None
        } else {
            Manager::User(u32::try_from(rng.below_usize(manager_pool.min(i))).unwrap_or(0))
        };
        let mfa_configured = rng.percent(70);
        users.push(User {
            id: ids.next(created_ms),
            created_ms,
            first: FIRST_NAMES
                .get(combo % FIRST_NAMES.len())
                .copied()
                .unwrap_or("Alex"),
            last: LAST_NAMES
                .get(combo / FIRST_NAMES.len())
                .copied()
                .unwrap_or("Doe"),
            name_suffix: u32::try_from(i / NAME_COMBOS)
                .map_or(0, |n| if n == 0 { 0 } else { n + 1 }),
            email_style,
            // Engineering and Sales are the big departments.
            department: match rng.below(10) {
                0..=3 => 0,
                4..=5 => 1,
                _ => rng.below_usize(DEPARTMENTS.len()),
            },
            location: rng.below_usize(LOCATIONS.len()),
            state,
            account_locked: rng.percent(3),
            mfa_configured,
            mfa_excluded: !mfa_configured && rng.percent(15),
            totp_enabled: mfa_configured && rng.percent(60),
            employee_number: if rng.percent(20) {
                None
            } else {
                u32::try_from(100_000 + i).ok()
            },
            manager,
            manager_email_attribute: !matches!(manager, Manager::None) && rng.percent(40),
            manager_name_attribute: false,
            cost_center: if rng.percent(75) {
                u32::try_from(100 + rng.below(40)).ok()
            } else {
                None
            },
            alternate_email: rng.percent(30),
            recovery: match rng.below(4) {
                0 => Recovery::None,
                1 => Recovery::Unverified,
                _ => Recovery::Verified,
            },
            password_never_expires: rng.percent(10),
        });
    }
    users
}

#[derive(Debug, Clone)]
pub struct Admin {
    pub id: ObjectId,
    pub created_ms: i64,
    pub first: &'static str,
    pub last: &'static str,
    pub email: String,
    pub role: String,
    pub mfa: bool,
    pub suspended: bool,
    pub api_key_set: bool,
}

impl Record for Admin {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl Admin {
    pub fn to_json(&self, org: &Org) -> Value {
        let id = self.id.to_string();
        json!({
            "_id": id,
            "id": id,
            "apiKeyAllowed": self.api_key_set,
            "apiKeySet": self.api_key_set,
            "created": iso_ms(self.created_ms),
            "email": self.email,
            "enableMultiFactor": self.mfa,
            "firstname": self.first,
            "lastname": self.last,
            "organization": org.id.to_string(),
            "roleName": self.role,
            "suspended": self.suspended,
            "totpEnrolled": self.mfa,
        })
    }
}

/// The key's own admin first, then (unless the org is empty) three colleagues in other roles.
pub fn generate_admins(
    key_owner: &Admin,
    with_colleagues: bool,
    domain: &str,
    ids: &mut IdFactory,
    org_created_ms: i64,
) -> Vec<Admin> {
    let mut admins = vec![key_owner.clone()];
    if with_colleagues {
        let owner_role = if key_owner
            .role
            .eq_ignore_ascii_case("Administrator With Billing")
        {
            "Administrator"
        } else {
            "Administrator With Billing"
        };
        let colleagues = [
            ("Grace", "Hopper", "it.owner", owner_role, true, true),
            ("Tomas", "Novak", "helpdesk", "Help Desk", true, false),
            ("Ines", "Duarte", "ines.duarte", "Manager", false, false),
        ];
        for (n, (first, last, local, role, mfa, key)) in colleagues.into_iter().enumerate() {
            let created_ms = org_created_ms + i64::try_from(n + 1).unwrap_or(1) * 3 * DAY_MS;
            admins.push(Admin {
                id: ids.next(created_ms),
                created_ms,
                first,
                last,
                email: format!("{local}@{domain}"),
                role: role.to_string(),
                mfa,
                suspended: n == 2,
                api_key_set: key,
            });
        }
    }
    admins.sort_by_key(|a| a.id);
    admins
}
