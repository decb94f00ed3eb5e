//! The token host of each region: `POST /oauth2/token` with HTTP Basic client credentials and a
//! form body, as JumpCloud's admin OAuth host answers it, and the bearer tokens it issued.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use axum::http::{HeaderMap, StatusCode};
use base64::Engine;
use serde_json::json;

use crate::config::Region;
use crate::data::service_accounts::ServiceAccount;
use crate::wire::Reply;

/// The tokens issued so far, each with when it stops working.
#[derive(Debug, Default)]
pub struct Tokens {
    issued: Mutex<HashMap<String, Instant>>,
    counter: AtomicU64,
}

/// What a bearer token on a data request turned out to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bearer {
    Valid,
    /// Issued here, but its time is up.
    Expired,
    Unknown,
}

/// What the token host is asked, and about whom.
pub struct TokenRequest<'a> {
    pub region: Region,
    pub home: Region,
    pub headers: &'a HeaderMap,
    pub body: &'a [u8],
    /// The account the scenario connects with, if it has one.
    pub account: Option<&'a ServiceAccount>,
    pub secret_expired: bool,
    pub lifetime: Duration,
    pub seed: u64,
}

fn oauth_error(status: StatusCode, error: &str, description: &str) -> Reply {
    Reply::json(
        status,
        &json!({"error": error, "error_description": description}),
    )
}

impl Tokens {
    pub fn issue(&self, request: &TokenRequest<'_>) -> Reply {
        let form = String::from_utf8_lossy(request.body);
        let grant = form
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .find(|(k, _)| *k == "grant_type")
            .map(|(_, v)| v);
        let form_typed = request
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if !form_typed || grant != Some("client_credentials") {
            return oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type must be client_credentials in a form body",
            );
        }
        let Some((id, secret)) = basic_credentials(request.headers) else {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client authentication failed",
            );
        };
        let matches = request.account.is_some_and(|account| {
            same(id.as_bytes(), account.client_id.as_bytes())
                && same(secret.as_bytes(), account.client_secret.as_bytes())
        });
        if !matches || request.region != request.home {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client authentication failed",
            );
        }
        if request.secret_expired {
            return oauth_error(
                StatusCode::UNAUTHORIZED,
                "invalid_client",
                "client secret expired",
            );
        }
        let n = self.counter.fetch_add(1, Ordering::Relaxed);
        let token = format!(
            "jct{}{}",
            crate::data::rng::Rng::derive(request.seed ^ n, "token").alphanumeric(40),
            n
        );
        let expires = Instant::now()
            .checked_add(request.lifetime)
            .unwrap_or_else(Instant::now);
        self.issued
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(token.clone(), expires);
        Reply::json(
            StatusCode::OK,
            &json!({
                "access_token": token,
                "token_type": "bearer",
                "expires_in": request.lifetime.as_secs(),
                "scope": "api",
            }),
        )
    }

    pub fn check(&self, token: &str) -> Bearer {
        let issued = self.issued.lock().unwrap_or_else(PoisonError::into_inner);
        match issued.get(token) {
            Some(expires) if Instant::now() < *expires => Bearer::Valid,
            Some(_) => Bearer::Expired,
            None => Bearer::Unknown,
        }
    }
}

/// `Authorization: Basic base64(id:secret)`.
fn basic_credentials(headers: &HeaderMap) -> Option<(String, String)> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, encoded) = value.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_owned(), secret.to_owned()))
}

/// `Authorization: Bearer <token>`.
pub fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get("authorization")?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
        .filter(|t| !t.is_empty())
}

/// Compares without stopping at the first difference.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
