//! What the CLI's integration tests share: the binary, a canary key, a simulator that accepts
//! only that key, every region pointed at the simulator, and the output read back.

// Each test file is a crate of its own and uses a part of this.
#![allow(dead_code)]

use std::process::Output;

use jc_sim::{RunningSim, Scenario, SimConfig};
use serde_json::Value;

pub const BIN: &str = env!("CARGO_BIN_EXE_jc-onboard");
/// The key every simulator here accepts: found anywhere in output or logs, it leaked.
pub const CANARY: &str = "jca_CANARYcanary0123456789CANARYcanary01";

pub async fn canary_sim_with(config: SimConfig) -> RunningSim {
    RunningSim::start(SimConfig {
        api_key: Some(CANARY.to_owned()),
        ..config
    })
    .await
    .expect("the simulator starts")
}

pub async fn canary_sim(scenario: Scenario) -> RunningSim {
    canary_sim_with(SimConfig::scenario(scenario)).await
}

/// Points every region at the simulator, like a support engineer reproducing a customer's setup.
pub fn region_args(sim: &RunningSim) -> Vec<String> {
    jc_sim::Region::ALL
        .iter()
        .flat_map(|r| {
            [
                "--region-url".to_owned(),
                format!("{r}={}", sim.region_url(*r)),
            ]
        })
        .collect()
}

/// Standard output then standard error, as text.
pub fn everything(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// Standard output as the one JSON object it must be.
pub fn json(output: &Output) -> Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is one JSON object ({e}): {} / {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// Neither the canary key nor a telling part of it is in `text`.
pub fn assert_no_canary(text: &str, context: &str) {
    assert!(!text.contains(CANARY), "{context}: the key leaked");
    assert!(
        !text.contains(&CANARY[4..20]),
        "{context}: part of the key leaked"
    );
}
