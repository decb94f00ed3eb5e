//! Fetching list routes: every page through the shared adaptive gate, retried per the client's
//! policy (429s honour `Retry-After` and shrink the window), and the pages after the first
//! fetched in parallel once the first one tells the total.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use futures::stream::{self, StreamExt};
use jc_api::{Client, Error, ListEndpoint, Page, RetryPolicy, PAGE_LIMIT};

use super::cancel::CancelToken;
use super::pacing::{Gate, MAX_IN_FLIGHT, START_IN_FLIGHT};

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
        let last = self.skip + u64::from(PAGE_LIMIT) - 1;
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
    pub collected: u64,
    /// The server's claimed total, when it sent one.
    pub total: Option<u64>,
    pub pages: u64,
    /// The first page failed: nothing was listed.
    pub refused: Option<Error>,
    pub failures: Vec<PageFailure>,
    pub cancelled: bool,
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
                    let wait = retry_after.unwrap_or_else(|| self.policy.backoff(rate_limited));
                    let in_budget = started.elapsed() + wait <= self.policy.max_total;
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
            attempt += 1;
        }
    }

    /// Every page of a list route, each handed to `on_page` with the server's total as it
    /// arrives (in any order).
    pub(crate) async fn list<E, F>(&self, endpoint: &E, mut on_page: F) -> ListOutcome
    where
        E: ListEndpoint + Sync,
        E::Item: Send,
        F: FnMut(Vec<E::Item>, Option<u64>),
    {
        let mut outcome = ListOutcome::default();
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
        let first_len = first.items.len() as u64;
        outcome.total = first.total;
        outcome.pages = 1;
        outcome.collected = first_len;
        on_page(first.items, outcome.total);
        if first_len < limit {
            return outcome;
        }
        match outcome.total {
            Some(total) => {
                let skips: Vec<u64> = (1..)
                    .map(|n| n * limit)
                    .take_while(|s| *s < total)
                    .collect();
                let mut pages = stream::iter(skips)
                    .map(|skip| async move { (skip, self.page(endpoint, skip).await) })
                    .buffer_unordered(MAX_IN_FLIGHT * 4);
                while let Some((skip, result)) = pages.next().await {
                    self.take(&mut outcome, skip, result, &mut on_page);
                }
            }
            None => {
                // No total: page one at a time until a short page.
                let mut skip = first_len;
                loop {
                    let result = self.page(endpoint, skip).await;
                    let got = result.as_ref().map_or(0, |p| p.items.len() as u64);
                    let stop = result.is_err() || got < limit;
                    self.take(&mut outcome, skip, result, &mut on_page);
                    if stop {
                        break;
                    }
                    skip += got;
                }
            }
        }
        outcome.failures.sort_by_key(|f| f.skip);
        outcome
    }

    fn take<T>(
        &self,
        outcome: &mut ListOutcome,
        skip: u64,
        result: Result<Page<T>, PageError>,
        on_page: &mut impl FnMut(Vec<T>, Option<u64>),
    ) {
        match result {
            Ok(page) => {
                outcome.pages += 1;
                outcome.collected += page.items.len() as u64;
                on_page(page.items, outcome.total);
            }
            Err(PageError::Cancelled) => outcome.cancelled = true,
            Err(PageError::Api(error)) => outcome.failures.push(PageFailure {
                number: skip / u64::from(PAGE_LIMIT) + 1,
                skip,
                error,
            }),
        }
    }

    /// Every item of a (small) list route, in memory: group members, bindings.
    pub(crate) async fn list_all<E>(&self, endpoint: &E) -> (Vec<E::Item>, ListOutcome)
    where
        E: ListEndpoint + Sync,
        E::Item: Send,
    {
        let mut items = Vec::new();
        let outcome = self.list(endpoint, |page, _| items.extend(page)).await;
        (items, outcome)
    }
}
