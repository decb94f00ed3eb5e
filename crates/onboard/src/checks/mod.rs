//! The connection checks. The key, its region and the organization are found one after another,
//! each needing the one before; a failed mandatory one among them skips everything after it. The
//! checks beneath the organization then run together ([`concurrent`]). Each check reports as it
//! finishes, in whatever order that is; the report lists them in catalogue order. Nothing here
//! retries unless [`CheckOptions::retry`] says so (the checks before a collection), except that
//! the key is tried in each region. A rate limit, an outage or a cut-off answer on a category
//! probe is a warning that says when to try again, not a verdict on the key: the collection
//! reports that category itself.

mod access;
mod concurrent;
mod input;
mod network;
mod org;
mod region;
mod role;
mod sample;
mod service_account;
pub use service_account::EXPIRY_WARNING_DAYS;

use jc_api::{Client, ClientBuilder, Credential, Error, OrgId, Region};

pub use access::Probe;
pub use concurrent::CHECKS_AT_ONCE;

use crate::connection::{CheckOptions, ConnectionInput};
use crate::permissions::{self, RoleScopes};
use crate::report::{CheckEvent, CheckResult, CheckState, Evidence, OrgRef, Report, ShapeFeedback};

/// A check's identity, as listed in the report whether or not it ran.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CheckSpec {
    pub id: String,
    pub title: String,
    pub mandatory: bool,
    /// How the check reads before it runs ([`crate::report::WAITING_LABEL`]).
    pub state_label: String,
}

impl CheckSpec {
    fn new(id: &str, title: &str, mandatory: bool) -> CheckSpec {
        CheckSpec {
            id: id.to_owned(),
            title: title.to_owned(),
            mandatory,
            state_label: crate::report::WAITING_LABEL.to_owned(),
        }
    }
}

/// Every check, in the order it is shown and reported.
pub fn catalogue() -> Vec<CheckSpec> {
    let mut specs = vec![
        CheckSpec::new("key.shape", "Credentials look right", true),
        CheckSpec::new("org.shape", "Organization ID looks right", true),
        CheckSpec::new("network.reach", "JumpCloud can be reached", true),
        CheckSpec::new("key.accepted", "JumpCloud accepts the credentials", true),
        CheckSpec::new("org.selected", "Organization is selected", true),
        CheckSpec::new(
            "credentials.expiry",
            "Credentials are not about to expire",
            false,
        ),
        CheckSpec::new("role.least_privilege", "Access is read-only", true),
    ];
    specs.extend(
        Probe::ALL
            .iter()
            .map(|p| CheckSpec::new(&p.check_id(), &p.title(), p.mandatory())),
    );
    specs.push(CheckSpec::new("preview.sample", "Records come back", false));
    specs
}

/// key.shape's verdict on pasted text, for feedback as the user types.
pub fn key_feedback(pasted: &str) -> ShapeFeedback {
    let (outcome, key) = input::key_shape(pasted);
    ShapeFeedback {
        ok: key.is_some(),
        message: outcome.message,
    }
}

/// key.shape's verdict on a client ID and secret, for feedback as the user types.
pub fn client_credentials_feedback(client_id: &str, secret: &str) -> ShapeFeedback {
    let (outcome, credentials) = input::client_credentials_shape(client_id, secret);
    ShapeFeedback {
        ok: credentials.is_some(),
        message: outcome.message,
    }
}

/// org.shape's verdict on an organization ID, for feedback as the user types.
pub fn org_feedback(given: &str) -> ShapeFeedback {
    let (outcome, id) = input::org_shape(Some(given));
    ShapeFeedback {
        ok: id.is_some(),
        message: outcome.message,
    }
}

/// How a check ended.
#[derive(Debug, Clone)]
pub(crate) struct Outcome {
    state: CheckState,
    message: String,
    fix: Option<String>,
    detail: Vec<Evidence>,
}

impl Outcome {
    fn pass(message: impl Into<String>) -> Outcome {
        Outcome {
            state: CheckState::Pass,
            message: message.into(),
            fix: None,
            detail: Vec::new(),
        }
    }

    fn warn(message: impl Into<String>, fix: impl Into<String>) -> Outcome {
        Outcome {
            state: CheckState::Warn,
            message: message.into(),
            fix: Some(fix.into()),
            detail: Vec::new(),
        }
    }

    fn fail(message: impl Into<String>, fix: impl Into<String>) -> Outcome {
        Outcome {
            state: CheckState::Fail,
            ..Outcome::warn(message, fix)
        }
    }

    fn from_error(
        state: CheckState,
        error: &jc_api::Error,
        what: &str,
        region: Option<Region>,
        client: &Client,
        route: &str,
    ) -> Outcome {
        let explained = crate::explain(error, what, region);
        Outcome {
            state,
            message: explained.message,
            fix: Some(explained.fix),
            detail: vec![Evidence::failed(error, &client.base().host(), route)],
        }
    }

    /// A probe that met a transient failure: a warning that says when to try again.
    fn not_checked_now(
        error: &Error,
        what: &str,
        region: Option<Region>,
        client: &Client,
        route: &str,
    ) -> Outcome {
        let mut outcome = Outcome::from_error(CheckState::Warn, error, what, region, client, route);
        outcome.message = format!(
            "{} So whether this key can read {what} was not checked this time; this says nothing against the key.",
            outcome.message
        );
        outcome.fix = Some(format!(
            "{} A collection retries on its own, and reports {what} separately if they still cannot be read.",
            when_to_try_again(error)
        ));
        outcome
    }

    fn with_evidence(mut self, evidence: Evidence) -> Outcome {
        self.detail.push(evidence);
        self
    }
}

/// A failure that says nothing about the key or its role: JumpCloud asked to slow down, had a
/// short outage, dropped the connection, answered too slowly, or an answer was cut off.
pub(crate) fn is_transient(error: &Error) -> bool {
    jc_api::is_retryable(error) || matches!(error, Error::Timeout { .. })
}

fn when_to_try_again(error: &Error) -> String {
    match error {
        Error::RateLimited {
            retry_after: Some(after),
            ..
        } => match after.as_secs().max(1) {
            1 => "Try again in a second or two.".to_owned(),
            secs => format!("Try again in about {secs} seconds."),
        },
        Error::RateLimited { .. } => "Try again in a minute.".to_owned(),
        Error::Server { .. } | Error::NotJson { .. } => format!(
            "Try again in a few minutes; {} shows any ongoing JumpCloud incident.",
            crate::explain::STATUS_PAGE
        ),
        _ => "Try again in a moment.".to_owned(),
    }
}

/// Runs the checks in order, sending each event to `on_event` as it happens.
pub async fn run_checks(
    input: &ConnectionInput,
    options: &CheckOptions,
    on_event: impl FnMut(CheckEvent) + Send,
) -> Report {
    check_connection(input, options, on_event).await.report
}

/// The report, and a client bound to the region and organization the checks resolved (when
/// every mandatory check passed), for the preview and collection that follow.
pub struct Checked {
    pub report: Report,
    pub client: Option<Client>,
}

pub async fn check_connection(
    input: &ConnectionInput,
    options: &CheckOptions,
    mut on_event: impl FnMut(CheckEvent) + Send,
) -> Checked {
    let checked = |report: Report| Checked {
        report,
        client: None,
    };
    let mut run = Run::new(&mut on_event);
    let mut facts = Facts::default();

    let key = run.check("key.shape", |_| {
        input::credential_shape(input.client_id.as_deref(), input.key.text())
    });
    let org_id = run.check("org.shape", |_| input::org_shape(input.org_id.as_deref()));
    let (Some(key), Some(org_id)) = (key, org_id) else {
        return checked(run.finish(facts));
    };

    facts.auth = Some(key.kind());
    let Some(client) = build_client(key, &input.target, options, &mut run) else {
        return checked(run.finish(facts));
    };

    let reachable = run
        .check_async("network.reach", network::reach(&client, &input.target))
        .await
        .unwrap_or_default();
    if run.blocked() {
        return checked(run.finish(facts));
    }

    let accepted = run
        .check_async(
            "key.accepted",
            region::key_accepted(&client, &input.target, &reachable),
        )
        .await;
    let Some(accepted) = accepted else {
        return checked(run.finish(facts));
    };
    facts.region = accepted.region;

    let selected = run
        .check_async(
            "org.selected",
            org::select(&accepted.client, accepted.region, org_id.as_ref()),
        )
        .await;
    if let Some(selection) = &selected {
        facts.orgs_available = selection.available.clone();
        facts.org = selection.chosen.clone();
    }
    let Some(org) = selected.and_then(|s| s.chosen) else {
        return checked(run.finish(facts));
    };
    let client = accepted.client.with_org(OrgId::parse(&org.id).ok());

    let (role, expires_at) = concurrent::beneath_the_org(&mut run, &client, accepted.region).await;
    facts.credentials_expire_at = expires_at;
    facts.role = role.as_ref().and_then(|r| r.name.clone());
    facts.role_scopes = role;
    let report = run.finish(facts);
    let client = report.ok.then_some(client);
    Checked { report, client }
}

fn build_client(
    credential: Credential,
    target: &crate::connection::Target,
    options: &CheckOptions,
    run: &mut Run<'_>,
) -> Option<Client> {
    let base = jc_api::Hosts::jumpcloud().get(Region::Us).clone();
    let builder = ClientBuilder::new(credential, base)
        .hosts(target.hosts())
        .retry(options.retry.clone())
        .timeout(options.timeout)
        .user_agent(&options.product, &options.version)
        .request_log(options.request_log.clone());
    let built = match &options.extra_ca_pem {
        Some(pem) => builder
            .add_root_certificate_pem(pem)
            .and_then(ClientBuilder::build),
        None => builder.build(),
    };
    match built {
        Ok(client) => Some(client),
        Err(error) => {
            let explained = crate::explain(&error, "JumpCloud", None);
            run.check("network.reach", |_| {
                (Outcome::fail(explained.message, explained.fix), None::<()>)
            });
            None
        }
    }
}

/// What the checks learned along the way, for the report.
#[derive(Debug, Default)]
struct Facts {
    region: Option<Region>,
    org: Option<OrgRef>,
    orgs_available: Vec<OrgRef>,
    role: Option<String>,
    /// What the role check learned of the role's permissions.
    role_scopes: Option<RoleScopes>,
    auth: Option<jc_api::AuthKind>,
    credentials_expire_at: Option<String>,
}

/// The running state: results so far, and whether a mandatory check has failed.
struct Run<'e> {
    emit: &'e mut (dyn FnMut(CheckEvent) + Send),
    specs: Vec<CheckSpec>,
    results: Vec<CheckResult>,
    blocker: Option<String>,
}

impl<'e> Run<'e> {
    fn new(emit: &'e mut (dyn FnMut(CheckEvent) + Send)) -> Run<'e> {
        Run {
            emit,
            specs: catalogue(),
            results: Vec::new(),
            blocker: None,
        }
    }

    fn spec(&self, id: &str) -> CheckSpec {
        self.specs
            .iter()
            .find(|s| s.id == id)
            .cloned()
            .unwrap_or_else(|| CheckSpec::new(id, id, false))
    }

    fn blocked(&self) -> bool {
        self.blocker.is_some()
    }

    /// Runs a local check. Returns the value it produced when it did not fail.
    fn check<T>(
        &mut self,
        id: &str,
        body: impl FnOnce(&CheckSpec) -> (Outcome, Option<T>),
    ) -> Option<T> {
        if self.results.iter().any(|r| r.id == id) || self.blocked() {
            return None;
        }
        let spec = self.start(id);
        let (outcome, value) = body(&spec);
        self.record(&spec, outcome);
        value
    }

    /// Runs a check that talks to JumpCloud. Its value comes back even when it failed (a
    /// multi-tenant key's org list is what the user picks from), unless the check was skipped.
    async fn check_async<T>(
        &mut self,
        id: &str,
        body: impl std::future::Future<Output = (Outcome, Option<T>)>,
    ) -> Option<T> {
        if self.blocked() {
            return None;
        }
        let spec = self.start(id);
        let (outcome, value) = body.await;
        self.record(&spec, outcome);
        value
    }

    /// Announces a check as running.
    fn start(&mut self, id: &str) -> CheckSpec {
        let spec = self.spec(id);
        (self.emit)(CheckEvent::Started {
            id: spec.id.clone(),
            title: spec.title.clone(),
            state_label: CheckState::Running.label().to_owned(),
        });
        spec
    }

    /// Reports a check as not run, and why.
    fn skip(&mut self, id: &str, why: String) {
        let spec = self.spec(id);
        let skipped = CheckResult {
            id: spec.id,
            title: spec.title,
            mandatory: spec.mandatory,
            state: CheckState::Skipped,
            state_label: CheckState::Skipped.label().to_owned(),
            message: why,
            fix: None,
            detail: Vec::new(),
        };
        (self.emit)(CheckEvent::Finished(skipped.clone()));
        self.results.push(skipped);
    }

    fn record(&mut self, spec: &CheckSpec, outcome: Outcome) {
        let result = CheckResult {
            id: spec.id.clone(),
            title: spec.title.clone(),
            mandatory: spec.mandatory,
            state: outcome.state,
            state_label: outcome.state.label().to_owned(),
            message: outcome.message,
            fix: outcome.fix,
            detail: outcome.detail,
        };
        // Both input checks always run, so the user sees every input problem at once.
        let input_check = spec.id == "key.shape" || spec.id == "org.shape";
        if result.blocks_the_rest() && self.blocker.is_none() && !input_check {
            self.blocker = Some(spec.title.clone());
        }
        (self.emit)(CheckEvent::Finished(result.clone()));
        self.results.push(result);
    }

    /// Lists every check that did not run as skipped, and builds the report in catalogue order.
    fn finish(mut self, facts: Facts) -> Report {
        let first_failure = self
            .results
            .iter()
            .find(|r| r.blocks_the_rest())
            .map(|r| r.title.clone())
            .unwrap_or_default();
        for spec in self.specs.clone() {
            if !self.results.iter().any(|r| r.id == spec.id) {
                self.skip(&spec.id, skipped_because(&first_failure, CheckState::Fail));
            }
        }
        let specs = &self.specs;
        self.results
            .sort_by_key(|r| specs.iter().position(|s| s.id == r.id));
        let role = facts
            .role_scopes
            .unwrap_or_else(|| permissions::unread(None, "The role was not checked."));
        Report {
            ok: !self.results.iter().any(CheckResult::blocks_the_rest),
            region: facts.region,
            org: facts.org,
            orgs_available: facts.orgs_available,
            role: facts.role,
            permissions: Some(permissions::view(&self.results, role, facts.region)),
            auth: facts.auth,
            credentials_expire_at: facts.credentials_expire_at,
            checks: self.results,
        }
    }
}

/// Why a check was not run: the check it needed did not pass.
fn skipped_because(needed: &str, state: CheckState) -> String {
    match state {
        CheckState::Warn => {
            format!("Not checked, because \"{needed}\" ended with a warning.")
        }
        CheckState::Skipped => format!("Not checked, because \"{needed}\" was not checked."),
        _ => format!("Not checked, because \"{needed}\" failed."),
    }
}
