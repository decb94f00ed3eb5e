//! The HTTP clients behind one API client, chosen by destination: JumpCloud's hosts through the
//! system's proxy settings; loopback (the simulator) never through a proxy; third-party image
//! hosts only at public addresses and never through a proxy (a proxy would resolve the name
//! itself, past the address check). None of them follows a redirect. Each is built the first
//! time it is needed and shared by every clone.

use std::error::Error as StdError;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use hyper_util::client::proxy::matcher::Matcher;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use reqwest::header::{HeaderMap, HeaderValue, ACCEPT, CONTENT_TYPE};
use url::Url;

use super::classify::causes;
use crate::Error;

/// What every HTTP client of one API client shares.
pub(crate) struct HttpSettings {
    pub user_agent: String,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub resolver: Option<Arc<dyn Resolve>>,
    pub extra_roots: Vec<reqwest::Certificate>,
}

#[derive(Clone, Copy)]
enum Kind {
    /// JumpCloud's own hosts: the system's proxy settings apply.
    Proxied,
    /// Loopback: never through a proxy, so neither the traffic nor the key reaches one.
    Direct,
    /// Third-party hosts (logos): public addresses only, no proxy.
    PublicOnly,
}

pub(crate) struct Transports {
    settings: HttpSettings,
    proxied: OnceLock<Result<reqwest::Client, Error>>,
    direct: OnceLock<Result<reqwest::Client, Error>>,
    public: OnceLock<Result<reqwest::Client, Error>>,
    proxies: OnceLock<Matcher>,
}

impl Transports {
    pub(crate) fn new(settings: HttpSettings) -> Transports {
        Transports {
            settings,
            proxied: OnceLock::new(),
            direct: OnceLock::new(),
            public: OnceLock::new(),
            proxies: OnceLock::new(),
        }
    }

    /// The client for an API host: direct for loopback, through the system proxy otherwise.
    pub(crate) fn for_url(&self, url: &Url) -> Result<&reqwest::Client, Error> {
        if is_loopback(url) {
            self.get(&self.direct, Kind::Direct)
        } else {
            self.get(&self.proxied, Kind::Proxied)
        }
    }

    /// The client for third-party hosts: public addresses only.
    pub(crate) fn public(&self) -> Result<&reqwest::Client, Error> {
        self.get(&self.public, Kind::PublicOnly)
    }

    /// Whether a request to `url` goes through a proxy (environment or system settings).
    pub(crate) fn proxy_applies(&self, url: &Url) -> bool {
        if is_loopback(url) {
            return false;
        }
        let Ok(uri) = url.as_str().parse::<http::Uri>() else {
            return false;
        };
        self.proxies
            .get_or_init(Matcher::from_system)
            .intercept(&uri)
            .is_some()
    }

    fn get<'a>(
        &self,
        slot: &'a OnceLock<Result<reqwest::Client, Error>>,
        kind: Kind,
    ) -> Result<&'a reqwest::Client, Error> {
        slot.get_or_init(|| self.build(kind))
            .as_ref()
            .map_err(Clone::clone)
    }

    fn build(&self, kind: Kind) -> Result<reqwest::Client, Error> {
        let s = &self.settings;
        let mut http = reqwest::Client::builder()
            .user_agent(s.user_agent.as_str())
            .timeout(s.timeout)
            .connect_timeout(s.connect_timeout)
            .redirect(reqwest::redirect::Policy::none());
        let mut json = HeaderMap::new();
        json.insert(ACCEPT, HeaderValue::from_static("application/json"));
        json.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
        http = match kind {
            Kind::Proxied => http.default_headers(json),
            Kind::Direct => http.default_headers(json).no_proxy(),
            Kind::PublicOnly => http
                .no_proxy()
                .dns_resolver(Arc::new(PublicOnly(s.resolver.clone()))),
        };
        if let (Some(resolver), Kind::Proxied | Kind::Direct) = (&s.resolver, kind) {
            http = http.dns_resolver(Arc::new(Shared(Arc::clone(resolver))));
        }
        for cert in &s.extra_roots {
            http = http.add_root_certificate(cert.clone());
        }
        http.build()
            .map_err(|e| setup_error(&e, !s.extra_roots.is_empty()))
    }
}

pub(crate) fn setup_error(error: &reqwest::Error, extra_ca: bool) -> Error {
    let cause = causes(error)
        .last()
        .map(|c| c.to_string())
        .unwrap_or_else(|| error.to_string());
    Error::Setup(match extra_ca {
        true => format!("the extra CA certificate could not be used: {cause}"),
        false => cause,
    })
}

/// reqwest wants a sized resolver; this forwards to the shared one.
struct Shared(Arc<dyn Resolve>);

impl Resolve for Shared {
    fn resolve(&self, name: Name) -> Resolving {
        self.0.resolve(name)
    }
}

/// Resolves as usual (or through the configured resolver), then keeps only public addresses:
/// the check happens on exactly the addresses the connection will use.
struct PublicOnly(Option<Arc<dyn Resolve>>);

/// A host that resolves only to loopback, private, link-local or other non-public addresses.
#[derive(Debug)]
pub(crate) struct NotPublic {
    pub host: String,
}

impl std::fmt::Display for NotPublic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} has no public address", self.host)
    }
}

impl StdError for NotPublic {}

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let inner = self.0.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> = match inner {
                Some(resolver) => resolver.resolve(name).await?.collect(),
                None => tokio::net::lookup_host((host.as_str(), 0)).await?.collect(),
            };
            let public: Vec<SocketAddr> = found.into_iter().filter(|a| is_public(a.ip())).collect();
            if public.is_empty() {
                return Err(Box::new(NotPublic { host }) as Box<dyn StdError + Send + Sync>);
            }
            Ok(Box::new(public.into_iter()) as Addrs)
        })
    }
}

/// `127.0.0.0/8`, `::1` (also as `::ffff:127.x`), `localhost` and names under it.
pub(crate) fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Some(url::Host::Domain(name)) => {
            let name = name.trim_end_matches('.').to_ascii_lowercase();
            name == "localhost" || name.ends_with(".localhost")
        }
        None => false,
    }
}

/// An address anyone on the internet could reach: not loopback, private (RFC 1918, CGNAT,
/// ULA), link-local, unspecified, multicast, broadcast, documentation or otherwise reserved.
pub(crate) fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => is_public_v4(v4),
        IpAddr::V6(v6) => is_public_v6(v6),
    }
}

fn is_public_v4(ip: Ipv4Addr) -> bool {
    let [a, b, c, _] = ip.octets();
    let reserved = a == 0 // "this network", 0.0.0.0
        || a == 10
        || a == 127
        || (a == 100 && (64..=127).contains(&b)) // CGNAT 100.64/10
        || (a == 169 && b == 254) // link-local
        || (a == 172 && (16..=31).contains(&b))
        || (a == 192 && b == 168)
        || (a == 192 && b == 0 && c == 0) // IETF protocol assignments
        || (a == 192 && b == 0 && c == 2) // documentation
        || (a == 198 && (18..=19).contains(&b)) // benchmarking
        || (a == 198 && b == 51 && c == 100) // documentation
        || (a == 203 && b == 0 && c == 113) // documentation
        || a >= 224; // multicast, reserved, broadcast
    !reserved
}

fn is_public_v6(ip: Ipv6Addr) -> bool {
    if let Some(v4) = ip.to_ipv4_mapped() {
        return is_public_v4(v4);
    }
    let s = ip.segments();
    let embedded_v4 = |hi: u16, lo: u16| {
        let [a, b] = hi.to_be_bytes();
        let [c, d] = lo.to_be_bytes();
        Ipv4Addr::new(a, b, c, d)
    };
    if s[0] == 0x0064 && s[1] == 0xff9b && s[2..6] == [0, 0, 0, 0] {
        return is_public_v4(embedded_v4(s[6], s[7])); // NAT64
    }
    if s[0] == 0x2002 {
        return is_public_v4(embedded_v4(s[1], s[2])); // 6to4
    }
    let reserved = ip.is_unspecified()
        || ip.is_loopback()
        || s[..6] == [0, 0, 0, 0, 0, 0] // IPv4-compatible, deprecated
        || (s[0] & 0xfe00) == 0xfc00 // unique local fc00::/7
        || (s[0] & 0xffc0) == 0xfe80 // link-local fe80::/10
        || (s[0] & 0xffc0) == 0xfec0 // site-local, deprecated
        || (s[0] & 0xff00) == 0xff00 // multicast
        || (s[0] == 0x2001 && s[1] == 0x0db8) // documentation
        || (s[0] == 0x2001 && s[1] == 0x0000); // Teredo
    !reserved
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_public_addresses_are_public() {
        for private in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:c0a8:0101::1",
        ] {
            let ip: IpAddr = private.parse().expect("a literal address");
            assert!(!is_public(ip), "{private} must not count as public");
        }
        for public in [
            "8.8.8.8",
            "104.16.1.1",
            "172.32.0.1",
            "100.128.0.1",
            "2606:4700::1111",
            "::ffff:1.1.1.1",
        ] {
            let ip: IpAddr = public.parse().expect("a literal address");
            assert!(is_public(ip), "{public} is public");
        }
    }

    #[test]
    fn loopback_hosts() {
        for (url, loopback) in [
            ("http://127.0.0.1:4000/", true),
            ("http://127.9.9.9/", true),
            ("http://[::1]:80/", true),
            ("http://localhost:3000/", true),
            ("http://api.localhost/", true),
            ("https://console.jumpcloud.com/", false),
            ("http://10.0.0.1/", false),
        ] {
            let parsed = Url::parse(url).expect("a URL");
            assert_eq!(is_loopback(&parsed), loopback, "{url}");
        }
    }
}
