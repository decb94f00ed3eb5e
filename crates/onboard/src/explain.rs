//! Plain-language causes and fixes for every failure the JumpCloud client can report.

use jc_api::{Error, Region};

/// What went wrong, for a non-technical admin, and exactly what to do about it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub message: String,
    pub fix: String,
}

/// The console an admin signs in to, for a region (US when unknown).
pub fn console_url(region: Option<Region>) -> &'static str {
    match region {
        Some(Region::Eu) => "https://console.eu.jumpcloud.com",
        Some(Region::In) => "https://console.in.jumpcloud.com",
        _ => "https://console.jumpcloud.com",
    }
}

pub const STATUS_PAGE: &str = "https://status.jumpcloud.com";

/// Where a new key comes from, and the trap of regenerating it.
pub fn key_fix(region: Option<Region>) -> String {
    format!(
        "Sign in to {} as the read-only administrator, click the circle with your initials (top right), \
         choose \"My API Key\" and copy the key again. If anyone clicked \"Generate New API Key\" since, the old \
         key stopped working: use the new one. If the key is still refused, an Administrator With Billing must \
         turn on API access for this administrator (initials menu, Administrators, the admin, \"Enable API Access\").",
        console_url(region)
    )
}

/// Where a service account's client ID and a new secret come from.
pub fn secret_fix(region: Option<Region>) -> String {
    format!(
        "Sign in to {} as an Administrator With Billing, open Settings, Service Accounts and choose the account. \
         Compare its client ID with the one given here, and check that the secret has not expired or been deleted. \
         If the secret was lost or has expired, add a new secret to the account, paste it here, and delete the old \
         one once this connection works.",
        console_url(region)
    )
}

/// `what` names what was being read, e.g. "user groups" or "the organization list".
pub fn explain(error: &Error, what: &str, region: Option<Region>) -> Explanation {
    let console = console_url(region);
    let (message, fix) = match error {
        Error::UnknownKey { .. } => (
            "JumpCloud did not accept this API key.".to_owned(),
            key_fix(region),
        ),
        Error::WrongRegion { asked, accepted_in } => (
            format!(
                "This key belongs to an organization in JumpCloud's {} data center, not {}.",
                accepted_in.label(),
                asked.label()
            ),
            format!("Choose {} as the region, or \"Automatic\" to detect it.", accepted_in.label()),
        ),
        Error::NoOrgSelected { .. } => (
            "This key belongs to a multi-tenant administrator, so JumpCloud needs to know which organization to read."
                .to_owned(),
            "Choose the organization from the list (on the command line: --org-id).".to_owned(),
        ),
        Error::BadOrg { org_id, .. } => (
            format!("JumpCloud does not know organization {org_id} for this key."),
            format!(
                "Check the organization ID in {console}: Settings, Organization Profile, General (click the eye icon \
                 to show it). Or leave the ID empty to choose from the organizations this key can reach."
            ),
        ),
        Error::OrgHeaderNotAllowed { detail } => (
            format!(
                "JumpCloud refused the organization header on {}. This is a fault in this app, not in your setup.",
                detail.route
            ),
            "Save a support bundle and send it to support.".to_owned(),
        ),
        Error::Forbidden { detail } if mentions_ip_block(detail.server_words()) => (
            "JumpCloud has blocked requests from this network's IP address.".to_owned(),
            "Contact JumpCloud support and quote the request ID in the details; the block is on JumpCloud's side."
                .to_owned(),
        ),
        Error::Forbidden { detail } => (
            format!("This key's administrator role is not allowed to read {what}."),
            format!(
                "Use the API key of an administrator with the Read Only role. If the administrator has a custom \
                 role, give it read access to {what}{} in {console} (initials menu, Administrators, Roles).",
                needed_permission(&detail.route)
                    .map(|scope| format!(" (the permission {scope})"))
                    .unwrap_or_default()
            ),
        ),
        Error::NotFound { detail } => (
            format!("JumpCloud did not offer {what} to this key ({} returned 404).", detail.route),
            "If this keeps happening, save a support bundle and send it to support.".to_owned(),
        ),
        Error::Rejected { detail } => (
            format!(
                "JumpCloud rejected the request for {what} (HTTP {}: {}).",
                detail.status.unwrap_or_default(),
                detail.server_words().unwrap_or("no reason given")
            ),
            "Save a support bundle and send it to support.".to_owned(),
        ),
        Error::RateLimited { .. } => (
            "JumpCloud is limiting how fast this key may make requests (HTTP 429).".to_owned(),
            "Wait a minute and try again. If other tools use the same key at the same time, pause them, or give \
             this connection its own read-only administrator and key."
                .to_owned(),
        ),
        Error::Server { detail } => (
            format!(
                "JumpCloud had a temporary problem answering (HTTP {}).",
                detail.status.unwrap_or_default()
            ),
            format!("Try again in a few minutes, and check {STATUS_PAGE} for an ongoing incident."),
        ),
        Error::NotJson { detail, .. } => (
            format!(
                "Instead of data, JumpCloud or something between you and JumpCloud sent a web page (HTTP {}).",
                detail.status.unwrap_or_default()
            ),
            format!(
                "This is usually a short JumpCloud outage (see {STATUS_PAGE}) or a proxy or firewall page. Try again \
                 in a few minutes; if it persists, ask your network team whether a proxy intercepts {}.",
                detail.host
            ),
        ),
        Error::Redirected { to, detail } => (
            format!(
                "Instead of answering, {} sent this app elsewhere ({to}). The app never follows such a redirect, so \
                 the key went nowhere else.",
                detail.host
            ),
            format!(
                "A company proxy, a captive network page or a wrong address is usually the cause: check the proxy \
                 settings and that {} is reached directly. If you set the address yourself, use JumpCloud's own.",
                detail.host
            ),
        ),
        Error::TooLarge { .. } => (
            format!("JumpCloud's answer about {what} was far larger than any real answer ({error}), so it was not read."),
            "Try again. If it keeps happening, something between you and JumpCloud is sending the wrong data; save a \
             support bundle and send it to support."
                .to_owned(),
        ),
        Error::Decode { truncated: true, .. } => (
            format!("JumpCloud's answer about {what} was cut off before it was complete."),
            "Try again. If it keeps happening, a proxy or an unstable network may be cutting responses short."
                .to_owned(),
        ),
        Error::Decode { reason, .. } => (
            format!("JumpCloud answered about {what} in a form this app does not understand ({reason})."),
            "Save a support bundle and send it to support.".to_owned(),
        ),
        Error::Timeout { host, after, .. } => (
            format!("{host} did not answer within {} seconds.", after.as_secs()),
            format!(
                "Check your internet connection and try again. On a VPN or behind a proxy, check that it lets {host} through."
            ),
        ),
        Error::Dns { host, .. } => (
            format!("This computer could not look up the address of {host}."),
            format!("Check the internet connection. On a company network, ask IT to allow {host}."),
        ),
        Error::Tls { host, .. } => (
            format!(
                "A secure connection to {host} could not be made: its certificate was not trusted, or something on \
                 the network intercepted the connection."
            ),
            format!(
                "Check that this computer's date and time are right. If your company inspects HTTPS traffic, add its \
                 CA certificate to this app, or ask IT to exempt {host}."
            ),
        ),
        Error::Connect { host, .. } => (
            format!("This computer could not connect to {host}."),
            "Check the internet connection, firewall and proxy settings (HTTPS_PROXY, or the system proxy).".to_owned(),
        ),
        Error::ConnectionReset { host } => (
            format!("The connection to {host} was dropped before JumpCloud answered."),
            "Try again. If it persists, a proxy or firewall may be cutting connections.".to_owned(),
        ),
        Error::Proxy { host, .. } => (
            format!("The proxy refused or failed the connection to {host}."),
            format!("Check the proxy settings (HTTPS_PROXY, or the system proxy), or ask IT to allow {host}."),
        ),
        Error::InvalidClient { .. } => (
            "JumpCloud did not accept this client ID and secret: one of them is wrong, or the secret has expired \
             or was deleted."
                .to_owned(),
            secret_fix(region),
        ),
        Error::TokenForbidden { .. } => (
            "JumpCloud knows this service account but refused to let it sign in.".to_owned(),
            format!(
                "In {console}, Settings, Service Accounts, check that the account is active and has a role. {}",
                secret_fix(region)
            ),
        ),
        Error::TokenHostUnreachable { host, cause } => {
            let inner = explain(cause, what, region);
            match cause.as_ref() {
                Error::Proxy { .. } => (
                    format!(
                        "The proxy refused or failed the connection to {host}, the JumpCloud address where a service \
                         account signs in."
                    ),
                    format!(
                        "Ask IT to allow {host} through the proxy, as well as the JumpCloud console address; \
                         service accounts need both."
                    ),
                ),
                _ => (
                    format!(
                        "{host}, the JumpCloud address where a service account signs in, could not be used: {}",
                        inner.message
                    ),
                    format!("{} Service accounts need {host} as well as the console address.", inner.fix),
                ),
            }
        }
        Error::BadTokenAnswer { reason, .. } => (
            format!("JumpCloud's sign-in address answered, but not with a usable token ({reason})."),
            format!(
                "Try again in a few minutes; {STATUS_PAGE} shows any ongoing JumpCloud incident. If it persists, a \
                 proxy may be answering in JumpCloud's place: save a support bundle and send it to support."
            ),
        ),
        Error::Setup(reason) if reason.contains("CA certificate") => (
            format!("The extra CA certificate could not be used ({reason})."),
            "Use your company's CA certificate in PEM format: a text file that starts with \
             -----BEGIN CERTIFICATE-----. Your IT team can provide it. Or remove the setting."
                .to_owned(),
        ),
        Error::Setup(reason) => (
            format!("The app could not prepare its network connection ({reason})."),
            "Check the extra CA certificate, if one is set; otherwise save a support bundle and send it to support."
                .to_owned(),
        ),
        _ => (
            format!("Reading {what} failed: {error}."),
            "Save a support bundle and send it to support.".to_owned(),
        ),
    };
    Explanation { message, fix }
}

/// The read-only permission the call behind a route (`/api/systems?limit=1`) needs, when the
/// spec names one.
fn needed_permission(route: &str) -> Option<&'static str> {
    let path = route.split_once('?').map_or(route, |(path, _)| path);
    jc_api::calls::lookup("GET", path).and_then(|call| call.scope().id())
}

fn mentions_ip_block(words: Option<&str>) -> bool {
    words.is_some_and(|w| {
        let w = w.to_ascii_lowercase();
        w.contains("ip") && w.contains("blocked")
    })
}
