//! A role's scopes against the least privilege the product needs.

use super::area;
use jc_api::calls::{self, Scope};
use serde::{Deserialize, Serialize};

use super::words;

/// How a role's permissions compare with what this connection needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum RoleVerdict {
    /// Exactly the read-only permissions needed.
    Exact,
    /// Read-only, every permission needed, and more areas than needed.
    ReadOnlyBroader,
    /// Can change something: write scopes beyond need.
    CanChange,
    /// Misses read permissions some categories need.
    Lacking,
    /// Misses what the connection cannot do without (users, or the organization).
    CannotRead,
    /// The role's permissions could not be read.
    Unknown,
}

impl RoleVerdict {
    /// The verdict's headline, in the words the app shows; the role's own sentence follows it.
    pub fn label(self) -> &'static str {
        match self {
            RoleVerdict::Exact => "The role has exactly the permissions this connection needs",
            RoleVerdict::ReadOnlyBroader => {
                "The role is read-only, and can read more than this connection needs"
            }
            RoleVerdict::CanChange => {
                "The role can change things in JumpCloud: more than this connection needs"
            }
            RoleVerdict::Lacking => "The role is missing permissions this connection needs",
            RoleVerdict::CannotRead => "The role cannot read what this connection needs",
            RoleVerdict::Unknown => "The role's permissions could not be read",
        }
    }
}

/// One scope a role holds beyond need.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct ExtraScope {
    pub scope: String,
    /// What it lets the key do: "can also change users".
    pub words: String,
    /// Whether it changes things (or runs commands) rather than only reading.
    pub write: bool,
    /// The read-only scope that is all this connection needs in its place, when there is one.
    pub instead: Option<String>,
}

/// The key's role against the least privilege set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RoleScopes {
    pub name: Option<String>,
    /// Whether the role's permissions were read from JumpCloud's role list.
    pub read: bool,
    pub verdict: RoleVerdict,
    /// `verdict` in words (empty in views stored before it was added).
    #[serde(default)]
    pub verdict_label: String,
    /// Read-only scopes this connection needs that the role lacks.
    pub missing: Vec<String>,
    /// Scopes the role holds that this connection does not need, changing ones first.
    pub beyond: Vec<ExtraScope>,
    /// One plain paragraph saying all of the above.
    pub message: String,
}

/// Needed scopes a role lacks: a scope is covered when every call needing it is allowed by one of
/// the role's scopes (`users` covers `users.readonly`, as the spec's `x-scopes` say).
pub fn missing_scopes<S: AsRef<str>>(held: &[S]) -> Vec<&'static str> {
    let mut missing: Vec<&'static str> = Vec::new();
    for call in calls::ALL.iter().filter(|c| !calls::is_optional(c)) {
        if let (Scope::ReadOnly(scope), Some(false)) = (call.scope(), call.allowed_by(held)) {
            if !missing.contains(&scope) {
                missing.push(scope);
            }
        }
    }
    missing
}

/// Compares a role's scopes with the least privilege set.
pub fn compare(name: Option<&str>, held: &[String]) -> RoleScopes {
    let minimal = calls::minimal_scopes();
    let missing = missing_scopes(held);
    let mut beyond: Vec<ExtraScope> = held
        .iter()
        .filter(|s| !minimal.contains(&s.as_str()))
        .map(|s| ExtraScope {
            scope: s.clone(),
            words: words::beyond(s),
            write: words::is_write(s),
            instead: minimal
                .iter()
                .find(|m| m.strip_suffix(".readonly") == Some(s.as_str()))
                .map(|m| (*m).to_owned()),
        })
        .collect();
    let rank = |e: &ExtraScope| {
        e.instead
            .as_deref()
            .and_then(|read| minimal.iter().position(|m| *m == read))
            .unwrap_or(usize::MAX)
    };
    beyond.sort_by(|a, b| (!a.write, rank(a), &a.scope).cmp(&(!b.write, rank(b), &b.scope)));
    let cannot_read = missing.iter().any(|scope| {
        calls::ALL
            .iter()
            .any(|c| area::mandatory(c.area) && c.scope().id() == Some(*scope))
    });
    let changes: Vec<&ExtraScope> = beyond.iter().filter(|e| e.write).collect();
    let verdict = if cannot_read {
        RoleVerdict::CannotRead
    } else if !changes.is_empty() {
        RoleVerdict::CanChange
    } else if !missing.is_empty() {
        RoleVerdict::Lacking
    } else if !beyond.is_empty() {
        RoleVerdict::ReadOnlyBroader
    } else {
        RoleVerdict::Exact
    };
    let role = name.map_or("The key's role".to_owned(), |n| format!("The {n} role"));
    let mut parts = Vec::new();
    match verdict {
        RoleVerdict::Exact => parts.push(format!(
            "{role} has exactly the read-only permissions this connection needs."
        )),
        RoleVerdict::ReadOnlyBroader => parts.push(format!(
            "{role} is read-only and has every permission this connection needs. It can also read {} \
             other kinds of data this connection does not use.",
            beyond.len()
        )),
        RoleVerdict::CanChange => parts.push(format!("{role} {}.", change_list(&changes))),
        RoleVerdict::Lacking | RoleVerdict::CannotRead | RoleVerdict::Unknown => {}
    }
    if !missing.is_empty() {
        let subject = if parts.is_empty() {
            role
        } else {
            "It also".to_owned()
        };
        parts.push(format!(
            "{subject} lacks {} this connection needs: {}.",
            plural(missing.len(), "read permission", "read permissions"),
            missing
                .iter()
                .map(|s| format!("{s} ({})", words::used_for(s)))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let message = parts.join(" ");
    RoleScopes {
        name: name.map(str::to_owned),
        read: true,
        verdict,
        verdict_label: verdict.label().to_owned(),
        missing: missing.into_iter().map(str::to_owned).collect(),
        beyond,
        message,
    }
}

/// A role whose permissions could not be read, and why.
pub fn unread(name: Option<&str>, why: &str) -> RoleScopes {
    RoleScopes {
        name: name.map(str::to_owned),
        read: false,
        verdict: RoleVerdict::Unknown,
        verdict_label: RoleVerdict::Unknown.label().to_owned(),
        missing: Vec::new(),
        beyond: Vec::new(),
        message: why.to_owned(),
    }
}

/// "can also change users (users; only users.readonly is needed) and change ... (and 40 more
/// permissions that change things)".
fn change_list(changes: &[&ExtraScope]) -> String {
    const NAMED: usize = 4;
    let named: Vec<String> = changes
        .iter()
        .take(NAMED)
        .enumerate()
        .map(|(n, e)| {
            let words = match n {
                0 => e.words.as_str(),
                _ => e.words.trim_start_matches("can also "),
            };
            match &e.instead {
                Some(read) => format!("{words} ({}; only {read} is needed)", e.scope),
                None => format!("{words} ({})", e.scope),
            }
        })
        .collect();
    let mut text = match named.split_last() {
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
        None => String::new(),
    };
    let more = changes.len().saturating_sub(NAMED);
    if more > 0 {
        text.push_str(&format!(
            " (and {})",
            plural(
                more,
                "more permission that changes things",
                "more permissions that change things"
            )
        ));
    }
    text
}

pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn owned(scopes: &[&str]) -> Vec<String> {
        scopes.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn the_minimal_set_is_exact() {
        let minimal = owned(&calls::minimal_scopes());
        let compared = compare(Some("Integration"), &minimal);
        assert_eq!(compared.verdict, RoleVerdict::Exact, "{compared:?}");
        assert!(compared.missing.is_empty() && compared.beyond.is_empty());
    }

    #[test]
    fn write_scopes_are_named_with_what_is_needed_instead() {
        let mut held = owned(&calls::minimal_scopes());
        held.retain(|s| s != "users.readonly");
        held.push("users".to_owned());
        let compared = compare(Some("Editor"), &held);
        assert_eq!(compared.verdict, RoleVerdict::CanChange);
        assert!(
            compared.missing.is_empty(),
            "users covers users.readonly: {compared:?}"
        );
        assert!(
            compared
                .message
                .contains("can also change users (users; only users.readonly is needed)"),
            "{}",
            compared.message
        );
    }

    #[test]
    fn missing_scopes_name_the_categories_they_cost() {
        let mut held = owned(&calls::minimal_scopes());
        held.retain(|s| s != "systems.readonly" && s != "radius.readonly");
        let compared = compare(Some("Directory Reader"), &held);
        assert_eq!(compared.verdict, RoleVerdict::Lacking);
        assert_eq!(compared.missing, ["systems.readonly", "radius.readonly"]);
        assert!(
            compared.message.contains("lacks 2 read permissions"),
            "{}",
            compared.message
        );
        assert!(
            compared
                .message
                .contains("radius.readonly (RADIUS servers)"),
            "{}",
            compared.message
        );
    }

    #[test]
    fn a_role_without_users_cannot_read() {
        let compared = compare(Some("Command Runner"), &owned(&["commandrunner.legacy"]));
        assert_eq!(compared.verdict, RoleVerdict::CannotRead, "{compared:?}");
    }
}
