//! Values as people read them: JumpCloud's states and enums in words, booleans as Yes/No,
//! timestamps as a date and an age, field names as labels. The app's tables and detail panels,
//! the Preview and the CLI all format through here, so the same value reads the same everywhere
//! and no raw API value (an all-caps enum, an ISO timestamp, a JSON object) reaches a person.

use serde_json::Value;
use time::{OffsetDateTime, UtcOffset};

use crate::category::Category;

/// When "now" is and which time zone dates are shown in. The app and the CLI read the machine's
/// clock and time-zone rules; recordings and tests fix both, so what they show does not depend
/// on when or where they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Clock(Option<(OffsetDateTime, UtcOffset)>);

impl Clock {
    /// The machine's clock and time zone.
    pub const SYSTEM: Clock = Clock(None);

    /// Always `now`, with dates shown at `offset` from UTC.
    pub const fn fixed(now: OffsetDateTime, offset: UtcOffset) -> Clock {
        Clock(Some((now, offset)))
    }

    /// The fixed moment, if this clock is fixed.
    pub fn fixed_now(self) -> Option<OffsetDateTime> {
        self.0.map(|(now, _)| now)
    }

    /// The moment it is, in the shown time zone.
    pub fn now(self) -> OffsetDateTime {
        match self.0 {
            Some((now, _)) => self.local(now),
            None => self.local(OffsetDateTime::now_utc()),
        }
    }

    /// `at` in the shown time zone, at the offset in force at that moment (summer time
    /// included); as it is when that date cannot be written.
    pub fn local(self, at: OffsetDateTime) -> OffsetDateTime {
        let offset = match self.0 {
            Some((_, offset)) => offset,
            None => system_offset_at(at),
        };
        at.checked_to_offset(offset).unwrap_or(at)
    }
}

/// The machine's UTC offset at `at`, by its time-zone rules (`TZ`, else `/etc/localtime`);
/// UTC when they cannot be read.
fn system_offset_at(at: OffsetDateTime) -> UtcOffset {
    use chrono::{Offset, TimeZone};
    chrono::DateTime::from_timestamp(at.unix_timestamp(), 0)
        .map(|utc| {
            chrono::Local
                .offset_from_utc_datetime(&utc.naive_utc())
                .fix()
                .local_minus_utc()
        })
        .and_then(|seconds| UtcOffset::from_whole_seconds(seconds).ok())
        .unwrap_or(UtcOffset::UTC)
}

/// JumpCloud's states and enums in words, by their lowercased raw value.
fn known_words(raw: &str) -> Option<&'static str> {
    Some(match raw.to_ascii_lowercase().as_str() {
        // A user's account state; the Preview and the collection say the same.
        "activated" => "Active",
        "staged" => "Not activated yet",
        "suspended" => "Suspended",
        // How a group's members are chosen.
        "static" => "Chosen by hand",
        "dynamic_automated" => "Automatic, by rules",
        "dynamic_review_required" => "By rules, after review",
        // RADIUS and LDAP MFA, MFA enrollment.
        "disabled" => "Off",
        "enabled" => "On",
        "required" => "Required",
        "enrolled" => "Set up",
        "not_enrolled" => "Not set up",
        "pending_activation" => "Waiting for activation",
        // A policy's latest result.
        "success" => "Succeeded",
        "failed" => "Failed",
        "pending" => "Pending",
        _ => return None,
    })
}

/// A JumpCloud state or enum in words: a known one as such, any other `ALL_CAPS` or
/// `snake_case` word spelled out ("NOT_LISTED" → "Not listed").
pub fn state(raw: &str) -> String {
    known_words(raw).map_or_else(|| words(raw), str::to_owned)
}

/// An operating system's name: "darwin" → "macOS".
pub fn os_name(raw: &str) -> String {
    match raw.trim().to_ascii_lowercase().as_str() {
        "darwin" | "mac os x" | "macos" | "mac" => "macOS".to_owned(),
        "windows" => "Windows".to_owned(),
        "linux" => "Linux".to_owned(),
        "ios" => "iOS".to_owned(),
        "ipados" => "iPadOS".to_owned(),
        "android" => "Android".to_owned(),
        "universal" => "Any".to_owned(),
        _ => raw.to_owned(),
    }
}

/// How an application signs people in.
pub fn sso_type(raw: &str) -> String {
    match raw.trim().to_ascii_lowercase().as_str() {
        "saml" => "SAML".to_owned(),
        "oidc" => "OpenID Connect".to_owned(),
        "bookmark" => "Bookmark (no sign-in)".to_owned(),
        "" => String::new(),
        _ => words(raw),
    }
}

pub fn yes_no(value: bool) -> &'static str {
    if value {
        "Yes"
    } else {
        "No"
    }
}

/// Short words people know written the way they know them.
fn known_token(token: &str) -> Option<&'static str> {
    Some(match token {
        "id" => "ID",
        "ids" => "IDs",
        "ip" => "IP",
        "os" => "OS",
        "mfa" => "MFA",
        "sso" => "SSO",
        "totp" => "TOTP",
        "aws" => "AWS",
        "oidc" => "OIDC",
        "saml" => "SAML",
        "ldap" => "LDAP",
        "radius" => "RADIUS",
        "url" => "address",
        "darwin" => "macOS",
        "windows" => "Windows",
        "linux" => "Linux",
        _ => return None,
    })
}

/// An identifier spelled out: `snake_case`, `kebab-case`, `ALL_CAPS` and `camelCase` become a
/// sentence-case phrase ("encrypted_disk_darwin" → "Encrypted disk macOS"). Text that is already
/// words ("FileVault 2", "Slack") is left as it is.
pub fn words(raw: &str) -> String {
    let raw = raw.trim();
    let identifier = raw.contains(['_', '-'])
        || raw.starts_with(|c: char| c.is_ascii_lowercase())
        || looks_like_enum(raw);
    if raw.contains(char::is_whitespace) || !identifier {
        return raw.to_owned();
    }
    let mut spaced = String::with_capacity(raw.len() + 4);
    let mut previous: Option<char> = None;
    for c in raw.chars() {
        if c == '_' || c == '-' {
            spaced.push(' ');
        } else {
            if c.is_uppercase() && previous.is_some_and(char::is_lowercase) {
                spaced.push(' ');
            }
            spaced.push(c);
        }
        previous = Some(c);
    }
    let phrase = spaced
        .split_whitespace()
        .map(|token| {
            let lower = token.to_lowercase();
            known_token(&lower).map_or(lower, str::to_owned)
        })
        .collect::<Vec<_>>()
        .join(" ");
    capitalized(&phrase)
}

/// The first letter upper-case: "user groups" → "User groups".
pub fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// A record field's label.
pub fn field_label(category: Category, key: &str) -> String {
    let known = match (category, key) {
        (Category::Applications, "name") => "Template",
        (Category::Applications, "display_name") => "Name",
        (Category::Users | Category::Devices, "display_name") => "Name",
        (Category::UserGroups, "effective_user_ids") => "Members",
        (Category::UserGroups, "direct_user_ids") => "Members added directly",
        (Category::UserGroups, "direct_group_ids") => "Nested groups",
        (_, "user_group_ids") => "User groups",
        (_, "user_ids") => "Users bound directly",
        (_, "device_ids") => "Devices",
        (_, "primary_user_id") => "Primary user",
        (_, "policy_id") => "Policy",
        (_, "device_id") => "Device",
        (_, "manager_name") => "Manager",
        (_, "manager_email") => "Manager's email",
        (_, "manager_ref") => "Manager as entered",
        (_, "mfa_configured") => "MFA set up",
        (_, "mfa_excluded") => "Excluded from MFA",
        (_, "mfa_status") => "MFA enrollment",
        (_, "mfa_enabled" | "mfa") => "MFA",
        (_, "totp_enabled") => "Authenticator app",
        (_, "membership_method") => "Membership",
        (_, "sso_type") => "Sign-in type",
        (_, "os") => "Operating system",
        (_, "os_family") => "Operating system family",
        (_, "last_contact") => "Last seen",
        (_, "ended_at") => "Ended",
        (_, "success") => "Succeeded",
        (_, "network_source_ip") => "Source IP",
        _ => return words(key),
    };
    known.to_owned()
}

/// Fields kept for the export but never shown: internal addresses (the logo's URL, the file it
/// was saved to), how the collector found a binding, and ids shown through their names.
pub fn is_hidden(key: &str) -> bool {
    matches!(
        key,
        "logo_url" | "logo_file" | "access_source" | "binding_source" | "manager_id"
    ) || key.ends_with("_url")
}

/// A timestamp as its local date and how long ago, by `clock`: "8 Oct 2019 (6 years ago)".
/// `None` when `raw` is not an RFC 3339 timestamp.
pub fn when(raw: &str, clock: Clock) -> Option<String> {
    let at =
        OffsetDateTime::parse(raw.trim(), &time::format_description::well_known::Rfc3339).ok()?;
    let at = clock.local(at);
    let date = at
        .format(time::macros::format_description!(
            "[day padding:none] [month repr:short] [year]"
        ))
        .ok()?;
    Some(format!("{date} ({})", age(clock.now(), at)))
}

/// When a secret expires, by `clock` (its local date): "expires in 5 days, on 7 December 2026", "expires
/// today", "expired on 7 December 2026". `None` when `raw` is not an RFC 3339 timestamp.
pub fn expiry(raw: &str, clock: Clock) -> Option<String> {
    let at =
        OffsetDateTime::parse(raw.trim(), &time::format_description::well_known::Rfc3339).ok()?;
    let at = clock.local(at);
    let now = clock.now();
    let date = at
        .format(time::macros::format_description!(
            "[day padding:none] [month repr:long] [year]"
        ))
        .ok()?;
    let days = (at.date() - now.date()).whole_days();
    Some(match days {
        i64::MIN..=-1 => format!("expired on {date}"),
        0 if at <= now => format!("expired today, {date}"),
        0 => format!("expires today, {date}"),
        1 => format!("expires tomorrow, on {date}"),
        n => format!("expires in {n} days, on {date}"),
    })
}

/// How long ago `then` was, in calendar days as of `now` (each on its own local date), then
/// months and years: "today", "yesterday", "3 days ago", "in 2 days". Whole days, so a page
/// reads the same all day.
pub fn age(now: OffsetDateTime, then: OffsetDateTime) -> String {
    let days = (now.date() - then.date()).whole_days();
    let span = days.unsigned_abs();
    let amount = |n: u64, unit: &str| {
        let plural = if n == 1 { "" } else { "s" };
        if days < 0 {
            format!("in {n} {unit}{plural}")
        } else {
            format!("{n} {unit}{plural} ago")
        }
    };
    match (days, span) {
        (0, _) => "today".to_owned(),
        (1, _) => "yesterday".to_owned(),
        (_, 1..=30) => amount(span, "day"),
        (_, 31..=364) => amount(span / 30, "month"),
        _ => amount(span / 365, "year"),
    }
}

/// A field's value as shown. Lists of ids show as how many; other lists as their values joined;
/// objects as `name: value` pairs.
pub fn field_value(category: Category, key: &str, value: &Value, clock: Clock) -> String {
    match value {
        Value::Null => String::new(),
        Value::Bool(b) => yes_no(*b).to_owned(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => text_value(category, key, s, clock),
        Value::Array(items) if key.ends_with("_ids") => items.len().to_string(),
        Value::Array(items) => items
            .iter()
            .map(|v| field_value(category, key, v, clock))
            .filter(|v| !v.is_empty())
            .collect::<Vec<_>>()
            .join("; "),
        Value::Object(fields) => fields
            .iter()
            .map(|(name, v)| format!("{name}: {}", field_value(category, name, v, clock)))
            .collect::<Vec<_>>()
            .join("; "),
    }
}

fn text_value(category: Category, key: &str, raw: &str, clock: Clock) -> String {
    match (category, key) {
        (_, "os" | "os_family") => os_name(raw),
        (_, "sso_type") => sso_type(raw),
        (Category::Applications, "name") | (Category::Policies, "template") => words(raw),
        (_, "state" | "membership_method" | "mfa" | "mfa_status") => state(raw),
        _ => {
            if let Some(date) = when(raw, clock) {
                date
            } else if looks_like_enum(raw) {
                state(raw)
            } else {
                raw.to_owned()
            }
        }
    }
}

/// `ALL_CAPS` words: an enum value nobody named here yet.
fn looks_like_enum(raw: &str) -> bool {
    raw.len() > 3
        && raw.chars().all(|c| c.is_ascii_uppercase() || c == '_')
        && raw.chars().any(|c| c.is_ascii_uppercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use time::macros::{datetime, offset};

    /// 06:00 UTC on 2 Dec 2026, shown in UTC.
    const NOW: Clock = Clock::fixed(datetime!(2026-12-02 06:00 UTC), UtcOffset::UTC);

    #[test]
    fn a_secrets_expiry_reads_as_a_countdown_and_a_date() {
        let said = |raw: &str| expiry(raw, NOW).expect("an RFC 3339 time has words");
        assert_eq!(
            said("2026-12-07T09:00:00Z"),
            "expires in 5 days, on 7 December 2026"
        );
        assert_eq!(
            said("2026-12-03T00:00:00Z"),
            "expires tomorrow, on 3 December 2026"
        );
        assert_eq!(
            said("2026-12-02T23:00:00Z"),
            "expires today, 2 December 2026"
        );
        assert_eq!(said("2026-11-30T12:00:00Z"), "expired on 30 November 2026");
        assert_eq!(expiry("next week", NOW), None, "not a timestamp: no words");
    }

    /// What a raw value looks like when it reaches a person unformatted.
    fn looks_raw(shown: &str) -> bool {
        let iso = regex::Regex::new(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}").expect("regex");
        let caps = regex::Regex::new(
            r"\b[A-Z]{2,}_[A-Z_]+\b|\b(STAGED|ACTIVATED|STATIC|DISABLED|ENROLLED)\b",
        )
        .expect("regex");
        iso.is_match(shown) || caps.is_match(shown) || shown.trim_start().starts_with('{')
    }

    #[test]
    fn known_raw_values_never_show_as_they_came() {
        let raw: &[(Category, &str, Value)] = &[
            (Category::Users, "state", json!("STAGED")),
            (Category::Users, "state", json!("ACTIVATED")),
            (Category::Users, "mfa_status", json!("NOT_ENROLLED")),
            (Category::Users, "mfa_status", json!("ENROLLED")),
            (Category::UserGroups, "membership_method", json!("STATIC")),
            (
                Category::UserGroups,
                "membership_method",
                json!("DYNAMIC_AUTOMATED"),
            ),
            (Category::RadiusServers, "mfa", json!("DISABLED")),
            (Category::PolicyResults, "state", json!("success")),
            (
                Category::Users,
                "created",
                json!("2019-10-08T23:20:47.903Z"),
            ),
            (
                Category::Devices,
                "last_contact",
                json!("2026-11-30T10:00:00Z"),
            ),
            (
                Category::Users,
                "custom_attributes",
                json!({"costCenter": "CC-108"}),
            ),
            (Category::Users, "anything_new", json!("SOME_NEW_STATE")),
        ];
        for (category, key, value) in raw {
            let shown = field_value(*category, key, value, NOW);
            assert!(
                !looks_raw(&shown),
                "{category} {key} = {value} must be shown in words, not as {shown:?}"
            );
            assert_ne!(shown, value.as_str().unwrap_or_default(), "{key} changed");
        }
    }

    #[test]
    fn the_preview_and_the_collection_use_the_same_words() {
        assert_eq!(state("STAGED"), "Not activated yet");
        assert_eq!(state("ACTIVATED"), "Active");
        assert_eq!(state("success"), "Succeeded");
        assert_eq!(os_name("darwin"), "macOS");
        assert_eq!(sso_type("saml"), "SAML");
        assert_eq!(words("aws-sso"), "AWS SSO");
        assert_eq!(words("encrypted_disk_darwin"), "Encrypted disk macOS");
        assert_eq!(words("costCenter"), "Cost center");
        assert_eq!(
            words("FileVault 2"),
            "FileVault 2",
            "words stay as they are"
        );
        assert_eq!(words("GitHub"), "GitHub");
    }

    #[test]
    fn timestamps_read_as_a_date_and_an_age() {
        assert_eq!(
            when("2019-10-08T23:20:47.903Z", NOW).as_deref(),
            Some("8 Oct 2019 (7 years ago)")
        );
        assert_eq!(
            when("2026-11-29T06:00:00Z", NOW).as_deref(),
            Some("29 Nov 2026 (3 days ago)")
        );
        assert_eq!(
            when("2026-12-02T05:30:00Z", NOW).as_deref(),
            Some("2 Dec 2026 (today)")
        );
        assert_eq!(when("not a date", NOW), None, "only timestamps are dates");
    }

    #[test]
    fn dates_are_the_local_dates_of_the_shown_time_zone() {
        // 20:00 UTC on 1 Dec is 01:30 on 2 Dec in India (+05:30), where it is then 11:30.
        let india = Clock::fixed(datetime!(2026-12-02 06:00 UTC), offset!(+5:30));
        assert_eq!(
            when("2026-12-01T20:00:00Z", NOW).as_deref(),
            Some("1 Dec 2026 (yesterday)"),
            "in UTC the evening of 1 Dec is yesterday"
        );
        assert_eq!(
            when("2026-12-01T20:00:00Z", india).as_deref(),
            Some("2 Dec 2026 (today)"),
            "at +05:30 the same moment is past midnight: today's date"
        );
        // 02:00 UTC on 2 Dec is still the evening of 1 Dec in New York (-05:00).
        let new_york = Clock::fixed(datetime!(2026-12-02 12:00 UTC), offset!(-5));
        assert_eq!(
            when("2026-12-02T02:00:00Z", new_york).as_deref(),
            Some("1 Dec 2026 (yesterday)"),
            "at -05:00 the moment falls on the day before"
        );
    }

    #[test]
    fn the_machine_clock_follows_the_time_zone_rules() {
        // The time zone is the process's own (TZ), so the check runs in a child process.
        let child = std::process::Command::new(std::env::current_exe().expect("the test binary"))
            .env("TZ", "IST-5:30")
            .args([
                "--exact",
                "display::tests::in_tz_ist_minus_5_30",
                "--ignored",
            ])
            .output()
            .expect("the test binary runs again");
        let said = String::from_utf8_lossy(&child.stdout);
        assert!(
            child.status.success() && said.contains("1 passed"),
            "with TZ=IST-5:30 the machine's dates are 5:30 ahead of UTC: {said}"
        );
    }

    #[test]
    #[ignore = "run by the_machine_clock_follows_the_time_zone_rules, with TZ=IST-5:30"]
    fn in_tz_ist_minus_5_30() {
        let at = datetime!(2026-12-01 20:00 UTC);
        assert_eq!(Clock::SYSTEM.local(at), at, "the same moment");
        assert_eq!(Clock::SYSTEM.local(at).offset(), offset!(+5:30));
        assert_eq!(
            when("2026-12-01T20:00:00Z", Clock::SYSTEM)
                .unwrap_or_default()
                .split(" (")
                .next(),
            Some("2 Dec 2026"),
            "the local date, past midnight"
        );
    }
}
