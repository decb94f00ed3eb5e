//! The three regional listeners and the request pipeline every request goes through:
//! rate limit → route → key → org header rules → scenario faults and role gates → handler.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header::{CONTENT_TYPE, SERVER};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method};
use axum::response::Response;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use crate::behaviour::Behaviour;
use crate::config::{Region, Scenario};
use crate::data::ids::ObjectId;
use crate::data::{Org, World};
use crate::error::SimError;
use crate::log::{RecordedRequest, RequestLog};
use crate::routes::{self, v1, v2, Access, Ctx, Route};
use crate::tokens::{bearer_token, Bearer, TokenRequest, Tokens};
use crate::wire::{errors, Params, Reply};

/// State shared by the three listeners.
pub struct Shared {
    pub world: World,
    pub behaviour: Behaviour,
    pub log: RequestLog,
    pub scenario: Scenario,
    pub home: Region,
    pub urls: BTreeMap<Region, String>,
    pub tokens: Tokens,
    pub token_lifetime: Duration,
    pub seed: u64,
}

impl Shared {
    pub fn url(&self, region: Region) -> String {
        self.urls.get(&region).cloned().unwrap_or_default()
    }
}

#[derive(Clone)]
struct RegionState {
    region: Region,
    shared: Arc<Shared>,
}

pub async fn bind(region: Region, port: u16) -> Result<TcpListener, SimError> {
    TcpListener::bind(("127.0.0.1", port))
        .await
        .map_err(|source| SimError::Bind {
            region,
            port,
            source,
        })
}

pub fn local_url(region: Region, listener: &TcpListener) -> Result<String, SimError> {
    let addr = listener
        .local_addr()
        .map_err(|source| SimError::LocalAddr { region, source })?;
    Ok(format!("http://127.0.0.1:{}", addr.port()))
}

/// One running listener; dropping it asks the listener to stop.
pub struct ServerHandle {
    stop: Option<oneshot::Sender<()>>,
    task: Option<JoinHandle<()>>,
}

impl ServerHandle {
    pub fn signal_stop(&mut self) {
        if let Some(stop) = self.stop.take() {
            // The receiver is gone only if the server already stopped.
            let _ = stop.send(());
        }
    }

    pub async fn stop(mut self) {
        self.signal_stop();
        if let Some(mut task) = self.task.take() {
            // Graceful shutdown waits for open connections; don't let a stuck client hold us.
            if tokio::time::timeout(Duration::from_secs(5), &mut task)
                .await
                .is_err()
            {
                task.abort();
            }
        }
    }
}

impl Drop for ServerHandle {
    fn drop(&mut self) {
        self.signal_stop();
    }
}

pub fn spawn(listener: TcpListener, region: Region, shared: Arc<Shared>) -> ServerHandle {
    let app = Router::new()
        .fallback(serve_request)
        .with_state(RegionState { region, shared });
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = stopped.await;
            })
            .await;
        if let Err(error) = served {
            tracing::warn!(%region, %error, "jc-sim listener stopped with an error");
        }
    });
    ServerHandle {
        stop: Some(stop),
        task: Some(task),
    }
}

async fn serve_request(State(state): State<RegionState>, request: Request) -> Response {
    let received = Instant::now();
    let shared = &state.shared;
    let ray = shared.behaviour.next_ray();
    let (parts, body) = request.into_parts();
    let path = parts.uri.path();
    let query = parts.uri.query();
    let reply = if path == TOKEN_PATH {
        match axum::body::to_bytes(body, MAX_TOKEN_REQUEST_BYTES).await {
            Ok(body) => token(&state, &parts.method, &parts.headers, &body),
            Err(_) => errors::method_not_allowed(),
        }
    } else {
        answer(&state, &parts.method, path, query, &parts.headers, &ray)
    };
    let latency = shared.behaviour.latency();
    if !latency.is_zero() {
        tokio::time::sleep(latency).await;
    }
    shared.log.record(RecordedRequest {
        region: state.region,
        method: parts.method.to_string(),
        path: path.to_string(),
        query: query.map(str::to_string),
        had_api_key: parts.headers.contains_key("x-api-key"),
        had_bearer: bearer_token(&parts.headers).is_some(),
        org_header: header_text(&parts.headers, "x-org-id"),
        status: reply.status.as_u16(),
        received,
        answered: Instant::now(),
    });
    into_response(reply, &ray)
}

const TOKEN_PATH: &str = "/oauth2/token";
/// A token request is a short form; anything longer is not one.
const MAX_TOKEN_REQUEST_BYTES: usize = 16 * 1024;

/// The region's token host.
fn token(state: &RegionState, method: &Method, headers: &HeaderMap, body: &[u8]) -> Reply {
    if method != Method::POST {
        return errors::method_not_allowed();
    }
    let shared = &state.shared;
    let account = shared.world.service_accounts.first();
    shared.tokens.issue(&TokenRequest {
        region: state.region,
        home: shared.home,
        headers,
        body,
        account,
        secret_expired: account.is_some_and(|a| a.expires_ms <= shared.world.now_ms),
        lifetime: shared.token_lifetime,
        seed: shared.seed,
    })
}

/// Who a request is from: the API key, or a bearer token issued here. `Err` is the 401.
fn authenticate(state: &RegionState, headers: &HeaderMap) -> Result<(), Reply> {
    let shared = &state.shared;
    if let Some(token) = bearer_token(headers) {
        return match shared.tokens.check(token) {
            Bearer::Valid if state.region == shared.home => Ok(()),
            Bearer::Expired => Err(errors::expired_token()),
            _ => Err(errors::unknown_key()),
        };
    }
    let Some(key) = headers
        .get("x-api-key")
        .map(HeaderValue::as_bytes)
        .filter(|k| !k.is_empty())
    else {
        return Err(errors::missing_key());
    };
    let key_matches = same_bytes(key, shared.world.api_key.as_bytes());
    let key_expired = matches!(
        shared.scenario,
        Scenario::ExpiredKey | Scenario::ServiceAccountExpired
    );
    if !key_matches || state.region != shared.home || key_expired {
        return Err(errors::unknown_key());
    }
    Ok(())
}

fn answer(
    state: &RegionState,
    method: &Method,
    path: &str,
    query: Option<&str>,
    headers: &HeaderMap,
    ray: &str,
) -> Reply {
    let shared = &state.shared;
    if let Some(reply) = shared.behaviour.rate_limit() {
        return reply;
    }
    let Some(route) = Route::parse(path) else {
        return errors::not_found();
    };
    if method != Method::GET {
        return errors::method_not_allowed();
    }
    let params = Params::parse(query);
    if let Route::Logo(id) = route {
        return if state.region == shared.home {
            v2::logo(&shared.world.orgs, id)
        } else {
            errors::v2_not_found("Logo")
        };
    }

    if let Err(reply) = authenticate(state, headers) {
        return reply;
    }

    let org_header = header_text(headers, "x-org-id").filter(|h| !h.trim().is_empty());
    match route.access() {
        Access::Anonymous => errors::not_found(),
        Access::OrgSelection => match org_header {
            Some(_) => errors::org_header_not_allowed(),
            None if shared.behaviour.forbids(&route, &shared.world.role) => errors::forbidden(),
            None => v1::organizations(route, &shared.world, &params),
        },
        Access::Data => {
            let org = match select_org(&shared.world, org_header.as_deref().map(str::trim)) {
                Ok(org) => org,
                Err(reply) => return reply,
            };
            if let Some(reply) = shared.behaviour.fault(ray) {
                return reply;
            }
            if shared.behaviour.forbids(&route, &shared.world.role) {
                return errors::forbidden();
            }
            let root_url = shared.url(shared.home);
            let ctx = Ctx {
                world: &shared.world,
                org,
                params: &params,
                root_url: &root_url,
            };
            let reply = routes::handle_data(route, &ctx);
            shared.behaviour.truncate(&route, &params, reply)
        }
    }
}

/// A multi-tenant key must pick an org with `x-org-id`; a single-tenant key may name its own.
fn select_org<'a>(world: &'a World, header: Option<&str>) -> Result<&'a Org, Reply> {
    match header {
        None if world.is_multi_tenant() => Err(errors::no_org_selected()),
        None => world.orgs.first().ok_or_else(errors::org_not_found),
        Some(id) if !ObjectId::is_well_formed(id) => Err(errors::malformed_id()),
        Some(id) => world.org(id).ok_or_else(errors::org_not_found),
    }
}

fn header_text(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get(name)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
}

/// Compares without stopping at the first difference, so timing says nothing about the key.
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn into_response(reply: Reply, ray: &str) -> Response {
    let mut response = Response::new(Body::from(reply.body));
    *response.status_mut() = reply.status;
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(reply.content_type));
    headers.insert(SERVER, HeaderValue::from_static("cloudflare"));
    if let Ok(ray) = HeaderValue::from_str(ray) {
        headers.insert(HeaderName::from_static("cf-ray"), ray);
    }
    for (name, value) in reply.headers {
        headers.insert(name, value);
    }
    response
}
