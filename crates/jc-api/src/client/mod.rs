//! The API client: one host root, one key and, optionally, one organization. Building it is in
//! [`builder`], the request path in [`request`], reading bodies within their caps in [`body`],
//! classifying failures in [`classify`], and the HTTP clients by destination in [`transport`].

mod body;
mod builder;
mod classify;
mod request;
mod transport;

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::HeaderValue;
use url::Url;

pub(crate) use body::read_capped;
pub use body::MAX_BODY_BYTES;
pub use builder::{validate_ca_pem, ClientBuilder};
pub(crate) use classify::{causes, decode, decode_failure};
pub(crate) use transport::{is_loopback, is_public, NotPublic};

use crate::{ApiKey, BaseUrl, Error, OrgId, Region, RequestLog, ResponseDetail, RetryPolicy};
use transport::Transports;

const API_KEY_HEADER: &str = "x-api-key";
const ORG_HEADER: &str = "x-org-id";

/// Routes that refuse `x-org-id`; sending it there gets a 403.
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

/// A JumpCloud API client bound to one host root, one key and, optionally, one org.
/// Cheap to clone; clones share the connection pools and the request log.
#[derive(Clone)]
pub struct Client {
    transports: Arc<Transports>,
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

/// A successful response, read in full (within [`MAX_BODY_BYTES`]).
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

    /// The HTTP client for a request to `url` without any JumpCloud header: direct for
    /// loopback, through the system proxy otherwise.
    pub(crate) fn http_for(&self, url: &Url) -> Result<&reqwest::Client, Error> {
        self.transports.for_url(url)
    }

    /// The HTTP client for third-party hosts (logos): public addresses only, no proxy.
    pub(crate) fn public_http(&self) -> Result<&reqwest::Client, Error> {
        self.transports.public()
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
}
