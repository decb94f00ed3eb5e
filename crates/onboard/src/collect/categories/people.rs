//! Users (with their managers resolved) and user groups with their members.

use std::collections::BTreeMap;
use std::io;

use futures::stream::{self, StreamExt};
use jc_api::endpoints::*;
use jc_api::model::{Group, SystemUser};

use super::{list_in_memory, stream_list, write_and_settle, Ctx, SUB_LISTS_AT_ONCE};
use crate::category::Category;
use crate::collect::lists::{connection_ids, object_ids, settle, sub_list, WithFields};
use crate::collect::manager::{ManagerSource, PeopleIndex};
use crate::collect::records::*;
use crate::collect::store::{read_records, RecordSink};
use crate::collect::summary::{CategoryReport, DataQualityWarning};

/// Only what [`UserRecord`] keeps.
pub const USER_FIELDS: &str = "_id id username email alternateEmail recoveryEmail firstname \
     middlename lastname displayname state activated suspended account_locked mfa mfaEnrollment \
     totp_enabled department jobTitle employeeIdentifier created manager attributes";

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
        message: jc_api::sanitize::for_display(&format!(
            "{who}: the manager {reference:?} (from {}) matches no collected user",
            source.describe()
        )),
    }
}

pub(crate) async fn user_groups(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::UserGroups;
    let (groups, outcome) = list_in_memory(ctx, category, &ListUserGroups).await;
    let done = stream::iter(groups)
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
        .buffered(SUB_LISTS_AT_ONCE);
    write_and_settle(ctx, category, &outcome, done, Vec::new).await
}

/// The first `limit` users as records, managers unresolved: a sample for checks on the data.
pub(crate) async fn first_users(
    client: &jc_api::Client,
    limit: u32,
) -> Result<(Vec<UserRecord>, Option<u64>), jc_api::Error> {
    let route = WithFields {
        inner: ListSystemUsers,
        fields: USER_FIELDS,
    };
    let page = client.page(&route, 0, limit).await?;
    let users = page
        .items
        .into_iter()
        .map(|u| user_record(u, &ManagerSource::Field))
        .collect();
    Ok((users, page.total))
}
