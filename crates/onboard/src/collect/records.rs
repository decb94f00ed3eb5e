//! What is kept of each record: the fields a migration needs, and nothing secret. Every type is
//! flat enough for one CSV row (lists are joined with `;`, maps written as JSON).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OrganizationRecord {
    pub id: String,
    pub name: Option<String>,
    pub created: Option<String>,
    pub logo_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserRecord {
    pub id: String,
    pub username: Option<String>,
    pub email: Option<String>,
    pub alternate_email: Option<String>,
    pub recovery_email: Option<String>,
    pub first_name: Option<String>,
    pub middle_name: Option<String>,
    pub last_name: Option<String>,
    pub display_name: Option<String>,
    pub state: Option<String>,
    pub activated: Option<bool>,
    pub suspended: Option<bool>,
    pub locked: Option<bool>,
    /// `mfa.configured`.
    pub mfa_configured: Option<bool>,
    pub mfa_excluded: Option<bool>,
    /// `mfaEnrollment.overallStatus`, e.g. `ENROLLED`.
    pub mfa_status: Option<String>,
    pub totp_enabled: Option<bool>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub employee_id: Option<String>,
    pub created: Option<String>,
    /// What the manager source held: an id, an email or a username.
    pub manager_ref: Option<String>,
    pub manager_id: Option<String>,
    pub manager_name: Option<String>,
    pub manager_email: Option<String>,
    pub custom_attributes: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserGroupRecord {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub membership_method: Option<String>,
    /// Users bound to the group itself.
    pub direct_user_ids: Vec<String>,
    /// Groups nested directly inside this one.
    pub direct_group_ids: Vec<String>,
    /// Every user who is a member, through nested groups too.
    pub effective_user_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AdminRecord {
    pub id: String,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub role: Option<String>,
    pub roles: Vec<String>,
    pub mfa_enabled: Option<bool>,
    pub suspended: Option<bool>,
    pub created: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ApplicationRecord {
    pub id: String,
    /// The template key, e.g. `aws-sso`.
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub label: Option<String>,
    pub sso_type: Option<String>,
    pub active: Option<bool>,
    pub logo_url: Option<String>,
    /// The logo fetched into the export, relative to it (`logos/<id>.png`); none when it could
    /// not be fetched.
    pub logo_file: Option<String>,
    pub user_group_ids: Vec<String>,
    pub user_ids: Vec<String>,
    /// `associations` (direct bindings) or `traversal` (everyone with access, inherited too).
    pub access_source: String,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceRecord {
    pub id: String,
    pub hostname: Option<String>,
    pub display_name: Option<String>,
    pub os: Option<String>,
    pub os_family: Option<String>,
    pub os_version: Option<String>,
    pub agent_version: Option<String>,
    pub active: Option<bool>,
    pub last_contact: Option<String>,
    pub disk_encrypted: Option<bool>,
    pub primary_user_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceGroupRecord {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
    pub membership_method: Option<String>,
    pub device_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyRecord {
    pub id: String,
    pub name: Option<String>,
    pub template: Option<String>,
    pub os_family: Option<String>,
}

/// The latest result of one policy on one device.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyResultRecord {
    pub policy_id: String,
    pub device_id: Option<String>,
    pub state: Option<String>,
    pub success: Option<bool>,
    pub ended_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DirectoryServerRecord {
    pub id: String,
    pub name: Option<String>,
    /// RADIUS only.
    pub network_source_ip: Option<String>,
    /// RADIUS only.
    pub mfa: Option<String>,
    pub user_group_ids: Vec<String>,
    pub user_ids: Vec<String>,
    /// `associations` or `traversal`.
    pub binding_source: String,
}
