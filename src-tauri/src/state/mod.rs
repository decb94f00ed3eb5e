//! The app's state: the demo organization, the tested connection, keys and saved connections.
//! Each method is the orchestration one command needs, over `onboard`.

use jc_api::{ApiKey, Client, Hosts, OrgId, RequestLog};
use onboard::connections::{self, Book, ConnectionStorage, SavedConnection};
use onboard::demo::{Demo, DemoScenario as Scenario};
use onboard::secrets::{SecretStore, SessionSecrets, SystemKeychain};
use onboard::{CheckEvent, CheckOptions, ConnectionInput, PastedKey, Report, Target};
use std::collections::HashMap;
use std::path::PathBuf;

use onboard::support::History;
use tokio::sync::Mutex;

mod collection;
mod diagnostics;
mod network;
mod scratch;

use crate::error::{UiError, UiErrorKind};
use crate::ipc::{
    ConnectionList, ConnectionRequest, DemoSession, Diagnostics, DiagnosticsSubject,
    KeychainStatus, SaveRequest, SavedBundle,
};

/// The prefix of the app's log files (`jc-onboard.2026-11-22.log`).
pub const LOG_FILE_PREFIX: &str = "jc-onboard";

/// Where the support tooling reads and writes. `None`: the OS gave no such folder.
#[derive(Debug, Clone, Default)]
pub struct SupportDirs {
    /// The check history lives here.
    pub data: Option<PathBuf>,
    pub logs: Option<PathBuf>,
    /// Support bundles and exports are written here (Downloads, or Documents).
    pub bundles: Option<PathBuf>,
    /// Collections are worked on here, in private folders removed on exit.
    pub cache: Option<PathBuf>,
}

pub struct AppState {
    demo: Mutex<Option<Demo>>,
    /// The client the last successful checks resolved (region and org), for the preview.
    tested: Mutex<Option<Client>>,
    keychain: SystemKeychain,
    session_secrets: SessionSecrets,
    /// Probed once, off the main thread at start-up (a Secret Service can take its time or ask
    /// to be unlocked); whoever needs it first waits for that one probe.
    keychain_status: std::sync::OnceLock<KeychainStatus>,
    storage: Box<dyn ConnectionStorage>,
    store_problem: Option<String>,
    request_log: RequestLog,
    dirs: SupportDirs,
    settings: Box<dyn crate::store::Settings>,
    /// The last report per diagnostics subject (`saved:<id>`, or `current`), for summaries and
    /// bundles. In memory only.
    last_reports: std::sync::Mutex<HashMap<String, Report>>,
    /// The running collection and the folder of the last one.
    collection: std::sync::Mutex<collection::CollectionSlot>,
}

impl AppState {
    pub fn new(
        identifier: &str,
        storage: Box<dyn ConnectionStorage>,
        store_problem: Option<String>,
    ) -> AppState {
        AppState {
            demo: Mutex::new(None),
            tested: Mutex::new(None),
            keychain: SystemKeychain::new(identifier),
            session_secrets: SessionSecrets::default(),
            keychain_status: std::sync::OnceLock::new(),
            storage,
            store_problem,
            request_log: RequestLog::new(),
            dirs: SupportDirs::default(),
            settings: Box::new(crate::store::MemorySettings::default()),
            last_reports: std::sync::Mutex::new(HashMap::new()),
            collection: std::sync::Mutex::new(collection::CollectionSlot::default()),
        }
    }

    pub fn with_dirs(mut self, dirs: SupportDirs) -> AppState {
        self.dirs = dirs;
        self
    }

    pub fn with_settings(mut self, settings: Box<dyn crate::store::Settings>) -> AppState {
        self.settings = settings;
        self
    }

    /// Whether the OS keychain can keep keys (probed once, on first need).
    pub fn keychain_status(&self) -> KeychainStatus {
        self.keychain_status
            .get_or_init(|| match self.keychain.probe() {
                Ok(()) => KeychainStatus {
                    available: true,
                    message: None,
                },
                Err(error) => {
                    tracing::warn!(%error, "no usable keychain");
                    KeychainStatus {
                        available: false,
                        message: Some(format!(
                            "This computer has no usable keychain ({error}), so the API key cannot be saved securely. \
                             You can still use it for this session only; it is never written anywhere else."
                        )),
                    }
                }
            })
            .clone()
    }

    pub fn dirs(&self) -> &SupportDirs {
        &self.dirs
    }

    pub fn log_dir(&self) -> Result<PathBuf, UiError> {
        self.dirs.logs.clone().ok_or_else(|| {
            UiError::new(
                UiErrorKind::Store,
                "This computer gave the app no folder for its log files.",
                "Restart the app; if it keeps happening, tell support.",
            )
        })
    }

    pub fn bundle_dir(&self) -> Result<PathBuf, UiError> {
        self.dirs.bundles.clone().ok_or_else(|| {
            UiError::new(
                UiErrorKind::Store,
                "This computer has no Downloads or Documents folder to save the bundle in.",
                "Create a Downloads folder in your home folder and try again.",
            )
        })
    }

    fn book(&self) -> Book<'_> {
        Book {
            storage: self.storage.as_ref(),
            keychain: &self.keychain as &dyn SecretStore,
            session: &self.session_secrets as &dyn SecretStore,
        }
    }

    fn options(&self) -> CheckOptions {
        CheckOptions {
            product: "jc-onboard-app".to_owned(),
            request_log: self.request_log.clone(),
            extra_ca_pem: self.settings.extra_ca().map(String::into_bytes),
            ..CheckOptions::default()
        }
    }

    pub async fn start_demo(&self, scenario: &str) -> Result<DemoSession, UiError> {
        let scenario: Scenario = scenario.parse().map_err(|_| {
            UiError::new(
                UiErrorKind::Input,
                format!("There is no demo scenario called {scenario:?}."),
                "Pick a scenario from the list.",
            )
        })?;
        let demo = self.demo_running(scenario).await?;
        Ok(demo)
    }

    /// Starts the demo org for `scenario`, unless it is already the one running.
    async fn demo_running(&self, scenario: Scenario) -> Result<DemoSession, UiError> {
        let mut slot = self.demo.lock().await;
        if slot.as_ref().map(Demo::scenario) != Some(scenario) {
            if let Some(old) = slot.take() {
                old.stop().await;
            }
            let demo = Demo::start(scenario).await.map_err(|e| {
                UiError::new(
                    UiErrorKind::Demo,
                    format!("The demo organization could not start ({e})."),
                    "Close other copies of the app and try again.",
                )
            })?;
            *slot = Some(demo);
        }
        let demo = slot.as_ref().ok_or_else(|| {
            UiError::new(
                UiErrorKind::Demo,
                "The demo organization stopped.",
                "Start the demo again.",
            )
        })?;
        Ok(DemoSession {
            scenario: scenario.to_string(),
            api_key: demo.sim().api_key().to_owned(),
            org_id: None,
        })
    }

    pub async fn stop_demo(&self) {
        if let Some(demo) = self.demo.lock().await.take() {
            demo.stop().await;
        }
    }

    async fn demo_hosts(&self) -> Result<Hosts, UiError> {
        self.demo
            .lock()
            .await
            .as_ref()
            .map(Demo::hosts)
            .ok_or_else(|| {
                UiError::new(
                    UiErrorKind::Demo,
                    "The demo organization is not running.",
                    "Start again from \"Try with a demo organization\".",
                )
            })
    }

    async fn input_for(&self, request: &ConnectionRequest) -> Result<ConnectionInput, UiError> {
        let hosts = if request.demo {
            self.demo_hosts().await?
        } else {
            Hosts::jumpcloud()
        };
        Ok(ConnectionInput {
            key: PastedKey::new(request.key.clone()),
            org_id: request.org_id.clone(),
            target: request.region.target(hosts),
        })
    }

    pub async fn run_checks(
        &self,
        request: &ConnectionRequest,
        on_event: impl FnMut(CheckEvent) + Send,
    ) -> Result<Report, UiError> {
        let input = self.input_for(request).await?;
        let report = self.check(&input, on_event).await;
        self.remember(&DiagnosticsSubject::Current(request.clone()), &report);
        Ok(report)
    }

    async fn check(
        &self,
        input: &ConnectionInput,
        on_event: impl FnMut(CheckEvent) + Send,
    ) -> Report {
        let checked = onboard::check_connection(input, &self.options(), on_event).await;
        if let Some(client) = &checked.client {
            self.connection_tested(client);
        }
        *self.tested.lock().await = checked.client;
        checked.report
    }

    pub async fn preview(&self) -> Result<onboard::preview::PreviewData, UiError> {
        let client = self
            .tested
            .lock()
            .await
            .clone()
            .ok_or_else(UiError::not_connected)?;
        Ok(onboard::preview::first_rows(&client, client.region()).await)
    }

    pub fn list(&self) -> Result<ConnectionList, UiError> {
        Ok(ConnectionList {
            connections: self.book().list()?,
            store_problem: self.store_problem.clone(),
        })
    }

    pub async fn save(&self, request: SaveRequest) -> Result<SavedConnection, UiError> {
        let key = ApiKey::parse(&request.key)?;
        if !request.session_only && !self.keychain_status().available {
            return Err(UiError::new(
                UiErrorKind::Keychain,
                "There is no keychain to keep the key in.",
                "Choose \"Use the key for this session only\".",
            ));
        }
        let existing = self.book().list()?;
        let name = Some(request.name.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| connections::default_name(&existing));
        name_is_free(&existing, &name, None)?;
        let demo_scenario = match request.demo {
            true => self
                .demo
                .lock()
                .await
                .as_ref()
                .map(|d| d.scenario().to_string()),
            false => None,
        };
        let connection = SavedConnection {
            id: connections::new_id(),
            name,
            region: request.report.region,
            org: request.report.org.clone(),
            manager_attribute: request
                .manager_attribute
                .map(|a| a.trim().to_owned())
                .filter(|a| !a.is_empty()),
            demo_scenario,
            last_test: Some(connections::summarize(&request.report, now())),
            key_last_four: None,
            session_only: request.session_only,
            platform: None,
        };
        let saved = self.book().add(connection, &key)?;
        self.remember(
            &DiagnosticsSubject::Saved(saved.id.clone()),
            &request.report,
        );
        Ok(saved)
    }

    /// Re-runs the checks with the saved key, region and org; the demo org is restarted if needed.
    pub async fn retest(
        &self,
        id: &str,
        on_event: impl FnMut(CheckEvent) + Send,
    ) -> Result<Report, UiError> {
        let book = self.book();
        let connection = book.get(id)?;
        let key = book.key(&connection)?;
        let hosts = match connection
            .demo_scenario
            .as_deref()
            .and_then(|s| s.parse::<Scenario>().ok())
        {
            Some(scenario) => {
                self.demo_running(scenario).await?;
                self.demo_hosts().await?
            }
            None => Hosts::jumpcloud(),
        };
        let target = match connection.region {
            Some(region) if connection.demo_scenario.is_none() => Target::Region(region, hosts),
            _ => Target::Auto(hosts),
        };
        let input = ConnectionInput {
            key: PastedKey::new(key.expose().to_owned()),
            org_id: connection
                .org
                .as_ref()
                .and_then(|o| OrgId::parse(&o.id).ok())
                .map(|o| o.to_string()),
            target,
        };
        let report = self.check(&input, on_event).await;
        self.book().update(id, |c| {
            c.last_test = Some(connections::summarize(&report, now()))
        })?;
        self.remember(&DiagnosticsSubject::Saved(id.to_owned()), &report);
        Ok(report)
    }

    pub fn rename(&self, id: &str, name: &str) -> Result<SavedConnection, UiError> {
        let name = name.trim();
        if name.is_empty() {
            return Err(UiError::new(
                UiErrorKind::Input,
                "A connection needs a name.",
                "Type a name, e.g. Production_JumpCloud.",
            ));
        }
        name_is_free(&self.book().list()?, name, Some(id))?;
        Ok(self.book().update(id, |c| c.name = name.to_owned())?)
    }

    pub fn replace_key(&self, id: &str, key: &str) -> Result<SavedConnection, UiError> {
        Ok(self.book().replace_key(id, &ApiKey::parse(key)?)?)
    }

    pub fn delete(&self, id: &str) -> Result<(), UiError> {
        self.book().delete(id)?;
        self.forget_report(id);
        if let Some(dir) = &self.dirs.data {
            if let Err(error) = History::open(dir).and_then(|mut o| o.history.forget(id)) {
                tracing::warn!(%error, "the deleted connection's check history stays");
            }
        }
        Ok(())
    }
}

/// Names tell connections apart on the home screen, so two may not share one (any case).
fn name_is_free(
    existing: &[SavedConnection],
    name: &str,
    except: Option<&str>,
) -> Result<(), UiError> {
    let taken = existing
        .iter()
        .any(|c| Some(c.id.as_str()) != except && c.name.eq_ignore_ascii_case(name));
    if taken {
        return Err(UiError::new(
            UiErrorKind::Input,
            format!("There is already a connection called \"{name}\"."),
            "Choose another name.",
        ));
    }
    Ok(())
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
