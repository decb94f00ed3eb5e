//! `jc-onboard handover`: the platform's fields in its order after the checks, the key never
//! printed (a canary key, trace logging on), input errors caught before anything is sent.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use jc_sim::{RunningSim, Scenario};
use serde_json::Value;

mod common;
use common::{canary_sim, everything, BIN, CANARY};

/// `jc-onboard handover ARGS` against every region of `sim`, the canary key in JC_API_KEY (or
/// piped in with --key-stdin).
fn handover(sim: &RunningSim, args: &[&str]) -> Output {
    let mut command = Command::new(BIN);
    command.arg("handover").args(args);
    for region in jc_sim::Region::ALL {
        command.arg(format!("--region-url={region}={}", sim.region_url(region)));
    }
    command
        .env("JC_ONBOARD_LOG", "trace")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let piped = args.contains(&"--key-stdin");
    if piped {
        command.env_remove("JC_API_KEY");
    } else {
        command.env("JC_API_KEY", CANARY);
    }
    let mut child = command.spawn().expect("jc-onboard runs");
    if let Some(mut stdin) = child.stdin.take() {
        if piped {
            stdin
                .write_all(CANARY.as_bytes())
                .expect("the key is piped in");
        }
    }
    child.wait_with_output().expect("jc-onboard finishes")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn assert_exit(output: &Output, code: i32, what: &str) {
    assert_eq!(
        output.status.code(),
        Some(code),
        "{what}: stdout {}\nstderr {}",
        stdout(output),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn assert_no_key(output: &Output, what: &str) {
    common::assert_no_canary(&everything(output), what);
}

/// Where each of `needles` first appears in `haystack`, in order, or a panic naming the one missing.
fn positions(haystack: &str, needles: &[&str]) -> Vec<usize> {
    needles
        .iter()
        .map(|n| {
            haystack
                .find(n)
                .unwrap_or_else(|| panic!("{n:?} is printed:\n{haystack}"))
        })
        .collect()
}

#[test]
fn list_names_every_platform_and_needs_no_key() {
    let output = Command::new(BIN)
        .args(["handover", "--platform", "list"])
        .env_remove("JC_API_KEY")
        .output()
        .expect("jc-onboard runs");
    assert_exit(&output, 0, "--platform list");
    let ids: Vec<String> = stdout(&output)
        .lines()
        .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
        .collect();
    assert_eq!(
        ids,
        [
            "axiom-security",
            "authomize",
            "controlmap",
            "apono",
            "scytale",
            "other"
        ],
        "one line per platform, by the id --platform takes"
    );
    let json = Command::new(BIN)
        .args(["handover", "--platform", "list", "--json"])
        .env_remove("JC_API_KEY")
        .output()
        .expect("jc-onboard runs");
    let list: Value = serde_json::from_slice(&json.stdout).expect("--json prints JSON");
    assert_eq!(list.as_array().map(Vec::len), Some(6));
    assert_eq!(list[1]["fields"][3]["label"], "Application Owner's email");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn authomize_gets_its_fields_in_order_and_never_the_key() {
    let sim = canary_sim(Scenario::Healthy).await;
    let owner = [
        "--platform",
        "authomize",
        "--owner-email",
        "it.owner@acme.example.com",
    ];

    let human = handover(&sim, &owner);
    assert_exit(&human, 0, "a working connection");
    assert_no_key(&human, "human output");
    let text = stdout(&human);
    let order = positions(
        &text,
        &[
            "Passed  Access is read-only",
            "Hand-over to Authomize",
            "1. Username",
            "2. API key",
            "3. Integration Name",
            "4. Application Owner's email",
        ],
    );
    assert!(
        order.windows(2).all(|w| w[0] < w[1]),
        "checks first, then Authomize's order:\n{text}"
    );
    for expected in [
        "onboarding@acme.example.com",
        "(not shown) copy the key you tested (JC_API_KEY)",
        "it.owner@acme.example.com",
        "Not used: LDAP servers (1). Authomize's guide: LDAP applications are currently not supported.",
    ] {
        assert!(text.contains(expected), "{expected:?} is printed:\n{text}");
    }

    let json = handover(&sim, &[&owner[..], &["--json"]].concat());
    assert_exit(&json, 0, "--json");
    assert_no_key(&json, "--json");
    let value: Value = serde_json::from_slice(&json.stdout).expect("one JSON object");
    assert_eq!(value["ok"], true);
    assert_eq!(value["report"]["org"]["id"], sim.org_id());
    let fields = value["handover"]["fields"].as_array().expect("fields");
    assert_eq!(
        fields[1]["value"]["kind"], "secret",
        "the key field holds no key"
    );
    assert_eq!(
        fields[2]["value"]["text"], "Connection 1",
        "the default name"
    );
    assert!(value["ticket_note"]
        .as_str()
        .is_some_and(|n| n.contains("Integration Name: Connection 1")));

    let ticket = handover(&sim, &[&owner[..], &["--ticket"]].concat());
    assert_exit(&ticket, 0, "--ticket");
    assert_no_key(&ticket, "--ticket");
    assert!(
        stdout(&ticket).starts_with("JumpCloud hand-over to Authomize"),
        "--ticket prints only the note: {}",
        stdout(&ticket)
    );

    let piped = handover(&sim, &[&owner[..], &["--key-stdin"]].concat());
    assert_exit(&piped, 0, "--key-stdin");
    assert_no_key(&piped, "--key-stdin");
    assert!(stdout(&piped).contains("copy the key you tested (the one piped to standard input)"));
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn apono_warns_when_the_manager_field_holds_names() {
    let sim = canary_sim(Scenario::ManagerNames).await;
    let output = handover(
        &sim,
        &["--platform", "apono", "--manager-field", "managerName"],
    );
    assert_exit(&output, 0, "a warning does not fail the hand-over");
    assert_no_key(&output, "apono");
    let text = stdout(&output);
    assert!(text.contains("WARN Custom Manager Field Name:"), "{text}");
    let examples = text
        .lines()
        .find(|l| l.trim_start().starts_with("For example:"))
        .unwrap_or_else(|| panic!("examples are printed:\n{text}"));
    assert_eq!(
        examples.matches('"').count(),
        6,
        "three quoted examples: {examples}"
    );

    let emails = handover(
        &sim,
        &["--platform", "apono", "--manager-field", "managerEmail"],
    );
    assert!(
        !stdout(&emails).contains("WARN"),
        "emails pass: {}",
        stdout(&emails)
    );
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn input_errors_exit_2_before_anything_is_sent() {
    let sim = canary_sim(Scenario::Healthy).await;
    let unknown = handover(&sim, &["--platform", "okta"]);
    assert_exit(&unknown, 2, "an unknown platform");
    assert!(String::from_utf8_lossy(&unknown.stderr).contains("axiom-security, authomize"));

    let not_an_email = handover(
        &sim,
        &["--platform", "authomize", "--owner-email", "Grace Hopper"],
    );
    assert_exit(&not_an_email, 2, "an owner email that is not an email");
    assert!(String::from_utf8_lossy(&not_an_email.stderr).contains("is not an email address"));
    assert!(
        sim.requests().is_empty(),
        "nothing reached JumpCloud: {:?}",
        sim.requests()
    );
    assert_no_key(&not_an_email, "input errors");
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_connection_that_fails_its_checks_gets_no_handover() {
    let sim = canary_sim(Scenario::CommandRunner).await;
    let human = handover(&sim, &["--platform", "scytale"]);
    assert_exit(&human, 1, "a Command Runner key fails its checks");
    assert!(String::from_utf8_lossy(&human.stderr).contains("No hand-over"));
    assert!(!stdout(&human).contains("Hand-over to"));
    let json = handover(&sim, &["--platform", "scytale", "--json"]);
    assert_exit(&json, 1, "--json");
    let value: Value = serde_json::from_slice(&json.stdout).expect("one JSON object");
    assert_eq!(
        (value["ok"].clone(), value["handover"].clone()),
        (Value::Bool(false), Value::Null)
    );
    assert_no_key(&json, "failed --json");
    sim.shutdown().await;
}
