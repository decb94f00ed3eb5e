//! Reading what a server sent, within limits: bodies in bounded chunks, headers as clean text,
//! and the server's words for evidence.

use reqwest::header::HeaderMap;

use crate::error::{truncate_text, BODY_SNIPPET_LEN};
use crate::sanitize;

/// The most bytes read from one API answer. A page of 100 records is a few hundred kilobytes;
/// anything past this is refused as [`crate::Error::TooLarge`].
pub const MAX_BODY_BYTES: usize = 32 * 1024 * 1024;

/// An error answer is read only as far as evidence needs.
pub(crate) const MAX_ERROR_BODY_BYTES: usize = 64 * 1024;

/// Longest header value kept as evidence (a request id).
const HEADER_TEXT_LEN: usize = 120;

/// A body read up to a cap.
#[derive(Debug, Default)]
pub(crate) struct Capped {
    pub bytes: Vec<u8>,
    /// The server had more than the cap (claimed in `Content-Length`, or sent).
    pub over: bool,
}

/// Reads at most `cap` bytes of the body, chunk by chunk; stops (and drops the connection) as
/// soon as the cap is passed. A `Content-Length` above the cap is refused before reading.
pub(crate) async fn read_capped(
    response: &mut reqwest::Response,
    cap: usize,
) -> Result<Capped, reqwest::Error> {
    let claimed = response.content_length();
    if claimed.is_some_and(|n| n > cap as u64) {
        return Ok(Capped {
            bytes: Vec::new(),
            over: true,
        });
    }
    // The claim is not trusted for more than a first allocation.
    let first = claimed.map_or(0, |n| usize::try_from(n).unwrap_or(cap));
    let mut bytes = Vec::with_capacity(first.min(cap).min(1024 * 1024));
    while let Some(chunk) = response.chunk().await? {
        let room = cap.saturating_sub(bytes.len());
        if chunk.len() > room {
            bytes.extend_from_slice(&chunk[..room]);
            return Ok(Capped { bytes, over: true });
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok(Capped { bytes, over: false })
}

pub(crate) fn is_json(content_type: Option<&str>, body: &[u8]) -> bool {
    match content_type {
        Some(ct) => ct.to_ascii_lowercase().contains("json"),
        None => matches!(
            body.iter().find(|b| !b.is_ascii_whitespace()),
            Some(b'{' | b'[') | None
        ),
    }
}

/// `message`, else `error`, from a JSON error body, cleaned of the key and control characters.
pub(crate) fn error_message(body: &[u8], key: Option<&str>) -> Option<String> {
    let value: serde_json::Value = serde_json::from_slice(body).ok()?;
    let text = |name: &str| {
        value
            .get(name)
            .and_then(|v| v.as_str())
            .map(|s| sanitize::server_text(s, key))
            .filter(|s| !s.is_empty())
    };
    // OAuth token hosts explain in `error_description`, beside the code in `error`.
    text("message")
        .or_else(|| text("error_description"))
        .or_else(|| text("error"))
        .map(|s| truncate_text(&s, BODY_SNIPPET_LEN))
}

/// The start of a body as one clean line of text (HTML pages collapse to their words).
pub(crate) fn body_snippet(body: &[u8], key: Option<&str>) -> String {
    let head = &body[..body.len().min(MAX_ERROR_BODY_BYTES)];
    let text = sanitize::server_text(&String::from_utf8_lossy(head), key);
    truncate_text(&text, BODY_SNIPPET_LEN)
}

/// A header's value as text, when it is visible ASCII.
pub(crate) fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// `cf-ray` or `x-request-id`, what JumpCloud support asks for, cleaned like any server text.
pub(crate) fn request_id(headers: &HeaderMap, key: Option<&str>) -> Option<String> {
    header_text(headers, "cf-ray")
        .or_else(|| header_text(headers, "x-request-id"))
        .map(|id| truncate_text(&sanitize::server_text(&id, key), HEADER_TEXT_LEN))
        .filter(|id| !id.is_empty())
}

/// Whether an answer carries the marks of JumpCloud's edge (Cloudflare), as opposed to a
/// proxy's own error page.
pub(crate) fn from_jumpcloud_edge(headers: &HeaderMap) -> bool {
    headers.contains_key("cf-ray")
        || header_text(headers, "server")
            .is_some_and(|s| s.to_ascii_lowercase().contains("cloudflare"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_text_comes_from_message_then_error() {
        assert_eq!(
            error_message(br#"{"message":"m","error":"e"}"#, None).as_deref(),
            Some("m")
        );
        assert_eq!(
            error_message(br#"{"error":"e"}"#, None).as_deref(),
            Some("e")
        );
        assert_eq!(error_message(b"<html>", None), None);
    }

    #[test]
    fn server_words_lose_the_key_and_escape_sequences() {
        let key = "jca_CANARYcanary0123456789CANARYcanary01";
        let body = format!(r#"{{"message":"bad key {key}\u001b[2J\u001b]0;title\u0007 done"}}"#);
        let said = error_message(body.as_bytes(), Some(key)).expect("a message");
        assert!(!said.contains(key), "{said}");
        assert!(!said.contains('\u{1b}'), "{said:?}");
        let page = body_snippet(
            format!("<html>\n<b>{key}</b>\u{1b}[31m</html>").as_bytes(),
            Some(key),
        );
        assert!(!page.contains(key) && !page.contains('\u{1b}'), "{page:?}");
    }
}
