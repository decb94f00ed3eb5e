//! `jc-onboard collect`: resolve the connection as `check` does, then collect every category
//! into a directory (`snapshot.json` and one CSV per category). The directory must be new,
//! empty or an earlier export (anything else is refused with exit 2 before a request is sent),
//! and only one collection writes to it at a time.

use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use jc_api::sanitize::for_display;
use jc_api::RetryPolicy;
use onboard::collect::browse::Findings;
use onboard::collect::{
    check_out_dir, collect, CancelToken, Category, CollectOptions, CollectSummary, ManagerSource,
    Progress, Status,
};

use crate::args::{CollectArgs, UsageError};

const EXIT_FAILED: u8 = 1;
const EXIT_USAGE: u8 = 2;

pub async fn run(args: CollectArgs) -> Result<ExitCode, UsageError> {
    let categories = args
        .categories
        .iter()
        .filter(|c| !c.trim().is_empty())
        .map(|c| c.parse::<Category>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| UsageError::BadValue(format!("--categories: {e}")))?;
    check_out_dir(&args.out).map_err(|e| UsageError::BadValue(e.to_string()))?;
    let (input, mut check_options) = args.connection.input()?;
    // The checks open the collection: ride out a rate limit, an outage or a cut-off answer.
    check_options.retry = RetryPolicy::standard();
    let terminal = std::io::stderr().is_terminal();
    if terminal {
        eprintln!("Checking the connection...");
    }
    let checked = onboard::check_connection(&input, &check_options, |_| {}).await;
    let Some(client) = checked.client else {
        return Ok(connection_failed(&checked.report, &args));
    };
    let client = client.with_retry(RetryPolicy::standard());
    let options = CollectOptions {
        categories,
        manager: ManagerSource::from_name(args.manager_attribute.as_deref()),
        org_name: checked.report.org.as_ref().map(|o| o.name.clone()),
        count_findings: true,
        ..CollectOptions::new(&args.out)
    };
    let cancel = CancelToken::new();
    let on_ctrl_c = cancel.clone();
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            eprintln!("Stopping: keeping what was collected so far...");
            on_ctrl_c.cancel();
        }
    });
    let progress = move |event: Progress| {
        if terminal {
            print_progress(&event);
        }
    };
    let result = collect(&client, &options, &cancel, &progress).await;
    watcher.abort();
    let summary = match result {
        Ok(summary) => summary,
        Err(e) if e.is_refusal() => return Err(UsageError::BadValue(e.to_string())),
        Err(e) => {
            eprintln!("jc-onboard: {e}");
            return Ok(ExitCode::from(EXIT_FAILED));
        }
    };
    let findings = summary.findings.clone().unwrap_or_default();
    let written = if args.json {
        print_json(&summary, &findings, &args)
    } else {
        print_summary(&summary, &findings, &args)
    };
    if let Err(e) = written {
        tracing::warn!("could not write the summary: {e}");
    }
    Ok(if summary.ok() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(EXIT_FAILED)
    })
}

fn connection_failed(report: &onboard::Report, args: &CollectArgs) -> ExitCode {
    let failed: Vec<&onboard::CheckResult> = report
        .checks
        .iter()
        .filter(|c| c.state == onboard::CheckState::Fail)
        .collect();
    if args.json {
        let value = serde_json::json!({
            "ok": false,
            "out": args.out,
            "error": "the connection checks failed",
            "checks": failed,
        });
        println!("{value}");
    } else {
        eprintln!("The connection checks failed, so nothing was collected:");
        for check in failed {
            eprintln!(
                "  {}: {}",
                for_display(&check.title),
                for_display(&check.message)
            );
        }
        eprintln!("Run `jc-onboard check` with the same options for the details.");
    }
    if report.input_rejected() {
        ExitCode::from(EXIT_USAGE)
    } else {
        ExitCode::from(EXIT_FAILED)
    }
}

fn print_progress(event: &Progress) {
    match event {
        Progress::Started(category) => eprintln!("  {:<15} started", category.as_str()),
        Progress::Advanced {
            category,
            collected,
            total,
            pages,
        } if pages % 25 == 0 => match total {
            Some(total) => eprintln!("  {:<15} {collected} of {total}", category.as_str()),
            None => eprintln!("  {:<15} {collected}", category.as_str()),
        },
        Progress::Advanced { .. } => {}
        Progress::Finished(report) => eprintln!(
            "  {:<15} {} ({})",
            report.category.as_str(),
            report.status.as_str(),
            report.counts()
        ),
    }
}

fn print_summary(
    summary: &CollectSummary,
    findings: &Findings,
    args: &CollectArgs,
) -> std::io::Result<()> {
    let mut out = anstream::stdout();
    let org = summary
        .org_name
        .as_deref()
        .or(summary.org_id.as_deref())
        .unwrap_or("the organization");
    writeln!(out, "Collected {}:", for_display(org))?;
    for report in &summary.categories {
        writeln!(
            out,
            "  {:<15} {:<10} {}",
            report.category.as_str(),
            report.status.as_str(),
            report.counts()
        )?;
        if let Some(reason) = &report.reason {
            writeln!(out, "      {}", for_display(reason))?;
        }
        for note in &report.notes {
            writeln!(out, "      note: {}", for_display(note))?;
        }
    }
    if !findings.counts.is_empty() {
        writeln!(out, "To fix before migrating:")?;
        for finding in &findings.counts {
            writeln!(
                out,
                "  {:>7}  {}",
                finding.count,
                for_display(&finding.label)
            )?;
        }
    }
    if summary.warnings > 0 {
        writeln!(
            out,
            "{} warnings from the collection itself are in warnings.csv.",
            summary.warnings
        )?;
    }
    if summary.cancelled {
        writeln!(out, "Stopped early: what was collected before is kept.")?;
    }
    let settled = summary
        .categories
        .iter()
        .filter(|c| c.status != Status::Complete)
        .count();
    writeln!(
        out,
        "Wrote snapshot.json and the CSV files to {} ({} requests, {} categories not complete).",
        args.out.display(),
        summary.requests,
        settled
    )
}

fn print_json(
    summary: &CollectSummary,
    findings: &Findings,
    args: &CollectArgs,
) -> std::io::Result<()> {
    let categories: serde_json::Map<String, serde_json::Value> = summary
        .categories
        .iter()
        .map(|c| {
            (
                c.category.as_str().to_owned(),
                serde_json::json!({
                    "status": c.status,
                    "collected": c.collected,
                    "total": c.total,
                    "reason": c.reason,
                }),
            )
        })
        .collect();
    let value = serde_json::json!({
        "ok": summary.ok(),
        "out": args.out,
        "categories": categories,
        "findings": findings
            .counts
            .iter()
            .map(|f| (f.kind.clone(), serde_json::Value::from(f.count)))
            .collect::<serde_json::Map<_, _>>(),
    });
    let text = serde_json::to_string_pretty(&value).map_err(std::io::Error::other)?;
    writeln!(std::io::stdout(), "{text}")
}
