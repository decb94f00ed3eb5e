//! `jc-onboard doctor`: the checks, plus probes of this computer's network and clock, turned
//! into named causes with their fix and console link; optionally a support bundle.

use std::io::Write;
use std::process::ExitCode;
use std::time::Duration;

use anstyle::{AnsiColor, Style};
use jc_api::Region;
use onboard::support::{self, Bundle, BundleParts, Diagnosis, EnvProbe, Redactor, Severity};
use onboard::{CheckEvent, Report, Target};

use jc_api::sanitize::for_display;
use zeroize::Zeroizing;

use crate::args::{DoctorArgs, UsageError};
use crate::output;

pub async fn doctor(args: DoctorArgs) -> Result<ExitCode, UsageError> {
    let (input, options) = args.connection.input()?;
    let timeout = options.timeout;
    let target = input.target.clone();
    let secret = Zeroizing::new(input.key.text().to_owned());

    let mut stdout = anstream::stdout();
    if !args.json {
        let _ = writeln!(stdout, "Checks");
    }
    let report = onboard::run_checks(&input, &options, |event| {
        if let (CheckEvent::Finished(result), false) = (&event, args.json) {
            // A closed pipe must not panic the run; the exit code still tells the outcome.
            let _ = output::check_line(&mut anstream::stdout(), result);
        }
    })
    .await;
    // After the checks, so the probes cannot spend a rate-limited key's budget first.
    let env = probe(&target, timeout).await;
    let diagnoses = support::diagnose(&report, Some(&env));

    let mut bundle_written = None;
    if let Some(path) = &args.bundle {
        let records = options.request_log.records();
        let bundle = Bundle::build(BundleParts {
            app_name: "jc-onboard",
            app_version: env!("CARGO_PKG_VERSION"),
            report: &report,
            requests: &records,
            collection: None,
            environment: Some(env.clone()),
            log_lines: Vec::new(),
        });
        let redactor = Redactor::new()
            .secret(&secret)
            .keep_personal_data(args.include_personal_data);
        if let Err(e) = bundle.write(path, &redactor) {
            eprintln!("jc-onboard: {e}");
            return Ok(ExitCode::from(crate::EXIT_FAILED));
        }
        bundle_written = Some(path.display().to_string());
    }

    let written = if args.json {
        let value = serde_json::json!({
            "ok": report.ok,
            "diagnoses": diagnoses,
            "environment": env,
            "report": report,
            "bundle": bundle_written,
        });
        serde_json::to_string_pretty(&value)
            .map_err(std::io::Error::other)
            .and_then(|text| writeln!(stdout, "{text}"))
    } else {
        human(
            &mut stdout,
            &report,
            &env,
            &diagnoses,
            bundle_written.as_deref(),
            args.include_personal_data,
        )
    };
    if let Err(e) = written {
        tracing::warn!("could not write the diagnosis: {e}");
    }
    Ok(crate::exit_code(&report))
}

/// The hosts the checks talk to, probed from this computer.
async fn probe(target: &Target, timeout: Duration) -> EnvProbe {
    match target {
        Target::Auto(hosts) | Target::Region(_, hosts) => {
            support::probe_hosts(hosts, timeout).await
        }
        Target::Fixed(base) => support::probe_environment(&[(None, base.clone())], timeout).await,
    }
}

fn human(
    out: &mut impl Write,
    report: &Report,
    env: &EnvProbe,
    diagnoses: &[Diagnosis],
    bundle: Option<&str>,
    personal: bool,
) -> std::io::Result<()> {
    output::summary(out, report)?;
    writeln!(out, "\nEnvironment")?;
    environment(out, env)?;
    writeln!(out, "\nDiagnosis")?;
    diagnosis(out, diagnoses)?;
    if let Some(path) = bundle {
        let people = if personal {
            "people's emails and names kept, as asked"
        } else {
            "people's emails and names hashed"
        };
        writeln!(
            out,
            "\nSupport bundle written to {path} (no key; {people})."
        )?;
    }
    Ok(())
}

pub fn environment(out: &mut impl Write, env: &EnvProbe) -> std::io::Result<()> {
    for host in &env.hosts {
        let region = host.region.map(Region::label).unwrap_or("host");
        let dns = if host.dns.ok {
            format!("DNS ok ({})", for_display(&host.dns.addresses.join(", ")))
        } else {
            format!(
                "DNS FAILED ({})",
                for_display(host.dns.error.as_deref().unwrap_or("no answer"))
            )
        };
        let reach = if host.reach.ok {
            format!(
                "answers (HTTP {}) in {} ms",
                host.reach.status.unwrap_or_default(),
                host.reach.latency_ms
            )
        } else {
            format!(
                "NOT REACHED: {} ({})",
                for_display(&host.reach.outcome),
                for_display(host.reach.error.as_deref().unwrap_or("no detail"))
            )
        };
        let clock = match host.clock_skew_secs {
            Some(s) if s.abs() > support::CLOCK_SKEW_LIMIT_SECS => format!("clock OFF by {s:+} s"),
            Some(s) => format!("clock ok ({s:+} s)"),
            None => "clock not compared".to_owned(),
        };
        writeln!(
            out,
            "  {region:<6} {:<36} {dns}; {reach}; {clock}",
            for_display(&host.url)
        )?;
    }
    if env.proxy.is_empty() {
        writeln!(out, "  Proxy  no proxy variables set")?;
    }
    for proxy in &env.proxy {
        writeln!(
            out,
            "  Proxy  {}={}",
            for_display(&proxy.name),
            for_display(&proxy.value)
        )?;
    }
    Ok(())
}

pub fn diagnosis(out: &mut impl Write, diagnoses: &[Diagnosis]) -> std::io::Result<()> {
    if diagnoses.is_empty() {
        return writeln!(out, "  Nothing wrong found.");
    }
    for (n, d) in diagnoses.iter().enumerate() {
        let colour = |c: AnsiColor| Style::new().fg_color(Some(c.into())).bold();
        let (style, label) = match d.severity {
            Severity::Fail => (colour(AnsiColor::Red), "FAIL"),
            Severity::Warn => (colour(AnsiColor::Yellow), "WARN"),
            Severity::Note => (Style::new().dimmed(), "NOTE"),
        };
        writeln!(
            out,
            "  {}. {style}{label}{style:#} {} [{}]",
            n + 1,
            for_display(&d.title),
            for_display(&d.cause_id)
        )?;
        writeln!(out, "     Cause: {}", for_display(&d.cause))?;
        writeln!(out, "     Fix:   {}", for_display(&d.fix))?;
        if let Some(link) = &d.link {
            writeln!(out, "     Where: {}", for_display(link))?;
        }
        writeln!(out, "     Seen in: {}", for_display(&d.checks.join(", ")))?;
    }
    Ok(())
}
