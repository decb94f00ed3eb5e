//! Every documented route the sim serves, fetched over loopback and validated against the response
//! schema of the same operation in JumpCloud's official OpenAPI 3.1 specs.
//!
//! Specs: `$JC_SPECS_DIR` (default `<workspace>/../shared/jumpcloud-api/specs`), holding
//! `jumpcloud-docs-public/api/{1.0,2.0}/index.yaml`. Missing specs skip these tests, except with
//! `CI=true`, where they fail.
//!
//! Besides schema validity, each record is checked for fields the spec does not document: the sim
//! may only add those listed per route, each observed in real responses (recorded from a real organization's traffic).

mod common;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use common::{first_id, get, get_with, start_scenario, Response};
use jc_sim::{RunningSim, Scenario};
use jc_spec::{resolve, Deviation, LoadError, Specs};
use serde_json::{json, Value};

/// Where recorded real responses contradict the spec, the spec is widened here, one case at a time.
const OBSERVED_DEVIATIONS: &[Deviation] = &[Deviation {
    version: "1.0",
    pointer: "/components/schemas/systemuserreturn/properties/employeeIdentifier/type",
    replacement: r#"["string", "null"]"#,
    evidence: "real responses carry employeeIdentifier: null for users without one",
}];

static SPECS: OnceLock<Result<Specs, LoadError>> = OnceLock::new();

/// The parsed specs, or `None` (after saying why) when they are absent outside CI.
fn specs() -> Option<&'static Specs> {
    jc_spec::or_skip(
        SPECS.get_or_init(|| Specs::load(OBSERVED_DEVIATIONS)),
        "spec conformance",
    )
}

/// The JSON schema of `GET {path}`'s `status` response (`default` when `status` is not listed and
/// `allow_default`).
fn response_schema<'a>(
    spec: &'a Value,
    path: &str,
    status: &str,
    allow_default: bool,
) -> &'a Value {
    let operation = spec
        .get("paths")
        .and_then(|p| p.get(path))
        .and_then(|p| p.get("get"))
        .unwrap_or_else(|| panic!("the spec documents GET {path}"));
    let responses = &operation["responses"];
    let response = match (responses.get(status), allow_default) {
        (Some(r), _) => r,
        (None, true) => responses.get("default").unwrap_or_else(|| {
            panic!("GET {path} documents neither {status} nor a default response")
        }),
        (None, false) => panic!("GET {path} documents no {status} response"),
    };
    let response = resolve(spec, response);
    response
        .pointer("/content/application~1json/schema")
        .unwrap_or_else(|| panic!("GET {path} {status} documents an application/json schema"))
}

/// Validates with draft 2020-12; the root embeds the spec's `components` so `$ref`s resolve.
/// A `projected` instance (asked for with `fields=`) leaves fields out on purpose, so `required` is
/// dropped from the schemas; every field that is present must still have the documented shape.
fn schema_errors(spec: &Value, schema: &Value, instance: &Value, projected: bool) -> Vec<String> {
    let mut root = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "components": spec["components"].clone(),
    });
    if let (Some(root), Some(schema)) = (root.as_object_mut(), schema.as_object()) {
        for (k, v) in schema {
            root.insert(k.clone(), v.clone());
        }
    }
    if projected {
        drop_required(&mut root);
    }
    let validator = jsonschema::draft202012::options()
        .build(&root)
        .unwrap_or_else(|e| panic!("the spec's schema compiles: {e}"));
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

fn drop_required(node: &mut Value) {
    match node {
        Value::Object(map) => {
            // Only the keyword (an array of names), not a property that happens to be called "required".
            if map.get("required").is_some_and(Value::is_array) {
                map.remove("required");
            }
            map.values_mut().for_each(drop_required);
        }
        Value::Array(items) => items.iter_mut().for_each(drop_required),
        _ => {}
    }
}

/// Property names a schema documents, through `$ref` and `allOf`/`anyOf`/`oneOf`.
fn documented_properties(spec: &Value, schema: &Value, into: &mut BTreeSet<String>, depth: u32) {
    if depth > 8 {
        return;
    }
    let schema = resolve(spec, schema);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        into.extend(props.keys().cloned());
    }
    for combinator in ["allOf", "anyOf", "oneOf"] {
        for part in schema
            .get(combinator)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            documented_properties(spec, part, into, depth + 1);
        }
    }
}

/// The schema of one record inside a response: array items, V1 `results` items, or the object.
fn record_schema<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    let schema = resolve(spec, schema);
    if let Some(items) = schema.get("items") {
        return resolve(spec, items);
    }
    if let Some(items) = schema.pointer("/properties/results/items") {
        return resolve(spec, items);
    }
    schema
}

fn records(body: &Value) -> Vec<&Value> {
    match body {
        Value::Array(items) => items.iter().collect(),
        Value::Object(obj) if obj.contains_key("results") && obj.contains_key("totalCount") => obj
            ["results"]
            .as_array()
            .map(|r| r.iter().collect())
            .unwrap_or_default(),
        other => vec![other],
    }
}

#[derive(Clone, Copy)]
enum Api {
    V1,
    V2,
}

struct Conformance<'a> {
    specs: &'a Specs,
    sim: &'a RunningSim,
}

impl Conformance<'_> {
    fn spec(&self, api: Api) -> &Value {
        match api {
            Api::V1 => &self.specs.v1,
            Api::V2 => &self.specs.v2,
        }
    }

    /// Fetches `url_path` and checks it against `spec_path`'s 200 schema; records may carry only
    /// documented fields plus `extras`. Returns the body for further checks.
    async fn ok(&self, api: Api, url_path: &str, spec_path: &str, extras: &[&str]) -> Value {
        let response = get(self.sim, url_path).await;
        assert_eq!(
            response.status,
            200,
            "GET {url_path} should succeed on a healthy sim: {}",
            response.text()
        );
        assert_eq!(
            response.header("content-type").as_deref(),
            Some("application/json; charset=utf-8"),
            "GET {url_path} is JSON like JumpCloud's"
        );
        let body = response.json();
        self.check(api, spec_path, "200", false, &body, extras, url_path);
        body
    }

    /// Checks an error response against the status's documented schema (or `default`).
    fn error(&self, api: Api, spec_path: &str, response: &Response, status: u16, what: &str) {
        assert_eq!(
            response.status,
            status,
            "{what}: expected HTTP {status}, got {}",
            response.text()
        );
        let body = response.json();
        let extras: &[&str] = match status {
            // The spec's standard 400 body is ErrorDetails: the Error schema plus `details`.
            400 => &["details"],
            // Observed 401 bodies carry `error` next to `message`.
            401 => &["error"],
            _ => &[],
        };
        self.check(
            api,
            spec_path,
            &status.to_string(),
            true,
            &body,
            extras,
            what,
        );
        if status == 400 {
            let spec = self.spec(api);
            let standard = resolve(
                spec,
                &spec["components"]["responses"]["trait_standardErrors_400"],
            );
            let schema = standard
                .pointer("/content/application~1json/schema")
                .expect("the spec defines the standard 400 body");
            let errors = schema_errors(spec, schema, &body, false);
            assert!(
                errors.is_empty(),
                "{what}: a 400 body is the spec's ErrorDetails: {errors:?}"
            );
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn check(
        &self,
        api: Api,
        spec_path: &str,
        status: &str,
        allow_default: bool,
        body: &Value,
        extras: &[&str],
        what: &str,
    ) {
        let spec = self.spec(api);
        let schema = response_schema(spec, spec_path, status, allow_default);
        let projected = what.contains("fields=");
        let errors = schema_errors(spec, schema, body, projected);
        assert!(
            errors.is_empty(),
            "{what} must match the {status} response schema of GET {spec_path} in the official spec{}:\n{}",
            if projected { " (projected: `required` waived)" } else { "" },
            errors.join("\n")
        );
        let mut documented = BTreeSet::new();
        documented_properties(spec, record_schema(spec, schema), &mut documented, 0);
        if documented.is_empty() {
            // An untyped object schema: nothing to compare field names with.
            return;
        }
        for record in records(body) {
            let undocumented: Vec<&String> = record
                .as_object()
                .map(|o| {
                    o.keys()
                        .filter(|k| !documented.contains(*k) && !extras.contains(&k.as_str()))
                        .collect()
                })
                .unwrap_or_default();
            assert!(
                undocumented.is_empty(),
                "{what}: fields {undocumented:?} are neither in the spec's schema for GET {spec_path} nor in the observed extras {extras:?}"
            );
        }
    }
}

impl Conformance<'_> {
    /// Every user of a default-sized org (one page), checked against the user list's schema.
    async fn all_users(&self) -> Value {
        let path = "/api/systemusers?limit=100&sort=_id";
        self.ok(Api::V1, path, "/systemusers", V1_EXTRAS).await
    }
}

/// Fields real V1 responses carry that the V1 schemas omit: `id` next to `_id` (observed).
const V1_EXTRAS: &[&str] = &["id"];

async fn healthy() -> Option<(&'static Specs, RunningSim)> {
    let specs = specs()?;
    Some((specs, start_scenario(Scenario::Healthy).await))
}

#[tokio::test]
async fn organizations_match_the_v1_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    // Real list items carry `id` and `created` too.
    let list = c
        .ok(
            Api::V1,
            "/api/organizations",
            "/organizations",
            &["id", "created"],
        )
        .await;
    assert_eq!(list["totalCount"], 1, "a single-tenant key reaches one org");
    c.ok(
        Api::V1,
        &format!("/api/organizations/{}", sim.org_id()),
        "/organizations/{id}",
        V1_EXTRAS,
    )
    .await;
    c.ok(
        Api::V1,
        "/api/organizations?fields=_id%20displayName",
        "/organizations",
        &["id"],
    )
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn systemusers_match_the_v1_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    // All 25 users, so every variant (no manager, missing manager, null employeeIdentifier) is seen.
    let list = c.all_users().await;
    assert_eq!(
        list["results"].as_array().map(Vec::len),
        Some(25),
        "limit=100 returns all 25 default users"
    );
    let id = first_id(&list);
    c.ok(
        Api::V1,
        &format!("/api/systemusers/{id}"),
        "/systemusers/{id}",
        V1_EXTRAS,
    )
    .await;
    let projected = c
        .ok(
            Api::V1,
            "/api/systemusers?fields=email%20manager%20attributes",
            "/systemusers",
            V1_EXTRAS,
        )
        .await;
    for user in projected["results"].as_array().into_iter().flatten() {
        let keys: BTreeSet<&str> = user
            .as_object()
            .map(|o| o.keys().map(String::as_str).collect())
            .unwrap_or_default();
        assert!(
            keys.is_subset(&BTreeSet::from([
                "_id",
                "id",
                "email",
                "manager",
                "attributes"
            ])),
            "fields=email manager attributes keeps only those plus the ids, got {keys:?}"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn manager_names_users_match_the_v1_spec() {
    let Some(specs) = specs() else {
        return;
    };
    let sim = start_scenario(Scenario::ManagerNames).await;
    let c = Conformance { specs, sim: &sim };
    let list = c.all_users().await;
    assert!(
        list["results"]
            .as_array()
            .into_iter()
            .flatten()
            .any(|u| u["attributes"].to_string().contains("managerName")),
        "the scenario's managerName attributes are among what was validated"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn applications_match_the_v1_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    // Real applications carry `description`.
    let extras = &["id", "description"];
    let list = c
        .ok(
            Api::V1,
            "/api/applications?limit=100",
            "/applications",
            extras,
        )
        .await;
    let id = first_id(&list);
    c.ok(
        Api::V1,
        &format!("/api/applications/{id}"),
        "/applications/{id}",
        extras,
    )
    .await;
    let projected = c
        .ok(
            Api::V1,
            "/api/applications?fields=_id%20name%20displayName%20displayLabel%20active%20sso.type%20logo%20ssoUrl",
            "/applications",
            extras,
        )
        .await;
    assert!(
        !String::from_utf8_lossy(&serde_json::to_vec(&projected).expect("serializes"))
            .contains("SIM-CANARY"),
        "projecting away `config` drops the planted secrets"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn systems_match_the_v1_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let list = c
        .ok(Api::V1, "/api/systems?limit=100", "/systems", V1_EXTRAS)
        .await;
    let nulls = list["results"]
        .as_array()
        .map(|r| r.iter().filter(|s| s["lastContact"].is_null()).count());
    assert_eq!(nulls, Some(1), "exactly one device never checked in");
    let id = first_id(&list);
    c.ok(
        Api::V1,
        &format!("/api/systems/{id}"),
        "/systems/{id}",
        V1_EXTRAS,
    )
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn radius_servers_match_the_v1_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let list = c
        .ok(Api::V1, "/api/radiusservers", "/radiusservers", V1_EXTRAS)
        .await;
    let id = first_id(&list);
    c.ok(
        Api::V1,
        &format!("/api/radiusservers/{id}"),
        "/radiusservers/{id}",
        V1_EXTRAS,
    )
    .await;
    let projected = c
        .ok(
            Api::V1,
            "/api/radiusservers?fields=_id%20name%20networkSourceIp%20mfa%20authIdp",
            "/radiusservers",
            V1_EXTRAS,
        )
        .await;
    assert!(
        projected["results"]
            .as_array()
            .into_iter()
            .flatten()
            .all(|r| r.get("sharedSecret").is_none()),
        "fields without sharedSecret leave the secret out"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn user_groups_match_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    // Real user groups carry `description`.
    let extras = &["description"];
    let groups = c
        .ok(
            Api::V2,
            "/api/v2/usergroups?limit=100",
            "/usergroups",
            extras,
        )
        .await;
    c.ok(
        Api::V2,
        "/api/v2/usergroups?fields=id,name",
        "/usergroups",
        &[],
    )
    .await;
    for id in common::ids(&groups) {
        c.ok(
            Api::V2,
            &format!("/api/v2/usergroups/{id}"),
            "/usergroups/{id}",
            extras,
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/usergroups/{id}/members?limit=100"),
            "/usergroups/{group_id}/members",
            &[],
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/usergroups/{id}/membership?limit=100"),
            "/usergroups/{group_id}/membership",
            &[],
        )
        .await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn user_traversals_match_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let users = get(&sim, "/api/systemusers?limit=100").await.json();
    for id in common::ids(&users).iter().take(8) {
        c.ok(
            Api::V2,
            &format!("/api/v2/users/{id}/memberof"),
            "/users/{user_id}/memberof",
            &[],
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/users/{id}/applications"),
            "/users/{user_id}/applications",
            &[],
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/users/{id}/systems"),
            "/users/{user_id}/systems",
            &[],
        )
        .await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn application_graph_matches_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let apps = get(&sim, "/api/applications").await.json();
    for id in common::ids(&apps) {
        let spec_path = "/applications/{application_id}/associations";
        for targets in ["user_group", "user", "user,user_group"] {
            c.ok(
                Api::V2,
                &format!("/api/v2/applications/{id}/associations?targets={targets}"),
                spec_path,
                &[],
            )
            .await;
        }
        c.ok(
            Api::V2,
            &format!("/api/v2/applications/{id}/usergroups"),
            "/applications/{application_id}/usergroups",
            &[],
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/applications/{id}/users?limit=100"),
            "/applications/{application_id}/users",
            &[],
        )
        .await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn logos_match_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let apps = get(&sim, "/api/applications").await.json();
    let mut served = 0;
    let mut broken = 0;
    for app in apps["results"].as_array().into_iter().flatten() {
        let url = app["logo"]["url"]
            .as_str()
            .expect("every app has a logo url");
        assert!(
            url.starts_with(&format!("{}/api/v2/logos/", sim.base_url())),
            "logo urls point at this sim: {url}"
        );
        // logos_get is anonymous in the spec (no security requirement), so no key is sent.
        let response = get_with(url, None, None).await;
        if response.status == 200 {
            served += 1;
            let documented = specs
                .v2
                .pointer("/paths/~1logos~1{id}/get/responses/200/content/image~1png");
            assert!(
                documented.is_some(),
                "the spec documents image/png for GET /logos/{{id}}"
            );
            assert_eq!(
                response.header("content-type").as_deref(),
                Some("image/png")
            );
            assert!(
                response.body.starts_with(b"\x89PNG\r\n\x1a\n"),
                "a logo is a PNG"
            );
        } else {
            broken += 1;
            c.error(Api::V2, "/logos/{id}", &response, 404, "a broken logo url");
        }
    }
    assert_eq!(
        (served, broken),
        (4, 1),
        "four of the five default apps have a working logo, one a broken one"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn system_graph_matches_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let systems = get(&sim, "/api/systems?limit=100").await.json();
    for id in common::ids(&systems) {
        c.ok(
            Api::V2,
            &format!("/api/v2/systems/{id}/memberof"),
            "/systems/{system_id}/memberof",
            &[],
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/systems/{id}/users"),
            "/systems/{system_id}/users",
            &[],
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/systems/{id}/policystatuses"),
            "/systems/{system_id}/policystatuses",
            &[],
        )
        .await;
    }
    let id = first_id(&systems);
    let key = c
        .ok(
            Api::V2,
            &format!("/api/v2/systems/{id}/fdekey"),
            "/systems/{system_id}/fdekey",
            &[],
        )
        .await;
    assert_eq!(
        key["key"],
        jc_sim::CANARY_FDE_KEY,
        "the FDE key route serves a canary"
    );
    let missing = get(&sim, "/api/v2/systems/000000000000000000000000/fdekey").await;
    c.error(
        Api::V2,
        "/systems/{system_id}/fdekey",
        &missing,
        404,
        "the FDE key of an unknown system",
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn system_groups_match_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    // Real system groups carry `description`.
    let extras = &["description"];
    let groups = c
        .ok(Api::V2, "/api/v2/systemgroups", "/systemgroups", extras)
        .await;
    for id in common::ids(&groups) {
        c.ok(
            Api::V2,
            &format!("/api/v2/systemgroups/{id}"),
            "/systemgroups/{id}",
            extras,
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/systemgroups/{id}/members"),
            "/systemgroups/{group_id}/members",
            &[],
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/systemgroups/{id}/membership"),
            "/systemgroups/{group_id}/membership",
            &[],
        )
        .await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn policies_match_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let policies = c.ok(Api::V2, "/api/v2/policies", "/policies", &[]).await;
    for id in common::ids(&policies) {
        c.ok(
            Api::V2,
            &format!("/api/v2/policies/{id}"),
            "/policies/{id}",
            &[],
        )
        .await;
        c.ok(
            Api::V2,
            &format!("/api/v2/policies/{id}/policystatuses"),
            "/policies/{policy_id}/policystatuses",
            &[],
        )
        .await;
    }
    let results = c
        .ok(
            Api::V2,
            "/api/v2/policyresults?limit=100",
            "/policyresults",
            &[],
        )
        .await;
    assert!(
        results.as_array().is_some_and(|r| !r.is_empty()),
        "a healthy org has policy results"
    );
    sim.shutdown().await;
}

#[tokio::test]
async fn ldap_servers_match_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let servers = c
        .ok(Api::V2, "/api/v2/ldapservers", "/ldapservers", &[])
        .await;
    let id = first_id(&servers);
    c.ok(
        Api::V2,
        &format!("/api/v2/ldapservers/{id}"),
        "/ldapservers/{id}",
        &[],
    )
    .await;
    for targets in ["user_group", "user"] {
        c.ok(
            Api::V2,
            &format!("/api/v2/ldapservers/{id}/associations?targets={targets}"),
            "/ldapservers/{ldapserver_id}/associations",
            &[],
        )
        .await;
    }
    c.ok(
        Api::V2,
        &format!("/api/v2/ldapservers/{id}/usergroups"),
        "/ldapservers/{ldapserver_id}/usergroups",
        &[],
    )
    .await;
    c.ok(
        Api::V2,
        &format!("/api/v2/ldapservers/{id}/users?limit=100"),
        "/ldapservers/{ldapserver_id}/users",
        &[],
    )
    .await;
    sim.shutdown().await;
}

#[tokio::test]
async fn radius_graph_matches_the_v2_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let servers = get(&sim, "/api/radiusservers").await.json();
    for id in common::ids(&servers) {
        for targets in ["user_group", "user", "system_group"] {
            c.ok(
                Api::V2,
                &format!("/api/v2/radiusservers/{id}/associations?targets={targets}"),
                "/radiusservers/{radiusserver_id}/associations",
                &[],
            )
            .await;
        }
        c.ok(
            Api::V2,
            &format!("/api/v2/radiusservers/{id}/usergroups"),
            "/radiusservers/{radiusserver_id}/usergroups",
            &[],
        )
        .await;
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn documented_error_responses_match_the_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    let c = Conformance { specs, sim: &sim };
    let too_many = get(&sim, "/api/v2/usergroups?limit=101").await;
    c.error(
        Api::V2,
        "/usergroups",
        &too_many,
        400,
        "limit=101 on /usergroups (the cap is 100)",
    );
    let too_many = get(&sim, "/api/v2/systemgroups?limit=101").await;
    c.error(
        Api::V2,
        "/systemgroups",
        &too_many,
        400,
        "limit=101 on /systemgroups (the cap is 100)",
    );
    let system = first_id(&get(&sim, "/api/systems").await.json());
    let wrong_key = get_with(
        &format!("{}/api/v2/systems/{system}/policystatuses", sim.base_url()),
        Some("jca_0000000000000000000000000000000000wrong"),
        None,
    )
    .await;
    c.error(
        Api::V2,
        "/systems/{system_id}/policystatuses",
        &wrong_key,
        401,
        "a wrong key",
    );
    sim.shutdown().await;

    let runner = start_scenario(Scenario::CommandRunner).await;
    let c = Conformance {
        specs,
        sim: &runner,
    };
    let forbidden = get(&runner, "/api/v2/usergroups").await;
    c.error(
        Api::V2,
        "/usergroups",
        &forbidden,
        403,
        "a Command Runner key on /usergroups",
    );
    let forbidden = get(&runner, "/api/v2/systemgroups").await;
    c.error(
        Api::V2,
        "/systemgroups",
        &forbidden,
        403,
        "a Command Runner key on /systemgroups",
    );
    runner.shutdown().await;
}

#[tokio::test]
async fn undocumented_routes_are_really_absent_from_the_spec() {
    let Some((specs, sim)) = healthy().await else {
        return;
    };
    // /api/settings and /api/users (admin list) are undocumented: no GET in the spec.
    for path in ["/settings", "/users"] {
        let get_op = specs
            .v1
            .get("paths")
            .and_then(|p| p.get(path))
            .and_then(|p| p.get("get"));
        assert!(
            get_op.is_none(),
            "V1 {path} should have no documented GET; if it gained one, validate it here"
        );
    }
    // The admin records still follow the spec's `userreturn` schema, the model of an admin.
    let admins = get(&sim, "/api/users").await.json();
    let schema = json!({"$ref": "#/components/schemas/userreturn"});
    for admin in records(&admins) {
        let errors = schema_errors(&specs.v1, &schema, admin, false);
        assert!(
            errors.is_empty(),
            "admin records follow the V1 userreturn schema: {errors:?}"
        );
    }
    sim.shutdown().await;
}

#[tokio::test]
async fn service_accounts_match_the_v2_spec() {
    let Some(specs) = specs() else {
        return;
    };
    for scenario in [Scenario::ServiceAccount, Scenario::ServiceAccountExpired] {
        let sim = start_scenario(scenario).await;
        if scenario == Scenario::ServiceAccountExpired {
            let refused = get(&sim, "/api/v2/service-accounts").await;
            assert_eq!(refused.status, 401, "an expired account's key is refused");
            sim.shutdown().await;
            continue;
        }
        let c = Conformance { specs, sim: &sim };
        let accounts = c
            .ok(
                Api::V2,
                "/api/v2/service-accounts?limit=100&skip=0",
                "/service-accounts",
                &[],
            )
            .await;
        assert_eq!(
            accounts["results"].as_array().map(Vec::len),
            Some(2),
            "{scenario}: both accounts are listed"
        );
        sim.shutdown().await;
    }
}

#[tokio::test]
async fn roles_match_the_v2_spec() {
    let Some(specs) = specs() else {
        return;
    };
    for scenario in [Scenario::Healthy, Scenario::CustomRolePartial] {
        let sim = start_scenario(scenario).await;
        let c = Conformance { specs, sim: &sim };
        let roles = c
            .ok(
                Api::V2,
                "/api/v2/roles?limit=100&skip=0&sort=id",
                "/roles",
                &[],
            )
            .await;
        assert!(
            roles["results"]
                .as_array()
                .is_some_and(|r| r.iter().any(|role| role["name"] == sim.role().0)),
            "{scenario}: the key's role is in the list"
        );
        for id in common::ids(&roles) {
            c.ok(
                Api::V2,
                &format!("/api/v2/roles/{id}"),
                "/roles/{role_id}",
                &[],
            )
            .await;
        }
        let missing = get(&sim, "/api/v2/roles/000000000000000000000000").await;
        c.error(
            Api::V2,
            "/roles/{role_id}",
            &missing,
            404,
            "an unknown role",
        );
        sim.shutdown().await;
    }
    let runner = start_scenario(Scenario::CommandRunner).await;
    let c = Conformance {
        specs,
        sim: &runner,
    };
    let refused = get(&runner, "/api/v2/roles").await;
    c.error(
        Api::V2,
        "/roles",
        &refused,
        403,
        "a Command Runner key (no roles.readonly) on /roles",
    );
    runner.shutdown().await;
}

/// One path per route the sim serves.
const EVERY_ROUTE: &[&str] = &[
    "/api/organizations",
    "/api/organizations/5f14e379abf74c0001a1b2c3",
    "/api/settings",
    "/api/users",
    "/api/systemusers",
    "/api/systemusers/5f14e379abf74c0001a1b2c3",
    "/api/applications",
    "/api/applications/5f14e379abf74c0001a1b2c3",
    "/api/systems",
    "/api/systems/5f14e379abf74c0001a1b2c3",
    "/api/radiusservers",
    "/api/radiusservers/5f14e379abf74c0001a1b2c3",
    "/api/v2/logos/5f14e379abf74c0001a1b2c3",
    "/api/v2/usergroups",
    "/api/v2/usergroups/5f14e379abf74c0001a1b2c3",
    "/api/v2/usergroups/5f14e379abf74c0001a1b2c3/members",
    "/api/v2/usergroups/5f14e379abf74c0001a1b2c3/membership",
    "/api/v2/users/5f14e379abf74c0001a1b2c3/memberof",
    "/api/v2/users/5f14e379abf74c0001a1b2c3/applications",
    "/api/v2/users/5f14e379abf74c0001a1b2c3/systems",
    "/api/v2/applications/5f14e379abf74c0001a1b2c3/associations",
    "/api/v2/applications/5f14e379abf74c0001a1b2c3/usergroups",
    "/api/v2/applications/5f14e379abf74c0001a1b2c3/users",
    "/api/v2/systems/5f14e379abf74c0001a1b2c3/memberof",
    "/api/v2/systems/5f14e379abf74c0001a1b2c3/users",
    "/api/v2/systems/5f14e379abf74c0001a1b2c3/policystatuses",
    "/api/v2/systems/5f14e379abf74c0001a1b2c3/fdekey",
    "/api/v2/systemgroups",
    "/api/v2/systemgroups/5f14e379abf74c0001a1b2c3",
    "/api/v2/systemgroups/5f14e379abf74c0001a1b2c3/members",
    "/api/v2/systemgroups/5f14e379abf74c0001a1b2c3/membership",
    "/api/v2/policies",
    "/api/v2/policies/5f14e379abf74c0001a1b2c3",
    "/api/v2/policies/5f14e379abf74c0001a1b2c3/policystatuses",
    "/api/v2/policyresults",
    "/api/v2/ldapservers",
    "/api/v2/ldapservers/5f14e379abf74c0001a1b2c3",
    "/api/v2/ldapservers/5f14e379abf74c0001a1b2c3/associations",
    "/api/v2/ldapservers/5f14e379abf74c0001a1b2c3/usergroups",
    "/api/v2/ldapservers/5f14e379abf74c0001a1b2c3/users",
    "/api/v2/radiusservers/5f14e379abf74c0001a1b2c3/associations",
    "/api/v2/radiusservers/5f14e379abf74c0001a1b2c3/usergroups",
    "/api/v2/roles",
    "/api/v2/roles/5f14e379abf74c0001a1b2c3",
    "/api/v2/service-accounts",
];

#[test]
fn every_route_needs_the_scopes_the_spec_names() {
    let Some(specs) = specs() else {
        return;
    };
    for path in EVERY_ROUTE {
        let needs = jc_sim::route_scopes(path).unwrap_or_else(|| panic!("the sim serves {path}"));
        let Some((version, spec_path)) = needs.documented else {
            assert!(
                matches!(*path, "/api/settings" | "/api/users"),
                "{path}: only the two undocumented routes have no spec path"
            );
            let spec_path = path.trim_start_matches("/api");
            assert!(
                specs
                    .v1
                    .pointer(&format!("/paths/{}/get", spec_path.replace('/', "~1")))
                    .is_none(),
                "{path} is really undocumented"
            );
            continue;
        };
        let prefix = if version == "1.0" { "/api" } else { "/api/v2" };
        let op = specs
            .operation("GET", &format!("{prefix}{spec_path}"))
            .unwrap_or_else(|| panic!("{path}: the {version} spec documents GET {spec_path}"));
        let ours: BTreeSet<&str> = needs.scopes.unwrap_or_default().iter().copied().collect();
        let theirs: BTreeSet<&str> = op.scopes.iter().map(String::as_str).collect();
        assert_eq!(
            ours, theirs,
            "{path}: the sim gates it on exactly the spec's x-scopes for GET {spec_path}"
        );
    }
}

#[test]
fn built_in_roles_come_from_the_specs_scope_vocabulary() {
    let Some(specs) = specs() else {
        return;
    };
    let ours: BTreeSet<String> = jc_sim::scopes::VOCABULARY
        .iter()
        .map(|s| (*s).to_owned())
        .collect();
    assert_eq!(
        ours,
        specs.scope_vocabulary(),
        "the simulator's scope vocabulary is every scope the specs name"
    );
}
