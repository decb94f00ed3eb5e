//! Diagnostics for support staff: re-run checks with named causes, the run history, a summary
//! for a ticket and a redacted support bundle, for a saved connection or the wizard's current one.

use std::path::Path;

use onboard::support::{
    support_summary, Bundle, BundleParts, History, HistoryEntry, Redactor, SummaryParts,
};
use onboard::{CheckEvent, Report};
use zeroize::Zeroizing;

use super::*;

/// How many of the newest log lines go into a support bundle.
const BUNDLE_LOG_LINES: usize = 300;

impl AppState {
    pub(super) fn remember(&self, id: &str, report: &Report) {
        if let Ok(mut reports) = self.last_reports.lock() {
            reports.insert(id.to_owned(), report.clone());
        }
    }

    pub(super) fn forget_report(&self, id: &str) {
        if let Ok(mut reports) = self.last_reports.lock() {
            reports.remove(id);
        }
    }

    /// What a summary or bundle is about: the last report, the key (to redact it), the saved
    /// connection if the subject is one, and the demo scenario.
    fn about(&self, subject: &DiagnosticsSubject) -> Result<About, UiError> {
        let not_run = || {
            UiError::new(
                UiErrorKind::NotConnected,
                "The checks have not run for this connection yet.",
                "Choose \"Re-run checks\" first.",
            )
        };
        match subject {
            DiagnosticsSubject::Saved(id) => {
                let book = self.book();
                let connection = book.get(id)?;
                // The secret to scrub from the bundle: the key, or the client secret.
                let key = Zeroizing::new(book.credential(&connection)?.secret_text().to_owned());
                let report = self
                    .last_reports
                    .lock()
                    .ok()
                    .and_then(|r| r.get(id).cloned())
                    .ok_or_else(not_run)?;
                Ok(About {
                    report,
                    key,
                    demo_scenario: connection.demo_scenario.clone(),
                    connection: Some(connection),
                })
            }
            DiagnosticsSubject::Current => {
                let wizard = self.wizard();
                let session = wizard.as_ref().ok_or_else(not_run)?;
                Ok(About {
                    report: session.report.clone(),
                    key: Zeroizing::new(session.key.text().trim().to_owned()),
                    demo_scenario: session.demo.map(|s| s.to_string()),
                    connection: None,
                })
            }
        }
    }

    fn history_dir(&self) -> Result<&Path, String> {
        self.dirs
            .data
            .as_deref()
            .ok_or_else(|| "This computer gave the app no data folder.".to_owned())
    }

    /// Earlier runs of a saved connection, oldest first.
    pub fn history(&self, id: &str) -> Result<Vec<HistoryEntry>, UiError> {
        self.book().get(id)?;
        let dir = self
            .history_dir()
            .map_err(|m| UiError::new(UiErrorKind::Store, m, "Restart the app and try again."))?;
        let opened = History::open(dir).map_err(|e| {
            UiError::new(
                UiErrorKind::Store,
                format!("The check history could not be read ({e})."),
                "Check that the app's data folder is writable, then try again.",
            )
        })?;
        Ok(opened.history.runs(id).to_vec())
    }

    /// Re-runs the checks for the subject, records a saved connection's run in its history,
    /// and explains the result.
    pub async fn diagnose(
        &self,
        subject: &DiagnosticsSubject,
        on_event: impl FnMut(CheckEvent) + Send,
    ) -> Result<Diagnostics, UiError> {
        let report = match subject {
            DiagnosticsSubject::Saved(id) => self.retest(id, on_event).await?,
            DiagnosticsSubject::Current => self.retest_session(on_event).await?,
        };
        let about = self.about(subject)?;
        let mut history = Vec::new();
        let mut history_problem = None;
        if let DiagnosticsSubject::Saved(id) = subject {
            let recorded = self.history_dir().and_then(|dir| {
                let mut opened = History::open(dir).map_err(|e| e.to_string())?;
                opened
                    .history
                    .record(id, &report)
                    .map_err(|e| e.to_string())?;
                Ok(opened.history.runs(id).to_vec())
            });
            match recorded {
                Ok(runs) => history = runs,
                Err(problem) => {
                    tracing::warn!(%problem, "the check history could not be updated");
                    history_problem = Some(format!(
                        "The history of earlier runs could not be updated: {problem}"
                    ));
                }
            }
        }
        tracing::info!(ok = report.ok, "diagnostics ran");
        Ok(Diagnostics {
            diagnoses: onboard::support::diagnose(&report, None),
            history,
            region: report.region,
            org: report.org.clone(),
            role: report.role.clone(),
            key_last_four: about.key_last_four(),
            history_problem,
            report,
        })
    }

    /// A short plain-text report for a support ticket: no key, people's data hashed.
    pub fn summary(&self, subject: &DiagnosticsSubject, version: &str) -> Result<String, UiError> {
        let about = self.about(subject)?;
        let last_four = about.key_last_four();
        let parts = SummaryParts {
            app_version: version,
            connection: about.connection.as_ref().map(|c| c.name.as_str()),
            demo_scenario: about.demo_scenario.as_deref(),
            report: &about.report,
            key_last_four: last_four.as_deref(),
        };
        Ok(support_summary(&parts, &Redactor::new().secret(&about.key)))
    }

    /// Writes a redacted support bundle into the bundles folder and says where.
    pub fn save_bundle(
        &self,
        subject: &DiagnosticsSubject,
        include_personal_data: bool,
        version: &str,
    ) -> Result<SavedBundle, UiError> {
        let About { report, key, .. } = self.about(subject)?;
        let redactor = Redactor::new()
            .secret(&key)
            .keep_personal_data(include_personal_data);
        let log_lines = self
            .dirs
            .logs
            .as_deref()
            .map(|dir| recent_log_lines(dir, BUNDLE_LOG_LINES))
            .unwrap_or_default()
            .iter()
            .map(|line| redactor.text(line))
            .collect();
        let records = self.request_log.records();
        let bundle = Bundle::build(BundleParts {
            app_name: "jc-onboard-app",
            app_version: version,
            report: &report,
            requests: &records,
            collection: None,
            environment: None,
            log_lines,
        });
        let folder = self.bundle_dir()?;
        std::fs::create_dir_all(&folder).map_err(|e| bundle_write_error(&folder, &e))?;
        let stamp = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!(
                "[year][month][day]-[hour][minute][second]"
            ))
            .unwrap_or_default();
        let mut path = folder.join(format!("jc-onboard-support-{stamp}.json"));
        let mut n = 2;
        while path.exists() {
            path = folder.join(format!("jc-onboard-support-{stamp}-{n}.json"));
            n += 1;
        }
        bundle
            .write(&path, &redactor)
            .map_err(|e| bundle_write_error(&path, &e))?;
        tracing::info!(path = %path.display(), personal_data = include_personal_data, "support bundle written");
        Ok(SavedBundle {
            path: path.display().to_string(),
            folder: folder.display().to_string(),
        })
    }
}

/// What a summary or bundle is about.
struct About {
    report: Report,
    /// Only to remove it from anything written; zeroed when dropped.
    key: Zeroizing<String>,
    connection: Option<SavedConnection>,
    demo_scenario: Option<String>,
}

impl About {
    fn key_last_four(&self) -> Option<String> {
        // A client secret is never shown, not even in part.
        if self
            .connection
            .as_ref()
            .is_some_and(|c| c.client_id.is_some())
        {
            return None;
        }
        self.connection
            .as_ref()
            .and_then(|c| c.key_last_four.clone())
            .or_else(|| ApiKey::parse(&self.key).ok().map(|k| k.last_four()))
    }
}

fn bundle_write_error(path: &Path, error: &dyn std::fmt::Display) -> UiError {
    UiError::new(
        UiErrorKind::Store,
        format!(
            "The support bundle could not be written to {} ({error}).",
            path.display()
        ),
        "Check that there is free disk space and that the folder is writable, then try again.",
    )
}

/// The newest `limit` lines of the app's newest log files.
pub fn recent_log_lines(dir: &Path, limit: usize) -> Vec<String> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| {
                    p.file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.starts_with(LOG_FILE_PREFIX))
                })
                .collect()
        })
        .unwrap_or_default();
    // Daily files are named by date, so the names sort oldest first.
    files.sort();
    let mut lines: Vec<String> = Vec::new();
    for file in files.iter().rev() {
        let Ok(text) = std::fs::read_to_string(file) else {
            continue;
        };
        let mut these: Vec<String> = text.lines().map(str::to_owned).collect();
        these.append(&mut lines);
        lines = these;
        if lines.len() >= limit {
            break;
        }
    }
    let excess = lines.len().saturating_sub(limit);
    lines.drain(..excess);
    lines
}
