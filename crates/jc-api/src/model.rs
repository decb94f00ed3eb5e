//! JumpCloud's records, as much of them as the wizard reads. Every field is optional and
//! unknown fields are ignored: schemas grow often (JumpCloud adds fields without a version change). Secret-bearing fields
//! (application `config`, RADIUS `sharedSecret`) are deliberately absent, so they are dropped on
//! decode even if a server sends them.

use serde::Deserialize;

use crate::paging::RecordId;

/// V1 records carry both `_id` and `id`, V2 records only `id`; `id()` reads either.
macro_rules! with_ids {
    ($($ty:ty),*) => {$(
        impl $ty {
            pub fn id(&self) -> &str {
                self.id.as_deref().or(self.mongo_id.as_deref()).unwrap_or_default()
            }
        }
        impl RecordId for $ty {
            fn record_id(&self) -> Option<&str> {
                Some(self.id()).filter(|id| !id.is_empty())
            }
        }
    )*};
}

/// Records that carry only `id`.
macro_rules! with_plain_ids {
    ($($ty:ty),*) => {$(
        impl RecordId for $ty {
            fn record_id(&self) -> Option<&str> {
                self.id.as_deref()
            }
        }
    )*};
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OrgSummary {
    #[serde(rename = "_id", default)]
    pub mongo_id: Option<String>,
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub created: Option<String>,
    pub logo_url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Organization {
    #[serde(rename = "_id", default)]
    pub mongo_id: Option<String>,
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub created: Option<String>,
    pub provider: Option<String>,
}

/// `GET /api/settings`: undocumented; only `ROLE` is read, and it may be missing.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Settings {
    #[serde(rename = "ROLE", default)]
    pub role: Option<String>,
}

/// A role from `GET /api/v2/roles`: its name and the permission scopes it grants.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Role {
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(default)]
    pub scopes: Option<Vec<String>>,
    pub is_custom: Option<bool>,
}

/// A service account: never holds a secret (JumpCloud returns secrets only when they are made).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceAccount {
    pub object_id: Option<String>,
    pub name: Option<String>,
    pub status: Option<String>,
    pub expires_at: Option<String>,
    pub role_id: Option<String>,
    pub role_name: Option<String>,
    pub auth_type: Option<String>,
    #[serde(default)]
    pub auth_config_list: Vec<AuthConfig>,
    pub provider_id: Option<String>,
    pub org_count: Option<i64>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthConfig {
    pub auth_type: Option<String>,
    pub client_secret_config: Option<SecretConfig>,
    pub api_key_config: Option<SecretConfig>,
}

/// A client secret's or an API key's metadata. `clientSecret` and `apiKey` are not read.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecretConfig {
    pub client_id: Option<String>,
    pub api_key_prefix: Option<String>,
    pub created_at: Option<String>,
    pub expires_at: Option<String>,
    pub lifetime: Option<String>,
    pub status: Option<String>,
}

impl RecordId for ServiceAccount {
    fn record_id(&self) -> Option<&str> {
        self.object_id.as_deref()
    }
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct KeyValue {
    pub name: Option<String>,
    pub value: Option<serde_json::Value>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct RecoveryEmail {
    pub address: Option<String>,
    pub verified: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Mfa {
    pub configured: Option<bool>,
    pub exclusion: Option<bool>,
}

/// `mfaEnrollment`: per-factor enrollment states (`ENROLLED`, `NOT_ENROLLED`, ...).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MfaEnrollment {
    pub overall_status: Option<String>,
    pub totp_status: Option<String>,
    pub web_authn_status: Option<String>,
    pub push_status: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SystemUser {
    #[serde(rename = "_id", default)]
    pub mongo_id: Option<String>,
    pub id: Option<String>,
    pub username: Option<String>,
    pub email: Option<String>,
    pub alternate_email: Option<String>,
    pub recovery_email: Option<RecoveryEmail>,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub displayname: Option<String>,
    pub state: Option<String>,
    pub activated: Option<bool>,
    pub suspended: Option<bool>,
    #[serde(rename = "account_locked")]
    pub account_locked: Option<bool>,
    pub mfa: Option<Mfa>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub employee_identifier: Option<String>,
    pub created: Option<String>,
    pub manager: Option<String>,
    #[serde(default)]
    pub attributes: Option<Vec<KeyValue>>,
    pub middlename: Option<String>,
    pub mfa_enrollment: Option<MfaEnrollment>,
    #[serde(rename = "totp_enabled")]
    pub totp_enabled: Option<bool>,
}

/// An administrator from the undocumented `GET /api/users`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Admin {
    #[serde(rename = "_id", default)]
    pub mongo_id: Option<String>,
    pub id: Option<String>,
    pub email: Option<String>,
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    pub role_name: Option<String>,
    pub enable_multi_factor: Option<bool>,
    pub suspended: Option<bool>,
    pub role_names: Option<Vec<String>>,
    pub created: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    #[serde(rename = "_id", default)]
    pub mongo_id: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub description: Option<String>,
    pub membership_method: Option<String>,
}

/// A graph edge from an association or `/members` route.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GraphConnection {
    pub to: Option<GraphRef>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GraphRef {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// A resolved object from a traversal route (`/membership`, `/usergroups`, `/users`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct GraphObject {
    pub id: Option<String>,
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Logo {
    pub url: Option<String>,
    pub color: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Sso {
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Application {
    #[serde(rename = "_id", default)]
    pub mongo_id: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub display_label: Option<String>,
    pub active: Option<bool>,
    pub sso: Option<Sso>,
    pub logo: Option<Logo>,
    pub sso_url: Option<String>,
    pub created: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Fde {
    pub active: Option<bool>,
    #[serde(rename = "keyPresent")]
    pub key_present: Option<bool>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct System {
    #[serde(rename = "_id", default)]
    pub mongo_id: Option<String>,
    pub id: Option<String>,
    pub hostname: Option<String>,
    pub display_name: Option<String>,
    pub os: Option<String>,
    pub os_family: Option<String>,
    pub version: Option<String>,
    pub agent_version: Option<String>,
    pub active: Option<bool>,
    pub last_contact: Option<String>,
    pub fde: Option<Fde>,
    pub primary_system_user: Option<GraphObject>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyTemplate {
    pub name: Option<String>,
    pub display_name: Option<String>,
    pub os_meta_family: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct Policy {
    pub id: Option<String>,
    pub name: Option<String>,
    pub template: Option<PolicyTemplate>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PolicyResult {
    pub id: Option<String>,
    #[serde(rename = "policyID")]
    pub policy_id: Option<String>,
    #[serde(rename = "systemID")]
    pub system_id: Option<String>,
    pub state: Option<String>,
    pub success: Option<bool>,
    pub ended_at: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
pub struct LdapServer {
    pub id: Option<String>,
    pub name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RadiusServer {
    #[serde(rename = "_id", default)]
    pub mongo_id: Option<String>,
    pub id: Option<String>,
    pub name: Option<String>,
    pub network_source_ip: Option<String>,
    pub mfa: Option<String>,
    pub auth_idp: Option<String>,
}

with_ids!(
    OrgSummary,
    Organization,
    SystemUser,
    Admin,
    Group,
    Application,
    System,
    RadiusServer
);

with_plain_ids!(GraphObject, Policy, PolicyResult, LdapServer, Role);

impl RecordId for GraphConnection {
    fn record_id(&self) -> Option<&str> {
        self.to.as_ref().and_then(|to| to.id.as_deref())
    }
}
