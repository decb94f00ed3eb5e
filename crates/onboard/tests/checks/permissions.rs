//! The permission view of every scenario, the custom role recipe applied to the simulator, and
//! the README's call list generated from the call table.

use jc_api::calls;
use jc_sim::{Scenario, SimConfig};
use onboard::demo::Demo;
use onboard::permissions::{self, Access, PermissionView, RoleVerdict};
use onboard::support::{Bundle, BundleParts, Redactor};
use onboard::{CheckOptions, CheckState, Report};

use super::*;

const CANARY: &str = "jca_CANARYcanary0123456789CANARYcanary01";

fn view(report: &Report) -> &PermissionView {
    report
        .permissions
        .as_ref()
        .expect("every run of the checks carries a permission view")
}

/// `category=access` for every row that is not readable.
fn not_readable(view: &PermissionView) -> Vec<String> {
    view.rows
        .iter()
        .filter(|r| r.access != Access::Readable)
        .map(|r| format!("{}={:?}", r.category, r.access))
        .collect()
}

fn grants(view: &PermissionView) -> Vec<(String, Vec<String>)> {
    view.rows
        .iter()
        .filter(|r| !r.grant.is_empty())
        .map(|r| (r.category.clone(), r.grant.clone()))
        .collect()
}

struct Expect {
    scenario: Scenario,
    verdict: RoleVerdict,
    not_readable: &'static [&'static str],
    /// (category, scopes to grant)
    grant: &'static [(&'static str, &'static [&'static str])],
}

const SCENARIOS: &[Expect] = &[
    Expect {
        scenario: Scenario::Healthy,
        verdict: RoleVerdict::ReadOnlyBroader,
        not_readable: &[],
        grant: &[],
    },
    Expect {
        scenario: Scenario::ReadOnlyAssociation403,
        verdict: RoleVerdict::ReadOnlyBroader,
        not_readable: &[],
        grant: &[],
    },
    Expect {
        scenario: Scenario::EmptyOrg,
        verdict: RoleVerdict::ReadOnlyBroader,
        not_readable: &[],
        grant: &[],
    },
    Expect {
        scenario: Scenario::AdminWithBilling,
        verdict: RoleVerdict::CanChange,
        not_readable: &[],
        grant: &[],
    },
    Expect {
        scenario: Scenario::BroadRole,
        verdict: RoleVerdict::CanChange,
        not_readable: &[],
        grant: &[],
    },
    Expect {
        scenario: Scenario::CustomRolePartial,
        verdict: RoleVerdict::Lacking,
        not_readable: &[
            "devices=Forbidden",
            "policies=Forbidden",
            "policy_results=Forbidden",
            "radius_servers=Forbidden",
        ],
        grant: &[
            ("devices", &["systems.readonly"]),
            ("policies", &["systems.readonly"]),
            ("policy_results", &["systems.readonly"]),
            ("radius_servers", &["radius.readonly"]),
        ],
    },
    Expect {
        scenario: Scenario::CustomRole,
        verdict: RoleVerdict::Unknown,
        not_readable: &[
            "role=NotChecked",
            "devices=Forbidden",
            "policies=Forbidden",
            "policy_results=Forbidden",
        ],
        grant: &[
            ("devices", &["systems.readonly"]),
            ("policies", &["systems.readonly"]),
            ("policy_results", &["systems.readonly"]),
        ],
    },
    Expect {
        scenario: Scenario::CommandRunner,
        verdict: RoleVerdict::Unknown,
        not_readable: &[
            // The reads beneath the organization do not wait for the role: the users can be
            // read, the rest are refused, and the two reads beneath a refused list are not checked.
            "role=Forbidden",
            "user_groups=Forbidden",
            "group_members=NotChecked",
            "admins=Forbidden",
            "applications=Forbidden",
            "app_access=NotChecked",
            "devices=Forbidden",
            "device_groups=Forbidden",
            "policies=Forbidden",
            "policy_results=Forbidden",
            "ldap_servers=Forbidden",
            "radius_servers=Forbidden",
        ],
        grant: &[
            ("role", &["roles.readonly"]),
            ("user_groups", &["groups.readonly"]),
            ("applications", &["applications.readonly"]),
            ("devices", &["systems.readonly"]),
            ("device_groups", &["groups.readonly"]),
            ("policies", &["systems.readonly"]),
            ("policy_results", &["systems.readonly"]),
            ("ldap_servers", &["directories.readonly"]),
            ("radius_servers", &["radius.readonly"]),
        ],
    },
];

#[tokio::test]
async fn every_scenario_has_its_permission_view() {
    for expect in SCENARIOS {
        let demo = demo(expect.scenario).await;
        let report = run(&demo.input(None)).await;
        let name = expect.scenario;
        let view = view(&report);
        assert_eq!(
            view.rows.len(),
            jc_api::calls::Area::every().count(),
            "{name}: one row per category"
        );
        assert_eq!(
            view.role.verdict, expect.verdict,
            "{name}: the role's verdict; {:#?}",
            view.role
        );
        assert_eq!(
            not_readable(view),
            expect.not_readable,
            "{name}: rows that are not readable; checks: {:#?}",
            states(&report)
        );
        let expected: Vec<(String, Vec<String>)> = expect
            .grant
            .iter()
            .map(|(c, s)| ((*c).to_owned(), s.iter().map(|s| (*s).to_owned()).collect()))
            .collect();
        assert_eq!(
            grants(view),
            expected,
            "{name}: the exact permissions to grant"
        );
        for row in view.rows.iter().filter(|r| r.access == Access::Forbidden) {
            for scope in &row.grant {
                assert!(
                    row.message.contains(scope.as_str()),
                    "{name}: the row names what to grant: {}",
                    row.message
                );
            }
        }
        assert_eq!(
            view.minimal,
            calls::minimal_scopes(),
            "{name}: the least privilege set comes from the call table"
        );
        demo.stop().await;
    }
}

#[tokio::test]
async fn the_partial_custom_role_names_its_two_missing_permissions_and_the_recipe() {
    let demo = demo(Scenario::CustomRolePartial).await;
    let report = run(&demo.input(None)).await;
    let view = view(&report);
    assert_eq!(view.role.missing, ["systems.readonly", "radius.readonly"]);
    assert!(
        view.summary.contains("lacks 2 read permissions")
            && view.summary.contains("radius.readonly"),
        "the summary says which two: {}",
        view.summary
    );
    assert!(view.needs_attention(), "the recipe is offered");
    for scope in &view.role.missing {
        assert!(
            view.recipe.text.contains(scope.as_str()),
            "the recipe grants {scope}: {}",
            view.recipe.text
        );
    }
    let lines = view.lines().join("\n");
    assert!(
        lines.contains("Grant read access: Devices (includes device policies) (systems.readonly)"),
        "{lines}"
    );
    demo.stop().await;
}

#[test]
fn the_simulators_integration_role_is_the_least_privilege_set() {
    assert_eq!(
        jc_sim::scopes::INTEGRATION,
        calls::minimal_scopes(),
        "the scenarios' custom roles start from exactly what the product needs"
    );
}

#[tokio::test]
async fn a_role_made_from_the_recipe_passes_every_check_with_exactly_its_permissions() {
    let recipe = permissions::recipe(None);
    let scopes: Vec<String> = recipe.permissions.iter().map(|p| p.scope.clone()).collect();
    let demo = Demo::start_with(SimConfig {
        role_scopes: Some(scopes),
        ..SimConfig::scenario(Scenario::CustomRolePartial)
    })
    .await
    .expect("the demo org starts");
    let report = run(&demo.input(None)).await;
    let not_passing: Vec<String> = report
        .checks
        .iter()
        .filter(|c| c.state != CheckState::Pass && c.id != "credentials.expiry")
        .map(|c| format!("{}: {}", c.id, c.message))
        .collect();
    assert!(
        not_passing.is_empty(),
        "with the recipe's role every check passes (an administrator's key has no expiry to check): {not_passing:#?}"
    );
    let view = view(&report);
    assert_eq!(view.role.verdict, RoleVerdict::Exact, "{:#?}", view.role);
    assert!(not_readable(view).is_empty(), "{:?}", not_readable(view));
    assert!(!view.needs_attention());
    demo.stop().await;
}

#[tokio::test]
async fn the_key_never_reaches_the_recipe_the_view_or_the_bundle() {
    let demo = Demo::start_with(SimConfig {
        api_key: Some(CANARY.to_owned()),
        ..SimConfig::scenario(Scenario::CustomRolePartial)
    })
    .await
    .expect("the demo org starts");
    let options = CheckOptions::default();
    let report = onboard::run_checks(&demo.input(None), &options, |_| {}).await;
    let view = serde_json::to_string(view(&report)).expect("the view serializes");
    let recipe = serde_json::to_string(&permissions::reference(None)).expect("serializes");
    let records = options.request_log.records();
    let bundle = Bundle::build(BundleParts {
        app_name: "jc-onboard",
        app_version: "test",
        report: &report,
        requests: &records,
        collection: None,
        environment: None,
        log_lines: Vec::new(),
    })
    .to_json(&Redactor::new().secret(CANARY))
    .expect("the bundle serializes");
    for (what, text) in [("view", &view), ("recipe", &recipe), ("bundle", &bundle)] {
        assert!(!text.contains(CANARY), "the key is not in the {what}");
        assert!(
            !text.contains(&CANARY[4..20]),
            "no part of the key is in the {what}"
        );
    }
    assert!(
        bundle.contains("\"permissions\"") && bundle.contains("systems.readonly"),
        "the bundle carries the permission view"
    );
    demo.stop().await;
}

const README: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../README.md");
const BEGIN: &str = "<!-- calls:begin -->";
const END: &str = "<!-- calls:end -->";

/// The README's list of calls, generated from the call table.
fn readme_calls() -> String {
    let reference = permissions::reference(None);
    let mut out = vec![
        "| Category | Call | Why | Permission |".to_owned(),
        "|---|---|---|---|".to_owned(),
    ];
    for call in &reference.calls {
        let permission = match (&call.scope, &call.undocumented) {
            (Some(scope), _) => format!("`{scope}`"),
            (None, Some(evidence)) => format!("unknown: not in JumpCloud's spec. {evidence}"),
            (None, None) => "unknown".to_owned(),
        };
        out.push(format!(
            "| {} | `{} {}` | {} | {permission} |",
            call.category_label, call.method, call.path, call.purpose
        ));
    }
    out.push(String::new());
    out.push(format!(
        "Least privilege, the union of the read-only permissions above: {}.",
        reference
            .minimal
            .iter()
            .map(|s| format!("`{s}`"))
            .collect::<Vec<_>>()
            .join(", ")
    ));
    out.push(String::new());
    out.push("Never collected:".to_owned());
    out.push(String::new());
    for never in &reference.never_collected {
        out.push(format!("- {}: {}.", never.secret, never.how));
    }
    out.join("\n")
}

#[test]
fn the_readme_lists_every_call_from_the_table() {
    let readme = std::fs::read_to_string(README).expect("the README is readable");
    let fresh = readme_calls();
    let current = readme
        .split_once(BEGIN)
        .and_then(|(_, rest)| rest.split_once(END))
        .map(|(section, _)| section.trim_matches('\n'));
    if current == Some(fresh.as_str()) {
        return;
    }
    if std::env::var("JC_REGENERATE").is_ok_and(|v| v == "1") {
        let (head, rest) = readme
            .split_once(BEGIN)
            .expect("the README has the calls markers");
        let (_, tail) = rest
            .split_once(END)
            .expect("the README has the calls end marker");
        std::fs::write(README, format!("{head}{BEGIN}\n{fresh}\n{END}{tail}"))
            .expect("the README can be written");
        return;
    }
    panic!(
        "README.md's list of calls (between {BEGIN} and {END}) is stale; regenerate it with \
         `JC_REGENERATE=1 cargo test -p onboard --test checks readme` and commit it. It should read:\n{fresh}"
    );
}
