//! Test-step benchmark (not a timed test): wall time of the connection checks, as
//! `jc-onboard check` runs them, against jc-sim with a set latency on every answer, beside the
//! dependency-chain bound.
//!
//! ```text
//! cargo run --release -p onboard --example check_bench -- --latency-ms 150 --runs 5
//! ```
//!
//! Bound: the fewest round trips in a row the checks need, times the latency. In a row they are
//! network.reach (every region at once: 1), key.accepted (1 per region asked, in turn: US first,
//! so 2 for an EU org found automatically), org.selected (one page of organizations: 1), and,
//! when an organization is chosen, the checks beneath it, whose longest chain is a first record
//! and a read beneath it (a user group and its members, an application and its access: 2).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use jc_sim::{Scenario, SimConfig};
use onboard::demo::Demo;
use onboard::{CheckOptions, CheckState, Report};

struct Case {
    name: &'static str,
    scenario: Scenario,
    /// Pick the key's first organization (multi-tenant keys need one to go past org.selected).
    pick_org: bool,
}

const CASES: [Case; 4] = [
    Case {
        name: "healthy US org (auto)",
        scenario: Scenario::Healthy,
        pick_org: false,
    },
    Case {
        name: "EU org (auto-detected)",
        scenario: Scenario::EuRegion,
        pick_org: false,
    },
    Case {
        name: "multi-tenant, org picked",
        scenario: Scenario::MultiTenant,
        pick_org: true,
    },
    Case {
        name: "multi-tenant, to pick",
        scenario: Scenario::MultiTenant,
        pick_org: false,
    },
];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (latency_ms, runs) = match parse(&args) {
        Ok(settings) => settings,
        Err(e) => {
            eprintln!("check_bench: {e}");
            return ExitCode::FAILURE;
        }
    };
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
    match runtime.block_on(bench(latency_ms, runs)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("check_bench: {e}");
            ExitCode::FAILURE
        }
    }
}

fn parse(args: &[String]) -> Result<(u64, usize), String> {
    let (mut latency_ms, mut runs) = (150, 5);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or(format!("{flag} needs a value"))?;
        let bad = |e: std::num::ParseIntError| format!("{flag} {value}: {e}");
        match flag.as_str() {
            "--latency-ms" => latency_ms = value.parse().map_err(bad)?,
            "--runs" => runs = value.parse::<usize>().map_err(bad)?.max(1),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    Ok((latency_ms, runs))
}

async fn bench(latency_ms: u64, runs: usize) -> Result<(), String> {
    let latency = Duration::from_millis(latency_ms);
    println!("latency {latency_ms} ms on every answer; median of {runs} runs");
    println!(
        "{:<26} {:>7} {:>8} {:>8} {:>6} {:>6} {:>9} {:>13}",
        "case", "ok", "wall s", "bound s", "ratio", "chain", "requests", "one at a time"
    );
    for case in &CASES {
        let demo = Demo::start_with(SimConfig {
            latency,
            ..SimConfig::scenario(case.scenario)
        })
        .await
        .map_err(|e| format!("the sim did not start: {e}"))?;
        let org = case.pick_org.then(|| demo.sim().org_id().to_owned());
        let mut walls = Vec::with_capacity(runs);
        let mut last = None;
        for _ in 0..runs {
            demo.sim().clear_requests();
            let started = Instant::now();
            let report =
                onboard::run_checks(&demo.input(org.clone()), &CheckOptions::default(), |_| {})
                    .await;
            walls.push(started.elapsed().as_secs_f64());
            last = Some(report);
        }
        let report = last.ok_or("no run")?;
        let requests = demo.sim().requests().len();
        walls.sort_by(f64::total_cmp);
        let wall = walls[walls.len() / 2];
        let chain = round_trips_in_a_row(&report);
        let bound = chain as f64 * latency.as_secs_f64();
        // The checks before they ran together: every request in a row, except that the regions
        // were always reached at once.
        let regions = report.check("network.reach").map_or(1, |c| c.detail.len());
        let one_at_a_time =
            requests.saturating_sub(regions.saturating_sub(1)) as f64 * latency.as_secs_f64();
        println!(
            "{:<26} {:>7} {:>8.2} {:>8.2} {:>5.2}x {:>6} {:>9} {:>12.2}s",
            case.name,
            report.ok,
            wall,
            bound,
            wall / bound,
            chain,
            requests,
            one_at_a_time
        );
        demo.stop().await;
    }
    Ok(())
}

/// The fewest round trips in a row the checks need, read from what this run found: how many
/// regions were asked for the key, and whether an organization was chosen.
fn round_trips_in_a_row(report: &Report) -> usize {
    let passed = |id: &str| {
        report
            .check(id)
            .is_some_and(|c| c.state == CheckState::Pass)
    };
    let regions_asked = report.check("key.accepted").map_or(0, |c| c.detail.len());
    let reach = 1;
    let org_list = usize::from(passed("key.accepted"));
    let beneath = if passed("org.selected") { 2 } else { 0 };
    reach + regions_asked + org_list + beneath
}
