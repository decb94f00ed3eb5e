//! The export re-reads to the same counts, and no secret reaches it or is ever asked for.

use jc_sim::{Scenario, SimConfig};
use onboard::collect::{Category, SNAPSHOT_FILE};

use crate::{collect_from, collect_with, csv_path, csv_rows, files_under, read_snapshot};

#[tokio::test]
async fn the_export_round_trips_to_the_same_counts_and_rows() {
    let run = collect_from(SimConfig::scenario(Scenario::Healthy)).await;
    let snapshot = read_snapshot(run.out());
    assert_eq!(snapshot["org"]["id"], run.sim.org_id(), "the org is named");
    assert!(snapshot["collected_at"]
        .as_str()
        .is_some_and(|t| t.ends_with('Z')));
    assert!(snapshot["app_version"].is_string());
    for report in &run.summary.categories {
        let name = report.category.as_str();
        let entry = &snapshot["categories"][name];
        assert_eq!(
            entry["status"],
            report.status.as_str(),
            "{name}: status re-reads"
        );
        assert_eq!(
            entry["collected"], report.collected,
            "{name}: count re-reads"
        );
        assert_eq!(
            entry["total"].as_u64(),
            report.total,
            "{name}: total re-reads"
        );
        let records = snapshot["records"][name].as_array().expect("records array");
        assert_eq!(
            records.len() as u64,
            report.collected,
            "{name}: one record each"
        );
        let rows = csv_rows(&csv_path(run.out(), report.category));
        assert_eq!(
            rows.len() as u64,
            report.collected + 1,
            "{name}: header + one row each"
        );
        let header = rows.first().expect("a header row");
        let id_col = header.iter().position(|h| h == "id" || h == "policy_id");
        let id_col = id_col.expect("every CSV has an id column");
        for (row, record) in rows.iter().skip(1).zip(records) {
            assert_eq!(
                row.len(),
                header.len(),
                "{name}: every row has every column"
            );
            let key = header.get(id_col).map(String::as_str).unwrap_or("id");
            assert_eq!(
                row.get(id_col).map(String::as_str),
                record[key].as_str(),
                "{name}: CSV rows are the snapshot's records, in order"
            );
        }
    }
    assert!(
        !run.out().join(".collecting").exists(),
        "working files are removed once the export is written"
    );
}

#[tokio::test]
async fn no_secret_is_requested_or_exported() {
    let run = collect_with(SimConfig::scenario(Scenario::AdminWithBilling), |o| {
        o.keep_records = true;
    })
    .await;
    let canaries = [
        jc_sim::CANARY_IDP_CERTIFICATE,
        jc_sim::CANARY_IDP_PRIVATE_KEY,
        jc_sim::CANARY_SHARED_SECRET,
        jc_sim::CANARY_FDE_KEY,
    ];
    let mut files = 0;
    for path in files_under(run.out()) {
        // Logos are binary; read everything as bytes so nothing is skipped.
        let bytes = std::fs::read(&path).expect("every written file reads back");
        let text = String::from_utf8_lossy(&bytes);
        files += 1;
        for canary in canaries {
            assert!(
                !text.contains(canary),
                "{} must not contain the planted secret {canary}",
                path.display()
            );
        }
        for word in [
            "sharedSecret",
            "idpPrivateKey",
            "idpCertificate",
            "\"config\"",
        ] {
            assert!(
                !text.contains(word),
                "{} must not mention {word}",
                path.display()
            );
        }
    }
    assert!(
        files >= Category::ALL.len() + 2,
        "snapshot, warnings, one CSV per category, the kept records and the logos"
    );
    assert!(run.out().join(SNAPSHOT_FILE).exists());
    let requests = run.sim.requests();
    for request in &requests {
        for route in ["/fdekey", "/totpinfo", "/sshkeys"] {
            assert!(
                !request.path.contains(route),
                "{} must never be requested",
                request.path
            );
        }
    }
    for list in [
        "/api/applications",
        "/api/radiusservers",
        "/api/systemusers",
    ] {
        let asked: Vec<_> = requests.iter().filter(|r| r.path == list).collect();
        assert!(!asked.is_empty(), "{list} was listed");
        assert!(
            asked
                .iter()
                .all(|r| r.query.as_deref().is_some_and(|q| q.contains("fields="))),
            "{list} is always asked for named fields only"
        );
    }
}
