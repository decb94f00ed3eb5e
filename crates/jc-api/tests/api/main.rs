//! jc-api against jc-sim over real loopback HTTP, and the call table against JumpCloud's spec.

mod calls;
mod errors;
mod hostile;
mod paging;
mod retry;
mod token;

use std::time::Duration;

use jc_api::{ApiKey, BaseUrl, Client, ClientBuilder, OrgId, RetryPolicy};
use jc_sim::{RunningSim, Scenario, SimConfig, Sizes};

pub async fn sim(scenario: Scenario) -> RunningSim {
    start(SimConfig::scenario(scenario)).await
}

pub async fn start(config: SimConfig) -> RunningSim {
    RunningSim::start(config)
        .await
        .expect("the simulator starts on loopback")
}

pub fn sized(scenario: Scenario, sizes: Sizes) -> SimConfig {
    SimConfig {
        sizes,
        ..SimConfig::scenario(scenario)
    }
}

pub fn base(url: &str) -> BaseUrl {
    BaseUrl::parse(url).expect("the simulator serves a host root")
}

/// Fast retries, so tests that exercise them take milliseconds, not seconds.
pub fn quick_retries(max_attempts: u32) -> RetryPolicy {
    RetryPolicy {
        max_attempts,
        base_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(200),
        max_total: Duration::from_secs(20),
    }
}

/// A client for the sim's home region with the sim's key and no retries.
pub fn client(sim: &RunningSim) -> Client {
    builder(sim).build().expect("client builds")
}

pub fn builder(sim: &RunningSim) -> ClientBuilder {
    let key = ApiKey::parse(sim.api_key()).expect("the simulator's key is well formed");
    ClientBuilder::new(key, base(&sim.base_url())).retry(RetryPolicy::none())
}

pub fn org(sim: &RunningSim) -> OrgId {
    OrgId::parse(sim.org_id()).expect("the simulator's org id is 24 hex")
}
