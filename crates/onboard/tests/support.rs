//! Support tooling against the simulated org over loopback: named causes for every failing
//! scenario, a bundle that never holds the key or people's data, bundles of both schema
//! versions, environment probes, and the check history on disk.

use std::path::{Path, PathBuf};
use std::time::Duration;

use jc_api::Region;
use jc_sim::{Scenario, SimConfig};
use onboard::demo::Demo;
use onboard::support::{
    self, causes::cause, read_bundle, Bundle, BundleParts, CollectionStatus, DnsProbe, EnvProbe,
    History, HostProbe, ReachProbe, Redactor, Severity, SCHEMA_V1, SCHEMA_V2,
};
use onboard::{CheckOptions, CheckState, ConnectionInput, Report, Target};

const CANARY: &str = "jca_CANARYcanary0123456789CANARYcanary01";

async fn demo(scenario: Scenario) -> Demo {
    Demo::start_with(SimConfig {
        api_key: Some(CANARY.to_owned()),
        ..SimConfig::scenario(scenario)
    })
    .await
    .expect("the simulator starts on loopback")
}

fn options() -> CheckOptions {
    CheckOptions {
        timeout: Duration::from_secs(10),
        ..CheckOptions::default()
    }
}

/// Which region the user chose in the scenario's support call.
#[derive(Clone, Copy)]
enum Choice {
    Auto,
    Us,
}

async fn run(demo: &Demo, choice: Choice, options: &CheckOptions) -> Report {
    let mut input: ConnectionInput = demo.input(None);
    if let Choice::Us = choice {
        input.target = Target::Region(Region::Us, demo.hosts());
    }
    onboard::run_checks(&input, options, |_| {}).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnose_names_the_cause_of_every_failing_scenario() {
    // (scenario, region chosen, the cause support must be told first, its severity)
    let table = [
        (
            Scenario::ExpiredKey,
            Choice::Auto,
            "key.unknown",
            Severity::Fail,
        ),
        (
            Scenario::EuRegion,
            Choice::Us,
            "key.wrong_region",
            Severity::Fail,
        ),
        (
            Scenario::MultiTenant,
            Choice::Auto,
            "org.not_selected",
            Severity::Fail,
        ),
        (
            Scenario::CommandRunner,
            Choice::Auto,
            "role.command_runner",
            Severity::Fail,
        ),
        (
            Scenario::AdminWithBilling,
            Choice::Auto,
            "role.too_broad",
            Severity::Warn,
        ),
        (
            Scenario::ReadOnlyAssociation403,
            Choice::Auto,
            "access.read_only_association",
            Severity::Note,
        ),
        (
            Scenario::RateLimited,
            Choice::Auto,
            "api.rate_limited",
            Severity::Warn,
        ),
        (
            Scenario::Flaky,
            Choice::Auto,
            "service.outage",
            Severity::Warn,
        ),
        (
            Scenario::TruncatedJson,
            Choice::Auto,
            "response.truncated",
            Severity::Warn,
        ),
        (
            Scenario::CustomRole,
            Choice::Auto,
            "role.custom_scope",
            Severity::Warn,
        ),
        (
            Scenario::CustomRolePartial,
            Choice::Auto,
            "role.custom_scope",
            Severity::Warn,
        ),
        (
            Scenario::BroadRole,
            Choice::Auto,
            "role.too_broad",
            Severity::Warn,
        ),
    ];
    for (scenario, choice, expected, severity) in table {
        let demo = demo(scenario).await;
        let report = run(&demo, choice, &options()).await;
        // Which of the checks running together meets a flaky 503 depends on timing: a mandatory
        // one makes the outage stop the connection.
        let severity = match scenario {
            Scenario::Flaky if !report.ok => Severity::Fail,
            _ => severity,
        };
        let diagnoses = support::diagnose(&report, None);
        let ids: Vec<&str> = diagnoses.iter().map(|d| d.cause_id.as_str()).collect();
        let found = diagnoses.iter().find(|d| d.cause_id == expected);
        let found = found
            .unwrap_or_else(|| panic!("{scenario}: diagnose must name {expected}, named {ids:?}"));
        let table_entry = cause(expected).expect("every named cause is in the table");
        assert_eq!(
            found.fix, table_entry.fix,
            "{scenario}: the fix shown is the table's fix for {expected}"
        );
        assert_eq!(
            found.severity, severity,
            "{scenario}: {expected} has the severity support should act on"
        );
        assert_eq!(
            diagnoses[0].severity, severity,
            "{scenario}: nothing more severe than {expected} is listed first ({ids:?})"
        );
        demo.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_healthy_org_has_nothing_to_diagnose_and_links_follow_the_region() {
    let healthy = demo(Scenario::Healthy).await;
    let report = run(&healthy, Choice::Auto, &options()).await;
    assert!(report.ok, "the healthy scenario connects");
    assert_eq!(
        support::diagnose(&report, None),
        Vec::new(),
        "a working Read Only connection names no cause"
    );
    healthy.stop().await;

    let eu = demo(Scenario::EuRegion).await;
    let report = run(&eu, Choice::Us, &options()).await;
    let wrong = support::diagnose(&report, None)
        .into_iter()
        .find(|d| d.cause_id == "key.wrong_region")
        .expect("an EU key tried in the US is a wrong-region diagnosis");
    assert_eq!(
        wrong.link.as_deref(),
        Some("https://console.eu.jumpcloud.com"),
        "the fix is made in the console of the region the key belongs to"
    );
    eu.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn environment_probes_reach_the_loopback_hosts() {
    let demo = demo(Scenario::Healthy).await;
    let env = support::probe_hosts(&demo.hosts(), Duration::from_secs(5)).await;
    assert_eq!(env.hosts.len(), 3, "one probe per region host");
    for host in &env.hosts {
        assert!(
            host.dns.ok,
            "{}: 127.0.0.1 resolves: {:?}",
            host.url, host.dns
        );
        assert!(
            host.dns.addresses.iter().any(|a| a == "127.0.0.1"),
            "{}: the resolved address is loopback: {:?}",
            host.url,
            host.dns.addresses
        );
        assert!(
            host.reach.ok,
            "{}: the host root answers: {:?}",
            host.url, host.reach
        );
        let skew = host
            .clock_skew_secs
            .expect("the simulator's HTTP server sends a Date header");
        assert!(
            skew.abs() <= 2,
            "{}: the simulator shares this clock, so skew is within Date's 1 s resolution: {skew}",
            host.url
        );
    }
    let report = run(&demo, Choice::Auto, &options()).await;
    assert!(
        support::diagnose(&report, Some(&env)).is_empty(),
        "a healthy environment adds no cause"
    );

    let skewed = EnvProbe {
        hosts: env
            .hosts
            .iter()
            .map(|h| HostProbe {
                clock_skew_secs: Some(-900),
                ..h.clone()
            })
            .collect(),
        ..env.clone()
    };
    let diagnoses = support::diagnose(&report, Some(&skewed));
    assert_eq!(
        diagnoses.first().map(|d| d.cause_id.as_str()),
        Some("clock.skew"),
        "a clock 15 minutes off is named even when the checks passed"
    );

    let no_dns = EnvProbe {
        hosts: env
            .hosts
            .iter()
            .map(|h| HostProbe {
                dns: DnsProbe {
                    ok: false,
                    addresses: Vec::new(),
                    error: Some("failed to lookup address information".into()),
                },
                reach: ReachProbe {
                    ok: false,
                    status: None,
                    latency_ms: 0,
                    outcome: "dns".into(),
                    error: None,
                },
                clock_skew_secs: None,
                ..h.clone()
            })
            .collect(),
        ..env
    };
    assert!(
        support::diagnose(&report, Some(&no_dns))
            .iter()
            .any(|d| d.cause_id == "network.dns"),
        "no host resolving is a DNS diagnosis"
    );
    demo.stop().await;
}

/// People from the simulated org's preview, planted in evidence, collection and log lines.
struct Planted {
    emails: Vec<String>,
    names: Vec<String>,
}

fn bundle_file(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_bundle_never_holds_the_key_or_peoples_data() {
    let demo = demo(Scenario::Healthy).await;
    let options = options();
    let checked = onboard::check_connection(&demo.input(None), &options, |_| {}).await;
    let client = checked
        .client
        .expect("the healthy scenario gives a connected client");
    let preview = onboard::preview::first_rows(&client, checked.report.region).await;
    let mut planted = Planted {
        emails: Vec::new(),
        names: Vec::new(),
    };
    for user in &preview.users {
        planted.emails.extend(user.email.clone());
        planted.names.extend(user.name.clone());
    }
    for admin in &preview.admins {
        planted.emails.extend(admin.email.clone());
        planted.names.extend(admin.name.clone());
    }
    assert!(
        planted.emails.len() >= 3 && planted.names.len() >= 3,
        "the simulated org has people to plant: {} emails, {} names",
        planted.emails.len(),
        planted.names.len()
    );

    // People's data where it could flow in: evidence text, collection reasons, app log lines.
    let mut report = checked.report.clone();
    let (first_email, first_name) = (planted.emails[0].clone(), planted.names[0].clone());
    report.checks[0].detail.push(onboard::Evidence {
        host: "127.0.0.1".into(),
        route: "/api/systemusers?limit=1".into(),
        status: Some(400),
        latency_ms: 3,
        request_id: Some("req-1".into()),
        outcome: "rejected".into(),
        server_said: Some(format!("user {first_email} ({first_name}) is suspended")),
    });
    let mut log_lines = vec![
        format!(
            "INFO collect: resolved manager {} <{}>",
            planted.names[1], planted.emails[1]
        ),
        format!(
            "DEBUG row firstname=Grace lastname=Hopper email={}",
            planted.emails[2]
        ),
        format!("WARN request failed with key {CANARY} (should never happen)"),
        "INFO planted: Ada Lovelace <ada.lovelace@example.org> logged in".to_owned(),
    ];
    log_lines.extend(
        planted
            .names
            .iter()
            .map(|n| format!("INFO preview row: {n}")),
    );
    planted
        .names
        .extend(["Grace".into(), "Hopper".into(), "Ada Lovelace".into()]);
    planted.emails.push("ada.lovelace@example.org".into());
    let collection = vec![CollectionStatus {
        name: "users".into(),
        status: "partial".into(),
        collected: 24,
        total: Some(25),
        reason: Some(format!(
            "record of {first_name} <{first_email}> could not be read"
        )),
    }];

    let records = options.request_log.records();
    assert!(!records.is_empty(), "the checks logged their requests");
    let env = support::probe_hosts(&demo.hosts(), Duration::from_secs(5)).await;
    let bundle = Bundle::build(BundleParts {
        app_name: "jc-onboard",
        app_version: env!("CARGO_PKG_VERSION"),
        report: &report,
        requests: &records,
        collection: Some(collection),
        environment: Some(env),
        log_lines,
    });

    let dir = tempfile::tempdir().expect("a temporary directory");
    let people: Vec<String> = preview
        .users
        .iter()
        .filter_map(|u| u.name.clone())
        .chain(preview.admins.iter().filter_map(|a| a.name.clone()))
        .collect();
    let redactor = Redactor::new().secret(CANARY).people(&people);
    let path = bundle_file(dir.path(), "bundle.json");
    bundle
        .write(&path, &redactor)
        .expect("the bundle is written");
    let text = std::fs::read_to_string(&path).expect("the bundle is readable");

    assert!(!text.contains(CANARY), "the key never reaches a bundle");
    assert!(
        !text.contains(&CANARY[4..20]),
        "no part of the key reaches a bundle"
    );
    for email in &planted.emails {
        assert!(
            !text.contains(email.as_str()),
            "email {email} is hashed, not kept"
        );
    }
    for name in &planted.names {
        assert!(
            !text.contains(name.as_str()),
            "name {name:?} is hashed, not kept"
        );
    }
    assert!(
        text.contains(&redactor.hash("email", &first_email)),
        "a hashed email keeps a stable token support can follow"
    );
    let manager_line = format!(
        "resolved manager {} <{}>",
        redactor.hash("name", &planted.names[1]),
        redactor.hash("email", &planted.emails[1])
    );
    assert!(
        text.contains(&manager_line),
        "a log line keeps its shape, each person becoming one stable token: {manager_line}"
    );
    let salt = serde_json::from_str::<serde_json::Value>(&text).expect("JSON")["hash_salt"]
        .as_str()
        .map(str::to_owned);
    assert_eq!(
        salt.as_deref(),
        Some(redactor.hash_salt()),
        "the bundle stores the salt its hashes were made with"
    );
    for kept in [
        "JumpCloud accepted the key",
        "/api/systemusers",
        "firstname=name:sha256:",
    ] {
        assert!(
            text.contains(kept),
            "redaction keeps everything that is not a person or a key ({kept:?} is missing)"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&text).expect("the bundle is JSON");
    assert_eq!(json["schema"], SCHEMA_V2, "the schema is versioned");
    assert_eq!(
        json["personal_data"], false,
        "the bundle says people's data was hashed"
    );
    assert!(
        json["requests"][0]["request_id"].is_string()
            || json["requests"][0]["request_id"].is_null(),
        "requests keep their request id field"
    );
    assert!(
        !text.to_ascii_lowercase().contains("x-api-key"),
        "no header names or values are kept"
    );
    let org = checked.report.org.as_ref().expect("the org was resolved");
    assert!(
        text.contains(&org.name),
        "organization names are not personal data and stay"
    );

    let back = read_bundle(&path).expect("a written bundle reads back");
    assert_eq!(back.schema, SCHEMA_V2);
    assert_eq!(
        back.requests.len(),
        records.len(),
        "every request is in the bundle"
    );
    assert!(back.environment.is_some() && back.collection.is_some());

    // Opting in keeps people's data, never the key.
    let kept = bundle_file(dir.path(), "bundle-personal.json");
    bundle
        .write(
            &kept,
            &Redactor::new()
                .secret(CANARY)
                .people(&people)
                .keep_personal_data(true),
        )
        .expect("the opted-in bundle is written");
    let kept = std::fs::read_to_string(&kept).expect("readable");
    assert!(
        kept.contains(first_email.as_str()),
        "an opted-in bundle keeps emails"
    );
    assert!(
        !kept.contains(CANARY),
        "an opted-in bundle still never holds the key"
    );
    demo.stop().await;
}

#[test]
fn the_version_1_fixture_still_reads() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/bundle-v1.json");
    let bundle = read_bundle(&path).expect("a version 1 bundle is read and upgraded");
    assert_eq!(
        bundle.schema, SCHEMA_V1,
        "the file's own schema is kept, to show it was upgraded"
    );
    assert!(bundle.is_upgraded());
    assert_eq!(bundle.app.version, "0.0.9");
    assert_eq!(bundle.os.os, "windows");
    assert!(!bundle.report.ok);
    assert_eq!(
        bundle.report.check("key.accepted").map(|c| c.state),
        Some(CheckState::Fail),
        "checks survive the upgrade"
    );
    assert_eq!(bundle.requests.len(), 4, "requests survive the upgrade");
    assert_eq!(bundle.requests[1].status, Some(401));
    assert!(
        bundle.diagnoses.iter().any(|d| d.cause_id == "key.unknown"),
        "an old bundle is diagnosed too: {:?}",
        bundle.diagnoses
    );
}

fn report_with(states: &[(&str, CheckState)]) -> Report {
    Report {
        ok: states.iter().all(|(_, s)| *s != CheckState::Fail),
        region: Some(Region::Us),
        org: None,
        orgs_available: Vec::new(),
        role: None,
        permissions: None,
        auth: None,
        credentials_expire_at: None,
        checks: states
            .iter()
            .map(|(id, state)| onboard::CheckResult {
                id: (*id).to_owned(),
                title: (*id).to_owned(),
                mandatory: true,
                state: *state,
                state_label: state.label().to_owned(),
                message: String::new(),
                fix: None,
                detail: Vec::new(),
            })
            .collect(),
    }
}

#[test]
fn history_survives_a_reopen_and_records_changes() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut history = History::open(dir.path()).expect("opens").history;
    let first = history
        .record(
            "prod",
            &report_with(&[
                ("key.accepted", CheckState::Pass),
                ("access.users", CheckState::Pass),
            ]),
        )
        .expect("recorded");
    assert!(
        first.changed.is_empty(),
        "the first run has nothing to compare with"
    );
    history
        .record(
            "prod",
            &report_with(&[
                ("key.accepted", CheckState::Fail),
                ("access.users", CheckState::Pass),
            ]),
        )
        .expect("recorded");
    history
        .record(
            "staging",
            &report_with(&[("key.accepted", CheckState::Pass)]),
        )
        .expect("recorded");
    drop(history);

    let reopened = History::open(dir.path()).expect("reopens");
    assert_eq!(reopened.set_aside, None, "a good file is not set aside");
    let runs = reopened.history.runs("prod");
    assert_eq!(runs.len(), 2, "both runs of prod survive a restart");
    assert!(!runs[1].ok);
    assert_eq!(
        runs[1].changed,
        vec![support::StateChange::new(
            "key.accepted".into(),
            Some(CheckState::Pass),
            CheckState::Fail
        )],
        "only the check that changed is listed, with its old and new state"
    );
    assert_eq!(
        reopened.history.runs("staging").len(),
        1,
        "connections are kept apart"
    );
    assert!(reopened.history.runs("unknown").is_empty());
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .expect("listable")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(
        leftovers.is_empty(),
        "atomic writes leave no temporary files: {leftovers:?}"
    );
}

#[test]
fn history_is_bounded_per_connection() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut history = History::open(dir.path()).expect("opens").history;
    for i in 0..(support::MAX_RUNS_PER_CONNECTION + 7) {
        let state = if i % 2 == 0 {
            CheckState::Pass
        } else {
            CheckState::Warn
        };
        history
            .record_at(
                "prod",
                &report_with(&[("role.least_privilege", state)]),
                time::OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(i as i64),
            )
            .expect("recorded");
    }
    let reopened = History::open(dir.path()).expect("reopens").history;
    let runs = reopened.runs("prod");
    assert_eq!(
        runs.len(),
        support::MAX_RUNS_PER_CONNECTION,
        "only the last {} runs are kept",
        support::MAX_RUNS_PER_CONNECTION
    );
    assert_eq!(
        runs[0].at, "1970-01-01T00:00:07Z",
        "the oldest runs were dropped, the newest kept"
    );
    let small = History::open(dir.path())
        .expect("reopens")
        .history
        .with_limit(3);
    let mut small = small;
    small
        .record(
            "prod",
            &report_with(&[("role.least_privilege", CheckState::Pass)]),
        )
        .expect("recorded");
    assert_eq!(
        small.runs("prod").len(),
        3,
        "a smaller limit trims on the next write"
    );
}

#[test]
fn a_corrupt_history_is_set_aside_not_lost() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join(support::HISTORY_FILE);
    std::fs::write(
        &file,
        b"{\"schema\": \"jc-onboard-history/1\", \"connections\": {\"prod\": [",
    )
    .expect("a corrupt file is planted");
    let opened = History::open(dir.path()).expect("a corrupt file does not stop the app");
    let aside = opened
        .set_aside
        .expect("the corrupt file is reported as set aside");
    assert_eq!(
        std::fs::read(&aside).expect("the set-aside file is kept"),
        b"{\"schema\": \"jc-onboard-history/1\", \"connections\": {\"prod\": [",
        "the corrupt content is kept byte for byte"
    );
    assert!(
        opened.history.runs("prod").is_empty(),
        "a fresh history starts"
    );
    let mut history = opened.history;
    history
        .record("prod", &report_with(&[("key.accepted", CheckState::Pass)]))
        .expect("the fresh history writes");
    assert!(file.exists(), "a new history file replaces the corrupt one");
    assert!(aside.exists(), "and the corrupt one is still there");
}

const CANARY_SECRET: &str = "CANARYsupportSECRET0123456789";

async fn sa_demo(scenario: Scenario) -> Demo {
    Demo::start_with(SimConfig {
        client_secret: Some(CANARY_SECRET.to_owned()),
        ..SimConfig::scenario(scenario)
    })
    .await
    .expect("the simulator starts on loopback")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn diagnose_names_the_service_account_causes() {
    // (scenario, what is changed in the input, the cause support must be told, its severity)
    type Change = fn(&Demo, &mut ConnectionInput);
    let as_given: Change = |_, _| {};
    let wrong_secret: Change =
        |_, input| input.key = onboard::PastedKey::new("not-the-secret".into());
    let us_chosen: Change = |demo, input| input.target = Target::Region(Region::Us, demo.hosts());
    let token_host_closed: Change = |demo, input| {
        let mut hosts = demo.hosts();
        for region in Region::ALL {
            hosts.set_token(
                region,
                jc_api::BaseUrl::parse("http://127.0.0.1:9").expect("a root"),
            );
        }
        input.target = Target::Auto(hosts);
    };
    let table: [(Scenario, Change, &str, Severity); 7] = [
        (
            Scenario::ServiceAccount,
            wrong_secret,
            "sa.invalid_client",
            Severity::Fail,
        ),
        (
            Scenario::ServiceAccountExpired,
            as_given,
            "sa.secret_expired",
            Severity::Fail,
        ),
        (
            Scenario::ServiceAccountExpiring,
            as_given,
            "sa.secret_expiring",
            Severity::Warn,
        ),
        (
            Scenario::ServiceAccountEu,
            us_chosen,
            "sa.wrong_region",
            Severity::Fail,
        ),
        (
            Scenario::ServiceAccount,
            token_host_closed,
            "sa.token_host_blocked",
            Severity::Fail,
        ),
        (
            Scenario::ServiceAccountNoSaScope,
            as_given,
            "sa.no_service_account_scope",
            Severity::Note,
        ),
        (
            Scenario::ServiceAccountBroadRole,
            as_given,
            "sa.role_too_broad",
            Severity::Warn,
        ),
    ];
    for (scenario, change, cause_id, severity) in table {
        let demo = sa_demo(scenario).await;
        let mut input = demo.client_input(None).expect("a service-account scenario");
        change(&demo, &mut input);
        let report = onboard::run_checks(&input, &options(), |_| {}).await;
        let diagnoses = support::diagnose(&report, None);
        let found = diagnoses
            .iter()
            .find(|d| d.cause_id == cause_id)
            .unwrap_or_else(|| {
                panic!(
                    "{scenario}: {cause_id} is named: {:#?} / {:#?}",
                    diagnoses.iter().map(|d| &d.cause_id).collect::<Vec<_>>(),
                    report
                        .checks
                        .iter()
                        .map(|c| format!("{}={:?} {}", c.id, c.state, c.message))
                        .collect::<Vec<_>>()
                )
            });
        assert_eq!(found.severity, severity, "{scenario}: {cause_id}");
        assert!(
            cause(cause_id).is_some_and(|c| c.fix.ends_with('.')),
            "{cause_id} has a fix"
        );
        assert!(
            !format!("{report:?}{diagnoses:?}").contains("CANARY"),
            "{scenario}: no secret"
        );
        demo.stop().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_service_account_bundle_never_holds_the_secret_or_a_token() {
    let demo = sa_demo(Scenario::ServiceAccount).await;
    let options = options();
    let input = demo.client_input(None).expect("credentials");
    let checked = onboard::check_connection(&input, &options, |_| {}).await;
    assert!(checked.report.ok, "the service account connects");
    let records = options.request_log.records();
    assert!(
        records
            .iter()
            .any(|r| r.route == "/oauth2/token" && r.method == "POST"),
        "the token request is in the request log, without its secret"
    );
    let bundle = Bundle::build(BundleParts {
        app_name: "jc-onboard",
        app_version: env!("CARGO_PKG_VERSION"),
        report: &checked.report,
        requests: &records,
        collection: None,
        environment: None,
        log_lines: vec![format!(
            "WARN token request failed for secret {CANARY_SECRET} (should never happen)"
        )],
    });
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = bundle_file(dir.path(), "bundle.json");
    bundle
        .write(&path, &Redactor::new().secret(CANARY_SECRET))
        .expect("the bundle is written");
    let text = std::fs::read_to_string(&path).expect("the bundle reads");
    assert!(
        !text.contains("CANARY"),
        "the client secret never reaches a bundle"
    );
    assert!(!text.contains("jct"), "no bearer token reaches a bundle");
    assert!(
        text.contains("client_credentials"),
        "the bundle says which form of credential was used"
    );
    demo.stop().await;
}
