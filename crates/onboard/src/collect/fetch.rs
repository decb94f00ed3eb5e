//! Fetching list routes: every page through the shared adaptive gate, retried per the client's
//! policy (429s honour `Retry-After` and shrink the window), and the pages after the first
//! fetched in parallel while the first one's total says there are more.
//!
//! The total is data, not a plan: pages are asked for a bounded window ahead, paging stops at
//! the first empty or short page, on a page of nothing new and at the record cap, and each
//! record is kept once.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use futures::stream::{FuturesUnordered, StreamExt};
use jc_api::{
    Client, Error, ListEndpoint, ListGuard, ListStop, Page, RecordId, RetryPolicy,
    MAX_RECORDS_PER_LIST, PAGE_LIMIT,
};

use super::cancel::CancelToken;
use super::pacing::{Gate, MAX_IN_FLIGHT, START_IN_FLIGHT};

/// Pages asked for ahead of the ones received, at most (the gate still bounds what is in
/// flight at once).
const PAGES_AHEAD: usize = MAX_IN_FLIGHT * 4;

/// How many times one page may meet a 429 before it is given up (each wait honours
/// `Retry-After`, and the policy's total time budget still applies).
const MAX_RATE_LIMITED_TRIES: u32 = 12;

/// Why a page did not arrive.
#[derive(Debug, Clone)]
pub(crate) enum PageError {
    Api(Error),
    Cancelled,
}

/// A page that failed after the first one succeeded.
#[derive(Debug, Clone)]
pub(crate) struct PageFailure {
    /// 1-based.
    pub number: u64,
    pub skip: u64,
    pub error: Error,
}

impl PageFailure {
    /// "page 3 (records 200-299) was cut short"
    pub(crate) fn describe(&self) -> String {
        let first = self.skip;
        let last = self.skip.saturating_add(u64::from(PAGE_LIMIT) - 1);
        let what = match &self.error {
            Error::Decode {
                truncated: true, ..
            } => "was cut short".to_owned(),
            other => format!("failed: {other}"),
        };
        format!("page {} (records {first}-{last}) {what}", self.number)
    }
}

/// What one list route gave.
#[derive(Debug, Default)]
pub(crate) struct ListOutcome {
    /// Records kept: each id once.
    pub collected: u64,
    /// The server's claimed total, when it sent one.
    pub total: Option<u64>,
    pub pages: u64,
    /// The first page failed: nothing was listed.
    pub refused: Option<Error>,
    pub failures: Vec<PageFailure>,
    pub cancelled: bool,
    /// Records received again after their first copy.
    pub duplicates: u64,
    /// Why paging stopped before the list ended.
    pub stopped: Option<ListStop>,
    /// Where the list ended (an empty or short page), when that was before the claimed total.
    pub ended_at: Option<u64>,
}

impl ListOutcome {
    /// What went wrong after the first page, in plain words: failed pages, an early stop,
    /// records sent twice.
    pub(crate) fn problems(&self) -> Vec<String> {
        let mut problems: Vec<String> = self.failures.iter().map(PageFailure::describe).collect();
        if let Some(stop) = &self.stopped {
            problems.push(stop.describe());
        }
        if self.duplicates > 0 {
            problems.push(format!(
                "JumpCloud sent {} records more than once (each was kept once)",
                self.duplicates
            ));
        }
        problems
    }
}

/// Shared by every category of one collection.
pub(crate) struct Fetcher {
    client: Client,
    policy: RetryPolicy,
    gate: Gate,
    cancel: CancelToken,
    requests: AtomicU64,
    throttled: AtomicU64,
}

impl Fetcher {
    /// `client`'s retry policy is used here, around the gate; the client itself tries once.
    pub(crate) fn new(client: &Client, cancel: CancelToken, max_in_flight: usize) -> Fetcher {
        Fetcher {
            policy: client.retry_policy().clone(),
            client: client.with_retry(RetryPolicy::none()),
            gate: Gate::new(START_IN_FLIGHT, max_in_flight.clamp(1, MAX_IN_FLIGHT * 4)),
            cancel,
            requests: AtomicU64::new(0),
            throttled: AtomicU64::new(0),
        }
    }

    pub(crate) fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }

    pub(crate) fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    pub(crate) fn throttled(&self) -> u64 {
        self.throttled.load(Ordering::Relaxed)
    }

    pub(crate) fn peak_in_flight(&self) -> usize {
        self.gate.peak()
    }

    /// One page, retried; `Cancelled` as soon as the token fires. A 429 gives its slot back
    /// while it waits (others may use the capacity the window still allows); a transient 5xx keeps
    /// its slot through the backoff, so a struggling server sees fewer requests, not more.
    pub(crate) async fn page<E: ListEndpoint>(
        &self,
        endpoint: &E,
        skip: u64,
    ) -> Result<Page<E::Item>, PageError> {
        let started = Instant::now();
        let mut attempt = 1;
        let mut rate_limited = 0;
        let mut held = None;
        loop {
            if self.cancel.is_cancelled() {
                return Err(PageError::Cancelled);
            }
            let slot = match held.take() {
                Some(slot) => slot,
                None => tokio::select! {
                    biased;
                    () = self.cancel.cancelled() => return Err(PageError::Cancelled),
                    slot = self.gate.acquire() => slot,
                },
            };
            self.requests.fetch_add(1, Ordering::Relaxed);
            let result = tokio::select! {
                biased;
                () = self.cancel.cancelled() => return Err(PageError::Cancelled),
                result = self.client.page(endpoint, skip, PAGE_LIMIT) => result,
            };
            let error = match result {
                Ok(page) => {
                    slot.succeeded();
                    return Ok(page);
                }
                Err(error) => error,
            };
            let wait = match &error {
                Error::RateLimited { retry_after, .. } => {
                    self.throttled.fetch_add(1, Ordering::Relaxed);
                    slot.throttled();
                    drop(slot);
                    rate_limited += 1;
                    let wait = retry_after
                        .map(|after| after.min(jc_api::MAX_RETRY_AFTER))
                        .unwrap_or_else(|| self.policy.backoff(rate_limited));
                    let in_budget = started.elapsed().saturating_add(wait) <= self.policy.max_total;
                    (rate_limited < MAX_RATE_LIMITED_TRIES && in_budget).then_some(wait)
                }
                _ => {
                    let wait = self.policy.next_wait(&error, attempt, started.elapsed());
                    if wait.is_some() {
                        slot.throttled();
                        held = Some(slot);
                    }
                    wait
                }
            };
            let Some(wait) = wait else {
                return Err(PageError::Api(error));
            };
            tracing::debug!(
                skip,
                attempt,
                wait_ms = wait.as_millis() as u64,
                "retrying a page"
            );
            tokio::select! {
                biased;
                () = self.cancel.cancelled() => return Err(PageError::Cancelled),
                () = tokio::time::sleep(wait) => {}
            }
            attempt = attempt.saturating_add(1);
        }
    }

    /// Every page of a list route, each handed to `on_page` with the server's total as it
    /// arrives (in any order), records already seen removed.
    pub(crate) async fn list<E, F>(&self, endpoint: &E, mut on_page: F) -> ListOutcome
    where
        E: ListEndpoint + Sync,
        E::Item: Send + RecordId,
        F: FnMut(Vec<E::Item>, Option<u64>),
    {
        let mut outcome = ListOutcome::default();
        let mut guard = ListGuard::new(MAX_RECORDS_PER_LIST);
        let first = match self.page(endpoint, 0).await {
            Ok(page) => page,
            Err(PageError::Cancelled) => {
                outcome.cancelled = true;
                return outcome;
            }
            Err(PageError::Api(error)) => {
                outcome.refused = Some(error);
                return outcome;
            }
        };
        let limit = u64::from(PAGE_LIMIT);
        outcome.total = first.total;
        outcome.pages = 1;
        let mut plan = Plan::after_first(first.items.len() as u64, first.total);
        let kept = guard.admit(0, first.items);
        outcome.collected = kept.len() as u64;
        on_page(kept, outcome.total);

        let mut in_flight = FuturesUnordered::new();
        loop {
            while let Some(skip) = plan.next(in_flight.len(), guard.stop().is_some()) {
                in_flight.push(async move { (skip, self.page(endpoint, skip).await) });
            }
            let Some((skip, result)) = in_flight.next().await else {
                break;
            };
            match result {
                Ok(page) => {
                    let got = page.items.len() as u64;
                    plan.received(skip, got);
                    let kept = guard.admit(skip, page.items);
                    outcome.pages += 1;
                    outcome.collected += kept.len() as u64;
                    on_page(kept, outcome.total);
                }
                Err(PageError::Cancelled) => {
                    outcome.cancelled = true;
                    plan.halt();
                }
                Err(PageError::Api(error)) => {
                    plan.failed();
                    outcome.failures.push(PageFailure {
                        number: skip / limit + 1,
                        skip,
                        error,
                    });
                }
            }
        }
        if plan.capped() {
            guard.reached_cap();
        }
        outcome.failures.sort_by_key(|f| f.skip);
        outcome.duplicates = guard.duplicates();
        outcome.stopped = guard.stop().cloned();
        outcome.ended_at = plan
            .end
            .filter(|end| outcome.total.is_some_and(|t| *end < t));
        outcome
    }

    /// Every item of a (small) list route, in memory: group members, bindings.
    pub(crate) async fn list_all<E>(&self, endpoint: &E) -> (Vec<E::Item>, ListOutcome)
    where
        E: ListEndpoint + Sync,
        E::Item: Send + RecordId,
    {
        let mut items = Vec::new();
        let outcome = self.list(endpoint, |page, _| items.extend(page)).await;
        (items, outcome)
    }
}

/// Which pages to ask for next. With a total, up to [`PAGES_AHEAD`] pages at fixed offsets,
/// never at or past the total, the end seen so far, or the record cap; without one, one page
/// at a time while pages come back full.
struct Plan {
    total: Option<u64>,
    next_skip: u64,
    /// The first offset known to be past the list (an empty or short page was seen).
    end: Option<u64>,
    halted: bool,
}

impl Plan {
    fn after_first(got: u64, total: Option<u64>) -> Plan {
        let limit = u64::from(PAGE_LIMIT);
        Plan {
            total,
            next_skip: limit,
            end: (got < limit).then_some(got),
            halted: false,
        }
    }

    /// The next offset to ask for now, if any.
    fn next(&mut self, in_flight: usize, stopped: bool) -> Option<u64> {
        let skip = self.next_skip;
        let ahead = match self.total {
            Some(_) => PAGES_AHEAD,
            None => 1,
        };
        let wanted = !self.halted
            && !stopped
            && in_flight < ahead
            && skip < MAX_RECORDS_PER_LIST
            && self.end.is_none_or(|end| skip < end)
            && self.total.is_none_or(|total| skip < total);
        if !wanted {
            return None;
        }
        self.next_skip = skip.saturating_add(u64::from(PAGE_LIMIT));
        Some(skip)
    }

    /// A page arrived: a short or empty one marks the end of the list.
    fn received(&mut self, skip: u64, got: u64) {
        if got < u64::from(PAGE_LIMIT) {
            let end = skip.saturating_add(got);
            self.end = Some(self.end.map_or(end, |e| e.min(end)));
        }
    }

    /// Without a total, a failed page leaves nowhere known to go on from.
    fn failed(&mut self) {
        if self.total.is_none() {
            self.halted = true;
        }
    }

    fn halt(&mut self) {
        self.halted = true;
    }

    /// Paging stopped at the record cap while the list (by its total, or by full pages) went on.
    fn capped(&self) -> bool {
        self.next_skip >= MAX_RECORDS_PER_LIST
            && self.end.is_none()
            && !self.halted
            && self.total.is_none_or(|total| total > MAX_RECORDS_PER_LIST)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_total_plans_a_bounded_window() {
        let mut plan = Plan::after_first(100, Some(1_000_000_000_000));
        let mut skips = Vec::new();
        while let Some(skip) = plan.next(skips.len(), false) {
            skips.push(skip);
        }
        assert_eq!(skips.len(), PAGES_AHEAD, "never more than the window ahead");
        plan.received(200, 50);
        assert_eq!(
            plan.next(0, false),
            None,
            "nothing is asked for past a short page"
        );
    }

    #[test]
    fn without_a_total_pages_go_one_at_a_time() {
        let mut plan = Plan::after_first(100, None);
        assert_eq!(plan.next(0, false), Some(100));
        assert_eq!(plan.next(1, false), None, "one in flight at a time");
        plan.received(100, 100);
        assert_eq!(plan.next(0, false), Some(200));
        plan.failed();
        assert_eq!(
            plan.next(0, false),
            None,
            "a failure ends a list without a total"
        );
        let mut short = Plan::after_first(40, None);
        assert_eq!(
            short.next(0, false),
            None,
            "a short first page is the whole list"
        );
    }

    #[test]
    fn the_record_cap_ends_endless_lists() {
        let mut plan = Plan::after_first(100, None);
        let mut requests = 0u64;
        while let Some(skip) = plan.next(0, false) {
            plan.received(skip, 100);
            requests += 1;
            assert!(requests <= MAX_RECORDS_PER_LIST, "bounded");
        }
        assert_eq!(requests, MAX_RECORDS_PER_LIST / u64::from(PAGE_LIMIT) - 1);
        assert!(
            plan.capped(),
            "an endless list is reported as stopped at the cap"
        );
    }
}
