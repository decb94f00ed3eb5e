//! A simulated JumpCloud organization served over loopback HTTP in JumpCloud's wire format.
//!
//! ```no_run
//! # async fn demo() -> Result<(), jc_sim::SimError> {
//! use jc_sim::{RunningSim, Scenario, SimConfig};
//! let sim = RunningSim::start(SimConfig::scenario(Scenario::Healthy)).await?;
//! let users_url = format!("{}/api/systemusers", sim.base_url());
//! // ... call it with `x-api-key: sim.api_key()` ...
//! sim.shutdown().await;
//! # Ok(()) }
//! ```

// serde_json's `json!` recurses per key; a full systemuser record has over fifty.
#![recursion_limit = "256"]

mod behaviour;
mod config;
mod data;
mod error;
pub mod hostile;
mod log;
mod routes;
pub mod scopes;
mod server;
mod tokens;
mod wire;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

pub use config::{ParseNameError, Region, Scenario, SimConfig, Sizes};
pub use data::apps::{CANARY_IDP_CERTIFICATE, CANARY_IDP_PRIVATE_KEY};
pub use data::directories::CANARY_SHARED_SECRET;
pub use error::SimError;
pub use log::RecordedRequest;
pub use routes::v2::CANARY_FDE_KEY;
pub use routes::{route_scopes, RouteScopes};

use behaviour::Behaviour;
use server::{ServerHandle, Shared};

/// A started sim: three regional listeners on 127.0.0.1, one org (or three) living in one of them.
pub struct RunningSim {
    shared: Arc<Shared>,
    servers: Vec<ServerHandle>,
    org_ids: Vec<String>,
    org_name: String,
}

impl RunningSim {
    /// Generates the org(s) and starts listening. The home region uses `config.port`.
    pub async fn start(config: SimConfig) -> Result<RunningSim, SimError> {
        let for_generator = config.clone();
        let world = tokio::task::spawn_blocking(move || data::generate(&for_generator))
            .await
            .map_err(|e| SimError::Generate(e.to_string()))??;
        let home = config.scenario.home_region();

        let mut listeners = Vec::with_capacity(Region::ALL.len());
        let mut urls = BTreeMap::new();
        for region in Region::ALL {
            let port = if region == home {
                config.port.unwrap_or(0)
            } else {
                0
            };
            let listener = server::bind(region, port).await?;
            urls.insert(region, server::local_url(region, &listener)?);
            listeners.push((region, listener));
        }

        let org_ids = world.orgs.iter().map(|o| o.id.to_string()).collect();
        let org_name = world
            .orgs
            .first()
            .map(|o| o.name.clone())
            .unwrap_or_default();
        let shared = Arc::new(Shared {
            world,
            behaviour: Behaviour::new(&config),
            log: log::RequestLog::default(),
            scenario: config.scenario,
            home,
            urls,
            tokens: tokens::Tokens::default(),
            token_lifetime: config.effective_token_lifetime(),
            seed: config.seed,
        });
        let servers = listeners
            .into_iter()
            .map(|(region, listener)| server::spawn(listener, region, Arc::clone(&shared)))
            .collect();
        tracing::info!(
            scenario = %config.scenario,
            home = %home,
            base_url = %shared.url(home),
            "jc-sim started"
        );
        Ok(RunningSim {
            shared,
            servers,
            org_ids,
            org_name,
        })
    }

    /// The home region's root, e.g. `http://127.0.0.1:41234` (no trailing slash, no `/api`).
    pub fn base_url(&self) -> String {
        self.shared.url(self.shared.home)
    }

    pub fn region_url(&self, region: Region) -> String {
        self.shared.url(region)
    }

    pub fn home_region(&self) -> Region {
        self.shared.home
    }

    pub fn scenario(&self) -> Scenario {
        self.shared.scenario
    }

    /// The key the org accepts.
    pub fn api_key(&self) -> &str {
        &self.shared.world.api_key
    }

    /// The (first) org's id.
    pub fn org_id(&self) -> &str {
        self.org_ids.first().map(String::as_str).unwrap_or_default()
    }

    pub fn org_name(&self) -> &str {
        &self.org_name
    }

    /// The name of the key's role, and the scopes it holds.
    pub fn role(&self) -> (&str, &[String]) {
        let role = &self.shared.world.role;
        (&role.name, &role.scopes)
    }

    /// Every org the key reaches (three in the multi-tenant scenario).
    pub fn org_ids(&self) -> Vec<String> {
        self.org_ids.clone()
    }

    /// Every request received so far, in the order they were answered.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        self.shared.log.snapshot()
    }

    pub fn clear_requests(&self) {
        self.shared.log.clear();
    }

    /// `{"base_url", "regions": {"us", "eu", "in"}, "api_key", "org_id"}` for a launcher to print.
    pub fn startup_line(&self) -> serde_json::Value {
        let regions: serde_json::Map<String, serde_json::Value> = Region::ALL
            .iter()
            .map(|r| (r.to_string(), serde_json::Value::from(self.region_url(*r))))
            .collect();
        let mut line = serde_json::json!({
            "base_url": self.base_url(),
            "regions": regions,
            "api_key": self.api_key(),
            "org_id": self.org_id(),
        });
        if let (Some((id, secret)), Some(fields)) =
            (self.client_credentials(), line.as_object_mut())
        {
            fields.insert("client_id".into(), id.into());
            fields.insert("client_secret".into(), secret.into());
        }
        line
    }

    /// The client ID and secret of the service account a service-account scenario connects
    /// with; `None` in the other scenarios.
    pub fn client_credentials(&self) -> Option<(&str, &str)> {
        self.shared
            .world
            .service_accounts
            .first()
            .map(|a| (a.client_id.as_str(), a.client_secret.as_str()))
    }

    /// How many token requests the token hosts answered (any outcome), across regions.
    pub fn token_requests(&self) -> usize {
        self.requests()
            .iter()
            .filter(|r| r.path == "/oauth2/token")
            .count()
    }

    /// Stops all three listeners and waits for them.
    pub async fn shutdown(mut self) {
        for server in std::mem::take(&mut self.servers) {
            server.stop().await;
        }
    }
}

// Hand-written so the key never reaches a log line through `{:?}`.
impl fmt::Debug for RunningSim {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RunningSim")
            .field("scenario", &self.shared.scenario)
            .field("home", &self.shared.home)
            .field("urls", &self.shared.urls)
            .field("org_ids", &self.org_ids)
            .finish_non_exhaustive()
    }
}
