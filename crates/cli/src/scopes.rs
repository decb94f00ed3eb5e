//! `jc-onboard scopes`: every call the product makes, the permission each needs and why, the
//! least privilege set and the custom role recipe. Needs no key: it is read from the call table.

use std::io::Write;
use std::process::ExitCode;

use onboard::permissions::{self, Reference};

use crate::args::{ScopesArgs, UsageError};

pub fn scopes(args: ScopesArgs) -> Result<ExitCode, UsageError> {
    let reference = permissions::reference(args.region.region());
    let mut stdout = anstream::stdout();
    let written = if args.json {
        serde_json::to_string_pretty(&reference)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(stdout, "{text}"))
    } else {
        human(&mut stdout, &reference)
    };
    if let Err(e) = written {
        tracing::warn!("could not write the scopes: {e}");
    }
    Ok(ExitCode::SUCCESS)
}

fn human(out: &mut impl Write, reference: &Reference) -> std::io::Result<()> {
    writeln!(
        out,
        "Every call jc-onboard makes to JumpCloud, the permission it needs and why.\n\
         Permissions are the read-only scopes JumpCloud's OpenAPI spec names for each route."
    )?;
    let width = reference
        .calls
        .iter()
        .map(|c| c.method.len() + c.path.len() + 1)
        .max()
        .unwrap_or(0);
    let mut category = "";
    for call in &reference.calls {
        if call.category_label != category {
            category = &call.category_label;
            writeln!(out, "\n{category}")?;
        }
        let route = format!("{} {}", call.method, call.path);
        let scope = call
            .scope
            .as_deref()
            .unwrap_or("unknown: not in JumpCloud's spec");
        writeln!(out, "  {route:<width$}  {scope}")?;
        writeln!(out, "  {:<width$}  {}", "", call.purpose)?;
        if let Some(evidence) = &call.undocumented {
            writeln!(out, "  {:<width$}  Evidence: {evidence}", "")?;
        }
    }
    writeln!(
        out,
        "\nLeast privilege ({} read-only permissions): {}",
        reference.minimal.len(),
        reference.minimal.join(", ")
    )?;
    writeln!(out, "\nNever collected")?;
    for never in &reference.never_collected {
        writeln!(out, "  - {}: {}.", never.secret, never.how)?;
    }
    writeln!(out, "\n{}", reference.recipe.text.trim_end())
}
