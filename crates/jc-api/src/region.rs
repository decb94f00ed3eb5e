//! JumpCloud's data centers and the host root each one answers on.

use std::fmt;
use std::str::FromStr;
use url::Url;

/// An org lives in exactly one region, and its keys work only there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Region {
    Us,
    Eu,
    In,
}

impl Region {
    /// The order the official tools probe in (ADMU `Get-MtpOrganization.ps1`).
    pub const ALL: [Region; 3] = [Region::Us, Region::Eu, Region::In];

    pub fn code(self) -> &'static str {
        match self {
            Region::Us => "us",
            Region::Eu => "eu",
            Region::In => "in",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Region::Us => "US",
            Region::Eu => "EU",
            Region::In => "India",
        }
    }

    /// The console API host root (the client appends `/api` and `/api/v2`).
    pub fn jumpcloud_host(self) -> &'static str {
        match self {
            Region::Us => "https://console.jumpcloud.com",
            Region::Eu => "https://console.eu.jumpcloud.com",
            Region::In => "https://console.in.jumpcloud.com",
        }
    }

    /// The host that exchanges a service account's client ID and secret for a bearer token.
    pub fn token_host(self) -> &'static str {
        match self {
            Region::Us => "https://admin-oauth.id.jumpcloud.com",
            Region::Eu => "https://admin-oauth.id.eu.jumpcloud.com",
            Region::In => "https://admin-oauth.id.in.jumpcloud.com",
        }
    }

    fn index(self) -> usize {
        match self {
            Region::Us => 0,
            Region::Eu => 1,
            Region::In => 2,
        }
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown region {0:?}: use us, eu or in")]
pub struct UnknownRegion(pub String);

impl FromStr for Region {
    type Err = UnknownRegion;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "us" | "standard" => Ok(Region::Us),
            "eu" => Ok(Region::Eu),
            "in" | "india" => Ok(Region::In),
            _ => Err(UnknownRegion(s.to_owned())),
        }
    }
}

/// A host root such as `https://console.eu.jumpcloud.com` or `http://127.0.0.1:41234`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BaseUrl(Url);

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BaseUrlError {
    #[error("{0:?} is not a URL")]
    Invalid(String),
    #[error("{0:?} must start with https:// or http://")]
    Scheme(String),
    #[error("{0:?} must be a host root such as https://console.jumpcloud.com, without a path")]
    HasPath(String),
}

impl BaseUrl {
    pub fn parse(raw: &str) -> Result<BaseUrl, BaseUrlError> {
        let trimmed = raw.trim();
        let url = Url::parse(trimmed).map_err(|_| BaseUrlError::Invalid(trimmed.to_owned()))?;
        if !matches!(url.scheme(), "http" | "https") || url.host().is_none() {
            return Err(BaseUrlError::Scheme(trimmed.to_owned()));
        }
        if url.path() != "/" || url.query().is_some() || url.fragment().is_some() {
            return Err(BaseUrlError::HasPath(trimmed.to_owned()));
        }
        Ok(BaseUrl(url))
    }

    pub fn host(&self) -> String {
        self.0.host_str().unwrap_or_default().to_owned()
    }

    pub fn url(&self) -> &Url {
        &self.0
    }

    /// Root plus an absolute path such as `/api/systemusers`.
    pub(crate) fn join(&self, path: &str) -> String {
        let root = self.0.as_str().trim_end_matches('/');
        format!("{root}{path}")
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.as_str().trim_end_matches('/'))
    }
}

/// The API host root and the token host for each region: JumpCloud's own, or overrides
/// (simulator, proxies, tests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hosts {
    api: [BaseUrl; 3],
    token: [BaseUrl; 3],
}

fn constant(host: &str) -> BaseUrl {
    BaseUrl(Url::parse(host).unwrap_or_else(|_| unreachable!("constant host")))
}

impl Hosts {
    pub fn jumpcloud() -> Hosts {
        Hosts {
            api: Region::ALL.map(|r| constant(r.jumpcloud_host())),
            token: Region::ALL.map(|r| constant(r.token_host())),
        }
    }

    /// Serves a region from one host root: its API and its token exchange (the simulator, a
    /// reverse proxy). [`Hosts::set_token`] then moves the token exchange elsewhere if needed.
    pub fn set(&mut self, region: Region, base: BaseUrl) {
        self.api[region.index()] = base.clone();
        self.token[region.index()] = base;
    }

    pub fn set_token(&mut self, region: Region, base: BaseUrl) {
        self.token[region.index()] = base;
    }

    pub fn get(&self, region: Region) -> &BaseUrl {
        &self.api[region.index()]
    }

    pub fn token(&self, region: Region) -> &BaseUrl {
        &self.token[region.index()]
    }
}

impl Default for Hosts {
    fn default() -> Self {
        Hosts::jumpcloud()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regions_have_the_documented_hosts() {
        let hosts = Hosts::jumpcloud();
        assert_eq!(
            hosts.get(Region::Us).to_string(),
            "https://console.jumpcloud.com"
        );
        assert_eq!(
            hosts.get(Region::Eu).to_string(),
            "https://console.eu.jumpcloud.com"
        );
        assert_eq!(
            hosts.get(Region::In).to_string(),
            "https://console.in.jumpcloud.com"
        );
    }

    #[test]
    fn token_hosts_follow_the_region_and_overrides() {
        let mut hosts = Hosts::jumpcloud();
        assert_eq!(
            hosts.token(Region::Eu).to_string(),
            "https://admin-oauth.id.eu.jumpcloud.com"
        );
        assert_eq!(
            hosts.token(Region::In).to_string(),
            "https://admin-oauth.id.in.jumpcloud.com"
        );
        let sim = BaseUrl::parse("http://127.0.0.1:4123").expect("a root");
        hosts.set(Region::Us, sim.clone());
        assert_eq!(
            hosts.token(Region::Us),
            &sim,
            "a served region serves its tokens too"
        );
        let other = BaseUrl::parse("http://127.0.0.1:4124").expect("a root");
        hosts.set_token(Region::Us, other.clone());
        assert_eq!(
            (hosts.get(Region::Us), hosts.token(Region::Us)),
            (&sim, &other)
        );
    }

    #[test]
    fn base_url_is_a_host_root() {
        let b = BaseUrl::parse("http://127.0.0.1:4123/").expect("loopback root is fine");
        assert_eq!(
            b.join("/api/v2/usergroups"),
            "http://127.0.0.1:4123/api/v2/usergroups"
        );
        assert!(matches!(
            BaseUrl::parse("https://console.jumpcloud.com/api"),
            Err(BaseUrlError::HasPath(_))
        ));
        assert!(matches!(
            BaseUrl::parse("ftp://x"),
            Err(BaseUrlError::Scheme(_))
        ));
        assert!(matches!(
            BaseUrl::parse("not a url"),
            Err(BaseUrlError::Invalid(_))
        ));
    }

    #[test]
    fn region_names() {
        assert_eq!("EU".parse::<Region>(), Ok(Region::Eu));
        assert!("mars".parse::<Region>().is_err());
    }
}
