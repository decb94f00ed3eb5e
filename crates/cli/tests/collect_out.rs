//! `jc-onboard collect --out DIR` never costs the user a file: a folder that is not an earlier
//! export is refused untouched, an earlier export is refreshed around the user's own files,
//! exports are owner-only, one collection writes to a folder at a time, and neither a full disk
//! nor a kill leaves the work folder (people's data) behind.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use jc_sim::{RunningSim, Scenario, SimConfig, Sizes};

mod common;
use common::{canary_sim_with as sim_with, BIN, CANARY};

const WORK_DIR: &str = ".collecting";

async fn healthy() -> RunningSim {
    sim_with(SimConfig::scenario(Scenario::Healthy)).await
}

/// `jc-onboard collect --out <out>` against `sim`, with `extra` arguments.
fn collect_command(sim: &RunningSim, out: &Path, extra: &[&str]) -> Command {
    let mut command = Command::new(BIN);
    command
        .arg("collect")
        .arg("--out")
        .arg(out)
        .args(extra)
        .env("JC_API_KEY", CANARY)
        .env_remove("HTTPS_PROXY")
        .env_remove("https_proxy")
        .env_remove("HTTP_PROXY")
        .env_remove("http_proxy")
        .env_remove("ALL_PROXY")
        .env_remove("all_proxy");
    for region in jc_sim::Region::ALL {
        command
            .arg("--region-url")
            .arg(format!("{region}={}", sim.region_url(region)));
    }
    command
}

fn collect(sim: &RunningSim, out: &Path, extra: &[&str]) -> Output {
    collect_command(sim, out, extra)
        .output()
        .expect("jc-onboard runs")
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Every file under `dir` (relative path → bytes).
fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("a readable folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let bytes = std::fs::read(&path).expect("a readable file");
                let relative = path.strip_prefix(dir).expect("below dir").to_owned();
                files.insert(relative, bytes);
            }
        }
    }
    files
}

fn write(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("folder");
    std::fs::write(path, bytes).expect("written");
}

/// Waits (at most a minute) until `path` exists.
fn wait_for(path: &Path, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !path.exists() {
        if let Ok(Some(status)) = child.try_wait() {
            panic!("the first collection ended ({status}) before it started writing");
        }
        assert!(
            Instant::now() < deadline,
            "{} never appeared",
            path.display()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_folder_with_the_users_own_files_is_refused_and_left_byte_identical() {
    let sim = healthy().await;
    let out = tempfile::tempdir().expect("a folder");
    write(&out.path().join("notes.txt"), b"my notes");
    write(&out.path().join("logos/mine.png"), b"\x89PNG my logo");
    write(&out.path().join("records/x"), b"my records");
    write(&out.path().join("users.csv"), b"my,own,csv\r\n");
    let before = tree(out.path());

    let output = collect(&sim, out.path(), &[]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "a folder that is not an earlier export is a usage error: {}",
        stderr(&output)
    );
    assert!(
        stderr(&output).contains("is not empty and is not an earlier export of jc-onboard"),
        "the refusal says why in plain words: {}",
        stderr(&output)
    );
    assert_eq!(
        tree(out.path()),
        before,
        "every file is byte-identical and nothing was added"
    );
    sim.shutdown().await;
}

#[cfg(unix)]
fn assert_owner_only(dir: &Path) {
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(dir), 0o700, "the export folder is owner-only");
    let mut pending = vec![dir.to_owned()];
    while let Some(folder) = pending.pop() {
        for entry in std::fs::read_dir(&folder).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                assert_eq!(mode(&path), 0o700, "{} is owner-only", path.display());
                pending.push(path);
            } else {
                assert_eq!(mode(&path), 0o600, "{} is owner-only", path.display());
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_earlier_export_is_refreshed_around_the_users_own_files() {
    let sim = healthy().await;
    let parent = tempfile::tempdir().expect("a folder");
    let out = parent.path().join("jc-snapshot");
    let first = collect(&sim, &out, &[]);
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    assert!(out.join("devices.csv").is_file());
    let first_logos: Vec<PathBuf> = tree(&out.join("logos")).into_keys().collect();
    assert!(!first_logos.is_empty(), "the healthy org's apps have logos");
    #[cfg(unix)]
    assert_owner_only(&out);

    write(&out.join("notes.txt"), b"my notes");
    write(&out.join("logos/mine.png"), b"\x89PNG my logo");
    write(&out.join("records/x"), b"my records");
    let second = collect(&sim, &out, &["--categories", "users"]);
    assert_eq!(
        second.status.code(),
        Some(0),
        "an earlier export may be collected into again: {}",
        stderr(&second)
    );
    let after = tree(&out);
    assert_eq!(after[Path::new("notes.txt")], b"my notes");
    assert_eq!(after[Path::new("logos/mine.png")], b"\x89PNG my logo");
    assert_eq!(after[Path::new("records/x")], b"my records");
    assert!(
        out.join("users.csv").is_file(),
        "the export's own files are replaced"
    );
    assert!(
        !out.join("devices.csv").exists(),
        "a file the earlier export wrote and this one did not is removed"
    );
    for logo in first_logos {
        assert!(
            !out.join("logos").join(&logo).exists(),
            "the earlier collection's logo {} was ours, so it goes",
            logo.display()
        );
    }
    assert!(!out.join(WORK_DIR).exists(), "no work folder is left");
    #[cfg(unix)]
    {
        // The user's own files keep their modes; everything the export wrote is owner-only.
        use std::os::unix::fs::PermissionsExt;
        for name in ["snapshot.json", "users.csv", ".jc-onboard-export"] {
            let mode = std::fs::metadata(out.join(name))
                .expect("written")
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600, "{name} is owner-only");
        }
    }
    sim.shutdown().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_collection_at_a_time_and_a_killed_ones_work_folder_is_swept() {
    // A slow org keeps the first collection writing while the second one tries.
    let slow = sim_with(SimConfig {
        latency: Duration::from_millis(400),
        ..SimConfig::scenario(Scenario::Healthy)
    })
    .await;
    let fast = healthy().await;
    let out = tempfile::tempdir().expect("a folder");
    let mut first = collect_command(&slow, out.path(), &[])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("the first collection starts");
    wait_for(&out.path().join(WORK_DIR), &mut first);

    let second = collect(&fast, out.path(), &[]);
    let still_running = first.try_wait().expect("status").is_none();
    first.kill().expect("the first collection is killed");
    first.wait().expect("reaped");
    assert!(
        still_running,
        "the first collection was still writing when the second tried"
    );
    assert_eq!(second.status.code(), Some(2), "{}", stderr(&second));
    let expected = format!(
        "another collection is writing to {}; wait for it or choose another folder",
        out.path().display()
    );
    assert!(
        stderr(&second).contains(&expected),
        "the lock is explained plainly: {}",
        stderr(&second)
    );
    assert!(
        out.path().join(WORK_DIR).is_dir(),
        "a killed collection cannot clean up after itself"
    );

    let third = collect(&fast, out.path(), &[]);
    assert_eq!(third.status.code(), Some(0), "{}", stderr(&third));
    assert!(
        !out.path().join(WORK_DIR).exists(),
        "the dead collection's work folder was swept"
    );
    assert!(out.path().join("snapshot.json").is_file());
    slow.shutdown().await;
    fast.shutdown().await;
}

/// A disk that fills up half-way: `ulimit -f` makes every write past a few kilobytes fail, as
/// a full disk does (the signal that would otherwise end the process is ignored).
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_disk_half_way_leaves_no_work_folder_and_the_earlier_export_whole() {
    let sim = sim_with(SimConfig {
        sizes: Sizes {
            users: 1500,
            ..Sizes::default()
        },
        ..SimConfig::scenario(Scenario::Healthy)
    })
    .await;
    let out = tempfile::tempdir().expect("a folder");
    let earlier = collect(&sim, out.path(), &["--categories", "users"]);
    assert_eq!(earlier.status.code(), Some(0), "{}", stderr(&earlier));
    let before = tree(out.path());
    assert!(
        before[Path::new("users.csv")].len() > 64 * 1024,
        "the users file is larger than the limit below"
    );

    let mut command = Command::new("/bin/sh");
    command
        .arg("-c")
        .arg("ulimit -f 64 && trap '' XFSZ && exec \"$@\"")
        .arg("sh");
    let inner = collect_command(&sim, out.path(), &["--categories", "users"]);
    command.arg(inner.get_program()).args(inner.get_args());
    for (name, value) in inner.get_envs() {
        match value {
            Some(value) => command.env(name, value),
            None => command.env_remove(name),
        };
    }
    let full = command.output().expect("jc-onboard runs");
    assert_eq!(
        full.status.code(),
        Some(1),
        "a write failure fails the run: {}",
        stderr(&full)
    );
    assert!(
        stderr(&full).contains("could not write the collection"),
        "{}",
        stderr(&full)
    );
    assert!(
        !out.path().join(WORK_DIR).exists(),
        "the work folder with people's data is removed on the error path"
    );
    assert_eq!(
        tree(out.path()),
        before,
        "the earlier export is untouched by the failed one"
    );
    sim.shutdown().await;
}
