//! What the user gives us to connect with, before anything is checked.

use std::fmt;
use std::time::Duration;

use jc_api::{BaseUrl, Hosts, Region, RequestLog, RetryPolicy};
use zeroize::Zeroizing;

/// The text pasted into the key field, untrusted and unchecked. Prints as `<redacted>`.
#[derive(Clone, Default)]
pub struct PastedKey(Zeroizing<String>);

impl PastedKey {
    pub fn new(text: String) -> PastedKey {
        PastedKey(Zeroizing::new(text))
    }

    pub fn text(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for PastedKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

/// Where to look for the org.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Try US, then EU, then India, as JumpCloud's own tools do.
    Auto(Hosts),
    /// One region, chosen by the user; other regions are still asked to explain a 401.
    Region(Region, Hosts),
    /// One fixed host root (a proxy, the simulator); no region detection.
    Fixed(BaseUrl),
}

impl Target {
    /// The host roots to try, in order, with the region each one is.
    pub fn candidates(&self) -> Vec<(Option<Region>, BaseUrl)> {
        match self {
            Target::Auto(hosts) => Region::ALL
                .iter()
                .map(|r| (Some(*r), hosts.get(*r).clone()))
                .collect(),
            Target::Region(region, hosts) => vec![(Some(*region), hosts.get(*region).clone())],
            Target::Fixed(base) => vec![(None, base.clone())],
        }
    }

    /// Each region's hosts (JumpCloud's own for a fixed host root).
    pub fn hosts(&self) -> Hosts {
        match self {
            Target::Auto(hosts) | Target::Region(_, hosts) => hosts.clone(),
            Target::Fixed(_) => Hosts::jumpcloud(),
        }
    }

    /// Regions that are not chosen but can tell "wrong region" apart from "unknown key".
    pub fn fallbacks(&self) -> Vec<(Option<Region>, BaseUrl)> {
        match self {
            Target::Region(chosen, hosts) => Region::ALL
                .iter()
                .filter(|r| *r != chosen)
                .map(|r| (Some(*r), hosts.get(*r).clone()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

/// Where the user says the organization is: a data center, or "find it for me".
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum RegionChoice {
    #[default]
    Auto,
    Us,
    Eu,
    In,
}

impl RegionChoice {
    pub const ALL: [RegionChoice; 4] = [
        RegionChoice::Auto,
        RegionChoice::Us,
        RegionChoice::Eu,
        RegionChoice::In,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegionChoice::Auto => "auto",
            RegionChoice::Us => "us",
            RegionChoice::Eu => "eu",
            RegionChoice::In => "in",
        }
    }

    /// The region chosen, or `None` for automatic detection.
    pub fn region(self) -> Option<Region> {
        match self {
            RegionChoice::Auto => None,
            RegionChoice::Us => Some(Region::Us),
            RegionChoice::Eu => Some(Region::Eu),
            RegionChoice::In => Some(Region::In),
        }
    }

    pub fn target(self, hosts: Hosts) -> Target {
        match self.region() {
            None => Target::Auto(hosts),
            Some(region) => Target::Region(region, hosts),
        }
    }
}

impl fmt::Display for RegionChoice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown region {0:?}; choose auto, us, eu or in")]
pub struct UnknownRegionChoice(pub String);

impl std::str::FromStr for RegionChoice {
    type Err = UnknownRegionChoice;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionChoice::ALL
            .into_iter()
            .find(|c| c.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| UnknownRegionChoice(s.to_owned()))
    }
}

impl Default for Target {
    fn default() -> Self {
        Target::Auto(Hosts::jumpcloud())
    }
}

#[derive(Debug, Clone, Default)]
pub struct ConnectionInput {
    /// The API key; with `client_id`, the client secret.
    pub key: PastedKey,
    /// A service account's client ID: the credentials are this ID and the secret in `key`.
    pub client_id: Option<String>,
    /// Optional: single-tenant keys don't need it; multi-tenant keys pick one.
    pub org_id: Option<String>,
    pub target: Target,
}

/// How the checks talk to JumpCloud.
#[derive(Debug, Clone)]
pub struct CheckOptions {
    /// Per request, body included.
    pub timeout: Duration,
    pub product: String,
    pub version: String,
    /// Every request the checks make, for the detail view and support bundles.
    pub request_log: RequestLog,
    /// One more CA certificate (PEM) to trust, e.g. a company's TLS-inspection proxy's. The
    /// system's trust store and the proxy environment variables apply in any case.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// How the checks retry. [`RetryPolicy::none`] (the default) for a quick test; the
    /// collection's policy when the checks open a collection, so a rate limit, a short outage or
    /// a cut-off answer is ridden out instead of stopping everything.
    pub retry: RetryPolicy,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            timeout: Duration::from_secs(20),
            product: "jc-onboard".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
            request_log: RequestLog::new(),
            extra_ca_pem: None,
            retry: RetryPolicy::none(),
        }
    }
}
