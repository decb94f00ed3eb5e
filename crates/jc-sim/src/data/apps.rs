//! SSO applications. Their `config` plants canary secrets that a careful client never keeps.

use serde_json::{json, Value};

use super::clock::{iso_ms, DAY_MS};
use super::ids::{IdFactory, ObjectId};
use super::names::{APP_COLORS, APP_TEMPLATES};
use super::rng::Rng;
use super::{Org, Record};

pub const CANARY_IDP_PRIVATE_KEY: &str = "SIM-CANARY-SECRET-idpPrivateKey";
pub const CANARY_IDP_CERTIFICATE: &str = "SIM-CANARY-SECRET-idpCertificate";

#[derive(Debug, Clone)]
pub struct App {
    pub id: ObjectId,
    pub created_ms: i64,
    pub template: usize,
    pub copy: usize,
    pub active: bool,
    pub logo_id: ObjectId,
    /// The logo URL leads nowhere (the logo route answers 404).
    pub logo_broken: bool,
    pub color: &'static str,
    pub cert_expires_ms: i64,
    /// User groups bound to the app (indexes into the org's user groups).
    pub user_groups: Vec<u32>,
    /// Users bound directly (indexes into the org's users).
    pub users: Vec<u32>,
}

impl Record for App {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl App {
    fn template(&self) -> (&'static str, &'static str, &'static str) {
        APP_TEMPLATES.get(self.template).copied().unwrap_or((
            "custom-saml-app",
            "Custom App",
            "saml",
        ))
    }

    pub fn label(&self) -> String {
        let (_, label, _) = self.template();
        match self.copy {
            0 => label.to_string(),
            n => format!("{label} {}", n + 1),
        }
    }

    pub fn logo_url(&self, root_url: &str) -> String {
        format!("{root_url}/api/v2/logos/{}", self.logo_id)
    }

    pub fn to_json(&self, org: &Org, root_url: &str) -> Value {
        let (name, _, sso_type) = self.template();
        let id = self.id.to_string();
        let label = self.label();
        let sso_url = format!(
            "https://sso.jumpcloud.com/saml2/{}",
            label.to_lowercase().replace(' ', "-")
        );
        let field = |label: &str, position: u32, value: Value| {
            json!({
                "label": label,
                "position": position,
                "readOnly": false,
                "required": true,
                "toggle": null,
                "tooltip": null,
                "type": if value.is_boolean() { "checkbox" } else { "text" },
                "value": value,
                "visible": true,
            })
        };
        json!({
            "_id": id,
            "id": id,
            "active": self.active,
            "beta": false,
            "color": "",
            "config": {
                "acsUrl": field("ACS URL", 1, Value::from(format!("https://{name}.example.com/saml/acs"))),
                "constantAttributes": {
                    "label": "Constant Attributes",
                    "mutable": true,
                    "position": 7,
                    "readOnly": false,
                    "required": false,
                    "type": "list",
                    "value": [{"name": "org", "value": org.name, "readOnly": false, "required": false, "visible": true}],
                    "visible": true,
                },
                "idpCertificate": field("IdP Certificate", 4, Value::from(CANARY_IDP_CERTIFICATE)),
                "idpEntityId": field("IdP Entity ID", 2, Value::from(format!("https://sso.jumpcloud.com/saml2/{name}"))),
                "idpPrivateKey": field("IdP Private Key", 5, Value::from(CANARY_IDP_PRIVATE_KEY)),
                "signAssertion": field("Sign Assertion", 6, Value::from(true)),
                "spEntityId": field("SP Entity ID", 3, Value::from(format!("https://{name}.example.com"))),
            },
            "created": iso_ms(self.created_ms),
            "databaseAttributes": [],
            "description": "",
            "displayLabel": label,
            "displayName": label,
            "learnMore": format!("https://jumpcloud.com/support/integrate-with-{name}"),
            "logo": {"color": self.color, "url": self.logo_url(root_url)},
            "name": name,
            "organization": org.id.to_string(),
            "sso": {
                "beta": false,
                "hidden": false,
                "idpCertExpirationAt": iso_ms(self.cert_expires_ms),
                "jit": false,
                "type": sso_type,
            },
            "ssoUrl": sso_url,
        })
    }
}

/// Bindings by index: 0 → All Staff, 1 → Engineering (nested groups), 2 → Sales plus two users
/// directly (and a broken logo), 3 → nobody at all, later ones → a random group.
pub fn generate_apps(
    count: usize,
    groups: usize,
    users: usize,
    ids: &mut IdFactory,
    rng: &mut Rng,
    org_created_ms: i64,
    now_ms: i64,
) -> Vec<App> {
    let group = |g: usize| {
        if g < groups {
            u32::try_from(g).ok()
        } else {
            None
        }
    };
    let unbound = if count >= 2 {
        Some(count.min(4) - 1)
    } else {
        None
    };
    let broken = if count >= 3 { Some(2) } else { None };
    (0..count)
        .map(|i| {
            let created_ms = org_created_ms + DAY_MS * (60 + 20 * i64::try_from(i).unwrap_or(0));
            let (user_groups, direct): (Vec<u32>, Vec<u32>) = if Some(i) == unbound {
                (Vec::new(), Vec::new())
            } else {
                match i {
                    0 => (group(0).into_iter().collect(), Vec::new()),
                    1 => (group(1).into_iter().collect(), Vec::new()),
                    2 => (
                        group(4).or(group(0)).into_iter().collect(),
                        (0..users.min(2))
                            .filter_map(|u| u32::try_from(u * 3).ok())
                            .filter(|u| (*u as usize) < users)
                            .collect(),
                    ),
                    _ => (
                        if groups > 0 {
                            group(rng.below_usize(groups)).into_iter().collect()
                        } else {
                            Vec::new()
                        },
                        Vec::new(),
                    ),
                }
            };
            // One certificate runs out within two weeks.
            let cert_expires_ms = if i == 1 {
                now_ms + 10 * DAY_MS
            } else {
                now_ms + (200 + i64::try_from(rng.below(500)).unwrap_or(0)) * DAY_MS
            };
            App {
                id: ids.next(created_ms),
                created_ms,
                template: i % APP_TEMPLATES.len(),
                copy: i / APP_TEMPLATES.len(),
                active: Some(i) != unbound,
                logo_id: ids.next(created_ms),
                logo_broken: Some(i) == broken,
                color: rng.pick(&APP_COLORS).unwrap_or(""),
                cert_expires_ms,
                user_groups,
                users: direct,
            }
        })
        .collect()
}
