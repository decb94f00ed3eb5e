//! Least privilege made exact, from the call table: which permission each category needs,
//! whether the key could read it, what to grant when it could not ([`view`]), the key's role
//! against the least privilege set ([`compare`]), the custom role recipe ([`recipe`]) and the
//! list of every call with its purpose and scope ([`reference`]).

mod area;
mod recipe;
mod role;
mod words;

use jc_api::calls::{self, Area, Scope};
use jc_api::Region;
use serde::{Deserialize, Serialize};

use crate::report::{CheckResult, CheckState};

pub use recipe::{recipe, Recipe, RecipePermission, ROLE_NAME};
pub use role::{compare, missing_scopes, unread, ExtraScope, RoleScopes, RoleVerdict};

/// Whether the key could read a category.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "snake_case")]
pub enum Access {
    Readable,
    /// JumpCloud answered 403: the role lacks a permission.
    Forbidden,
    /// The check failed for another reason (network, server), so nothing is known.
    Failed,
    /// The check did not run.
    NotChecked,
}

impl Access {
    /// In the words the app shows.
    pub fn label(self) -> &'static str {
        match self {
            Access::Readable => "Readable",
            Access::Forbidden => "Not allowed",
            Access::Failed => "Not confirmed",
            Access::NotChecked => "Not checked",
        }
    }
}

/// One row of the permission view: a category, the permission it needs, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PermissionRow {
    /// The category's key, e.g. `devices`.
    pub category: String,
    pub label: String,
    /// The read-only scopes its calls need.
    pub needed: Vec<String>,
    /// One of its calls uses a route JumpCloud does not document, whose permission no one knows.
    pub undocumented: bool,
    /// Whether the connection works without it.
    pub optional: bool,
    pub access: Access,
    /// `access` in words (empty in views stored before it was added).
    #[serde(default)]
    pub access_label: String,
    /// For a forbidden category: the exact scopes to grant (empty when no one can say).
    pub grant: Vec<String>,
    /// The row in plain words.
    pub message: String,
}

/// The permission view of one run of the checks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PermissionView {
    /// One row per category: the organizations, the role, then each access check's category.
    pub rows: Vec<PermissionRow>,
    /// The key's role against the least privilege set.
    pub role: RoleScopes,
    /// Least privilege: every read-only scope this connection needs.
    pub minimal: Vec<String>,
    /// One plain sentence: what is missing or beyond need, or that all is well.
    pub summary: String,
    /// How to make a role with exactly `minimal`.
    pub recipe: Recipe,
    /// Whether the recipe is the fix: a category was refused, or the role lacks permissions or
    /// can change things.
    #[serde(default)]
    pub attention: bool,
}

/// The permission view from the checks' results and what the role check learned of the role.
pub fn view(checks: &[CheckResult], role: RoleScopes, region: Option<Region>) -> PermissionView {
    let rows: Vec<PermissionRow> = Area::every().map(|c| row(c, checks, &role)).collect();
    let summary = summary(&rows, &role);
    let attention = rows.iter().any(|r| r.access == Access::Forbidden)
        || matches!(
            role.verdict,
            RoleVerdict::Lacking | RoleVerdict::CannotRead | RoleVerdict::CanChange
        );
    PermissionView {
        attention,
        rows,
        minimal: calls::minimal_scopes()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        summary,
        role,
        recipe: recipe(region),
    }
}

fn row(category: Area, checks: &[CheckResult], role: &RoleScopes) -> PermissionRow {
    let (needed, undocumented) = calls::scopes_for(category);
    let check = checks.iter().find(|c| c.id == area::check_id(category));
    let access = match category {
        Area::Role if role.read => Access::Readable,
        Area::Role => role_access(check),
        _ => access_of(check),
    };
    let grant: Vec<String> = match access {
        Access::Forbidden if role.read => needed
            .iter()
            .filter(|s| role.missing.iter().any(|m| m == *s))
            .map(|s| (*s).to_string())
            .collect(),
        Access::Forbidden => refused_scopes(check),
        _ => Vec::new(),
    };
    let message = match access {
        Access::Readable => "Readable.".to_owned(),
        Access::Forbidden if grant.is_empty() && undocumented => format!(
            "Not allowed. JumpCloud does not document which permission reading {} needs; nothing \
             else is affected.",
            area::noun(category)
        ),
        Access::Forbidden if grant.is_empty() => "Not allowed.".to_owned(),
        Access::Forbidden => format!(
            "Not allowed. Grant read access: {}.",
            grant
                .iter()
                .map(|s| format!("{} ({s})", words::console_area(s)))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Access::Failed => "Not confirmed: the check did not finish (see its message).".to_owned(),
        Access::NotChecked => "Not checked.".to_owned(),
    };
    PermissionRow {
        category: category.key().to_owned(),
        label: area::label(category),
        needed: needed.into_iter().map(str::to_owned).collect(),
        undocumented,
        optional: !area::mandatory(category),
        access,
        access_label: access.label().to_owned(),
        grant,
        message,
    }
}

/// A check's verdict on its category: 403 is "forbidden", any other failure says nothing.
fn access_of(check: Option<&CheckResult>) -> Access {
    let Some(check) = check else {
        return Access::NotChecked;
    };
    match check.state {
        CheckState::Pass => Access::Readable,
        CheckState::Skipped | CheckState::Running => Access::NotChecked,
        CheckState::Warn | CheckState::Fail => {
            let refused = check
                .detail
                .last()
                .is_some_and(|e| e.outcome == "forbidden");
            if refused {
                Access::Forbidden
            } else {
                Access::Failed
            }
        }
    }
}

/// The role's row when its permissions were not read: refused, or never asked.
fn role_access(check: Option<&CheckResult>) -> Access {
    let Some(check) = check else {
        return Access::NotChecked;
    };
    let roles_refused = check
        .detail
        .iter()
        .any(|e| e.outcome == "forbidden" && route_path(&e.route) == calls::ROLES.path);
    match check.state {
        CheckState::Skipped | CheckState::Running => Access::NotChecked,
        _ if roles_refused => Access::Forbidden,
        _ => Access::NotChecked,
    }
}

/// The read scopes of the calls a check's evidence shows refused.
fn refused_scopes(check: Option<&CheckResult>) -> Vec<String> {
    let mut scopes = Vec::new();
    for evidence in check.map(|c| c.detail.as_slice()).unwrap_or_default() {
        if evidence.outcome != "forbidden" {
            continue;
        }
        let call = calls::lookup("GET", route_path(&evidence.route));
        if let Some(Scope::ReadOnly(scope)) = call.map(|c| c.scope()) {
            if !scopes.iter().any(|s| s == scope) {
                scopes.push(scope.to_owned());
            }
        }
    }
    scopes
}

/// `/api/systems?limit=1` → `/api/systems`.
fn route_path(route: &str) -> &str {
    route.split_once('?').map_or(route, |(path, _)| path)
}

fn summary(rows: &[PermissionRow], role: &RoleScopes) -> String {
    if role.read {
        return role.message.clone();
    }
    let mut grant: Vec<&str> = Vec::new();
    for scope in rows.iter().flat_map(|r| r.grant.iter()) {
        if !grant.contains(&scope.as_str()) {
            grant.push(scope);
        }
    }
    let forbidden: Vec<&str> = rows
        .iter()
        .filter(|r| r.access == Access::Forbidden)
        .map(|r| r.label.as_str())
        .collect();
    let known = if role.message.is_empty() {
        String::new()
    } else {
        format!("{} ", role.message)
    };
    match (forbidden.is_empty(), grant.is_empty()) {
        (true, _) => format!("{known}Every category that was checked is readable."),
        (false, true) => format!("{known}Not allowed: {}.", forbidden.join(", ")),
        (false, false) => format!(
            "{known}Not allowed: {}. Grant: {}.",
            forbidden.join(", "),
            grant.join(", ")
        ),
    }
}

impl PermissionView {
    /// The view as plain lines, for a terminal or a support summary.
    pub fn lines(&self) -> Vec<String> {
        let mut out = vec![self.summary.clone()];
        let width = self.rows.iter().map(|r| r.label.len()).max().unwrap_or(0);
        for row in &self.rows {
            let needed = match (row.needed.is_empty(), row.undocumented) {
                (true, _) => "permission not documented".to_owned(),
                (false, true) => format!("{} (and one not documented)", row.needed.join(", ")),
                (false, false) => row.needed.join(", "),
            };
            out.push(format!(
                "  {:<width$}  {}  needs {needed}",
                row.label, row.message
            ));
        }
        if !self.role.beyond.is_empty() {
            let changes: Vec<&str> = self
                .role
                .beyond
                .iter()
                .filter(|e| e.write)
                .map(|e| e.scope.as_str())
                .collect();
            const SHOWN: usize = 8;
            if !changes.is_empty() {
                let more = changes.len().saturating_sub(SHOWN);
                let shown = changes
                    .iter()
                    .take(SHOWN)
                    .copied()
                    .collect::<Vec<_>>()
                    .join(", ");
                let more = if more > 0 {
                    format!(" and {more} more")
                } else {
                    String::new()
                };
                out.push(format!("  Beyond need, changing things: {shown}{more}"));
            }
        }
        out
    }

    /// Whether anything needs the recipe: a forbidden category, or a role that lacks scopes or
    /// can change things.
    pub fn needs_attention(&self) -> bool {
        self.attention
    }
}

/// One call of the table, for lists on screen, in the README and from `jc-onboard scopes`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CallInfo {
    pub method: String,
    pub path: String,
    pub purpose: String,
    /// The category's key and label.
    pub category: String,
    pub category_label: String,
    /// The read-only scope; `None` when the route is undocumented and no one can say.
    pub scope: Option<String>,
    /// For an undocumented route: the evidence that it exists and works.
    pub undocumented: Option<String>,
    /// `v1` (`{totalCount, results}` bodies) or `v2` (arrays with `x-total-count`); `None` when
    /// the route returns one document.
    pub paging: Option<String>,
    pub sends: Vec<String>,
}

/// A secret the product never collects, and how it is kept out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct NeverCollected {
    pub secret: String,
    pub how: String,
}

/// One category's share of the least privilege set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CategoryScopes {
    pub category: String,
    pub label: String,
    pub scopes: Vec<String>,
    pub undocumented: bool,
    pub optional: bool,
}

/// Everything the product reads and the permission each read needs: what `jc-onboard scopes`
/// prints, Welcome's "What is collected" lists and the README's call list is generated from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Reference {
    pub calls: Vec<CallInfo>,
    pub categories: Vec<CategoryScopes>,
    pub minimal: Vec<String>,
    pub never_collected: Vec<NeverCollected>,
    pub recipe: Recipe,
}

pub fn reference(region: Option<Region>) -> Reference {
    let calls = calls::ALL
        .iter()
        .map(|c| CallInfo {
            method: c.method.to_owned(),
            path: c.path.to_owned(),
            purpose: c.purpose.to_owned(),
            category: c.area.key().to_owned(),
            category_label: area::label(c.area),
            scope: c.scope().id().map(str::to_owned),
            undocumented: c.undocumented.map(str::to_owned),
            paging: c.paging.map(|p| {
                match p {
                    jc_api::PageStyle::V1 => "v1",
                    jc_api::PageStyle::V2 => "v2",
                }
                .to_owned()
            }),
            sends: c.sends.iter().map(|s| (*s).to_owned()).collect(),
        })
        .collect();
    let categories = Area::every()
        .map(|c| {
            let (scopes, undocumented) = calls::scopes_for(c);
            CategoryScopes {
                category: c.key().to_owned(),
                label: area::label(c),
                scopes: scopes.into_iter().map(str::to_owned).collect(),
                undocumented,
                optional: !area::mandatory(c),
            }
        })
        .collect();
    Reference {
        calls,
        categories,
        minimal: calls::minimal_scopes()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        never_collected: calls::NEVER_COLLECTED
            .iter()
            .map(|n| NeverCollected {
                secret: n.secret.to_owned(),
                how: n.how.to_owned(),
            })
            .collect(),
        recipe: recipe(region),
    }
}
