//! How the sim misbehaves: latency, the shared rate limit, scenario faults and role gates.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::config::{Scenario, SimConfig};
use crate::data::rng::hash;
use crate::data::Role;
use crate::routes::Route;
use crate::wire::{errors, Api, Params, Reply};

pub struct Behaviour {
    scenario: Scenario,
    seed: u64,
    latency: Duration,
    bucket: Option<Mutex<Bucket>>,
    rejections: AtomicU64,
    data_requests: AtomicU64,
    sequence: AtomicU64,
    truncate_at_skip: usize,
}

/// Token bucket: `rate` tokens a second, holding at most `rate`.
struct Bucket {
    rate: f64,
    tokens: f64,
    refilled: Instant,
}

impl Bucket {
    fn take(&mut self, now: Instant) -> bool {
        let elapsed = now.saturating_duration_since(self.refilled).as_secs_f64();
        self.tokens = (self.tokens + elapsed * self.rate).min(self.rate);
        self.refilled = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

impl Behaviour {
    pub fn new(config: &SimConfig) -> Behaviour {
        let bucket = config.effective_rate_limit().map(|rate| {
            Mutex::new(Bucket {
                rate: f64::from(rate),
                tokens: f64::from(rate),
                refilled: Instant::now(),
            })
        });
        Behaviour {
            scenario: config.scenario,
            seed: config.seed,
            latency: config.effective_latency(),
            bucket,
            rejections: AtomicU64::new(0),
            data_requests: AtomicU64::new(0),
            sequence: AtomicU64::new(0),
            truncate_at_skip: config.truncate_at_skip.unwrap_or(0),
        }
    }

    pub fn latency(&self) -> Duration {
        self.latency
    }

    /// A Cloudflare ray id, deterministic from the seed and the request's position.
    pub fn next_ray(&self) -> String {
        let n = self.sequence.fetch_add(1, Ordering::Relaxed);
        format!("{:016x}-IAD", hash(&[self.seed, n]))
    }

    /// `Some(429)` when the bucket is empty. Every other 429 carries `Retry-After: 1`.
    pub fn rate_limit(&self) -> Option<Reply> {
        self.rate_limit_at(Instant::now())
    }

    fn rate_limit_at(&self, now: Instant) -> Option<Reply> {
        let bucket = self.bucket.as_ref()?;
        let admitted = bucket
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take(now);
        if admitted {
            return None;
        }
        let n = self.rejections.fetch_add(1, Ordering::Relaxed);
        Some(errors::too_many_requests(n.is_multiple_of(2)))
    }

    /// Flaky: counts authorized data requests; every 3rd is a 503, every 5th (not 3rd) a 502 page.
    pub fn fault(&self, ray: &str) -> Option<Reply> {
        if self.scenario != Scenario::Flaky {
            return None;
        }
        let n = self.data_requests.fetch_add(1, Ordering::Relaxed) + 1;
        if n.is_multiple_of(3) {
            Some(errors::service_unavailable())
        } else if n.is_multiple_of(5) {
            Some(errors::cloudflare_bad_gateway(ray))
        } else {
            None
        }
    }

    /// Whether the key's role lacks every scope the route accepts. In the
    /// read-only-association-403 scenario association routes are refused as well, whatever the
    /// role holds: JumpCloud refuses them to read-only keys (observed, not in the spec).
    pub fn forbids(&self, route: &Route<'_>, role: &Role) -> bool {
        if self.scenario == Scenario::ReadOnlyAssociation403 && route.is_association() {
            return true;
        }
        route.scopes().is_some_and(|needed| !role.holds_any(needed))
    }

    /// truncated-json: cuts the chosen `/api/systemusers` page in the middle of its JSON.
    pub fn truncate(&self, route: &Route<'_>, params: &Params, mut reply: Reply) -> Reply {
        let chosen_page = self.scenario == Scenario::TruncatedJson
            && *route == Route::SystemUserList
            && reply.status.is_success()
            && params
                .list_query(Api::V1)
                .is_ok_and(|q| q.skip == self.truncate_at_skip);
        if chosen_page {
            reply.body.truncate(reply.body.len() / 2);
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bucket_allows_a_burst_then_refills() {
        let start = Instant::now();
        let mut bucket = Bucket {
            rate: 2.0,
            tokens: 2.0,
            refilled: start,
        };
        assert!(bucket.take(start));
        assert!(bucket.take(start));
        assert!(!bucket.take(start));
        assert!(bucket.take(start + Duration::from_millis(600)));
    }

    #[test]
    fn rate_limited_admits_five_at_once_and_alternates_retry_after() {
        // Nine requests at one instant, so no token is refilled between them.
        let b = Behaviour::new(&SimConfig::scenario(Scenario::RateLimited));
        let now = Instant::now();
        let replies: Vec<Option<Reply>> = (0..9).map(|_| b.rate_limit_at(now)).collect();
        let admitted = replies.iter().filter(|r| r.is_none()).count();
        assert_eq!(
            admitted, 5,
            "the scenario's bucket holds five requests a second"
        );
        let retry_after: Vec<bool> = replies
            .iter()
            .flatten()
            .map(|r| r.headers.iter().any(|(k, _)| k.as_str() == "retry-after"))
            .collect();
        assert_eq!(
            retry_after,
            vec![true, false, true, false],
            "every other 429 carries Retry-After"
        );
    }

    #[test]
    fn flaky_pattern() {
        let b = Behaviour::new(&SimConfig::scenario(Scenario::Flaky));
        let statuses: Vec<Option<u16>> = (0..10)
            .map(|_| b.fault("r").map(|r| r.status.as_u16()))
            .collect();
        assert_eq!(
            statuses,
            vec![
                None,
                None,
                Some(503),
                None,
                Some(502),
                Some(503),
                None,
                None,
                Some(503),
                Some(502)
            ]
        );
    }
}
