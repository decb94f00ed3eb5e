//! The one request path: GET with auth, the body read within its cap, redirects refused,
//! failures classified, retried per the policy, every attempt logged.

use std::time::{Duration, Instant, SystemTime};

use reqwest::header::{HeaderMap, CONTENT_TYPE, LOCATION};
use url::Url;

use super::body::{
    body_snippet, error_message, from_jumpcloud_edge, header_text, is_json, read_capped,
    request_id, MAX_BODY_BYTES, MAX_ERROR_BODY_BYTES,
};
use super::classify::{classify, cut_short, is_cut_short, transport_error};
use super::{takes_org_header, Authorization, Client, Response, ORG_HEADER};
use crate::calls::Call;
use crate::retry::parse_retry_after;
use crate::{sanitize, Error, RequestRecord, ResponseDetail};

impl Client {
    /// Any HTTP answer from the host root, without the key: proves DNS, TCP, TLS and proxy. A
    /// proxy's own refusal (407, or a 5xx without JumpCloud's edge headers) is not an answer
    /// from JumpCloud.
    pub async fn reach(&self) -> Result<ResponseDetail, Error> {
        let route = "/".to_owned();
        let url = self.base.url().clone();
        let started = Instant::now();
        let result = match self.transports.for_url(&url) {
            Ok(http) => http
                .get(url.as_str())
                .send()
                .await
                .map_err(|e| self.transport_error(&e, &route)),
            Err(setup) => Err(setup),
        };
        let latency = started.elapsed();
        let outcome = result.and_then(|response| self.reached(&url, &route, &response, latency));
        self.record(&route, 1, outcome.as_ref(), latency, Duration::ZERO);
        outcome
    }

    fn reached(
        &self,
        url: &Url,
        route: &str,
        response: &reqwest::Response,
        latency: Duration,
    ) -> Result<ResponseDetail, Error> {
        let status = response.status().as_u16();
        let host = self.base.host();
        if status == 407 {
            return Err(Error::Proxy {
                host,
                reason: "the proxy asks for a sign-in (HTTP 407)".to_owned(),
            });
        }
        let proxied = self.transports.proxy_applies(url);
        if proxied && (500..=599).contains(&status) && !from_jumpcloud_edge(response.headers()) {
            return Err(Error::Proxy {
                host,
                reason: format!("the proxy answered HTTP {status} itself; JumpCloud did not"),
            });
        }
        Ok(ResponseDetail {
            method: "GET",
            route: route.to_owned(),
            host,
            status: Some(status),
            latency_ms: millis(latency),
            request_id: request_id(response.headers(), self.secret_text()),
            message: None,
            body: None,
        })
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
            let result = self.authorized_attempt(path, query, &route).await;
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
                    attempt = attempt.saturating_add(1);
                }
                None => return Err(error),
            }
        }
    }

    /// One attempt with the credential's header. A bearer token refused with a 401 is asked
    /// again once (it may have expired early, or been revoked) and the request sent again.
    async fn authorized_attempt(
        &self,
        path: &str,
        query: &[(&str, String)],
        route: &str,
    ) -> Result<Response, Error> {
        let auth = self.authorization().await?;
        match self.attempt(path, query, route, auth).await {
            Err((Error::UnknownKey { .. }, issue)) if self.token_refused(issue).await => {
                let auth = self.authorization().await?;
                self.attempt(path, query, route, auth)
                    .await
                    .map_err(|(error, _)| error)
            }
            result => result.map_err(|(error, _)| error),
        }
    }

    async fn attempt(
        &self,
        path: &str,
        query: &[(&str, String)],
        route: &str,
        auth: Authorization,
    ) -> Result<Response, (Error, Option<u64>)> {
        let issue = auth.issue;
        self.send(path, query, route, auth)
            .await
            .map_err(|error| (error, issue))
    }

    async fn send(
        &self,
        path: &str,
        query: &[(&str, String)],
        route: &str,
        auth: Authorization,
    ) -> Result<Response, Error> {
        let started = Instant::now();
        let http = self.transports.for_url(self.base.url())?;
        let mut request = http
            .get(self.base.join(path))
            .query(query)
            .header(auth.name, auth.value);
        let org_sent = self.org.as_ref().filter(|_| takes_org_header(path));
        if let Some(org) = org_sent {
            request = request.header(ORG_HEADER, org.as_str());
        }
        let mut response = request
            .send()
            .await
            .map_err(|e| self.transport_error(&e, route))?;
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let key = self.secret_text();
        let mut detail = ResponseDetail {
            method: "GET",
            route: route.to_owned(),
            host: self.base.host(),
            status: Some(status),
            latency_ms: 0,
            request_id: request_id(&headers, key),
            message: None,
            body: None,
        };
        if (300..400).contains(&status) {
            detail.latency_ms = millis(started.elapsed());
            return Err(Error::Redirected {
                to: redirect_target(response.url(), &headers, key),
                detail: Box::new(detail),
            });
        }
        let content_type = header_text(&headers, CONTENT_TYPE.as_str());
        if (200..300).contains(&status) {
            let read = read_capped(&mut response, MAX_BODY_BYTES)
                .await
                .map_err(|e| self.transport_error(&e, route))?;
            detail.latency_ms = millis(started.elapsed());
            if read.over {
                return Err(Error::TooLarge {
                    limit_bytes: MAX_BODY_BYTES,
                    detail: Box::new(detail),
                });
            }
            let body = read.bytes;
            if !is_json(content_type.as_deref(), &body) {
                detail.body = Some(body_snippet(&body, key));
                return Err(Error::NotJson {
                    content_type: sanitize::server_text(
                        content_type.as_deref().unwrap_or("untyped"),
                        key,
                    ),
                    detail: Box::new(detail),
                });
            }
            if is_cut_short(&body) {
                return Err(cut_short(&body, &detail));
            }
            return Ok(Response {
                body,
                total_count_header: header_text(&headers, "x-total-count"),
                detail,
            });
        }
        // Only the start of an error answer is evidence; a cut or endless one changes nothing.
        let body = read_capped(&mut response, MAX_ERROR_BODY_BYTES)
            .await
            .map(|read| read.bytes)
            .unwrap_or_default();
        detail.latency_ms = millis(started.elapsed());
        let json = is_json(content_type.as_deref(), &body);
        detail.message = if json {
            error_message(&body, key)
        } else {
            None
        };
        if detail.message.is_none() && !body.is_empty() {
            detail.body = Some(body_snippet(&body, key));
        }
        let retry_after = header_text(&headers, "retry-after")
            .and_then(|v| parse_retry_after(&v, SystemTime::now()));
        Err(classify(
            status,
            json,
            content_type.map(|ct| sanitize::server_text(&ct, key)),
            retry_after,
            org_sent,
            detail,
        ))
    }

    pub(super) fn record(
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

    pub(crate) fn transport_error(&self, error: &reqwest::Error, route: &str) -> Error {
        self.transport_error_at(error, &self.base.host(), route)
    }

    pub(crate) fn transport_error_at(
        &self,
        error: &reqwest::Error,
        host: &str,
        route: &str,
    ) -> Error {
        transport_error(
            error,
            host.to_owned(),
            route,
            self.timeout,
            self.secret_text(),
        )
    }
}

/// Where a redirect pointed: scheme, host and port, never the path or query (which may carry
/// anything).
fn redirect_target(from: &Url, headers: &HeaderMap, key: Option<&str>) -> String {
    header_text(headers, LOCATION.as_str())
        .and_then(|location| from.join(&location).ok())
        .map(|to| sanitize::server_text(&to.origin().ascii_serialization(), key))
        .filter(|to| !to.is_empty() && to != "null")
        .unwrap_or_else(|| "an address it did not name".to_owned())
}

fn route_of(path: &str, query: &[(&str, String)]) -> String {
    if query.is_empty() {
        return path.to_owned();
    }
    let pairs: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
    format!("{path}?{}", pairs.join("&"))
}

pub(crate) fn millis(d: Duration) -> u64 {
    u64::try_from(d.as_millis()).unwrap_or(u64::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_name_the_origin_only() {
        let from = Url::parse("https://console.jumpcloud.com/api/systemusers").expect("url");
        let mut headers = HeaderMap::new();
        headers.insert(
            LOCATION,
            "http://evil.example:8080/steal?key=abc#x"
                .parse()
                .expect("header"),
        );
        assert_eq!(
            redirect_target(&from, &headers, None),
            "http://evil.example:8080"
        );
        headers.insert(LOCATION, "/login?next=1".parse().expect("header"));
        assert_eq!(
            redirect_target(&from, &headers, None),
            "https://console.jumpcloud.com"
        );
        assert_eq!(
            redirect_target(&from, &HeaderMap::new(), None),
            "an address it did not name"
        );
    }
}
