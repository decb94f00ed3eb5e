//! `jc-onboard`: connection checks and the simulated org, for support staff and scripts.
//!
//! Exit codes: 0 no mandatory check failed; 1 a mandatory check failed; 2 usage or input error.

mod args;
mod bundle;
mod collect;
mod doctor;
mod handover;
mod output;
mod scopes;

use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use jc_sim::{RunningSim, Scenario, SimConfig, Sizes};
use onboard::demo::Demo;
use onboard::{CheckEvent, CheckOptions, ConnectionInput, Report};

use args::{BundleAction, CheckArgs, Cli, Command, DemoArgs, SimArgs, UsageError};

const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("JC_ONBOARD_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        // Colours only for a person at a terminal; a log piped to a file stays plain text.
        .with_ansi(std::io::stderr().is_terminal())
        .init();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("jc-onboard: could not start: {e}");
            return ExitCode::from(EXIT_FAILED);
        }
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Check(args) => check(args).await,
            Command::Sim(args) => sim(args).await,
            Command::Demo(args) => demo(args).await,
            Command::Collect(args) => collect::run(args).await,
            Command::Doctor(args) => doctor::doctor(args).await,
            Command::Scopes(args) => scopes::scopes(args),
            Command::Handover(args) => handover::run(args).await,
            Command::Bundle {
                action: BundleAction::Inspect { file },
            } => bundle::inspect(&file),
        }
    });
    match result {
        Ok(code) => code,
        Err(usage) => {
            eprintln!(
                "jc-onboard: {}",
                jc_api::sanitize::for_display(&usage.to_string())
            );
            ExitCode::from(EXIT_USAGE)
        }
    }
}

async fn check(args: CheckArgs) -> Result<ExitCode, UsageError> {
    let (input, options) = args.connection.input()?;
    Ok(run_and_print(&input, &options, args.json).await)
}

async fn run_and_print(input: &ConnectionInput, options: &CheckOptions, json: bool) -> ExitCode {
    let report = check_and_print(input, options, json).await.report;
    if json {
        let written = serde_json::to_string_pretty(&report)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(std::io::stdout(), "{text}"));
        if let Err(e) = written {
            tracing::warn!("could not write the report: {e}");
        }
    }
    exit_code(&report)
}

/// Runs the checks; unless `json`, prints each as it finishes and then the summary.
async fn check_and_print(
    input: &ConnectionInput,
    options: &CheckOptions,
    json: bool,
) -> onboard::Checked {
    let mut stdout = anstream::stdout();
    let checked = onboard::check_connection(input, options, |event| {
        if let (CheckEvent::Finished(result), false) = (&event, json) {
            // A closed pipe must not panic the run; the exit code still tells the outcome.
            let _ = output::check_line(&mut stdout, result);
        }
    })
    .await;
    if !json {
        if let Err(e) = output::summary(&mut stdout, &checked.report) {
            tracing::warn!("could not write the report: {e}");
        }
    }
    checked
}

fn exit_code(report: &Report) -> ExitCode {
    if report.input_rejected() {
        ExitCode::from(EXIT_USAGE)
    } else if report.ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

fn parse_scenario(name: &str) -> Result<Scenario, UsageError> {
    name.parse::<Scenario>().map_err(|_| {
        let names: Vec<String> = Scenario::ALL.iter().map(|s| s.to_string()).collect();
        UsageError::BadValue(format!(
            "unknown scenario {name:?}; choose one of: {}",
            names.join(", ")
        ))
    })
}

async fn sim(args: SimArgs) -> Result<ExitCode, UsageError> {
    if args.list {
        for scenario in Scenario::ALL {
            println!("{:<28} {}", scenario.to_string(), scenario.describe());
        }
        return Ok(ExitCode::SUCCESS);
    }
    let defaults = Sizes::default();
    let config = SimConfig {
        scenario: parse_scenario(&args.scenario)?,
        seed: args.seed,
        sizes: Sizes {
            users: args.users.unwrap_or(defaults.users),
            groups: args.groups.unwrap_or(defaults.groups),
            apps: args.apps.unwrap_or(defaults.apps),
            devices: args.devices.unwrap_or(defaults.devices),
            policies: args.policies.unwrap_or(defaults.policies),
        },
        latency: Duration::from_millis(args.latency_ms),
        rate_limit_per_sec: args.rate_limit,
        port: Some(args.port),
        ..SimConfig::default()
    };
    let sim = RunningSim::start(config)
        .await
        .map_err(|e| UsageError::BadValue(format!("the simulator could not start: {e}")))?;
    // The first line is a contract: one JSON object that scripts read to find the simulator.
    println!("{}", sim.startup_line());
    let _ = std::io::stdout().flush();
    if std::io::stderr().is_terminal() {
        eprintln!(
            "Serving the {} scenario. Press Ctrl+C to stop.",
            args.scenario
        );
    }
    let _ = tokio::signal::ctrl_c().await;
    sim.shutdown().await;
    Ok(ExitCode::SUCCESS)
}

async fn demo(args: DemoArgs) -> Result<ExitCode, UsageError> {
    let scenario = parse_scenario(&args.scenario)?;
    let demo = Demo::start(scenario)
        .await
        .map_err(|e| UsageError::BadValue(format!("the demo organization could not start: {e}")))?;
    if !args.json {
        println!("Demo organization ({scenario}): {}\n", scenario.describe());
    }
    // A service-account scenario connects the way it is meant to: with the client ID and secret.
    let input = demo
        .client_input(args.org_id.clone())
        .unwrap_or_else(|| demo.input(args.org_id));
    let code = run_and_print(&input, &CheckOptions::default(), args.json).await;
    demo.stop().await;
    Ok(code)
}
