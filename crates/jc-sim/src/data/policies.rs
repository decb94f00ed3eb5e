//! Device policies and their latest results. Results are computed on demand, never stored.

use serde_json::{json, Value};

use super::clock::{iso_ms, DAY_MS, SECOND_MS};
use super::ids::{IdFactory, ObjectId};
use super::names::POLICY_TEMPLATES;
use super::rng::hash;
use super::systems::System;
use super::{Org, Record};

#[derive(Debug, Clone)]
pub struct Policy {
    pub id: ObjectId,
    pub template: usize,
    pub copy: usize,
    /// Systems that reported a result (indexes into the org's systems, ascending).
    pub targets: Vec<u32>,
    /// Position of this policy's first result in the org-wide result list.
    pub results_offset: u64,
    pub template_id: ObjectId,
}

impl Record for Policy {
    fn id(&self) -> ObjectId {
        self.id
    }
}

impl Policy {
    fn template(&self) -> (&'static str, &'static str, &'static str, &'static str) {
        POLICY_TEMPLATES.get(self.template).copied().unwrap_or((
            "custom_universal",
            "Custom Policy",
            "universal",
            "Custom policy",
        ))
    }

    pub fn name(&self) -> String {
        let (_, _, _, name) = self.template();
        match self.copy {
            0 => name.to_string(),
            n => format!("{name} ({})", n + 1),
        }
    }

    pub fn to_json(&self) -> Value {
        let (template_name, display, family, _) = self.template();
        json!({
            "id": self.id.to_string(),
            "name": self.name(),
            "template": {
                "activation": "",
                "alert": null,
                "behavior": "",
                "deliveryTypes": ["agent"],
                "description": format!("{display} policy template."),
                "displayName": display,
                "id": self.template_id.to_string(),
                "name": template_name,
                "osMetaFamily": family,
                "reference": null,
                "state": "",
            },
        })
    }

    /// `GET /api/v2/policies/{id}`: the list item plus its (empty) configuration.
    pub fn detail_json(&self) -> Value {
        let mut policy = self.to_json();
        if let Some(obj) = policy.as_object_mut() {
            obj.insert("configFields".into(), json!([]));
            obj.insert("notes".into(), Value::from(""));
            obj.insert("values".into(), json!([]));
        }
        policy
    }

    /// The result this policy last got from the `position`-th of its targets.
    pub fn result_json(&self, org: &Org, position: usize) -> Option<Value> {
        let system_index = *self.targets.get(position)?;
        let system = org.data.systems.get(system_index as usize)?;
        let sequence = self.results_offset + position as u64;
        let h = hash(&[org.seed, sequence]);
        let success = h % 100 < 85;
        let started_ms = system.last_contact_ms.unwrap_or(org.now_ms)
            - i64::try_from(h % (6 * 3600)).unwrap_or(0) * SECOND_MS;
        let ended_ms = started_ms + i64::try_from(1 + (h >> 8) % 20).unwrap_or(1) * SECOND_MS;
        let mut result = json!({
            "detail": if success { "" } else { "policy not applied: a reboot is required" },
            "endedAt": iso_ms(ended_ms),
            "exitStatus": if success { 0 } else { 1 },
            "id": result_id(org, sequence).to_string(),
            "policyID": self.id.to_string(),
            "startedAt": iso_ms(started_ms),
            "state": if success { "success" } else { "failed" },
            "stdErr": if success { "" } else { "exit status 1" },
            "stdOut": "",
            "success": success,
            "systemID": system.id.to_string(),
        });
        if let (Some(obj), Some(user)) = (
            result.as_object_mut(),
            system
                .primary_user
                .and_then(|u| org.data.users.get(u as usize)),
        ) {
            obj.insert("userObjectId".into(), Value::from(user.id.to_string()));
        }
        Some(result)
    }
}

/// Result ids sort in org-wide list order: a fixed random part, then a counter from a random start.
fn result_id(org: &Org, sequence: u64) -> ObjectId {
    let random = hash(&[org.seed, 0x5eed]);
    let start = (random & 0xffff_ffff_ff00_0000) | (random & 0x003f_ffff);
    ObjectId::from_parts((org.now_ms - DAY_MS) / 1000, start.wrapping_add(sequence))
}

/// Each policy applies to the systems of its OS family that have checked in at least once.
pub fn generate_policies(
    count: usize,
    systems: &[System],
    ids: &mut IdFactory,
    org_created_ms: i64,
) -> Vec<Policy> {
    let mut offset = 0u64;
    (0..count)
        .map(|i| {
            let template = i % POLICY_TEMPLATES.len();
            let family = POLICY_TEMPLATES.get(template).map_or("universal", |t| t.2);
            let targets: Vec<u32> = systems
                .iter()
                .enumerate()
                .filter(|(_, s)| {
                    s.last_contact_ms.is_some()
                        && (family == "universal" || s.os.family() == family)
                })
                .filter_map(|(n, _)| u32::try_from(n).ok())
                .collect();
            let created_ms = org_created_ms + DAY_MS * (90 + 7 * i64::try_from(i).unwrap_or(0));
            let template_id = ObjectId::from_parts(
                1_500_000_000 + 86_400 * template as i64,
                hash(&[0x7e37, template as u64]),
            );
            let policy = Policy {
                id: ids.next(created_ms),
                template,
                copy: i / POLICY_TEMPLATES.len(),
                results_offset: offset,
                template_id,
                targets,
            };
            offset += policy.targets.len() as u64;
            policy
        })
        .collect()
}

/// Where the org-wide result at `position` comes from: (policy index, position within that policy).
pub fn locate_result(policies: &[Policy], position: u64) -> Option<(usize, usize)> {
    let p = policies.partition_point(|p| p.results_offset + p.targets.len() as u64 <= position);
    let policy = policies.get(p)?;
    let within = usize::try_from(position.checked_sub(policy.results_offset)?).ok()?;
    (within < policy.targets.len()).then_some((p, within))
}

pub fn total_results(policies: &[Policy]) -> u64 {
    policies
        .last()
        .map_or(0, |p| p.results_offset + p.targets.len() as u64)
}
