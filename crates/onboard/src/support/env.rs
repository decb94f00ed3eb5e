//! Environment probes for `jc-onboard doctor`: what the checks cannot see. DNS for every region
//! host, the proxy variables in effect (credentials removed), an HTTP answer from each host
//! root (the key is never sent), and this computer's clock against the host's `Date` header.

use std::time::Duration;

use futures::future::join_all;
use jc_api::{ApiKey, BaseUrl, ClientBuilder, Hosts, Region, RetryPolicy};
use serde::{Deserialize, Serialize};

use super::redact::redact_credentials_in_url;

/// More than this between the local clock and JumpCloud's is reported as clock skew.
pub const CLOCK_SKEW_LIMIT_SECS: i64 = 300;

/// The proxy variables reqwest and most tools honour, in both spellings.
const PROXY_VARS: [&str; 8] = [
    "HTTPS_PROXY",
    "https_proxy",
    "HTTP_PROXY",
    "http_proxy",
    "ALL_PROXY",
    "all_proxy",
    "NO_PROXY",
    "no_proxy",
];

/// The probes build a client only to reach host roots; `reach` and `server_clock` never send
/// a key, so this placeholder never leaves the process.
const PLACEHOLDER_KEY: &str = "jca_000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct EnvProbe {
    pub probed_at: String,
    pub hosts: Vec<HostProbe>,
    /// Proxy variables that are set, values with credentials removed. Empty: none set.
    pub proxy: Vec<ProxySetting>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct HostProbe {
    /// `None` for a fixed host root (`--base-url`).
    pub region: Option<Region>,
    /// The host root, e.g. `https://console.eu.jumpcloud.com`.
    pub url: String,
    pub dns: DnsProbe,
    pub reach: ReachProbe,
    /// Host `Date` minus local time in seconds (positive: this computer is behind).
    pub clock_skew_secs: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DnsProbe {
    pub ok: bool,
    pub addresses: Vec<String>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ReachProbe {
    pub ok: bool,
    pub status: Option<u16>,
    pub latency_ms: u64,
    /// `ok` or the failure class (`dns`, `tls`, `proxy`, `timeout`, ...).
    pub outcome: String,
    pub error: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ProxySetting {
    pub name: String,
    pub value: String,
}

impl EnvProbe {
    /// The largest clock difference any host reported, sign kept.
    pub fn max_clock_skew_secs(&self) -> Option<i64> {
        self.hosts
            .iter()
            .filter_map(|h| h.clock_skew_secs)
            .max_by_key(|s| s.abs())
    }
}

/// The proxy variables set in this process's environment.
pub fn proxy_settings() -> Vec<ProxySetting> {
    proxy_settings_from(
        std::env::vars_os()
            .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?))),
    )
}

/// The proxy variables among `vars`, non-empty ones only, credentials removed.
pub fn proxy_settings_from<I, K, V>(vars: I) -> Vec<ProxySetting>
where
    I: IntoIterator<Item = (K, V)>,
    K: AsRef<str>,
    V: AsRef<str>,
{
    let mut found: Vec<ProxySetting> = vars
        .into_iter()
        .filter(|(k, v)| PROXY_VARS.contains(&k.as_ref()) && !v.as_ref().trim().is_empty())
        .map(|(k, v)| ProxySetting {
            name: k.as_ref().to_owned(),
            value: redact_credentials_in_url(v.as_ref().trim()),
        })
        .collect();
    found.sort_by_key(|p| PROXY_VARS.iter().position(|n| *n == p.name));
    found
}

/// Probes every region's host root in `hosts`.
pub async fn probe_hosts(hosts: &Hosts, timeout: Duration) -> EnvProbe {
    let targets: Vec<_> = Region::ALL
        .iter()
        .map(|r| (Some(*r), hosts.get(*r).clone()))
        .collect();
    probe_environment(&targets, timeout).await
}

/// Probes the given host roots, all at once.
pub async fn probe_environment(
    targets: &[(Option<Region>, BaseUrl)],
    timeout: Duration,
) -> EnvProbe {
    let hosts = join_all(
        targets
            .iter()
            .map(|(region, base)| probe_host(*region, base, timeout)),
    )
    .await;
    EnvProbe {
        probed_at: super::now_rfc3339(),
        hosts,
        proxy: proxy_settings(),
    }
}

async fn probe_host(region: Option<Region>, base: &BaseUrl, timeout: Duration) -> HostProbe {
    let (dns, (reach, clock_skew_secs)) =
        tokio::join!(resolve(base, timeout), reach(base, timeout));
    HostProbe {
        region,
        url: base.to_string(),
        dns,
        reach,
        clock_skew_secs,
    }
}

async fn resolve(base: &BaseUrl, timeout: Duration) -> DnsProbe {
    let url = base.url();
    let host = url.host_str().unwrap_or_default().to_owned();
    let port = url.port_or_known_default().unwrap_or(443);
    let failed = |error: String| DnsProbe {
        ok: false,
        addresses: Vec::new(),
        error: Some(error),
    };
    match tokio::time::timeout(timeout, tokio::net::lookup_host(format!("{host}:{port}"))).await {
        Ok(Ok(addresses)) => {
            let mut addresses: Vec<String> = addresses.map(|a| a.ip().to_string()).collect();
            addresses.sort();
            addresses.dedup();
            DnsProbe {
                ok: !addresses.is_empty(),
                error: addresses.is_empty().then(|| "no addresses".to_owned()),
                addresses,
            }
        }
        Ok(Err(e)) => failed(e.to_string()),
        Err(_) => failed(format!("no answer within {} s", timeout.as_secs())),
    }
}

async fn reach(base: &BaseUrl, timeout: Duration) -> (ReachProbe, Option<i64>) {
    let client = ApiKey::parse(PLACEHOLDER_KEY)
        .map_err(|e| e.to_string())
        .and_then(|key| {
            ClientBuilder::new(key, base.clone())
                .retry(RetryPolicy::none())
                .timeout(timeout)
                .connect_timeout(timeout)
                .build()
                .map_err(|e| e.to_string())
        });
    let client = match client {
        Ok(client) => client,
        Err(error) => {
            return (
                ReachProbe {
                    ok: false,
                    status: None,
                    latency_ms: 0,
                    outcome: "setup".to_owned(),
                    error: Some(error),
                },
                None,
            )
        }
    };
    let probe = match client.reach().await {
        Ok(detail) => ReachProbe {
            ok: true,
            status: detail.status,
            latency_ms: detail.latency_ms,
            outcome: "ok".to_owned(),
            error: None,
        },
        Err(error) => ReachProbe {
            ok: false,
            status: error.status(),
            latency_ms: 0,
            outcome: error.class().to_owned(),
            error: Some(error.to_string()),
        },
    };
    let skew = if probe.ok {
        client.server_clock().await.ok().and_then(|c| c.skew_secs())
    } else {
        None
    };
    (probe, skew)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_variables_lose_their_credentials() {
        let found = proxy_settings_from([
            ("PATH", "/usr/bin"),
            ("NO_PROXY", "localhost,127.0.0.1"),
            ("HTTPS_PROXY", "http://alice:hunter2@proxy.corp:3128"),
            ("http_proxy", " "),
        ]);
        assert_eq!(
            found,
            vec![
                ProxySetting {
                    name: "HTTPS_PROXY".into(),
                    value: "http://***@proxy.corp:3128/".into()
                },
                ProxySetting {
                    name: "NO_PROXY".into(),
                    value: "localhost,127.0.0.1".into()
                },
            ],
            "only proxy variables that are set are listed, HTTPS first, without the password"
        );
    }
}
