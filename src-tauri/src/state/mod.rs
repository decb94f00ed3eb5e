//! The app's state: the demo organization, the tested connection, keys and saved connections.
//! Each method is the orchestration one command needs, over `onboard`.

use jc_api::{ApiKey, Client, Hosts, OrgId, RequestLog};
use onboard::connections::{Book, ConnectionStorage, NewConnection, SavedConnection};
use onboard::demo::{Demo, DemoScenario as Scenario};
use onboard::display::Clock;
use onboard::secrets::{SecretStore, SessionSecrets, SystemKeychain};
use onboard::{CheckEvent, CheckOptions, ConnectionInput, PastedKey, RegionChoice, Report, Target};
use std::collections::HashMap;
use std::path::PathBuf;

use onboard::support::History;
use tokio::sync::Mutex;

mod collection;
mod diagnostics;
mod handover;
mod network;
mod scratch;

use crate::error::{UiError, UiErrorKind};
use crate::ipc::{
    ConnectionList, ConnectionRequest, ConnectionWords, DemoSession, Diagnostics,
    DiagnosticsSubject, KeychainStatus, SaveRequest, SavedBundle,
};

/// The wizard's connection as the user last tested it. The pasted key is held here, in memory
/// only, so nothing after the test has to send it again: the preview, the save and the
/// diagnostics all work from this.
struct WizardSession {
    /// The API key, or with `client_id` the client secret.
    key: PastedKey,
    client_id: Option<String>,
    org_id: Option<String>,
    region: RegionChoice,
    /// The demo scenario, when the connection is to the demo organization.
    demo: Option<Scenario>,
    report: Report,
    /// Bound to the region and organization the checks resolved; only when they passed.
    client: Option<Client>,
    /// What the organization showed, read once for the hand-over's checks.
    seen: Option<std::sync::Arc<handover::SeenData>>,
}

/// A client ID or secret that lost its shape between the test and the save (never expected:
/// the test checked it).
fn bad_client_credentials(error: &jc_api::PartShapeError) -> UiError {
    UiError::new(
        UiErrorKind::Input,
        format!("The client ID or secret cannot be used: {error}."),
        "Paste the client ID and secret again and test the connection.",
    )
}

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
    /// The wizard's last tested connection.
    wizard: std::sync::Mutex<Option<WizardSession>>,
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
    /// The last report per saved connection id, for summaries and bundles. In memory only.
    last_reports: std::sync::Mutex<HashMap<String, Report>>,
    /// The running collection and the folder of the last one.
    collection: std::sync::Mutex<collection::CollectionSlot>,
    /// Now, and the time zone dates are shown in: the machine's, or fixed for recordings.
    clock: Clock,
}

impl AppState {
    pub fn new(
        identifier: &str,
        storage: Box<dyn ConnectionStorage>,
        store_problem: Option<String>,
    ) -> AppState {
        AppState {
            demo: Mutex::new(None),
            wizard: std::sync::Mutex::new(None),
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
            clock: Clock::SYSTEM,
        }
    }

    /// Removes keys a crash left in the keychain without their connection (start-up work,
    /// after the keychain probe).
    pub fn remove_orphaned_keys(&self) {
        if !self.keychain_status().available {
            return;
        }
        match self.book().remove_orphaned_keys() {
            Ok(0) => {}
            Ok(removed) => tracing::info!(removed, "removed keys whose connection is gone"),
            Err(error) => {
                tracing::warn!(%error, "keys whose connection is gone were not removed")
            }
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

    /// Dates shown by `clock`; a fixed clock also fixes the demo organization's "today".
    pub fn with_clock(mut self, clock: Clock) -> AppState {
        self.clock = clock;
        self
    }

    pub fn clock(&self) -> Clock {
        self.clock
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
            let config = jc_sim::SimConfig {
                // The sim's "now" is the start of a UTC day, as when it reads the real clock.
                now_unix: self.clock.fixed_now().map(|now| {
                    let seconds = now.unix_timestamp();
                    seconds - seconds.rem_euclid(86_400)
                }),
                ..jc_sim::SimConfig::scenario(scenario)
            };
            let demo = Demo::start_with(config).await.map_err(|e| {
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
        let client = demo.sim().client_credentials();
        Ok(DemoSession {
            scenario: scenario.to_string(),
            api_key: demo.sim().api_key().to_owned(),
            org_id: None,
            client_id: client.map(|(id, _)| id.to_owned()),
            client_secret: client.map(|(_, secret)| secret.to_owned()),
        })
    }

    pub async fn stop_demo(&self) {
        if let Some(demo) = self.demo.lock().await.take() {
            demo.stop().await;
        }
    }

    async fn demo_hosts(&self) -> Result<Hosts, UiError> {
        self.with_demo(Demo::hosts).await
    }

    /// What `read` reads from the running demo organization.
    async fn with_demo<T>(&self, read: impl FnOnce(&Demo) -> T) -> Result<T, UiError> {
        self.demo
            .lock()
            .await
            .as_ref()
            .map(read)
            .ok_or_else(demo_not_running)
    }

    /// Runs the checks for what the user entered and keeps the result as the wizard's session.
    pub async fn run_checks(
        &self,
        request: &ConnectionRequest,
        on_event: impl FnMut(CheckEvent) + Send,
    ) -> Result<Report, UiError> {
        let demo = match request.demo {
            true => Some(self.demo_scenario().await?),
            false => None,
        };
        let session = WizardSession {
            key: PastedKey::new(request.key.clone()),
            client_id: request.client_id.clone(),
            org_id: request.org_id.clone(),
            region: request.region,
            demo,
            report: Report::default(),
            client: None,
            seen: None,
        };
        self.test_session(session, on_event).await
    }

    /// Runs the checks for the wizard's last tested connection again.
    pub async fn retest_session(
        &self,
        on_event: impl FnMut(CheckEvent) + Send,
    ) -> Result<Report, UiError> {
        let session = {
            let wizard = self.wizard();
            let last = wizard.as_ref().ok_or_else(UiError::not_connected)?;
            WizardSession {
                key: last.key.clone(),
                client_id: last.client_id.clone(),
                org_id: last.org_id.clone(),
                region: last.region,
                demo: last.demo,
                report: Report::default(),
                client: None,
                seen: None,
            }
        };
        self.test_session(session, on_event).await
    }

    async fn test_session(
        &self,
        mut session: WizardSession,
        on_event: impl FnMut(CheckEvent) + Send,
    ) -> Result<Report, UiError> {
        let hosts = match session.demo {
            Some(scenario) => {
                self.demo_running(scenario).await?;
                self.demo_hosts().await?
            }
            None => Hosts::jumpcloud(),
        };
        let input = ConnectionInput {
            key: session.key.clone(),
            client_id: session.client_id.clone(),
            org_id: session.org_id.clone(),
            target: session.region.target(hosts),
        };
        let (report, client) = self.check(&input, on_event).await;
        session.report = report.clone();
        session.client = client;
        *self.wizard() = Some(session);
        Ok(report)
    }

    /// The scenario of the running demo organization.
    async fn demo_scenario(&self) -> Result<Scenario, UiError> {
        self.with_demo(Demo::scenario).await
    }

    async fn check(
        &self,
        input: &ConnectionInput,
        on_event: impl FnMut(CheckEvent) + Send,
    ) -> (Report, Option<Client>) {
        let checked = onboard::check_connection(input, &self.options(), on_event).await;
        self.connection_tested(checked.client.as_ref());
        (checked.report, checked.client)
    }

    fn wizard(&self) -> std::sync::MutexGuard<'_, Option<WizardSession>> {
        self.wizard
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The client the wizard's last passing test resolved, for the preview and the collection.
    pub(super) fn tested_client(&self) -> Result<Client, UiError> {
        self.wizard()
            .as_ref()
            .and_then(|s| s.client.clone())
            .ok_or_else(UiError::not_connected)
    }

    pub async fn preview(&self) -> Result<onboard::preview::PreviewData, UiError> {
        let client = self.tested_client()?;
        Ok(onboard::preview::first_rows_by(&client, client.region(), self.clock).await)
    }

    pub fn list(&self) -> Result<ConnectionList, UiError> {
        let connections = self.book().list()?;
        Ok(ConnectionList {
            words: connections
                .iter()
                .map(|c| connection_words(c, self.clock))
                .collect(),
            connections,
            store_problem: self.store_problem.clone(),
        })
    }

    /// Saves the wizard's connection as its last passing test found it.
    pub fn save(&self, request: SaveRequest) -> Result<SavedConnection, UiError> {
        let wizard = self.wizard();
        let session = wizard
            .as_ref()
            .filter(|s| s.report.ok)
            .ok_or_else(UiError::not_connected)?;
        let credential = match &session.client_id {
            None => jc_api::Credential::from(ApiKey::parse(session.key.text())?),
            Some(id) => jc_api::Credential::ClientCredentials(jc_api::ClientCredentials {
                id: jc_api::ClientId::parse(id).map_err(|e| bad_client_credentials(&e))?,
                secret: jc_api::ClientSecret::parse(session.key.text())
                    .map_err(|e| bad_client_credentials(&e))?,
            }),
        };
        if !request.session_only && !self.keychain_status().available {
            return Err(UiError::new(
                UiErrorKind::Keychain,
                "There is no keychain to keep the key in.",
                "Choose \"Use the key for this session only\".",
            ));
        }
        if let Some(problem) = request.owner_email.as_deref().and_then(|email| {
            onboard::platforms::validate::owner_email("Application Owner's email", email)
        }) {
            return Err(UiError::new(
                UiErrorKind::Input,
                problem.message,
                problem.fix,
            ));
        }
        let new = NewConnection {
            name: request.name,
            manager_attribute: request.manager_attribute,
            demo_scenario: session.demo.map(|s| s.to_string()),
            session_only: request.session_only,
            platform: request.platform,
            admin_username: request.admin_username,
            owner_email: request.owner_email,
        };
        let saved = match &credential {
            jc_api::Credential::ApiKey(key) => {
                self.book().add_tested(new, &session.report, key, now())?
            }
            jc_api::Credential::ClientCredentials(credentials) => self
                .book()
                .add_tested_client_credentials(new, &session.report, credentials, now())?,
        };
        self.remember(&saved.id, &session.report);
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
        // A key, or a service account's client ID and secret (the secret in the key's place).
        let (key, client_id) = match book.credential(&connection)? {
            jc_api::Credential::ApiKey(key) => (PastedKey::new(key.expose().to_owned()), None),
            jc_api::Credential::ClientCredentials(c) => (
                PastedKey::new(c.secret.expose().to_owned()),
                Some(c.id.to_string()),
            ),
        };
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
            key,
            client_id,
            org_id: connection
                .org
                .as_ref()
                .and_then(|o| OrgId::parse(&o.id).ok())
                .map(|o| o.to_string()),
            target,
        };
        let (report, _client) = self.check(&input, on_event).await;
        self.book().update(id, |c| {
            c.last_test = Some(onboard::connections::summarize(&report, now()))
        })?;
        self.remember(id, &report);
        Ok(report)
    }

    pub fn rename(&self, id: &str, name: &str) -> Result<SavedConnection, UiError> {
        Ok(self.book().rename(id, name)?)
    }

    /// A new API key, or for a service account a new client secret (its client ID stays).
    pub fn replace_key(&self, id: &str, key: &str) -> Result<SavedConnection, UiError> {
        let book = self.book();
        if book.get(id)?.client_id.is_some() {
            let secret =
                jc_api::ClientSecret::parse(key).map_err(|e| bad_client_credentials(&e))?;
            return Ok(book.replace_client_secret(id, &secret)?);
        }
        Ok(book.replace_key(id, &ApiKey::parse(key)?)?)
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

fn demo_not_running() -> UiError {
    UiError::new(
        UiErrorKind::Demo,
        "The demo organization is not running.",
        "Start again from \"Try with a demo organization\".",
    )
}

fn connection_words(c: &SavedConnection, clock: Clock) -> ConnectionWords {
    let expire_at = c
        .last_test
        .as_ref()
        .and_then(|t| t.credentials_expire_at.as_deref());
    let soon = expire_at
        .and_then(|raw| {
            time::OffsetDateTime::parse(raw, &time::format_description::well_known::Rfc3339).ok()
        })
        .is_some_and(|at| {
            (clock.local(at).date() - clock.now().date()).whole_days()
                <= onboard::checks::EXPIRY_WARNING_DAYS
        });
    ConnectionWords {
        id: c.id.clone(),
        kind_label: if c.client_id.is_some() {
            "Service account"
        } else {
            "Administrator API key"
        }
        .to_owned(),
        rotatable: c.client_id.is_some(),
        expiry: expire_at.and_then(|raw| onboard::display::expiry(raw, clock)),
        expiry_soon: soon,
    }
}

fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}
