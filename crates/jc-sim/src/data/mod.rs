//! The deterministic org generator: everything the sim serves, derived from the seed and sizes.
//! Records are plain structs; JSON is built on demand per page.

pub mod apps;
pub mod clock;
pub mod directories;
pub mod graph;
pub mod groups;
pub mod ids;
pub mod names;
pub mod policies;
pub mod rng;
pub mod service_accounts;
pub mod systems;
pub mod users;

use serde_json::{json, Value};

use crate::config::{Scenario, SimConfig};
use crate::error::SimError;
use crate::scopes;
use apps::App;
use clock::{iso_ms, DAY_MS};
use directories::{LdapServer, RadiusServer};
use groups::{SystemGroup, UserGroup};
use ids::{IdFactory, ObjectId};
use policies::Policy;
use rng::Rng;
use systems::System;
use users::{Admin, User};

/// Anything addressed by an id; collections are kept sorted by it.
pub trait Record {
    fn id(&self) -> ObjectId;
}

/// Finds a record by its id text, with its index.
pub fn find<'a, T: Record>(items: &'a [T], id: &str) -> Option<(usize, &'a T)> {
    let id = ObjectId::parse(id)?;
    let index = items.binary_search_by_key(&id, Record::id).ok()?;
    items.get(index).map(|r| (index, r))
}

/// A role as `/api/v2/roles` serves it; the key's own role is also what `/api/settings` and
/// `/api/users` name. Built-in roles' scopes are this simulator's assumptions (see `scopes`).
#[derive(Debug, Clone)]
pub struct Role {
    pub id: ObjectId,
    pub name: String,
    pub custom: bool,
    /// Whether `/api/settings` names it (the custom-role scenario's role stays unnamed).
    pub reported: bool,
    pub scopes: Vec<String>,
}

impl Role {
    fn built_in(name: &str, sequence: u64) -> Role {
        Role {
            id: ObjectId::from_parts(BUILT_IN_ROLES_CREATED, sequence),
            name: name.to_owned(),
            custom: false,
            reported: true,
            scopes: scopes::built_in_scopes(name).unwrap_or_default(),
        }
    }

    fn custom(name: &str, reported: bool, scopes: Vec<String>) -> Role {
        Role {
            id: ObjectId::from_parts(CUSTOM_ROLE_CREATED, 1),
            name: name.to_owned(),
            custom: true,
            reported,
            scopes,
        }
    }

    /// The key's role in a scenario, and every role the org's role list shows.
    fn for_scenario(config: &SimConfig) -> (Role, Vec<Role>) {
        let built_ins: Vec<Role> = BUILT_IN_ROLES
            .iter()
            .zip(1..)
            .map(|(name, n)| Role::built_in(name, n))
            .collect();
        let named = |name: &str| {
            built_ins
                .iter()
                .find(|r| r.name == name)
                .cloned()
                .unwrap_or_else(|| Role::built_in(name, 0))
        };
        let mut role = match config.scenario {
            Scenario::CommandRunner => named("Command Runner"),
            Scenario::AdminWithBilling => named("Administrator With Billing"),
            Scenario::CustomRole => Role::custom(
                "Onboarding Auditor",
                false,
                scopes::integration_with(&["systems.readonly", "roles.readonly"], &[]),
            ),
            Scenario::CustomRolePartial => Role::custom(
                "Directory Reader",
                true,
                scopes::integration_with(&["systems.readonly", "radius.readonly"], &[]),
            ),
            Scenario::ServiceAccountBroadRole => Role::custom(
                "Onboarding Editor",
                true,
                scopes::integration_with(
                    &["users.readonly", "groups.readonly"],
                    &["users", "groups", "serviceaccounts.readonly"],
                ),
            ),
            Scenario::BroadRole => Role::custom(
                "Onboarding Editor",
                true,
                scopes::integration_with(
                    &["users.readonly", "groups.readonly"],
                    &["users", "groups"],
                ),
            ),
            Scenario::ServiceAccountNoSaScope => {
                let mut read_only = named("Read Only");
                read_only.scopes.retain(|s| s != "serviceaccounts.readonly");
                read_only
            }
            _ => named("Read Only"),
        };
        if let Some(scopes) = &config.role_scopes {
            role.scopes = scopes.clone();
        }
        let mut roles: Vec<Role> = built_ins
            .into_iter()
            .filter(|r| r.name != role.name)
            .collect();
        roles.push(role.clone());
        roles.sort_by_key(|r| r.id);
        (role, roles)
    }

    /// A record of `GET /api/v2/roles` (the spec's `Role`).
    pub fn to_json(&self, org: &Org) -> Value {
        let mut role = json!({
            "id": self.id.to_string(),
            "name": self.name,
            "description": if self.custom { "Custom role" } else { "Built-in role" },
            "scopes": self.scopes,
            "isCustom": self.custom,
        });
        if let (true, Some(obj)) = (self.custom, role.as_object_mut()) {
            obj.insert("organizationIds".into(), json!([org.id.to_string()]));
        }
        role
    }

    /// Whether this role may call a route that needs any one of `needed`.
    pub fn holds_any(&self, needed: &[&str]) -> bool {
        self.scopes.iter().any(|s| needed.contains(&s.as_str()))
    }
}

impl Record for Role {
    fn id(&self) -> ObjectId {
        self.id
    }
}

/// The built-in roles the role list shows (the ones a scenario uses).
const BUILT_IN_ROLES: [&str; 3] = ["Administrator With Billing", "Command Runner", "Read Only"];
/// 2019-01-01 and 2023-06-01 (unix seconds): when built-in and custom roles were made.
const BUILT_IN_ROLES_CREATED: i64 = 1_546_300_800;
const CUSTOM_ROLE_CREATED: i64 = 1_685_577_600;

pub struct World {
    /// Every org the key reaches; the first is the primary one.
    pub orgs: Vec<Org>,
    pub api_key: String,
    /// The key's role.
    pub role: Role,
    /// Every role the role list shows, sorted by id; the key's role among them.
    pub roles: Vec<Role>,
    /// The service accounts (service-account scenarios only); the first one is connecting.
    pub service_accounts: Vec<service_accounts::ServiceAccount>,
    /// The simulated "now", in unix milliseconds.
    pub now_ms: i64,
}

impl World {
    pub fn org(&self, id: &str) -> Option<&Org> {
        self.orgs
            .iter()
            .find(|o| o.id.to_string().eq_ignore_ascii_case(id))
    }

    pub fn is_multi_tenant(&self) -> bool {
        self.orgs.len() > 1
    }
}

pub struct Org {
    pub id: ObjectId,
    pub name: String,
    pub domain: String,
    pub created_ms: i64,
    pub provider: Option<ObjectId>,
    pub now_ms: i64,
    pub seed: u64,
    pub data: OrgData,
    pub traversals: graph::TraversalCache,
}

#[derive(Default)]
pub struct OrgData {
    pub users: Vec<User>,
    pub admins: Vec<Admin>,
    pub user_groups: Vec<UserGroup>,
    pub apps: Vec<App>,
    pub systems: Vec<System>,
    pub system_groups: Vec<SystemGroup>,
    pub policies: Vec<Policy>,
    pub ldap_servers: Vec<LdapServer>,
    pub radius_servers: Vec<RadiusServer>,
}

impl Org {
    /// An item of `GET /api/organizations`.
    pub fn list_json(&self) -> Value {
        let id = self.id.to_string();
        json!({
            "_id": id,
            "id": id,
            "created": iso_ms(self.created_ms),
            "displayName": self.name,
            "logoUrl": null,
        })
    }

    /// `GET /api/organizations/{id}`.
    pub fn to_json(&self) -> Value {
        let id = self.id.to_string();
        json!({
            "_id": id,
            "id": id,
            "accountType": "Customer",
            "created": iso_ms(self.created_ms),
            "displayName": self.name,
            "entitlement": {
                "billingModel": "per-user",
                "capUserQuantity": false,
                "isManuallyBilled": false,
                "maxUserQuantity": 0,
                "purchaseChannel": "direct",
            },
            "hasCreditCard": true,
            "hasStripeCustomerId": true,
            "logoUrl": null,
            "provider": self.provider.map_or(Value::Null, |p| Value::from(p.to_string())),
            "settings": self.settings_json(),
        })
    }

    pub fn settings_json(&self) -> Value {
        json!({
            "agentVersion": "1.152.0",
            "betaFeatures": {"systemInsights": true},
            "contactEmail": format!("it@{}", self.domain),
            "contactName": "IT Team",
            "disableCommandRunner": false,
            "disableLdap": false,
            "disableUM": false,
            "enableManagedUID": false,
            "features": {
                "directoryInsights": {"enabled": true},
                "directoryInsightsPremium": {"enabled": false},
                "systemInsights": {"enabled": true, "enableNewDarwin": true, "enableNewLinux": true, "enableNewWindows": true},
            },
            "name": self.name,
            "newSystemUserStateDefaults": {"applicationImport": "STAGED", "csvImport": "STAGED", "manualEntry": "ACTIVATED"},
            "passwordCompliance": "custom",
            "passwordPolicy": {
                "enableMaxHistory": true,
                "enableMaxLoginAttempts": true,
                "enableMinLength": true,
                "enablePasswordExpirationInDays": true,
                "lockoutTimeInSeconds": 600,
                "maxHistory": 5,
                "maxLoginAttempts": 10,
                "minLength": 12,
                "needsLowercase": true,
                "needsNumeric": true,
                "needsSymbolic": false,
                "needsUppercase": true,
                "passwordExpirationInDays": 180,
            },
            "requireAdminMFA": true,
            "showIntro": false,
            "systemUserPasswordExpirationInDays": 180,
            "systemUsersCanEdit": false,
            "userPortal": {"idleSessionDurationMinutes": 60, "cookieExpirationType": "session"},
        })
    }
}

const ORG_NAMES: [(&str, &str); 3] = [
    ("Acme Corp", "acme"),
    ("Acme EU Subsidiary", "acme-eu"),
    ("Globex", "globex"),
];

/// Builds every org the key reaches, deterministically from the config.
pub fn generate(config: &SimConfig) -> Result<World, SimError> {
    let now_ms = config
        .now_unix
        .unwrap_or_else(clock::start_of_today)
        .saturating_mul(1000);
    let api_key = match &config.api_key {
        Some(key) if key.trim().is_empty() => return Err(SimError::InvalidApiKey("it is empty")),
        Some(key) if key.chars().any(|c| c.is_control() || c.is_whitespace()) => {
            return Err(SimError::InvalidApiKey(
                "it contains whitespace or control characters",
            ))
        }
        Some(key) => key.clone(),
        // A service account's own API key: `jcs_` and a length JumpCloud does not document.
        None if config.scenario.has_service_account() => format!(
            "jcs_{}",
            Rng::derive(config.seed, "api-key").alphanumeric(44)
        ),
        None => format!(
            "jca_{}",
            Rng::derive(config.seed, "api-key").alphanumeric(36)
        ),
    };
    let (role, roles) = Role::for_scenario(config);
    let org_count = if config.scenario == Scenario::MultiTenant {
        3
    } else {
        1
    };
    let sizes = config.effective_sizes();
    let empty = config.scenario == Scenario::EmptyOrg;

    let mut world_rng = Rng::derive(config.seed, "world");
    let provider = (org_count > 1).then(|| IdFactory::new(&mut world_rng).next(1_540_000_000_000));
    let owner_created_ms =
        1_546_300_800_000 + i64::try_from(world_rng.below(300 * DAY_MS as u64)).unwrap_or(0);
    let key_owner = Admin {
        id: IdFactory::new(&mut world_rng).next(owner_created_ms),
        created_ms: owner_created_ms,
        first: "Olivia",
        last: "Okafor",
        email: format!("onboarding@{}.example.com", ORG_NAMES[0].1),
        role: role.name.clone(),
        mfa: true,
        suspended: false,
        api_key_set: true,
    };

    let mut orgs = Vec::with_capacity(org_count);
    for (k, (name, slug)) in ORG_NAMES.iter().take(org_count).enumerate() {
        let org_seed = config.seed.wrapping_add(0x9e37_79b9 * k as u64);
        let mut rng = Rng::derive(org_seed, "org");
        let mut ids = IdFactory::new(&mut rng);
        let created_ms =
            1_551_398_400_000 + i64::try_from(rng.below(365 * DAY_MS as u64)).unwrap_or(0);
        let domain = format!("{slug}.example.com");
        let mut data = OrgData {
            users: users::generate_users(
                sizes.users,
                &mut ids,
                &mut Rng::derive(org_seed, "users"),
                created_ms,
                now_ms,
            ),
            ..OrgData::default()
        };
        if config.scenario == Scenario::ManagerNames {
            for user in &mut data.users {
                user.manager_name_attribute = matches!(user.manager, users::Manager::User(_));
            }
        }
        data.admins = users::generate_admins(&key_owner, !empty, &domain, &mut ids, created_ms);
        data.user_groups = groups::generate_user_groups(
            sizes.groups,
            &data.users,
            &mut ids,
            &mut Rng::derive(org_seed, "groups"),
            created_ms,
        );
        data.systems = systems::generate_systems(
            sizes.devices,
            &data.users,
            &mut ids,
            &mut Rng::derive(org_seed, "systems"),
            slug,
            created_ms,
            now_ms,
        );
        let system_group_count = if empty || sizes.devices == 0 {
            0
        } else {
            (sizes.devices / 5).max(1)
        };
        data.system_groups =
            groups::generate_system_groups(system_group_count, &data.systems, &mut ids, created_ms);
        data.apps = apps::generate_apps(
            sizes.apps,
            data.user_groups.len(),
            data.users.len(),
            &mut ids,
            &mut Rng::derive(org_seed, "apps"),
            created_ms,
            now_ms,
        );
        data.policies =
            policies::generate_policies(sizes.policies, &data.systems, &mut ids, created_ms);
        let directories_created = created_ms + 45 * DAY_MS;
        data.ldap_servers = directories::generate_ldap(
            !empty,
            data.user_groups.len(),
            data.users.len(),
            &mut ids,
            directories_created,
        );
        data.radius_servers = directories::generate_radius(
            !empty,
            data.user_groups.len(),
            data.system_groups.len(),
            data.users.len(),
            &mut ids,
            directories_created + DAY_MS,
        );
        orgs.push(Org {
            id: ids.next(created_ms),
            name: (*name).to_string(),
            domain,
            created_ms,
            provider,
            now_ms,
            seed: org_seed,
            data,
            traversals: graph::TraversalCache::default(),
        });
    }
    let service_accounts = service_accounts::generate(config, &role, &roles, &api_key, now_ms);
    Ok(World {
        orgs,
        api_key,
        role,
        roles,
        service_accounts,
        now_ms,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Sizes;

    fn sorted<T: Record>(items: &[T]) -> bool {
        items
            .windows(2)
            .all(|w| matches!(w, [a, b] if a.id() < b.id()))
    }

    #[test]
    fn collections_are_sorted_by_id_so_lookups_work() {
        let world = generate(&SimConfig::default()).expect("default config generates");
        let d = &world.orgs[0].data;
        assert!(sorted(&d.users) && sorted(&d.admins) && sorted(&d.user_groups) && sorted(&d.apps));
        assert!(sorted(&d.systems) && sorted(&d.system_groups) && sorted(&d.policies));
        assert!(sorted(&d.ldap_servers) && sorted(&d.radius_servers));
        let third = d.users[2].id.to_string();
        assert_eq!(find(&d.users, &third).map(|(i, _)| i), Some(2));
    }

    #[test]
    fn key_looks_real_and_is_deterministic() {
        let a = generate(&SimConfig::default()).expect("generates");
        let b = generate(&SimConfig::default()).expect("generates");
        assert_eq!(a.api_key, b.api_key);
        assert_eq!(a.api_key.len(), 40);
        assert!(a.api_key.starts_with("jca_"));
        assert!(a.api_key[4..].chars().all(|c| c.is_ascii_alphanumeric()));
        let other = generate(&SimConfig {
            seed: 8,
            ..SimConfig::default()
        })
        .expect("generates");
        assert_ne!(a.api_key, other.api_key);
    }

    #[test]
    fn default_sizes_are_honoured() {
        let world = generate(&SimConfig::default()).expect("generates");
        let d = &world.orgs[0].data;
        assert_eq!(
            (
                d.users.len(),
                d.user_groups.len(),
                d.apps.len(),
                d.systems.len(),
                d.policies.len()
            ),
            (25, 6, 5, 12, 4)
        );
        assert_eq!(
            (
                d.admins.len(),
                d.system_groups.len(),
                d.ldap_servers.len(),
                d.radius_servers.len()
            ),
            (4, 2, 1, 2)
        );
    }

    #[test]
    fn empty_org_has_only_the_key_owner() {
        let world = generate(&SimConfig::scenario(Scenario::EmptyOrg)).expect("generates");
        let d = &world.orgs[0].data;
        assert_eq!(d.admins.len(), 1);
        assert!(
            d.users.is_empty()
                && d.user_groups.is_empty()
                && d.apps.is_empty()
                && d.systems.is_empty()
        );
        assert!(
            d.system_groups.is_empty()
                && d.policies.is_empty()
                && d.ldap_servers.is_empty()
                && d.radius_servers.is_empty()
        );
    }

    #[test]
    fn a_hundred_thousand_users_and_devices_generate_quickly() {
        let config = SimConfig {
            sizes: Sizes {
                users: 100_000,
                groups: 20,
                apps: 50,
                devices: 100_000,
                policies: 10,
            },
            ..SimConfig::default()
        };
        let started = std::time::Instant::now();
        let world = generate(&config).expect("generates");
        let took = started.elapsed();
        assert_eq!(world.orgs[0].data.users.len(), 100_000);
        assert_eq!(world.orgs[0].data.systems.len(), 100_000);
        let budget = if cfg!(debug_assertions) { 10 } else { 3 };
        assert!(
            took.as_secs() < budget,
            "generation took {took:?}, budget {budget}s"
        );
    }
}
