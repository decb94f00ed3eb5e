//! The checks beneath the organization: the role read, one read per category and the sample.
//! None of them changes what another may read, so they run together, at most
//! [`CHECKS_AT_ONCE`] requests at a time. A check that reads beneath what another found (a
//! group's members, an application's access, the first users) waits for that check alone, and
//! is skipped when that check did not give what it needs. A failed mandatory check here (the role, the users) does
//! not stop the others: they do not depend on it, so they finish and report what they saw.

use futures::future::{BoxFuture, FutureExt};
use futures::stream::{FuturesUnordered, StreamExt};
use jc_api::{Client, Region};

use super::access::{self, Found, Probe};
use super::service_account::Expiry;
use super::{role, sample, skipped_because, Outcome, Run};
use crate::category::Category;
use crate::permissions::RoleScopes;
use crate::report::CheckState;

/// The most checks running at once. JumpCloud publishes no rate limit and its own tools keep
/// concurrency low; with eight, the checks below still finish in the two round trips their
/// dependencies need (eleven checks wait for nothing, three wait for one of the first eight).
pub const CHECKS_AT_ONCE: usize = 8;

/// Judged with the role, from the same service-account record.
const EXPIRY_CHECK: &str = "credentials.expiry";

/// One check beneath the organization.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Step {
    Role,
    Access(Probe),
    Sample,
}

impl Step {
    /// In catalogue order, which puts every check another waits for among the first started.
    fn all() -> Vec<Step> {
        std::iter::once(Step::Role)
            .chain(Probe::ALL.map(Step::Access))
            .chain(std::iter::once(Step::Sample))
            .collect()
    }

    fn id(self) -> String {
        match self {
            Step::Role => "role.least_privilege".to_owned(),
            Step::Access(probe) => probe.check_id(),
            Step::Sample => "preview.sample".to_owned(),
        }
    }

    /// The check whose result this one reads beneath.
    fn needs(self) -> Option<Step> {
        match self {
            Step::Access(Probe::GroupMembers) => {
                Some(Step::Access(Probe::List(Category::UserGroups)))
            }
            Step::Access(Probe::AppAccess) => {
                Some(Step::Access(Probe::List(Category::Applications)))
            }
            Step::Sample => Some(Step::Access(Probe::List(Category::Users))),
            _ => None,
        }
    }

    /// Whether the check can run after the one it needs ended in `state`. Reads beneath a record
    /// need the record's id, which only a passing read gives; the sample reads the users itself,
    /// so it runs unless they were refused.
    fn can_follow(self, state: CheckState) -> bool {
        match self {
            Step::Sample => !matches!(state, CheckState::Fail | CheckState::Skipped),
            _ => state == CheckState::Pass,
        }
    }

    /// Runs the check, with what it learned for the others and the report.
    fn start<'a>(
        self,
        client: &'a Client,
        region: Option<Region>,
        found: &Found,
    ) -> BoxFuture<'a, (Step, Outcome, Learned)> {
        let found = found.clone();
        async move {
            let (outcome, learned) = match self {
                Step::Role => {
                    let (outcome, role, expiry) =
                        role::least_privilege_and_expiry(client, region).await;
                    (outcome, Learned::Role(Box::new(role), expiry))
                }
                Step::Access(probe) => {
                    let (outcome, first_id) = access::probe(client, region, probe, &found).await;
                    (outcome, Learned::FirstId(first_id))
                }
                Step::Sample => (
                    sample::first_users(client, region).await.0,
                    Learned::Nothing,
                ),
            };
            (self, outcome, learned)
        }
        .boxed()
    }
}

/// What a check learned: the key's role (and the credentials' expiry, judged from the same
/// record), or the first record a category read saw.
enum Learned {
    Role(Box<Option<RoleScopes>>, Expiry),
    FirstId(Option<String>),
    Nothing,
}

/// Runs every check beneath the organization, reporting each as it ends. Returns the key's role
/// and, for a service account, when its secret expires.
pub(super) async fn beneath_the_org(
    run: &mut Run<'_>,
    client: &Client,
    region: Option<Region>,
) -> (Option<RoleScopes>, Option<String>) {
    let mut expires_at = None;
    let mut waiting = Step::all();
    let mut ended: Vec<(Step, CheckState)> = Vec::new();
    let mut found = Found::default();
    let mut role = None;
    let mut running = FuturesUnordered::new();
    loop {
        let mut next = 0;
        while next < waiting.len() && running.len() < CHECKS_AT_ONCE {
            let step = waiting[next];
            let needed = step
                .needs()
                .map(|needed| (needed, ended.iter().find(|(s, _)| *s == needed)));
            match needed {
                Some((_, None)) => next += 1,
                Some((needed, Some((_, state)))) if !step.can_follow(*state) => {
                    waiting.remove(next);
                    let title = run.spec(&needed.id()).title;
                    run.skip(&step.id(), skipped_because(&title, *state));
                }
                _ => {
                    waiting.remove(next);
                    if step == Step::Role {
                        run.start(EXPIRY_CHECK);
                    }
                    run.start(&step.id());
                    running.push(step.start(client, region, &found));
                }
            }
        }
        let Some((step, outcome, learned)) = running.next().await else {
            break;
        };
        ended.push((step, outcome.state));
        match (step, learned) {
            (_, Learned::Role(scopes, expiry)) => {
                role = *scopes;
                match expiry {
                    Expiry::Judged(outcome, at) => {
                        expires_at = Some(at);
                        let spec = run.spec(EXPIRY_CHECK);
                        run.record(&spec, outcome);
                    }
                    Expiry::Skipped(why) => run.skip(EXPIRY_CHECK, why),
                }
            }
            (Step::Access(probe), Learned::FirstId(first_id)) => found.learn(probe, first_id),
            _ => {}
        }
        let spec = run.spec(&step.id());
        run.record(&spec, outcome);
    }
    (role, expires_at)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_follow_the_catalogue_and_wait_only_for_earlier_checks() {
        let steps = Step::all();
        let ids: Vec<String> = steps.iter().map(|s| s.id()).collect();
        let catalogue: Vec<String> = super::super::catalogue()
            .into_iter()
            .map(|s| s.id)
            .skip_while(|id| id != "role.least_privilege")
            .collect();
        assert_eq!(
            ids, catalogue,
            "every check beneath the organization is scheduled, in catalogue order"
        );
        for (index, step) in steps.iter().enumerate() {
            if let Some(needed) = step.needs() {
                let before = steps[..index].contains(&needed);
                assert!(
                    before,
                    "{:?} waits for {needed:?}, which must come first so it starts first",
                    step
                );
                assert!(
                    steps[..CHECKS_AT_ONCE].contains(&needed),
                    "{needed:?} is among the first {CHECKS_AT_ONCE} started, so {step:?} never waits for a slot"
                );
            }
        }
    }
}
