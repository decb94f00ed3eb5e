//! Fetching an image (an application logo) with limits: size, type, time. Never sends the key:
//! logos live on other hosts (S3), and JumpCloud's logo route is anonymous.

use std::time::Duration;

use crate::Client;

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
    #[error("the image server answered HTTP {0}")]
    Status(u16),
    #[error("the image is larger than {LOGO_MAX_BYTES} bytes")]
    TooLarge,
    #[error("the file is not a PNG, JPEG, GIF or SVG image")]
    NotAnImage,
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
                url.scheme()
            )));
        }
        tokio::time::timeout(LOGO_TIMEOUT, self.download(url))
            .await
            .map_err(|_| ImageError::Timeout)?
    }

    async fn download(&self, url: url::Url) -> Result<Image, ImageError> {
        let mut response = self
            .bare_http()
            .get(url)
            .header(reqwest::header::ACCEPT, "image/*")
            .send()
            .await
            .map_err(|e| ImageError::Transport(e.without_url().to_string()))?;
        if !response.status().is_success() {
            return Err(ImageError::Status(response.status().as_u16()));
        }
        if response
            .content_length()
            .is_some_and(|n| n > LOGO_MAX_BYTES as u64)
        {
            return Err(ImageError::TooLarge);
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = response
            .chunk()
            .await
            .map_err(|e| ImageError::Transport(e.without_url().to_string()))?
        {
            if bytes.len() + chunk.len() > LOGO_MAX_BYTES {
                return Err(ImageError::TooLarge);
            }
            bytes.extend_from_slice(&chunk);
        }
        let content_type = sniff(&bytes).ok_or(ImageError::NotAnImage)?;
        Ok(Image {
            content_type,
            bytes,
        })
    }
}

/// The type is read from the bytes, not trusted from the header.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        (head.contains("<svg")).then_some("image/svg+xml")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_are_recognised_by_their_bytes() {
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\nrest"), Some("image/png"));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("image/jpeg"));
        assert_eq!(sniff(b"GIF89a..."), Some("image/gif"));
        assert_eq!(
            sniff(b"<?xml version=\"1.0\"?><svg xmlns=\"\"></svg>"),
            Some("image/svg+xml")
        );
        assert_eq!(
            sniff(b"<html><body>not found</body></html>"),
            None,
            "an HTML error page is not a logo"
        );
    }
}
