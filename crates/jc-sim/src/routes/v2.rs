//! V2 routes (`/api/v2/...`): bare arrays with `x-total-count`, graph edges and traversals.

use axum::http::{HeaderName, HeaderValue};
use serde_json::{json, Value};

use super::{page, page_of, single, Ctx, Route};
use crate::data::graph::{Graph, Kind, Node, Reached, TraversalKey};
use crate::data::policies::{locate_result, total_results};
use crate::data::{find, Org};
use crate::wire::{errors, Api, Reply};

pub const CANARY_FDE_KEY: &str = "SIM-CANARY-SECRET-fdekey";

pub fn handle(route: Route<'_>, ctx: &Ctx<'_>) -> Reply {
    let org = ctx.org;
    let data = &org.data;
    let graph = Graph::new(data);
    let params = ctx.params;
    let edges = |nodes: Vec<Node>| page_of(Api::V2, params, &nodes, Node::connection_json);
    let reached = |items: Vec<Reached>| page_of(Api::V2, params, &items, Reached::to_json);
    let cached = |key: TraversalKey, compute: &dyn Fn() -> Vec<Reached>| {
        let items = org.traversals.get_or_compute(key, compute);
        page_of(Api::V2, params, &items, Reached::to_json)
    };
    match route {
        Route::UserGroupList => page_of(Api::V2, params, &data.user_groups, |g| g.to_json(org)),
        Route::UserGroup(id) => match find(&data.user_groups, id) {
            Some((_, group)) => single(Api::V2, params, group.to_json(org)),
            None => errors::v2_not_found("User group"),
        },
        Route::UserGroupMembers(id) => match find(&data.user_groups, id) {
            Some((g, _)) => edges(graph.user_group_members(g)),
            None => errors::v2_not_found("User group"),
        },
        Route::UserGroupMembership(id) => match find(&data.user_groups, id) {
            Some((g, _)) => cached(("group-users", g), &|| graph.users_in_group(g)),
            None => errors::v2_not_found("User group"),
        },
        Route::UserMemberOf(id) => with_user(org, id, |u| reached(graph.groups_of_user(u))),
        Route::UserApplications(id) => {
            with_user(org, id, |u| reached(graph.applications_of_user(u)))
        }
        Route::UserSystems(id) => with_user(org, id, |u| reached(graph.systems_of_user(u))),
        Route::ApplicationAssociations(id) => match find(&data.apps, id) {
            Some((_, app)) => match params.targets(&["agent_group", "user", "user_group"]) {
                Ok(targets) => {
                    edges(graph.bindings(&app.user_groups, &app.users, &[], &kinds(&targets)))
                }
                Err(reply) => reply,
            },
            None => errors::v2_not_found("Application"),
        },
        Route::ApplicationUserGroups(id) => match find(&data.apps, id) {
            Some((_, app)) => reached(graph.groups_below(&app.user_groups)),
            None => errors::v2_not_found("Application"),
        },
        Route::ApplicationUsers(id) => match find(&data.apps, id) {
            Some((a, app)) => cached(("app-users", a), &|| {
                graph.users_via(&app.user_groups, &app.users)
            }),
            None => errors::v2_not_found("Application"),
        },
        Route::SystemMemberOf(id) => with_system(org, id, |s| reached(graph.groups_of_system(s))),
        Route::SystemUsers(id) => {
            with_system(org, id, |s| reached(graph.users_of_system(s as usize)))
        }
        Route::SystemPolicyStatuses(id) => with_system(org, id, |s| {
            let results: Vec<Value> = data
                .policies
                .iter()
                .filter_map(|p| {
                    p.targets
                        .binary_search(&s)
                        .ok()
                        .and_then(|pos| p.result_json(org, pos))
                })
                .collect();
            page_of(Api::V2, params, &results, Value::clone)
        }),
        Route::SystemFdeKey(id) => {
            with_system(org, id, |_| Reply::ok(&json!({"key": CANARY_FDE_KEY})))
        }
        Route::SystemGroupList => page_of(Api::V2, params, &data.system_groups, |g| g.to_json(org)),
        Route::SystemGroup(id) => match find(&data.system_groups, id) {
            Some((_, group)) => single(Api::V2, params, group.to_json(org)),
            None => errors::v2_not_found("System group"),
        },
        Route::SystemGroupMembers(id) => match find(&data.system_groups, id) {
            Some((g, _)) => edges(graph.system_group_members(g)),
            None => errors::v2_not_found("System group"),
        },
        Route::SystemGroupMembership(id) => match find(&data.system_groups, id) {
            Some((g, _)) => reached(Graph::direct(graph.system_group_members(g))),
            None => errors::v2_not_found("System group"),
        },
        Route::PolicyList => page_of(Api::V2, params, &data.policies, |p| p.to_json()),
        Route::Policy(id) => match find(&data.policies, id) {
            Some((_, policy)) => single(Api::V2, params, policy.detail_json()),
            None => errors::v2_not_found("Policy"),
        },
        Route::PolicyStatuses(id) => match find(&data.policies, id) {
            Some((_, policy)) => page(Api::V2, params, policy.targets.len(), |i| {
                policy.result_json(org, i)
            }),
            None => errors::v2_not_found("Policy"),
        },
        Route::PolicyResults => {
            let total = usize::try_from(total_results(&data.policies)).unwrap_or(usize::MAX);
            page(Api::V2, params, total, |i| {
                let (p, within) = locate_result(&data.policies, i as u64)?;
                data.policies.get(p)?.result_json(org, within)
            })
        }
        Route::LdapServerList => page_of(Api::V2, params, &data.ldap_servers, |l| l.to_json()),
        Route::LdapServer(id) => match find(&data.ldap_servers, id) {
            Some((_, server)) => single(Api::V2, params, server.to_json()),
            None => errors::v2_not_found("LDAP server"),
        },
        Route::LdapServerAssociations(id) => match find(&data.ldap_servers, id) {
            Some((_, server)) => match params.targets(&["user", "user_group"]) {
                Ok(targets) => {
                    edges(graph.bindings(&server.user_groups, &server.users, &[], &kinds(&targets)))
                }
                Err(reply) => reply,
            },
            None => errors::v2_not_found("LDAP server"),
        },
        Route::LdapServerUserGroups(id) => match find(&data.ldap_servers, id) {
            Some((_, server)) => reached(graph.groups_below(&server.user_groups)),
            None => errors::v2_not_found("LDAP server"),
        },
        Route::LdapServerUsers(id) => match find(&data.ldap_servers, id) {
            Some((l, server)) => cached(("ldap-users", l), &|| {
                graph.users_via(&server.user_groups, &server.users)
            }),
            None => errors::v2_not_found("LDAP server"),
        },
        Route::RadiusServerAssociations(id) => match find(&data.radius_servers, id) {
            Some((_, server)) => match params.targets(&["user", "user_group", "system_group"]) {
                Ok(targets) => edges(graph.bindings(
                    &server.user_groups,
                    &server.users,
                    &server.system_groups,
                    &kinds(&targets),
                )),
                Err(reply) => reply,
            },
            None => errors::v2_not_found("RADIUS server"),
        },
        Route::RadiusServerUserGroups(id) => match find(&data.radius_servers, id) {
            Some((_, server)) => reached(graph.groups_below(&server.user_groups)),
            None => errors::v2_not_found("RADIUS server"),
        },
        Route::RoleList => roles(ctx),
        Route::ServiceAccountList => service_accounts(ctx),
        Route::Role(id) => match find(&ctx.world.roles, id) {
            Some((_, role)) => single(Api::V2, params, role.to_json(org)),
            None => errors::v2_not_found("Role"),
        },
        _ => errors::not_found(),
    }
}

/// `GET /api/v2/roles`: one of the V2 routes that wraps its page as `{totalCount, results}`,
/// with the total in `x-total-count` as well.
fn roles(ctx: &Ctx<'_>) -> Reply {
    let query = match ctx.params.list_query(Api::V2) {
        Ok(q) => q,
        Err(reply) => return reply,
    };
    let roles = &ctx.world.roles;
    let results: Vec<Value> = query
        .window(roles.len())
        .into_iter()
        .filter_map(|i| roles.get(i))
        .map(|r| query.project(r.to_json(ctx.org)))
        .collect();
    let mut reply = Reply::v1_list(roles.len(), results);
    reply.headers.push((
        HeaderName::from_static("x-total-count"),
        HeaderValue::from(roles.len()),
    ));
    reply
}

/// `GET /api/v2/service-accounts`: `{results, totalCount}`, paged with `limit` and `skip`.
fn service_accounts(ctx: &Ctx<'_>) -> Reply {
    let query = match ctx.params.list_query(Api::V2) {
        Ok(q) => q,
        Err(reply) => return reply,
    };
    let accounts = &ctx.world.service_accounts;
    let org_id = ctx.org.id.to_string();
    let results: Vec<Value> = query
        .window(accounts.len())
        .into_iter()
        .filter_map(|i| accounts.get(i))
        .map(|a| a.to_json(&org_id, ctx.world.now_ms))
        .collect();
    Reply::v1_list(accounts.len(), results)
}

fn with_user(org: &Org, id: &str, answer: impl FnOnce(u32) -> Reply) -> Reply {
    match find(&org.data.users, id).and_then(|(i, _)| u32::try_from(i).ok()) {
        Some(index) => answer(index),
        None => errors::v2_not_found("User"),
    }
}

fn with_system(org: &Org, id: &str, answer: impl FnOnce(u32) -> Reply) -> Reply {
    match find(&org.data.systems, id).and_then(|(i, _)| u32::try_from(i).ok()) {
        Some(index) => answer(index),
        None => errors::v2_not_found("System"),
    }
}

fn kinds(targets: &[String]) -> Vec<Kind> {
    targets
        .iter()
        .filter_map(|t| match t.as_str() {
            "user" => Some(Kind::User),
            "user_group" => Some(Kind::UserGroup),
            "system_group" => Some(Kind::SystemGroup),
            _ => None,
        })
        .collect()
}

/// A 1×1 PNG, served for every app logo that isn't broken.
pub const LOGO_PNG: [u8; 70] = [
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
    0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1f, 0x15, 0xc4,
    0x89, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0xf8, 0x5f,
    0x0f, 0x00, 0x02, 0x87, 0x01, 0x80, 0xeb, 0x47, 0xba, 0x92, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45,
    0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
];

/// `GET /api/v2/logos/{id}` (anonymous): the PNG, or the spec's Error body for unknown or broken logos.
pub fn logo(orgs: &[Org], id: &str) -> Reply {
    let known = orgs
        .iter()
        .flat_map(|o| o.data.apps.iter())
        .any(|a| !a.logo_broken && a.logo_id.to_string().eq_ignore_ascii_case(id));
    if known {
        Reply::bytes(axum::http::StatusCode::OK, "image/png", LOGO_PNG.to_vec())
    } else {
        errors::v2_not_found("Logo")
    }
}
