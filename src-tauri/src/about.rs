//! The About screen's facts, all computed here: version, build, license, and the folders the app
//! really uses on this computer.

use serde::Serialize;

use crate::state::AppState;

/// The commit the app was built from (`git rev-parse --short HEAD`), or "unknown" outside git.
pub const BUILD_COMMIT: &str = env!("JC_ONBOARD_BUILD_COMMIT");

#[derive(Debug, Clone, Serialize, specta::Type)]
pub struct About {
    pub version: String,
    pub commit: String,
    pub license: String,
    /// Saved connections (never their keys) and the check history.
    pub data_folder: Option<String>,
    pub log_folder: Option<String>,
    /// Collections are worked on here while the app runs, and removed when it closes.
    pub collections_folder: String,
    pub keys_kept_in: String,
    pub help: String,
    pub help_address: String,
}

fn shown(path: Option<&std::path::Path>) -> Option<String> {
    path.map(|p| p.display().to_string())
}

/// Where API keys live, in the words of the platform.
fn keychain_name() -> &'static str {
    if cfg!(target_os = "macos") {
        "the macOS Keychain"
    } else if cfg!(target_os = "windows") {
        "the Windows Credential Manager"
    } else {
        "the system keychain (Secret Service, e.g. GNOME Keyring)"
    }
}

pub fn about(state: &AppState) -> About {
    let dirs = state.dirs();
    About {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        commit: BUILD_COMMIT.to_owned(),
        license: env!("CARGO_PKG_LICENSE").to_owned(),
        data_folder: shown(dirs.data.as_deref()),
        log_folder: shown(dirs.logs.as_deref()),
        collections_folder: state.collections_root().display().to_string(),
        keys_kept_in: keychain_name().to_owned(),
        help: "Help is in the README: “Install”, “The desktop wizard” and “Support”.".to_owned(),
        help_address: format!("{}#readme", env!("CARGO_PKG_REPOSITORY")),
    }
}
