//! Demo mode: a simulated JumpCloud org started in-process on loopback, and the connection to it.

use jc_api::{BaseUrl, Hosts, Region};
use jc_sim::{RunningSim, Scenario, SimConfig, SimError};

use crate::connection::{ConnectionInput, PastedKey, Target};

pub use jc_sim::Scenario as DemoScenario;

/// A running demo organization. Stop it with [`Demo::stop`]; dropping it also ends its server.
pub struct Demo {
    sim: RunningSim,
    scenario: Scenario,
}

impl Demo {
    pub async fn start(scenario: Scenario) -> Result<Demo, SimError> {
        Demo::start_with(SimConfig::scenario(scenario)).await
    }

    pub async fn start_with(config: SimConfig) -> Result<Demo, SimError> {
        let scenario = config.scenario;
        Ok(Demo {
            sim: RunningSim::start(config).await?,
            scenario,
        })
    }

    pub fn scenario(&self) -> Scenario {
        self.scenario
    }

    pub fn sim(&self) -> &RunningSim {
        &self.sim
    }

    /// The demo key is filled in, and every region points at the simulator, so region
    /// detection runs exactly as it does against JumpCloud.
    pub fn input(&self, org_id: Option<String>) -> ConnectionInput {
        ConnectionInput {
            key: PastedKey::new(self.sim.api_key().to_owned()),
            client_id: None,
            org_id,
            target: Target::Auto(self.hosts()),
        }
    }

    /// A service-account scenario's client ID and secret, filled in like the key; `None` in
    /// scenarios without a service account.
    pub fn client_input(&self, org_id: Option<String>) -> Option<ConnectionInput> {
        let (id, secret) = self.sim.client_credentials()?;
        Some(ConnectionInput {
            key: PastedKey::new(secret.to_owned()),
            client_id: Some(id.to_owned()),
            org_id,
            target: Target::Auto(self.hosts()),
        })
    }

    pub fn hosts(&self) -> Hosts {
        let mut hosts = Hosts::jumpcloud();
        for region in Region::ALL {
            let served = region
                .code()
                .parse::<jc_sim::Region>()
                .map(|r| self.sim.region_url(r));
            if let Ok(Ok(url)) = served.map(|u| BaseUrl::parse(&u)) {
                hosts.set(region, url);
            }
        }
        hosts
    }

    pub async fn stop(self) {
        self.sim.shutdown().await;
    }
}
