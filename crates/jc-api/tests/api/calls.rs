//! The call table against JumpCloud's OpenAPI specs: the generated spec facts are current, and
//! every entry asks only what its route declares, sorts wherever the route can, and pages within
//! the documented limit. Missing specs skip these tests, except with `CI=true`.
//!
//! `JC_REGENERATE=1 cargo test -p jc-api --test api calls` rewrites `src/calls/spec.rs`.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::Path;

use jc_api::calls::{self, Call, Scope, ALL, NEVER_COLLECTED};
use jc_api::endpoints::*;
use jc_api::{ListEndpoint, PAGE_LIMIT};
use jc_sim::Scenario;

use super::{client, sim};
use jc_spec::Specs;

const GENERATED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/src/calls/spec.rs");

fn specs() -> Option<&'static Specs> {
    Specs::shared_or_skip("the call table's spec checks")
}

/// The generated file's text: one `SpecFacts` per documented entry, in table order.
fn generate(specs: &Specs) -> Result<String, Vec<String>> {
    let mut problems = Vec::new();
    let mut out = String::from(
        "// @generated from JumpCloud's OpenAPI specs (jumpcloud-docs-public api/1.0 and api/2.0) by\n\
         // crates/jc-api/tests/api/calls.rs: what each documented route of the call table requires\n\
         // (x-scopes) and accepts (query parameters). Do not edit: run\n\
         // `JC_REGENERATE=1 cargo test -p jc-api --test api calls` after changing the table or the specs.\n\
         \n\
         use super::SpecFacts;\n\
         \n\
         #[rustfmt::skip]\n\
         pub(super) static FACTS: &[SpecFacts] = &[\n",
    );
    for call in ALL.iter().filter(|c| c.undocumented.is_none()) {
        let Some(op) = specs.operation(call.method, call.path) else {
            problems.push(format!(
                "{} {}: the spec does not document this route; mark it undocumented with its evidence",
                call.method, call.path
            ));
            continue;
        };
        let list = |items: Vec<&str>| {
            items
                .iter()
                .map(|s| format!("{s:?}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut scopes: Vec<&str> = op.scopes.iter().map(String::as_str).collect();
        scopes.sort_unstable();
        let _ = write!(
            out,
            "    SpecFacts {{\n        method: {:?},\n        path: {:?},\n        operation_id: {:?},\n        scopes: &[{}],\n        query: &[{}],\n    }},\n",
            call.method,
            call.path,
            op.operation_id,
            list(scopes),
            list(op.query.iter().map(String::as_str).collect()),
        );
    }
    out.push_str("];\n");
    if problems.is_empty() {
        Ok(out)
    } else {
        Err(problems)
    }
}

/// The first lines where two texts part, as `-committed` / `+fresh` with a little context.
fn first_difference(committed: &str, fresh: &str) -> String {
    let old: Vec<&str> = committed.lines().collect();
    let new: Vec<&str> = fresh.lines().collect();
    let at = old
        .iter()
        .zip(&new)
        .position(|(a, b)| a != b)
        .unwrap_or(old.len().min(new.len()));
    let from = at.saturating_sub(2);
    let mut diff = format!("@@ line {} @@\n", at + 1);
    for line in old.iter().take(at).skip(from) {
        let _ = writeln!(diff, " {line}");
    }
    for line in old.iter().skip(at).take(8) {
        let _ = writeln!(diff, "-{line}");
    }
    for line in new.iter().skip(at).take(8) {
        let _ = writeln!(diff, "+{line}");
    }
    diff
}

#[test]
fn generated_spec_facts_are_current() {
    let Some(specs) = specs() else {
        return;
    };
    let fresh = generate(specs).unwrap_or_else(|problems| {
        panic!(
            "the call table and the spec disagree:\n{}",
            problems.join("\n")
        )
    });
    let committed = std::fs::read_to_string(GENERATED).unwrap_or_default();
    if committed == fresh {
        return;
    }
    if std::env::var("JC_REGENERATE").is_ok_and(|v| v == "1") {
        std::fs::write(GENERATED, &fresh).expect("the generated file can be written");
        eprintln!("regenerated {}", Path::new(GENERATED).display());
        return;
    }
    panic!(
        "src/calls/spec.rs no longer matches JumpCloud's spec or the call table; regenerate it with \
         `JC_REGENERATE=1 cargo test -p jc-api --test api calls` and commit it:\n{}",
        first_difference(&committed, &fresh)
    );
}

#[test]
fn every_call_asks_only_what_its_route_declares() {
    let Some(specs) = specs() else {
        return;
    };
    let mut seen = BTreeSet::new();
    for call in ALL {
        let what = format!("{} {}", call.method, call.path);
        assert!(seen.insert(what.clone()), "{what} is listed once");
        assert!(
            !call.purpose.is_empty() && call.purpose.ends_with('.'),
            "{what}: its purpose is one sentence"
        );
        let op = specs.operation(call.method, call.path);
        let Some(op) = op else {
            assert!(
                call.undocumented.is_some(),
                "{what}: the spec does not document it, so it must be marked undocumented with evidence"
            );
            assert_eq!(
                call.scope(),
                Scope::Unknown,
                "{what}: an undocumented route's scope is unknown, not guessed"
            );
            continue;
        };
        assert!(
            call.undocumented.is_none(),
            "{what}: the spec documents it now ({}); drop the undocumented mark",
            op.operation_id
        );
        let placeholders: BTreeSet<String> = call
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        assert_eq!(
            placeholders, op.path_params,
            "{what}: path placeholders are named as in the spec"
        );
        for parameter in call.sends {
            assert!(
                op.query.contains(*parameter),
                "{what}: sends {parameter:?}, which the route does not declare (it declares {:?})",
                op.query
            );
        }
        assert!(
            matches!(call.scope(), Scope::ReadOnly(s) if op.scopes.iter().any(|o| o == s)),
            "{what}: needs one of the read-only scopes the spec names, {:?}",
            op.scopes
        );
        if call.paging.is_some() {
            for parameter in ["limit", "skip"] {
                assert!(
                    call.sends(parameter),
                    "{what}: a paged route sends {parameter}"
                );
            }
            assert_eq!(
                call.sends("sort"),
                op.query.contains("sort"),
                "{what}: sort is sent on every page exactly where the route declares it (unsorted \
                 pages can skip or repeat records while data changes)"
            );
            assert!(
                op.limit_max.is_none_or(|max| u64::from(PAGE_LIMIT) <= max),
                "{what}: limit={PAGE_LIMIT} is within the route's maximum {:?}",
                op.limit_max
            );
        } else {
            assert!(
                !call.sends("limit") && !call.sends("skip"),
                "{what}: a single-document route does not page"
            );
        }
    }
    const {
        assert!(
            PAGE_LIMIT <= 100,
            "JumpCloud documents 100 as the largest page"
        )
    };
}

#[test]
fn secrets_routes_are_never_in_the_table() {
    let Some(specs) = specs() else {
        return;
    };
    for never in NEVER_COLLECTED {
        let Some(route) = never.route else {
            continue;
        };
        assert!(
            specs.operation("GET", route).is_some(),
            "{route} is a real route the spec documents ({})",
            never.secret
        );
        let example = route
            .replace("{system_id}", "5f14e379abf74c0001a1b2c3")
            .replace("{id}", "5f14e379abf74c0001a1b2c3");
        assert_eq!(
            calls::lookup("GET", &example),
            None,
            "{route} hands over {} and must never be called",
            never.secret
        );
    }
}

fn list_entry<E: ListEndpoint>(endpoint: E) -> (&'static Call, String) {
    let path = E::CALL.path_for(&endpoint.ids()).expect("a usable id");
    assert!(
        E::CALL.paging.is_some(),
        "{}: a list route pages",
        E::CALL.path
    );
    (E::CALL, path)
}

fn document_entry<E: Endpoint>(endpoint: E) -> (&'static Call, String) {
    let path = E::CALL.path_for(&endpoint.ids()).expect("a usable id");
    assert!(
        E::CALL.paging.is_none(),
        "{}: a single-document route does not page",
        E::CALL.path
    );
    (E::CALL, path)
}

#[test]
fn every_endpoint_type_is_an_entry_of_the_table() {
    let id = || "5f14e379abf74c0001a1b2c3".to_owned();
    let entries = [
        list_entry(ListOrganizations),
        list_entry(ListRoles),
        list_entry(ListSystemUsers),
        list_entry(ListUserGroups),
        list_entry(ListSystemGroups),
        list_entry(ListAdmins),
        list_entry(ListSystems),
        list_entry(ListPolicies),
        list_entry(ListPolicyResults),
        list_entry(ListLdapServers),
        list_entry(ListApplications),
        list_entry(ListRadiusServers),
        list_entry(ListUserGroupMembers(id())),
        list_entry(ListUserGroupMembership(id())),
        list_entry(ListAppUserGroups(id())),
        list_entry(ListAppUsers(id())),
        list_entry(ListSystemGroupMembers(id())),
        list_entry(ListLdapServerUserGroups(id())),
        list_entry(ListLdapServerUsers(id())),
        list_entry(ListRadiusServerUserGroups(id())),
        list_entry(ListPolicyStatuses(id())),
        list_entry(ListAppAssociations {
            app_id: id(),
            target: Target::UserGroup,
        }),
        list_entry(ListLdapServerAssociations {
            id: id(),
            target: Target::User,
        }),
        list_entry(ListRadiusServerAssociations {
            id: id(),
            target: Target::User,
        }),
        document_entry(GetOrganization(id())),
        document_entry(GetSystemUser(id())),
        document_entry(GetSettings),
        document_entry(GetRole(id())),
        list_entry(ListServiceAccounts),
    ];
    for (call, path) in &entries {
        assert!(
            ALL.iter().any(|c| std::ptr::eq(*c, *call)),
            "{}: an endpoint's call is an entry of the table",
            call.path
        );
        assert_eq!(
            calls::lookup("GET", path),
            Some(*call),
            "{path} is found as {}",
            call.path
        );
    }
    let used: BTreeSet<&str> = entries.iter().map(|(c, _)| c.path).collect();
    let listed: BTreeSet<&str> = ALL.iter().map(|c| c.path).collect();
    assert_eq!(
        used, listed,
        "the table lists exactly the routes some endpoint calls"
    );
}

#[tokio::test]
async fn a_record_without_a_usable_id_is_reported_not_requested() {
    let sim = sim(Scenario::Healthy).await;
    let client = client(&sim);
    for bad in ["", "../settings", "a b", "x?limit=1000"] {
        let refused = client
            .page(&ListSystemGroupMembers(bad.to_owned()), 0, PAGE_LIMIT)
            .await;
        assert!(
            matches!(refused, Err(jc_api::Error::BadId { .. })),
            "{bad:?} is refused before any request: {refused:?}"
        );
    }
    assert!(
        sim.requests().is_empty(),
        "nothing was sent for unusable ids, e.g. no /api/v2/systemgroups//members: {:?}",
        sim.requests()
    );
    sim.shutdown().await;
}
