//! Every way a JumpCloud call can fail, kept apart so callers can explain each one plainly.

use std::time::Duration;

use crate::Region;

/// Longest piece of a response body we keep as evidence.
pub const BODY_SNIPPET_LEN: usize = 300;

/// The evidence behind an outcome: what was asked, what came back. Never holds a header value.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ResponseDetail {
    pub method: &'static str,
    /// Path and query, e.g. `/api/organizations?limit=1`. Queries carry no secrets.
    pub route: String,
    pub host: String,
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// `cf-ray` or `x-request-id`, what JumpCloud support asks for.
    pub request_id: Option<String>,
    /// `message`, else `error`, from a JSON error body.
    pub message: Option<String>,
    /// The start of the body, for non-JSON or unexplained errors.
    pub body: Option<String>,
}

impl ResponseDetail {
    /// The most helpful words the server said: its message, else the start of its body.
    pub fn server_words(&self) -> Option<&str> {
        self.message.as_deref().or(self.body.as_deref())
    }
}

/// A failed JumpCloud call. `Display` is a short technical sentence; callers turn the variant
/// into plain language.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// 401 "api key user not found": a mistyped, revoked, expired key, or another region's key.
    #[error("JumpCloud did not accept the API key ({})", words(.detail))]
    UnknownKey { detail: Box<ResponseDetail> },
    /// The key is not accepted in the region asked, but is in another one.
    #[error("the API key belongs to the {} region, not {}", .accepted_in.label(), .asked.label())]
    WrongRegion { asked: Region, accepted_in: Region },
    /// 401 "no organization selected": a multi-tenant key without `x-org-id`.
    #[error("the key can reach several organizations and none was selected")]
    NoOrgSelected { detail: Box<ResponseDetail> },
    /// 400 malformed org id, or 404 organization not found, for the org we sent.
    #[error("JumpCloud does not know organization {org_id} for this key ({})", words(.detail))]
    BadOrg {
        org_id: String,
        detail: Box<ResponseDetail>,
    },
    /// 403 on a route that does not take `x-org-id`: a client bug, kept apart to be obvious.
    #[error("JumpCloud refused the organization header on {}", .detail.route)]
    OrgHeaderNotAllowed { detail: Box<ResponseDetail> },
    /// 403: the key's role lacks the scope for this route (or an IP block).
    #[error("the key is not allowed to read {} ({})", .detail.route, words(.detail))]
    Forbidden { detail: Box<ResponseDetail> },
    /// 404 on a route we expected to exist. Never read as "empty".
    #[error("JumpCloud has no {} (404)", .detail.route)]
    NotFound { detail: Box<ResponseDetail> },
    /// Another 4xx.
    #[error("JumpCloud rejected the request with {} ({})", status(.detail), words(.detail))]
    Rejected { detail: Box<ResponseDetail> },
    /// 429, after retries (if any) ran out.
    #[error("JumpCloud is rate limiting requests{}", retry_after_text(.retry_after))]
    RateLimited {
        retry_after: Option<Duration>,
        detail: Box<ResponseDetail>,
    },
    /// 5xx with a JSON or empty body, after retries (if any) ran out.
    #[error("JumpCloud had a server error {}", status(.detail))]
    Server { detail: Box<ResponseDetail> },
    /// A body that is not JSON, typically an HTML page from the edge (Cloudflare) or a proxy.
    #[error("JumpCloud answered {} with a {} page instead of JSON", status(.detail), .content_type)]
    NotJson {
        content_type: String,
        detail: Box<ResponseDetail>,
    },
    /// A 3xx. Redirects are never followed: the key goes only to the host it was set up for.
    #[error("JumpCloud's address answered with a redirect to {to}, which was not followed")]
    Redirected {
        /// Where it pointed: scheme, host and port only (no path or query).
        to: String,
        detail: Box<ResponseDetail>,
    },
    /// A body longer than the client reads for one answer.
    #[error("the answer was larger than {} MB", .limit_bytes / (1024 * 1024))]
    TooLarge {
        limit_bytes: usize,
        detail: Box<ResponseDetail>,
    },
    /// JSON that ends early or does not match the documented shape.
    #[error("JumpCloud's response could not be read ({reason})")]
    Decode {
        reason: String,
        truncated: bool,
        detail: Box<ResponseDetail>,
    },
    #[error("JumpCloud did not answer within {} s", .after.as_secs_f32())]
    Timeout {
        host: String,
        route: String,
        after: Duration,
    },
    #[error("the name {host} could not be resolved ({reason})")]
    Dns { host: String, reason: String },
    #[error("a secure (TLS) connection to {host} could not be made ({reason})")]
    Tls { host: String, reason: String },
    #[error("could not connect to {host} ({reason})")]
    Connect { host: String, reason: String },
    #[error("the connection to {host} was reset")]
    ConnectionReset { host: String },
    #[error("the proxy refused or failed the connection to {host} ({reason})")]
    Proxy { host: String, reason: String },
    /// The client could not be built (e.g. a TLS backend failure). Not the server's fault.
    #[error("the HTTP client could not be set up: {0}")]
    Setup(String),
    /// 401 from the token host: a wrong client ID or secret, or an expired or deleted secret (or
    /// the credentials of another region's service account).
    #[error("the token host did not accept the client ID and secret ({})", words(.detail))]
    InvalidClient { detail: Box<ResponseDetail> },
    /// 403 from the token host: the credentials are known but may not get a token.
    #[error("the token host refused to issue a token ({})", words(.detail))]
    TokenForbidden { detail: Box<ResponseDetail> },
    /// The token host could not be reached or failed; `cause` says how (DNS, proxy, 5xx...).
    #[error("the token host {host} could not be used: {cause}")]
    TokenHostUnreachable { host: String, cause: Box<Error> },
    /// A token answer without a usable `access_token`, or not JSON.
    #[error("the token host's answer could not be used ({reason})")]
    BadTokenAnswer {
        reason: String,
        detail: Box<ResponseDetail>,
    },
    /// A record's id is empty or not an id, so the route beneath it was not requested.
    #[error("a record's id {id:?} cannot be used in {route}, so it was not requested")]
    BadId { route: String, id: String },
}

fn words(detail: &ResponseDetail) -> String {
    detail
        .server_words()
        .map(str::to_owned)
        .unwrap_or_else(|| status(detail))
}

fn status(detail: &ResponseDetail) -> String {
    detail
        .status
        .map(|s| format!("HTTP {s}"))
        .unwrap_or_else(|| "no status".to_owned())
}

fn retry_after_text(retry_after: &Option<Duration>) -> String {
    retry_after
        .map(|d| format!(" (asked to wait {} s)", d.as_secs()))
        .unwrap_or_default()
}

impl Error {
    /// The response evidence, when there was a response.
    pub fn detail(&self) -> Option<&ResponseDetail> {
        match self {
            Error::UnknownKey { detail }
            | Error::NoOrgSelected { detail }
            | Error::BadOrg { detail, .. }
            | Error::OrgHeaderNotAllowed { detail }
            | Error::Forbidden { detail }
            | Error::NotFound { detail }
            | Error::Rejected { detail }
            | Error::RateLimited { detail, .. }
            | Error::Server { detail }
            | Error::NotJson { detail, .. }
            | Error::Redirected { detail, .. }
            | Error::TooLarge { detail, .. }
            | Error::Decode { detail, .. }
            | Error::InvalidClient { detail }
            | Error::TokenForbidden { detail }
            | Error::BadTokenAnswer { detail, .. } => Some(detail),
            Error::TokenHostUnreachable { cause, .. } => cause.detail(),
            _ => None,
        }
    }

    /// The HTTP status, if a response came back.
    pub fn status(&self) -> Option<u16> {
        self.detail().and_then(|d| d.status)
    }

    /// A stable, short name for the class of failure (logs, request records, bundles).
    pub fn class(&self) -> &'static str {
        match self {
            Error::UnknownKey { .. } => "unknown_key",
            Error::WrongRegion { .. } => "wrong_region",
            Error::NoOrgSelected { .. } => "no_org_selected",
            Error::BadOrg { .. } => "bad_org",
            Error::OrgHeaderNotAllowed { .. } => "org_header_not_allowed",
            Error::Forbidden { .. } => "forbidden",
            Error::NotFound { .. } => "not_found",
            Error::Rejected { .. } => "rejected",
            Error::RateLimited { .. } => "rate_limited",
            Error::Server { .. } => "server_error",
            Error::NotJson { .. } => "not_json",
            Error::Redirected { .. } => "redirected",
            Error::TooLarge { .. } => "too_large",
            Error::Decode { .. } => "decode",
            Error::Timeout { .. } => "timeout",
            Error::Dns { .. } => "dns",
            Error::Tls { .. } => "tls",
            Error::Connect { .. } => "connect",
            Error::ConnectionReset { .. } => "connection_reset",
            Error::Proxy { .. } => "proxy",
            Error::Setup(_) => "setup",
            Error::BadId { .. } => "bad_id",
            Error::InvalidClient { .. } => "invalid_client",
            Error::TokenForbidden { .. } => "token_forbidden",
            Error::TokenHostUnreachable { .. } => "token_host_unreachable",
            Error::BadTokenAnswer { .. } => "bad_token_answer",
        }
    }

    /// Whether no response came back at all (DNS, TCP, TLS, proxy, timeout).
    pub fn is_transport(&self) -> bool {
        matches!(
            self,
            Error::Timeout { .. }
                | Error::Dns { .. }
                | Error::Tls { .. }
                | Error::Connect { .. }
                | Error::ConnectionReset { .. }
                | Error::Proxy { .. }
                | Error::TokenHostUnreachable { .. }
        )
    }

    /// Whether the token exchange failed (the data call was never sent).
    pub fn is_token_error(&self) -> bool {
        matches!(
            self,
            Error::InvalidClient { .. }
                | Error::TokenForbidden { .. }
                | Error::TokenHostUnreachable { .. }
                | Error::BadTokenAnswer { .. }
        )
    }
}

/// Cuts text to at most `max` characters on a character boundary, marking the cut.
pub fn truncate_text(text: &str, max: usize) -> String {
    match text.char_indices().nth(max) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate_text("héllo", 2), "hé…");
        assert_eq!(truncate_text("short", 10), "short");
    }

    #[test]
    fn display_prefers_the_server_message() {
        let err = Error::Forbidden {
            detail: Box::new(ResponseDetail {
                route: "/api/v2/usergroups?limit=1".into(),
                status: Some(403),
                message: Some("Forbidden".into()),
                ..Default::default()
            }),
        };
        assert_eq!(
            err.to_string(),
            "the key is not allowed to read /api/v2/usergroups?limit=1 (Forbidden)"
        );
    }
}
