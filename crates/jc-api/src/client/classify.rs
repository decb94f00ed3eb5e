//! Turning what happened into a typed [`Error`]: an HTTP status and the server's words, a
//! transport failure, or JSON that does not decode.

use std::error::Error as StdError;
use std::time::Duration;

use serde::de::DeserializeOwned;

use crate::error::{truncate_text, BODY_SNIPPET_LEN};
use crate::{sanitize, Error, OrgId, ResponseDetail};

/// An HTTP error status, with the server's words already in `detail`.
pub(crate) fn classify(
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

/// A request that got no usable HTTP answer: timeout, TLS, DNS, proxy, refused or dropped.
pub(crate) fn transport_error(
    error: &reqwest::Error,
    host: String,
    route: &str,
    timeout: Duration,
    key: Option<&str>,
) -> Error {
    if error.is_timeout() {
        return Error::Timeout {
            host,
            route: route.to_owned(),
            after: timeout,
        };
    }
    let reason = root_cause(error, key);
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

/// The error and everything it was caused by, io errors' inner errors included.
pub(crate) fn causes<'a>(
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

fn root_cause(error: &reqwest::Error, key: Option<&str>) -> String {
    causes(error)
        .last()
        .map(|e| {
            truncate_text(
                &sanitize::server_text(&e.to_string(), key),
                BODY_SNIPPET_LEN,
            )
        })
        .unwrap_or_default()
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
        cut_short(body, detail)
    } else {
        // serde's words can quote what the server sent.
        let reason = truncate_text(
            &sanitize::server_text(&e.to_string(), None),
            BODY_SNIPPET_LEN,
        );
        decode_failure(reason, false, body, detail)
    }
}

/// A body that ended in the middle of its JSON.
pub(crate) fn cut_short(body: &[u8], detail: &ResponseDetail) -> Error {
    let reason = format!("the response ended early, after {} bytes", body.len());
    decode_failure(reason, true, body, detail)
}

/// Whether a JSON body ends before its document does (checked before decoding, so a cut-off
/// answer can be retried like any transient failure).
pub(crate) fn is_cut_short(body: &[u8]) -> bool {
    serde_json::from_slice::<serde::de::IgnoredAny>(body).is_err_and(|e| e.is_eof())
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

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn a_cut_off_body_is_told_from_a_wrong_one() {
        assert!(is_cut_short(br#"{"totalCount":7,"results":[3"#));
        assert!(is_cut_short(b""));
        assert!(!is_cut_short(br#"{"totalCount":7,"results":[3]}"#));
        assert!(
            !is_cut_short(br#"{"a":1}}"#),
            "trailing junk is a decode error, not a cut"
        );
    }
}
