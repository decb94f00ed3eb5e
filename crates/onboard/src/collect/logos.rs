//! Application logos, fetched by Rust within the image limits (256 KB, PNG/JPEG/GIF/SVG sniffed
//! from the bytes, 5 s) and written next to the export as files. A logo that cannot be fetched
//! leaves its application without one and is counted in a note; it never fails the category.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use base64::Engine;
use jc_api::{Client, LOGO_MAX_BYTES};

use super::cancel::CancelToken;

/// The folder of an export holding one file per application logo.
pub const LOGOS_DIR: &str = "logos";

const EXTENSIONS: [(&str, &str); 4] = [
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
];

/// Fetches the logos of one collection into `<out>/logos/`.
pub(crate) struct LogoFetcher<'a> {
    client: &'a Client,
    cancel: &'a CancelToken,
    dir: PathBuf,
    failures: Mutex<Failures>,
}

#[derive(Default)]
struct Failures {
    count: u64,
    first: Option<String>,
}

impl<'a> LogoFetcher<'a> {
    /// Logos go into `dir`, the collection's own (empty) work folder for them.
    pub(crate) fn new(
        client: &'a Client,
        cancel: &'a CancelToken,
        dir: PathBuf,
    ) -> LogoFetcher<'a> {
        LogoFetcher {
            client,
            cancel,
            dir,
            failures: Mutex::new(Failures::default()),
        }
    }

    /// The logo's path relative to the export (`logos/<id>.png`), or `None` when there is no
    /// logo, it could not be fetched, or the collection was cancelled.
    pub(crate) async fn fetch(&self, app_id: &str, url: Option<&str>) -> Option<String> {
        let url = url.filter(|u| !u.trim().is_empty())?;
        if self.cancel.is_cancelled() {
            return None;
        }
        let Some(stem) = safe_stem(app_id) else {
            self.failed(format!("application id {app_id:?} cannot name a file"));
            return None;
        };
        let image = tokio::select! {
            image = self.client.fetch_image(url) => image,
            () = self.cancel.cancelled() => return None,
        };
        let image = match image {
            Ok(image) => image,
            Err(error) => {
                self.failed(error.to_string());
                return None;
            }
        };
        let ext = EXTENSIONS
            .iter()
            .find(|(_, mime)| *mime == image.content_type)
            .map(|(ext, _)| *ext)?;
        let name = format!("{stem}.{ext}");
        let written = crate::files::write_private(&self.dir.join(&name), &image.bytes);
        match written {
            Ok(()) => Some(format!("{LOGOS_DIR}/{name}")),
            Err(error) => {
                self.failed(format!("it could not be saved ({error})"));
                None
            }
        }
    }

    fn failed(&self, why: String) {
        tracing::info!(%why, "application logo not kept");
        let mut failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        failures.count += 1;
        failures.first.get_or_insert(why);
    }

    /// A note for the applications category when some logos could not be fetched.
    pub(crate) fn note(&self) -> Option<String> {
        let failures = self.failures.lock().unwrap_or_else(PoisonError::into_inner);
        let why = failures.first.as_deref()?;
        Some(match failures.count {
            1 => format!("1 logo could not be fetched ({why}); that application is shown without one"),
            n => format!("{n} logos could not be fetched (the first: {why}); those applications are shown without one"),
        })
    }
}

/// Only ids made of letters, digits, `-` and `_` become file names, so a hostile id can never
/// point outside the logos folder.
fn safe_stem(id: &str) -> Option<&str> {
    let ok = !id.is_empty()
        && id.len() <= 64
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    ok.then_some(id)
}

/// A logo file of a collection (`logos/<id>.<ext>`, as recorded in `logo_file`) as a `data:` URL
/// for the UI. Anything else, a missing file or one over the size cap reads as no logo.
pub fn logo_data_url(collection: &Path, logo_file: &str) -> Option<String> {
    let name = logo_file.strip_prefix(LOGOS_DIR)?.strip_prefix('/')?;
    let mime = logo_mime(name)?;
    let path = collection.join(LOGOS_DIR).join(name);
    let size = std::fs::metadata(&path).ok()?.len();
    if size > LOGO_MAX_BYTES as u64 {
        return None;
    }
    let bytes = std::fs::read(&path).ok()?;
    Some(data_url(mime, &bytes))
}

/// Whether a file name inside the logos folder is one a collection writes (`<id>.<ext>`).
pub(crate) fn is_logo_file(name: &str) -> bool {
    logo_mime(name).is_some()
}

fn logo_mime(name: &str) -> Option<&'static str> {
    let (stem, ext) = name.rsplit_once('.')?;
    safe_stem(stem)?;
    EXTENSIONS
        .iter()
        .find(|(e, _)| *e == ext)
        .map(|(_, mime)| *mime)
}

/// An image as a `data:` URL, the only way the webview receives one.
pub(crate) fn data_url(mime: &str, bytes: &[u8]) -> String {
    format!(
        "data:{mime};base64,{}",
        base64::engine::general_purpose::STANDARD.encode(bytes)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_ids_name_files() {
        assert_eq!(
            safe_stem("5f1e2d3c4b5a69788796a5b4"),
            Some("5f1e2d3c4b5a69788796a5b4")
        );
        assert_eq!(safe_stem("../../etc/passwd"), None);
        assert_eq!(safe_stem("a/b"), None);
        assert_eq!(safe_stem(""), None);
    }

    #[test]
    fn logo_files_read_back_as_data_urls_and_nothing_else_does() {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join(LOGOS_DIR)).expect("logos dir");
        std::fs::write(dir.path().join("logos/a1.png"), b"\x89PNG\r\n\x1a\n").expect("logo");
        std::fs::write(dir.path().join("secret.png"), b"\x89PNG\r\n\x1a\n").expect("other");
        assert_eq!(
            logo_data_url(dir.path(), "logos/a1.png").as_deref(),
            Some("data:image/png;base64,iVBORw0KGgo=")
        );
        assert_eq!(logo_data_url(dir.path(), "logos/../secret.png"), None);
        assert_eq!(logo_data_url(dir.path(), "secret.png"), None);
        assert_eq!(logo_data_url(dir.path(), "logos/a1.exe"), None);
        assert_eq!(logo_data_url(dir.path(), "logos/missing.png"), None);
    }
}
