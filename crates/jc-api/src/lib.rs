//! A JumpCloud REST API client for a read-only onboarding tool.
//!
//! One request path ([`Client`]) adds auth headers, retries transient failures with bounded
//! backoff, and classifies every failure into a typed [`Error`]. Paging ([`paging`]) handles both
//! of JumpCloud's list styles in one place. Routes are small types in [`endpoints`], each naming
//! its entry in [`calls`], the table of every call with the permission JumpCloud's spec requires.

pub mod calls;
mod client;
mod clock;
mod credential;
pub mod endpoints;
mod error;
mod image;
mod log;
pub mod model;
pub mod paging;
mod region;
mod retry;
pub mod sanitize;
mod secret;

pub use client::{takes_org_header, validate_ca_pem, Client, ClientBuilder, MAX_BODY_BYTES};
pub use clock::ServerClock;
pub use credential::{
    AuthKind, BearerToken, ClientCredentials, ClientId, ClientSecret, Credential, PartShapeError,
    MAX_TOKEN_LEN,
};
pub use error::{truncate_text, Error, ResponseDetail};
pub use image::{check_svg, Image, ImageError, LOGO_MAX_BYTES};
pub use log::{RequestLog, RequestRecord, REQUEST_LOG_CAPACITY};
pub use paging::{
    ListEndpoint, ListGuard, ListStop, Listing, Page, PageStyle, Pager, RecordId,
    MAX_RECORDS_PER_LIST, PAGE_LIMIT,
};
pub use region::{BaseUrl, BaseUrlError, Hosts, Region, UnknownRegion};
pub use retry::{is_retryable, parse_retry_after, RetryPolicy, MAX_RETRY_AFTER};
pub use secret::{
    ApiKey, KeyForm, KeyShapeError, OrgId, OrgIdError, KEY_LEN, KEY_PREFIX,
    SERVICE_ACCOUNT_KEY_PREFIX,
};
