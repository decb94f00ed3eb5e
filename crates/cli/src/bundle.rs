//! `jc-onboard bundle inspect FILE`: a support bundle (schema 1 or 2), readable for support staff.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

use onboard::support::{read_bundle, Bundle};

use crate::args::UsageError;
use crate::{doctor, output};

pub fn inspect(path: &Path) -> Result<ExitCode, UsageError> {
    // Refuses pipes, devices and oversized files; every string is cleaned on reading.
    let bundle = read_bundle(path).map_err(|e| UsageError::BadValue(e.to_string()))?;
    let mut out = anstream::stdout();
    if let Err(e) = print(&mut out, &bundle) {
        tracing::warn!("could not write the bundle: {e}");
    }
    Ok(ExitCode::SUCCESS)
}

fn print(out: &mut impl Write, b: &Bundle) -> std::io::Result<()> {
    let upgraded = if b.is_upgraded() {
        " (an older bundle: no evidence, request ids, environment or log lines)"
    } else {
        ""
    };
    writeln!(out, "Bundle   {}{upgraded}", b.schema)?;
    writeln!(out, "App      {} {}", b.app.name, b.app.version)?;
    let os = [
        b.os.pretty_name.clone(),
        Some(b.os.os.clone()),
        (!b.os.arch.is_empty()).then(|| b.os.arch.clone()),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ");
    writeln!(out, "OS       {os}")?;
    writeln!(out, "Created  {}", b.created_at)?;
    writeln!(
        out,
        "People   {}",
        if b.personal_data {
            "emails and names kept (the user opted in)"
        } else {
            "emails and names hashed (email:sha256:…, name:sha256:…)"
        }
    )?;
    let report = &b.report;
    if let Some(region) = report.region {
        writeln!(out, "Region   {}", region.label())?;
    }
    if let Some(org) = &report.org {
        writeln!(out, "Org      {} ({})", org.name, org.id)?;
    }
    if let Some(role) = &report.role {
        writeln!(out, "Role     {role}")?;
    }

    writeln!(out, "\nChecks")?;
    for check in &report.checks {
        output::check_line(out, check)?;
        for e in &check.detail {
            writeln!(
                out,
                "     {:<34} {} {} {} -> {} {} ms{}{}",
                "",
                e.host,
                e.route,
                e.status
                    .map(|s| s.to_string())
                    .unwrap_or_else(|| "-".into()),
                e.outcome,
                e.latency_ms,
                e.request_id
                    .as_deref()
                    .map(|r| format!(" id {r}"))
                    .unwrap_or_default(),
                e.server_said
                    .as_deref()
                    .map(|s| format!(": {s}"))
                    .unwrap_or_default(),
            )?;
        }
    }
    output::summary(out, report)?;

    writeln!(out, "\nDiagnosis")?;
    doctor::diagnosis(out, &b.diagnoses)?;

    if let Some(env) = &b.environment {
        writeln!(out, "\nEnvironment (probed {})", env.probed_at)?;
        doctor::environment(out, env)?;
    }

    if let Some(collection) = &b.collection {
        writeln!(out, "\nCollection")?;
        for c in collection {
            let total = c.total.map(|t| format!(" of {t}")).unwrap_or_default();
            let reason = c
                .reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default();
            writeln!(
                out,
                "  {:<20} {:<10} {}{total}{reason}",
                c.name, c.status, c.collected
            )?;
        }
    }

    writeln!(out, "\nRequests ({})", b.requests.len())?;
    for r in &b.requests {
        writeln!(
            out,
            "  {} {}{} {} #{} -> {} ({} ms{}){}",
            r.method,
            r.host,
            r.route,
            r.status
                .map(|s| s.to_string())
                .unwrap_or_else(|| "-".into()),
            r.attempt,
            r.outcome,
            r.latency_ms,
            if r.waited_ms > 0 {
                format!(", waited {} ms", r.waited_ms)
            } else {
                String::new()
            },
            r.request_id
                .as_deref()
                .map(|id| format!(" id {id}"))
                .unwrap_or_default(),
        )?;
    }

    if !b.log_lines.is_empty() {
        writeln!(out, "\nApp log ({} lines)", b.log_lines.len())?;
        for line in &b.log_lines {
            writeln!(out, "  {line}")?;
        }
    }
    Ok(())
}
