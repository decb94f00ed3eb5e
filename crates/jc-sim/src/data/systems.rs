//! Devices: a Mac/Windows/Linux mix, some stale, one that never checked in.

use serde_json::{json, Value};

use super::clock::{iso_ms, DAY_MS, HOUR_MS};
use super::ids::{IdFactory, ObjectId};
use super::rng::Rng;
use super::users::User;
use super::{Org, Record};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Os {
    Mac,
    Windows,
    Linux,
}

impl Os {
    pub fn family(self) -> &'static str {
        match self {
            Os::Mac => "darwin",
            Os::Windows => "windows",
            Os::Linux => "linux",
        }
    }
}

#[derive(Debug, Clone)]
pub struct System {
    pub id: ObjectId,
    pub created_ms: i64,
    pub os: Os,
    pub hostname: String,
    pub serial: String,
    pub arm: bool,
    pub last_contact_ms: Option<i64>,
    pub active: bool,
    pub fde_active: bool,
    pub fde_key_present: bool,
    pub primary_user: Option<u32>,
    /// Users bound to this device directly (indexes into the org's users, ascending).
    pub users: Vec<u32>,
    pub ip_octet: u8,
}

impl Record for System {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl System {
    pub fn to_json(&self, org: &Org) -> Value {
        let id = self.id.to_string();
        let primary = self
            .primary_user
            .and_then(|u| org.data.users.get(u as usize));
        let owner_name = primary.map_or("Shared", |u| u.first);
        let (os, version, major, minor, patch, display) = match self.os {
            Os::Mac => (
                "Mac OS X",
                "14.6.1",
                14,
                6,
                1,
                format!("{owner_name}'s MacBook Pro"),
            ),
            Os::Windows => (
                "Windows 11 Pro",
                "10.0.22631",
                10,
                0,
                22631,
                format!("{owner_name}'s ThinkPad"),
            ),
            Os::Linux => ("Ubuntu", "22.04", 22, 4, 0, self.hostname.clone()),
        };
        let arch = match (self.os, self.arm) {
            (Os::Windows, _) => "x64",
            (_, true) => "arm64",
            (_, false) => "x86_64",
        };
        let user_metrics: Vec<Value> = self
            .users
            .iter()
            .filter_map(|u| org.data.users.get(*u as usize))
            .map(|u| {
                json!({
                    "userName": u.username(),
                    "admin": false,
                    "managed": true,
                    "suspended": u.is_suspended(),
                    "secureTokenEnabled": self.os == Os::Mac,
                })
            })
            .collect();
        let reports = org
            .data
            .policies
            .iter()
            .filter(|p| p.targets.binary_search(&self.index_in(org)).is_ok())
            .count();
        let mut system = json!({
            "_id": id,
            "id": id,
            "active": self.active,
            "agentVersion": "1.152.0",
            "allowMultiFactorAuthentication": false,
            "allowPublicKeyAuthentication": true,
            "allowSshPasswordAuthentication": false,
            "allowSshRootLogin": false,
            "arch": arch,
            "archFamily": if self.arm { "arm" } else { "x86" },
            "attributes": [],
            "azureAdJoined": false,
            "created": iso_ms(self.created_ms),
            "desktopCapable": self.os != Os::Linux,
            "displayName": display,
            "fde": {"active": self.fde_active, "keyPresent": self.fde_key_present},
            "hostname": self.hostname,
            "hwVendor": match self.os { Os::Mac => "Apple Inc.", Os::Windows => "LENOVO", Os::Linux => "QEMU" },
            "isPolicyBound": reports > 0,
            "lastContact": self.last_contact_ms.map_or(Value::Null, |ms| Value::from(iso_ms(ms))),
            "mdm": if self.os == Os::Mac {
                json!({"vendor": "internal", "dep": false, "userApproved": true, "enrollmentType": "device"})
            } else {
                json!({"vendor": "none"})
            },
            "modifySSHDConfig": false,
            "organization": org.id.to_string(),
            "os": os,
            "osFamily": self.os.family(),
            "osVersionDetail": {
                "osName": os,
                "major": major.to_string(),
                "minor": minor.to_string(),
                "patch": patch.to_string(),
                "majorNumber": major,
                "minorNumber": minor,
                "patchNumber": patch,
            },
            "policyStats": {"duplicate": 0, "failed": 0, "pending": 0, "success": reports, "total": reports, "unsupportedOs": 0},
            "primarySystemUser": {"id": primary.map_or(Value::Null, |u| Value::from(u.id.to_string()))},
            "remoteIP": format!("203.0.113.{}", self.ip_octet),
            "serialNumber": self.serial,
            "sshRootEnabled": false,
            "systemInsights": {"state": "enabled"},
            "systemTimezone": 0,
            "tags": [],
            "templateName": match self.os { Os::Mac => "macosx-darwin-x86_64", Os::Windows => "windows-windows-x86_64", Os::Linux => "linux-ubuntu-x86_64" },
            "userMetrics": user_metrics,
            "version": version,
        });
        if self.os == Os::Windows {
            if let Some(obj) = system.as_object_mut() {
                obj.insert(
                    "domainInfo".into(),
                    json!({"partOfDomain": false, "domainName": ""}),
                );
            }
        }
        system
    }

    fn index_in(&self, org: &Org) -> u32 {
        org.data
            .systems
            .binary_search_by_key(&self.id, |s| s.id)
            .ok()
            .and_then(|i| u32::try_from(i).ok())
            .unwrap_or(u32::MAX)
    }
}

pub fn generate_systems(
    count: usize,
    users: &[User],
    ids: &mut IdFactory,
    rng: &mut Rng,
    slug: &str,
    org_created_ms: i64,
    now_ms: i64,
) -> Vec<System> {
    let start = org_created_ms + 10 * DAY_MS;
    let end = (now_ms - 40 * DAY_MS).max(start + DAY_MS);
    let step = ((end - start) / i64::try_from(count.max(1)).unwrap_or(i64::MAX)).max(1);
    let mut systems = Vec::with_capacity(count);
    for i in 0..count {
        let created_ms = start + step * i64::try_from(i).unwrap_or(0);
        let os = match rng.below(20) {
            0..=9 => Os::Mac,
            10..=16 => Os::Windows,
            _ => Os::Linux,
        };
        // Exactly one device never checked in; every fifth went quiet more than 30 days ago.
        let last_contact_ms = if i == 1 {
            None
        } else if i % 5 == 3 {
            Some(now_ms - (31 + i64::try_from(rng.below(150)).unwrap_or(0)) * DAY_MS)
        } else {
            Some(now_ms - i64::try_from(rng.below(48 * HOUR_MS as u64)).unwrap_or(0))
        };
        let recent = last_contact_ms.is_some_and(|ms| now_ms - ms < 2 * DAY_MS);
        let primary_user = if users.is_empty() || os == Os::Linux || rng.percent(15) {
            None
        } else {
            u32::try_from(rng.below_usize(users.len())).ok()
        };
        let mut bound: Vec<u32> = primary_user.into_iter().collect();
        if !users.is_empty() && rng.percent(20) {
            if let Ok(extra) = u32::try_from(rng.below_usize(users.len())) {
                bound.push(extra);
            }
        }
        bound.sort_unstable();
        bound.dedup();
        let n = i + 1;
        let (hostname, serial) = match os {
            Os::Mac => (
                format!("{slug}-mbp-{n:04}"),
                format!("C02{}", rng.upper_alphanumeric(9)),
            ),
            Os::Windows => (
                format!("DESKTOP-{}", rng.upper_alphanumeric(7)),
                format!("PF{}", rng.upper_alphanumeric(6)),
            ),
            Os::Linux => (
                format!("build-{n:03}.{slug}.internal"),
                format!("VMW-{}", rng.upper_alphanumeric(10)),
            ),
        };
        let fde_active = os != Os::Linux && rng.percent(80);
        systems.push(System {
            id: ids.next(created_ms),
            created_ms,
            os,
            hostname,
            serial,
            arm: os == Os::Mac && rng.percent(70),
            last_contact_ms,
            active: recent && rng.percent(70),
            fde_active,
            fde_key_present: fde_active && rng.percent(90),
            primary_user,
            users: bound,
            ip_octet: u8::try_from(1 + rng.below(250)).unwrap_or(1),
        });
    }
    systems
}
