//! Collection benchmark (not a timed test): a full collection (every category, with every
//! sub-list: members, associations, bindings, policy results, logos) from jc-sim with a set
//! latency and rate limit, by the adaptive collector and by a sequential pager (the same
//! collector allowed one request in flight), each run in a child process so its peak RSS is
//! its own.
//!
//! ```text
//! cargo run --release -p onboard --example collect_bench -- --users 10000,100000 \
//!     --latency-ms 20 --rate 250
//! ```
//!
//! `--modes adaptive` leaves out the sequential run (about 40 minutes at 100,000 users).
//!
//! The org: N users and N devices, 200 user groups, 50 applications, 20 policies.
//!
//! Lower bound. Each page (and logo) needs one request the server admits. The simulator's
//! token bucket admits a first burst of `rate` requests, then `rate` a second, and every
//! answer takes `latency`; requests that depend on each other (a list's first page, then a
//! sub-list beneath one of its records) follow one another. So no client finishes sooner than
//!
//! ```text
//! max((admitted - rate) / rate + latency, chain x latency)
//! ```
//!
//! where `admitted` is the number of requests the simulator answered other than with 429 in
//! that run (the pages and logos it fetched) and `chain` = 2, the shortest such dependency
//! (deeper paging only adds to it).

use std::io::Write;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use jc_api::{ApiKey, BaseUrl, ClientBuilder, OrgId, RetryPolicy};
use jc_sim::{RunningSim, Scenario, SimConfig, Sizes};
use onboard::collect::{collect, CancelToken, CollectOptions, MAX_IN_FLIGHT};

/// Requests that must follow one another: a list's first page, then a sub-list beneath it.
const CHAIN: f64 = 2.0;

#[derive(Debug, Clone)]
struct Settings {
    users: Vec<usize>,
    latency_ms: u64,
    rate: u32,
    modes: Vec<String>,
}

const MODES: [&str; 2] = ["adaptive", "sequential"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("could not start tokio: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = if args.first().map(String::as_str) == Some("--child") {
        runtime.block_on(child(&args[1..]))
    } else {
        match parse(&args) {
            Ok(settings) => runtime.block_on(parent(settings)),
            Err(e) => Err(e),
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("collect_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<Settings, String> {
    let mut settings = Settings {
        users: vec![10_000, 100_000],
        latency_ms: 20,
        rate: 250,
        modes: MODES.map(str::to_owned).to_vec(),
    };
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |e: std::num::ParseIntError| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--users" => {
                settings.users = value
                    .split(',')
                    .map(|n| n.trim().parse::<usize>())
                    .collect::<Result<_, _>>()
                    .map_err(bad)?
            }
            "--latency-ms" => settings.latency_ms = value.parse().map_err(bad)?,
            "--rate" => settings.rate = value.parse().map_err(bad)?,
            "--modes" => {
                settings.modes = value.split(',').map(|m| m.trim().to_owned()).collect();
                if let Some(unknown) = settings.modes.iter().find(|m| !MODES.contains(&m.as_str()))
                {
                    return Err(format!("--modes: {unknown} is not one of {MODES:?}"));
                }
            }
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(settings)
}

async fn parent(settings: Settings) -> Result<(), String> {
    let latency = settings.latency_ms as f64 / 1000.0;
    let rate = f64::from(settings.rate.max(1));
    println!(
        "latency {} ms, rate limit {} req/s (burst {}); every category",
        settings.latency_ms, settings.rate, settings.rate
    );
    println!(
        "bound = max((admitted - rate) / rate + latency, {CHAIN} x latency); admitted = requests not answered 429"
    );
    println!(
        "{:>7} {:>10} {:>9} {:>9} {:>6} {:>8} {:>8} {:>6} {:>7} {:>5} {:>10} {:>8}",
        "users",
        "mode",
        "requests",
        "admitted",
        "429s",
        "wall s",
        "bound s",
        "ratio",
        "RSS MB",
        "peak",
        "collected",
        "vs adapt"
    );
    for users in &settings.users {
        let sim = RunningSim::start(SimConfig {
            sizes: Sizes {
                users: *users,
                devices: *users,
                groups: 200,
                apps: 50,
                policies: 20,
            },
            latency: Duration::from_millis(settings.latency_ms),
            rate_limit_per_sec: Some(settings.rate),
            ..SimConfig::scenario(Scenario::Healthy)
        })
        .await
        .map_err(|e| format!("the sim did not start: {e}"))?;
        let mut adaptive_wall = None;
        for mode in settings.modes.iter().map(String::as_str) {
            // Let the rate limiter's bucket refill between runs.
            tokio::time::sleep(Duration::from_secs(2)).await;
            sim.clear_requests();
            let run = run_child(&sim, mode)?;
            let requests = sim.requests();
            let throttled = requests.iter().filter(|r| r.status == 429).count();
            let admitted = requests.len() - throttled;
            let bound = ((admitted as f64 - rate) / rate + latency).max(CHAIN * latency);
            let versus = match (mode, adaptive_wall) {
                ("sequential", Some(a)) => format!("{:.1}x", run.wall / a),
                _ => String::new(),
            };
            if mode == "adaptive" {
                adaptive_wall = Some(run.wall);
            }
            println!(
                "{:>7} {:>10} {:>9} {:>9} {:>6} {:>8.1} {:>8.1} {:>5.2}x {:>7.1} {:>5} {:>10} {:>8}",
                users,
                mode,
                requests.len(),
                admitted,
                throttled,
                run.wall,
                bound,
                run.wall / bound,
                run.rss_kb as f64 / 1024.0,
                run.peak_in_flight,
                run.collected,
                versus
            );
            let _ = std::io::stdout().flush();
        }
        sim.shutdown().await;
    }
    Ok(())
}

struct ChildRun {
    wall: f64,
    rss_kb: u64,
    collected: u64,
    peak_in_flight: u64,
}

fn run_child(sim: &RunningSim, mode: &str) -> Result<ChildRun, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    let output = Command::new(exe)
        .args(["--child", mode, &sim.base_url(), sim.org_id()])
        .env("JC_API_KEY", sim.api_key())
        .output()
        .map_err(|e| format!("the child did not run: {e}"))?;
    let text = String::from_utf8_lossy(&output.stdout);
    let line = text.lines().last().unwrap_or_default();
    let value: serde_json::Value = serde_json::from_str(line).map_err(|e| {
        format!(
            "the child said {line:?} ({e}); stderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    })?;
    Ok(ChildRun {
        wall: value["wall_s"].as_f64().unwrap_or_default(),
        rss_kb: value["vmhwm_kb"].as_u64().unwrap_or_default(),
        collected: value["collected"].as_u64().unwrap_or_default(),
        peak_in_flight: value["peak_in_flight"].as_u64().unwrap_or_default(),
    })
}

async fn child(args: &[String]) -> Result<(), String> {
    let [mode, base, org] = args else {
        return Err("child arguments: MODE BASE_URL ORG_ID".into());
    };
    let key = std::env::var("JC_API_KEY").map_err(|_| "JC_API_KEY is not set".to_owned())?;
    let client = ClientBuilder::new(
        ApiKey::parse(&key).map_err(|e| e.to_string())?,
        BaseUrl::parse(base).map_err(|e| e.to_string())?,
    )
    .org(OrgId::parse(org).ok())
    .retry(RetryPolicy::standard())
    .build()
    .map_err(|e| e.to_string())?;
    let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
    let max_in_flight = match mode.as_str() {
        "sequential" => 1,
        _ => MAX_IN_FLIGHT,
    };
    let options = CollectOptions {
        max_in_flight,
        ..CollectOptions::new(dir.path())
    };
    let started = Instant::now();
    let summary = collect(&client, &options, &CancelToken::new(), &|_| {})
        .await
        .map_err(|e| e.to_string())?;
    let wall = started.elapsed().as_secs_f64();
    let collected: u64 = summary.categories.iter().map(|c| c.collected).sum();
    println!(
        "{}",
        serde_json::json!({"wall_s": wall, "vmhwm_kb": peak_rss_kb(), "collected": collected, "peak_in_flight": summary.peak_in_flight})
    );
    Ok(())
}

/// Peak resident set size of this process (Linux `VmHWM`), in KiB; 0 elsewhere.
fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}
