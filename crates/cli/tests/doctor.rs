//! `jc-onboard doctor` and `jc-onboard bundle inspect` against the simulated org on loopback:
//! named causes for every failing scenario, exit codes like `check`, and bundles that never
//! hold the key.

use std::path::Path;
use std::process::{Command, Output};

use jc_sim::{RunningSim, Scenario};
use serde_json::Value;

mod common;
use common::{assert_no_canary, canary_sim as sim, everything as text, region_args, BIN, CANARY};

fn jc_onboard(args: &[String]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("JC_API_KEY", CANARY)
        .env("JC_ONBOARD_LOG", "trace")
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy")
        .output()
        .expect("jc-onboard runs")
}

fn doctor(sim: &RunningSim, extra: &[&str]) -> Output {
    let mut args = vec!["doctor".to_owned()];
    args.extend(region_args(sim));
    args.extend(extra.iter().map(|s| s.to_string()));
    jc_onboard(&args)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_names_the_cause_of_every_failing_scenario() {
    // (scenario, extra flags, cause named, exit code as `check` gives it; `None` where it
    // depends on which of the checks running together meets a fault)
    let table: [(Scenario, &[&str], &str, Option<i32>); 12] = [
        (Scenario::ExpiredKey, &[], "key.unknown", Some(1)),
        (
            Scenario::EuRegion,
            &["--region", "us"],
            "key.wrong_region",
            Some(1),
        ),
        (Scenario::MultiTenant, &[], "org.not_selected", Some(1)),
        (Scenario::CommandRunner, &[], "role.command_runner", Some(1)),
        (Scenario::AdminWithBilling, &[], "role.too_broad", Some(0)),
        (
            Scenario::ReadOnlyAssociation403,
            &[],
            "access.read_only_association",
            Some(0),
        ),
        // A rate limit or a cut-off answer is named, but is a warning: it says nothing against
        // the key, so doctor (like check) does not fail on it.
        (Scenario::RateLimited, &[], "api.rate_limited", Some(0)),
        (Scenario::Flaky, &[], "service.outage", Some(0)),
        (Scenario::TruncatedJson, &[], "response.truncated", Some(0)),
        (Scenario::CustomRole, &[], "role.custom_scope", Some(0)),
        (
            Scenario::CustomRolePartial,
            &[],
            "role.custom_scope",
            Some(0),
        ),
        (Scenario::BroadRole, &[], "role.too_broad", Some(0)),
    ];
    for (scenario, extra, expected, code) in table {
        let sim = sim(scenario).await;
        let mut flags = vec!["--json"];
        flags.extend_from_slice(extra);
        let output = doctor(&sim, &flags);
        assert_no_canary(&text(&output), &format!("doctor {scenario}"));
        let json: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
            panic!(
                "{scenario}: stdout is one JSON object ({e}): {}",
                text(&output)
            )
        });
        let diagnoses = json["diagnoses"].as_array().expect("diagnoses is a list");
        let named = diagnoses.iter().find(|d| d["cause_id"] == expected);
        let ids: Vec<&Value> = diagnoses.iter().map(|d| &d["cause_id"]).collect();
        let named =
            named.unwrap_or_else(|| panic!("{scenario}: doctor names {expected}, named {ids:?}"));
        let fix = onboard::support::cause(expected)
            .expect("the cause is in the table")
            .fix;
        assert_eq!(
            named["fix"], fix,
            "{scenario}: the fix shown is the table's fix"
        );
        let works = json["ok"] == true;
        assert_eq!(
            output.status.code(),
            Some(if works { 0 } else { 1 }),
            "{scenario}: doctor exits like check (0 works, 1 a mandatory check failed)"
        );
        if let Some(code) = code {
            assert_eq!(output.status.code(), Some(code), "{scenario}: exit code");
        }
        assert_eq!(
            json["environment"]["hosts"].as_array().map(Vec::len),
            Some(3),
            "{scenario}: every region host is probed"
        );
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_reads_plainly_and_writes_a_bundle_without_the_key() {
    let sim = sim(Scenario::CommandRunner).await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("bundle.json");
    let path_arg = path.display().to_string();
    let output = doctor(&sim, &["--bundle", &path_arg]);
    let shown = text(&output);
    assert_eq!(
        output.status.code(),
        Some(1),
        "a Command Runner key fails: {shown}"
    );
    assert_no_canary(&shown, "doctor output and logs");
    for expected in [
        "Checks",
        "Environment",
        "Diagnosis",
        "The key is a Command Runner's",
        "Fix:",
        "Where: https://console.jumpcloud.com",
        "Support bundle written to",
    ] {
        assert!(
            shown.contains(expected),
            "doctor shows {expected:?}: {shown}"
        );
    }

    let bundle = std::fs::read_to_string(&path).expect("the bundle was written");
    assert_no_canary(&bundle, "the bundle file");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(
            mode & 0o777,
            0o600,
            "the bundle is readable by its owner only"
        );
    }
    let json: Value = serde_json::from_str(&bundle).expect("the bundle is JSON");
    assert_eq!(
        json["schema"], "jc-onboard-bundle/2",
        "the bundle schema is versioned"
    );
    assert!(
        json["requests"].as_array().is_some_and(|r| !r.is_empty()),
        "the request log is in the bundle"
    );

    let inspected = jc_onboard(&["bundle".into(), "inspect".into(), path_arg.clone()]);
    let shown = text(&inspected);
    assert_eq!(
        inspected.status.code(),
        Some(0),
        "inspect reads a fresh bundle: {shown}"
    );
    for expected in [
        "jc-onboard-bundle/2",
        "Checks",
        "role.command_runner",
        "Requests (",
        "/api/settings",
    ] {
        assert!(
            shown.contains(expected),
            "inspect shows {expected:?}: {shown}"
        );
    }
    sim.shutdown().await;
}

#[test]
fn bundle_inspect_reads_the_previous_version() {
    let fixture =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../onboard/tests/fixtures/bundle-v1.json");
    let output = jc_onboard(&[
        "bundle".into(),
        "inspect".into(),
        fixture.display().to_string(),
    ]);
    let shown = text(&output);
    assert_eq!(
        output.status.code(),
        Some(0),
        "a version 1 bundle is readable: {shown}"
    );
    for expected in [
        "jc-onboard-bundle/1",
        "an older bundle",
        "0.0.9",
        "windows",
        "JumpCloud accepts the key",
        "key.unknown",
        "Requests (4)",
    ] {
        assert!(
            shown.contains(expected),
            "inspect of v1 shows {expected:?}: {shown}"
        );
    }
}

#[test]
fn bundle_inspect_refuses_what_is_not_a_bundle() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let path = dir.path().join("not-a-bundle.json");
    std::fs::write(&path, br#"{"hello": "world"}"#).expect("written");
    let output = jc_onboard(&[
        "bundle".into(),
        "inspect".into(),
        path.display().to_string(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a file that is not a bundle is a usage error"
    );
    assert!(
        text(&output).contains("not a jc-onboard support bundle"),
        "the error says what is wrong: {}",
        text(&output)
    );
}
