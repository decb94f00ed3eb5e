//! The connection checks against jc-sim over loopback: every scenario names its real cause.

mod concurrency;
mod input;
mod permissions;
mod preview;
mod scenarios;
mod service_accounts;
mod streaming;

use onboard::demo::Demo;
use onboard::{CheckOptions, CheckState, ConnectionInput, Report};

pub async fn run(input: &ConnectionInput) -> Report {
    onboard::run_checks(input, &CheckOptions::default(), |_| {}).await
}

/// "id=state" for every check, for compact, readable expectations.
pub fn states(report: &Report) -> Vec<String> {
    report
        .checks
        .iter()
        .map(|c| format!("{}={}", c.id, state_name(c.state)))
        .collect()
}

pub fn state_name(state: CheckState) -> &'static str {
    match state {
        CheckState::Pass => "pass",
        CheckState::Warn => "warn",
        CheckState::Fail => "fail",
        CheckState::Skipped => "skipped",
        CheckState::Running => "running",
    }
}

pub fn check<'r>(report: &'r Report, id: &str) -> &'r onboard::CheckResult {
    report
        .check(id)
        .unwrap_or_else(|| panic!("check {id} is always reported: {:#?}", states(report)))
}

pub async fn demo(scenario: onboard::demo::DemoScenario) -> Demo {
    Demo::start(scenario)
        .await
        .expect("the demo org starts on loopback")
}
