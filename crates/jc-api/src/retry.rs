//! When and how long to wait before trying a request again.

use std::time::{Duration, SystemTime};

use crate::Error;

/// The longest wait a server's `Retry-After` can ask for; longer requests are cut to this, so a
/// hostile or broken value cannot stall a collection or overflow a deadline.
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(60);

/// Bounded retries: a cap on attempts and on the total time spent, exponential backoff with
/// jitter, and the server's `Retry-After` honoured when it sends one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included. 1 means "never retry".
    pub max_attempts: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    /// No retry starts if it would end beyond this much time after the first attempt began.
    pub max_total: Duration,
}

impl RetryPolicy {
    /// For connection tests: one attempt, so a broken setup is reported at once.
    pub fn none() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::standard()
        }
    }

    /// For collection: rides out rate limits and short outages.
    pub fn standard() -> RetryPolicy {
        RetryPolicy {
            max_attempts: 5,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(30),
            max_total: Duration::from_secs(120),
        }
    }

    /// Backoff before retry number `retry` (1-based): `base * 2^(retry-1)`, capped, with the
    /// upper half jittered so that many clients do not retry in step.
    pub fn backoff(&self, retry: u32) -> Duration {
        let exp = self
            .base_delay
            .saturating_mul(1u32 << retry.saturating_sub(1).min(16));
        let capped = exp.min(self.max_delay);
        let half = capped / 2;
        half + half.mul_f64(fastrand::f64())
    }

    /// The wait before the next attempt, or `None` when the error must not be retried or the
    /// budget is spent.
    pub fn next_wait(&self, error: &Error, attempt: u32, elapsed: Duration) -> Option<Duration> {
        if attempt >= self.max_attempts || !is_retryable(error) {
            return None;
        }
        let wait = match error {
            Error::RateLimited {
                retry_after: Some(after),
                ..
            } => (*after).min(MAX_RETRY_AFTER),
            _ => self.backoff(attempt),
        };
        (elapsed.saturating_add(wait) <= self.max_total).then_some(wait)
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy::standard()
    }
}

/// 429, 502, 503, 504 (JSON or an edge page), dropped connections and answers cut off before
/// they were complete are worth another try. 401, 403 and 404 never are: repeating them cannot
/// change the answer.
pub fn is_retryable(error: &Error) -> bool {
    match error {
        Error::RateLimited { .. }
        | Error::ConnectionReset { .. }
        | Error::Decode {
            truncated: true, ..
        } => true,
        Error::Server { .. } | Error::NotJson { .. } => {
            matches!(error.status(), Some(502..=504))
        }
        Error::TokenHostUnreachable { cause, .. } => is_retryable(cause),
        _ => false,
    }
}

/// `Retry-After` is either delta-seconds or an HTTP date (RFC 9110 §10.2.3). Either is capped
/// at [`MAX_RETRY_AFTER`]; a negative number or anything unreadable counts as not sent.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // More digits than a u64 holds is still "a very long time".
        let seconds = value.parse::<u64>().unwrap_or(u64::MAX);
        return Some(Duration::from_secs(seconds).min(MAX_RETRY_AFTER));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(now)
            .unwrap_or(Duration::ZERO)
            .min(MAX_RETRY_AFTER),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ResponseDetail;

    fn with_status(status: u16) -> Error {
        let detail = Box::new(ResponseDetail {
            status: Some(status),
            ..Default::default()
        });
        match status {
            401 => Error::UnknownKey { detail },
            403 => Error::Forbidden { detail },
            404 => Error::NotFound { detail },
            _ => Error::Server { detail },
        }
    }

    #[test]
    fn retry_after_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(now + Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&later, now),
            Some(Duration::from_secs(30))
        );
        let earlier = httpdate::fmt_http_date(now - Duration::from_secs(30));
        assert_eq!(
            parse_retry_after(&earlier, now),
            Some(Duration::ZERO),
            "a past date means now"
        );
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn hostile_retry_after_values_are_clamped_or_ignored() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        for huge in [
            "18446744073709551615",
            "99999999999999999999999999",
            "Fri, 31 Dec 9999 23:59:59 GMT",
        ] {
            assert_eq!(
                parse_retry_after(huge, now),
                Some(MAX_RETRY_AFTER),
                "{huge} is cut to the maximum wait"
            );
        }
        for junk in ["-5", "", "1.5", "3 seconds", "\u{1b}[2J"] {
            assert_eq!(parse_retry_after(junk, now), None, "{junk:?} is not a wait");
        }
        let limited = Error::RateLimited {
            retry_after: parse_retry_after("18446744073709551615", now),
            detail: Box::default(),
        };
        assert_eq!(
            RetryPolicy::standard().next_wait(&limited, 1, Duration::MAX),
            None,
            "no overflow when time already spent is huge"
        );
    }

    #[test]
    fn only_transient_failures_are_retried() {
        for status in [502, 503, 504] {
            assert!(is_retryable(&with_status(status)), "{status} is transient");
        }
        for status in [401, 403, 404, 500] {
            assert!(
                !is_retryable(&with_status(status)),
                "{status} must not be retried"
            );
        }
    }

    #[test]
    fn backoff_grows_and_is_capped() {
        let policy = RetryPolicy::standard();
        for retry in 1..=10 {
            let wait = policy.backoff(retry);
            let ceiling = (policy.base_delay * (1 << (retry - 1))).min(policy.max_delay);
            assert!(
                wait >= ceiling / 2 && wait <= ceiling,
                "retry {retry}: {wait:?} within [{:?}, {ceiling:?}]",
                ceiling / 2
            );
        }
    }

    #[test]
    fn budget_and_attempts_bound_retries() {
        let policy = RetryPolicy::standard();
        let limited = Error::RateLimited {
            retry_after: Some(Duration::from_secs(3)),
            detail: Box::default(),
        };
        assert_eq!(
            policy.next_wait(&limited, 1, Duration::ZERO),
            Some(Duration::from_secs(3))
        );
        assert_eq!(
            policy.next_wait(&limited, 5, Duration::ZERO),
            None,
            "attempts are capped"
        );
        assert_eq!(
            policy.next_wait(&limited, 1, Duration::from_secs(119)),
            None,
            "total time is capped"
        );
        assert_eq!(
            RetryPolicy::none().next_wait(&limited, 1, Duration::ZERO),
            None
        );
    }
}
