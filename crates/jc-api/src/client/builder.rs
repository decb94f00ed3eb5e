//! Building a [`Client`]: its host root, key, organization, retries, timeouts, resolver and
//! extra trusted certificates.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use reqwest::header::HeaderValue;
use zeroize::Zeroizing;

use super::token::TokenSource;
use super::transport::{setup_error, HttpSettings, Transports};
use super::{token_host_for, Auth, Client};
use crate::credential::Credential;
use crate::{ApiKey, BaseUrl, Error, Hosts, OrgId, Region, RequestLog, RetryPolicy};

pub struct ClientBuilder {
    credential: Credential,
    base: BaseUrl,
    hosts: Hosts,
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
    /// A client for `base` with an API key or client credentials.
    pub fn new(credential: impl Into<Credential>, base: BaseUrl) -> ClientBuilder {
        ClientBuilder {
            credential: credential.into(),
            base,
            hosts: Hosts::jumpcloud(),
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

    /// Each region's hosts, when they are not JumpCloud's own: client credentials are
    /// exchanged at the token host of the region a client is bound to.
    pub fn hosts(mut self, hosts: Hosts) -> Self {
        self.hosts = hosts;
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
        let transports = Transports::new(HttpSettings {
            user_agent: self.user_agent,
            timeout: self.timeout,
            connect_timeout: self.connect_timeout,
            resolver: self.resolver,
            extra_roots: self.extra_roots,
        });
        // The client for the configured host is built now, so a setup problem shows at once.
        transports.for_url(self.base.url())?;
        let auth = match &self.credential {
            Credential::ApiKey(key) => Auth::Key(Arc::new(key_header(key)?)),
            Credential::ClientCredentials(credentials) => Auth::Token(Arc::new(TokenSource::new(
                credentials.clone(),
                token_host_for(&self.hosts, &self.base, self.region),
            ))),
        };
        Ok(Client {
            transports: Arc::new(transports),
            credential: Arc::new(self.credential),
            auth,
            hosts: Arc::new(self.hosts),
            base: self.base,
            region: self.region,
            org: self.org,
            retry: self.retry,
            timeout: self.timeout,
            log: self.log,
        })
    }
}

/// The `x-api-key` value. Its bytes live in a buffer that is zeroed when the last request
/// holding it is done, like the key itself.
fn key_header(key: &ApiKey) -> Result<HeaderValue, Error> {
    let bytes = Bytes::from_owner(Zeroizing::new(key.expose().as_bytes().to_vec()));
    let mut value = HeaderValue::from_maybe_shared(bytes)
        .map_err(|_| Error::Setup("the API key cannot be sent as a header".into()))?;
    value.set_sensitive(true);
    Ok(value)
}

/// Whether `pem` holds a CA certificate the HTTP client can trust (for a settings screen).
pub fn validate_ca_pem(pem: &[u8]) -> Result<(), Error> {
    let cert = reqwest::Certificate::from_pem(pem)
        .map_err(|e| Error::Setup(format!("the extra CA certificate could not be read: {e}")))?;
    reqwest::Client::builder()
        .add_root_certificate(cert)
        .build()
        .map(|_| ())
        .map_err(|e| setup_error(&e, true))
}
