//! `jc-onboard` with a service account: JC_CLIENT_ID with JC_CLIENT_SECRET or
//! --client-secret-stdin, `jcs_` keys in JC_API_KEY, the `auth` and `credentials_expire_at`
//! fields of `check --json`, usage errors that send nothing, a collection that renews its
//! token, and a canary secret that never appears anywhere.

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use jc_sim::{RunningSim, Scenario, SimConfig, Sizes};
use serde_json::Value;

mod common;
use common::{json, region_args, BIN};

const CANARY_SECRET: &str = "CANARYclientSECRETcanary0123456789";

async fn sim_with(config: SimConfig) -> RunningSim {
    RunningSim::start(SimConfig {
        client_secret: Some(CANARY_SECRET.to_owned()),
        ..config
    })
    .await
    .expect("the simulator starts")
}

async fn sim(scenario: Scenario) -> RunningSim {
    sim_with(SimConfig::scenario(scenario)).await
}

/// Runs `jc-onboard` with exactly the credential variables given, and `stdin` piped in.
fn run(args: &[String], env: &[(&str, &str)], stdin: Option<&str>) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("JC_API_KEY")
        .env_remove("JC_CLIENT_ID")
        .env_remove("JC_CLIENT_SECRET")
        .env("JC_ONBOARD_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let mut child = command.spawn().expect("jc-onboard starts");
    if let Some(mut pipe) = child.stdin.take() {
        if let Some(text) = stdin {
            pipe.write_all(text.as_bytes())
                .expect("stdin takes the secret");
        }
    }
    child.wait_with_output().expect("jc-onboard runs")
}

fn check_args(sim: &RunningSim) -> Vec<String> {
    let mut args = vec!["check".to_owned(), "--json".to_owned()];
    args.extend(region_args(sim));
    args
}

fn assert_no_secret(output: &Output, context: &str) {
    let everything = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !everything.contains("CANARY"),
        "{context}: the secret leaked into output or trace logs"
    );
    assert!(
        !everything.contains("jct"),
        "{context}: a bearer token leaked into output or trace logs"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn client_credentials_from_the_environment_or_stdin_connect() {
    let sim = sim(Scenario::ServiceAccountExpiring).await;
    let (id, secret) = sim.client_credentials().expect("credentials");
    let from_env = run(
        &check_args(&sim),
        &[("JC_CLIENT_ID", id), ("JC_CLIENT_SECRET", secret)],
        None,
    );
    assert_eq!(
        from_env.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_env.stderr)
    );
    let value = json(&from_env);
    assert_eq!(value["auth"], "client_credentials");
    assert!(
        value["credentials_expire_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')),
        "the expiry is an RFC 3339 time: {}",
        value["credentials_expire_at"]
    );
    let expiry = value["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "credentials.expiry"))
        .expect("credentials.expiry is reported");
    assert_eq!(expiry["state"], "warn", "{expiry}");
    assert_no_secret(&from_env, "check with JC_CLIENT_SECRET");

    let mut args = check_args(&sim);
    args.push("--client-secret-stdin".into());
    let from_stdin = run(&args, &[("JC_CLIENT_ID", id)], Some(&format!("{secret}\n")));
    assert_eq!(
        from_stdin.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&from_stdin.stderr)
    );
    assert_eq!(json(&from_stdin)["auth"], "client_credentials");
    assert_no_secret(&from_stdin, "check with --client-secret-stdin");

    let key = run(&check_args(&sim), &[("JC_API_KEY", sim.api_key())], None);
    assert_eq!(
        key.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&key.stderr)
    );
    assert_eq!(
        json(&key)["auth"],
        "service_account_key",
        "JC_API_KEY takes jcs_ keys"
    );
    sim.shutdown().await;

    let admin = RunningSim::start(SimConfig::scenario(Scenario::Healthy))
        .await
        .expect("starts");
    let output = run(
        &check_args(&admin),
        &[("JC_API_KEY", admin.api_key())],
        None,
    );
    let value = json(&output);
    assert_eq!(value["auth"], "admin_api_key");
    assert_eq!(value["credentials_expire_at"], Value::Null);
    admin.shutdown().await;
}

/// What is wrong, the variables set, whether the secret is piped in, what the error says.
type Case<'a> = (&'a str, Vec<(&'a str, &'a str)>, bool, &'a str);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn mixed_half_or_bad_credentials_exit_2_and_send_nothing() {
    let sim = sim(Scenario::ServiceAccount).await;
    let (id, secret) = sim.client_credentials().expect("credentials");
    let key = sim.api_key().to_owned();
    let ten_kb = "s".repeat(10_240);
    let cases: Vec<Case> = vec![
        (
            "both kinds",
            vec![
                ("JC_API_KEY", &key),
                ("JC_CLIENT_ID", id),
                ("JC_CLIENT_SECRET", secret),
            ],
            false,
            "one kind only",
        ),
        (
            "a key and a client ID",
            vec![("JC_API_KEY", &key), ("JC_CLIENT_ID", id)],
            false,
            "one kind only",
        ),
        (
            "a secret without its ID",
            vec![("JC_CLIENT_SECRET", secret)],
            false,
            "JC_CLIENT_ID",
        ),
        (
            "an ID without its secret",
            vec![("JC_CLIENT_ID", id)],
            false,
            "JC_CLIENT_SECRET",
        ),
        (
            "an empty ID",
            vec![("JC_CLIENT_ID", ""), ("JC_CLIENT_SECRET", secret)],
            false,
            "No client ID was entered",
        ),
        (
            "a secret with a newline",
            vec![("JC_CLIENT_ID", id), ("JC_CLIENT_SECRET", "CANARY\nsecond")],
            false,
            "spaces or line breaks",
        ),
        (
            "a 10 kB secret",
            vec![("JC_CLIENT_ID", id), ("JC_CLIENT_SECRET", &ten_kb)],
            false,
            "10240 characters long",
        ),
        (
            "a key with --client-secret-stdin",
            vec![("JC_API_KEY", &key)],
            true,
            "one kind only",
        ),
    ];
    for (why, env, secret_stdin, words) in cases {
        sim.clear_requests();
        let mut args = check_args(&sim);
        if secret_stdin {
            args.push("--client-secret-stdin".into());
        }
        let output = run(&args, &env, secret_stdin.then_some(secret));
        assert_eq!(
            output.status.code(),
            Some(2),
            "{why}: a usage or input error"
        );
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains(words), "{why}: should say {words:?}: {said}");
        assert!(
            sim.requests().is_empty(),
            "{why}: nothing was sent: {:?}",
            sim.requests()
        );
        assert_no_secret(&output, why);
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_collection_with_two_second_tokens_renews_them_and_loses_nothing() {
    let users = 300;
    let sim = sim_with(SimConfig {
        latency: Duration::from_millis(300),
        sizes: Sizes {
            users,
            ..Sizes::default()
        },
        ..SimConfig::scenario(Scenario::ShortToken)
    })
    .await;
    let (id, secret) = sim.client_credentials().expect("credentials");
    let out = tempfile::tempdir().expect("an output folder");
    let mut args = vec![
        "collect".to_owned(),
        "--json".to_owned(),
        "--out".to_owned(),
        out.path().display().to_string(),
    ];
    args.extend(region_args(&sim));
    let started = Instant::now();
    let output = run(
        &args,
        &[("JC_CLIENT_ID", id), ("JC_CLIENT_SECRET", secret)],
        None,
    );
    let took = started.elapsed();
    assert_eq!(
        output.status.code(),
        Some(0),
        "every category is complete: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = json(&output);
    assert_eq!(
        value["categories"]["users"]["status"], "complete",
        "{value}"
    );
    assert_eq!(
        value["categories"]["users"]["collected"].as_u64(),
        Some(users as u64),
        "no user is lost to an expired token"
    );
    let lifetime = 2.0;
    let bound = (took.as_secs_f64() / lifetime).ceil() as usize + 2;
    let asked = sim.token_requests();
    assert!(
        took > Duration::from_secs(2),
        "the collection outlives one token ({took:?}), so renewal is exercised"
    );
    assert!(asked >= 2, "a token was renewed mid-way: {asked}");
    assert!(
        asked <= bound,
        "{asked} token requests over {took:?}; at most {bound}"
    );
    eprintln!("short-token collection: {took:?}, {asked} token requests (bound {bound})");
    assert_no_secret(&output, "collect");
    for entry in walk(out.path()) {
        let bytes = std::fs::read(&entry).expect("an export file reads");
        let text = String::from_utf8_lossy(&bytes);
        assert!(
            !text.contains("CANARY") && !text.contains(secret),
            "{} holds the secret",
            entry.display()
        );
        assert!(!text.contains("jct"), "{} holds a token", entry.display());
    }
    sim.shutdown().await;
}

fn walk(dir: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("the folder lists").flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn the_sims_first_line_is_enough_to_connect_with_a_service_account() {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(BIN)
        .args(["sim", "--scenario", "service-account-eu", "--users", "3"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("spawn the simulator");
    let mut first = String::new();
    BufReader::new(child.stdout.take().expect("stdout"))
        .read_line(&mut first)
        .expect("first line");
    let line: Value = serde_json::from_str(&first).expect("the first line is one JSON object");
    let text = |key: &str| {
        line[key]
            .as_str()
            .unwrap_or_else(|| panic!("{key} is given: {line}"))
            .to_owned()
    };
    let (id, secret) = (text("client_id"), text("client_secret"));
    assert!(
        text("api_key").starts_with("jcs_"),
        "the account's own key: {line}"
    );
    let mut args = vec!["check".to_owned(), "--json".to_owned()];
    for region in ["us", "eu", "in"] {
        let url = line["regions"][region].as_str().expect("a region's root");
        args.extend(["--region-url".to_owned(), format!("{region}={url}")]);
    }
    let output = run(
        &args,
        &[("JC_CLIENT_ID", &id), ("JC_CLIENT_SECRET", &secret)],
        None,
    );
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let value = json(&output);
    assert_eq!(value["region"], "eu", "found at the EU token host");
    assert_eq!(value["auth"], "client_credentials");
    let printed = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!printed.contains(&secret), "the secret is never printed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn doctor_takes_client_credentials_and_its_bundle_never_holds_the_secret() {
    let sim = sim(Scenario::ServiceAccountNoSaScope).await;
    let (id, secret) = sim.client_credentials().expect("credentials");
    let dir = tempfile::tempdir().expect("a folder");
    let bundle = dir.path().join("support.json");
    let mut args = vec![
        "doctor".to_owned(),
        "--json".to_owned(),
        "--bundle".to_owned(),
        bundle.display().to_string(),
    ];
    args.extend(region_args(&sim));
    let output = run(
        &args,
        &[("JC_CLIENT_ID", id), ("JC_CLIENT_SECRET", secret)],
        None,
    );
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let said = String::from_utf8_lossy(&output.stdout);
    assert!(
        said.contains("sa.no_service_account_scope"),
        "the cause is named: {said}"
    );
    assert_no_secret(&output, "doctor");
    let written = std::fs::read_to_string(&bundle).expect("the bundle is written");
    assert!(
        !written.contains("CANARY") && !written.contains("jct"),
        "no secret or token in the bundle"
    );
    sim.shutdown().await;
}
