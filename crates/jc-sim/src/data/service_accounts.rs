//! The service accounts of a service-account scenario: the one the scenario connects with (its
//! client ID and secret, and a `jcs_` API key), and another that is not it. Served by
//! `GET /api/v2/service-accounts` in the spec's `jumpcloud.service_accounts.ServiceAccount`
//! shape; secrets are never part of a listing, as in JumpCloud.

use serde_json::{json, Value};

use super::clock::{iso_ms, DAY_MS};
use super::ids::ObjectId;
use super::rng::Rng;
use super::Role;
use crate::config::{Scenario, SimConfig};

#[derive(Clone)]
pub struct ServiceAccount {
    pub id: ObjectId,
    pub name: &'static str,
    pub client_id: String,
    pub client_secret: String,
    pub secret_config_id: ObjectId,
    pub created_ms: i64,
    pub expires_ms: i64,
    pub role_id: ObjectId,
    pub role_name: String,
    /// The account's API key's first 8 characters, the only part JumpCloud lists.
    pub api_key_prefix: String,
}

impl std::fmt::Debug for ServiceAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ServiceAccount")
            .field("name", &self.name)
            .field("client_id", &self.client_id)
            .field("client_secret", &"<redacted>")
            .finish()
    }
}

/// When the connecting account's secret expires, relative to the simulated today.
fn expiry_offset_ms(scenario: Scenario) -> i64 {
    match scenario {
        Scenario::ServiceAccountExpiring => 5 * DAY_MS,
        Scenario::ServiceAccountExpired => -2 * DAY_MS,
        _ => 80 * DAY_MS,
    }
}

/// The connecting account and a second one, or nothing outside the service-account scenarios.
pub fn generate(
    config: &SimConfig,
    role: &Role,
    roles: &[Role],
    api_key: &str,
    now_ms: i64,
) -> Vec<ServiceAccount> {
    if !config.scenario.has_service_account() {
        return Vec::new();
    }
    let mut rng = Rng::derive(config.seed, "service-accounts");
    let created_ms = now_ms - 10 * DAY_MS;
    let client_secret = config
        .client_secret
        .clone()
        .unwrap_or_else(|| rng.alphanumeric(48));
    let connecting = ServiceAccount {
        id: ObjectId::from_parts(created_ms / 1000, 11),
        name: "Onboarding integration",
        client_id: format!("{}-{}", rng.alphanumeric(8), rng.alphanumeric(12)).to_ascii_lowercase(),
        client_secret,
        secret_config_id: ObjectId::from_parts(created_ms / 1000, 12),
        created_ms,
        expires_ms: now_ms + expiry_offset_ms(config.scenario),
        role_id: role.id,
        role_name: role.name.clone(),
        api_key_prefix: api_key.chars().take(8).collect(),
    };
    let other_role = roles
        .iter()
        .find(|r| r.name == "Administrator With Billing")
        .unwrap_or(role);
    let other = ServiceAccount {
        id: ObjectId::from_parts(created_ms / 1000, 21),
        name: "Nightly backup",
        client_id: format!("{}-{}", rng.alphanumeric(8), rng.alphanumeric(12)).to_ascii_lowercase(),
        client_secret: rng.alphanumeric(48),
        secret_config_id: ObjectId::from_parts(created_ms / 1000, 22),
        created_ms: created_ms - 40 * DAY_MS,
        expires_ms: now_ms + 300 * DAY_MS,
        role_id: other_role.id,
        role_name: other_role.name.clone(),
        api_key_prefix: String::new(),
    };
    vec![connecting, other]
}

impl ServiceAccount {
    fn status(&self, now_ms: i64) -> &'static str {
        if self.expires_ms <= now_ms {
            "EXPIRED"
        } else if self.expires_ms - now_ms <= 7 * DAY_MS {
            "EXPIRING"
        } else {
            "ACTIVE"
        }
    }

    /// A record of `GET /api/v2/service-accounts`.
    pub fn to_json(&self, org_id: &str, now_ms: i64) -> Value {
        let status = self.status(now_ms);
        let lifetime = format!("{} Days", (self.expires_ms - self.created_ms) / DAY_MS);
        let actor = json!({"id": self.id.to_string(), "name": "Olivia Okafor", "type": "ADMIN"});
        let mut configs = vec![json!({
            "authType": "CLIENT_SECRET",
            "clientSecretConfig": {
                "clientId": self.client_id,
                "createdAt": iso_ms(self.created_ms),
                "createdBy": actor,
                "expiresAt": iso_ms(self.expires_ms),
                "lifetime": lifetime,
                "objectId": self.secret_config_id.to_string(),
                "status": status,
            },
        })];
        if !self.api_key_prefix.is_empty() {
            configs.push(json!({
                "authType": "API_KEY",
                "apiKeyConfig": {
                    "apiKeyPrefix": self.api_key_prefix,
                    "createdAt": iso_ms(self.created_ms),
                    "createdBy": actor,
                    "expiresAt": iso_ms(self.expires_ms),
                    "lifetime": lifetime,
                    "objectId": ObjectId::from_parts(self.created_ms / 1000, 13).to_string(),
                    "status": status,
                },
            }));
        }
        json!({
            "objectId": self.id.to_string(),
            "name": self.name,
            "status": status,
            "authType": "CLIENT_SECRET",
            "createdAt": iso_ms(self.created_ms),
            "expiresAt": iso_ms(self.expires_ms),
            "orgId": org_id,
            "roleId": self.role_id.to_string(),
            "roleName": self.role_name,
            "authConfigList": configs,
        })
    }
}
