//! Helpers shared by the integration tests: start a sim, call it over real loopback HTTP.
#![allow(dead_code)]

use jc_sim::{RunningSim, Scenario, SimConfig};
use serde_json::Value;

pub struct Response {
    pub status: u16,
    pub headers: reqwest::header::HeaderMap,
    pub body: Vec<u8>,
}

impl Response {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or_else(|e| {
            panic!(
                "expected a JSON body (status {}), got {e}: {}",
                self.status,
                String::from_utf8_lossy(&self.body)
            )
        })
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

pub async fn start(config: SimConfig) -> RunningSim {
    RunningSim::start(config)
        .await
        .expect("the sim starts on loopback")
}

pub async fn start_scenario(scenario: Scenario) -> RunningSim {
    start(SimConfig::scenario(scenario)).await
}

/// A GET with the given key and org header (either may be absent).
pub async fn get_with(url: &str, key: Option<&str>, org: Option<&str>) -> Response {
    let client = reqwest::Client::builder()
        .no_proxy()
        .build()
        .expect("a plain HTTP client builds");
    let mut request = client.get(url).header("accept", "application/json");
    if let Some(key) = key {
        request = request.header("x-api-key", key);
    }
    if let Some(org) = org {
        request = request.header("x-org-id", org);
    }
    let response = request.send().await.expect("the sim answers on loopback");
    let status = response.status().as_u16();
    let headers = response.headers().clone();
    let body = response.bytes().await.expect("the body arrives").to_vec();
    Response {
        status,
        headers,
        body,
    }
}

/// A GET on the home region with the sim's own key and no org header.
pub async fn get(sim: &RunningSim, path_and_query: &str) -> Response {
    get_with(
        &format!("{}{path_and_query}", sim.base_url()),
        Some(sim.api_key()),
        None,
    )
    .await
}

/// The `_id`/`id` of the first record of a V1 or V2 list.
pub fn first_id(list: &Value) -> String {
    let first = list
        .get("results")
        .and_then(|r| r.get(0))
        .or_else(|| list.get(0))
        .unwrap_or_else(|| panic!("expected a non-empty list, got {list}"));
    first
        .get("id")
        .or_else(|| first.get("_id"))
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("expected an id on {first}"))
        .to_string()
}

/// Ids of every record of a V1 or V2 list.
pub fn ids(list: &Value) -> Vec<String> {
    let records = list
        .get("results")
        .and_then(Value::as_array)
        .or_else(|| list.as_array())
        .cloned()
        .unwrap_or_default();
    records
        .iter()
        .filter_map(|r| r.get("id").or_else(|| r.get("_id")).and_then(Value::as_str))
        .map(str::to_string)
        .collect()
}
