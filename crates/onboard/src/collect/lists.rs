//! Turning what list routes returned into a category's status, and small helpers shared by the
//! categories: asking for fields by name, sub-lists (members, bindings) and their fallbacks.

use std::sync::atomic::{AtomicBool, Ordering};

use jc_api::calls::Call;
use jc_api::model::{GraphConnection, GraphObject};
use jc_api::{Error, ListEndpoint, Region};

use super::fetch::{Fetcher, ListOutcome, PageFailure};
use super::summary::{CategoryReport, Status};
use crate::category::Category;

/// A list route with `fields=` added, so only what is kept is asked for.
pub(crate) struct WithFields<E> {
    pub inner: E,
    pub fields: &'static str,
}

impl<E: ListEndpoint> ListEndpoint for WithFields<E> {
    type Item = E::Item;
    const CALL: &'static Call = E::CALL;
    fn ids(&self) -> Vec<&str> {
        self.inner.ids()
    }
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut query: Vec<_> = self
            .inner
            .query()
            .into_iter()
            .filter(|(k, _)| *k != "fields")
            .collect();
        query.push(("fields", self.fields.to_owned()));
        query
    }
}

/// The verdict on a category's main list, plus problems met on its sub-lists.
pub(crate) fn settle(
    category: Category,
    outcome: &ListOutcome,
    region: Option<Region>,
    problems: Vec<String>,
    notes: Vec<String>,
    cancelled: bool,
) -> CategoryReport {
    let mut report = CategoryReport {
        category,
        status: Status::Complete,
        collected: outcome.collected,
        total: outcome.total,
        reason: None,
        notes,
        pages: outcome.pages,
    };
    if let Some(error) = &outcome.refused {
        let (status, reason) = refusal(category, error, region);
        report.status = status;
        report.reason = Some(reason);
        return report;
    }
    let mut reasons = outcome.problems();
    if outcome.cancelled || cancelled {
        reasons.insert(0, format!("cancelled after {} records", report.counts()));
    }
    let missing = outcome
        .total
        .map_or(0, |t| t.saturating_sub(outcome.collected));
    if reasons.is_empty() && missing > 0 {
        let total = outcome.total.unwrap_or_default();
        reasons.push(match outcome.ended_at {
            Some(end) => format!(
                "JumpCloud counted {total} records but the list ended after {end}; {missing} did not come back"
            ),
            None => format!(
                "{missing} of {total} records did not come back (the count changed while collecting)"
            ),
        });
    }
    reasons.extend(problems);
    if !reasons.is_empty() {
        report.status = Status::Partial;
        report.reason = Some(reasons.join("; "));
    }
    report
}

/// Why nothing at all could be listed, in plain words.
fn refusal(category: Category, error: &Error, region: Option<Region>) -> (Status, String) {
    let what = category.label();
    let forbidden = matches!(error, Error::Forbidden { .. });
    let explained = crate::explain(error, what, region);
    match (category, error) {
        (Category::Admins, Error::Forbidden { .. }) => (
            Status::Forbidden,
            "Administrators are listed by an undocumented JumpCloud route (/api/users) that this key's \
             role may not read; read-only keys are often refused there. Nothing else is affected."
                .to_owned(),
        ),
        (Category::Admins, _) => (
            Status::Failed,
            format!(
                "Administrators are listed by an undocumented JumpCloud route (/api/users), which did \
                 not answer as expected: {}",
                explained.message
            ),
        ),
        _ if forbidden => (
            Status::Forbidden,
            format!(
                "{} Read-only keys and custom roles can be refused some data; {}",
                explained.message, explained.fix
            ),
        ),
        _ => {
            let first_page = PageFailure {
                number: 1,
                skip: 0,
                error: error.clone(),
            };
            (
                Status::Failed,
                format!("{} ({})", explained.message, first_page.describe()),
            )
        }
    }
}

/// A sub-list (members, bindings) in memory, and what went wrong with it, if anything.
pub(crate) struct SubList<T> {
    pub items: Vec<T>,
    pub problem: Option<String>,
    pub forbidden: bool,
    pub cancelled: bool,
}

pub(crate) async fn sub_list<E>(fetcher: &Fetcher, endpoint: &E, what: &str) -> SubList<E::Item>
where
    E: ListEndpoint + Sync,
    E::Item: Send + jc_api::RecordId,
{
    let (items, outcome) = fetcher.list_all(endpoint).await;
    let forbidden = matches!(outcome.refused, Some(Error::Forbidden { .. }));
    let problem = if let Some(error) = &outcome.refused {
        Some(format!("{what} could not be read: {error}"))
    } else {
        let problems = outcome.problems();
        (!problems.is_empty()).then(|| format!("{what}: {}", problems.join(", ")))
    };
    SubList {
        items,
        problem,
        forbidden,
        cancelled: outcome.cancelled,
    }
}

pub(crate) fn connection_ids(items: &[GraphConnection], kind: &str) -> Vec<String> {
    items
        .iter()
        .filter_map(|c| c.to.as_ref())
        .filter(|to| to.kind.as_deref().is_none_or(|k| k == kind))
        .filter_map(|to| to.id.clone())
        .collect()
}

pub(crate) fn object_ids(items: &[GraphObject], kind: &str) -> Vec<String> {
    items
        .iter()
        .filter(|o| o.kind.as_deref().is_none_or(|k| k == kind))
        .filter_map(|o| o.id.clone())
        .collect()
}

/// Who an object (app, LDAP or RADIUS server) is bound to.
#[derive(Debug, Default)]
pub(crate) struct Bindings {
    pub group_ids: Vec<String>,
    pub user_ids: Vec<String>,
    /// `associations` or `traversal`.
    pub source: &'static str,
    pub problems: Vec<String>,
    pub cancelled: bool,
}

/// The routes that tell who an object is bound to: association routes first, traversal routes
/// when a read-only key is refused the association routes (remembered in `refused`).
pub(crate) struct BindingRoutes<A, G, U> {
    pub association_groups: A,
    pub association_users: A,
    pub traversal_groups: G,
    pub traversal_users: Option<U>,
}

pub(crate) async fn bindings<A, G, U>(
    fetcher: &Fetcher,
    routes: BindingRoutes<A, G, U>,
    refused: &AtomicBool,
    what: &str,
) -> Bindings
where
    A: ListEndpoint<Item = GraphConnection> + Sync,
    G: ListEndpoint<Item = GraphObject> + Sync,
    U: ListEndpoint<Item = GraphObject> + Sync,
{
    let mut found = Bindings {
        source: "associations",
        ..Bindings::default()
    };
    if !refused.load(Ordering::Relaxed) {
        let groups = sub_list(
            fetcher,
            &routes.association_groups,
            &format!("the groups bound to {what}"),
        )
        .await;
        if !groups.forbidden {
            let users = sub_list(
                fetcher,
                &routes.association_users,
                &format!("the users bound to {what}"),
            )
            .await;
            if !users.forbidden {
                found.group_ids = connection_ids(&groups.items, "user_group");
                found.user_ids = connection_ids(&users.items, "user");
                found.problems.extend(groups.problem);
                found.problems.extend(users.problem);
                found.cancelled = groups.cancelled || users.cancelled;
                return found;
            }
        }
        refused.store(true, Ordering::Relaxed);
    }
    found.source = "traversal";
    let groups = sub_list(
        fetcher,
        &routes.traversal_groups,
        &format!("the groups with access to {what}"),
    )
    .await;
    found.group_ids = object_ids(&groups.items, "user_group");
    found.problems.extend(groups.problem);
    found.cancelled = groups.cancelled;
    if let Some(route) = &routes.traversal_users {
        let users = sub_list(fetcher, route, &format!("the users with access to {what}")).await;
        found.user_ids = object_ids(&users.items, "user");
        found.problems.extend(users.problem);
        found.cancelled |= users.cancelled;
    }
    found
}

/// The note a category carries when its bindings came from traversal routes.
pub(crate) fn traversal_note(users_too: bool) -> String {
    let users = if users_too {
        " and users"
    } else {
        " (users bound directly are not listed by any traversal route)"
    };
    format!(
        "This key is refused the association routes (a known read-only limitation), so the groups{users} \
         with access were read from the traversal routes instead; they include access inherited through \
         nested groups."
    )
}
