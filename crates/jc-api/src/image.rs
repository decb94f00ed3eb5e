//! Fetching an image (an application logo) with limits: size, type, time, and where from.
//! Never sends the key: logos live on other hosts (S3), and JumpCloud's logo route is anonymous.
//!
//! Logos are fetched only from public addresses (checked on the addresses the connection uses,
//! after name resolution), never through a proxy and never following a redirect. The one
//! exception is the simulator: when the API itself is on loopback, logos from that same host
//! and port are allowed. An SVG must be a plain picture: no script, event handler, embedded
//! HTML or reference to anything outside itself.

use std::net::IpAddr;
use std::time::Duration;

use quick_xml::events::{BytesStart, Event};
use url::Url;

use crate::client::{causes, is_loopback, is_public, NotPublic};
use crate::{sanitize, Client};

pub const LOGO_MAX_BYTES: usize = 256 * 1024;
pub const LOGO_TIMEOUT: Duration = Duration::from_secs(5);

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageError {
    #[error("the image address is not usable: {0}")]
    BadUrl(String),
    #[error("the image is on a private or local address ({0}), which is never fetched")]
    NotPublic(String),
    #[error("the image server answered HTTP {0}")]
    Status(u16),
    #[error("the image address redirects elsewhere ({0}), which is not followed")]
    Redirected(u16),
    #[error("the image is larger than {LOGO_MAX_BYTES} bytes")]
    TooLarge,
    #[error("the file is not a PNG, JPEG, GIF or SVG image")]
    NotAnImage,
    #[error("the SVG image was dropped because it {0}")]
    UnsafeSvg(String),
    #[error("the image did not arrive in time")]
    Timeout,
    #[error("the image could not be fetched: {0}")]
    Transport(String),
}

impl Client {
    /// GETs an image at an absolute URL, or one relative to this client's host root.
    pub async fn fetch_image(&self, url: &str) -> Result<Image, ImageError> {
        let url = self
            .base()
            .url()
            .join(url)
            .map_err(|e| ImageError::BadUrl(e.to_string()))?;
        if !matches!(url.scheme(), "https" | "http") {
            return Err(ImageError::BadUrl(format!(
                "{} links are not fetched",
                sanitize::for_display(url.scheme())
            )));
        }
        let http = if self.is_simulator_origin(&url) {
            self.http_for(&url)
        } else {
            refuse_private_literal(&url)?;
            self.public_http()
        }
        .map_err(|e| ImageError::Transport(e.to_string()))?;
        tokio::time::timeout(LOGO_TIMEOUT, download(http, url))
            .await
            .map_err(|_| ImageError::Timeout)?
    }

    /// The simulator serves its own logos: same scheme, host and port as an API on loopback.
    fn is_simulator_origin(&self, url: &Url) -> bool {
        let base = self.base().url();
        is_loopback(base) && url.origin() == base.origin()
    }
}

/// Names are checked after resolution; an address written into the URL is checked here.
fn refuse_private_literal(url: &Url) -> Result<(), ImageError> {
    let ip: Option<IpAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => Some(ip.into()),
        Some(url::Host::Ipv6(ip)) => Some(ip.into()),
        _ => None,
    };
    match ip {
        Some(ip) if !is_public(ip) => Err(ImageError::NotPublic(ip.to_string())),
        _ if is_loopback(url) => Err(ImageError::NotPublic(
            url.host_str().unwrap_or_default().to_owned(),
        )),
        _ => Ok(()),
    }
}

async fn download(http: &reqwest::Client, url: Url) -> Result<Image, ImageError> {
    let mut response = http
        .get(url)
        .header(reqwest::header::ACCEPT, "image/*")
        .send()
        .await
        .map_err(transport)?;
    let status = response.status();
    if status.is_redirection() {
        return Err(ImageError::Redirected(status.as_u16()));
    }
    if !status.is_success() {
        return Err(ImageError::Status(status.as_u16()));
    }
    let read = crate::client::read_capped(&mut response, LOGO_MAX_BYTES)
        .await
        .map_err(transport)?;
    if read.over {
        return Err(ImageError::TooLarge);
    }
    let content_type = sniff(&read.bytes)?;
    Ok(Image {
        content_type,
        bytes: read.bytes,
    })
}

fn transport(error: reqwest::Error) -> ImageError {
    if let Some(refused) = causes(&error).find_map(|c| c.downcast_ref::<NotPublic>()) {
        return ImageError::NotPublic(sanitize::for_display(&refused.host));
    }
    // Without the URL, which can carry a query string.
    ImageError::Transport(sanitize::for_display(&error.without_url().to_string()))
}

/// The type is read from the bytes, not trusted from the header; an SVG must also pass
/// [`check_svg`].
fn sniff(bytes: &[u8]) -> Result<&'static str, ImageError> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Ok("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Ok("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Ok("image/gif")
    } else {
        check_svg(bytes).map(|()| "image/svg+xml")
    }
}

/// Elements that run code, embed documents or pull in media.
const FORBIDDEN_ELEMENTS: [&str; 9] = [
    "script",
    "foreignobject",
    "iframe",
    "embed",
    "object",
    "audio",
    "video",
    "handler",
    "listener",
];

/// An SVG that is only a picture: well-formed XML whose root is `<svg>`, with no script or
/// embedded document, no `on*` handler, no link or style reference outside itself (only `#id`
/// and `data:image/...`), no DTD with an internal subset and no stylesheet instruction.
pub fn check_svg(bytes: &[u8]) -> Result<(), ImageError> {
    let mut reader = quick_xml::Reader::from_reader(bytes);
    let mut depth = 0usize;
    let mut root_seen = false;
    let mut in_style = false;
    loop {
        let event = reader.read_event().map_err(|_| ImageError::NotAnImage)?;
        match event {
            Event::Start(_) | Event::Empty(_) if depth == 0 && root_seen => {
                return Err(ImageError::NotAnImage);
            }
            Event::Start(element) => {
                check_element(&element, depth == 0)?;
                root_seen = true;
                in_style = local_name(&element) == "style";
                depth += 1;
            }
            Event::Empty(element) => {
                check_element(&element, depth == 0)?;
                root_seen = true;
            }
            Event::End(_) => {
                depth = depth.checked_sub(1).ok_or(ImageError::NotAnImage)?;
                in_style = false;
            }
            Event::Text(text) if depth == 0 && !text.trim().is_empty() => {
                return Err(ImageError::NotAnImage);
            }
            Event::Text(text) if in_style => check_style(&text)?,
            Event::CData(data) if in_style => check_style(&data)?,
            Event::CData(_) | Event::GeneralRef(_) if depth == 0 => {
                return Err(ImageError::NotAnImage)
            }
            Event::DocType(doctype) if doctype.contains('[') => {
                return Err(unsafe_svg("declares its own entities"))
            }
            Event::PI(_) => return Err(unsafe_svg("asks for a stylesheet or other processing")),
            Event::Eof => break,
            _ => {}
        }
    }
    if root_seen && depth == 0 {
        Ok(())
    } else {
        Err(ImageError::NotAnImage)
    }
}

fn unsafe_svg(why: &str) -> ImageError {
    ImageError::UnsafeSvg(why.to_owned())
}

fn local_name(element: &BytesStart<'_>) -> String {
    element.local_name().as_ref().to_ascii_lowercase()
}

fn check_element(element: &BytesStart<'_>, is_root: bool) -> Result<(), ImageError> {
    let name = local_name(element);
    if is_root && name != "svg" {
        return Err(ImageError::NotAnImage);
    }
    if FORBIDDEN_ELEMENTS.contains(&name.as_str()) {
        return Err(unsafe_svg(&format!("contains a <{name}> element")));
    }
    for attribute in element.attributes() {
        let attribute = attribute.map_err(|_| ImageError::NotAnImage)?;
        let key = attribute.key.local_name().as_ref().to_ascii_lowercase();
        let value = attribute
            .normalized_value(quick_xml::XmlVersion::Implicit1_0)
            .map_err(|_| ImageError::NotAnImage)?;
        if key.starts_with("on") {
            return Err(unsafe_svg("has an event handler (on... attribute)"));
        }
        if key == "href" && !is_internal_reference(&value) {
            return Err(unsafe_svg("links to something outside itself"));
        }
        // SMIL can rewrite a link or add a handler after the picture loads.
        if key == "attributename" {
            let target = value.trim().to_ascii_lowercase();
            if target.ends_with("href") || target.starts_with("on") {
                return Err(unsafe_svg("animates a link or an event handler"));
            }
        }
        check_style(&value)?;
    }
    Ok(())
}

/// `#id` within the picture, or an image embedded as data.
fn is_internal_reference(value: &str) -> bool {
    let value = value.trim_matches(|c: char| c.is_ascii_whitespace());
    value.starts_with('#') || value.to_ascii_lowercase().starts_with("data:image/")
}

/// CSS in a `style` attribute or element: no `@import`, and `url(...)` only for internal
/// references.
fn check_style(css: &str) -> Result<(), ImageError> {
    let lower = css.to_ascii_lowercase();
    if lower.contains("@import") {
        return Err(unsafe_svg("imports a stylesheet"));
    }
    let mut rest = lower.as_str();
    while let Some(at) = rest.find("url(") {
        rest = &rest[at + 4..];
        let target = rest.trim_start().trim_start_matches(['"', '\'']);
        if !is_internal_reference(target) {
            return Err(unsafe_svg(
                "refers to something outside itself in its styles",
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Ok("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Ok("image/jpeg"));
        assert_eq!(sniff(b"GIF89a..."), Ok("image/gif"));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"1\"/></svg>"),
            Ok("image/svg+xml")
        );
        assert_eq!(
            sniff(b"<html><body>not found</body></html>"),
            Err(ImageError::NotAnImage),
            "an HTML error page is not a logo"
        );
        assert_eq!(
            sniff(b"<html><svg><script>alert(1)</script></svg></html>"),
            Err(ImageError::NotAnImage),
            "an HTML page holding an SVG is not an SVG"
        );
    }

    #[test]
    fn plain_svgs_pass() {
        for svg in [
            r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><rect fill="url(#g)" width="1" height="1"/></svg>"##,
            r##"<?xml version="1.0"?><!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd"><svg xmlns="http://www.w3.org/2000/svg"><!-- logo --><defs><linearGradient id="g"/></defs><use href="#g"/><image href="data:image/png;base64,iVBORw0KGgo="/></svg>"##,
            r#"<svg xmlns="http://www.w3.org/2000/svg"><style>.a { fill: #123 }</style><text>Acme &amp; Co</text></svg>"#,
        ] {
            assert_eq!(check_svg(svg.as_bytes()), Ok(()), "{svg}");
        }
    }

    #[test]
    fn active_or_linking_svgs_are_dropped() {
        for svg in [
            r#"<svg><script>alert(1)</script></svg>"#,
            r#"<svg xmlns:x="http://www.w3.org/2000/svg"><x:script>alert(1)</x:script></svg>"#,
            r#"<svg onload="alert(1)"/>"#,
            r#"<svg><rect ONCLICK="x()"/></svg>"#,
            r#"<svg><foreignObject><div/></foreignObject></svg>"#,
            r#"<svg><a href="javascript:alert(1)"><rect/></a></svg>"#,
            r#"<svg xmlns:xlink="http://www.w3.org/1999/xlink"><image xlink:href="https://tracker.example/p.png"/></svg>"#,
            r#"<svg><image href="  JavaScript:alert(1)"/></svg>"#,
            r#"<svg><rect style="fill: url(https://x.example/a)"/></svg>"#,
            r#"<svg><style>@import url(https://x.example/a.css);</style></svg>"#,
            r#"<svg><set attributeName="href" to="javascript:alert(1)"/></svg>"#,
            r#"<?xml-stylesheet href="https://x.example/a.css"?><svg/>"#,
            r#"<!DOCTYPE svg [<!ENTITY x "boom">]><svg>&x;</svg>"#,
        ] {
            assert!(
                matches!(check_svg(svg.as_bytes()), Err(ImageError::UnsafeSvg(_))),
                "{svg} must be dropped as unsafe: {:?}",
                check_svg(svg.as_bytes())
            );
        }
        for broken in ["<svg>", "<svg></g>", "<svg/><svg/>", "not xml", ""] {
            assert_eq!(
                check_svg(broken.as_bytes()),
                Err(ImageError::NotAnImage),
                "{broken:?} is not a picture"
            );
        }
    }
}
