//! Declares the app's commands (every `#[tauri::command]` in src/commands.rs) so each gets a
//! permission, and writes the capability granting them all to the main window: adding a
//! command is its function and its registration in lib.rs, nothing else.

#[path = "src/command_names.rs"]
mod command_names;

const CAPABILITY: &str = "capabilities/default.json";

/// The commit being built, for the About screen; "unknown" outside a git checkout (a source
/// tarball). The build script runs again when HEAD moves.
fn build_commit() -> String {
    let git = |args: &[&str]| {
        std::process::Command::new("git")
            .args(args)
            .output()
            .ok()
            .filter(|out| out.status.success())
            .and_then(|out| String::from_utf8(out.stdout).ok())
            .map(|text| text.trim().to_owned())
            .filter(|text| !text.is_empty())
    };
    let Some(commit) = git(&["rev-parse", "--short", "HEAD"]) else {
        return "unknown".to_owned();
    };
    // Only files that exist: a missing one would make cargo run this script on every build.
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])];
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &branch]));
    }
    watched.push(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.into_iter().flatten() {
        if std::path::Path::new(&path).exists() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    commit
}

fn main() {
    println!("cargo:rustc-env=JC_ONBOARD_BUILD_COMMIT={}", build_commit());
    println!("cargo:rerun-if-changed=src/commands.rs");
    println!("cargo:rerun-if-changed=src/command_names.rs");
    let source = match std::fs::read_to_string("src/commands.rs") {
        Ok(source) => source,
        Err(error) => panic!("src/commands.rs could not be read: {error}"),
    };
    let names = command_names::declared(&source);
    let capability = command_names::capability(&names);
    if std::fs::read_to_string(CAPABILITY).ok().as_deref() != Some(capability.as_str()) {
        if let Err(error) = std::fs::write(CAPABILITY, &capability) {
            panic!("{CAPABILITY} could not be written: {error}");
        }
    }
    let commands: Vec<&'static str> = names
        .into_iter()
        .map(|n| &*Box::leak(n.into_boxed_str()))
        .collect();
    let attributes = tauri_build::Attributes::new().app_manifest(
        tauri_build::AppManifest::new().commands(Box::leak(commands.into_boxed_slice())),
    );
    if let Err(error) = tauri_build::try_build(attributes) {
        panic!("tauri build step failed: {error:#}");
    }
}
