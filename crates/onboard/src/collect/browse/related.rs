//! Following relationships between collected records.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{id_of, label_of, strings, text, BrowseError, Collection, Record};
use crate::category::Category;

/// Related records listed per kind.
const PER_KIND: usize = 100;

/// A record related to the selected one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RelatedItem {
    pub category: Category,
    pub id: String,
    pub label: String,
}

fn item(category: Category, record: &Record) -> RelatedItem {
    RelatedItem {
        category,
        id: id_of(category, record),
        label: label_of(category, record),
    }
}

fn set(ids: impl IntoIterator<Item = String>) -> HashSet<String> {
    ids.into_iter().filter(|s| !s.is_empty()).collect()
}

impl Collection {
    /// The records of `category` for which `keep` holds: the first [`PER_KIND`] by label, then
    /// id. Sub-lists are fetched concurrently, so the records' order on disk differs between
    /// runs; the related list must not.
    fn related_where(
        &self,
        category: Category,
        keep: impl Fn(&Record) -> bool,
    ) -> Result<Vec<RelatedItem>, BrowseError> {
        let mut items: Vec<RelatedItem> = self
            .records(category)?
            .iter()
            .filter(|r| keep(r))
            .map(|r| item(category, r))
            .collect();
        items.sort_by(|a, b| a.label.cmp(&b.label).then_with(|| a.id.cmp(&b.id)));
        items.truncate(PER_KIND);
        Ok(items)
    }

    /// The records of `category` whose id is in `ids`.
    fn related_ids(
        &self,
        category: Category,
        ids: &HashSet<String>,
    ) -> Result<Vec<RelatedItem>, BrowseError> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        self.related_where(category, |r| ids.contains(&id_of(category, r)))
    }
}

fn lists(record: &Record, field: &str, id: &str) -> bool {
    strings(record.get(field)).iter().any(|x| x == id)
}

pub(super) fn related(
    c: &Collection,
    category: Category,
    id: &str,
) -> Result<Vec<RelatedItem>, BrowseError> {
    let record = c.find(category, id)?;
    let mut out = Vec::new();
    match category {
        Category::Users => {
            let group_ids = set(c
                .records(Category::UserGroups)?
                .iter()
                .filter(|g| lists(g, "effective_user_ids", id) || lists(g, "direct_user_ids", id))
                .map(|g| id_of(Category::UserGroups, g)));
            out.extend(c.related_ids(Category::UserGroups, &group_ids)?);
            out.extend(c.related_where(Category::Applications, |a| {
                lists(a, "user_ids", id)
                    || strings(a.get("user_group_ids"))
                        .iter()
                        .any(|g| group_ids.contains(g))
            })?);
            out.extend(
                c.related_where(Category::Devices, |d| text(d.get("primary_user_id")) == id)?,
            );
            out.extend(c.related_ids(Category::Users, &set([text(record.get("manager_id"))]))?);
        }
        Category::UserGroups => {
            out.extend(
                c.related_where(Category::Applications, |a| lists(a, "user_group_ids", id))?,
            );
            out.extend(c.related_ids(
                Category::UserGroups,
                &set(strings(record.get("direct_group_ids"))),
            )?);
            out.extend(c.related_ids(
                Category::Users,
                &set(strings(record.get("effective_user_ids"))),
            )?);
        }
        Category::Applications | Category::LdapServers | Category::RadiusServers => {
            let group_ids = set(strings(record.get("user_group_ids")));
            let mut user_ids = set(strings(record.get("user_ids")));
            for g in c.records(Category::UserGroups)? {
                if group_ids.contains(&id_of(Category::UserGroups, &g)) {
                    user_ids.extend(strings(g.get("effective_user_ids")));
                }
            }
            out.extend(c.related_ids(Category::UserGroups, &group_ids)?);
            out.extend(c.related_ids(Category::Users, &user_ids)?);
        }
        Category::Devices => {
            out.extend(
                c.related_ids(Category::Users, &set([text(record.get("primary_user_id"))]))?,
            );
            out.extend(c.related_where(Category::DeviceGroups, |g| lists(g, "device_ids", id))?);
            out.extend(
                c.related_where(Category::PolicyResults, |r| text(r.get("device_id")) == id)?,
            );
        }
        Category::DeviceGroups => {
            out.extend(c.related_ids(Category::Devices, &set(strings(record.get("device_ids"))))?);
        }
        Category::Policies => {
            out.extend(
                c.related_where(Category::PolicyResults, |r| text(r.get("policy_id")) == id)?,
            );
        }
        Category::PolicyResults => {
            out.extend(c.related_ids(Category::Policies, &set([text(record.get("policy_id"))]))?);
            out.extend(c.related_ids(Category::Devices, &set([text(record.get("device_id"))]))?);
        }
        Category::Admins | Category::Organizations => {}
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::super::fixture::org;
    use super::*;

    fn pairs(items: &[RelatedItem]) -> Vec<(Category, &str)> {
        items
            .iter()
            .map(|r| (r.category, r.label.as_str()))
            .collect()
    }

    #[test]
    fn a_user_leads_to_groups_apps_devices_and_manager() {
        let (_dir, c) = org();
        let of_ada = c.related(Category::Users, "u3").expect("related");
        assert_eq!(
            pairs(&of_ada),
            [
                (Category::UserGroups, "Engineering"),
                (Category::Applications, "Slack"),
                (Category::Users, "Grace Hopper"),
            ],
            "Ada is in Engineering (nested), so she can use Slack; Grace is her manager"
        );
        let of_grace = c.related(Category::Users, "u1").expect("related");
        assert!(pairs(&of_grace).contains(&(Category::Devices, "old-laptop")));
    }

    #[test]
    fn an_app_leads_to_its_groups_and_their_members() {
        let (_dir, c) = org();
        let of_slack = c.related(Category::Applications, "a1").expect("related");
        let ids: Vec<_> = of_slack.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(
            ids,
            ["g1", "u3", "u1"],
            "the group, then its members by name: Ada Lovelace before Grace Hopper"
        );
        assert!(c
            .related(Category::Applications, "a2")
            .expect("related")
            .is_empty());
    }

    #[test]
    fn a_policy_result_leads_to_what_was_collected() {
        let (_dir, c) = org();
        let of_result = c
            .related(Category::PolicyResults, "p1/d1")
            .expect("related");
        assert_eq!(
            pairs(&of_result),
            [(Category::Devices, "old-laptop")],
            "the device; the policy itself was not collected"
        );
        assert!(matches!(
            c.related(Category::Users, "nobody"),
            Err(BrowseError::NoSuchRecord { .. })
        ));
    }
}
