//! Collection benchmark (not a timed test): collects users and devices from jc-sim with a set
//! latency and rate limit, with the adaptive collector and with a naive sequential pager, each
//! run in a child process so its peak RSS is its own.
//!
//! ```text
//! cargo run --release -p onboard --example collect_bench -- --users 1000,10000,100000 \
//!     --latency-ms 20 --rate 50
//! ```
//!
//! Lower bound: a perfect client needs `pages` requests (ceil(n/100) per list, at least one).
//! The limit allows `rate × latency` requests in flight (at least one), so the lower bound is
//! `pages × latency / max(1, rate × latency)` = max(pages × latency, pages / rate).

use std::io::Write;
use std::process::{Command, ExitCode};
use std::time::{Duration, Instant};

use jc_api::calls::Call;
use jc_api::endpoints::{ListSystemUsers, ListSystems};
use jc_api::{ApiKey, BaseUrl, Client, ClientBuilder, ListEndpoint, OrgId, RetryPolicy};
use jc_sim::{RunningSim, Scenario, SimConfig, Sizes};
use onboard::collect::{
    collect, CancelToken, Category, CollectOptions, DEVICE_FIELDS, USER_FIELDS,
};

#[derive(Debug, Clone)]
struct Settings {
    users: Vec<usize>,
    latency_ms: u64,
    rate: u32,
}

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
        users: vec![1000, 10_000, 100_000],
        latency_ms: 20,
        rate: 50,
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
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok(settings)
}

async fn parent(settings: Settings) -> Result<(), String> {
    let latency = settings.latency_ms as f64 / 1000.0;
    let allowed = (f64::from(settings.rate) * latency).max(1.0);
    println!(
        "latency {} ms, rate limit {} req/s: the limit allows {allowed:.2} requests in flight",
        settings.latency_ms, settings.rate
    );
    println!("lower bound = pages x latency / max(1, rate x latency); pages = ceil(n/100) per list (users, devices)");
    println!(
        "{:>7} {:>9} {:>6} {:>9} {:>9} {:>6} {:>9} {:>9} {:>9} {:>6} {:>9} {:>8}",
        "users",
        "mode",
        "pages",
        "requests",
        "429s",
        "wall s",
        "bound s",
        "ratio",
        "RSS MB",
        "peak",
        "collected",
        "speedup"
    );
    for users in &settings.users {
        let sim = RunningSim::start(SimConfig {
            sizes: Sizes {
                users: *users,
                devices: *users,
                ..Sizes::default()
            },
            latency: Duration::from_millis(settings.latency_ms),
            rate_limit_per_sec: Some(settings.rate),
            ..SimConfig::scenario(Scenario::Healthy)
        })
        .await
        .map_err(|e| format!("the sim did not start: {e}"))?;
        let pages = 2 * users.div_ceil(100).max(1);
        let bound = pages as f64 * latency / allowed;
        let mut adaptive_wall = None;
        for mode in ["adaptive", "naive"] {
            // Let the rate limiter's bucket refill between runs.
            tokio::time::sleep(Duration::from_secs(1)).await;
            sim.clear_requests();
            let run = run_child(&sim, mode)?;
            let requests = sim.requests();
            let throttled = requests.iter().filter(|r| r.status == 429).count();
            let speedup = match (mode, adaptive_wall) {
                ("naive", Some(a)) => format!("{:.1}x", run.wall / a),
                _ => String::new(),
            };
            if mode == "adaptive" {
                adaptive_wall = Some(run.wall);
            }
            println!(
                "{:>7} {:>9} {:>6} {:>9} {:>9} {:>6.1} {:>9.1} {:>9.2} {:>9.1} {:>6} {:>9} {:>8}",
                users,
                mode,
                pages,
                requests.len(),
                throttled,
                run.wall,
                bound,
                run.wall / bound,
                run.rss_kb as f64 / 1024.0,
                run.peak_in_flight,
                run.collected,
                speedup
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
    let started = Instant::now();
    let (collected, peak) = match mode.as_str() {
        "adaptive" => {
            let options = CollectOptions {
                categories: vec![Category::Users, Category::Devices],
                ..CollectOptions::new(dir.path())
            };
            let summary = collect(&client, &options, &CancelToken::new(), &|_| {})
                .await
                .map_err(|e| e.to_string())?;
            let collected = summary.categories.iter().map(|c| c.collected).sum();
            (collected, summary.peak_in_flight as u64)
        }
        _ => {
            let users = naive(
                &client,
                Fields(ListSystemUsers, USER_FIELDS),
                dir.path().join("u.jsonl"),
            )
            .await?;
            let devices = naive(
                &client,
                Fields(ListSystems, DEVICE_FIELDS),
                dir.path().join("d.jsonl"),
            )
            .await?;
            (users + devices, 1)
        }
    };
    let wall = started.elapsed().as_secs_f64();
    println!(
        "{}",
        serde_json::json!({"wall_s": wall, "vmhwm_kb": peak_rss_kb(), "collected": collected, "peak_in_flight": peak})
    );
    Ok(())
}

/// A list route with `fields=`, as the collector asks.
struct Fields<E>(E, &'static str);

impl<E: ListEndpoint> ListEndpoint for Fields<E> {
    type Item = serde_json::Value;
    const CALL: &'static Call = E::CALL;
    fn ids(&self) -> Vec<&str> {
        self.0.ids()
    }
    fn query(&self) -> Vec<(&'static str, String)> {
        vec![("fields", self.1.to_owned())]
    }
}

/// One page at a time, limit=100, each written to disk as it arrives.
async fn naive<E: ListEndpoint<Item = serde_json::Value>>(
    client: &Client,
    endpoint: E,
    path: std::path::PathBuf,
) -> Result<u64, String> {
    let mut file = std::io::BufWriter::new(std::fs::File::create(path).map_err(|e| e.to_string())?);
    let mut pager = client.pager(endpoint);
    let mut count = 0;
    while let Some(page) = pager.next_page().await.map_err(|e| e.to_string())? {
        for item in page.items {
            serde_json::to_writer(&mut file, &item).map_err(|e| e.to_string())?;
            file.write_all(b"\n").map_err(|e| e.to_string())?;
            count += 1;
        }
    }
    Ok(count)
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
