//! Policies and, when asked, each policy's latest result per device.

use std::io;
use std::sync::{Mutex, PoisonError};

use futures::stream::{self, StreamExt};
use jc_api::endpoints::*;
use jc_api::model::{Policy, PolicyResult};

use super::{list_in_memory, Ctx, SubProblems, SUB_LISTS_AT_ONCE};
use crate::category::Category;
use crate::collect::fetch::ListOutcome;
use crate::collect::lists::settle;
use crate::collect::records::*;
use crate::collect::summary::CategoryReport;

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
        .buffered(SUB_LISTS_AT_ONCE);
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
