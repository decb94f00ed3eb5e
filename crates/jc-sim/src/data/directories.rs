//! LDAP and RADIUS servers. RADIUS records carry a canary shared secret.

use serde_json::{json, Value};

use super::ids::{IdFactory, ObjectId};
use super::{Org, Record};

pub const CANARY_SHARED_SECRET: &str = "SIM-CANARY-SECRET-sharedSecret";

#[derive(Debug, Clone)]
pub struct LdapServer {
    pub id: ObjectId,
    pub name: &'static str,
    pub user_groups: Vec<u32>,
    pub users: Vec<u32>,
}

impl Record for LdapServer {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl LdapServer {
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id.to_string(),
            "name": self.name,
            "userLockoutAction": "disable",
            "userPasswordExpirationAction": "disable",
        })
    }
}

#[derive(Debug, Clone)]
pub struct RadiusServer {
    pub id: ObjectId,
    pub name: &'static str,
    pub network_source_ip: &'static str,
    pub mfa: &'static str,
    pub user_groups: Vec<u32>,
    pub users: Vec<u32>,
    pub system_groups: Vec<u32>,
}

impl Record for RadiusServer {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl RadiusServer {
    pub fn to_json(&self, org: &Org) -> Value {
        let id = self.id.to_string();
        json!({
            "_id": id,
            "id": id,
            "authIdp": "JUMPCLOUD",
            "caCert": "",
            "caSource": "NONE",
            "deviceCertEnabled": false,
            "mfa": self.mfa,
            "name": self.name,
            "networkSourceIp": self.network_source_ip,
            "organization": org.id.to_string(),
            "radsecEnabled": false,
            "requireRadsec": false,
            "requireTlsAuth": false,
            "sharedSecret": CANARY_SHARED_SECRET,
            "tagNames": [],
            "tags": [],
            "userCertEnabled": false,
            "userLockoutAction": "DENY",
            "userPasswordEnabled": true,
            "userPasswordExpirationAction": "MAINTAIN",
        })
    }
}

/// One LDAP directory bound to Engineering (and so, through nesting, Platform Team and On-Call)
/// plus the first user directly.
pub fn generate_ldap(
    present: bool,
    groups: usize,
    users: usize,
    ids: &mut IdFactory,
    created_ms: i64,
) -> Vec<LdapServer> {
    if !present {
        return Vec::new();
    }
    vec![LdapServer {
        id: ids.next(created_ms),
        name: "JumpCloud LDAP",
        user_groups: pick_groups(&[1], groups),
        users: if users > 0 { vec![0] } else { Vec::new() },
    }]
}

/// Office Wi-Fi for All Staff and the Mac fleet; VPN for Platform Team and one user directly.
pub fn generate_radius(
    present: bool,
    groups: usize,
    system_groups: usize,
    users: usize,
    ids: &mut IdFactory,
    created_ms: i64,
) -> Vec<RadiusServer> {
    if !present {
        return Vec::new();
    }
    vec![
        RadiusServer {
            id: ids.next(created_ms),
            name: "Office Wi-Fi",
            network_source_ip: "198.51.100.10",
            mfa: "DISABLED",
            user_groups: pick_groups(&[0], groups),
            users: Vec::new(),
            system_groups: pick_groups(&[0], system_groups),
        },
        RadiusServer {
            id: ids.next(created_ms + 1000),
            name: "VPN",
            network_source_ip: "198.51.100.20",
            mfa: "REQUIRED",
            user_groups: pick_groups(&[2], groups),
            users: if users > 1 { vec![1] } else { Vec::new() },
            system_groups: Vec::new(),
        },
    ]
}

fn pick_groups(wanted: &[u32], available: usize) -> Vec<u32> {
    wanted
        .iter()
        .copied()
        .filter(|g| (*g as usize) < available)
        .collect()
}
