//! The export: `snapshot.json` (one JSON document: the org, per-category status and counts,
//! warnings and every record) and one CSV per category. Both are built by streaming the
//! category files, so neither needs the records in memory. Records never hold secrets: the
//! record types have no field for one.

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize};

use super::categories::records_path;
use super::records::*;
use super::summary::{CollectSummary, DataQualityWarning};
use crate::category::Category;

pub const SNAPSHOT_FILE: &str = "snapshot.json";
/// The first field of `snapshot.json`: which tool wrote it, in which format.
pub const SNAPSHOT_SCHEMA: &str = "jc-onboard.snapshot/1";
pub const WARNINGS_FILE: &str = "warnings";

/// The file names an export writes into its directory.
pub fn csv_name(category: Category) -> String {
    format!("{}.csv", category.as_str())
}

/// Writes `snapshot.json` and the CSVs into `out` from the category files in `work`.
pub(crate) fn write_export(
    out: &Path,
    work: &Path,
    summary: &CollectSummary,
    categories: &[Category],
) -> io::Result<()> {
    write_snapshot(out, work, summary, categories)?;
    for category in categories {
        write_csv(
            &records_path(work, *category),
            &out.join(csv_name(*category)),
            &columns_of(*category)?,
        )?;
    }
    write_csv(
        &warnings_path(work),
        &out.join(format!("{WARNINGS_FILE}.csv")),
        &columns::<DataQualityWarning>()?,
    )
}

pub(crate) fn warnings_path(work: &Path) -> PathBuf {
    work.join(format!("{WARNINGS_FILE}.jsonl"))
}

#[derive(Serialize)]
struct CategoryEntry<'a> {
    status: &'a str,
    collected: u64,
    total: Option<u64>,
    reason: Option<&'a str>,
    notes: &'a [String],
}

fn write_snapshot(
    out: &Path,
    work: &Path,
    summary: &CollectSummary,
    categories: &[Category],
) -> io::Result<()> {
    let path = out.join(SNAPSHOT_FILE);
    let mut w = BufWriter::new(crate::files::create_private(&path)?);
    let field = |w: &mut BufWriter<File>, name: &str, value: &dyn erased::Json| -> io::Result<()> {
        write!(w, "{}:", serde_json::to_string(name)?)?;
        value.write_to(w)?;
        w.write_all(b",\n")
    };
    w.write_all(b"{\n")?;
    field(&mut w, "schema", &SNAPSHOT_SCHEMA)?;
    let org = serde_json::json!({"id": summary.org_id, "name": summary.org_name});
    field(&mut w, "org", &org)?;
    field(&mut w, "region", &summary.region)?;
    field(&mut w, "collected_at", &summary.collected_at)?;
    field(&mut w, "app_version", &summary.app_version)?;
    field(&mut w, "cancelled", &summary.cancelled)?;
    let entries: serde_json::Map<String, serde_json::Value> = summary
        .categories
        .iter()
        .map(|c| {
            let entry = CategoryEntry {
                status: c.status.as_str(),
                collected: c.collected,
                total: c.total,
                reason: c.reason.as_deref(),
                notes: &c.notes,
            };
            serde_json::to_value(entry).map(|v| (c.category.as_str().to_owned(), v))
        })
        .collect::<Result<_, _>>()?;
    field(&mut w, "categories", &entries)?;
    w.write_all(b"\"warnings\":")?;
    copy_as_array(&warnings_path(work), &mut w)?;
    w.write_all(b",\n\"records\":{")?;
    for (i, category) in categories.iter().enumerate() {
        if i > 0 {
            w.write_all(b",")?;
        }
        write!(w, "\n{}:", serde_json::to_string(category.as_str())?)?;
        copy_as_array(&records_path(work, *category), &mut w)?;
    }
    w.write_all(b"\n}\n}\n")?;
    w.flush()
}

/// The lines of a JSON Lines file as one JSON array (each line is already one JSON value).
fn copy_as_array(jsonl: &Path, w: &mut impl Write) -> io::Result<()> {
    w.write_all(b"[")?;
    if let Ok(file) = File::open(jsonl) {
        let mut first = true;
        for line in BufReader::new(file).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            if !first {
                w.write_all(b",")?;
            }
            first = false;
            w.write_all(b"\n")?;
            w.write_all(line.as_bytes())?;
        }
    }
    w.write_all(b"]")
}

/// Anything serde can write, behind a trait object for the snapshot's header fields.
mod erased {
    use std::io::{self, Write};

    pub trait Json {
        fn write_to(&self, w: &mut dyn Write) -> io::Result<()>;
    }

    impl<T: serde::Serialize> Json for T {
        fn write_to(&self, w: &mut dyn Write) -> io::Result<()> {
            serde_json::to_writer(w, self).map_err(io::Error::from)
        }
    }
}

/// A category's CSV columns: its record type's fields, in declaration order.
fn columns_of(category: Category) -> io::Result<Vec<String>> {
    match category {
        Category::Organizations => columns::<OrganizationRecord>(),
        Category::Users => columns::<UserRecord>(),
        Category::UserGroups => columns::<UserGroupRecord>(),
        Category::Admins => columns::<AdminRecord>(),
        Category::Applications => columns::<ApplicationRecord>(),
        Category::Devices => columns::<DeviceRecord>(),
        Category::DeviceGroups => columns::<DeviceGroupRecord>(),
        Category::Policies => columns::<PolicyRecord>(),
        Category::PolicyResults => columns::<PolicyResultRecord>(),
        Category::LdapServers | Category::RadiusServers => columns::<DirectoryServerRecord>(),
    }
}

fn columns<T: Serialize + Default>() -> io::Result<Vec<String>> {
    let text = serde_json::to_string(&T::default())?;
    let keys: KeysInOrder = serde_json::from_str(&text)?;
    Ok(keys.0)
}

/// The keys of a JSON object in the order they appear.
struct KeysInOrder(Vec<String>);

impl<'de> Deserialize<'de> for KeysInOrder {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Keys;
        impl<'de> Visitor<'de> for Keys {
            type Value = KeysInOrder;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<KeysInOrder, M::Error> {
                let mut keys = Vec::new();
                while let Some(key) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    keys.push(key);
                }
                Ok(KeysInOrder(keys))
            }
        }
        d.deserialize_map(Keys)
    }
}

fn write_csv(jsonl: &Path, csv: &Path, columns: &[String]) -> io::Result<()> {
    let mut w = BufWriter::new(crate::files::create_private(csv)?);
    write_row(&mut w, columns.iter().map(String::as_str))?;
    if let Ok(file) = File::open(jsonl) {
        for line in BufReader::new(file).lines() {
            let line = line?;
            if line.trim().is_empty() {
                continue;
            }
            let record: serde_json::Value = serde_json::from_str(&line)?;
            let cells: Vec<String> = columns
                .iter()
                .map(|c| cell(record.get(c).unwrap_or(&serde_json::Value::Null)))
                .collect();
            write_row(&mut w, cells.iter().map(String::as_str))?;
        }
    }
    w.flush()
}

/// One CSV cell: lists joined with `;`, maps as JSON, nothing for null.
fn cell(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(cell).collect::<Vec<_>>().join(";"),
        Value::Object(map) if map.is_empty() => String::new(),
        other => other.to_string(),
    }
}

/// RFC 4180: quote a field holding a comma, quote or line break; double inner quotes. A field
/// that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`, or a tab or carriage return
/// before one) gets a leading apostrophe.
fn write_row<'a>(w: &mut impl Write, cells: impl Iterator<Item = &'a str>) -> io::Result<()> {
    let mut line = String::new();
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            line.push(',');
        }
        let guarded;
        let cell =
            if cell.starts_with(['=', '+', '-', '@', '\t', '\r']) && cell.parse::<f64>().is_err() {
                guarded = format!("'{cell}");
                guarded.as_str()
            } else {
                cell
            };
        if cell.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&cell.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(cell);
        }
    }
    line.push_str("\r\n");
    w.write_all(line.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_follow_the_record_type() {
        let cols = columns::<OrganizationRecord>().expect("a record serializes to an object");
        assert_eq!(cols, ["id", "name", "created", "logo_url"]);
    }

    #[test]
    fn cells_are_quoted_when_needed_and_formulas_defused() {
        let mut out = Vec::new();
        write_row(
            &mut out,
            [
                "a,b",
                "say \"hi\"",
                "=SUM(A1)",
                "-5",
                "plain",
                "\t=1+2",
                "\r@x",
            ]
            .into_iter(),
        )
        .expect("writing to memory");
        assert_eq!(
            String::from_utf8_lossy(&out),
            "\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),-5,plain,'\t=1+2,\"'\r@x\"\r\n",
            "a leading tab or carriage return is defused like = + - @"
        );
    }
}
