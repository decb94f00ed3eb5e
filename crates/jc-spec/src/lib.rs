//! JumpCloud's official OpenAPI 3.1 specs (`jumpcloud-docs-public/api/{1.0,2.0}/index.yaml`), loaded
//! for tests and code generators. Never a dependency of shipped code: the client and the simulator
//! carry what they need from the specs in committed, checked files.
//!
//! Where: `$JC_SPECS_DIR`, else `<workspace>/../shared/jumpcloud-api/specs`. Missing specs make
//! [`Specs::shared_or_skip`] return `None` after saying so, except with `CI=true`, where it panics.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::OnceLock;

use serde_json::Value;

/// The two console API specs.
pub struct Specs {
    /// `api/1.0`: paths under `/api`.
    pub v1: Value,
    /// `api/2.0`: paths under `/api/v2`.
    pub v2: Value,
}

#[derive(Debug, Clone)]
pub enum LoadError {
    /// No spec file where we looked.
    Missing(String),
    /// A spec file that does not parse, or a deviation that no longer applies.
    Broken(String),
}

/// Where recorded real responses contradict a spec, the spec is widened one node at a time.
#[derive(Debug, Clone, Copy)]
pub struct Deviation {
    /// `1.0` or `2.0`.
    pub version: &'static str,
    /// A JSON pointer into that spec.
    pub pointer: &'static str,
    /// JSON that replaces the node.
    pub replacement: &'static str,
    /// Why: the observation that contradicts the spec.
    pub evidence: &'static str,
}

/// The folder holding `jumpcloud-docs-public/`.
pub fn specs_dir() -> PathBuf {
    match std::env::var_os("JC_SPECS_DIR") {
        Some(dir) => PathBuf::from(dir),
        None => {
            PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/jumpcloud-api/specs")
        }
    }
}

/// One spec version as JSON, with `deviations` for that version applied.
pub fn load_version(version: &str, deviations: &[Deviation]) -> Result<Value, LoadError> {
    let file = specs_dir()
        .join("jumpcloud-docs-public/api")
        .join(version)
        .join("index.yaml");
    let text = std::fs::read_to_string(&file)
        .map_err(|e| LoadError::Missing(format!("{}: {e}", file.display())))?;
    let mut spec: Value = serde_yaml_ng::from_str(&text)
        .map_err(|e| LoadError::Broken(format!("{} does not parse: {e}", file.display())))?;
    for deviation in deviations.iter().filter(|d| d.version == version) {
        let slot = spec.pointer_mut(deviation.pointer).ok_or_else(|| {
            LoadError::Broken(format!(
                "deviation {} ({}) no longer applies",
                deviation.pointer, deviation.evidence
            ))
        })?;
        *slot = serde_json::from_str(deviation.replacement)
            .map_err(|e| LoadError::Broken(format!("{}: {e}", deviation.pointer)))?;
    }
    Ok(spec)
}

impl Specs {
    pub fn load(deviations: &[Deviation]) -> Result<Specs, LoadError> {
        Ok(Specs {
            v1: load_version("1.0", deviations)?,
            v2: load_version("2.0", deviations)?,
        })
    }

    /// The specs as published, loaded once per process; `None` (after saying why) when they are
    /// absent outside CI.
    pub fn shared_or_skip(what: &str) -> Option<&'static Specs> {
        static SHARED: OnceLock<Result<Specs, LoadError>> = OnceLock::new();
        or_skip(SHARED.get_or_init(|| Specs::load(&[])), what)
    }

    /// The spec and the spec-relative path for a full request path: `/api/v2/usergroups` is
    /// `/usergroups` in the V2 spec, `/api/systemusers` is `/systemusers` in the V1 spec.
    pub fn locate<'a>(&self, full_path: &'a str) -> Option<(&Value, &'a str)> {
        if let Some(rest) = full_path.strip_prefix("/api/v2/") {
            return Some((&self.v2, &full_path[full_path.len() - rest.len() - 1..]));
        }
        let rest = full_path.strip_prefix("/api/")?;
        Some((&self.v1, &full_path[full_path.len() - rest.len() - 1..]))
    }

    /// What the spec says about `method full_path` (`GET`, `/api/v2/usergroups/{group_id}/members`),
    /// or `None` when it documents no such operation.
    pub fn operation(&self, method: &str, full_path: &str) -> Option<Operation> {
        let (spec, path) = self.locate(full_path)?;
        let item = spec.get("paths")?.get(path)?;
        let op = item.get(method.to_ascii_lowercase())?;
        let parameters: Vec<&Value> = [item.get("parameters"), op.get("parameters")]
            .into_iter()
            .flatten()
            .filter_map(Value::as_array)
            .flatten()
            .map(|p| resolve(spec, p))
            .collect();
        let named = |place: &str| -> BTreeSet<String> {
            parameters
                .iter()
                .filter(|p| p.get("in").and_then(Value::as_str) == Some(place))
                .filter_map(|p| p.get("name").and_then(Value::as_str))
                .map(str::to_owned)
                .collect()
        };
        let limit_max = parameters
            .iter()
            .find(|p| {
                p.get("in").and_then(Value::as_str) == Some("query")
                    && p.get("name").and_then(Value::as_str) == Some("limit")
            })
            .and_then(|p| p.pointer("/schema/maximum"))
            .and_then(Value::as_u64);
        Some(Operation {
            operation_id: op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned(),
            scopes: op
                .get("x-scopes")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect(),
            query: named("query"),
            path_params: named("path"),
            limit_max,
        })
    }

    /// Every scope any operation of either spec names in `x-scopes`.
    pub fn scope_vocabulary(&self) -> BTreeSet<String> {
        let mut scopes = BTreeSet::new();
        for spec in [&self.v1, &self.v2] {
            let items = spec.get("paths").and_then(Value::as_object);
            for item in items.into_iter().flat_map(|m| m.values()) {
                let ops = item.as_object().into_iter().flat_map(|m| m.values());
                for op in ops {
                    let named = op.get("x-scopes").and_then(Value::as_array);
                    scopes.extend(
                        named
                            .into_iter()
                            .flatten()
                            .filter_map(Value::as_str)
                            .map(str::to_owned),
                    );
                }
            }
        }
        scopes
    }
}

/// The loaded specs, or `None` after saying why they are absent; panics in CI or when broken.
pub fn or_skip<'a>(loaded: &'a Result<Specs, LoadError>, what: &str) -> Option<&'a Specs> {
    match loaded {
        Ok(specs) => Some(specs),
        Err(LoadError::Broken(why)) => {
            panic!("the JumpCloud specs are present but unusable: {why}")
        }
        Err(LoadError::Missing(why)) => {
            if std::env::var("CI").is_ok_and(|v| v == "true") {
                panic!("CI=true requires the JumpCloud specs for {what}, but {why}");
            }
            eprintln!(
                "SKIPPED {what}: JumpCloud OpenAPI specs not found ({why}). \
                 Set JC_SPECS_DIR to the folder that holds jumpcloud-docs-public/."
            );
            None
        }
    }
}

/// One operation, as far as the callers of this crate care.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    pub operation_id: String,
    /// `x-scopes`: holding any one of them is enough.
    pub scopes: Vec<String>,
    /// Query parameter names the operation declares.
    pub query: BTreeSet<String>,
    /// Path parameter names, e.g. `group_id`.
    pub path_params: BTreeSet<String>,
    /// The `limit` parameter's `maximum`, when the schema states one.
    pub limit_max: Option<u64>,
}

/// Follows local `$ref`s (`#/components/...`) until a non-reference node.
pub fn resolve<'a>(spec: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..16 {
        let Some(reference) = node.get("$ref").and_then(Value::as_str) else {
            return node;
        };
        let pointer = reference
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("only local refs expected, got {reference}"));
        node = spec
            .pointer(pointer)
            .unwrap_or_else(|| panic!("the spec's {reference} resolves"));
    }
    panic!("a $ref chain in the spec is too deep");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_paths_find_their_spec() {
        let specs = Specs {
            v1: Value::from("v1"),
            v2: Value::from("v2"),
        };
        let (spec, path) = specs
            .locate("/api/v2/usergroups/{group_id}/members")
            .expect("v2");
        assert_eq!(
            (spec.as_str(), path),
            (Some("v2"), "/usergroups/{group_id}/members")
        );
        let (spec, path) = specs.locate("/api/systemusers").expect("v1");
        assert_eq!((spec.as_str(), path), (Some("v1"), "/systemusers"));
        assert!(specs.locate("/insights/directory/v1/events").is_none());
    }
}
