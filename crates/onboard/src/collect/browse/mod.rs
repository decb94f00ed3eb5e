//! Browsing a finished collection from its records on disk: pages of a category's rows searched
//! and sorted, one record's fields, the records related to it, the data-quality findings, and a
//! copy of the export. Rows are read from the JSON Lines files that
//! [`CollectOptions::keep_records`](super::CollectOptions::keep_records) keeps, so a 100k-user
//! org is never held by the UI: it asks for pages.
//!
//! ```no_run
//! # fn demo() -> Result<(), onboard::collect::browse::BrowseError> {
//! use onboard::collect::browse::{Collection, RowQuery};
//! use onboard::collect::Category;
//! let collection = Collection::open("./jc-snapshot")?;
//! let page = collection.page(Category::Users, &RowQuery::search("grace"), 0, 50)?;
//! println!("{} users match", page.total_matching);
//! # Ok(()) }
//! ```

mod findings;
mod related;
mod table;

use std::io;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, PoisonError};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::categories::records_path;
use super::export::{csv_name, warnings_path, SNAPSHOT_FILE, WARNINGS_FILE};
use super::logos::{is_logo_file, logo_data_url, LOGOS_DIR};
use super::output::mark_copied_export;
use super::store::read_records;
use super::RECORDS_DIR;
use crate::category::Category;
use crate::display;

pub use findings::{DataWarning, FindingCount, Findings};
pub use related::RelatedItem;
pub use table::{Column, RowPage, SortSpec, MAX_PAGE};

use table::Row;

/// A record as read back from disk.
pub(crate) type Record = Map<String, Value>;

#[derive(Debug, thiserror::Error)]
pub enum BrowseError {
    #[error("{} holds no collection to browse", .0.display())]
    NotACollection(PathBuf),
    #[error("{} could not be read: {source}", path.display())]
    Read { path: PathBuf, source: io::Error },
    #[error("{} could not be written: {source}", path.display())]
    Write { path: PathBuf, source: io::Error },
    #[error("there is no record {id:?} among the {}", category.label())]
    NoSuchRecord { category: Category, id: String },
}

/// What to show of a category: a search over the shown cells (case-insensitive) and a sort.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RowQuery {
    pub search: Option<String>,
    pub sort: Option<SortSpec>,
}

impl RowQuery {
    pub fn search(text: &str) -> RowQuery {
        RowQuery {
            search: Some(text.to_owned()),
            sort: None,
        }
    }

    /// The search as matched: trimmed, lowercased, none when blank.
    fn needle(&self) -> Option<String> {
        self.search
            .as_deref()
            .map(|s| s.trim().to_lowercase())
            .filter(|s| !s.is_empty())
    }
}

/// Every field of one record, for a detail panel.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RecordDetail {
    pub category: Category,
    pub id: String,
    pub label: String,
    /// Each shown field as (label, value), both in words.
    pub fields: Vec<(String, String)>,
    /// The user's custom attributes as (name, value), names as the admin gave them.
    pub attributes: Vec<(String, String)>,
    /// The application's logo as a `data:` URL, when one was fetched.
    pub image: Option<String>,
}

/// One collection's folder, opened for browsing. The last searched and sorted rows are kept, so
/// scrolling through them reads the file once.
pub struct Collection {
    dir: PathBuf,
    rows: Mutex<Option<CachedRows>>,
    /// Dates in rows and details are shown by this clock.
    clock: display::Clock,
}

/// Rows as searched (the needle) and sorted, for one category.
struct CachedRows {
    category: Category,
    needle: Option<String>,
    sort: Option<SortSpec>,
    rows: Arc<Vec<Row>>,
}

impl Collection {
    /// Opens a folder a collection wrote with `keep_records`.
    pub fn open(dir: impl Into<PathBuf>) -> Result<Collection, BrowseError> {
        let dir = dir.into();
        if !dir.join(RECORDS_DIR).is_dir() {
            return Err(BrowseError::NotACollection(dir));
        }
        Ok(Collection {
            dir,
            rows: Mutex::new(None),
            clock: display::Clock::SYSTEM,
        })
    }

    /// The same collection, its dates shown by `clock`.
    pub fn with_clock(mut self, clock: display::Clock) -> Collection {
        self.clock = clock;
        self
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn clock(&self) -> display::Clock {
        self.clock
    }

    /// Rows `offset..offset+limit` (at most [`MAX_PAGE`]) of a category after search and sort.
    pub fn page(
        &self,
        category: Category,
        query: &RowQuery,
        offset: u64,
        limit: u32,
    ) -> Result<RowPage, BrowseError> {
        let rows = self.rows(category, query)?;
        Ok(table::slice(&self.dir, category, &rows, offset, limit))
    }

    /// Where a record sits among a category's rows after search and sort.
    pub fn row_index(
        &self,
        category: Category,
        query: &RowQuery,
        id: &str,
    ) -> Result<Option<u64>, BrowseError> {
        let rows = self.rows(category, query)?;
        Ok(rows
            .iter()
            .position(|row| row.id == id)
            .and_then(|i| u64::try_from(i).ok()))
    }

    fn rows(&self, category: Category, query: &RowQuery) -> Result<Arc<Vec<Row>>, BrowseError> {
        let needle = query.needle();
        {
            let cached = self.rows.lock().unwrap_or_else(PoisonError::into_inner);
            if let Some(c) = cached.as_ref() {
                if c.category == category && c.needle == needle && c.sort == query.sort {
                    return Ok(Arc::clone(&c.rows));
                }
            }
        }
        let rows = Arc::new(table::rows(
            self,
            category,
            needle.as_deref(),
            query.sort.as_ref(),
        )?);
        *self.rows.lock().unwrap_or_else(PoisonError::into_inner) = Some(CachedRows {
            category,
            needle,
            sort: query.sort.clone(),
            rows: Arc::clone(&rows),
        });
        Ok(rows)
    }

    /// Every shown field of one record, in words; its custom attributes as name/value rows.
    pub fn detail(&self, category: Category, id: &str) -> Result<RecordDetail, BrowseError> {
        let record = self.find(category, id)?;
        let image = (category == Category::Applications)
            .then(|| text(record.get("logo_file")))
            .and_then(|file| logo_data_url(&self.dir, &file));
        let clock = self.clock;
        let mut fields = Vec::new();
        let mut attributes = Vec::new();
        // What the manager field held matters only when it named nobody collected.
        let manager_found = !text(record.get("manager_name")).is_empty();
        for (key, value) in &record {
            if display::is_hidden(key) || (key == "manager_ref" && manager_found) {
                continue;
            }
            if let ("custom_attributes", Value::Object(named)) = (key.as_str(), value) {
                attributes = named
                    .iter()
                    .map(|(name, v)| (name.clone(), display::field_value(category, name, v, clock)))
                    .collect();
                continue;
            }
            let shown = match referenced(key) {
                Some(of) => self.names(of)?.name(&text(Some(value))),
                None => display::field_value(category, key, value, clock),
            };
            if !shown.is_empty() {
                fields.push((display::field_label(category, key), shown));
            }
        }
        let label = match category {
            Category::PolicyResults => Names::result_label(
                &self.names(Category::Policies)?,
                &self.names(Category::Devices)?,
                &record,
            ),
            _ => label_of(category, &record),
        };
        Ok(RecordDetail {
            category,
            id: id.to_owned(),
            label,
            fields,
            attributes,
            image,
        })
    }

    /// The names of a category's records by id.
    pub(crate) fn names(&self, category: Category) -> Result<Names, BrowseError> {
        Ok(Names(
            self.records(category)?
                .iter()
                .map(|r| (id_of(category, r), label_of(category, r)))
                .collect(),
        ))
    }

    /// The records related to one: user → groups, apps, devices, manager; group → apps,
    /// nested groups, members; app or directory server → groups → users; device → user,
    /// device groups, policy results; policy → results.
    pub fn related(&self, category: Category, id: &str) -> Result<Vec<RelatedItem>, BrowseError> {
        related::related(self, category, id)
    }

    /// What the collected records show needs fixing before a migration, counted as of `now`.
    pub fn findings(&self, now: time::OffsetDateTime) -> Result<Findings, BrowseError> {
        findings::findings(self, now)
    }

    /// Copies `snapshot.json`, the CSVs and the logos into a new timestamped folder under
    /// `parent`, and returns it. The working records stay behind. The copy is owner-only and
    /// marked as an export of this tool.
    pub fn export_to(&self, parent: &Path) -> Result<PathBuf, BrowseError> {
        let stamp = time::OffsetDateTime::now_utc()
            .format(time::macros::format_description!(
                "[year]-[month]-[day]_[hour][minute][second]"
            ))
            .unwrap_or_default();
        let written = |path: &Path| {
            let path = path.to_owned();
            move |source| BrowseError::Write { path, source }
        };
        std::fs::create_dir_all(parent).map_err(written(parent))?;
        let mut target = parent.join(format!("jumpcloud-export-{stamp}"));
        let mut n = 1;
        // Created, not just looked for, so two exports in the same second never share one.
        while let Err(error) = crate::files::new_private_dir(&target) {
            if error.kind() != io::ErrorKind::AlreadyExists {
                return Err(written(&target)(error));
            }
            n += 1;
            target = parent.join(format!("jumpcloud-export-{stamp}-{n}"));
        }
        let mut names = vec![SNAPSHOT_FILE.to_owned(), format!("{WARNINGS_FILE}.csv")];
        names.extend(Category::ALL.iter().map(|c| csv_name(*c)));
        names.retain(|name| self.dir.join(name).is_file());
        let logos = self.dir.join(LOGOS_DIR);
        if logos.is_dir() {
            let entries = std::fs::read_dir(&logos).map_err(|source| BrowseError::Read {
                path: logos.clone(),
                source,
            })?;
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                if entry.file_type().is_ok_and(|t| t.is_file()) && is_logo_file(&name) {
                    names.push(format!("{LOGOS_DIR}/{name}"));
                }
            }
            crate::files::private_dir(&target.join(LOGOS_DIR))
                .map_err(written(&target.join(LOGOS_DIR)))?;
        }
        for name in &names {
            let to = target.join(name);
            crate::files::copy_private(&self.dir.join(name), &to).map_err(written(&to))?;
        }
        mark_copied_export(&target, &names).map_err(written(&target))?;
        Ok(target)
    }

    /// Every record of a category; a category not collected reads as empty.
    pub(crate) fn records(&self, category: Category) -> Result<Vec<Record>, BrowseError> {
        read_all(&records_path(&self.dir.join(RECORDS_DIR), category))
    }

    /// The collector's own data-quality warnings.
    pub(crate) fn collector_warnings(&self) -> Result<Vec<Record>, BrowseError> {
        read_all(&warnings_path(&self.dir.join(RECORDS_DIR)))
    }

    pub(crate) fn find(&self, category: Category, id: &str) -> Result<Record, BrowseError> {
        self.records(category)?
            .into_iter()
            .find(|r| id_of(category, r) == id)
            .ok_or_else(|| BrowseError::NoSuchRecord {
                category,
                id: id.to_owned(),
            })
    }
}

fn read_all(path: &Path) -> Result<Vec<Record>, BrowseError> {
    let read = |source| BrowseError::Read {
        path: path.to_owned(),
        source,
    };
    let mut records = Vec::new();
    for record in read_records::<Value>(path).map_err(read)? {
        match record {
            Ok(Value::Object(record)) => records.push(record),
            // A line that is not an object (a torn write) is skipped rather than failing the tab.
            Ok(_) => {}
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::InvalidData | io::ErrorKind::UnexpectedEof
                ) => {}
            Err(e) => return Err(read(e)),
        }
    }
    Ok(records)
}

/// Names of records by id; an id not collected stays as it is.
pub(crate) struct Names(std::collections::HashMap<String, String>);

impl Names {
    pub(crate) fn name(&self, id: &str) -> String {
        self.0.get(id).cloned().unwrap_or_else(|| id.to_owned())
    }

    /// A policy result as people tell them apart: "Encrypt Mac disks on old-laptop: Succeeded".
    pub(crate) fn result_label(policies: &Names, devices: &Names, record: &Record) -> String {
        let policy = policies.name(&text(record.get("policy_id")));
        let device = devices.name(&text(record.get("device_id")));
        let state = display::state(&text(record.get("state")));
        match (device.is_empty(), state.is_empty()) {
            (false, false) => format!("{policy} on {device}: {state}"),
            (false, true) => format!("{policy} on {device}"),
            (true, false) => format!("{policy}: {state}"),
            (true, true) => policy,
        }
    }
}

/// The field holding the id of a record in another category, shown by that record's name.
fn referenced(key: &str) -> Option<Category> {
    match key {
        "primary_user_id" => Some(Category::Users),
        "policy_id" => Some(Category::Policies),
        "device_id" => Some(Category::Devices),
        _ => None,
    }
}

/// A record's id; policy results have none of their own, so theirs is `policy/device`.
pub(crate) fn id_of(category: Category, record: &Record) -> String {
    match category {
        Category::PolicyResults => format!(
            "{}/{}",
            text(record.get("policy_id")),
            text(record.get("device_id"))
        ),
        _ => text(record.get("id")),
    }
}

/// The words a person knows a record by: a name, else an email, else its id.
pub(crate) fn label_of(category: Category, record: &Record) -> String {
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

/// A value as text: lists joined with `; `, booleans as Yes/No.
pub(crate) fn text(value: Option<&Value>) -> String {
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

/// A list of strings (ids), or nothing.
pub(crate) fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
pub(crate) mod fixture {
    use super::*;
    use serde_json::json;

    pub(crate) fn write(dir: &Path, name: &str, records: &[Value]) {
        std::fs::create_dir_all(dir.join(RECORDS_DIR)).expect("records dir");
        let text: String = records.iter().map(|r| format!("{r}\n")).collect();
        std::fs::write(dir.join(RECORDS_DIR).join(format!("{name}.jsonl")), text)
            .expect("records written");
    }

    /// A small org: three users, a group with two of them and an empty one, an app that group
    /// can use and one nobody can, a device last seen in 2020, and one policy result.
    pub(crate) fn org() -> (tempfile::TempDir, Collection) {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        write(
            d,
            "users",
            &[
                json!({"id": "u1", "username": "grace", "display_name": "Grace Hopper", "email": "grace@acme.example", "mfa_configured": true}),
                json!({"id": "u2", "username": "alan", "display_name": "Alan Turing", "email": null, "suspended": true, "mfa_configured": false, "manager_ref": "nobody"}),
                json!({"id": "u3", "username": "ada", "display_name": "Ada Lovelace", "email": "ada@acme.example", "manager_id": "u1", "manager_name": "Grace Hopper", "state": "STAGED", "created": "2019-10-08T23:20:47.903Z", "custom_attributes": {"costCenter": "CC-108"}}),
            ],
        );
        write(
            d,
            "user_groups",
            &[
                json!({"id": "g1", "name": "Engineering", "effective_user_ids": ["u1", "u3"], "direct_user_ids": ["u1"]}),
                json!({"id": "g2", "name": "Empty", "effective_user_ids": []}),
            ],
        );
        write(
            d,
            "applications",
            &[
                json!({"id": "a1", "display_name": "Slack", "name": "slack", "sso_type": "saml", "user_group_ids": ["g1"], "user_ids": [], "logo_file": "logos/a1.png", "logo_url": "http://127.0.0.1:9/logos/slack.png"}),
                json!({"id": "a2", "display_name": "Wiki", "user_group_ids": [], "user_ids": []}),
            ],
        );
        write(
            d,
            "devices",
            &[
                json!({"id": "d1", "hostname": "old-laptop", "last_contact": "2020-01-01T00:00:00Z", "primary_user_id": "u1"}),
            ],
        );
        write(
            d,
            "policy_results",
            &[json!({"policy_id": "p1", "device_id": "d1", "state": "success"})],
        );
        std::fs::create_dir_all(d.join(LOGOS_DIR)).expect("logos dir");
        std::fs::write(d.join("logos/a1.png"), b"\x89PNG\r\n\x1a\n").expect("logo");
        let collection = Collection::open(d).expect("a folder with records opens");
        (dir, collection)
    }
}

#[cfg(test)]
mod tests {
    use super::fixture::org;
    use super::*;

    #[test]
    fn a_folder_without_records_is_not_a_collection() {
        let dir = tempfile::tempdir().expect("temp dir");
        assert!(matches!(
            Collection::open(dir.path()),
            Err(BrowseError::NotACollection(_))
        ));
    }

    #[test]
    fn details_hold_every_field_and_the_logo() {
        let (_dir, collection) = org();
        let ada = collection.detail(Category::Users, "u3").expect("detail");
        assert_eq!(ada.label, "Ada Lovelace");
        let field = |label: &str| {
            ada.fields
                .iter()
                .find(|(l, _)| l == label)
                .map(|(_, v)| v.as_str())
        };
        assert_eq!(field("Manager"), Some("Grace Hopper"), "labels are words");
        assert_eq!(
            field("State"),
            Some("Not activated yet"),
            "as the Preview says it"
        );
        assert!(
            field("Created").is_some_and(|v| v.starts_with("8 Oct 2019 (")),
            "a date and an age, not an ISO timestamp: {:?}",
            field("Created")
        );
        assert_eq!(
            ada.attributes,
            [("costCenter".to_owned(), "CC-108".to_owned())],
            "custom attributes are name/value rows, not JSON"
        );
        assert!(
            !ada.fields
                .iter()
                .any(|(l, _)| l.contains("attributes") || l.contains('_')),
            "no JSON object and no field name in snake_case: {:?}",
            ada.fields
        );
        let slack = collection
            .detail(Category::Applications, "a1")
            .expect("detail");
        assert!(
            !slack.fields.iter().any(|(_, v)| v.contains("http")),
            "the logo's internal address is never shown: {:?}",
            slack.fields
        );
        assert!(slack
            .fields
            .contains(&("Sign-in type".to_owned(), "SAML".to_owned())));
        assert!(
            slack
                .image
                .is_some_and(|i| i.starts_with("data:image/png;base64,")),
            "the fetched logo is handed over as data"
        );
        assert!(matches!(
            collection.detail(Category::Users, "nobody"),
            Err(BrowseError::NoSuchRecord { .. })
        ));
    }

    #[test]
    fn the_export_copies_the_snapshot_csvs_and_logos_into_a_new_folder() {
        let (dir, collection) = org();
        std::fs::write(dir.path().join(SNAPSHOT_FILE), "{}").expect("snapshot");
        std::fs::write(dir.path().join("users.csv"), "id\n").expect("csv");
        let downloads = tempfile::tempdir().expect("downloads");
        let first = collection.export_to(downloads.path()).expect("export");
        let second = collection.export_to(downloads.path()).expect("export");
        assert_ne!(first, second, "each export gets its own folder");
        assert!(first.join(SNAPSHOT_FILE).is_file());
        assert!(first.join("users.csv").is_file());
        assert!(first.join("logos/a1.png").is_file());
        assert!(
            !first.join(RECORDS_DIR).exists(),
            "the working records stay behind"
        );
    }
}
