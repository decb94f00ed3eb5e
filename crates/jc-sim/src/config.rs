//! What a simulated org looks like and how it misbehaves: regions, scenarios, sizes, knobs.

use std::fmt;
use std::str::FromStr;
use std::time::Duration;

/// A JumpCloud data center. Each one gets its own loopback listener.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Region {
    Us,
    Eu,
    In,
}

impl Region {
    pub const ALL: [Region; 3] = [Region::Us, Region::Eu, Region::In];

    pub fn as_str(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::In => "in",
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Region {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Region::ALL
            .into_iter()
            .find(|r| r.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseNameError::new("region", s, Region::ALL.map(Region::as_str)))
    }
}

/// A named situation the simulated org is in. Each one exercises one thing a client must handle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scenario {
    Healthy,
    EuRegion,
    InRegion,
    MultiTenant,
    CommandRunner,
    AdminWithBilling,
    ReadOnlyAssociation403,
    RateLimited,
    Flaky,
    TruncatedJson,
    Slow,
    ExpiredKey,
    EmptyOrg,
    CustomRole,
    CustomRolePartial,
    BroadRole,
    ManagerNames,
    ServiceAccount,
    ServiceAccountEu,
    ServiceAccountExpiring,
    ServiceAccountExpired,
    ServiceAccountBroadRole,
    ServiceAccountNoSaScope,
    ShortToken,
}

impl Scenario {
    pub const ALL: [Scenario; 24] = [
        Scenario::Healthy,
        Scenario::EuRegion,
        Scenario::InRegion,
        Scenario::MultiTenant,
        Scenario::CommandRunner,
        Scenario::AdminWithBilling,
        Scenario::ReadOnlyAssociation403,
        Scenario::RateLimited,
        Scenario::Flaky,
        Scenario::TruncatedJson,
        Scenario::Slow,
        Scenario::ExpiredKey,
        Scenario::EmptyOrg,
        Scenario::CustomRole,
        Scenario::CustomRolePartial,
        Scenario::BroadRole,
        Scenario::ManagerNames,
        Scenario::ServiceAccount,
        Scenario::ServiceAccountEu,
        Scenario::ServiceAccountExpiring,
        Scenario::ServiceAccountExpired,
        Scenario::ServiceAccountBroadRole,
        Scenario::ServiceAccountNoSaScope,
        Scenario::ShortToken,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Scenario::Healthy => "healthy",
            Scenario::EuRegion => "eu-region",
            Scenario::InRegion => "in-region",
            Scenario::MultiTenant => "multi-tenant",
            Scenario::CommandRunner => "command-runner",
            Scenario::AdminWithBilling => "admin-with-billing",
            Scenario::ReadOnlyAssociation403 => "read-only-association-403",
            Scenario::RateLimited => "rate-limited",
            Scenario::Flaky => "flaky",
            Scenario::TruncatedJson => "truncated-json",
            Scenario::Slow => "slow",
            Scenario::ExpiredKey => "expired-key",
            Scenario::EmptyOrg => "empty-org",
            Scenario::CustomRole => "custom-role",
            Scenario::CustomRolePartial => "custom-role-partial",
            Scenario::BroadRole => "broad-role",
            Scenario::ManagerNames => "manager-names",
            Scenario::ServiceAccount => "service-account",
            Scenario::ServiceAccountEu => "service-account-eu",
            Scenario::ServiceAccountExpiring => "service-account-expiring",
            Scenario::ServiceAccountExpired => "service-account-expired",
            Scenario::ServiceAccountBroadRole => "service-account-broad-role",
            Scenario::ServiceAccountNoSaScope => "service-account-no-sa-scope",
            Scenario::ShortToken => "short-token",
        }
    }

    /// What the scenario rehearses, for an admin choosing it: no protocol words.
    pub fn plain(&self) -> &'static str {
        match self {
            Scenario::Healthy => "Everything is set up correctly: a read-only administrator's key for one organization in the US.",
            Scenario::EuRegion => "The organization is kept in JumpCloud's European data center, so the app has to find the right region.",
            Scenario::InRegion => "The organization is kept in JumpCloud's India data center, so the app has to find the right region.",
            Scenario::MultiTenant => "The key belongs to an administrator who manages three organizations; you choose which one to connect.",
            Scenario::CommandRunner => "The key belongs to a Command Runner administrator, who can see only a little and cannot read most data.",
            Scenario::AdminWithBilling => "The key belongs to an administrator with billing access, who can read everything but has more rights than needed.",
            Scenario::ReadOnlyAssociation403 => "A read-only key that can read most things but not which users and groups belong together.",
            Scenario::RateLimited => "JumpCloud asks the app to slow down often; the app waits and tries again.",
            Scenario::Flaky => "JumpCloud has short outages now and then; the app tries again and gets through.",
            Scenario::TruncatedJson => "The list of users arrives cut short, as on a dropped connection.",
            Scenario::Slow => "Every answer from JumpCloud takes a few seconds.",
            Scenario::ExpiredKey => "The key has expired, so JumpCloud does not recognise it anywhere.",
            Scenario::EmptyOrg => "A brand-new organization with nothing in it yet.",
            Scenario::CustomRole => "The key belongs to an administrator with a custom role, who cannot read device policies.",
            Scenario::ManagerNames => "Each user's manager is written as a person's name in a custom field, not as an email address.",
            Scenario::CustomRolePartial => "The key belongs to an administrator with a custom role that cannot read devices or RADIUS servers.",
            Scenario::BroadRole => "The key belongs to an administrator with a custom role that can read everything but can also change users and groups.",
            Scenario::ServiceAccount => "A service account with the Read Only role connects with its client ID and secret; everything works.",
            Scenario::ServiceAccountEu => "A service account of an organization kept in JumpCloud's European data center, so the app has to find the right region.",
            Scenario::ServiceAccountExpiring => "A service account whose secret expires in 5 days, so it is time to add a new one.",
            Scenario::ServiceAccountExpired => "A service account whose secret has expired, so JumpCloud no longer accepts it.",
            Scenario::ServiceAccountBroadRole => "A service account whose role can read everything but can also change users and groups.",
            Scenario::ServiceAccountNoSaScope => "A service account whose read-only role may not look at service accounts, so its own expiry cannot be read.",
            Scenario::ShortToken => "A service account whose access lasts only two seconds at a time, so the app must renew it while it reads.",
        }
    }

    /// What the scenario does, in the protocol's terms, for support staff.
    pub fn describe(&self) -> &'static str {
        match self {
            Scenario::Healthy => "A single US organization reached with a Read Only admin's key; everything works.",
            Scenario::EuRegion => "The same organization hosted in the EU data center, so the US host rejects the key.",
            Scenario::InRegion => "The same organization hosted in the India data center, so the US host rejects the key.",
            Scenario::MultiTenant => "A multi-tenant admin key that reaches three organizations and must pick one with the x-org-id header.",
            Scenario::CommandRunner => "A Command Runner key that can list organizations and users but is forbidden everywhere else.",
            Scenario::AdminWithBilling => "A key of an Administrator With Billing, which can read everything.",
            Scenario::ReadOnlyAssociation403 => "A Read Only key that is forbidden on association routes while the traversal routes still work.",
            Scenario::RateLimited => "A tight request budget (5 per second by default) that answers 429, sometimes with Retry-After.",
            Scenario::Flaky => "Every third data request fails with 503 and every fifth with a Cloudflare 502 page; retries get through.",
            Scenario::TruncatedJson => "The user list comes back cut off in the middle of its JSON body.",
            Scenario::Slow => "Every answer takes three seconds unless a latency is set.",
            Scenario::ExpiredKey => "The key has expired, so every region answers that the key is unknown.",
            Scenario::EmptyOrg => "A brand-new organization with no users, groups, apps, devices or policies.",
            Scenario::CustomRole => "A key with a custom admin role that is not reported and cannot be read, without device permissions: devices and their policies are forbidden.",
            Scenario::CustomRolePartial => "A key with a custom admin role that lacks two read permissions (devices and RADIUS), so those categories are forbidden.",
            Scenario::BroadRole => "A key with a custom admin role that can also change users and groups: it reads everything but is broader than needed.",
            Scenario::ManagerNames => "Users record their manager in the custom attribute managerName as a person's name, not an email or user id.",
            Scenario::ServiceAccount => "A service account (Read Only role) authenticating with client credentials: POST /oauth2/token with Basic auth, then Bearer tokens on every route.",
            Scenario::ServiceAccountEu => "The service-account organization hosted in the EU data center: the US and India token hosts answer 401 invalid_client.",
            Scenario::ServiceAccountExpiring => "The service account's secret expires 5 days from the simulated today (status EXPIRING).",
            Scenario::ServiceAccountExpired => "The service account's secret expired 2 days ago: the token host answers 401 invalid_client with client secret expired.",
            Scenario::ServiceAccountBroadRole => "The service account's custom role also holds users and groups write scopes.",
            Scenario::ServiceAccountNoSaScope => "The service account's Read Only role lacks serviceaccounts.readonly, so GET /api/v2/service-accounts answers 403.",
            Scenario::ShortToken => "Client credentials whose bearer tokens expire after 2 s (expires_in 2); an expired bearer gets 401.",
        }
    }

    /// The region the org lives in.
    pub fn home_region(self) -> Region {
        match self {
            Scenario::EuRegion | Scenario::ServiceAccountEu => Region::Eu,
            Scenario::InRegion => Region::In,
            _ => Region::Us,
        }
    }
}

impl Scenario {
    /// Whether the org has a service account with a client ID and secret to connect with.
    pub fn has_service_account(self) -> bool {
        matches!(
            self,
            Scenario::ServiceAccount
                | Scenario::ServiceAccountEu
                | Scenario::ServiceAccountExpiring
                | Scenario::ServiceAccountExpired
                | Scenario::ServiceAccountBroadRole
                | Scenario::ServiceAccountNoSaScope
                | Scenario::ShortToken
        )
    }
}

impl fmt::Display for Scenario {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scenario {
    type Err = ParseNameError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Scenario::ALL
            .into_iter()
            .find(|sc| sc.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| ParseNameError::new("scenario", s, Scenario::ALL.map(Scenario::as_str)))
    }
}

/// How many objects of each kind an org holds (per org in the multi-tenant scenario).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sizes {
    pub users: usize,
    pub groups: usize,
    pub apps: usize,
    pub devices: usize,
    pub policies: usize,
}

impl Default for Sizes {
    fn default() -> Self {
        Sizes {
            users: 25,
            groups: 6,
            apps: 5,
            devices: 12,
            policies: 4,
        }
    }
}

impl Sizes {
    pub const EMPTY: Sizes = Sizes {
        users: 0,
        groups: 0,
        apps: 0,
        devices: 0,
        policies: 0,
    };
}

/// Everything needed to start a simulated org.
#[derive(Clone)]
pub struct SimConfig {
    pub scenario: Scenario,
    /// Same seed and sizes give byte-identical responses.
    pub seed: u64,
    pub sizes: Sizes,
    /// Sleep before every response.
    pub latency: Duration,
    /// Requests per second across all regions (burst = rate); `None` or `Some(0)` = unlimited,
    /// except in the rate-limited scenario, which defaults to 5.
    pub rate_limit_per_sec: Option<u32>,
    /// The home region's port; `None` or `Some(0)` = any free port.
    pub port: Option<u16>,
    /// Overrides the generated key.
    pub api_key: Option<String>,
    /// truncated-json only: the `skip` whose `/api/systemusers` page is cut off (default 0).
    pub truncate_at_skip: Option<usize>,
    /// What the sim treats as "now", in unix seconds, for ages such as `lastContact`.
    /// `None` = the start of the current UTC day, so responses stay identical all day.
    pub now_unix: Option<i64>,
    /// Replaces the scopes of the key's role (e.g. a custom role made from the product's recipe).
    pub role_scopes: Option<Vec<String>>,
    /// Overrides the generated client secret of a service-account scenario.
    pub client_secret: Option<String>,
    /// How long a bearer token lives (`expires_in`); short-token defaults to 2 s, others to an hour.
    pub token_lifetime: Option<Duration>,
}

impl Default for SimConfig {
    fn default() -> Self {
        SimConfig {
            scenario: Scenario::Healthy,
            seed: 7,
            sizes: Sizes::default(),
            latency: Duration::ZERO,
            rate_limit_per_sec: None,
            port: None,
            api_key: None,
            truncate_at_skip: None,
            now_unix: None,
            role_scopes: None,
            client_secret: None,
            token_lifetime: None,
        }
    }
}

// Hand-written so the key never reaches a log line through `{:?}`.
impl fmt::Debug for SimConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SimConfig")
            .field("scenario", &self.scenario)
            .field("seed", &self.seed)
            .field("sizes", &self.sizes)
            .field("latency", &self.latency)
            .field("rate_limit_per_sec", &self.rate_limit_per_sec)
            .field("port", &self.port)
            .field("api_key", &self.api_key.as_ref().map(|_| "<redacted>"))
            .field("truncate_at_skip", &self.truncate_at_skip)
            .field("now_unix", &self.now_unix)
            .field("role_scopes", &self.role_scopes)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("token_lifetime", &self.token_lifetime)
            .finish()
    }
}

impl SimConfig {
    /// The default config in another scenario.
    pub fn scenario(scenario: Scenario) -> Self {
        SimConfig {
            scenario,
            ..SimConfig::default()
        }
    }

    /// Sizes after the scenario had its say (empty-org has nothing).
    pub fn effective_sizes(&self) -> Sizes {
        match self.scenario {
            Scenario::EmptyOrg => Sizes::EMPTY,
            _ => self.sizes,
        }
    }

    pub fn effective_latency(&self) -> Duration {
        match self.scenario {
            Scenario::Slow if self.latency.is_zero() => Duration::from_millis(3000),
            _ => self.latency,
        }
    }

    pub fn effective_token_lifetime(&self) -> Duration {
        match (self.token_lifetime, self.scenario) {
            (Some(lifetime), _) => lifetime,
            (None, Scenario::ShortToken) => Duration::from_secs(2),
            (None, _) => Duration::from_secs(3600),
        }
    }

    pub fn effective_rate_limit(&self) -> Option<u32> {
        let rate = match self.scenario {
            Scenario::RateLimited => Some(self.rate_limit_per_sec.unwrap_or(5)),
            _ => self.rate_limit_per_sec,
        };
        rate.filter(|r| *r > 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenario_names_round_trip() {
        for s in Scenario::ALL {
            assert_eq!(s.to_string().parse::<Scenario>().ok(), Some(s));
            assert!(
                s.describe().ends_with('.') && s.plain().ends_with('.'),
                "{s}: describe() and plain() are one sentence each"
            );
            let jargon = [
                "header",
                "429",
                "503",
                "502",
                "JSON",
                "Retry-After",
                "route",
                "HTTP",
            ];
            assert!(
                !jargon.iter().any(|word| s.plain().contains(word)),
                "{s}: the plain description has no protocol words: {}",
                s.plain()
            );
        }
        assert!("nope".parse::<Scenario>().is_err());
    }

    #[test]
    fn region_names_round_trip() {
        for r in Region::ALL {
            assert_eq!(r.to_string().parse::<Region>().ok(), Some(r));
        }
        assert_eq!("EU".parse::<Region>().ok(), Some(Region::Eu));
    }

    #[test]
    fn debug_hides_the_key() {
        let config = SimConfig {
            api_key: Some("jca_secretsecret".into()),
            ..SimConfig::default()
        };
        assert!(!format!("{config:?}").contains("secretsecret"));
    }
}

/// A region or scenario name that isn't one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {given:?}; expected one of: {}", expected.join(", "))]
pub struct ParseNameError {
    pub kind: &'static str,
    pub given: String,
    pub expected: Vec<&'static str>,
}

impl ParseNameError {
    pub(crate) fn new<const N: usize>(
        kind: &'static str,
        given: &str,
        expected: [&'static str; N],
    ) -> Self {
        ParseNameError {
            kind,
            given: given.to_string(),
            expected: expected.to_vec(),
        }
    }
}
