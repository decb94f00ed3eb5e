//! The full collection from the app: run it into a fresh folder, page through its rows, follow
//! relationships between records and copy the export to Downloads.

use std::collections::{BTreeMap, HashSet};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use onboard::collect::{
    collect, csv_name, CancelToken, Category, CollectOptions, CollectSummary, ManagerSource,
    Progress, SNAPSHOT_FILE,
};
use serde_json::{Map, Value};

use super::AppState;
use crate::error::{UiError, UiErrorKind};
use crate::ipc::{
    CategoryView, CollectProgress, CollectionView, DataWarning, ExportedCollection, FindingCount,
    RecordDetail, RelatedItem, RowPage, SortSpec,
};

/// The most rows one page may ask for.
pub const MAX_PAGE: u32 = 200;
/// Findings listed one by one; all of them are counted.
const LISTED_WARNINGS: usize = 200;
/// Related items listed per kind.
const RELATED_PER_KIND: usize = 100;
/// The folder inside a collection's directory holding one JSON Lines file per category.
const ROWS_DIR: &str = "rows";

/// The running collection's cancel token and the folder of the last one.
#[derive(Default)]
pub struct CollectionSlot {
    cancel: Option<CancelToken>,
    dir: Option<PathBuf>,
    /// Counts the collections started; only the latest one's result is kept.
    run: u64,
    /// The last searched and sorted rows, so scrolling through them reads the file once.
    rows: Option<(RowsKey, Arc<Vec<Row>>)>,
}

/// A row in a table: the record id and its cells.
type Row = (String, Vec<String>);

/// What a cached list of rows was made from.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RowsKey {
    dir: PathBuf,
    category: Category,
    search: Option<String>,
    sort: Option<(String, bool)>,
}

fn failed(message: String) -> UiError {
    UiError::new(
        UiErrorKind::Store,
        message,
        "Check that there is free disk space, then collect again.",
    )
}

fn not_collected() -> UiError {
    UiError::new(
        UiErrorKind::NotFound,
        "Nothing has been collected yet.",
        "Choose \"Collect everything\" first.",
    )
}

fn category(name: &str) -> Result<Category, UiError> {
    name.parse()
        .map_err(|e: onboard::collect::UnknownCategory| {
            UiError::new(
                UiErrorKind::Input,
                e.to_string(),
                "Pick a tab from the list.",
            )
        })
}

/// A record's columns in the tables, in order.
pub fn columns_of(category: Category) -> &'static [&'static str] {
    match category {
        Category::Organizations => &["id", "name", "created"],
        Category::Users => &[
            "username",
            "display_name",
            "email",
            "state",
            "suspended",
            "locked",
            "mfa_configured",
            "department",
            "job_title",
            "manager_name",
            "id",
        ],
        Category::UserGroups => &[
            "name",
            "description",
            "membership_method",
            "effective_user_ids",
            "id",
        ],
        Category::Admins => &[
            "email",
            "first_name",
            "last_name",
            "role",
            "mfa_enabled",
            "suspended",
            "id",
        ],
        Category::Applications => &[
            "display_name",
            "name",
            "sso_type",
            "active",
            "user_group_ids",
            "id",
        ],
        Category::Devices => &[
            "hostname",
            "display_name",
            "os",
            "os_version",
            "active",
            "last_contact",
            "disk_encrypted",
            "primary_user_id",
            "id",
        ],
        Category::DeviceGroups => &[
            "name",
            "description",
            "membership_method",
            "device_ids",
            "id",
        ],
        Category::Policies => &["name", "template", "os_family", "id"],
        Category::PolicyResults => &["policy_id", "device_id", "state", "success", "ended_at"],
        Category::LdapServers | Category::RadiusServers => &[
            "name",
            "network_source_ip",
            "mfa",
            "user_group_ids",
            "user_ids",
            "id",
        ],
    }
}

fn id_of(category: Category, record: &Map<String, Value>) -> String {
    match category {
        Category::PolicyResults => format!(
            "{}/{}",
            text(record.get("policy_id")),
            text(record.get("device_id"))
        ),
        _ => text(record.get("id")),
    }
}

fn label_of(category: Category, record: &Map<String, Value>) -> String {
    let fields: &[&str] = match category {
        Category::Users => &["display_name", "username", "email"],
        Category::Admins => &["email"],
        Category::Applications => &["display_name", "label", "name"],
        Category::Devices => &["display_name", "hostname"],
        Category::PolicyResults => &["state"],
        _ => &["name"],
    };
    fields
        .iter()
        .map(|f| text(record.get(*f)))
        .find(|t| !t.is_empty())
        .unwrap_or_else(|| id_of(category, record))
}

/// A value as a table cell: lists joined with `; `, booleans as Yes/No.
fn text(value: Option<&Value>) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(Value::Bool(b)) => if *b { "Yes" } else { "No" }.to_owned(),
        Some(Value::Number(n)) => n.to_string(),
        Some(Value::Array(items)) => items
            .iter()
            .map(|v| text(Some(v)))
            .collect::<Vec<_>>()
            .join("; "),
        Some(v @ Value::Object(_)) => v.to_string(),
    }
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

fn rows_path(dir: &Path, category: Category) -> PathBuf {
    dir.join(ROWS_DIR)
        .join(format!("{}.jsonl", category.as_str()))
}

/// Reads one category's JSON Lines file; a missing file reads as empty.
pub fn read_rows(dir: &Path, category: Category) -> Result<Vec<Map<String, Value>>, UiError> {
    let path = rows_path(dir, category);
    let file = match std::fs::File::open(&path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => {
            return Err(failed(format!(
                "{} could not be read ({e}).",
                path.display()
            )))
        }
    };
    let mut rows = Vec::new();
    for line in BufReader::new(file).lines() {
        let line =
            line.map_err(|e| failed(format!("{} could not be read ({e}).", path.display())))?;
        if line.trim().is_empty() {
            continue;
        }
        if let Ok(Value::Object(map)) = serde_json::from_str(&line) {
            rows.push(map);
        }
    }
    Ok(rows)
}

/// Splits `snapshot.json`'s records into one JSON Lines file per category, for paging.
fn split_snapshot(dir: &Path) -> Result<Vec<Value>, UiError> {
    let path = dir.join(SNAPSHOT_FILE);
    let file = std::fs::File::open(&path)
        .map_err(|e| failed(format!("{} could not be read ({e}).", path.display())))?;
    let snapshot: Value = serde_json::from_reader(BufReader::new(file))
        .map_err(|e| failed(format!("{} could not be read ({e}).", path.display())))?;
    let rows = dir.join(ROWS_DIR);
    std::fs::create_dir_all(&rows)
        .map_err(|e| failed(format!("{} could not be created ({e}).", rows.display())))?;
    if let Some(records) = snapshot.get("records").and_then(Value::as_object) {
        for (name, list) in records {
            let Ok(category) = name.parse::<Category>() else {
                continue;
            };
            let out = rows_path(dir, category);
            let write = || -> std::io::Result<()> {
                let mut w = BufWriter::new(std::fs::File::create(&out)?);
                for record in list.as_array().into_iter().flatten() {
                    serde_json::to_writer(&mut w, record)?;
                    w.write_all(b"\n")?;
                }
                w.flush()
            };
            write()
                .map_err(|e| failed(format!("{} could not be written ({e}).", out.display())))?;
        }
    }
    Ok(snapshot
        .get("warnings")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default())
}

/// What the collected data shows needs fixing before a migration.
fn findings(
    dir: &Path,
    collector: &[Value],
) -> Result<(Vec<FindingCount>, Vec<DataWarning>), UiError> {
    let mut found: BTreeMap<&'static str, Vec<DataWarning>> = BTreeMap::new();
    let mut add = |kind: &'static str, subject: String, detail: &str| {
        found.entry(kind).or_default().push(DataWarning {
            kind: kind.to_owned(),
            subject,
            detail: detail.to_owned(),
        });
    };
    let users = read_rows(dir, Category::Users)?;
    for u in &users {
        let who = label_of(Category::Users, u);
        if text(u.get("email")).is_empty() {
            add("no_email", who.clone(), "This user has no email address.");
        }
        if u.get("suspended").and_then(Value::as_bool) == Some(true) {
            add("suspended", who.clone(), "This user is suspended.");
        }
        if u.get("locked").and_then(Value::as_bool) == Some(true) {
            add("locked", who.clone(), "This user is locked out.");
        }
        if u.get("mfa_configured").and_then(Value::as_bool) == Some(false) {
            add("no_mfa", who.clone(), "This user has no MFA set up.");
        }
        if !text(u.get("manager_ref")).is_empty() && text(u.get("manager_id")).is_empty() {
            add(
                "unresolved_manager",
                who,
                "This user's manager does not match any user.",
            );
        }
    }
    for a in read_rows(dir, Category::Applications)? {
        if strings(a.get("user_group_ids")).is_empty() {
            add(
                "app_without_group",
                label_of(Category::Applications, &a),
                "No user group can use this application.",
            );
        }
    }
    for g in read_rows(dir, Category::UserGroups)? {
        if strings(g.get("effective_user_ids")).is_empty() {
            add(
                "empty_group",
                label_of(Category::UserGroups, &g),
                "This group has no members.",
            );
        }
    }
    let month_ago = time::OffsetDateTime::now_utc() - time::Duration::days(30);
    for d in read_rows(dir, Category::Devices)? {
        let seen = text(d.get("last_contact"));
        let old =
            time::OffsetDateTime::parse(&seen, &time::format_description::well_known::Rfc3339)
                .map(|t| t < month_ago)
                .unwrap_or(false);
        if old {
            add(
                "stale_device",
                label_of(Category::Devices, &d),
                "This device has not been seen in 30 days.",
            );
        }
    }
    for w in collector {
        let message = text(w.get("message"));
        // Unresolvable managers are already counted from the users themselves.
        if !message.to_lowercase().contains("manager") {
            add("collector", text(w.get("record_id")), &message);
        }
    }
    let label = |kind: &str| match kind {
        "no_email" => "Users without an email address",
        "suspended" => "Suspended users",
        "locked" => "Locked users",
        "no_mfa" => "Users without MFA",
        "unresolved_manager" => "Managers that match no user",
        "app_without_group" => "Applications no group can use",
        "empty_group" => "Groups with no members",
        "stale_device" => "Devices not seen in 30 days",
        _ => "Other data-quality warnings",
    };
    let counts = found
        .iter()
        .map(|(kind, list)| FindingCount {
            kind: (*kind).to_owned(),
            label: label(kind).to_owned(),
            count: list.len() as u64,
        })
        .collect();
    let listed = found
        .into_values()
        .flatten()
        .take(LISTED_WARNINGS)
        .collect();
    Ok((counts, listed))
}

fn view(summary: &CollectSummary, dir: &Path) -> Result<CollectionView, UiError> {
    let collector = split_snapshot(dir)?;
    let (findings, warnings) = findings(dir, &collector)?;
    Ok(CollectionView {
        categories: summary
            .categories
            .iter()
            .map(|c| CategoryView {
                category: c.category.as_str().to_owned(),
                label: c.category.label().to_owned(),
                status: c.status.as_str().to_owned(),
                collected: c.collected,
                total: c.total,
                reason: c.reason.clone(),
                notes: c.notes.clone(),
            })
            .collect(),
        findings,
        warnings,
        duration_ms: summary.elapsed_ms,
        requests: summary.requests,
        cancelled: summary.cancelled,
    })
}

fn progress_of(progress: Progress) -> CollectProgress {
    let (category, phase, collected, total, pages, status) = match progress {
        Progress::Started(c) => (c, "started", 0, None, 0, None),
        Progress::Advanced {
            category,
            collected,
            total,
            pages,
        } => (category, "running", collected, total, pages, None),
        Progress::Finished(r) => (
            r.category,
            "finished",
            r.collected,
            r.total,
            r.pages,
            Some(r.status.as_str().to_owned()),
        ),
    };
    CollectProgress {
        category: category.as_str().to_owned(),
        label: category.label().to_owned(),
        phase: phase.to_owned(),
        collected,
        total,
        pages,
        status,
    }
}

fn matches(row: &[String], needle: &str) -> bool {
    row.iter().any(|cell| cell.to_lowercase().contains(needle))
}

/// A category's rows, searched and sorted.
fn table(
    dir: &Path,
    category: Category,
    needle: Option<&str>,
    sort: Option<&SortSpec>,
) -> Result<Vec<Row>, UiError> {
    let columns = columns_of(category);
    let mut rows: Vec<Row> = read_rows(dir, category)?
        .into_iter()
        .map(|r| {
            let cells: Vec<String> = columns.iter().map(|c| text(r.get(*c))).collect();
            (id_of(category, &r), cells)
        })
        .filter(|(_, cells)| needle.is_none_or(|n| matches(cells, n)))
        .collect();
    if let Some(sort) = sort {
        if let Some(index) = columns.iter().position(|c| *c == sort.column) {
            rows.sort_by_cached_key(|row| row.1[index].to_lowercase());
            if sort.descending {
                rows.reverse();
            }
        }
    }
    Ok(rows)
}

fn needle(search: Option<&str>) -> Option<String> {
    search
        .map(|s| s.trim().to_lowercase())
        .filter(|s| !s.is_empty())
}

fn slice(category: Category, all: &[Row], offset: u32, limit: u32) -> RowPage {
    let (ids, rows) = all
        .iter()
        .skip(offset as usize)
        .take(limit.min(MAX_PAGE) as usize)
        .cloned()
        .unzip();
    RowPage {
        total_matching: all.len() as u64,
        columns: columns_of(category)
            .iter()
            .map(|c| (*c).to_owned())
            .collect(),
        ids,
        rows,
    }
}

/// One page of rows from a category's JSON Lines file, searched and sorted.
#[cfg(test)]
pub fn page(
    dir: &Path,
    category: Category,
    offset: u32,
    limit: u32,
    search: Option<&str>,
    sort: Option<&SortSpec>,
) -> Result<RowPage, UiError> {
    let rows = table(dir, category, needle(search).as_deref(), sort)?;
    Ok(slice(category, &rows, offset, limit))
}

fn find(dir: &Path, category: Category, id: &str) -> Result<Map<String, Value>, UiError> {
    read_rows(dir, category)?
        .into_iter()
        .find(|r| id_of(category, r) == id)
        .ok_or_else(|| {
            UiError::new(
                UiErrorKind::NotFound,
                format!("There is no such record in {}.", category.label()),
                "Collect again; the record may have been removed.",
            )
        })
}

/// Every field of one record.
pub fn detail(dir: &Path, category: Category, id: &str) -> Result<RecordDetail, UiError> {
    let record = find(dir, category, id)?;
    Ok(RecordDetail {
        category: category.as_str().to_owned(),
        id: id.to_owned(),
        label: label_of(category, &record),
        fields: record
            .iter()
            .map(|(k, v)| (k.clone(), text(Some(v))))
            .collect(),
    })
}

/// The records of `category` whose id is in `ids`, as related items.
fn items(
    dir: &Path,
    category: Category,
    ids: &HashSet<String>,
) -> Result<Vec<RelatedItem>, UiError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(read_rows(dir, category)?
        .into_iter()
        .filter(|r| ids.contains(&id_of(category, r)))
        .take(RELATED_PER_KIND)
        .map(|r| RelatedItem {
            category: category.as_str().to_owned(),
            id: id_of(category, &r),
            label: label_of(category, &r),
        })
        .collect())
}

/// The records of `category` for which `keep` holds.
fn where_(
    dir: &Path,
    category: Category,
    keep: impl Fn(&Map<String, Value>) -> bool,
) -> Result<Vec<RelatedItem>, UiError> {
    Ok(read_rows(dir, category)?
        .into_iter()
        .filter(|r| keep(r))
        .take(RELATED_PER_KIND)
        .map(|r| RelatedItem {
            category: category.as_str().to_owned(),
            id: id_of(category, &r),
            label: label_of(category, &r),
        })
        .collect())
}

fn set(ids: impl IntoIterator<Item = String>) -> HashSet<String> {
    ids.into_iter().filter(|s| !s.is_empty()).collect()
}

/// Records related to one: user → groups → apps, app → groups → users, device → users,
/// policy → results.
pub fn related(dir: &Path, category: Category, id: &str) -> Result<Vec<RelatedItem>, UiError> {
    let record = find(dir, category, id)?;
    let has = |field: &'static str, id: String| {
        move |r: &Map<String, Value>| strings(r.get(field)).contains(&id)
    };
    let mut out = Vec::new();
    match category {
        Category::Users => {
            let groups: Vec<Map<String, Value>> = read_rows(dir, Category::UserGroups)?
                .into_iter()
                .filter(|g| {
                    strings(g.get("effective_user_ids")).iter().any(|u| u == id)
                        || strings(g.get("direct_user_ids")).iter().any(|u| u == id)
                })
                .collect();
            let group_ids = set(groups.iter().map(|g| id_of(Category::UserGroups, g)));
            out.extend(items(dir, Category::UserGroups, &group_ids)?);
            out.extend(where_(dir, Category::Applications, |a| {
                strings(a.get("user_ids")).iter().any(|u| u == id)
                    || strings(a.get("user_group_ids"))
                        .iter()
                        .any(|g| group_ids.contains(g))
            })?);
            out.extend(where_(dir, Category::Devices, |d| {
                text(d.get("primary_user_id")) == id
            })?);
            out.extend(items(
                dir,
                Category::Users,
                &set([text(record.get("manager_id"))]),
            )?);
        }
        Category::UserGroups => {
            out.extend(where_(
                dir,
                Category::Applications,
                has("user_group_ids", id.to_owned()),
            )?);
            out.extend(items(
                dir,
                Category::UserGroups,
                &set(strings(record.get("direct_group_ids"))),
            )?);
            out.extend(items(
                dir,
                Category::Users,
                &set(strings(record.get("effective_user_ids"))),
            )?);
        }
        Category::Applications | Category::LdapServers | Category::RadiusServers => {
            let group_ids = set(strings(record.get("user_group_ids")));
            let mut user_ids = set(strings(record.get("user_ids")));
            for g in read_rows(dir, Category::UserGroups)? {
                if group_ids.contains(&id_of(Category::UserGroups, &g)) {
                    user_ids.extend(strings(g.get("effective_user_ids")));
                }
            }
            out.extend(items(dir, Category::UserGroups, &group_ids)?);
            out.extend(items(dir, Category::Users, &user_ids)?);
        }
        Category::Devices => {
            out.extend(items(
                dir,
                Category::Users,
                &set([text(record.get("primary_user_id"))]),
            )?);
            out.extend(where_(
                dir,
                Category::DeviceGroups,
                has("device_ids", id.to_owned()),
            )?);
            out.extend(where_(dir, Category::PolicyResults, |r| {
                text(r.get("device_id")) == id
            })?);
        }
        Category::DeviceGroups => {
            out.extend(items(
                dir,
                Category::Devices,
                &set(strings(record.get("device_ids"))),
            )?);
        }
        Category::Policies => {
            out.extend(where_(dir, Category::PolicyResults, |r| {
                text(r.get("policy_id")) == id
            })?);
        }
        Category::PolicyResults => {
            out.extend(items(
                dir,
                Category::Policies,
                &set([text(record.get("policy_id"))]),
            )?);
            out.extend(items(
                dir,
                Category::Devices,
                &set([text(record.get("device_id"))]),
            )?);
        }
        Category::Admins | Category::Organizations => {}
    }
    Ok(out)
}

/// Copies `snapshot.json` and the CSVs into a new timestamped folder under `bundles`.
pub fn export(dir: &Path, bundles: &Path) -> Result<ExportedCollection, UiError> {
    let stamp = time::OffsetDateTime::now_utc()
        .format(time::macros::format_description!(
            "[year]-[month]-[day]_[hour][minute][second]"
        ))
        .unwrap_or_default();
    let mut target = bundles.join(format!("jumpcloud-export-{stamp}"));
    let mut n = 1;
    while target.exists() {
        n += 1;
        target = bundles.join(format!("jumpcloud-export-{stamp}-{n}"));
    }
    std::fs::create_dir_all(&target)
        .map_err(|e| failed(format!("{} could not be created ({e}).", target.display())))?;
    let mut names = vec![SNAPSHOT_FILE.to_owned(), "warnings.csv".to_owned()];
    names.extend(Category::ALL.iter().map(|c| csv_name(*c)));
    for name in names {
        let from = dir.join(&name);
        if from.exists() {
            std::fs::copy(&from, target.join(&name))
                .map_err(|e| failed(format!("{name} could not be copied ({e}).")))?;
        }
    }
    Ok(ExportedCollection {
        path: target.display().to_string(),
        folder: bundles.display().to_string(),
    })
}

impl AppState {
    fn collection_dir(&self) -> Result<PathBuf, UiError> {
        self.collection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .dir
            .clone()
            .ok_or_else(not_collected)
    }

    pub async fn start_collection(
        &self,
        manager_attribute: Option<String>,
        on_progress: impl Fn(CollectProgress) + Send + Sync,
    ) -> Result<CollectionView, UiError> {
        let client = self
            .tested
            .lock()
            .await
            .clone()
            .ok_or_else(UiError::not_connected)?;
        let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
        let dir = std::env::temp_dir().join(format!(
            "jc-onboard-collection-{}-{nanos}",
            std::process::id()
        ));
        let cancel = CancelToken::new();
        let (run, previous) = {
            let mut slot = self
                .collection
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            if let Some(old) = slot.cancel.replace(cancel.clone()) {
                old.cancel();
            }
            slot.run += 1;
            slot.rows = None;
            (slot.run, slot.dir.take())
        };
        if let Some(old) = previous {
            let _ = std::fs::remove_dir_all(old);
        }
        let options = CollectOptions {
            manager: ManagerSource::from_name(manager_attribute.as_deref()),
            app_version: env!("CARGO_PKG_VERSION").to_owned(),
            ..CollectOptions::new(&dir)
        };
        let report = move |p: Progress| on_progress(progress_of(p));
        let result = collect(&client, &options, &cancel, &report).await;
        let summary = result.map_err(|e| failed(format!("The collection stopped: {e}.")))?;
        let view = view(&summary, &dir)?;
        let mut slot = self
            .collection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.run != run {
            // A newer collection started meanwhile: its folder is the one to browse.
            drop(slot);
            let _ = std::fs::remove_dir_all(&dir);
            return Err(UiError::new(
                UiErrorKind::Input,
                "A newer collection replaced this one.",
                "Wait for the newer collection to finish.",
            ));
        }
        slot.cancel = None;
        slot.rows = None;
        slot.dir = Some(dir);
        Ok(view)
    }

    pub fn cancel_collection(&self) {
        let slot = self
            .collection
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(cancel) = &slot.cancel {
            cancel.cancel();
        }
    }

    pub fn collection_rows(
        &self,
        category_name: &str,
        offset: u32,
        limit: u32,
        search: Option<&str>,
        sort: Option<&SortSpec>,
    ) -> Result<RowPage, UiError> {
        let category = category(category_name)?;
        let rows = self.cached_rows(category, search, sort)?;
        Ok(slice(category, &rows, offset, limit))
    }

    pub fn collection_row_index(
        &self,
        category_name: &str,
        id: &str,
        search: Option<&str>,
        sort: Option<&SortSpec>,
    ) -> Result<Option<u32>, UiError> {
        let rows = self.cached_rows(category(category_name)?, search, sort)?;
        Ok(rows
            .iter()
            .position(|(row_id, _)| row_id == id)
            .and_then(|i| u32::try_from(i).ok()))
    }

    fn cached_rows(
        &self,
        category: Category,
        search: Option<&str>,
        sort: Option<&SortSpec>,
    ) -> Result<Arc<Vec<Row>>, UiError> {
        let key = RowsKey {
            dir: self.collection_dir()?,
            category,
            search: needle(search),
            sort: sort.map(|s| (s.column.clone(), s.descending)),
        };
        let cached = {
            let slot = self
                .collection
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            slot.rows
                .as_ref()
                .filter(|(k, _)| *k == key)
                .map(|(_, rows)| Arc::clone(rows))
        };
        let rows = match cached {
            Some(rows) => rows,
            None => {
                let rows = Arc::new(table(&key.dir, category, key.search.as_deref(), sort)?);
                let mut slot = self
                    .collection
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                slot.rows = Some((key, Arc::clone(&rows)));
                rows
            }
        };
        Ok(rows)
    }

    pub fn collection_record(
        &self,
        category_name: &str,
        id: &str,
    ) -> Result<RecordDetail, UiError> {
        detail(&self.collection_dir()?, category(category_name)?, id)
    }

    pub fn related(&self, category_name: &str, id: &str) -> Result<Vec<RelatedItem>, UiError> {
        related(&self.collection_dir()?, category(category_name)?, id)
    }

    pub fn export_collection(&self) -> Result<ExportedCollection, UiError> {
        let dir = self.collection_dir()?;
        export(&dir, &self.bundle_dir()?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn write(dir: &Path, category: Category, records: &[Value]) {
        std::fs::create_dir_all(dir.join(ROWS_DIR)).expect("rows dir");
        let text: String = records.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(rows_path(dir, category), text).expect("written");
    }

    fn org() -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        write(
            dir.path(),
            Category::Users,
            &[
                json!({"id": "u1", "username": "grace", "display_name": "Grace Hopper", "email": "grace@acme.example", "mfa_configured": true}),
                json!({"id": "u2", "username": "alan", "display_name": "Alan Turing", "email": null, "suspended": true, "mfa_configured": false, "manager_ref": "nobody"}),
                json!({"id": "u3", "username": "ada", "display_name": "Ada Lovelace", "email": "ada@acme.example"}),
            ],
        );
        write(
            dir.path(),
            Category::UserGroups,
            &[
                json!({"id": "g1", "name": "Engineering", "effective_user_ids": ["u1", "u3"], "direct_user_ids": ["u1"]}),
                json!({"id": "g2", "name": "Empty", "effective_user_ids": []}),
            ],
        );
        write(
            dir.path(),
            Category::Applications,
            &[
                json!({"id": "a1", "display_name": "Slack", "user_group_ids": ["g1"], "user_ids": []}),
                json!({"id": "a2", "display_name": "Wiki", "user_group_ids": [], "user_ids": []}),
            ],
        );
        write(
            dir.path(),
            Category::Devices,
            &[
                json!({"id": "d1", "hostname": "old-laptop", "last_contact": "2020-01-01T00:00:00Z", "primary_user_id": "u1"}),
            ],
        );
        write(
            dir.path(),
            Category::PolicyResults,
            &[json!({"policy_id": "p1", "device_id": "d1", "state": "success"})],
        );
        dir
    }

    #[test]
    fn pages_are_searched_sorted_and_capped() {
        let dir = org();
        let all = page(dir.path(), Category::Users, 0, 10, None, None).expect("page");
        assert_eq!(all.total_matching, 3);
        assert_eq!(all.columns[0], "username");
        assert_eq!(all.ids, ["u1", "u2", "u3"]);
        let found =
            page(dir.path(), Category::Users, 0, 10, Some(" LOVELACE "), None).expect("page");
        assert_eq!(found.total_matching, 1);
        assert_eq!(found.rows[0][0], "ada");
        let sort = SortSpec {
            column: "username".into(),
            descending: true,
        };
        let sorted = page(dir.path(), Category::Users, 1, 1, None, Some(&sort)).expect("page");
        assert_eq!(sorted.total_matching, 3);
        assert_eq!(sorted.ids, ["u2"], "grace, alan, ada: the second is alan");
        let capped = page(dir.path(), Category::Users, 0, 100_000, None, None).expect("page");
        assert!(capped.rows.len() <= MAX_PAGE as usize);
    }

    #[test]
    fn a_hundred_thousand_rows_page_without_sending_them_all() {
        let dir = tempfile::tempdir().expect("temp dir");
        let users: Vec<Value> = (0..100_000)
            .map(|i| json!({"id": format!("u{i}"), "username": format!("user{i}"), "email": format!("user{i}@acme.example")}))
            .collect();
        write(dir.path(), Category::Users, &users);
        let started = std::time::Instant::now();
        let found =
            page(dir.path(), Category::Users, 100, 500, Some("user99"), None).expect("page");
        assert_eq!(
            found.total_matching, 1111,
            "user99, user990..user999, user9900..user99999"
        );
        assert_eq!(found.rows.len(), 200, "a page is capped at 200 rows");
        eprintln!("100k rows searched in {:?}", started.elapsed());
    }

    #[test]
    fn relationships_follow_users_groups_apps_and_devices() {
        let dir = org();
        let of_grace = related(dir.path(), Category::Users, "u1").expect("related");
        let names: Vec<_> = of_grace
            .iter()
            .map(|r| (r.category.as_str(), r.label.as_str()))
            .collect();
        assert!(names.contains(&("user_groups", "Engineering")), "{names:?}");
        assert!(names.contains(&("applications", "Slack")), "{names:?}");
        assert!(names.contains(&("devices", "old-laptop")), "{names:?}");
        let of_slack = related(dir.path(), Category::Applications, "a1").expect("related");
        let ids: Vec<_> = of_slack.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["g1", "u1", "u3"]);
        let of_result = related(dir.path(), Category::PolicyResults, "p1/d1").expect("related");
        assert_eq!(
            of_result.len(),
            1,
            "the device; the policy was not collected"
        );
        assert_eq!(
            detail(dir.path(), Category::Users, "u3")
                .expect("detail")
                .label,
            "Ada Lovelace"
        );
        assert!(related(dir.path(), Category::Users, "nobody").is_err());
    }

    #[test]
    fn findings_come_from_the_collected_records() {
        let dir = org();
        let (counts, listed) = findings(dir.path(), &[]).expect("findings");
        let count = |kind: &str| counts.iter().find(|c| c.kind == kind).map(|c| c.count);
        assert_eq!(count("no_email"), Some(1));
        assert_eq!(count("suspended"), Some(1));
        assert_eq!(count("no_mfa"), Some(1));
        assert_eq!(count("unresolved_manager"), Some(1));
        assert_eq!(count("app_without_group"), Some(1));
        assert_eq!(count("empty_group"), Some(1));
        assert_eq!(count("stale_device"), Some(1));
        assert!(listed.iter().any(|w| w.subject == "Wiki"));
    }

    #[test]
    fn the_export_copies_the_snapshot_and_csvs_into_a_new_folder() {
        let dir = org();
        std::fs::write(dir.path().join(SNAPSHOT_FILE), "{}").expect("snapshot");
        std::fs::write(dir.path().join("users.csv"), "id\n").expect("csv");
        let downloads = tempfile::tempdir().expect("downloads");
        let first = export(dir.path(), downloads.path()).expect("export");
        let second = export(dir.path(), downloads.path()).expect("export");
        assert_ne!(first.path, second.path, "each export gets its own folder");
        let folder = PathBuf::from(&first.path);
        assert!(folder.join(SNAPSHOT_FILE).is_file());
        assert!(folder.join("users.csv").is_file());
        assert!(
            !folder.join(ROWS_DIR).exists(),
            "the working rows stay behind"
        );
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn the_demo_org_is_collected_paged_related_and_exported() {
        let state = AppState::new(
            "com.jconboard.wizard.test",
            Box::new(onboard::connections::MemoryStorage::default()),
            None,
        );
        let demo = state.start_demo("healthy").await.expect("demo");
        let request = crate::ipc::ConnectionRequest {
            key: demo.api_key.clone(),
            org_id: None,
            region: crate::ipc::RegionChoice::Auto,
            demo: true,
        };
        assert!(state.run_checks(&request, |_| {}).await.expect("checks").ok);
        let seen = std::sync::Mutex::new(Vec::new());
        let view = state
            .start_collection(None, |p| seen.lock().expect("lock").push(p))
            .await
            .expect("collected");
        let users = view
            .categories
            .iter()
            .find(|c| c.category == "users")
            .expect("users");
        assert_eq!(users.status, "complete");
        assert!(users.collected > 0);
        assert!(seen
            .lock()
            .expect("lock")
            .iter()
            .any(|p| p.phase == "finished" && p.category == "users"));
        let rows = state
            .collection_rows("users", 0, 5, None, None)
            .expect("rows");
        assert_eq!(rows.total_matching, users.collected);
        let first = rows.ids[0].clone();
        assert_eq!(
            state
                .collection_row_index("users", &first, None, None)
                .expect("index"),
            Some(0)
        );
        let related = state.related("users", &first).expect("related");
        assert!(
            related.iter().any(|r| r.category == "user_groups"),
            "{related:?}"
        );
        let downloads = tempfile::tempdir().expect("downloads");
        let exported =
            export(&state.collection_dir().expect("dir"), downloads.path()).expect("export");
        let snapshot = std::fs::read_to_string(PathBuf::from(&exported.path).join(SNAPSHOT_FILE))
            .expect("snapshot");
        assert!(
            !snapshot.contains(&demo.api_key),
            "the export never holds the key"
        );
        assert!(PathBuf::from(&exported.path).join("users.csv").is_file());
        let _ = std::fs::remove_dir_all(state.collection_dir().expect("dir"));
        state.stop_demo().await;
    }
}
