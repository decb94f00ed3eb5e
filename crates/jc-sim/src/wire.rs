//! JumpCloud's wire format: list query parameters, V1/V2 paging, `fields` projection, error bodies.

use axum::http::{HeaderName, HeaderValue, StatusCode};
use serde_json::{json, Map, Value};

pub const JSON: &str = "application/json; charset=utf-8";
pub const MAX_LIMIT: usize = 100;
pub const DEFAULT_LIMIT: usize = 10;

/// A response before the common headers are added.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: StatusCode,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    pub headers: Vec<(HeaderName, HeaderValue)>,
}

impl Reply {
    pub fn json(status: StatusCode, value: &Value) -> Reply {
        Reply {
            status,
            content_type: JSON,
            body: serde_json::to_vec(value).unwrap_or_default(),
            headers: Vec::new(),
        }
    }

    pub fn ok(value: &Value) -> Reply {
        Reply::json(StatusCode::OK, value)
    }

    /// V1 list: `{"totalCount": N, "results": [...]}`.
    pub fn v1_list(total: usize, results: Vec<Value>) -> Reply {
        Reply::ok(&json!({"totalCount": total, "results": results}))
    }

    /// V2 list: a bare array, the total in `x-total-count`.
    pub fn v2_list(total: usize, results: Vec<Value>) -> Reply {
        let mut reply = Reply::ok(&Value::Array(results));
        reply.headers.push((
            HeaderName::from_static("x-total-count"),
            HeaderValue::from(total),
        ));
        reply
    }

    pub fn bytes(status: StatusCode, content_type: &'static str, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type,
            body,
            headers: Vec::new(),
        }
    }
}

/// Error bodies, each as JumpCloud sends it (a JSON `message`, often with `error`) or as the spec's Error schema shapes it.
pub mod errors {
    use super::*;

    fn message(status: StatusCode, text: &str) -> Reply {
        Reply::json(status, &json!({"message": text}))
    }

    /// A wrong, expired or other-region key.
    pub fn unknown_key() -> Reply {
        Reply::json(
            StatusCode::UNAUTHORIZED,
            &json!({"error": "Unauthorized", "message": "Unauthorized: api key user not found"}),
        )
    }

    /// A bearer token past its time.
    pub fn expired_token() -> Reply {
        message(StatusCode::UNAUTHORIZED, "Unauthorized: token expired")
    }

    pub fn missing_key() -> Reply {
        message(StatusCode::UNAUTHORIZED, "Unauthorized")
    }

    pub fn no_org_selected() -> Reply {
        message(
            StatusCode::UNAUTHORIZED,
            "Unauthorized: no organization selected",
        )
    }

    pub fn malformed_id() -> Reply {
        message(StatusCode::BAD_REQUEST, "Malformed ID")
    }

    pub fn org_not_found() -> Reply {
        message(StatusCode::NOT_FOUND, "Organization ID Not Found")
    }

    pub fn org_header_not_allowed() -> Reply {
        let text = "Forbidden: organization selection not allowed via header";
        Reply::json(
            StatusCode::FORBIDDEN,
            &json!({"message": text, "error": text}),
        )
    }

    /// The role lacks the route's scope.
    pub fn forbidden() -> Reply {
        Reply::json(
            StatusCode::FORBIDDEN,
            &json!({"code": 403, "message": "Forbidden", "status": "Forbidden"}),
        )
    }

    /// Unknown path (the edge's answer) or, on V1, an unknown record.
    pub fn not_found() -> Reply {
        message(StatusCode::NOT_FOUND, "Not Found")
    }

    /// An unknown record on a V2 route, in the spec's Error shape.
    pub fn v2_not_found(what: &str) -> Reply {
        Reply::json(
            StatusCode::NOT_FOUND,
            &json!({"code": 404, "message": format!("{what} not found"), "status": "Not Found"}),
        )
    }

    pub fn method_not_allowed() -> Reply {
        message(StatusCode::METHOD_NOT_ALLOWED, "Method Not Allowed")
    }

    /// A bad query parameter, in the spec's ErrorDetails shape.
    pub fn bad_parameter(field: &str, description: &str) -> Reply {
        Reply::json(
            StatusCode::BAD_REQUEST,
            &json!({
                "code": 400,
                "message": format!("{field}: {description}"),
                "status": "INVALID_ARGUMENT",
                "details": [{
                    "@type": "type.googleapis.com/google.rpc.BadRequest",
                    "fieldViolations": [{"field": field, "description": description}],
                }],
            }),
        )
    }

    pub fn too_many_requests(retry_after: bool) -> Reply {
        let mut reply = Reply::bytes(
            StatusCode::TOO_MANY_REQUESTS,
            "text/plain; charset=utf-8",
            b"Too Many Requests".to_vec(),
        );
        if retry_after {
            reply.headers.push((
                HeaderName::from_static("retry-after"),
                HeaderValue::from_static("1"),
            ));
        }
        reply
    }

    pub fn service_unavailable() -> Reply {
        message(StatusCode::SERVICE_UNAVAILABLE, "Service Unavailable")
    }

    /// What Cloudflare shows when the origin misbehaves.
    pub fn cloudflare_bad_gateway(ray: &str) -> Reply {
        let page = format!(
            "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head><title>console.jumpcloud.com | 502: Bad gateway</title></head>\n<body>\n<h1>Bad gateway <span>Error code 502</span></h1>\n<p>The web server reported a bad gateway error.</p>\n<p>Cloudflare Ray ID: <strong>{ray}</strong></p>\n</body>\n</html>\n"
        );
        Reply::bytes(
            StatusCode::BAD_GATEWAY,
            "text/html; charset=UTF-8",
            page.into_bytes(),
        )
    }
}

/// Which API generation a route belongs to; they separate list parameters differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Api {
    V1,
    V2,
}

/// The query parameters every list route understands.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub limit: usize,
    pub skip: usize,
    pub descending: bool,
    /// Requested fields; `None` = all.
    pub fields: Option<Vec<String>>,
}

impl Default for ListQuery {
    fn default() -> Self {
        ListQuery {
            limit: DEFAULT_LIMIT,
            skip: 0,
            descending: false,
            fields: None,
        }
    }
}

/// Decoded query pairs.
#[derive(Debug, Clone, Default)]
pub struct Params(Vec<(String, String)>);

impl Params {
    pub fn parse(raw: Option<&str>) -> Params {
        Params(
            raw.map(|q| {
                url::form_urlencoded::parse(q.as_bytes())
                    .into_owned()
                    .collect()
            })
            .unwrap_or_default(),
        )
    }

    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.0
            .iter()
            .filter(move |(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// `targets` of an association route: required, each one of `allowed`.
    pub fn targets(&self, allowed: &[&str]) -> Result<Vec<String>, Reply> {
        let given: Vec<String> = self
            .all("targets")
            .flat_map(|v| v.split(','))
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect();
        if given.is_empty() {
            return Err(errors::bad_parameter("targets", "is required"));
        }
        if let Some(bad) = given.iter().find(|t| !allowed.contains(&t.as_str())) {
            return Err(errors::bad_parameter(
                "targets",
                &format!("{bad:?} is not one of {}", allowed.join(", ")),
            ));
        }
        Ok(given)
    }

    pub fn list_query(&self, api: Api) -> Result<ListQuery, Reply> {
        let number = |name: &str, default: usize| -> Result<usize, Reply> {
            match self.get(name).map(str::trim) {
                None | Some("") => Ok(default),
                Some(text) => text
                    .parse::<usize>()
                    .map_err(|_| errors::bad_parameter(name, "must be a non-negative integer")),
            }
        };
        let limit = number("limit", DEFAULT_LIMIT)?;
        if limit > MAX_LIMIT {
            return Err(errors::bad_parameter(
                "limit",
                "must be less than or equal to 100",
            ));
        }
        let skip = number("skip", 0)?;
        // Only the id orders; other sort keys are accepted and fall back to id order.
        let descending = self
            .all("sort")
            .flat_map(|s| split_list(api, s))
            .find(|key| matches!(key.trim_start_matches('-'), "_id" | "id"))
            .is_some_and(|key| key.starts_with('-'));
        Ok(ListQuery {
            limit,
            skip,
            descending,
            fields: self.fields(api),
        })
    }

    /// `fields`: V1 separates with spaces, V2 with commas (or repeats the parameter).
    pub fn fields(&self, api: Api) -> Option<Vec<String>> {
        let fields: Vec<String> = self
            .all("fields")
            .flat_map(|f| split_list(api, f))
            .collect();
        (!fields.is_empty()).then_some(fields)
    }
}

fn split_list(api: Api, text: &str) -> Vec<String> {
    match api {
        Api::V1 => text.split_whitespace().map(str::to_string).collect(),
        Api::V2 => text
            .split(',')
            .map(str::trim)
            .filter(|f| !f.is_empty())
            .map(str::to_string)
            .collect(),
    }
}

impl ListQuery {
    /// Positions (in ascending id order) of the records on the requested page.
    pub fn window(&self, total: usize) -> Vec<usize> {
        let start = self.skip.min(total);
        let end = start.saturating_add(self.limit).min(total);
        if self.descending {
            (start..end).map(|i| total - 1 - i).collect()
        } else {
            (start..end).collect()
        }
    }

    pub fn project(&self, record: Value) -> Value {
        match &self.fields {
            Some(fields) => project(&record, fields),
            None => record,
        }
    }
}

/// Keeps only `fields` (dotted paths reach into objects) plus `_id` and `id`.
pub fn project(record: &Value, fields: &[String]) -> Value {
    let Some(source) = record.as_object() else {
        return record.clone();
    };
    let mut out = Map::new();
    for key in ["_id", "id"] {
        if let Some(v) = source.get(key) {
            out.insert(key.to_string(), v.clone());
        }
    }
    for field in fields {
        let path: Vec<&str> = field.split('.').collect();
        copy_path(source, &mut out, &path);
    }
    Value::Object(out)
}

fn copy_path(source: &Map<String, Value>, out: &mut Map<String, Value>, path: &[&str]) {
    match path {
        [] => {}
        [last] => {
            if let Some(v) = source.get(*last) {
                out.insert((*last).to_string(), v.clone());
            }
        }
        [head, rest @ ..] => {
            let Some(child) = source.get(*head).and_then(Value::as_object) else {
                return;
            };
            let slot = out
                .entry((*head).to_string())
                .or_insert_with(|| Value::Object(Map::new()));
            if let Some(slot) = slot.as_object_mut() {
                copy_path(child, slot, rest);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn query(raw: &str, api: Api) -> Result<ListQuery, Reply> {
        Params::parse(Some(raw)).list_query(api)
    }

    #[test]
    fn defaults_and_limits() {
        let q = query("", Api::V1).expect("empty query is fine");
        assert_eq!((q.limit, q.skip, q.descending), (10, 0, false));
        assert!(query("limit=100", Api::V2).is_ok());
        let err = query("limit=101", Api::V2).expect_err("101 is over the cap");
        assert_eq!(err.status, StatusCode::BAD_REQUEST);
        assert!(query("skip=-1", Api::V1).is_err());
    }

    #[test]
    fn sort_and_fields_follow_each_generation() {
        let v1 = query("sort=-_id&fields=_id%20email+username", Api::V1).expect("valid");
        assert!(v1.descending);
        assert_eq!(
            v1.fields,
            Some(vec!["_id".into(), "email".into(), "username".into()])
        );
        let v2 = query("sort=-id&fields=name,type", Api::V2).expect("valid");
        assert!(v2.descending);
        assert_eq!(v2.fields, Some(vec!["name".into(), "type".into()]));
    }

    #[test]
    fn window_pages_both_ways() {
        let q = ListQuery {
            limit: 2,
            skip: 1,
            ..ListQuery::default()
        };
        assert_eq!(q.window(4), vec![1, 2]);
        assert_eq!(
            ListQuery {
                descending: true,
                ..q.clone()
            }
            .window(4),
            vec![2, 1]
        );
        assert!(q.window(1).is_empty());
    }

    #[test]
    fn projection_keeps_ids_and_dotted_paths() {
        let record = json!({"_id": "a", "id": "a", "name": "n", "config": {"acsUrl": {"value": 1}, "idpPrivateKey": {"value": "s"}}});
        let out = project(&record, &["config.acsUrl".to_string()]);
        assert_eq!(
            out,
            json!({"_id": "a", "id": "a", "config": {"acsUrl": {"value": 1}}})
        );
    }
}
