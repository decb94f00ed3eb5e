//! The table of every call the product makes to JumpCloud: method, path, paging, the query
//! parameters it sends, why, the area (kind of data) it serves, and the permission (scope) JumpCloud's
//! own spec requires. Every request goes through an entry: an endpoint type names its [`Call`],
//! and the client's one request path takes it.
//!
//! What the spec says about each route (its `x-scopes`, the query parameters it declares) is
//! generated into `spec.rs` from JumpCloud's OpenAPI specs; a test regenerates it and fails when
//! the committed file differs. The rest of an entry is written here by hand.

mod area;
mod spec;
mod table;

pub use area::Area;
pub use table::*;

use crate::paging::PageStyle;
use crate::Error;

/// Longest id put in a path; JumpCloud's ids are 24 hex characters.
const MAX_ID_LEN: usize = 64;

/// One call the product makes. Only this crate makes them, so nothing reaches JumpCloud except
/// through an entry of [`ALL`].
#[derive(Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Call {
    pub method: &'static str,
    /// The path template, placeholders named as in the spec: `/api/v2/usergroups/{group_id}/members`.
    pub path: &'static str,
    /// `None` for a route that returns one document.
    pub paging: Option<PageStyle>,
    /// Every query parameter the product may send on this route.
    pub sends: &'static [&'static str],
    /// Why it is called, in one plain sentence.
    pub purpose: &'static str,
    pub area: Area,
    /// For a route the spec does not describe: the evidence that it exists and works.
    pub undocumented: Option<&'static str>,
}

/// What JumpCloud's spec says about one route: generated, never edited by hand.
#[derive(Debug, PartialEq, Eq)]
pub struct SpecFacts {
    pub method: &'static str,
    pub path: &'static str,
    pub operation_id: &'static str,
    /// `x-scopes`: holding any one of them is enough.
    pub scopes: &'static [&'static str],
    /// Query parameters the route declares.
    pub query: &'static [&'static str],
}

/// The permission a call needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    /// The read-only scope the spec names (the narrowest when it names several).
    ReadOnly(&'static str),
    /// The spec does not describe the route, so no one can say.
    Unknown,
}

impl Scope {
    pub fn id(self) -> Option<&'static str> {
        match self {
            Scope::ReadOnly(id) => Some(id),
            Scope::Unknown => None,
        }
    }
}

impl Call {
    /// What the spec says about this route; `None` for an undocumented one.
    pub fn spec(&self) -> Option<&'static SpecFacts> {
        if self.undocumented.is_some() {
            return None;
        }
        spec::FACTS
            .iter()
            .find(|f| f.method == self.method && f.path == self.path)
    }

    /// The read-only permission this call needs.
    pub fn scope(&self) -> Scope {
        let Some(facts) = self.spec() else {
            return Scope::Unknown;
        };
        facts
            .scopes
            .iter()
            .filter(|s| s.ends_with(".readonly"))
            .max_by_key(|s| s.matches('.').count())
            .map_or(Scope::Unknown, |s| Scope::ReadOnly(s))
    }

    /// Whether holding `held` lets a key make this call (`None`: the spec does not say).
    pub fn allowed_by<S: AsRef<str>>(&self, held: &[S]) -> Option<bool> {
        let facts = self.spec()?;
        Some(held.iter().any(|h| facts.scopes.contains(&h.as_ref())))
    }

    pub fn sends(&self, parameter: &str) -> bool {
        self.sends.contains(&parameter)
    }

    /// The `sort` value paging sends, when this route takes one: `_id` on V1, `id` on V2.
    pub fn sort(&self) -> Option<&'static str> {
        match self.paging {
            Some(PageStyle::V1) if self.sends("sort") => Some("_id"),
            Some(PageStyle::V2) if self.sends("sort") => Some("id"),
            _ => None,
        }
    }

    /// The path with each placeholder replaced by the next of `ids`. An id that is empty or
    /// could change the path's meaning is refused, so a record without a usable id is reported
    /// and never requested as, say, `/api/v2/systemgroups//members`.
    pub fn path_for(&self, ids: &[&str]) -> Result<String, Error> {
        let mut path = String::with_capacity(self.path.len() + ids.len() * 24);
        let mut ids = ids.iter();
        for (n, segment) in self.path.split('/').enumerate() {
            if n > 0 {
                path.push('/');
            }
            if !is_placeholder(segment) {
                path.push_str(segment);
                continue;
            }
            let id = ids.next().copied().unwrap_or_default();
            if !is_usable_id(id) {
                return Err(Error::BadId {
                    route: self.path.to_owned(),
                    id: crate::truncate_text(id, MAX_ID_LEN),
                });
            }
            path.push_str(id);
        }
        match ids.next() {
            None => Ok(path),
            Some(extra) => Err(Error::BadId {
                route: self.path.to_owned(),
                id: crate::truncate_text(extra, MAX_ID_LEN),
            }),
        }
    }

    /// Whether a concrete path (no query) is this call's template with ids filled in.
    pub fn matches_path(&self, path: &str) -> bool {
        let mut template = self.path.split('/');
        let mut concrete = path.split('/');
        loop {
            match (template.next(), concrete.next()) {
                (None, None) => return true,
                (Some(t), Some(c)) if is_placeholder(t) => {
                    if !is_usable_id(c) {
                        return false;
                    }
                }
                (Some(t), Some(c)) if t == c => {}
                _ => return false,
            }
        }
    }
}

fn is_placeholder(segment: &str) -> bool {
    segment.starts_with('{') && segment.ends_with('}')
}

/// Letters, digits, `-` and `_`: every JumpCloud id, and nothing that can change a path.
fn is_usable_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= MAX_ID_LEN
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The table entry a request (method and path, without the query) was made through.
pub fn lookup(method: &str, path: &str) -> Option<&'static Call> {
    ALL.iter()
        .copied()
        .find(|c| c.method.eq_ignore_ascii_case(method) && c.matches_path(path))
}

/// The calls that serve one area, in table order.
pub fn serving(area: Area) -> impl Iterator<Item = &'static Call> {
    ALL.iter().copied().filter(move |c| c.area == area)
}

/// Calls that only add detail for some credentials (a service account's expiry and role): a
/// role without their permission still does everything the connection needs, so they are not
/// part of least privilege.
pub static OPTIONAL: &[&Call] = &[&SERVICE_ACCOUNTS];

pub fn is_optional(call: &Call) -> bool {
    OPTIONAL.iter().any(|c| std::ptr::eq(*c, call))
}

/// The read-only scopes one area needs (its calls' scopes, each once, in table order), and
/// whether one of its calls needs a permission no one documents.
pub fn scopes_for(area: Area) -> (Vec<&'static str>, bool) {
    let mut scopes = Vec::new();
    let mut unknown = false;
    for call in serving(area).filter(|c| !is_optional(c)) {
        match call.scope() {
            Scope::ReadOnly(id) if !scopes.contains(&id) => scopes.push(id),
            Scope::ReadOnly(_) => {}
            Scope::Unknown => unknown = true,
        }
    }
    (scopes, unknown)
}

/// Least privilege: every read-only scope the product's calls need, each once, in table order.
pub fn minimal_scopes() -> Vec<&'static str> {
    let mut scopes: Vec<&'static str> = Vec::new();
    for call in ALL.iter().filter(|c| !is_optional(c)) {
        if let Scope::ReadOnly(id) = call.scope() {
            if !scopes.contains(&id) {
                scopes.push(id);
            }
        }
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_built_only_from_usable_ids() {
        let call = &USER_GROUP_MEMBERS;
        assert_eq!(
            call.path_for(&["5f14e379abf74c0001a1b2c3"]).ok().as_deref(),
            Some("/api/v2/usergroups/5f14e379abf74c0001a1b2c3/members")
        );
        for bad in ["", "a/b", "..", "a?b", "a b", "%2e", &"f".repeat(65)] {
            let refused = call.path_for(&[bad]);
            assert!(
                matches!(refused, Err(Error::BadId { .. })),
                "{bad:?} must never reach a path: {refused:?}"
            );
        }
        assert!(
            call.path_for(&[]).is_err(),
            "a missing id is refused, not left as a placeholder"
        );
        assert!(
            USERS.path_for(&["extra"]).is_err(),
            "an id for a path without placeholders is a mistake"
        );
        assert_eq!(
            USERS.path_for(&[]).ok().as_deref(),
            Some("/api/systemusers")
        );
    }

    #[test]
    fn requests_find_their_entry() {
        assert_eq!(
            lookup("GET", "/api/v2/usergroups/abc123/membership"),
            Some(&USER_GROUP_MEMBERSHIP)
        );
        assert_eq!(lookup("get", "/api/systemusers"), Some(&USERS));
        assert_eq!(lookup("GET", "/api/v2/usergroups//members"), None);
        assert_eq!(lookup("POST", "/api/systemusers"), None);
        assert_eq!(lookup("GET", "/api/v2/systems/abc/fdekey"), None);
    }

    #[test]
    fn undocumented_routes_have_an_unknown_scope_and_evidence() {
        for call in ALL {
            assert_eq!(
                call.undocumented.is_some(),
                call.scope() == Scope::Unknown,
                "{} {}: a scope is unknown exactly when the spec does not describe the route",
                call.method,
                call.path
            );
        }
        assert_eq!(ADMINS.scope(), Scope::Unknown);
        assert_eq!(SETTINGS.scope(), Scope::Unknown);
    }

    #[test]
    fn the_narrowest_read_scope_is_the_one_needed() {
        assert_eq!(
            APP_ASSOCIATIONS.scope(),
            Scope::ReadOnly("associations.applications.readonly"),
            "of associations.readonly and associations.applications.readonly, the narrower"
        );
        assert_eq!(USERS.scope(), Scope::ReadOnly("users.readonly"));
        assert_eq!(
            USERS.allowed_by(&["users"]),
            Some(true),
            "write covers read"
        );
        assert_eq!(USERS.allowed_by(&["groups.readonly"]), Some(false));
        assert_eq!(ADMINS.allowed_by(&["users.readonly"]), None);
    }
}
