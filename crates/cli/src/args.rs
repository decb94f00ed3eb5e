//! The command line, a stable contract other tools drive.

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};
use std::io::{IsTerminal, Read};
use std::path::PathBuf;
use std::time::Duration;

use jc_api::{BaseUrl, Hosts, Region};
use onboard::{CheckOptions, ConnectionInput, PastedKey, RegionChoice, Target};
use zeroize::Zeroizing;

#[derive(Debug, Parser)]
#[command(
    name = "jc-onboard",
    version,
    about = "Check a JumpCloud connection, or serve a simulated JumpCloud organization",
    after_help = "Credentials are never accepted as arguments. An API key (an administrator's jca_ key or a service account's jcs_ key) is read from the JC_API_KEY environment variable, or from standard input with --key-stdin. A service account's client ID is read from JC_CLIENT_ID and its secret from JC_CLIENT_SECRET, or from standard input with --client-secret-stdin. Give one kind, not both."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the connection checks against JumpCloud (or any host root)
    Check(CheckArgs),
    /// Serve a simulated JumpCloud organization on loopback until stopped
    Sim(SimArgs),
    /// Run the checks against a built-in demo organization: no account needed
    Demo(DemoArgs),
    /// Run the checks and probe this computer's network and clock, then name the causes
    Doctor(DoctorArgs),
    /// Read support bundles
    Bundle {
        #[command(subcommand)]
        action: BundleAction,
    },
    /// Collect the organization's data into snapshot.json and one CSV per category
    Collect(CollectArgs),
    /// List every call made to JumpCloud, the permission it needs and why, and the custom role recipe
    Scopes(ScopesArgs),
    /// Run the checks, then list what to paste into a platform's JumpCloud integration, in its order
    Handover(HandoverArgs),
}

#[derive(Debug, Args)]
pub struct ScopesArgs {
    /// Data center whose console the recipe links to (auto: the US console)
    #[arg(long, value_parser = region_choice(), default_value_t = RegionChoice::Auto)]
    pub region: RegionChoice,
    /// Print one JSON object instead of text
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct DoctorArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Also write a support bundle (one JSON file) to FILE
    #[arg(long, value_name = "FILE")]
    pub bundle: Option<std::path::PathBuf>,
    /// Keep people's emails and names in the bundle instead of hashing them
    #[arg(long, requires = "bundle")]
    pub include_personal_data: bool,
    /// Print one JSON object instead of lines
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum BundleAction {
    /// Print a support bundle (schema 1 or 2) readably
    Inspect {
        #[arg(value_name = "FILE")]
        file: std::path::PathBuf,
    },
}

/// `--region`: one of onboard's region choices, listed in `--help`.
fn region_choice() -> impl TypedValueParser<Value = RegionChoice> {
    PossibleValuesParser::new(RegionChoice::ALL.map(RegionChoice::as_str))
        .try_map(|text| text.parse::<RegionChoice>())
}

#[derive(Debug, Args)]
pub struct ConnectionArgs {
    /// Data center of the organization; auto tries US, then EU, then India
    #[arg(long, value_parser = region_choice(), default_value_t = RegionChoice::Auto)]
    pub region: RegionChoice,
    /// Organization ID (24 hex characters); needed only for multi-tenant keys
    #[arg(long, value_name = "ID")]
    pub org_id: Option<String>,
    /// One host root for everything, e.g. http://127.0.0.1:41234 (no region detection)
    #[arg(long, value_name = "URL", conflicts_with = "region_url")]
    pub base_url: Option<String>,
    /// Replace one region's host root, e.g. eu=http://127.0.0.1:41235 (repeatable)
    #[arg(long, value_name = "REGION=URL")]
    pub region_url: Vec<String>,
    /// Read the API key from standard input instead of JC_API_KEY
    #[arg(long, conflicts_with = "client_secret_stdin")]
    pub key_stdin: bool,
    /// Read the service account's client secret from standard input instead of
    /// JC_CLIENT_SECRET (the client ID comes from JC_CLIENT_ID)
    #[arg(long)]
    pub client_secret_stdin: bool,
    /// Seconds to wait for each request
    #[arg(long, value_name = "SECONDS", default_value_t = 20)]
    pub timeout: u64,
    /// One more CA certificate (PEM file) to trust, e.g. a company's TLS-inspection proxy
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<std::path::PathBuf>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Print one JSON object instead of lines
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CollectArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// Directory for snapshot.json and the CSV files: new, empty, or an earlier export of
    /// jc-onboard (created if missing)
    #[arg(long, value_name = "DIR", default_value = "jc-snapshot")]
    pub out: PathBuf,
    /// Comma-separated categories to collect (default: all), e.g. users,user_groups,devices
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    pub categories: Vec<String>,
    /// Custom attribute that holds each user's manager (id, email or username) instead of the
    /// manager field
    #[arg(long, value_name = "NAME")]
    pub manager_attribute: Option<String>,
    /// Print one JSON object instead of lines
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct HandoverArgs {
    #[command(flatten)]
    pub connection: ConnectionArgs,
    /// The platform: axiom-security, authomize, controlmap, apono, scytale or other; `list`
    /// lists them with their fields
    #[arg(long, value_name = "NAME")]
    pub platform: String,
    /// The connection's name in the platform (default: one that follows its convention)
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// The email of the person who owns the integration (Authomize asks for it)
    #[arg(long, value_name = "EMAIL")]
    pub owner_email: Option<String>,
    /// The custom attribute holding each user's manager (Apono asks; empty means JumpCloud's
    /// manager field)
    #[arg(long, value_name = "ATTRIBUTE")]
    pub manager_field: Option<String>,
    /// The sign-in email of the read-only administrator whose key it is (Authomize asks; found
    /// when only one administrator has the key's role)
    #[arg(long, value_name = "EMAIL")]
    pub admin_username: Option<String>,
    /// Print only a note for a ticket: every value but the key
    #[arg(long, conflicts_with = "json")]
    pub ticket: bool,
    /// Print one JSON object instead of lines
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct SimArgs {
    /// Scenario to play (see `jc-onboard sim --list`)
    #[arg(long, default_value = "healthy")]
    pub scenario: String,
    /// List the scenarios and exit
    #[arg(long)]
    pub list: bool,
    /// Port of the home region (0 = any free port)
    #[arg(long, default_value_t = 0)]
    pub port: u16,
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    #[arg(long)]
    pub users: Option<usize>,
    #[arg(long)]
    pub groups: Option<usize>,
    #[arg(long)]
    pub apps: Option<usize>,
    #[arg(long)]
    pub devices: Option<usize>,
    #[arg(long)]
    pub policies: Option<usize>,
    /// Delay added to every response, in milliseconds
    #[arg(long, value_name = "MS", default_value_t = 0)]
    pub latency_ms: u64,
    /// Requests per second before the simulator answers 429
    #[arg(long, value_name = "PER_SECOND")]
    pub rate_limit: Option<u32>,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Scenario to rehearse (healthy, eu-region, multi-tenant, command-runner, ...)
    #[arg(long, default_value = "healthy")]
    pub scenario: String,
    /// Organization ID to pick, for the multi-tenant scenario
    #[arg(long, value_name = "ID")]
    pub org_id: Option<String>,
    #[arg(long)]
    pub json: bool,
}

/// A usage problem: exit code 2, with a sentence saying what to change.
#[derive(Debug, thiserror::Error)]
pub enum UsageError {
    #[error("{0}")]
    BadValue(String),
    #[error("no credentials: set JC_API_KEY (or pipe the key in with --key-stdin), or set JC_CLIENT_ID and JC_CLIENT_SECRET (or pipe the secret in with --client-secret-stdin)")]
    NoKey,
    #[error("both an API key and a service account's client credentials were given; give one kind only (unset JC_API_KEY, or JC_CLIENT_ID and JC_CLIENT_SECRET); nothing was sent")]
    BothKinds,
    #[error(
        "a client secret was given without its client ID: set JC_CLIENT_ID too; nothing was sent"
    )]
    NoClientId,
    #[error("JC_CLIENT_ID is set but no client secret was given: set JC_CLIENT_SECRET, or pipe it in with --client-secret-stdin; nothing was sent")]
    NoClientSecret,
    #[error("could not read the key from standard input: {0}")]
    Stdin(std::io::Error),
    #[error("standard input holds more than {max} bytes, far more than a key (40 characters); nothing was sent")]
    KeyTooLong { max: usize },
    #[error("no key arrived on standard input in time; pipe the key in and close the pipe, or set JC_API_KEY")]
    KeyTimeout,
}

/// The largest `--ca-cert` file read (a CA bundle is a few hundred kilobytes at most).
const MAX_CA_CERT_BYTES: u64 = 1024 * 1024;

/// A small local file, refused when it is not a regular file or is larger than `max`.
fn read_small_file(path: &std::path::Path, max: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    if !meta.is_file() {
        return Err("not a regular file".to_owned());
    }
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|file| file.take(max + 1).read_to_end(&mut bytes))
        .map_err(|e| e.to_string())?;
    if bytes.len() as u64 > max {
        return Err(format!("larger than {} KB", max / 1024));
    }
    Ok(bytes)
}

impl ConnectionArgs {
    /// What to connect with, and how: the one place `check`, `collect` and `doctor` get it.
    pub fn input(&self) -> Result<(ConnectionInput, CheckOptions), UsageError> {
        let (key, client_id) = self.credentials()?;
        let input = ConnectionInput {
            target: self.target()?,
            key,
            client_id,
            org_id: self.org_id.clone(),
        };
        let extra_ca_pem =
            match &self.ca_cert {
                Some(path) => Some(read_small_file(path, MAX_CA_CERT_BYTES).map_err(|e| {
                    UsageError::BadValue(format!("--ca-cert {}: {e}", path.display()))
                })?),
                None => None,
            };
        let options = CheckOptions {
            timeout: std::time::Duration::from_secs(self.timeout.max(1)),
            extra_ca_pem,
            ..CheckOptions::default()
        };
        Ok((input, options))
    }

    /// The API key, or the client ID and the client secret (in the key's place). Giving both
    /// kinds, or half of a pair, is a usage error: nothing is guessed and nothing is sent.
    pub fn credentials(&self) -> Result<(PastedKey, Option<String>), UsageError> {
        let set = |name: &str| std::env::var_os(name).is_some();
        let key_given = self.key_stdin || set("JC_API_KEY");
        let client_id = match std::env::var("JC_CLIENT_ID") {
            Ok(id) => Some(id),
            Err(std::env::VarError::NotPresent) => None,
            Err(std::env::VarError::NotUnicode(_)) => Some("\u{fffd}".to_owned()),
        };
        let secret_given = self.client_secret_stdin || set("JC_CLIENT_SECRET");
        if key_given && (client_id.is_some() || secret_given) {
            return Err(UsageError::BothKinds);
        }
        match (client_id, secret_given) {
            (None, false) => Ok((read_key(self.key_stdin, "JC_API_KEY")?, None)),
            (None, true) => Err(UsageError::NoClientId),
            (Some(_), false) => Err(UsageError::NoClientSecret),
            (Some(id), true) => Ok((
                read_key(self.client_secret_stdin, "JC_CLIENT_SECRET")?,
                Some(id),
            )),
        }
    }

    /// Where the secret was read from, for a hand-over that names it.
    pub fn secret_source(&self) -> (&'static str, bool) {
        if std::env::var_os("JC_CLIENT_ID").is_some() {
            ("JC_CLIENT_SECRET", self.client_secret_stdin)
        } else {
            ("JC_API_KEY", self.key_stdin)
        }
    }

    pub fn target(&self) -> Result<Target, UsageError> {
        if let Some(base) = &self.base_url {
            return BaseUrl::parse(base)
                .map(Target::Fixed)
                .map_err(|e| UsageError::BadValue(format!("--base-url: {e}")));
        }
        let mut hosts = Hosts::jumpcloud();
        for pair in &self.region_url {
            let (region, url) = pair.split_once('=').ok_or_else(|| {
                UsageError::BadValue(format!(
                    "--region-url {pair:?}: expected REGION=URL, e.g. eu=http://127.0.0.1:41235"
                ))
            })?;
            let region: Region = region
                .parse()
                .map_err(|e| UsageError::BadValue(format!("--region-url: {e}")))?;
            let url = BaseUrl::parse(url)
                .map_err(|e| UsageError::BadValue(format!("--region-url: {e}")))?;
            hosts.set(region, url);
        }
        Ok(self.region.target(hosts))
    }
}

/// The most bytes read from standard input as a key (keys are 40 characters).
const MAX_KEY_INPUT_BYTES: usize = 4096;
/// How long a key piped in may take to arrive; a terminal waits for the person typing.
const KEY_INPUT_TIMEOUT: Duration = Duration::from_secs(10);

/// A secret comes from the environment or stdin, never argv (argv is visible to every process).
fn read_key(from_stdin: bool, variable: &str) -> Result<PastedKey, UsageError> {
    if from_stdin {
        return read_key_from_stdin();
    }
    match std::env::var(variable) {
        Ok(text) => Ok(PastedKey::new(text)),
        Err(std::env::VarError::NotPresent) => Err(UsageError::NoKey),
        Err(std::env::VarError::NotUnicode(_)) => Ok(PastedKey::new("\u{fffd}".to_owned())),
    }
}

/// At most [`MAX_KEY_INPUT_BYTES`] (one more tells "too long"), within [`KEY_INPUT_TIMEOUT`]
/// unless a person is typing. The bytes land in one buffer, allocated once, that is zeroed
/// when the key is dropped.
fn read_key_from_stdin() -> Result<PastedKey, UsageError> {
    let interactive = std::io::stdin().is_terminal();
    let (sent, received) = std::sync::mpsc::channel();
    // A thread, so a silent pipe cannot hold the command; it ends with the process.
    std::thread::spawn(move || {
        let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_KEY_INPUT_BYTES + 1));
        let read = std::io::stdin()
            .lock()
            .take(MAX_KEY_INPUT_BYTES as u64 + 1)
            .read_to_end(&mut bytes);
        let _ = sent.send(read.map(|_| bytes));
    });
    let outcome = if interactive {
        received.recv().map_err(|_| UsageError::KeyTimeout)
    } else {
        received
            .recv_timeout(KEY_INPUT_TIMEOUT)
            .map_err(|_| UsageError::KeyTimeout)
    };
    let mut bytes = outcome?.map_err(UsageError::Stdin)?;
    if bytes.len() > MAX_KEY_INPUT_BYTES {
        return Err(UsageError::KeyTooLong {
            max: MAX_KEY_INPUT_BYTES,
        });
    }
    match String::from_utf8(std::mem::take(&mut *bytes)) {
        Ok(text) => Ok(PastedKey::new(text)),
        Err(not_text) => {
            let _ = Zeroizing::new(not_text.into_bytes());
            Ok(PastedKey::new("\u{fffd}".to_owned()))
        }
    }
}
