//! Client credentials: the token exchange with a region's token host, and the one cached token
//! every clone of a client shares. The cache is single-flight: however many requests are in
//! flight, one asks for a token and the others wait for it. A token is asked again shortly
//! before it expires, and once after a data call is refused with a 401.

use std::time::{Duration, Instant, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderValue, ACCEPT, CONTENT_TYPE};
use tokio::sync::Mutex;
use zeroize::Zeroizing;

use super::body::{
    body_snippet, error_message, header_text, is_json, read_capped, request_id,
    MAX_ERROR_BODY_BYTES,
};
use super::classify::classify;
use super::request::millis;
use super::Client;
use crate::credential::{BearerToken, ClientCredentials};
use crate::{BaseUrl, Error, RequestRecord, ResponseDetail};

pub(crate) const TOKEN_PATH: &str = "/oauth2/token";
/// A token answer is a few hundred bytes.
const MAX_TOKEN_ANSWER_BYTES: usize = 64 * 1024;
/// What a token lives when the answer does not say (as JumpCloud's own CLI assumes).
const DEFAULT_LIFETIME: Duration = Duration::from_secs(3600);
/// The longest lifetime believed: a larger `expires_in` is a server's mistake, not a promise.
const MAX_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// A token is asked again this long before it expires, at most.
const MAX_RENEW_MARGIN: Duration = Duration::from_secs(30);

/// The client ID and secret for one token host, and the token it issued last.
pub(crate) struct TokenSource {
    credentials: ClientCredentials,
    host: BaseUrl,
    slot: Mutex<Option<Cached>>,
}

struct Cached {
    bearer: Bearer,
    renew_at: Instant,
}

/// A token ready to send: the header (zeroed when the last request holding it is done) and
/// which issue it was.
#[derive(Clone)]
pub(crate) struct Bearer {
    pub header: HeaderValue,
    pub issue: u64,
    /// When the token host said the token expires (information only).
    pub expires_at: SystemTime,
}

impl TokenSource {
    pub(crate) fn new(credentials: ClientCredentials, host: BaseUrl) -> TokenSource {
        TokenSource {
            credentials,
            host,
            slot: Mutex::new(None),
        }
    }

    pub(crate) fn host(&self) -> &BaseUrl {
        &self.host
    }

    pub(crate) fn credentials(&self) -> &ClientCredentials {
        &self.credentials
    }

    /// The cached token if it is not about to expire, else a new one. Callers queue on the
    /// lock, so only the first of many concurrent callers asks the token host.
    pub(crate) async fn bearer(&self, client: &Client) -> Result<Bearer, Error> {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_ref().filter(|c| Instant::now() < c.renew_at) {
            return Ok(cached.bearer.clone());
        }
        let issue = slot
            .as_ref()
            .map_or(1, |c| c.bearer.issue.saturating_add(1));
        let (bearer, lifetime) = self.exchange(client, issue).await?;
        let renew_at = Instant::now()
            .checked_add(lifetime.saturating_sub(renew_margin(lifetime)))
            .unwrap_or_else(Instant::now);
        *slot = Some(Cached {
            bearer: bearer.clone(),
            renew_at,
        });
        Ok(bearer)
    }

    /// Drops the token of issue `issue` after JumpCloud refused it, unless another request
    /// already replaced it.
    pub(crate) async fn refused(&self, issue: u64) {
        let mut slot = self.slot.lock().await;
        if let Some(cached) = slot.as_mut().filter(|c| c.bearer.issue == issue) {
            cached.renew_at = Instant::now();
        }
    }

    /// When the cached token expires, if there is one.
    pub(crate) async fn expires_at(&self) -> Option<SystemTime> {
        self.slot.lock().await.as_ref().map(|c| c.bearer.expires_at)
    }

    async fn exchange(&self, client: &Client, issue: u64) -> Result<(Bearer, Duration), Error> {
        let started = Instant::now();
        let result = self.ask(client, issue).await;
        let latency = started.elapsed();
        let (status, request_id, outcome) = match &result {
            Ok((_, _, detail)) => (detail.status, detail.request_id.clone(), "ok".to_owned()),
            Err(error) => (
                error.status(),
                error.detail().and_then(|d| d.request_id.clone()),
                error.class().to_owned(),
            ),
        };
        client.request_log().push(RequestRecord {
            method: "POST",
            host: self.host.host(),
            route: TOKEN_PATH.to_owned(),
            attempt: 1,
            status,
            latency_ms: millis(latency),
            request_id,
            outcome,
            waited_ms: 0,
        });
        match &result {
            Ok(_) => tracing::debug!(host = %self.host.host(), issue, "token issued"),
            Err(error) => {
                tracing::info!(host = %self.host.host(), class = error.class(), "token refused")
            }
        }
        result.map(|(bearer, lifetime, _)| (bearer, lifetime))
    }

    async fn ask(
        &self,
        client: &Client,
        issue: u64,
    ) -> Result<(Bearer, Duration, ResponseDetail), Error> {
        let host = self.host.host();
        let secret = Some(self.credentials.secret.expose());
        let unreachable = |cause: Error| Error::TokenHostUnreachable {
            host: host.clone(),
            cause: Box::new(cause),
        };
        let started = Instant::now();
        let http = client.http_for(self.host.url()).map_err(unreachable)?;
        let mut response = http
            .post(self.host.join(TOKEN_PATH))
            .basic_auth(
                self.credentials.id.as_str(),
                Some(self.credentials.secret.expose()),
            )
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .header(ACCEPT, "application/json")
            .body("grant_type=client_credentials&scope=api")
            .send()
            .await
            .map_err(|e| unreachable(client.transport_error_at(&e, &host, TOKEN_PATH)))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let mut detail = ResponseDetail {
            method: "POST",
            route: TOKEN_PATH.to_owned(),
            host: host.clone(),
            status: Some(status),
            latency_ms: 0,
            request_id: request_id(&headers, secret),
            message: None,
            body: None,
        };
        let content_type = header_text(&headers, CONTENT_TYPE.as_str());
        let cap = if (200..300).contains(&status) {
            MAX_TOKEN_ANSWER_BYTES
        } else {
            MAX_ERROR_BODY_BYTES
        };
        let read = read_capped(&mut response, cap)
            .await
            .map_err(|e| unreachable(client.transport_error_at(&e, &host, TOKEN_PATH)))?;
        detail.latency_ms = millis(started.elapsed());
        let json = is_json(content_type.as_deref(), &read.bytes);
        if !(200..300).contains(&status) {
            detail.message = json.then(|| error_message(&read.bytes, secret)).flatten();
            if detail.message.is_none() && !read.bytes.is_empty() {
                detail.body = Some(body_snippet(&read.bytes, secret));
            }
            let detail = Box::new(detail);
            return Err(match status {
                401 => Error::InvalidClient { detail },
                403 => Error::TokenForbidden { detail },
                300..=399 => unreachable(Error::Redirected {
                    to: "another address".to_owned(),
                    detail,
                }),
                407 => unreachable(Error::Proxy {
                    host: host.clone(),
                    reason: "the proxy asks for a sign-in (HTTP 407)".to_owned(),
                }),
                _ => unreachable(classify(status, json, content_type, None, None, *detail)),
            });
        }
        let bad = |reason: &str, detail: ResponseDetail| Error::BadTokenAnswer {
            reason: reason.to_owned(),
            detail: Box::new(detail),
        };
        if read.over {
            return Err(bad("the answer is far larger than a token", detail));
        }
        if !json {
            return Err(bad("the answer is not JSON", detail));
        }
        let answer = Zeroizing::new(read.bytes);
        let Ok(parsed) = serde_json::from_slice::<serde_json::Value>(&answer) else {
            return Err(bad("the answer is not valid JSON", detail));
        };
        let token_type = parsed.get("token_type").and_then(serde_json::Value::as_str);
        if token_type.is_some_and(|t| !t.eq_ignore_ascii_case("bearer")) {
            return Err(bad("the token is not a bearer token", detail));
        }
        let Some(token) = parsed
            .get("access_token")
            .and_then(serde_json::Value::as_str)
            .and_then(BearerToken::from_answer)
        else {
            return Err(bad("the answer has no usable access_token", detail));
        };
        let lifetime = lifetime(parsed.get("expires_in"));
        let header = bearer_header(&token)?;
        let expires_at = SystemTime::now()
            .checked_add(lifetime)
            .unwrap_or_else(SystemTime::now);
        Ok((
            Bearer {
                header,
                issue,
                expires_at,
            },
            lifetime,
            detail,
        ))
    }
}

/// `expires_in` as the token host sent it: whole or fractional seconds, or digits in a string.
/// Missing or unreadable is the documented default; anything huge is capped.
fn lifetime(value: Option<&serde_json::Value>) -> Duration {
    let seconds = match value {
        Some(serde_json::Value::Number(n)) => n.as_u64().map(Duration::from_secs).or_else(|| {
            n.as_f64()
                .filter(|f| f.is_finite() && *f >= 0.0)
                .map(|f| Duration::from_secs_f64(f.min(MAX_LIFETIME.as_secs_f64())))
        }),
        Some(serde_json::Value::String(s)) => s.trim().parse::<u64>().ok().map(Duration::from_secs),
        _ => None,
    };
    seconds.unwrap_or(DEFAULT_LIFETIME).min(MAX_LIFETIME)
}

/// Asked again a twentieth of its life before expiry, at most 30 s early: a 2-second token
/// lives 1.9 s here, an hour's token 59.5 minutes.
fn renew_margin(lifetime: Duration) -> Duration {
    (lifetime / 20).min(MAX_RENEW_MARGIN)
}

fn bearer_header(token: &BearerToken) -> Result<HeaderValue, Error> {
    let mut bytes = Zeroizing::new(Vec::with_capacity(token.expose().len().saturating_add(7)));
    bytes.extend_from_slice(b"Bearer ");
    bytes.extend_from_slice(token.expose().as_bytes());
    let mut value = HeaderValue::from_maybe_shared(Bytes::from_owner(bytes))
        .map_err(|_| Error::Setup("the token cannot be sent as a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expires_in_is_read_safely() {
        assert_eq!(lifetime(Some(&json!(2))), Duration::from_secs(2));
        assert_eq!(lifetime(Some(&json!("3600"))), Duration::from_secs(3600));
        assert_eq!(lifetime(Some(&json!(1.5))), Duration::from_millis(1500));
        assert_eq!(
            lifetime(None),
            DEFAULT_LIFETIME,
            "missing: JumpCloud's CLI assumes an hour"
        );
        assert_eq!(
            lifetime(Some(&json!(-5))),
            DEFAULT_LIFETIME,
            "negative is unreadable"
        );
        assert_eq!(
            lifetime(Some(&json!(u64::MAX))),
            MAX_LIFETIME,
            "huge is capped, never overflows"
        );
        assert_eq!(lifetime(Some(&json!(1e300))), MAX_LIFETIME);
        assert_eq!(lifetime(Some(&json!("soon"))), DEFAULT_LIFETIME);
    }

    #[test]
    fn renewal_comes_shortly_before_expiry() {
        assert_eq!(
            renew_margin(Duration::from_secs(2)),
            Duration::from_millis(100)
        );
        assert_eq!(renew_margin(Duration::from_secs(3600)), MAX_RENEW_MARGIN);
        assert_eq!(renew_margin(Duration::ZERO), Duration::ZERO);
    }
}
