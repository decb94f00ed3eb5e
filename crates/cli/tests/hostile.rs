//! The real `jc-onboard` binary against hostile servers on loopback (`jc_sim::hostile`), a
//! fake proxy, and hostile local input: what it prints, where its traffic goes, what it reads.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use jc_sim::hostile::{Answer, Hostile, HttpRequest, Reply};
use jc_sim::{Scenario, SimConfig, Sizes};
use serde_json::{json, Value};

mod common;
use common::{canary_sim_with as sim, everything, BIN, CANARY};

/// Clears the screen, homes the cursor, and sets the window title.
const HOSTILE_TEXT: &str = "\u{1b}[2J\u{1b}[H ALL CHECKS PASSED \u{1b}]0;pwned\u{7}\u{202e}";

async fn hostile(script: impl Fn(&HttpRequest) -> Answer + Send + Sync + 'static) -> Hostile {
    Hostile::start(script)
        .await
        .expect("the hostile server listens on loopback")
}

fn jc_onboard(args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(args)
        .env_remove("JC_API_KEY")
        .env_remove("HTTP_PROXY")
        .env_remove("HTTPS_PROXY")
        .env_remove("ALL_PROXY")
        .env_remove("http_proxy")
        .env_remove("https_proxy")
        .env_remove("all_proxy")
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .env("JC_API_KEY", CANARY)
        .env("JC_ONBOARD_LOG", "debug");
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().expect("jc-onboard runs")
}

/// No key, no part of it, and no terminal control in anything printed.
fn assert_clean(output: &Output, context: &str) {
    let text = everything(output);
    assert!(!text.contains(CANARY), "{context}: the key was printed");
    assert!(
        !text.contains(&CANARY[4..20]),
        "{context}: part of the key was printed"
    );
    let raw = [&output.stdout[..], &output.stderr[..]].concat();
    assert!(
        !raw.contains(&0x1b),
        "{context}: an escape byte reached the terminal: {text:?}"
    );
    assert!(
        !text.contains("\\u001b") && !text.contains('\u{202e}') && !text.contains('\u{7}'),
        "{context}: a control character reached the output, even escaped: {text:?}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn server_text_is_printed_without_the_key_or_terminal_controls() {
    let sim = sim(SimConfig::scenario(Scenario::Healthy)).await;
    let upstream: std::net::SocketAddr = sim
        .base_url()
        .trim_start_matches("http://")
        .parse()
        .expect("the sim listens on an address");
    let org_id = sim.org_id().to_owned();
    let front = hostile(move |request| match request.path() {
        // The organization's name is a trap.
        "/api/organizations" => Answer::Reply(Reply::json(
            200,
            &json!({"totalCount": 1, "results": [{"_id": org_id, "id": org_id,
                "displayName": format!("Acme{HOSTILE_TEXT}")}]}),
        )),
        // An error that echoes the key back, with escape sequences.
        "/api/settings" => {
            let echoed = request.header("x-api-key").unwrap_or_default().to_owned();
            Answer::Reply(Reply::json(
                400,
                &json!({"message": format!("bad key {echoed}{HOSTILE_TEXT} x-api-key: {echoed}")}),
            ))
        }
        // A refusal that quotes the key inside a web page.
        "/api/systems" => Answer::Reply(Reply::bytes(
            400,
            "text/html",
            format!("<html><h1>refused {CANARY}</h1>{HOSTILE_TEXT}</html>"),
        )),
        _ => Answer::Forward(upstream),
    })
    .await;
    let base = front.url();
    for json_output in [false, true] {
        let mut args = vec!["check", "--base-url", base.as_str()];
        if json_output {
            args.push("--json");
        }
        let output = jc_onboard(&args, &[]);
        let context = format!("check (json: {json_output})");
        assert_clean(&output, &context);
        assert!(
            everything(&output).contains("Acme"),
            "{context}: the organization is still named: {}",
            everything(&output)
        );
        if json_output {
            let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
            assert_eq!(report["org"]["name"], "Acme ALL CHECKS PASSED", "{report}");
        }
    }
    let out = tempfile::tempdir().expect("a temporary folder");
    let folder = out.path().join("snapshot");
    let folder_arg = folder.display().to_string();
    let collected = jc_onboard(
        &[
            "collect",
            "--base-url",
            base.as_str(),
            "--out",
            folder_arg.as_str(),
            "--categories",
            "organizations,devices",
        ],
        &[],
    );
    assert_clean(&collected, "collect");
    let printed = everything(&collected);
    assert!(
        printed.contains("Collected Acme ALL CHECKS PASSED") && printed.contains("[redacted key]"),
        "the summary names the org and shows where the key was removed: {printed}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_bundle_is_shown_without_controls_or_keys() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let path = dir.path().join("bundle.json");
    let bundle = json!({
        "schema": "jc-onboard-bundle/1",
        "app_version": format!("1.0{HOSTILE_TEXT}"),
        "os": "linux",
        "created_at": "2026-01-01T00:00:00Z",
        "ok": true,
        "checks": [{"id": "key.accepted", "title": format!("Key{HOSTILE_TEXT}"), "mandatory": true,
                    "state": "pass", "message": format!("accepted {CANARY}{HOSTILE_TEXT}"), "fix": null}],
        "requests": [{"method": "GET", "route": format!("/api/x{HOSTILE_TEXT}"), "status": 200,
                      "latency_ms": 1, "outcome": "ok"}]
    });
    std::fs::write(&path, bundle.to_string()).expect("the bundle is written");
    let shown = path.display().to_string();
    let output = jc_onboard(&["bundle", "inspect", shown.as_str()], &[]);
    assert_eq!(output.status.code(), Some(0), "{}", everything(&output));
    assert_clean(&output, "bundle inspect");
    assert!(
        everything(&output).contains("ALL CHECKS PASSED"),
        "text is kept, controls dropped"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn loopback_traffic_never_goes_through_a_proxy() {
    let proxy =
        hostile(|_| Answer::Reply(Reply::bytes(502, "text/html", "<html>proxy error</html>")))
            .await;
    let sim = sim(SimConfig::scenario(Scenario::Healthy)).await;
    let proxy_url = proxy.url();
    let base = sim.base_url();
    for variable in ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "HTTPS_PROXY"] {
        let output = jc_onboard(
            &["check", "--base-url", base.as_str(), "--json"],
            &[(variable, proxy_url.as_str())],
        );
        assert_eq!(
            output.status.code(),
            Some(0),
            "{variable}: the demo works with a proxy set: {}",
            everything(&output)
        );
    }
    assert!(
        proxy.requests().is_empty(),
        "no loopback request (and so no key) went to the proxy: {:?}",
        proxy.requests()
    );
    assert!(
        !sim.requests().is_empty(),
        "the simulator was asked directly"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_proxys_own_error_is_not_reaching_jumpcloud() {
    let proxy = hostile(|request| match request.method.as_str() {
        "CONNECT" => Answer::Reply(Reply::status(502)),
        _ => Answer::Reply(Reply::bytes(
            502,
            "text/html",
            "<html>Bad Gateway (proxy)</html>",
        )),
    })
    .await;
    let proxy_url = proxy.url();
    for (base, variable) in [
        ("http://jumpcloud.invalid", "HTTP_PROXY"),
        ("https://jumpcloud.invalid", "HTTPS_PROXY"),
    ] {
        let output = jc_onboard(
            &["check", "--base-url", base, "--json", "--timeout", "5"],
            &[(variable, proxy_url.as_str())],
        );
        let report: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{base}: JSON ({e}): {}", everything(&output)));
        let reach = report["checks"]
            .as_array()
            .and_then(|c| c.iter().find(|c| c["id"] == "network.reach"))
            .cloned()
            .expect("network.reach is reported");
        assert_eq!(
            reach["state"], "fail",
            "{base}: a proxy's 502 is not JumpCloud: {reach}"
        );
        assert_eq!(reach["detail"][0]["outcome"], "proxy", "{base}: {reach}");
        assert_eq!(output.status.code(), Some(1), "{base}");
    }
    assert!(
        !proxy.requests().is_empty(),
        "the requests went to the proxy"
    );
    assert!(
        proxy
            .requests()
            .iter()
            .all(|r| r.header("x-api-key").is_none()),
        "the key was never sent: reach goes first, without it"
    );
}

#[cfg(unix)]
fn mkfifo(path: &Path) {
    let made = Command::new("mkfifo")
        .arg(path)
        .status()
        .expect("mkfifo runs");
    assert!(made.success(), "a FIFO is made");
}

/// Runs `jc-onboard` with `stdin` and a deadline; a hang fails the test instead of stalling it.
fn run_with_stdin(args: &[&str], stdin: Stdio, deadline: Duration) -> (Output, Duration) {
    let started = Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("JC_API_KEY")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jc-onboard starts");
    while child.try_wait().expect("the child can be polled").is_none() {
        if started.elapsed() > deadline {
            let _ = child.kill();
            panic!("jc-onboard {args:?} hung for more than {deadline:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let output = child.wait_with_output().expect("its output");
    (output, started.elapsed())
}

#[cfg(unix)]
#[test]
fn endless_or_silent_local_input_ends_promptly_with_exit_2() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let deadline = Duration::from_secs(20);
    let check = ["check", "--key-stdin", "--base-url", "http://127.0.0.1:9"];

    let zero = std::fs::File::open("/dev/zero").expect("/dev/zero");
    let (output, took) = run_with_stdin(&check, Stdio::from(zero), deadline);
    assert_eq!(output.status.code(), Some(2), "{}", everything(&output));
    assert!(
        everything(&output).contains("more than 4096 bytes"),
        "{}",
        everything(&output)
    );
    assert!(
        took < Duration::from_secs(5),
        "/dev/zero is not read to the end: {took:?}"
    );

    // A writer that never writes or closes: the read gives up after its timeout.
    let fifo = dir.path().join("key.fifo");
    mkfifo(&fifo);
    let silent = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&fifo)
        .expect("the FIFO opens without blocking when read and write");
    let (output, took) = run_with_stdin(&check, Stdio::from(silent), deadline);
    assert_eq!(output.status.code(), Some(2), "{}", everything(&output));
    assert!(
        everything(&output).contains("no key arrived"),
        "{}",
        everything(&output)
    );
    assert!(took < Duration::from_secs(15), "{took:?}");

    let bundle_fifo = dir.path().join("bundle.fifo");
    mkfifo(&bundle_fifo);
    let big = dir.path().join("big.json");
    std::fs::File::create(&big)
        .and_then(|f| f.set_len(17 * 1024 * 1024))
        .expect("a sparse 17 MB file");
    for (file, says) in [
        (Path::new("/dev/zero"), "not a regular file"),
        (bundle_fifo.as_path(), "not a regular file"),
        (dir.path(), "not a regular file"),
        (big.as_path(), "larger than 16 MB"),
    ] {
        let shown = file.display().to_string();
        let (output, took) = run_with_stdin(
            &["bundle", "inspect", shown.as_str()],
            Stdio::null(),
            deadline,
        );
        assert_eq!(
            output.status.code(),
            Some(2),
            "{shown}: {}",
            everything(&output)
        );
        assert!(
            everything(&output).contains(says),
            "{shown}: {}",
            everything(&output)
        );
        assert!(
            took < Duration::from_secs(5),
            "{shown} ended promptly: {took:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn collect_rides_out_a_rate_limit_and_a_cut_off_answer_in_its_checks() {
    let small = Sizes {
        users: 30,
        groups: 2,
        apps: 2,
        devices: 3,
        policies: 1,
    };
    for (scenario, rate) in [
        (Scenario::RateLimited, Some(10)),
        (Scenario::TruncatedJson, None),
    ] {
        let sim = sim(SimConfig {
            sizes: small,
            rate_limit_per_sec: rate,
            ..SimConfig::scenario(scenario)
        })
        .await;
        let dir = tempfile::tempdir().expect("a temporary folder");
        let out = dir.path().join("snapshot");
        let out_arg = out.display().to_string();
        let base = sim.base_url();
        let output = jc_onboard(
            &[
                "collect",
                "--base-url",
                base.as_str(),
                "--out",
                out_arg.as_str(),
                "--json",
            ],
            &[],
        );
        let text = everything(&output);
        assert!(
            !text.contains("connection checks failed"),
            "{scenario}: a transient answer does not stop the collection: {text}"
        );
        let summary: Value = serde_json::from_slice(&output.stdout)
            .unwrap_or_else(|e| panic!("{scenario}: one JSON object ({e}): {text}"));
        assert!(
            out.join("snapshot.json").is_file(),
            "{scenario}: the export is written"
        );
        let users = &summary["categories"]["users"];
        match scenario {
            Scenario::RateLimited => {
                assert_eq!(output.status.code(), Some(0), "{scenario}: {text}");
                assert_eq!(users["status"], "complete", "{summary}");
            }
            _ => {
                // Every answer for the first page of users is cut off: that category says so,
                // and everything else is collected.
                assert_eq!(users["status"], "failed", "{summary}");
                assert!(
                    users["reason"]
                        .as_str()
                        .is_some_and(|r| r.contains("cut short")),
                    "{summary}"
                );
                assert_eq!(
                    summary["categories"]["user_groups"]["status"], "complete",
                    "{summary}"
                );
            }
        }
        assert_clean(&output, &scenario.to_string());
        sim.shutdown().await;
    }
}

#[test]
fn a_key_on_stdin_is_still_read_when_it_is_small() {
    // The bounded read still takes an ordinary piped key (with its newline).
    let mut child = Command::new(BIN)
        .args([
            "check",
            "--key-stdin",
            "--base-url",
            "http://127.0.0.1:9",
            "--json",
            "--timeout",
            "1",
        ])
        .env_remove("JC_API_KEY")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("jc-onboard starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(format!("{CANARY}\n").as_bytes())
        .expect("the key is piped in");
    let output = child.wait_with_output().expect("its output");
    let report: Value = serde_json::from_slice(&output.stdout).expect("one JSON object");
    let shape = report["checks"]
        .as_array()
        .and_then(|c| c.iter().find(|c| c["id"] == "key.shape"))
        .cloned()
        .expect("key.shape");
    assert_eq!(shape["state"], "pass", "{report}");
}
