//! One collector per category. Each streams its records to `<work>/<category>.jsonl` and
//! returns how it ended.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::{Mutex, PoisonError};

use futures::stream::{self, StreamExt};
use jc_api::endpoints::*;
use jc_api::model::{Admin, Application, Group, LdapServer, OrgSummary, RadiusServer, System};
use jc_api::model::{Policy, PolicyResult, SystemUser};
use jc_api::{ListEndpoint, Region};
use serde::Serialize;

use super::fetch::{Fetcher, ListOutcome};
use super::lists::{
    bindings, connection_ids, object_ids, settle, sub_list, traversal_note, BindingRoutes,
    WithFields,
};
use super::logos::LogoFetcher;
use super::manager::{ManagerSource, PeopleIndex};
use super::pacing::MAX_IN_FLIGHT;
use super::records::*;
use super::store::{read_records, RecordSink};
use super::summary::{Category, CategoryReport, DataQualityWarning, Progress};

/// Only what [`UserRecord`] keeps.
pub const USER_FIELDS: &str = "_id id username email alternateEmail recoveryEmail firstname \
     middlename lastname displayname state activated suspended account_locked mfa mfaEnrollment \
     totp_enabled department jobTitle employeeIdentifier created manager attributes";
pub const ADMIN_FIELDS: &str =
    "_id id email firstname lastname roleName roleNames enableMultiFactor suspended created";
pub const DEVICE_FIELDS: &str = "_id id hostname displayName os osFamily version agentVersion \
     active lastContact fde primarySystemUser";

/// Sub-lists (members, bindings) fetched at once; the shared gate still bounds requests.
const SUB_LISTS_AT_ONCE: usize = MAX_IN_FLIGHT;

pub(crate) type ProgressFn<'a> = &'a (dyn Fn(Progress) + Send + Sync);

/// What every collector shares.
pub(crate) struct Ctx<'a> {
    pub fetcher: &'a Fetcher,
    pub work: &'a Path,
    pub region: Option<Region>,
    pub progress: ProgressFn<'a>,
    pub manager: &'a ManagerSource,
    pub warnings: &'a Mutex<RecordSink>,
    pub logos: &'a LogoFetcher<'a>,
}

impl Ctx<'_> {
    pub(crate) fn records_path(&self, category: Category) -> PathBuf {
        records_path(self.work, category)
    }

    fn sink(&self, category: Category) -> io::Result<RecordSink> {
        RecordSink::create(self.records_path(category))
    }

    fn warn(&self, warning: DataQualityWarning) {
        self.warnings
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .write(&warning);
    }

    fn advanced(&self, category: Category, collected: u64, total: Option<u64>, pages: u64) {
        (self.progress)(Progress::Advanced {
            category,
            collected,
            total,
            pages,
        });
    }

    fn cancelled(&self) -> bool {
        self.fetcher.cancel_token().is_cancelled()
    }
}

pub(crate) fn records_path(work: &Path, category: Category) -> PathBuf {
    work.join(format!("{}.jsonl", category.as_str()))
}

/// Lists a route straight into its category's file, `convert` shaping each record.
async fn stream_list<E, R>(
    ctx: &Ctx<'_>,
    category: Category,
    endpoint: &E,
    sink: &mut RecordSink,
    mut convert: impl FnMut(E::Item) -> R,
) -> ListOutcome
where
    E: ListEndpoint + Sync,
    E::Item: Send,
    R: Serialize,
{
    let mut pages = 0;
    ctx.fetcher
        .list(endpoint, |items, total| {
            pages += 1;
            for item in items {
                sink.write(&convert(item));
            }
            ctx.advanced(category, sink.written(), total, pages);
        })
        .await
}

/// A category that is one list route, streamed to disk record by record, with no sub-routes.
async fn single_list<E, R>(
    ctx: &Ctx<'_>,
    category: Category,
    endpoint: &E,
    convert: impl FnMut(E::Item) -> R,
) -> io::Result<CategoryReport>
where
    E: ListEndpoint + Sync,
    E::Item: Send,
    R: Serialize,
{
    let mut sink = ctx.sink(category)?;
    let outcome = stream_list(ctx, category, endpoint, &mut sink, convert).await;
    sink.finish()?;
    Ok(settle(
        category,
        &outcome,
        ctx.region,
        vec![],
        vec![],
        false,
    ))
}

/// A main list kept in memory (groups, apps, servers: small next to users and devices).
async fn list_in_memory<E>(
    ctx: &Ctx<'_>,
    category: Category,
    endpoint: &E,
) -> (Vec<E::Item>, ListOutcome)
where
    E: ListEndpoint + Sync,
    E::Item: Send,
{
    let mut items = Vec::new();
    let mut pages = 0;
    let outcome = ctx
        .fetcher
        .list(endpoint, |page, total| {
            pages += 1;
            items.extend(page);
            ctx.advanced(category, items.len() as u64, total, pages);
        })
        .await;
    (items, outcome)
}

pub(crate) async fn organizations(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    single_list(
        ctx,
        Category::Organizations,
        &ListOrganizations,
        |o: OrgSummary| OrganizationRecord {
            id: o.id().to_owned(),
            name: o.display_name,
            created: o.created,
            logo_url: o.logo_url,
        },
    )
    .await
}

pub(crate) async fn admins(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let route = WithFields {
        inner: ListAdmins,
        fields: ADMIN_FIELDS,
    };
    single_list(ctx, Category::Admins, &route, |a: Admin| AdminRecord {
        id: a.id().to_owned(),
        roles: a
            .role_names
            .clone()
            .unwrap_or_else(|| a.role_name.iter().cloned().collect()),
        email: a.email,
        first_name: a.firstname,
        last_name: a.lastname,
        role: a.role_name,
        mfa_enabled: a.enable_multi_factor,
        suspended: a.suspended,
        created: a.created,
    })
    .await
}

pub(crate) async fn devices(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let route = WithFields {
        inner: ListSystems,
        fields: DEVICE_FIELDS,
    };
    single_list(ctx, Category::Devices, &route, |s: System| DeviceRecord {
        id: s.id().to_owned(),
        hostname: s.hostname,
        display_name: s.display_name,
        os: s.os,
        os_family: s.os_family,
        os_version: s.version,
        agent_version: s.agent_version,
        active: s.active,
        last_contact: s.last_contact,
        disk_encrypted: s.fde.and_then(|f| f.active),
        primary_user_id: s.primary_system_user.and_then(|u| u.id),
    })
    .await
}

fn user_record(u: SystemUser, source: &ManagerSource) -> UserRecord {
    let custom_attributes: BTreeMap<String, String> = u
        .attributes
        .iter()
        .flatten()
        .filter_map(|kv| {
            let value = match kv.value.as_ref()? {
                serde_json::Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((kv.name.clone()?, value))
        })
        .collect();
    let manager_ref = source
        .value_of(u.manager.as_deref(), &custom_attributes)
        .map(str::to_owned);
    UserRecord {
        id: u.id().to_owned(),
        username: u.username,
        email: u.email,
        alternate_email: u.alternate_email.filter(|e| !e.is_empty()),
        recovery_email: u.recovery_email.and_then(|r| r.address),
        first_name: u.firstname,
        middle_name: u.middlename,
        last_name: u.lastname,
        display_name: u.displayname,
        state: u.state,
        activated: u.activated,
        suspended: u.suspended,
        locked: u.account_locked,
        mfa_configured: u.mfa.as_ref().and_then(|m| m.configured),
        mfa_excluded: u.mfa.as_ref().and_then(|m| m.exclusion),
        mfa_status: u.mfa_enrollment.and_then(|m| m.overall_status),
        totp_enabled: u.totp_enabled,
        department: u.department,
        job_title: u.job_title,
        employee_id: u.employee_identifier,
        created: u.created,
        manager_ref,
        manager_id: None,
        manager_name: None,
        manager_email: None,
        custom_attributes,
    }
}

/// Users stream to a raw file while an index of people is built; a second pass over the file
/// resolves managers, so the whole directory is never in memory.
pub(crate) async fn users(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::Users;
    let raw_path = ctx.work.join("users.raw.jsonl");
    let mut raw = RecordSink::create(raw_path.clone())?;
    let mut index = PeopleIndex::default();
    let route = WithFields {
        inner: ListSystemUsers,
        fields: USER_FIELDS,
    };
    let outcome = stream_list(ctx, category, &route, &mut raw, |u| {
        let record = user_record(u, ctx.manager);
        index.add(&record);
        record
    })
    .await;
    raw.finish()?;

    let mut sink = ctx.sink(category)?;
    let (mut with_manager, mut unresolved) = (0u64, 0u64);
    for record in read_records::<UserRecord>(&raw_path)? {
        let mut user = record?;
        if let Some(reference) = user.manager_ref.clone() {
            with_manager += 1;
            match index.resolve(&reference) {
                Some(manager) => {
                    user.manager_id = Some(manager.id);
                    user.manager_name = manager.name;
                    user.manager_email = manager.email;
                }
                None => {
                    unresolved += 1;
                    ctx.warn(unresolved_manager(&user, &reference, ctx.manager));
                }
            }
        }
        sink.write(&user);
    }
    sink.finish()?;
    std::fs::remove_file(&raw_path)?;

    let mut notes = Vec::new();
    if outcome.collected > 0 {
        notes.push(format!(
            "Managers were read from {}: {with_manager} users have one, {unresolved} could not be \
             resolved to a user (listed as data-quality warnings).",
            ctx.manager.describe()
        ));
    }
    if with_manager == 0 && outcome.collected > 0 {
        notes.push(format!(
            "No user has a value in {}.",
            ctx.manager.describe()
        ));
    }
    Ok(settle(category, &outcome, ctx.region, vec![], notes, false))
}

fn unresolved_manager(
    user: &UserRecord,
    reference: &str,
    source: &ManagerSource,
) -> DataQualityWarning {
    let who = user
        .email
        .as_deref()
        .or(user.username.as_deref())
        .unwrap_or(&user.id);
    DataQualityWarning {
        category: Category::Users.as_str().to_owned(),
        record_id: user.id.clone(),
        message: format!(
            "{who}: the manager {reference:?} (from {}) matches no collected user",
            source.describe()
        ),
    }
}

/// Problems and cancellation met while fetching per-record sub-lists.
#[derive(Default)]
struct SubProblems {
    problems: Vec<String>,
    cancelled: bool,
}

impl SubProblems {
    fn add(&mut self, problems: impl IntoIterator<Item = String>, cancelled: bool) {
        self.problems.extend(problems);
        self.cancelled |= cancelled;
    }

    /// At most a few reasons spelled out, then a count.
    fn into_reasons(self) -> (Vec<String>, bool) {
        const SHOWN: usize = 3;
        let extra = self.problems.len().saturating_sub(SHOWN);
        let mut reasons: Vec<String> = self.problems.into_iter().take(SHOWN).collect();
        if extra > 0 {
            reasons.push(format!("{extra} more sub-lists failed the same way"));
        }
        (reasons, self.cancelled)
    }
}

pub(crate) async fn user_groups(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::UserGroups;
    let (groups, outcome) = list_in_memory(ctx, category, &ListUserGroups).await;
    let mut sink = ctx.sink(category)?;
    let mut subs = SubProblems::default();
    let mut done = stream::iter(groups)
        .map(|g: Group| async move {
            let id = g.id().to_owned();
            let what = format!("user group {}", g.name.as_deref().unwrap_or(&id));
            let members = sub_list(
                ctx.fetcher,
                &ListUserGroupMembers(id.clone()),
                &format!("the members of {what}"),
            )
            .await;
            let effective = sub_list(
                ctx.fetcher,
                &ListUserGroupMembership(id.clone()),
                &format!("the effective members of {what}"),
            )
            .await;
            let record = UserGroupRecord {
                direct_user_ids: connection_ids(&members.items, "user"),
                direct_group_ids: connection_ids(&members.items, "user_group"),
                effective_user_ids: object_ids(&effective.items, "user"),
                id,
                name: g.name,
                description: g.description,
                membership_method: g.membership_method,
            };
            let problems = [members.problem, effective.problem].into_iter().flatten();
            (
                record,
                problems.collect::<Vec<_>>(),
                members.cancelled || effective.cancelled,
            )
        })
        .buffer_unordered(SUB_LISTS_AT_ONCE);
    while let Some((record, problems, cancelled)) = done.next().await {
        sink.write(&record);
        subs.add(problems, cancelled);
    }
    sink.finish()?;
    let (reasons, cancelled) = subs.into_reasons();
    Ok(settle(
        category,
        &outcome,
        ctx.region,
        reasons,
        vec![],
        cancelled,
    ))
}

pub(crate) async fn device_groups(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::DeviceGroups;
    let (groups, outcome) = list_in_memory(ctx, category, &ListSystemGroups).await;
    let mut sink = ctx.sink(category)?;
    let mut subs = SubProblems::default();
    let mut done = stream::iter(groups)
        .map(|g: Group| async move {
            let id = g.id().to_owned();
            let what = format!(
                "the members of device group {}",
                g.name.as_deref().unwrap_or(&id)
            );
            let members = sub_list(ctx.fetcher, &ListSystemGroupMembers(id.clone()), &what).await;
            let record = DeviceGroupRecord {
                device_ids: connection_ids(&members.items, "system"),
                id,
                name: g.name,
                description: g.description,
                membership_method: g.membership_method,
            };
            (record, members.problem, members.cancelled)
        })
        .buffer_unordered(SUB_LISTS_AT_ONCE);
    while let Some((record, problem, cancelled)) = done.next().await {
        sink.write(&record);
        subs.add(problem, cancelled);
    }
    sink.finish()?;
    let (reasons, cancelled) = subs.into_reasons();
    Ok(settle(
        category,
        &outcome,
        ctx.region,
        reasons,
        vec![],
        cancelled,
    ))
}

pub(crate) async fn applications(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::Applications;
    let (apps, outcome) = list_in_memory(ctx, category, &ListApplications).await;
    let mut sink = ctx.sink(category)?;
    let refused = AtomicBool::new(false);
    let mut subs = SubProblems::default();
    let refused_ref = &refused;
    let mut done = stream::iter(apps)
        .map(|app: Application| async move {
            let id = app.id().to_owned();
            let what = format!(
                "application {}",
                app.display_label.as_deref().unwrap_or(&id)
            );
            let route = |target| ListAppAssociations {
                app_id: id.clone(),
                target,
            };
            let logo_url = app.logo.and_then(|l| l.url);
            let (found, logo_file) = futures::join!(
                bindings_with(
                    ctx.fetcher,
                    route(Target::UserGroup),
                    route(Target::User),
                    ListAppUserGroups(id.clone()),
                    Some(ListAppUsers(id.clone())),
                    refused_ref,
                    &what,
                ),
                ctx.logos.fetch(&id, logo_url.as_deref()),
            );
            let record = ApplicationRecord {
                id,
                name: app.name,
                display_name: app.display_name,
                label: app.display_label,
                sso_type: app.sso.and_then(|s| s.kind),
                active: app.active,
                logo_url,
                logo_file,
                user_group_ids: found.group_ids,
                user_ids: found.user_ids,
                access_source: found.source.to_owned(),
            };
            (record, found.problems, found.cancelled)
        })
        .buffer_unordered(SUB_LISTS_AT_ONCE);
    while let Some((record, problems, cancelled)) = done.next().await {
        sink.write(&record);
        subs.add(problems, cancelled);
    }
    sink.finish()?;
    let mut notes = Vec::new();
    if refused.load(std::sync::atomic::Ordering::Relaxed) {
        notes.push(traversal_note(true));
    }
    notes.extend(ctx.logos.note());
    let (reasons, cancelled) = subs.into_reasons();
    Ok(settle(
        category, &outcome, ctx.region, reasons, notes, cancelled,
    ))
}

/// [`bindings`] with the two association routes already built.
async fn bindings_with<A, G, U>(
    fetcher: &Fetcher,
    groups_route: A,
    users_route: A,
    traversal_groups: G,
    traversal_users: Option<U>,
    refused: &AtomicBool,
    what: &str,
) -> super::lists::Bindings
where
    A: ListEndpoint<Item = jc_api::model::GraphConnection> + Sync,
    G: ListEndpoint<Item = jc_api::model::GraphObject> + Sync,
    U: ListEndpoint<Item = jc_api::model::GraphObject> + Sync,
{
    bindings(
        fetcher,
        BindingRoutes {
            association_groups: groups_route,
            association_users: users_route,
            traversal_groups,
            traversal_users,
        },
        refused,
        what,
    )
    .await
}

pub(crate) async fn ldap_servers(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::LdapServers;
    let (servers, outcome) = list_in_memory(ctx, category, &ListLdapServers).await;
    let refused = AtomicBool::new(false);
    let refused_ref = &refused;
    let mut sink = ctx.sink(category)?;
    let mut subs = SubProblems::default();
    let mut done = stream::iter(servers)
        .map(|server: LdapServer| async move {
            let id = server.id.clone().unwrap_or_default();
            let what = format!("LDAP server {}", server.name.as_deref().unwrap_or(&id));
            let route = |target| ListLdapServerAssociations {
                id: id.clone(),
                target,
            };
            let found = bindings_with(
                ctx.fetcher,
                route(Target::UserGroup),
                route(Target::User),
                ListLdapServerUserGroups(id.clone()),
                Some(ListLdapServerUsers(id.clone())),
                refused_ref,
                &what,
            )
            .await;
            let record = DirectoryServerRecord {
                id,
                name: server.name,
                network_source_ip: None,
                mfa: None,
                user_group_ids: found.group_ids,
                user_ids: found.user_ids,
                binding_source: found.source.to_owned(),
            };
            (record, found.problems, found.cancelled)
        })
        .buffer_unordered(SUB_LISTS_AT_ONCE);
    while let Some((record, problems, cancelled)) = done.next().await {
        sink.write(&record);
        subs.add(problems, cancelled);
    }
    sink.finish()?;
    let mut notes = Vec::new();
    if refused.load(std::sync::atomic::Ordering::Relaxed) {
        notes.push(traversal_note(true));
    }
    notes.extend(ctx.logos.note());
    let (reasons, cancelled) = subs.into_reasons();
    Ok(settle(
        category, &outcome, ctx.region, reasons, notes, cancelled,
    ))
}

pub(crate) async fn radius_servers(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::RadiusServers;
    let (servers, outcome) = list_in_memory(ctx, category, &ListRadiusServers).await;
    let refused = AtomicBool::new(false);
    let refused_ref = &refused;
    let mut sink = ctx.sink(category)?;
    let mut subs = SubProblems::default();
    let mut done = stream::iter(servers)
        .map(|server: RadiusServer| async move {
            let id = server.id().to_owned();
            let what = format!("RADIUS server {}", server.name.as_deref().unwrap_or(&id));
            let route = |target| ListRadiusServerAssociations {
                id: id.clone(),
                target,
            };
            let found = bindings_with(
                ctx.fetcher,
                route(Target::UserGroup),
                route(Target::User),
                ListRadiusServerUserGroups(id.clone()),
                None::<ListRadiusServerUserGroups>,
                refused_ref,
                &what,
            )
            .await;
            let record = DirectoryServerRecord {
                id,
                name: server.name,
                network_source_ip: server.network_source_ip,
                mfa: server.mfa,
                user_group_ids: found.group_ids,
                user_ids: found.user_ids,
                binding_source: found.source.to_owned(),
            };
            (record, found.problems, found.cancelled)
        })
        .buffer_unordered(SUB_LISTS_AT_ONCE);
    while let Some((record, problems, cancelled)) = done.next().await {
        sink.write(&record);
        subs.add(problems, cancelled);
    }
    sink.finish()?;
    let notes = if refused.load(std::sync::atomic::Ordering::Relaxed) {
        vec![traversal_note(false)]
    } else {
        vec![]
    };
    let (reasons, cancelled) = subs.into_reasons();
    Ok(settle(
        category, &outcome, ctx.region, reasons, notes, cancelled,
    ))
}

/// Policies, then the latest result of each on every device it targets (per-policy
/// `/policystatuses`). Returns the policies' report and, when asked, the results' report.
pub(crate) async fn policies(
    ctx: &Ctx<'_>,
    with_results: bool,
) -> io::Result<(CategoryReport, Option<CategoryReport>)> {
    let category = Category::Policies;
    let (policies, outcome) = list_in_memory(ctx, category, &ListPolicies).await;
    let mut sink = ctx.sink(category)?;
    for p in &policies {
        sink.write(&PolicyRecord {
            id: p.id.clone().unwrap_or_default(),
            name: p.name.clone(),
            template: p
                .template
                .as_ref()
                .and_then(|t| t.display_name.clone().or(t.name.clone())),
            os_family: p.template.as_ref().and_then(|t| t.os_meta_family.clone()),
        });
    }
    sink.finish()?;
    let report = settle(category, &outcome, ctx.region, vec![], vec![], false);
    if !with_results {
        return Ok((report, None));
    }
    let results = policy_results(ctx, &policies, &outcome).await?;
    Ok((report, Some(results)))
}

async fn policy_results(
    ctx: &Ctx<'_>,
    policies: &[Policy],
    policy_list: &ListOutcome,
) -> io::Result<CategoryReport> {
    let category = Category::PolicyResults;
    let sink = Mutex::new(ctx.sink(category)?);
    let sink_ref = &sink;
    let mut total = ListOutcome {
        refused: policy_list.refused.clone(),
        cancelled: policy_list.cancelled,
        total: policy_list.refused.is_none().then_some(0),
        ..ListOutcome::default()
    };
    let mut subs = SubProblems::default();
    let mut done = stream::iter(policies.iter().cloned())
        .map(|p: Policy| async move {
            let policy_id = p.id.clone().unwrap_or_default();
            let outcome = ctx
                .fetcher
                .list(
                    &ListPolicyStatuses(policy_id.clone()),
                    |items: Vec<PolicyResult>, _| {
                        let mut sink = sink_ref.lock().unwrap_or_else(PoisonError::into_inner);
                        for r in items {
                            sink.write(&PolicyResultRecord {
                                policy_id: r.policy_id.unwrap_or_else(|| policy_id.clone()),
                                device_id: r.system_id,
                                state: r.state,
                                success: r.success,
                                ended_at: r.ended_at,
                            });
                        }
                    },
                )
                .await;
            (p.name.clone().unwrap_or(policy_id.clone()), outcome)
        })
        .buffer_unordered(SUB_LISTS_AT_ONCE);
    while let Some((name, outcome)) = done.next().await {
        total.collected += outcome.collected;
        total.pages += outcome.pages;
        total.total = match (total.total, outcome.total) {
            (Some(sum), Some(t)) => Some(sum + t),
            (Some(sum), None) if outcome.refused.is_none() => Some(sum + outcome.collected),
            _ => None,
        };
        let problem = outcome
            .refused
            .as_ref()
            .map(|e| format!("the results of policy {name} could not be read: {e}"))
            .into_iter()
            .chain(
                outcome
                    .failures
                    .iter()
                    .map(|f| format!("results of policy {name}: {}", f.describe())),
            );
        subs.add(problem, outcome.cancelled);
        let written = sink
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .written();
        ctx.advanced(category, written, total.total, total.pages);
    }
    drop(done);
    sink.into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .finish()?;
    let (reasons, cancelled) = subs.into_reasons();
    Ok(settle(
        category,
        &total,
        ctx.region,
        reasons,
        vec![],
        cancelled || ctx.cancelled(),
    ))
}
