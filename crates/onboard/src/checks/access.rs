//! access.*: one `limit=1` read per data category proves the key may read it: one
//! request per route family, never a record more than needed.

use jc_api::calls::Area;
use jc_api::endpoints::*;
use jc_api::{Client, Error, ListEndpoint, Page, Region};

use super::Outcome;
use crate::category::Category;
use crate::report::{CheckState, Evidence};

/// One access probe: a category's list, or one of the two sub-lists (a group's members, an
/// application's groups) a read-only role can be refused separately. Probes run in this order
/// and their check ids (`access.<key>`) are stable. Organizations have none: `org.selected`
/// already read them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Probe {
    List(Category),
    GroupMembers,
    AppAccess,
}

impl Probe {
    pub const ALL: [Probe; 12] = [
        Probe::List(Category::Users),
        Probe::List(Category::UserGroups),
        Probe::GroupMembers,
        Probe::List(Category::Admins),
        Probe::List(Category::Applications),
        Probe::AppAccess,
        Probe::List(Category::Devices),
        Probe::List(Category::DeviceGroups),
        Probe::List(Category::Policies),
        Probe::List(Category::PolicyResults),
        Probe::List(Category::LdapServers),
        Probe::List(Category::RadiusServers),
    ];

    /// The category whose records this probe proves can be read.
    pub fn serves(self) -> Category {
        match self {
            Probe::List(category) => category,
            Probe::GroupMembers => Category::UserGroups,
            Probe::AppAccess => Category::Applications,
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            Probe::List(category) => category.as_str(),
            Probe::GroupMembers => "group_members",
            Probe::AppAccess => "app_access",
        }
    }

    pub fn check_id(self) -> String {
        format!("access.{}", self.key())
    }

    /// What it reads, in the words of a sentence: "users", "group memberships".
    pub fn noun(self) -> &'static str {
        match self {
            Probe::List(Category::Admins) => "administrators and their roles",
            Probe::List(category) => category.label(),
            Probe::GroupMembers => "group memberships",
            Probe::AppAccess => "which groups can use each application",
        }
    }

    /// Its name on its own, for tables: "Users", "Group members".
    pub fn label(self) -> String {
        match self {
            Probe::List(category) => category.title(),
            Probe::GroupMembers => "Group members".to_owned(),
            Probe::AppAccess => "Application access".to_owned(),
        }
    }

    pub fn title(self) -> String {
        format!("{} can be read", self.label())
    }

    /// What the probe reads, as the call table names it.
    pub fn area(self) -> Area {
        match self {
            Probe::List(Category::Organizations) => Area::Organizations,
            Probe::List(Category::Users) => Area::Users,
            Probe::List(Category::UserGroups) => Area::UserGroups,
            Probe::GroupMembers => Area::GroupMembers,
            Probe::List(Category::Admins) => Area::Admins,
            Probe::List(Category::Applications) => Area::Applications,
            Probe::AppAccess => Area::AppAccess,
            Probe::List(Category::Devices) => Area::Devices,
            Probe::List(Category::DeviceGroups) => Area::DeviceGroups,
            Probe::List(Category::Policies) => Area::Policies,
            Probe::List(Category::PolicyResults) => Area::PolicyResults,
            Probe::List(Category::LdapServers) => Area::LdapServers,
            Probe::List(Category::RadiusServers) => Area::RadiusServers,
        }
    }

    /// The probe of a data area; `None` for the organizations and the role, which the key's
    /// own checks read.
    pub fn of_area(area: Area) -> Option<Probe> {
        Probe::ALL.into_iter().find(|p| p.area() == area)
    }

    /// Whether a probe's total counts the whole category (not one group's members).
    fn counts_everything(self) -> bool {
        matches!(self, Probe::List(_))
    }

    /// Without users there is nothing to onboard; every other category can be missing.
    pub fn mandatory(self) -> bool {
        self == Probe::List(Category::Users)
    }
}

/// Ids found by earlier probes, that later ones read beneath.
#[derive(Debug, Default, Clone)]
pub(super) struct Found {
    first_group: Option<String>,
    first_app: Option<String>,
}

impl Found {
    /// Keeps the first id a probe saw, where a later probe reads beneath it.
    pub(super) fn learn(&mut self, probe: Probe, first_id: Option<String>) {
        match probe {
            Probe::List(Category::UserGroups) => self.first_group = first_id,
            Probe::List(Category::Applications) => self.first_app = first_id,
            _ => {}
        }
    }
}

/// What one probe saw: how many there are, and the evidence.
struct Seen {
    total: Option<u64>,
    count: usize,
    first_id: Option<String>,
    evidence: Evidence,
}

async fn read<E: ListEndpoint>(
    client: &Client,
    endpoint: E,
    id: impl Fn(&E::Item) -> String,
) -> Result<Seen, Error> {
    let page: Page<E::Item> = client.page(&endpoint, 0, 1).await?;
    Ok(Seen {
        total: page.total,
        count: page.items.len(),
        first_id: page.items.first().map(id),
        evidence: Evidence::ok(&page.detail),
    })
}

/// One probe's read. Its value is the id of the first record it saw, for [`Found::learn`].
pub(super) async fn probe(
    client: &Client,
    region: Option<Region>,
    probe: Probe,
    found: &Found,
) -> (Outcome, Option<String>) {
    let route = probe.key();
    let result = match probe {
        Probe::List(Category::Organizations) => {
            read(client, ListOrganizations, |o| {
                o.id.clone()
                    .or_else(|| o.mongo_id.clone())
                    .unwrap_or_default()
            })
            .await
        }
        Probe::List(Category::Users) => read(client, ListSystemUsers, |u| u.id().to_owned()).await,
        Probe::List(Category::UserGroups) => {
            read(client, ListUserGroups, |g| g.id().to_owned()).await
        }
        Probe::GroupMembers => match &found.first_group {
            Some(group) => {
                read(client, ListUserGroupMembership(group.clone()), |m| {
                    m.id.clone().unwrap_or_default()
                })
                .await
            }
            None => {
                return (
                    Outcome::pass(
                        "There are no user groups yet, so there are no memberships to read.",
                    ),
                    None,
                )
            }
        },
        Probe::List(Category::Admins) => read(client, ListAdmins, |a| a.id().to_owned()).await,
        Probe::List(Category::Applications) => {
            read(client, ListApplications, |a| a.id().to_owned()).await
        }
        Probe::AppAccess => match &found.first_app {
            Some(app) => return app_access(client, region, app).await,
            None => {
                return (
                    Outcome::pass(
                        "There are no SSO applications yet, so there is no access to read.",
                    ),
                    None,
                )
            }
        },
        Probe::List(Category::Devices) => read(client, ListSystems, |s| s.id().to_owned()).await,
        Probe::List(Category::DeviceGroups) => {
            read(client, ListSystemGroups, |g| g.id().to_owned()).await
        }
        Probe::List(Category::Policies) => {
            read(client, ListPolicies, |p| p.id.clone().unwrap_or_default()).await
        }
        Probe::List(Category::PolicyResults) => {
            read(client, ListPolicyResults, |r| {
                r.id.clone().unwrap_or_default()
            })
            .await
        }
        Probe::List(Category::LdapServers) => {
            read(client, ListLdapServers, |s| {
                s.id.clone().unwrap_or_default()
            })
            .await
        }
        Probe::List(Category::RadiusServers) => {
            read(client, ListRadiusServers, |s| s.id().to_owned()).await
        }
    };
    let mut first_id = None;
    let outcome = match result {
        Ok(seen) => {
            let count = match (seen.total, seen.count) {
                _ if !probe.counts_everything() => String::new(),
                (Some(total), _) => format!(" ({total} in the organization)"),
                (None, 0) => " (none yet)".to_owned(),
                (None, _) => String::new(),
            };
            first_id = seen.first_id;
            Outcome::pass(format!("Can read {}{count}.", probe.noun())).with_evidence(seen.evidence)
        }
        // The admin list is undocumented: its absence costs one category, not the connection.
        Err(error @ (Error::NotFound { .. } | Error::Forbidden { .. }))
            if probe == Probe::List(Category::Admins) =>
        {
            let mut outcome = Outcome::from_error(
                CheckState::Warn,
                &error,
                probe.noun(),
                region,
                client,
                route,
            );
            outcome.message = format!(
                "JumpCloud did not let this key list administrators, so administrators and their roles will not be \
                 collected. {}",
                outcome.message
            );
            outcome
        }
        Err(error) if super::is_transient(&error) => {
            Outcome::not_checked_now(&error, probe.noun(), region, client, route)
        }
        Err(error) => Outcome::from_error(
            CheckState::Fail,
            &error,
            probe.noun(),
            region,
            client,
            route,
        ),
    };
    (outcome, first_id)
}

/// Direct bindings first; read-only keys are refused on some association routes (JumpCloud
/// answers 403 there), and then the traversal route tells the same story.
async fn app_access(
    client: &Client,
    region: Option<Region>,
    app: &str,
) -> (Outcome, Option<String>) {
    let associations = ListAppAssociations {
        app_id: app.to_owned(),
        target: Target::UserGroup,
    };
    let noun = Probe::AppAccess.noun();
    match read(client, associations, |c| {
        c.to.as_ref().and_then(|t| t.id.clone()).unwrap_or_default()
    })
    .await
    {
        Ok(seen) => (
            Outcome::pass(format!("Can read {noun}.")).with_evidence(seen.evidence),
            None,
        ),
        Err(refused @ Error::Forbidden { .. }) => {
            let refusal = Evidence::failed(&refused, &client.base().host(), "associations");
            match read(client, ListAppUserGroups(app.to_owned()), |g| g.id.clone().unwrap_or_default()).await {
                Ok(seen) => (
                    Outcome::pass(format!(
                        "Can read {noun}. JumpCloud keeps the direct association list from read-only keys, so group \
                         access is read through each application's group list instead, which gives the same answer."
                    ))
                    .with_evidence(refusal)
                    .with_evidence(seen.evidence),
                    None,
                ),
                Err(error) if super::is_transient(&error) => (
                    Outcome::not_checked_now(&error, noun, region, client, "usergroups").with_evidence(refusal),
                    None,
                ),
                Err(error) => (
                    Outcome::from_error(CheckState::Fail, &error, noun, region, client, "usergroups").with_evidence(refusal),
                    None,
                ),
            }
        }
        Err(error) if super::is_transient(&error) => (
            Outcome::not_checked_now(&error, noun, region, client, "associations"),
            None,
        ),
        Err(error) => (
            Outcome::from_error(
                CheckState::Fail,
                &error,
                noun,
                region,
                client,
                "associations",
            ),
            None,
        ),
    }
}
