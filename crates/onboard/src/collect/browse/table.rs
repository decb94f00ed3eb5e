//! A category as a table: its columns in words, one row per record, searched over the shown
//! cells and sorted (counts as numbers, the rest as text, ignoring case).

use std::collections::HashMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::{id_of, label_of, strings, text, BrowseError, Collection, Record};
use crate::category::Category;
use crate::collect::logos::logo_data_url;
use crate::display;

/// The most rows one page holds.
pub const MAX_PAGE: u32 = 200;
/// The most logo data one page carries (as `data:` URLs); rows past it show no logo in the table
/// (their detail still does), so an org of large logos cannot make a page megabytes long.
const PAGE_IMAGE_BUDGET: usize = 2 * 1024 * 1024;

/// One column as shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Column {
    /// The record field; what [`SortSpec::column`] names.
    pub key: String,
    pub label: String,
    /// Counts: aligned and sorted as numbers.
    pub numeric: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct SortSpec {
    /// A [`Column::key`].
    pub column: String,
    pub descending: bool,
}

/// One page of a category's rows, after search and sort.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct RowPage {
    pub total_matching: u64,
    pub columns: Vec<Column>,
    /// The record id of each row, for the detail panel.
    pub ids: Vec<String>,
    pub rows: Vec<Vec<String>>,
    /// Each row's logo as a `data:` URL (applications only; empty for other categories).
    pub images: Vec<Option<String>>,
}

/// How a field becomes a cell.
#[derive(Debug, Clone, Copy)]
enum Shown {
    Text,
    /// A list of ids, shown as how many.
    Count,
    /// An id of a record in another category, shown as that record's name.
    Name(Category),
}

struct Def {
    key: &'static str,
    label: &'static str,
    shown: Shown,
}

const fn t(key: &'static str, label: &'static str) -> Def {
    Def {
        key,
        label,
        shown: Shown::Text,
    }
}

const fn count(key: &'static str, label: &'static str) -> Def {
    Def {
        key,
        label,
        shown: Shown::Count,
    }
}

const fn name(key: &'static str, label: &'static str, of: Category) -> Def {
    Def {
        key,
        label,
        shown: Shown::Name(of),
    }
}

const ID: Def = t("id", "ID");

fn columns_of(category: Category) -> &'static [Def] {
    match category {
        Category::Organizations => {
            const COLUMNS: &[Def] = &[t("name", "Name"), t("created", "Created"), ID];
            COLUMNS
        }
        Category::Users => {
            const COLUMNS: &[Def] = &[
                t("username", "Username"),
                t("display_name", "Name"),
                t("email", "Email"),
                t("state", "State"),
                t("suspended", "Suspended"),
                t("locked", "Locked"),
                t("mfa_configured", "MFA"),
                t("department", "Department"),
                t("job_title", "Job title"),
                t("manager_name", "Manager"),
                ID,
            ];
            COLUMNS
        }
        Category::UserGroups => {
            const COLUMNS: &[Def] = &[
                t("name", "Name"),
                t("description", "Description"),
                t("membership_method", "Membership"),
                count("effective_user_ids", "Members"),
                count("direct_group_ids", "Nested groups"),
                ID,
            ];
            COLUMNS
        }
        Category::Admins => {
            const COLUMNS: &[Def] = &[
                t("email", "Email"),
                t("first_name", "First name"),
                t("last_name", "Last name"),
                t("role", "Role"),
                t("mfa_enabled", "MFA"),
                t("suspended", "Suspended"),
                ID,
            ];
            COLUMNS
        }
        Category::Applications => {
            const COLUMNS: &[Def] = &[
                t("display_name", "Name"),
                t("name", "Template"),
                t("sso_type", "SSO"),
                t("active", "Active"),
                count("user_group_ids", "Groups"),
                count("user_ids", "Users bound directly"),
                ID,
            ];
            COLUMNS
        }
        Category::Devices => {
            const COLUMNS: &[Def] = &[
                t("hostname", "Hostname"),
                t("display_name", "Name"),
                t("os", "OS"),
                t("os_version", "Version"),
                t("active", "Active"),
                t("last_contact", "Last seen"),
                t("disk_encrypted", "Disk encrypted"),
                name("primary_user_id", "Primary user", Category::Users),
                ID,
            ];
            COLUMNS
        }
        Category::DeviceGroups => {
            const COLUMNS: &[Def] = &[
                t("name", "Name"),
                t("description", "Description"),
                t("membership_method", "Membership"),
                count("device_ids", "Devices"),
                ID,
            ];
            COLUMNS
        }
        Category::Policies => {
            const COLUMNS: &[Def] = &[
                t("name", "Name"),
                t("template", "Template"),
                t("os_family", "OS"),
                ID,
            ];
            COLUMNS
        }
        Category::PolicyResults => {
            const COLUMNS: &[Def] = &[
                name("policy_id", "Policy", Category::Policies),
                name("device_id", "Device", Category::Devices),
                t("state", "State"),
                t("success", "Succeeded"),
                t("ended_at", "Ended"),
            ];
            COLUMNS
        }
        Category::LdapServers | Category::RadiusServers => {
            const COLUMNS: &[Def] = &[
                t("name", "Name"),
                t("network_source_ip", "Source IP"),
                t("mfa", "MFA"),
                count("user_group_ids", "Groups"),
                count("user_ids", "Users bound directly"),
                ID,
            ];
            COLUMNS
        }
    }
}

/// A row: the record id, its cells, and (applications) its logo file.
pub(crate) struct Row {
    pub(crate) id: String,
    cells: Vec<String>,
    /// The values as collected, for sorting: dates and states sort by what they are, not by
    /// their words.
    sort_by: Vec<String>,
    logo_file: Option<String>,
}

#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SortKey {
    Number(u64),
    Text(String),
}

/// A category's rows, searched (`needle` is already lowercased) and sorted.
pub(super) fn rows(
    collection: &Collection,
    category: Category,
    needle: Option<&str>,
    sort: Option<&SortSpec>,
) -> Result<Vec<Row>, BrowseError> {
    let defs = columns_of(category);
    let mut names: HashMap<Category, HashMap<String, String>> = HashMap::new();
    for def in defs {
        if let Shown::Name(of) = def.shown {
            if let std::collections::hash_map::Entry::Vacant(slot) = names.entry(of) {
                let records = collection.records(of)?;
                slot.insert(
                    records
                        .iter()
                        .map(|r| (id_of(of, r), label_of(of, r)))
                        .collect(),
                );
            }
        }
    }
    let clock = collection.clock;
    let cell = |record: &Record, def: &Def| -> String {
        let value = record.get(def.key);
        match def.shown {
            Shown::Text => value.map_or_else(String::new, |v| {
                display::field_value(category, def.key, v, clock)
            }),
            Shown::Count => strings(value).len().to_string(),
            Shown::Name(of) => {
                let id = text(value);
                names
                    .get(&of)
                    .and_then(|index| index.get(&id))
                    .cloned()
                    .unwrap_or(id)
            }
        }
    };
    let mut rows: Vec<Row> = collection
        .records(category)?
        .into_iter()
        .map(|record| Row {
            id: id_of(category, &record),
            cells: defs.iter().map(|def| cell(&record, def)).collect(),
            sort_by: defs
                .iter()
                .map(|def| match def.shown {
                    Shown::Text => text(record.get(def.key)),
                    Shown::Count | Shown::Name(_) => cell(&record, def),
                })
                .collect(),
            logo_file: record
                .get("logo_file")
                .and_then(|v| v.as_str())
                .map(str::to_owned),
        })
        .filter(|row| needle.is_none_or(|n| row.cells.iter().any(|c| c.to_lowercase().contains(n))))
        .collect();
    if let Some(sort) = sort {
        if let Some(index) = defs.iter().position(|d| d.key == sort.column) {
            let numeric = matches!(defs[index].shown, Shown::Count);
            rows.sort_by_cached_key(|row| {
                let cell = &row.sort_by[index];
                match cell.parse::<u64>() {
                    Ok(n) if numeric => SortKey::Number(n),
                    _ => SortKey::Text(cell.to_lowercase()),
                }
            });
            if sort.descending {
                rows.reverse();
            }
        }
    }
    Ok(rows)
}

pub(super) fn slice(
    dir: &Path,
    category: Category,
    all: &[Row],
    offset: u64,
    limit: u32,
) -> RowPage {
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let shown: Vec<&Row> = all
        .iter()
        .skip(start)
        .take(limit.min(MAX_PAGE) as usize)
        .collect();
    let images = if category == Category::Applications {
        let mut budget = PAGE_IMAGE_BUDGET;
        shown
            .iter()
            .map(|row| {
                let url = row
                    .logo_file
                    .as_deref()
                    .and_then(|file| logo_data_url(dir, file))?;
                budget = budget.checked_sub(url.len())?;
                Some(url)
            })
            .collect()
    } else {
        Vec::new()
    };
    RowPage {
        total_matching: all.len() as u64,
        columns: columns_of(category)
            .iter()
            .map(|def| Column {
                key: def.key.to_owned(),
                label: def.label.to_owned(),
                numeric: matches!(def.shown, Shown::Count),
            })
            .collect(),
        ids: shown.iter().map(|row| row.id.clone()).collect(),
        rows: shown.iter().map(|row| row.cells.clone()).collect(),
        images,
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixture::{org, write};
    use super::super::RowQuery;
    use super::*;
    use serde_json::{json, Value};

    fn sorted(column: &str, descending: bool) -> RowQuery {
        RowQuery {
            search: None,
            sort: Some(SortSpec {
                column: column.into(),
                descending,
            }),
        }
    }

    /// A category's record type, as its fields are written to disk.
    fn record_fields(category: Category) -> Vec<String> {
        use crate::collect::records::*;
        let record = match category {
            Category::Organizations => serde_json::to_value(OrganizationRecord::default()),
            Category::Users => serde_json::to_value(UserRecord::default()),
            Category::UserGroups => serde_json::to_value(UserGroupRecord::default()),
            Category::Admins => serde_json::to_value(AdminRecord::default()),
            Category::Applications => serde_json::to_value(ApplicationRecord::default()),
            Category::Devices => serde_json::to_value(DeviceRecord::default()),
            Category::DeviceGroups => serde_json::to_value(DeviceGroupRecord::default()),
            Category::Policies => serde_json::to_value(PolicyRecord::default()),
            Category::PolicyResults => serde_json::to_value(PolicyResultRecord::default()),
            Category::LdapServers | Category::RadiusServers => {
                serde_json::to_value(DirectoryServerRecord::default())
            }
        };
        match record.expect("a record serializes") {
            Value::Object(fields) => fields.keys().cloned().collect(),
            other => panic!("{category} records are objects, not {other}"),
        }
    }

    #[test]
    fn every_column_is_a_field_of_its_record_type() {
        for category in Category::ALL {
            let fields = record_fields(category);
            for def in columns_of(category) {
                assert!(
                    fields.iter().any(|f| f == def.key),
                    "the {category} column {:?} names no field of the record type ({fields:?}): \
                     a renamed field would leave the column empty",
                    def.key
                );
                let counted = matches!(def.shown, Shown::Count);
                if counted {
                    assert!(
                        def.key.ends_with("_ids"),
                        "a counted {category} column lists ids: {:?}",
                        def.key
                    );
                }
            }
        }
    }

    #[test]
    fn pages_are_searched_sorted_and_capped() {
        let (_dir, c) = org();
        let all = c
            .page(Category::Users, &RowQuery::default(), 0, 10)
            .expect("page");
        assert_eq!(all.total_matching, 3);
        assert_eq!(all.columns[0].label, "Username");
        assert_eq!(
            all.ids,
            ["u1", "u2", "u3"],
            "records keep the server's order"
        );
        let found = c
            .page(Category::Users, &RowQuery::search(" LOVELACE "), 0, 10)
            .expect("page");
        assert_eq!(found.total_matching, 1, "search ignores case and spaces");
        assert_eq!(found.rows[0][0], "ada");
        let second = c
            .page(Category::Users, &sorted("username", true), 1, 1)
            .expect("page");
        assert_eq!(second.total_matching, 3);
        assert_eq!(second.ids, ["u2"], "grace, alan, ada: the second is alan");
        let capped = c
            .page(Category::Users, &RowQuery::default(), 0, 100_000)
            .expect("page");
        assert!(capped.rows.len() <= MAX_PAGE as usize);
        assert_eq!(
            c.row_index(Category::Users, &sorted("username", false), "u2")
                .expect("index"),
            Some(1),
            "ada, alan, grace: alan is second"
        );
    }

    #[test]
    fn member_lists_show_as_counts_and_sort_as_numbers() {
        let dir = tempfile::tempdir().expect("temp dir");
        let members = |n: usize| -> Vec<String> { (0..n).map(|i| format!("u{i}")).collect() };
        write(
            dir.path(),
            "user_groups",
            &[
                json!({"id": "g9", "name": "Nine", "effective_user_ids": members(9)}),
                json!({"id": "g10", "name": "Ten", "effective_user_ids": members(10)}),
                json!({"id": "g0", "name": "None", "effective_user_ids": []}),
            ],
        );
        let c = Collection::open(dir.path()).expect("open");
        let page = c
            .page(
                Category::UserGroups,
                &sorted("effective_user_ids", true),
                0,
                10,
            )
            .expect("page");
        let members_at = page
            .columns
            .iter()
            .position(|col| col.key == "effective_user_ids")
            .expect("a members column");
        assert!(page.columns[members_at].numeric);
        let counts: Vec<&str> = page.rows.iter().map(|r| r[members_at].as_str()).collect();
        assert_eq!(
            counts,
            ["10", "9", "0"],
            "counts, not ids; 10 sorts above 9 as a number, not as text"
        );
    }

    #[test]
    fn ids_of_other_records_show_as_their_names() {
        let (_dir, c) = org();
        let devices = c
            .page(Category::Devices, &RowQuery::default(), 0, 10)
            .expect("page");
        let user_at = devices
            .columns
            .iter()
            .position(|col| col.key == "primary_user_id")
            .expect("a primary user column");
        assert_eq!(devices.rows[0][user_at], "Grace Hopper");
        let by_owner = c
            .page(Category::Devices, &RowQuery::search("grace"), 0, 10)
            .expect("page");
        assert_eq!(by_owner.total_matching, 1, "search sees the shown name");
        let results = c
            .page(Category::PolicyResults, &RowQuery::default(), 0, 10)
            .expect("page");
        assert_eq!(
            results.rows[0][0], "p1",
            "a policy not collected keeps its id"
        );
        assert_eq!(results.rows[0][1], "old-laptop");
    }

    #[test]
    fn application_rows_carry_their_logos() {
        let (_dir, c) = org();
        let apps = c
            .page(Category::Applications, &RowQuery::default(), 0, 10)
            .expect("page");
        assert_eq!(apps.images.len(), 2, "one image slot per row");
        assert!(apps.images[0]
            .as_deref()
            .is_some_and(|i| i.starts_with("data:image/png")));
        assert_eq!(apps.images[1], None, "Wiki has no logo");
        let users = c
            .page(Category::Users, &RowQuery::default(), 0, 10)
            .expect("page");
        assert!(users.images.is_empty());
    }

    #[test]
    fn a_page_carries_at_most_two_megabytes_of_logos() {
        let dir = tempfile::tempdir().expect("temp dir");
        let apps: Vec<Value> = (0..20)
            .map(|i| json!({"id": format!("a{i}"), "display_name": format!("App {i}"), "logo_file": format!("logos/a{i}.png")}))
            .collect();
        write(dir.path(), "applications", &apps);
        std::fs::create_dir_all(dir.path().join("logos")).expect("logos dir");
        let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
        big.resize(200 * 1024, 0);
        for i in 0..20 {
            std::fs::write(dir.path().join(format!("logos/a{i}.png")), &big).expect("logo");
        }
        let c = Collection::open(dir.path()).expect("open");
        let page = c
            .page(Category::Applications, &RowQuery::default(), 0, 20)
            .expect("page");
        let carried: usize = page.images.iter().flatten().map(String::len).sum();
        let shown = page.images.iter().flatten().count();
        assert!(carried <= 2 * 1024 * 1024, "{carried} bytes of logos");
        assert!(
            (7..20).contains(&shown),
            "the first logos fit (200 KB each, about 273 KB as base64), the rest wait for the detail: {shown}"
        );
        assert!(
            c.detail(Category::Applications, "a19")
                .expect("detail")
                .image
                .is_some(),
            "a logo left out of the table is still in the detail"
        );
    }

    #[test]
    fn a_hundred_thousand_rows_page_without_sending_them_all() {
        let dir = tempfile::tempdir().expect("temp dir");
        let users: Vec<Value> = (0..100_000)
            .map(|i| json!({"id": format!("u{i}"), "username": format!("user{i}"), "email": format!("user{i}@acme.example")}))
            .collect();
        write(dir.path(), "users", &users);
        let c = Collection::open(dir.path()).expect("open");
        let found = c
            .page(Category::Users, &RowQuery::search("user99"), 100, 500)
            .expect("page");
        assert_eq!(
            found.total_matching, 1111,
            "user99, user990..user999, user9900..user99999"
        );
        assert_eq!(found.rows.len(), 200, "a page is capped at 200 rows");
    }
}
