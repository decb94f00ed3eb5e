//! The one request path every call goes through: auth headers, retries, error classification,
//! the request log.

use std::error::Error as StdError;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use crate::calls::Call;
use crate::error::{truncate_text, BODY_SNIPPET_LEN};
use crate::retry::parse_retry_after;
use crate::{
    ApiKey, BaseUrl, Error, OrgId, Region, RequestLog, RequestRecord, ResponseDetail, RetryPolicy,
};

const API_KEY_HEADER: &str = "x-api-key";
const ORG_HEADER: &str = "x-org-id";

/// Routes that refuse `x-org-id` (REFERENCE §3, §10.3); sending it there gets a 403.
const ROUTES_WITHOUT_ORG_HEADER: [&str; 5] = [
    "/api/organizations",
    "/api/search/organizations",
    "/api/v2/organizations",
    "/api/v2/providers",
    "/api/v2/administrators",
];

pub fn takes_org_header(path: &str) -> bool {
    !ROUTES_WITHOUT_ORG_HEADER.iter().any(|prefix| {
        path == *prefix
            || path.starts_with(&format!("{prefix}/"))
            || path.starts_with(&format!("{prefix}?"))
    })
}

pub struct ClientBuilder {
    key: ApiKey,
    base: BaseUrl,
    region: Option<Region>,
    org: Option<OrgId>,
    retry: RetryPolicy,
    timeout: Duration,
    connect_timeout: Duration,
    user_agent: String,
    log: RequestLog,
    resolver: Option<Arc<dyn reqwest::dns::Resolve>>,
    extra_roots: Vec<reqwest::Certificate>,
}

impl ClientBuilder {
    pub fn new(key: ApiKey, base: BaseUrl) -> ClientBuilder {
        ClientBuilder {
            key,
            base,
            region: None,
            org: None,
            retry: RetryPolicy::standard(),
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            user_agent: format!("jc-onboard/{}", env!("CARGO_PKG_VERSION")),
            log: RequestLog::new(),
            resolver: None,
            extra_roots: Vec::new(),
        }
    }

    /// Which region `base` is, when it is one (for messages only).
    pub fn region(mut self, region: Region) -> Self {
        self.region = Some(region);
        self
    }

    pub fn org(mut self, org: Option<OrgId>) -> Self {
        self.org = org;
        self
    }

    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// Time allowed for a whole request, response body included.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The product and version named in `User-Agent`.
    pub fn user_agent(mut self, product: &str, version: &str) -> Self {
        self.user_agent = format!("{product}/{version} jc-api/{}", env!("CARGO_PKG_VERSION"));
        self
    }

    pub fn request_log(mut self, log: RequestLog) -> Self {
        self.log = log;
        self
    }

    /// Replaces name resolution (tests; split-horizon corporate DNS).
    pub fn dns_resolver(mut self, resolver: Arc<dyn reqwest::dns::Resolve>) -> Self {
        self.resolver = Some(resolver);
        self
    }

    /// Trusts one more CA certificate (PEM), e.g. a corporate TLS-inspection proxy's.
    pub fn add_root_certificate_pem(mut self, pem: &[u8]) -> Result<Self, Error> {
        let cert = reqwest::Certificate::from_pem(pem)
            .map_err(|e| Error::Setup(format!("the CA certificate could not be read: {e}")))?;
        self.extra_roots.push(cert);
        Ok(self)
    }

    pub fn build(self) -> Result<Client, Error> {
        let mut headers = HeaderMap::new();
        headers.insert(ACCEPT, HeaderValue::from_static("application/json"));
        headers.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        let mut http = reqwest::Client::builder()
            .user_agent(self.user_agent)
            .default_headers(headers)
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout);
        if let Some(resolver) = self.resolver {
            http = http.dns_resolver(Arc::new(SharedResolver(resolver)));
        }
        let extra_ca = !self.extra_roots.is_empty();
        for cert in self.extra_roots {
            http = http.add_root_certificate(cert);
        }
        let http = http.build().map_err(|e| {
            let cause = causes(&e)
                .last()
                .map(|c| c.to_string())
                .unwrap_or_else(|| e.to_string());
            Error::Setup(match extra_ca {
                true => format!("the extra CA certificate could not be used: {cause}"),
                false => cause,
            })
        })?;
        let mut key_header = HeaderValue::from_str(self.key.expose())
            .map_err(|_| Error::Setup("the API key cannot be sent as a header".into()))?;
        key_header.set_sensitive(true);
        Ok(Client {
            http,
            key_header: Arc::new(key_header),
            key: Arc::new(self.key),
            base: self.base,
            region: self.region,
            org: self.org,
            retry: self.retry,
            timeout: self.timeout,
            log: self.log,
        })
    }
}

/// Whether `pem` holds a CA certificate the HTTP client can trust (for a settings screen).
pub fn validate_ca_pem(pem: &[u8]) -> Result<(), Error> {
    let cert = reqwest::Certificate::from_pem(pem)
        .map_err(|e| Error::Setup(format!("the extra CA certificate could not be read: {e}")))?;
    reqwest::Client::builder()
        .add_root_certificate(cert)
        .build()
        .map(|_| ())
        .map_err(|e| {
            let cause = causes(&e)
                .last()
                .map(|c| c.to_string())
                .unwrap_or_else(|| e.to_string());
            Error::Setup(format!(
                "the extra CA certificate could not be used: {cause}"
            ))
        })
}

/// reqwest wants a sized resolver; this forwards to the shared one.
struct SharedResolver(Arc<dyn reqwest::dns::Resolve>);

impl reqwest::dns::Resolve for SharedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        self.0.resolve(name)
    }
}

/// A JumpCloud API client bound to one host root, one key and, optionally, one org.
/// Cheap to clone; clones share the connection pool and the request log.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    key: Arc<ApiKey>,
    key_header: Arc<HeaderValue>,
    base: BaseUrl,
    region: Option<Region>,
    org: Option<OrgId>,
    retry: RetryPolicy,
    timeout: Duration,
    log: RequestLog,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("key", &self.key)
            .field("base", &self.base.to_string())
            .field("region", &self.region)
            .field("org", &self.org)
            .field("retry", &self.retry)
            .finish()
    }
}

/// A successful response, read in full.
pub(crate) struct Response {
    pub body: Vec<u8>,
    pub total_count_header: Option<String>,
    pub detail: ResponseDetail,
}

impl Client {
    pub fn base(&self) -> &BaseUrl {
        &self.base
    }

    pub fn region(&self) -> Option<Region> {
        self.region
    }

    pub fn org(&self) -> Option<&OrgId> {
        self.org.as_ref()
    }

    pub fn key(&self) -> &ApiKey {
        &self.key
    }

    pub fn request_log(&self) -> &RequestLog {
        &self.log
    }

    pub fn retry_policy(&self) -> &RetryPolicy {
        &self.retry
    }

    /// The HTTP client without any JumpCloud header, for third-party hosts (logos).
    pub(crate) fn bare_http(&self) -> &reqwest::Client {
        &self.http
    }

    /// The same key and settings against another host root (region probing).
    pub fn with_base(&self, base: BaseUrl, region: Option<Region>) -> Client {
        Client {
            base,
            region,
            ..self.clone()
        }
    }

    pub fn with_org(&self, org: Option<OrgId>) -> Client {
        Client {
            org,
            ..self.clone()
        }
    }

    pub fn with_retry(&self, retry: RetryPolicy) -> Client {
        Client {
            retry,
            ..self.clone()
        }
    }

    /// Any HTTP answer from the host root, without the key: proves DNS, TCP, TLS and proxy.
    pub async fn reach(&self) -> Result<ResponseDetail, Error> {
        let route = "/".to_owned();
        let started = Instant::now();
        let result = self.http.get(self.base.join("/")).send().await;
        let latency = started.elapsed();
        let outcome = match result {
            Ok(response) => Ok(ResponseDetail {
                method: "GET",
                route: route.clone(),
                host: self.base.host(),
                status: Some(response.status().as_u16()),
                latency_ms: millis(latency),
                request_id: request_id(response.headers()),
                message: None,
                body: None,
            }),
            Err(e) => Err(self.transport_error(&e, &route)),
        };
        self.record(&route, 1, outcome.as_ref(), latency, Duration::ZERO);
        outcome
    }

    /// The generic request path: GET with auth, retried per the policy, classified, logged.
    /// Every request is one entry of the call table, `path` its template filled in.
    pub(crate) async fn get(
        &self,
        call: &'static Call,
        path: &str,
        query: &[(&str, String)],
    ) -> Result<Response, Error> {
        debug_assert!(call.matches_path(path), "{path} is {}", call.path);
        let route = route_of(path, query);
        let started = Instant::now();
        let mut waited = Duration::ZERO;
        let mut attempt = 1;
        loop {
            let t0 = Instant::now();
            let result = self.attempt(path, query, &route).await;
            let latency = t0.elapsed();
            self.record(
                &route,
                attempt,
                result.as_ref().map(|r| &r.detail),
                latency,
                waited,
            );
            let error = match result {
                Ok(response) => return Ok(response),
                Err(error) => error,
            };
            match self.retry.next_wait(&error, attempt, started.elapsed()) {
                Some(wait) => {
                    tracing::info!(route = %route, attempt, wait_ms = millis(wait), class = error.class(), "retrying");
                    tokio::time::sleep(wait).await;
                    waited = wait;
                    attempt += 1;
                }
                None => return Err(error),
            }
        }
    }

    async fn attempt(
        &self,
        path: &str,
        query: &[(&str, String)],
        route: &str,
    ) -> Result<Response, Error> {
        let started = Instant::now();
        let mut request = self
            .http
            .get(self.base.join(path))
            .query(query)
            .header(API_KEY_HEADER, (*self.key_header).clone());
        let org_sent = self.org.as_ref().filter(|_| takes_org_header(path));
        if let Some(org) = org_sent {
            request = request.header(ORG_HEADER, org.as_str());
        }
        let response = request
            .send()
            .await
            .map_err(|e| self.transport_error(&e, route))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let body = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e, route))?
            .to_vec();
        let content_type = header_text(&headers, CONTENT_TYPE.as_str());
        let mut detail = ResponseDetail {
            method: "GET",
            route: route.to_owned(),
            host: self.base.host(),
            status: Some(status),
            latency_ms: millis(started.elapsed()),
            request_id: request_id(&headers),
            message: None,
            body: None,
        };
        if (200..300).contains(&status) {
            if !is_json(content_type.as_deref(), &body) {
                detail.body = Some(body_snippet(&body));
                return Err(Error::NotJson {
                    content_type: content_type.unwrap_or_else(|| "untyped".into()),
                    detail: Box::new(detail),
                });
            }
            return Ok(Response {
                body,
                total_count_header: header_text(&headers, "x-total-count"),
                detail,
            });
        }
        let json = is_json(content_type.as_deref(), &body);
        detail.message = if json { error_message(&body) } else { None };
        if detail.message.is_none() && !body.is_empty() {
            detail.body = Some(body_snippet(&body));
        }
        let retry_after = header_text(&headers, "retry-after")
            .and_then(|v| parse_retry_after(&v, SystemTime::now()));
        Err(classify(
            status,
            json,
            content_type,
            retry_after,
            org_sent,
            detail,
        ))
    }

    fn record(
        &self,
        route: &str,
        attempt: u32,
        result: Result<&ResponseDetail, &Error>,
        latency: Duration,
        waited: Duration,
    ) {
        let (status, request_id, outcome) = match result {
            Ok(detail) => (detail.status, detail.request_id.clone(), "ok".to_owned()),
            Err(error) => (
                error.status(),
                error.detail().and_then(|d| d.request_id.clone()),
                error.class().to_owned(),
            ),
        };
        self.log.push(RequestRecord {
            method: "GET",
            host: self.base.host(),
            route: route.to_owned(),
            attempt,
            status,
            latency_ms: millis(latency),
            request_id,
            outcome,
            waited_ms: millis(waited),
        });
    }

    fn transport_error(&self, error: &reqwest::Error, route: &str) -> Error {
        let host = self.base.host();
        if error.is_timeout() {
            return Error::Timeout {
                host,
                route: route.to_owned(),
                after: self.timeout,
            };
        }
        let reason = root_cause(error);
        for cause in causes(error) {
            if cause.is::<rustls::Error>() {
                return Error::Tls { host, reason };
            }
            if let Some(io) = cause.downcast_ref::<std::io::Error>() {
                if io
                    .get_ref()
                    .is_some_and(|inner| inner.is::<rustls::Error>())
                {
                    return Error::Tls { host, reason };
                }
                if matches!(
                    io.kind(),
                    std::io::ErrorKind::ConnectionReset
                        | std::io::ErrorKind::ConnectionAborted
                        | std::io::ErrorKind::BrokenPipe
                ) {
                    return Error::ConnectionReset { host };
                }
            }
            let text = cause.to_string().to_ascii_lowercase();
            if text.contains("dns error") || text.contains("failed to lookup address") {
                return Error::Dns { host, reason };
            }
            if text.contains("tunnel") || text.contains("proxy") {
                return Error::Proxy { host, reason };
            }
            if text.contains("connection closed before message completed")
                || text.contains("incomplete message")
            {
                return Error::ConnectionReset { host };
            }
        }
        if error.is_connect() {
            Error::Connect { host, reason }
        } else if error.is_body() || error.is_request() {
            Error::ConnectionReset { host }
        } else {
            Error::Connect { host, reason }
        }
    }
}

fn classify(
    status: u16,
    json: bool,
    content_type: Option<String>,
    retry_after: Option<Duration>,
    org_sent: Option<&OrgId>,
    detail: ResponseDetail,
) -> Error {
    let words = detail
        .server_words()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let detail = Box::new(detail);
    let org_id = || org_sent.map(|o| o.to_string()).unwrap_or_default();
    match status {
        429 => Error::RateLimited {
            retry_after,
            detail,
        },
        401 if words.contains("no organization selected") => Error::NoOrgSelected { detail },
        401 => Error::UnknownKey { detail },
        403 if words.contains("organization selection not allowed") => {
            Error::OrgHeaderNotAllowed { detail }
        }
        403 => Error::Forbidden { detail },
        400 if org_sent.is_some() && words.contains("malformed id") => Error::BadOrg {
            org_id: org_id(),
            detail,
        },
        404 if org_sent.is_some() && words.contains("organization id not found") => Error::BadOrg {
            org_id: org_id(),
            detail,
        },
        404 => Error::NotFound { detail },
        500..=599 if json || detail.body.is_none() => Error::Server { detail },
        500..=599 => Error::NotJson {
            content_type: content_type.unwrap_or_else(|| "untyped".into()),
            detail,
        },
        _ => Error::Rejected { detail },
    }
}

/// Decodes JSON, telling a body cut short apart from one of the wrong shape.
pub(crate) fn decode<T: DeserializeOwned>(
    body: &[u8],
    detail: &ResponseDetail,
) -> Result<T, Error> {
    serde_json::from_slice(body).map_err(|e| decode_error(e, body, detail))
}

fn decode_error(e: serde_json::Error, body: &[u8], detail: &ResponseDetail) -> Error {
    if e.is_eof() {
        let reason = format!("the response ended early, after {} bytes", body.len());
        decode_failure(reason, true, body, detail)
    } else {
        decode_failure(e.to_string(), false, body, detail)
    }
}

/// A successful body holds directory data (names, emails), so none of it is kept as evidence:
/// the reason says where it broke.
pub(crate) fn decode_failure(
    reason: String,
    truncated: bool,
    body: &[u8],
    detail: &ResponseDetail,
) -> Error {
    let mut detail = detail.clone();
    detail.body = Some(format!("{} bytes of JSON received", body.len()));
    Error::Decode {
        reason,
        truncated,
        detail: Box::new(detail),
    }
}

fn is_json(content_type: Option<&str>, body: &[u8]) -> bool {
    match content_type {
        Some(ct) => ct.to_ascii_lowercase().contains("json"),
        None => matches!(
            body.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[') | None
        ),
    }
}

fn error_message(body: &[u8]) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = |key: &str| {
        value
            .get(key)
            .and_then(|v| v.as_str())
            .filter(|s| !s.is_empty())
    };
    text("message")
        .or_else(|| text("error"))
        .map(|s| truncate_text(s, BODY_SNIPPET_LEN))
}

/// The start of a body as one line of text (HTML pages collapse to their words).
fn body_snippet(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(body);
    let collapsed = text.split_whitespace().collect::<Vec<_>>().join(" ");
    truncate_text(&collapsed, BODY_SNIPPET_LEN)
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    header_text(headers, "cf-ray").or_else(|| header_text(headers, "x-request-id"))
}

fn route_of(path: &str, query: &[(&str, String)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{path}?{}", pairs.join("&"))
}

fn causes<'a>(
    error: &'a (dyn StdError + 'static),
) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |e: &&'a (dyn StdError + 'static)| {
        let e: &'a (dyn StdError + 'static) = *e;
        e.source().or_else(|| {
            e.downcast_ref::<std::io::Error>()
                .and_then(|io| io.get_ref())
                .map(|inner| inner as &(dyn StdError + 'static))
        })
    })
}

fn root_cause(error: &reqwest::Error) -> String {
    causes(error)
        .last()
        .map(|e| truncate_text(&e.to_string(), BODY_SNIPPET_LEN))
        .unwrap_or_default()
}

fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn org_header_only_where_routes_take_it() {
        assert!(!takes_org_header("/api/organizations"));
        assert!(!takes_org_header(
            "/api/organizations/5d2f7024f0e1526be4df38e7"
        ));
        assert!(!takes_org_header("/api/v2/providers/x/administrators"));
        assert!(takes_org_header("/api/systemusers"));
        assert!(takes_org_header("/api/v2/usergroups"));
        assert!(takes_org_header("/api/settings"));
        assert!(
            takes_org_header("/api/organizationsettings"),
            "only the organizations route itself is exempt"
        );
    }

    #[test]
    fn error_text_comes_from_message_then_error() {
        assert_eq!(
            error_message(br#"{"message":"m","error":"e"}"#).as_deref(),
            Some("m")
        );
        assert_eq!(error_message(br#"{"error":"e"}"#).as_deref(), Some("e"));
        assert_eq!(error_message(b"<html>"), None);
    }

    #[test]
    fn statuses_map_to_distinct_errors() {
        let org = OrgId::parse("5d2f7024f0e1526be4df38e7").expect("valid id");
        // (status, JSON body?, org header sent?, server's words, expected class)
        let table = [
            (
                401,
                true,
                false,
                "Unauthorized: api key user not found",
                "unknown_key",
            ),
            (
                401,
                true,
                false,
                "Unauthorized: no organization selected",
                "no_org_selected",
            ),
            (
                403,
                true,
                false,
                "Forbidden: organization selection not allowed via header",
                "org_header_not_allowed",
            ),
            (403, true, false, "Forbidden", "forbidden"),
            (404, true, true, "Organization ID Not Found", "bad_org"),
            (404, true, false, "Not Found", "not_found"),
            (400, true, true, "Malformed ID", "bad_org"),
            (400, true, false, "limit must be <= 100", "rejected"),
            (429, false, false, "Too Many Requests", "rate_limited"),
            (503, true, false, "Service Unavailable", "server_error"),
        ];
        for (status, json, org_sent, words, class) in table {
            let detail = ResponseDetail {
                message: Some(words.into()),
                ..ResponseDetail::default()
            };
            let error = classify(status, json, None, None, org_sent.then_some(&org), detail);
            assert_eq!(error.class(), class, "HTTP {status} {words:?}");
        }
        let page = ResponseDetail {
            body: Some("<html>bad gateway</html>".into()),
            ..ResponseDetail::default()
        };
        let edge = classify(502, false, Some("text/html".into()), None, None, page);
        assert_eq!(
            edge.class(),
            "not_json",
            "an HTML edge page is told apart from a JSON 5xx"
        );
    }
}
