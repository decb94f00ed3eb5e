//! Why a connection fails, by name: each failure class support meets, with its plain cause,
//! the fix, and the JumpCloud console page (region-aware) or status page where the fix is made.

use jc_api::Region;
use serde::{Deserialize, Serialize};

use super::env::{EnvProbe, CLOCK_SKEW_LIMIT_SECS};
use crate::explain::{console_url, STATUS_PAGE};
use crate::permissions::RoleVerdict;
use crate::report::{CheckResult, CheckState, Report};

/// How much a cause matters: it stops the connection, it should be looked at, or it is only
/// worth knowing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Fail,
    Warn,
    Note,
}

/// Where the fix is made.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// The JumpCloud admin console of the org's region.
    Console,
    /// JumpCloud's status page.
    Status,
    /// This computer or its network: no JumpCloud page helps.
    Local,
}

/// One failure class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cause {
    pub id: &'static str,
    pub title: &'static str,
    pub cause: &'static str,
    pub fix: &'static str,
    place: Place,
}

impl Cause {
    /// The page where the fix is made, for the org's region (US when unknown).
    pub fn link(&self, region: Option<Region>) -> Option<String> {
        match self.place {
            Place::Console => Some(console_url(region).to_owned()),
            Place::Status => Some(STATUS_PAGE.to_owned()),
            Place::Local => None,
        }
    }
}

const fn c(
    id: &'static str,
    title: &'static str,
    cause: &'static str,
    fix: &'static str,
    place: Place,
) -> Cause {
    Cause {
        id,
        title,
        cause,
        fix,
        place,
    }
}

const CAUSES: &[Cause] = &[
    c("key.unknown", "The API key is unknown or was revoked",
      "JumpCloud answered 401 \"api key user not found\" in every region asked. The key was mistyped or cut \
       short when pasted, has expired, or was revoked: clicking \"Generate New API Key\" revokes the previous key at once.",
      "Sign in to the console as the read-only administrator, open the initials menu (top right), \"My API Key\", and \
       copy the current key. If a new key was generated, every tool using the old one must get the new one.",
      Place::Console),
    c("key.api_access_disabled", "API access may be off for the key's administrator",
      "JumpCloud answers an unknown key and a key whose administrator has API access turned off the same way (401). \
       API access is off by default for every administrator.",
      "An Administrator With Billing opens the initials menu, Administrators, the read-only administrator, and turns on \
       \"Enable API Access\"; then that administrator generates a key.",
      Place::Console),
    c("key.wrong_region", "The key belongs to another JumpCloud region",
      "Each organization lives in one data center (US, EU or India) and its keys work only there; another region \
       answers 401 as if the key were unknown.",
      "Choose the region the check names (or \"Automatic\"; on the command line --region auto).",
      Place::Console),
    c("org.not_selected", "A multi-tenant key needs an organization",
      "The key belongs to a multi-tenant (MSP) administrator who reaches several organizations; JumpCloud answers \
       401 \"no organization selected\" to data requests without one.",
      "Pick the organization from the list (on the command line: --org-id with one of the IDs shown).",
      Place::Console),
    c("org.unknown", "The organization ID is not one this key reaches",
      "JumpCloud does not know the given organization ID for this key (400 malformed or 404 not found).",
      "Copy the ID from the console: Settings, Organization Profile, General (the eye icon shows it), or leave it \
       empty to choose from the organizations the key reaches.",
      Place::Console),
    c("role.command_runner", "The key is a Command Runner's",
      "Command Runner administrators can list organizations and users but are refused everything else.",
      "Create an administrator with the Read Only role, enable API access for it, and use its key.",
      Place::Console),
    c("role.too_broad", "The key can change the directory",
      "The key's administrator has a role broader than Read Only (for example Administrator With Billing). \
       The connection works, but a leaked key could change or delete directory data.",
      "Create an administrator with the Read Only role, enable API access for it, and use its key instead.",
      Place::Console),
    c("role.custom_scope", "The key's role cannot read some categories",
      "JumpCloud refused (403) some reads: the administrator has a custom role (or a role without these scopes), \
       so the role check could not confirm Read Only and those categories cannot be collected.",
      "Give the custom role read access to the categories shown (initials menu, Administrators, Roles), or use a \
       Read Only administrator's key.",
      Place::Console),
    c("access.read_only_association", "Association routes are closed to read-only keys",
      "JumpCloud refuses (403) the direct association lists to read-only keys; the app reads the same facts through \
       each application's and group's own lists instead. Nothing is missing.",
      "Nothing to do. This is JumpCloud's documented read-only limitation, not a fault.",
      Place::Local),
    c("api.rate_limited", "JumpCloud is rate limiting the key",
      "JumpCloud answered 429 Too Many Requests: other tools using the same key (or the same admin) share its budget.",
      "Wait a minute and test again. Pause other tools that use this key, or give this connection its own read-only \
       administrator and key.",
      Place::Local),
    c("service.outage", "JumpCloud or its edge had a temporary error",
      "JumpCloud answered with a server error (5xx), or its edge (Cloudflare) sent an HTML error page such as \
       \"502 Bad Gateway\" instead of data.",
      "Try again in a few minutes and check the status page for an incident; quote the request IDs in the evidence \
       if you contact JumpCloud support.",
      Place::Status),
    c("response.truncated", "Answers are cut off",
      "A response ended before its JSON was complete: an unstable connection or a proxy cut it short.",
      "Test again. If it repeats, ask the network team whether a proxy or firewall limits response sizes or times \
       for the JumpCloud host.",
      Place::Local),
    c("response.unreadable", "Answers are not in the expected form",
      "JumpCloud answered in a form this app does not understand.",
      "Save a support bundle and send it to support.",
      Place::Local),
    c("network.proxy", "A proxy is in the way",
      "A proxy refused or failed the connection, or answered with its own page instead of JumpCloud's data.",
      "Check the proxy variables (HTTPS_PROXY, NO_PROXY) or the system proxy, or ask IT to allow the JumpCloud host.",
      Place::Local),
    c("network.dns", "The JumpCloud host name cannot be resolved",
      "This computer could not look up the address of the JumpCloud host (DNS).",
      "Check the internet connection and DNS settings; on a company network or VPN ask IT to allow the host.",
      Place::Local),
    c("network.tls", "A secure connection could not be made",
      "The TLS handshake failed: the certificate was not trusted (often a company proxy that inspects HTTPS) or \
       this computer's clock is wrong.",
      "Check the date and time of this computer. If the company inspects HTTPS, add its CA certificate to the app \
       or ask IT to exempt the JumpCloud host.",
      Place::Local),
    c("network.unreachable", "The JumpCloud host does not answer",
      "Connections to the JumpCloud host timed out, were refused, or were dropped.",
      "Check the internet connection, firewall, VPN and proxy settings, then test again.",
      Place::Local),
    c("sa.invalid_client", "The service account's client ID or secret is wrong",
      "The token host answered 401 invalid_client in every region asked: the client ID or the secret was mistyped \
       or cut short when pasted, or the secret was deleted.",
      "In the console open Settings, Service Accounts and the account: compare its client ID. A secret is shown only \
       once; if it was not kept, add a new secret to the account, use it here, then delete the old one.",
      Place::Console),
    c("sa.secret_expired", "The service account's secret has expired",
      "JumpCloud no longer accepts the client secret because its lifetime (30, 60, 90 or 365 days) is over.",
      "In the console open Settings, Service Accounts and the account, add a new secret, paste it here, test, and \
       delete the expired one.",
      Place::Console),
    c("sa.secret_expiring", "The service account's secret expires soon",
      "The secret in use expires within two weeks; on that day the connection stops working.",
      "Add a second secret in the console (Settings, Service Accounts, the account), paste it here, test, then \
       delete the old one.",
      Place::Console),
    c("sa.wrong_region", "The service account belongs to another JumpCloud region",
      "Each region has its own token host (admin-oauth.id.jumpcloud.com, admin-oauth.id.eu.jumpcloud.com, \
       admin-oauth.id.in.jumpcloud.com); a service account gets tokens only from its own region's host, and the \
       others answer 401 invalid_client.",
      "Choose the region the check names (or \"Automatic\"; on the command line --region auto).",
      Place::Console),
    c("sa.token_host_blocked", "The service-account sign-in host cannot be reached",
      "A service account first gets a token from its region's token host (admin-oauth.id.jumpcloud.com, or the EU \
       or India one); that connection was refused, failed or was answered by a proxy, even if the console host works.",
      "Ask IT to allow the token host through the proxy and firewall as well as the console host, then test again.",
      Place::Local),
    c("sa.no_service_account_scope", "The service account's role cannot read service accounts",
      "JumpCloud refused (403) the list of service accounts: the role lacks serviceaccounts.readonly (a read-only \
       role may not hold it), so the role and the secret's expiry could not be shown. Everything else works.",
      "Add the read permission for service accounts to the role, or check the role and the expiry yourself in the \
       console under Settings, Service Accounts.",
      Place::Console),
    c("sa.role_too_broad", "The service account can change the directory",
      "The service account's role is broader than Read Only. The connection works, but leaked credentials could \
       change or delete directory data.",
      "Give the service account the Read Only role (Settings, Service Accounts), or make a new one with it and use \
       its credentials instead.",
      Place::Console),
    c("clock.skew", "This computer's clock is wrong",
      "The local time differs from JumpCloud's by more than five minutes. Certificates then look expired or not yet \
       valid, and timestamps in logs disagree.",
      "Turn on automatic date and time (network time) in the system settings, then test again.",
      Place::Local),
];

/// Every cause, in the order a diagnosis lists them.
pub fn causes() -> &'static [Cause] {
    CAUSES
}

pub fn cause(id: &str) -> Option<&'static Cause> {
    CAUSES.iter().find(|c| c.id == id)
}

/// One named cause found in a report, with the checks whose evidence points at it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Diagnosis {
    pub cause_id: String,
    pub severity: Severity,
    pub title: String,
    pub cause: String,
    pub fix: String,
    /// The console (or status) page where the fix is made; `None` when the fix is local.
    pub link: Option<String>,
    /// The check ids (or `environment`) that point at this cause.
    pub checks: Vec<String>,
}

/// Names the causes behind a report's failures and warnings, most severe first. Environment
/// probes, when given, add what the checks cannot see (clock skew, DNS, proxies).
pub fn diagnose(report: &Report, env: Option<&EnvProbe>) -> Vec<Diagnosis> {
    let mut found = Found::new(report);
    if let Some(env) = env {
        from_environment(env, &mut found);
    }
    for check in &report.checks {
        from_check(report, check, env, &mut found);
    }
    let mut out = found.out;
    out.sort_by_key(|d| d.severity);
    out
}

struct Found {
    region: Option<Region>,
    out: Vec<Diagnosis>,
}

impl Found {
    fn new(report: &Report) -> Found {
        Found {
            region: report.region,
            out: Vec::new(),
        }
    }

    fn add(&mut self, id: &str, severity: Severity, check: &str) {
        self.add_in(id, severity, check, self.region);
    }

    fn add_in(&mut self, id: &str, severity: Severity, check: &str, region: Option<Region>) {
        if let Some(existing) = self.out.iter_mut().find(|d| d.cause_id == id) {
            existing.severity = existing.severity.min(severity);
            if !existing.checks.iter().any(|c| c == check) {
                existing.checks.push(check.to_owned());
            }
            return;
        }
        let Some(cause) = cause(id) else {
            tracing::warn!(id, "diagnose named a cause that is not in the table");
            return;
        };
        self.out.push(Diagnosis {
            cause_id: cause.id.to_owned(),
            severity,
            title: cause.title.to_owned(),
            cause: cause.cause.to_owned(),
            fix: cause.fix.to_owned(),
            link: cause.link(region),
            checks: vec![check.to_owned()],
        });
    }
}

fn from_environment(env: &EnvProbe, found: &mut Found) {
    const WHERE: &str = "environment";
    if env
        .max_clock_skew_secs()
        .is_some_and(|s| s.abs() > CLOCK_SKEW_LIMIT_SECS)
    {
        found.add("clock.skew", Severity::Fail, WHERE);
    }
    if !env.hosts.is_empty() && env.hosts.iter().all(|h| !h.dns.ok) {
        found.add("network.dns", Severity::Fail, WHERE);
    }
}

fn severity_of(check: &CheckResult) -> Severity {
    match check.state {
        CheckState::Fail if check.mandatory => Severity::Fail,
        CheckState::Fail | CheckState::Warn => Severity::Warn,
        _ => Severity::Note,
    }
}

/// The region a "wrong region" message names ("... in JumpCloud's EU data center ...").
fn region_named(message: &str) -> Option<Region> {
    Region::ALL
        .into_iter()
        .find(|r| message.contains(&format!("JumpCloud's {} data center", r.label())))
}

fn from_check(report: &Report, check: &CheckResult, env: Option<&EnvProbe>, found: &mut Found) {
    let id = check.id.as_str();
    let severity = severity_of(check);
    let outcomes: Vec<&str> = check.detail.iter().map(|e| e.outcome.as_str()).collect();
    let role = report.role.as_deref().map(str::to_ascii_lowercase);

    let service_account = report
        .auth
        .is_some_and(jc_api::AuthKind::is_service_account);
    match (id, check.state) {
        ("key.accepted", CheckState::Fail) if outcomes.contains(&"invalid_client") => {
            let expired = check.detail.iter().any(|e| {
                e.outcome == "invalid_client"
                    && e.server_said
                        .as_deref()
                        .is_some_and(|w| w.contains("expired"))
            });
            if expired {
                found.add("sa.secret_expired", severity, id);
            } else if outcomes.contains(&"ok") {
                found.add_in(
                    "sa.wrong_region",
                    severity,
                    id,
                    region_named(&check.message),
                );
            } else {
                found.add("sa.invalid_client", severity, id);
            }
        }
        ("credentials.expiry", CheckState::Fail) => found.add("sa.secret_expired", severity, id),
        ("credentials.expiry", CheckState::Warn) => {
            found.add("sa.secret_expiring", Severity::Warn, id)
        }
        ("role.least_privilege", CheckState::Warn)
            if check.detail.iter().any(|e| {
                e.outcome == "forbidden" && e.route.contains(jc_api::calls::SERVICE_ACCOUNTS.path)
            }) =>
        {
            found.add("sa.no_service_account_scope", Severity::Note, id)
        }
        ("role.least_privilege", CheckState::Fail | CheckState::Warn)
            if service_account
                && report
                    .permissions
                    .as_ref()
                    .is_some_and(|p| p.role.read && p.role.verdict == RoleVerdict::CanChange) =>
        {
            found.add("sa.role_too_broad", Severity::Warn, id)
        }
        ("key.accepted", CheckState::Fail) if outcomes.contains(&"unknown_key") => {
            if outcomes.contains(&"ok") {
                found.add_in(
                    "key.wrong_region",
                    severity,
                    id,
                    region_named(&check.message),
                );
            } else {
                found.add("key.unknown", severity, id);
                found.add("key.api_access_disabled", Severity::Warn, id);
            }
        }
        // Version 1 bundles kept no evidence: only the message tells.
        ("key.accepted", CheckState::Fail)
            if outcomes.is_empty() && check.message.contains("did not recognise this API key") =>
        {
            found.add("key.unknown", severity, id);
            found.add("key.api_access_disabled", Severity::Warn, id);
        }
        ("org.selected", CheckState::Fail) => {
            if outcomes.contains(&"bad_org") {
                found.add("org.unknown", severity, id);
            } else if outcomes.contains(&"no_org_selected") || report.orgs_available.len() > 1 {
                found.add("org.not_selected", severity, id);
            }
        }
        ("role.least_privilege", CheckState::Fail | CheckState::Warn) => {
            // The role's permissions, where they were read, say more than its name.
            let verdict = report
                .permissions
                .as_ref()
                .filter(|p| p.role.read)
                .map(|p| p.role.verdict);
            let runner = role
                .as_deref()
                .is_some_and(|r| r.contains("command runner"));
            match verdict {
                _ if runner => found.add("role.command_runner", severity, id),
                Some(RoleVerdict::CanChange) => found.add("role.too_broad", Severity::Warn, id),
                Some(RoleVerdict::Lacking | RoleVerdict::CannotRead) => {
                    found.add("role.custom_scope", severity, id)
                }
                Some(_) => {}
                None if role.as_deref().is_some_and(|r| r != "read only") => {
                    found.add("role.too_broad", Severity::Warn, id)
                }
                None => {}
            }
        }
        _ => {}
    }

    let proxy_set = env.is_some_and(|e| !e.proxy.is_empty());
    for evidence in &check.detail {
        let status = evidence.status.unwrap_or_default();
        match evidence.outcome.as_str() {
            "forbidden"
                if evidence.route.contains("/associations") || evidence.route == "associations" =>
            {
                found.add("access.read_only_association", Severity::Note, id);
            }
            // The role check's 403 on the role list only means the role cannot be compared.
            "forbidden"
                if check.state != CheckState::Pass
                    && id != "role.least_privilege"
                    && id != "credentials.expiry" =>
            {
                let runner = role
                    .as_deref()
                    .is_some_and(|r| r.contains("command runner"));
                if runner {
                    found.add("role.command_runner", severity, id);
                } else {
                    found.add("role.custom_scope", severity, id);
                }
            }
            "rate_limited" => found.add("api.rate_limited", severity.min(Severity::Warn), id),
            "server_error" => found.add("service.outage", severity.min(Severity::Warn), id),
            "not_json" if status >= 500 => {
                found.add("service.outage", severity.min(Severity::Warn), id)
            }
            "not_json" | "proxy" | "redirected" => {
                found.add("network.proxy", severity.min(Severity::Warn), id)
            }
            "decode" if check.message.contains("cut off") => {
                found.add("response.truncated", severity.min(Severity::Warn), id)
            }
            "decode" | "too_large" => {
                found.add("response.unreadable", severity.min(Severity::Warn), id)
            }
            "token_host_unreachable" => {
                found.add("sa.token_host_blocked", severity.min(Severity::Warn), id)
            }
            "dns" => found.add("network.dns", severity.min(Severity::Warn), id),
            "tls" => found.add("network.tls", severity.min(Severity::Warn), id),
            "timeout" | "connect" | "connection_reset" => {
                found.add("network.unreachable", severity.min(Severity::Warn), id);
                if proxy_set {
                    found.add("network.proxy", Severity::Warn, id);
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cause_is_complete_and_unique() {
        for (i, cause) in CAUSES.iter().enumerate() {
            assert!(
                !cause.title.is_empty() && cause.cause.ends_with('.') && cause.fix.ends_with('.'),
                "{}: title, cause and fix are plain sentences",
                cause.id
            );
            assert!(
                CAUSES[i + 1..].iter().all(|c| c.id != cause.id),
                "{}: ids are unique",
                cause.id
            );
        }
        let eu = cause("key.unknown").and_then(|c| c.link(Some(Region::Eu)));
        assert_eq!(
            eu.as_deref(),
            Some("https://console.eu.jumpcloud.com"),
            "console links follow the org's region"
        );
    }
}
