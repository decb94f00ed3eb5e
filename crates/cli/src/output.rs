//! Human output: one line per check, coloured on a terminal (anstream strips colour elsewhere).
//! Every piece of text that came from a server or a file goes through
//! [`jc_api::sanitize::for_display`] first: no credential and no terminal control gets printed.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use jc_api::sanitize::for_display;
use onboard::permissions::{Access, PermissionView};
use onboard::{CheckResult, CheckState, Report};

fn style(state: CheckState) -> Style {
    let colour = |c: AnsiColor| Style::new().fg_color(Some(c.into())).bold();
    match state {
        CheckState::Pass => colour(AnsiColor::Green),
        CheckState::Warn => colour(AnsiColor::Yellow),
        CheckState::Fail => colour(AnsiColor::Red),
        CheckState::Skipped => Style::new().dimmed(),
        CheckState::Running => Style::new(),
    }
}

/// One check: its state in the app's words ([`CheckState::label`]), title, message and fix.
pub fn check_line(out: &mut impl Write, check: &CheckResult) -> std::io::Result<()> {
    let style = style(check.state);
    let label = check.state.label();
    writeln!(
        out,
        "{style}{label:<7}{style:#} {:<34} {}",
        for_display(&check.title),
        for_display(&check.message)
    )?;
    if let Some(fix) = check
        .fix
        .as_deref()
        .filter(|_| matches!(check.state, CheckState::Fail | CheckState::Warn))
    {
        writeln!(out, "        {:<34} Fix: {}", "", for_display(fix))?;
    }
    Ok(())
}

pub fn summary(out: &mut impl Write, report: &Report) -> std::io::Result<()> {
    let failed = report
        .checks
        .iter()
        .filter(|c| c.state == CheckState::Fail)
        .count();
    let warned = report
        .checks
        .iter()
        .filter(|c| c.state == CheckState::Warn)
        .count();
    writeln!(out)?;
    match (&report.org, report.ok) {
        (Some(org), true) => {
            let region = report
                .region
                .map(|r| format!(" in the {} data center", r.label()))
                .unwrap_or_default();
            write!(
                out,
                "Connected to \"{}\" ({}){region}.",
                for_display(&org.name),
                for_display(&org.id)
            )?;
        }
        _ if report.ok => write!(out, "The connection works.")?,
        _ => write!(
            out,
            "The connection does not work yet: see the first failed check above."
        )?,
    }
    let plural = |n: usize, one: &str, many: &str| {
        if n == 1 {
            format!("1 {one}")
        } else {
            format!("{n} {many}")
        }
    };
    match (failed, warned) {
        (0, 0) => {}
        (f, 0) => write!(out, " {} failed.", plural(f, "check", "checks"))?,
        (0, w) => write!(out, " {} to look at.", plural(w, "warning", "warnings"))?,
        (f, w) => write!(
            out,
            " {} failed, {} to look at.",
            plural(f, "check", "checks"),
            plural(w, "warning", "warnings")
        )?,
    }
    writeln!(out)?;
    if !report.orgs_available.is_empty() && report.org.is_none() {
        writeln!(out, "Organizations this key reaches (use --org-id):")?;
        for org in &report.orgs_available {
            writeln!(
                out,
                "  {}  {}",
                for_display(&org.id),
                for_display(&org.name)
            )?;
        }
    }
    // Only once a check beyond the key's own got to look at a category.
    let looked = report.permissions.as_ref().filter(|view| {
        view.rows
            .iter()
            .skip(1)
            .any(|row| row.access != Access::NotChecked)
    });
    if let Some(view) = looked {
        permissions(out, view)?;
    }
    Ok(())
}

/// Each category's permission and whether it was readable; the recipe when something is off.
pub fn permissions(out: &mut impl Write, view: &PermissionView) -> std::io::Result<()> {
    writeln!(out, "\nPermissions")?;
    for line in view.lines() {
        writeln!(out, "{line}")?;
    }
    if view.needs_attention() {
        writeln!(out, "\n{}", view.recipe.text.trim_end())?;
    } else {
        writeln!(out, "(Run jc-onboard scopes for the custom role recipe.)")?;
    }
    Ok(())
}
