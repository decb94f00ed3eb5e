//! `jc-onboard` as other tools drive it: exit codes, the --json shape, the sim's first line,
//! and a canary key that must never be printed or logged.

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Output, Stdio};

use jc_sim::{RunningSim, Scenario, SimConfig};
use serde_json::Value;

mod common;
use common::{canary_sim as sim, everything, json, region_args, BIN, CANARY};

/// Neither the canary key nor a part of it in anything the run printed or logged.
fn assert_no_canary(output: &Output, context: &str) {
    common::assert_no_canary(&everything(output), context);
}

fn jc_onboard(args: &[String], key: Option<&str>) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("JC_API_KEY")
        .env("JC_ONBOARD_LOG", "trace");
    if let Some(key) = key {
        command.env("JC_API_KEY", key);
    }
    command.output().expect("jc-onboard runs")
}

fn check(sim: &RunningSim, extra: &[&str]) -> Output {
    let mut args = vec!["check".to_owned(), "--json".to_owned()];
    args.extend(region_args(sim));
    args.extend(extra.iter().map(|s| s.to_string()));
    jc_onboard(&args, Some(CANARY))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn healthy_check_exits_0_with_the_documented_json() {
    let sim = sim(Scenario::Healthy).await;
    let output = check(&sim, &[]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "stderr: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let report = json(&output);
    let keys: Vec<&str> = report
        .as_object()
        .expect("an object")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(
        keys,
        [
            "auth",
            "checks",
            "credentials_expire_at",
            "ok",
            "org",
            "orgs_available",
            "permissions",
            "region",
            "role"
        ],
        "the top-level contract"
    );
    assert_eq!(report["ok"], true);
    assert_eq!(report["region"], "us");
    assert_eq!(report["org"]["id"], sim.org_id());
    assert_eq!(report["org"]["name"], sim.org_name());
    assert_eq!(report["role"], "Read Only");
    for c in report["checks"].as_array().expect("checks is a list") {
        let fields: Vec<&str> = c
            .as_object()
            .expect("check object")
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            fields,
            [
                "detail",
                "fix",
                "id",
                "mandatory",
                "message",
                "state",
                "state_label",
                "title"
            ],
            "each check's contract"
        );
        let expected = if c["id"] == "credentials.expiry" {
            "skipped" // JumpCloud shows no expiry for an administrator's key.
        } else {
            "pass"
        };
        assert_eq!(c["state"], expected, "{c}");
    }
    assert_eq!(report["auth"], "admin_api_key");
    assert_eq!(report["credentials_expire_at"], Value::Null);
    assert_no_canary(&output, "healthy");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn failing_scenarios_exit_1_and_name_the_failing_check() {
    let cases = [
        (Scenario::ExpiredKey, "key.accepted"),
        (Scenario::MultiTenant, "org.selected"),
        (Scenario::CommandRunner, "role.least_privilege"),
    ];
    for (scenario, failing) in cases {
        let sim = sim(scenario).await;
        let output = check(&sim, &[]);
        assert_eq!(
            output.status.code(),
            Some(1),
            "{scenario}: a mandatory check failed"
        );
        let report = json(&output);
        assert_eq!(report["ok"], false, "{scenario}");
        let failed = report["checks"]
            .as_array()
            .expect("checks")
            .iter()
            .find(|c| c["state"] == "fail" && c["mandatory"] == true)
            .unwrap_or_else(|| panic!("{scenario}: a mandatory failure is listed"));
        assert_eq!(failed["id"], failing, "{scenario}: {failed}");
        assert!(
            failed["fix"].as_str().is_some_and(|f| !f.is_empty()),
            "{scenario}: a fix is given"
        );
        if scenario == Scenario::MultiTenant {
            assert_eq!(
                report["orgs_available"].as_array().map(Vec::len),
                Some(3),
                "the orgs to choose from are listed"
            );
            assert_eq!(report["org"], Value::Null);
        }
        assert_no_canary(&output, &scenario.to_string());
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn transient_answers_are_warnings_that_say_when_to_try_again() {
    // The quick test does not retry: a rate limit or a cut-off answer on a category probe is a
    // warning with a time to try again, not a verdict on the key.
    for scenario in [Scenario::TruncatedJson, Scenario::RateLimited] {
        let sim = sim(scenario).await;
        let output = check(&sim, &[]);
        let report = json(&output);
        assert_eq!(
            output.status.code(),
            Some(0),
            "{scenario}: no check fails: {report}"
        );
        let checks = report["checks"].as_array().expect("checks");
        assert!(
            checks.iter().all(|c| c["state"] != "fail"),
            "{scenario}: {report}"
        );
        let warned: Vec<&Value> = checks
            .iter()
            .filter(|c| {
                c["state"] == "warn" && c["id"].as_str().is_some_and(|id| id.starts_with("access."))
            })
            .collect();
        assert!(!warned.is_empty(), "{scenario}: a probe warns: {report}");
        for check in warned {
            assert!(
                check["fix"]
                    .as_str()
                    .is_some_and(|f| f.contains("Try again")),
                "{scenario}: the warning says when to try again: {check}"
            );
        }
        assert_no_canary(&output, &scenario.to_string());
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_canary_key_never_appears_in_any_scenario() {
    for scenario in Scenario::ALL {
        let config = SimConfig {
            api_key: Some(CANARY.to_owned()),
            latency: std::time::Duration::from_millis(if scenario == Scenario::Slow {
                50
            } else {
                0
            }),
            ..SimConfig::scenario(scenario)
        };
        let sim = RunningSim::start(config).await.expect("start");
        let human = {
            let mut args = vec!["check".to_owned()];
            args.extend(region_args(&sim));
            jc_onboard(&args, Some(CANARY))
        };
        assert_no_canary(&human, &format!("{scenario} (human output)"));
        assert_no_canary(&check(&sim, &[]), &format!("{scenario} (--json)"));
        sim.shutdown().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn key_from_stdin_works_and_is_trimmed() {
    let sim = sim(Scenario::EuRegion).await;
    let mut args = vec![
        "check".to_owned(),
        "--json".to_owned(),
        "--key-stdin".to_owned(),
    ];
    args.extend(region_args(&sim));
    let mut child = Command::new(BIN)
        .args(&args)
        .env_remove("JC_API_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{CANARY}\n").as_bytes())
        .expect("write key");
    let output = child.wait_with_output().expect("wait");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        json(&output)["region"],
        "eu",
        "the EU org is found automatically"
    );
    assert_no_canary(&output, "stdin");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn usage_and_input_errors_exit_2_without_a_request() {
    let sim = sim(Scenario::Healthy).await;
    let no_key = jc_onboard(&["check".into(), "--base-url".into(), sim.base_url()], None);
    assert_eq!(
        no_key.status.code(),
        Some(2),
        "no key at all is a usage error"
    );
    assert!(
        String::from_utf8_lossy(&no_key.stderr).contains("JC_API_KEY"),
        "it says where the key comes from"
    );

    let bad_key = jc_onboard(
        &[
            "check".into(),
            "--json".into(),
            "--base-url".into(),
            sim.base_url(),
        ],
        Some("jca_tooshort"),
    );
    assert_eq!(
        bad_key.status.code(),
        Some(2),
        "a malformed key is an input error"
    );
    assert_eq!(json(&bad_key)["checks"][0]["state"], "fail");

    let bad_org = check(&sim, &["--org-id", "xyz"]);
    assert_eq!(
        bad_org.status.code(),
        Some(2),
        "a malformed org id is an input error"
    );

    let bad_url = jc_onboard(
        &[
            "check".into(),
            "--region-url".into(),
            "mars=http://x".into(),
        ],
        Some(CANARY),
    );
    assert_eq!(
        bad_url.status.code(),
        Some(2),
        "an unknown region is a usage error"
    );

    let key_as_argument = jc_onboard(&["check".into(), "--key".into(), CANARY.into()], None);
    assert_eq!(
        key_as_argument.status.code(),
        Some(2),
        "there is no way to pass the key as an argument"
    );

    assert!(
        sim.requests().is_empty(),
        "no request was sent for any of these: {:?}",
        sim.requests()
    );
    sim.shutdown().await;
}

#[test]
fn sim_prints_its_address_as_the_first_line() {
    let mut child = Command::new(BIN)
        .args(["sim", "--scenario", "eu-region", "--users", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the simulator");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("first line");
    let _ = child.kill();
    let _ = child.wait();
    let line: Value = serde_json::from_str(&first).expect("the first line is one JSON object");
    for key in ["base_url", "api_key", "org_id"] {
        assert!(line[key].is_string(), "{key} is given: {line}");
    }
    for region in ["us", "eu", "in"] {
        assert!(
            line["regions"][region]
                .as_str()
                .is_some_and(|u| u.starts_with("http://127.0.0.1:")),
            "{region}: {line}"
        );
    }
    assert_eq!(
        line["base_url"], line["regions"]["eu"],
        "the eu-region org lives in the EU"
    );
}

#[test]
fn scopes_prints_the_same_table_and_recipe_as_the_app() {
    let json = Command::new(BIN)
        .args(["scopes", "--json", "--region", "eu"])
        .env_remove("JC_API_KEY")
        .output()
        .expect("scopes runs");
    assert_eq!(json.status.code(), Some(0), "no key is needed");
    let printed: Value = serde_json::from_slice(&json.stdout).expect("one JSON object");
    let app = serde_json::to_value(onboard::permissions::reference(Some(jc_api::Region::Eu)))
        .expect("serializes");
    assert_eq!(
        printed, app,
        "the CLI prints what the app shows, computed once in onboard"
    );
    let human = Command::new(BIN)
        .args(["scopes"])
        .env_remove("JC_API_KEY")
        .output()
        .expect("scopes runs");
    let text = String::from_utf8_lossy(&human.stdout);
    for call in jc_api::calls::ALL {
        assert!(
            text.contains(call.path),
            "every call is listed: {}",
            call.path
        );
    }
    for scope in jc_api::calls::minimal_scopes() {
        assert!(text.contains(scope), "{scope} is named");
    }
    assert!(
        text.contains(onboard::permissions::recipe(None).text.trim_end()),
        "the recipe is printed as the app copies it: {text}"
    );
}

#[test]
fn the_partial_role_demo_names_the_two_missing_permissions_and_the_recipe() {
    let output = Command::new(BIN)
        .args(["demo", "--scenario", "custom-role-partial"])
        .env_remove("JC_API_KEY")
        .output()
        .expect("demo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(
        output.status.code(),
        Some(0),
        "users are readable: {stdout}"
    );
    assert!(
        stdout.contains("lacks 2 read permissions this connection needs: systems.readonly")
            && stdout.contains("radius.readonly (RADIUS servers)"),
        "the two missing permissions are named: {stdout}"
    );
    assert!(
        stdout.contains(onboard::permissions::ROLE_NAME)
            && stdout.contains("Turn on read (view) access"),
        "the recipe is printed: {stdout}"
    );
}

#[test]
fn demo_runs_with_no_account() {
    let output = Command::new(BIN)
        .args(["demo"])
        .env_remove("JC_API_KEY")
        .output()
        .expect("demo runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert_eq!(output.status.code(), Some(0), "{stdout}");
    assert!(stdout.contains("Passed "), "one line per check: {stdout}");
    assert!(
        stdout.contains("Connected to"),
        "a summary names the org: {stdout}"
    );
    assert!(
        !stdout.contains('\u{1b}'),
        "no colour codes when stdout is not a terminal"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_extra_ca_certificate_is_read_and_a_bad_one_is_named() {
    let sim = sim(Scenario::Healthy).await;
    let fixture = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/extra-ca.pem");
    let trusted = check(&sim, &["--ca-cert", fixture]);
    assert_eq!(
        trusted.status.code(),
        Some(0),
        "a valid PEM is added to the trust store: {}",
        String::from_utf8_lossy(&trusted.stderr)
    );

    let missing = check(&sim, &["--ca-cert", "/nonexistent/ca.pem"]);
    assert_eq!(
        missing.status.code(),
        Some(2),
        "a file that cannot be read is a usage error"
    );

    let garbage = std::env::temp_dir().join(format!("not-a-cert-{}.pem", std::process::id()));
    std::fs::write(
        &garbage,
        "-----BEGIN CERTIFICATE-----\nnot base64 at all\n-----END CERTIFICATE-----\n",
    )
    .expect("write");
    let bad = check(&sim, &["--ca-cert", garbage.to_str().expect("utf-8 path")]);
    let _ = std::fs::remove_file(&garbage);
    assert_eq!(
        bad.status.code(),
        Some(1),
        "an unusable certificate fails the connection"
    );
    let report = json(&bad);
    let reach = report["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .find(|c| c["id"] == "network.reach")
        .cloned()
        .unwrap_or_default();
    assert_eq!(reach["state"], "fail");
    assert!(
        reach["message"]
            .as_str()
            .is_some_and(|m| m.contains("CA certificate")),
        "the message names the certificate: {reach}"
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_writes_the_export_and_prints_statuses_and_findings() {
    let sim = sim(Scenario::Healthy).await;
    let out = tempfile::tempdir().expect("an output folder");
    let mut args = vec![
        "collect".to_owned(),
        "--json".to_owned(),
        "--out".to_owned(),
        out.path().display().to_string(),
    ];
    args.extend(region_args(&sim));
    let output = jc_onboard(&args, Some(CANARY));
    assert_eq!(
        output.status.code(),
        Some(0),
        "every category of the healthy org is complete: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = json(&output);
    assert_eq!(value["ok"], true);
    assert_eq!(value["categories"]["users"]["status"], "complete");
    assert!(
        value["categories"]["users"]["collected"]
            .as_u64()
            .is_some_and(|n| n > 0),
        "{value}"
    );
    assert!(
        value["findings"]["app_without_group"]
            .as_u64()
            .is_some_and(|n| n >= 1),
        "the healthy org has an app no group can use, counted from the records: {value}"
    );
    assert!(out.path().join("snapshot.json").is_file());
    assert!(out.path().join("users.csv").is_file());
    assert!(
        out.path().join("logos").is_dir(),
        "application logos are fetched into the export"
    );
    assert!(
        !out.path().join("records").exists(),
        "the working records are removed once the findings are counted"
    );
    assert_no_canary(&output, "collect --json");
}
