//! The API client: one host root, one key and, optionally, one organization. Building it is in
//! [`builder`], the request path in [`request`], reading bodies within their caps in [`body`],
//! classifying failures in [`classify`], and the HTTP clients by destination in [`transport`].

mod body;
mod builder;
mod classify;
mod request;
mod token;
mod transport;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderName, HeaderValue, AUTHORIZATION};
use url::Url;

pub(crate) use body::read_capped;
pub use body::MAX_BODY_BYTES;
pub use builder::{validate_ca_pem, ClientBuilder};
pub(crate) use classify::{causes, decode, decode_failure};
pub(crate) use transport::{is_loopback, is_public, NotPublic};

use crate::credential::{AuthKind, Credential};
use crate::{BaseUrl, Error, Hosts, OrgId, Region, RequestLog, ResponseDetail, RetryPolicy};
use token::TokenSource;
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

/// How requests are authorized: a key's header, or the bearer token of a token source that
/// every clone bound to the same token host shares.
#[derive(Clone)]
enum Auth {
    Key(Arc<HeaderValue>),
    Token(Arc<TokenSource>),
}

/// The header one request carries, and which token issue it was (for a 401's renewal).
pub(crate) struct Authorization {
    name: HeaderName,
    value: HeaderValue,
    issue: Option<u64>,
}

/// A JumpCloud API client bound to one host root, one credential and, optionally, one org.
/// Cheap to clone; clones share the connection pools, the request log and the cached token.
#[derive(Clone)]
pub struct Client {
    transports: Arc<Transports>,
    credential: Arc<Credential>,
    auth: Auth,
    /// Where each region's tokens come from.
    hosts: Arc<Hosts>,
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
            .field("credential", &self.credential)
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

    pub fn credential(&self) -> &Credential {
        &self.credential
    }

    pub fn auth_kind(&self) -> AuthKind {
        self.credential.kind()
    }

    /// The token host client credentials are exchanged at, for this client's region.
    pub fn token_host(&self) -> Option<&BaseUrl> {
        match &self.auth {
            Auth::Key(_) => None,
            Auth::Token(source) => Some(source.host()),
        }
    }

    /// When the current bearer token expires, once one was issued.
    pub async fn token_expires_at(&self) -> Option<SystemTime> {
        match &self.auth {
            Auth::Key(_) => None,
            Auth::Token(source) => source.expires_at().await,
        }
    }

    /// Asks for a token now (or reuses the cached one): proves client credentials work
    /// without a data call.
    pub async fn authorize(&self) -> Result<(), Error> {
        self.authorization().await.map(|_| ())
    }

    /// The long-lived secret, scrubbed out of anything a server sends back.
    pub(crate) fn secret_text(&self) -> Option<&str> {
        Some(self.credential.secret_text())
    }

    pub(crate) async fn authorization(&self) -> Result<Authorization, Error> {
        match &self.auth {
            Auth::Key(header) => Ok(Authorization {
                name: HeaderName::from_static(API_KEY_HEADER),
                value: (**header).clone(),
                issue: None,
            }),
            Auth::Token(source) => {
                let bearer = source.bearer(self).await?;
                Ok(Authorization {
                    name: AUTHORIZATION,
                    value: bearer.header,
                    issue: Some(bearer.issue),
                })
            }
        }
    }

    /// After a 401 on a data call: the token of that issue is asked again before its time.
    pub(crate) async fn token_refused(&self, issue: Option<u64>) -> bool {
        match (&self.auth, issue) {
            (Auth::Token(source), Some(issue)) => {
                source.refused(issue).await;
                true
            }
            _ => false,
        }
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

    /// The same credential and settings against another host root (region probing). Client
    /// credentials are exchanged at that region's token host (a fixed root serves its own).
    pub fn with_base(&self, base: BaseUrl, region: Option<Region>) -> Client {
        let auth = match &self.auth {
            Auth::Token(source) => {
                let host = token_host_for(&self.hosts, &base, region);
                if &host == source.host() {
                    self.auth.clone()
                } else {
                    Auth::Token(Arc::new(TokenSource::new(
                        source.credentials().clone(),
                        host,
                    )))
                }
            }
            Auth::Key(_) => self.auth.clone(),
        };
        Client {
            base,
            region,
            auth,
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

/// A region's token host, or the host root itself when it is not a region's (the simulator or
/// a proxy serving both).
fn token_host_for(hosts: &Hosts, base: &BaseUrl, region: Option<Region>) -> BaseUrl {
    match region {
        Some(region) if hosts.get(region) == base => hosts.token(region).clone(),
        _ => base.clone(),
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
