//! `jc-onboard handover`: run the checks as `check` does, then list what to paste into the
//! platform's JumpCloud integration, in its order and its words. The key is never printed: its
//! field says where to copy it from.

use std::io::Write;
use std::process::ExitCode;

use jc_api::sanitize::for_display;
use onboard::credential::CredentialKind;
use onboard::platforms::{
    self, validate, FieldValue, Handover, HandoverInput, KeyLocation, PlatformId, Seen, Severity,
    Source,
};
use onboard::preview::{self, PreviewData, UserSample};

use crate::args::{HandoverArgs, UsageError};

pub async fn run(args: HandoverArgs) -> Result<ExitCode, UsageError> {
    if args.platform.trim().eq_ignore_ascii_case("list") {
        return list(args.json).map(|()| ExitCode::SUCCESS);
    }
    let platform: PlatformId = args
        .platform
        .parse()
        .map_err(|e| UsageError::BadValue(format!("--platform: {e}")))?;
    let profile = platform.profile();
    // A value the platform would refuse is an input error: nothing is sent.
    if let Some(problem) = args
        .owner_email
        .as_deref()
        .and_then(|email| validate::owner_email("--owner-email", email))
    {
        return Err(UsageError::BadValue(format!(
            "--owner-email: {} {}",
            problem.message, problem.fix
        )));
    }

    let (input, options) = args.connection.input()?;
    let key_kind = match input.client_id {
        Some(_) => CredentialKind::ClientCredentials,
        None => CredentialKind::of_api_key(input.key.text()),
    };
    let key_last_four = jc_api::ApiKey::parse(input.key.text())
        .ok()
        .filter(|_| input.client_id.is_none())
        .map(|k| k.last_four());
    // The check lines go to stdout with the hand-over, except for --ticket and --json.
    let checked = crate::check_and_print(&input, &options, args.json || args.ticket).await;
    let Some(client) = checked.client else {
        if args.json {
            print_json(&serde_json::json!({
                "ok": false,
                "report": checked.report,
                "handover": null,
                "ticket_note": null,
            }));
        } else {
            eprintln!(
                "No hand-over: the connection does not work yet. Fix the first failed check and run this again."
            );
        }
        return Ok(crate::exit_code(&checked.report));
    };

    let wants_users = profile.field(Source::ManagerAttribute).is_some();
    let (preview, users) = tokio::join!(preview::first_rows(&client, client.region()), async {
        match wants_users {
            true => preview::user_sample(&client).await.ok(),
            false => None,
        }
    });
    let org_name = checked.report.org.as_ref().map(|o| o.name.as_str());
    let handover_input = HandoverInput {
        connection_name: Some(
            args.name
                .clone()
                .unwrap_or_else(|| platforms::suggested_name(profile, org_name, &[])),
        ),
        manager_attribute: args.manager_field.clone(),
        key: match args.connection.secret_source() {
            (_, true) => KeyLocation::StandardInput,
            (variable, false) => KeyLocation::Environment(variable.to_owned()),
        },
        key_last_four,
        key_kind: Some(key_kind),
        admin_username: args.admin_username.clone(),
        owner_email: args.owner_email.clone(),
        ..HandoverInput::from_report(&checked.report)
    };
    let seen = Seen {
        preview: Some(&preview),
        users: users.as_ref(),
    };
    let handover = platforms::resolve(profile, &handover_input, seen);

    if args.json {
        print_json(&serde_json::json!({
            "ok": true,
            "report": checked.report,
            "handover": handover,
            "ticket_note": handover.ticket_note(),
        }));
    } else if args.ticket {
        print!("{}", handover.ticket_note());
    } else if let Err(e) = print_handover(&handover, &preview, users.as_ref()) {
        tracing::warn!("could not write the hand-over: {e}");
    }
    Ok(ExitCode::SUCCESS)
}

fn print_json(value: &serde_json::Value) {
    match serde_json::to_string_pretty(value) {
        Ok(text) => println!("{text}"),
        Err(e) => tracing::warn!("could not write the hand-over: {e}"),
    }
}

fn list(json: bool) -> Result<(), UsageError> {
    let summaries = platforms::summaries();
    if json {
        print_json(&serde_json::json!(summaries));
        return Ok(());
    }
    let mut out = std::io::stdout();
    for summary in summaries {
        let fields: Vec<&str> = summary.fields.iter().map(|f| f.label.as_str()).collect();
        let _ = writeln!(
            out,
            "{:<16} {:<18} {}",
            summary.id.as_str(),
            summary.name,
            fields.join(", ")
        );
    }
    Ok(())
}

/// The option that gives a value the command line cannot find itself.
fn option_for(source: Source) -> Option<&'static str> {
    match source {
        Source::ConnectionName => Some("--name"),
        Source::OwnerEmail => Some("--owner-email"),
        Source::ManagerAttribute => Some("--manager-field"),
        Source::AdminUsername => Some("--admin-username"),
        Source::OrgId => Some("--org-id"),
        Source::ApiKey | Source::Region => None,
    }
}

fn print_handover(
    handover: &Handover,
    preview: &PreviewData,
    users: Option<&UserSample>,
) -> std::io::Result<()> {
    let mut out = anstream::stdout();
    writeln!(out)?;
    writeln!(out, "Hand-over to {}", handover.platform_name)?;
    writeln!(out, "Where: {}", handover.where_to_paste)?;
    writeln!(out)?;
    let width = handover
        .fields
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0);
    for (n, field) in handover.fields.iter().enumerate() {
        let value = match &field.value {
            FieldValue::Text { text } => text.clone(),
            FieldValue::Secret {
                copy_from,
                last_four,
            } => {
                let ends = last_four
                    .as_deref()
                    .map(|f| format!(", ending in {f}"))
                    .unwrap_or_default();
                format!("(not shown) copy {copy_from}{ends}")
            }
            FieldValue::Empty { why } => format!("(leave empty) {why}"),
            FieldValue::Missing { fix } => match option_for(field.source) {
                Some(option) => format!("(missing) {fix} Give it with {option}."),
                None => format!("(missing) {fix}"),
            },
        };
        // Values and notes can quote the directory (names, attribute values): shown clean.
        let value = for_display(&value);
        writeln!(out, "  {}. {:<width$}  {value}", n + 1, field.label)?;
        for note in [&field.found, &field.note].into_iter().flatten() {
            writeln!(out, "     {:<width$}  {}", "", for_display(note))?;
        }
    }
    if let Some(finish) = &handover.finish {
        writeln!(out, "  Then click {finish}.")?;
    }
    if !handover.advice.is_empty() {
        writeln!(out)?;
        writeln!(out, "Check before pasting:")?;
        for advice in &handover.advice {
            let label = match advice.severity {
                Severity::Warning => "WARN",
                Severity::Problem => "FAIL",
            };
            writeln!(
                out,
                "  {label} {}: {}",
                advice.field,
                for_display(&advice.message)
            )?;
            if !advice.examples.is_empty() {
                let examples: Vec<String> =
                    advice.examples.iter().map(|e| format!("{e:?}")).collect();
                writeln!(
                    out,
                    "       For example: {}",
                    for_display(&examples.join(", "))
                )?;
            }
            writeln!(out, "       Fix: {}", for_display(&advice.fix))?;
        }
    }
    if let Some(users) = users {
        let total = users.total.map(|t| format!(" of {t}")).unwrap_or_default();
        writeln!(
            out,
            "(Checked against the first {}{total} users.)",
            users.users.len()
        )?;
    }
    writeln!(out)?;
    print_categories(&mut out, handover, preview)?;
    for note in &handover.notes {
        writeln!(out, "Note: {note}")?;
    }
    writeln!(out, "Guide: {}", handover.guide)
}

/// Which of the counted categories the platform will use.
fn print_categories(
    out: &mut impl Write,
    handover: &Handover,
    preview: &PreviewData,
) -> std::io::Result<()> {
    let counted = |category: &onboard::Category| -> String {
        preview
            .categories
            .iter()
            .find(|c| c.category == *category)
            .and_then(|c| c.total)
            .map(|t| format!(" ({t})"))
            .unwrap_or_default()
    };
    let used: Vec<String> = handover
        .categories
        .iter()
        .filter(|c| c.used)
        .map(|c| format!("{}{}", c.label, counted(&c.category)))
        .collect();
    writeln!(
        out,
        "{} will use: {}.",
        handover.platform_name,
        used.join(", ")
    )?;
    for skipped in handover.categories.iter().filter(|c| !c.used) {
        writeln!(
            out,
            "  Not used: {}{}. {}",
            skipped.label,
            counted(&skipped.category),
            skipped.why.as_deref().unwrap_or_default()
        )?;
    }
    Ok(())
}
