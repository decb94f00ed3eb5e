//! The custom role recipe: console steps for a role with exactly the read-only permissions the
//! product needs, generated from the call table.

use jc_api::calls::{self, Area};

use super::area;
use jc_api::Region;
use serde::{Deserialize, Serialize};

use super::words;
use crate::explain::console_url;

/// The name the recipe gives the role.
pub const ROLE_NAME: &str = "Read-only integration";

/// One permission to turn on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecipePermission {
    /// The exact scope id, e.g. `systems.readonly`.
    pub scope: String,
    /// The console's permission area, in plain words, e.g. "Devices (includes device policies)".
    pub area: String,
    /// The categories it lets this connection read.
    pub used_for: String,
}

/// How to make a role with exactly what this connection needs, copyable as text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Recipe {
    pub title: String,
    /// The console steps, in order; the permissions go where a step says "these permissions".
    pub steps: Vec<String>,
    /// Every permission to turn on (read access only), in the order the categories are checked.
    pub permissions: Vec<RecipePermission>,
    /// What no one documents, said plainly.
    pub notes: Vec<String>,
    /// All of the above as plain text, for the clipboard.
    pub text: String,
}

/// The recipe, with console links for `region` (US when unknown).
pub fn recipe(region: Option<Region>) -> Recipe {
    let console = console_url(region);
    let permissions: Vec<RecipePermission> = calls::minimal_scopes()
        .into_iter()
        .map(|scope| RecipePermission {
            scope: scope.to_owned(),
            area: words::console_area(scope),
            used_for: words::used_for(scope),
        })
        .collect();
    let steps = vec![
        format!("Sign in to {console} as an Administrator With Billing."),
        format!(
            "Open the initials menu (top right), Administrators, then Roles, and add a custom role \
             named \"{ROLE_NAME}\"."
        ),
        format!(
            "Turn on read (view) access for exactly these {} permissions, and nothing else: no \
             create, edit, delete or run permission.",
            permissions.len()
        ),
        "Save the role.".to_owned(),
        "For an administrator API key: add an administrator (initials menu, Administrators, +) with \
         this role, turn on its API access, sign in as that administrator and copy its key from \
         \"My API Key\"."
            .to_owned(),
        "For a service account: Settings, Service Accounts, + New, choose this role, and copy the \
         client secret it shows once."
            .to_owned(),
    ];
    let notes: Vec<String> = calls::ALL
        .iter()
        .filter_map(|call| call.undocumented.map(|_| call))
        .map(|call| {
            let what = area::noun(call.area);
            match call.area {
                Area::Admins => format!(
                    "Listing {what} uses a route JumpCloud does not document ({}), so no one can say \
                     which permission it needs. If this role is refused there, only administrators \
                     are not collected; everything else works.",
                    call.path
                ),
                _ => format!(
                    "Reading {what} starts with a route JumpCloud does not document ({}); it needs no \
                     permission of its own that anyone knows of.",
                    call.path
                ),
            }
        })
        .collect();
    let title = format!(
        "A custom role with exactly the {} read-only permissions this connection needs",
        permissions.len()
    );
    let text = as_text(&title, &steps, &permissions, &notes);
    Recipe {
        title,
        steps,
        permissions,
        notes,
        text,
    }
}

fn as_text(
    title: &str,
    steps: &[String],
    permissions: &[RecipePermission],
    notes: &[String],
) -> String {
    let mut out = vec![format!("{title}:"), String::new()];
    for (n, step) in steps.iter().enumerate() {
        out.push(format!("{}. {step}", n + 1));
        if n == 2 {
            for p in permissions {
                out.push(format!(
                    "   - {} (read): {}  [for {}]",
                    p.area, p.scope, p.used_for
                ));
            }
        }
    }
    if !notes.is_empty() {
        out.push(String::new());
        out.extend(notes.iter().map(|n| format!("Note: {n}")));
    }
    out.join("\n") + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recipe_lists_every_needed_scope_once_and_no_other() {
        let recipe = recipe(Some(Region::Eu));
        let scopes: Vec<&str> = recipe
            .permissions
            .iter()
            .map(|p| p.scope.as_str())
            .collect();
        assert_eq!(
            scopes,
            calls::minimal_scopes(),
            "the recipe is the least privilege set"
        );
        assert!(
            scopes.iter().all(|s| s.ends_with(".readonly")),
            "read-only permissions only"
        );
        assert!(
            recipe.text.contains("https://console.eu.jumpcloud.com"),
            "{}",
            recipe.text
        );
        for scope in scopes {
            assert!(
                recipe.text.contains(scope),
                "the copyable text names {scope}"
            );
        }
        assert!(
            recipe.notes.iter().any(|n| n.contains("/api/users")),
            "the undocumented administrator list is said plainly: {:?}",
            recipe.notes
        );
    }
}
