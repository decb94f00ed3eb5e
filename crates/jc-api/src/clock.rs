//! The server's clock, read from the `Date` header of an unauthenticated request to the host
//! root: a wrong local clock breaks TLS and makes support timelines disagree.

use std::time::{Duration, Instant, SystemTime};

use crate::{Client, Error};

/// What one host said the time was, and when we asked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ServerClock {
    /// The `Date` header, when the server sent a readable one.
    pub server: Option<SystemTime>,
    /// The local time halfway through the request, to compare `server` with.
    pub local: SystemTime,
    pub latency: Duration,
}

impl ServerClock {
    /// Server minus local time in whole seconds (positive: the local clock is behind).
    /// `Date` has one-second resolution, so a difference of a second or two is noise.
    pub fn skew_secs(&self) -> Option<i64> {
        let server = self.server?;
        Some(match server.duration_since(self.local) {
            Ok(ahead) => i64::try_from(ahead.as_secs()).unwrap_or(i64::MAX),
            Err(behind) => -i64::try_from(behind.duration().as_secs()).unwrap_or(i64::MAX),
        })
    }
}

impl Client {
    /// `GET /` on the host root without the key, keeping only the `Date` header. Not logged in
    /// the request log: it is a probe of this computer's clock, not a JumpCloud call.
    pub async fn server_clock(&self) -> Result<ServerClock, Error> {
        let started_at = SystemTime::now();
        let started = Instant::now();
        let response = self
            .http_for(self.base().url())?
            .get(self.base().url().as_str())
            .send()
            .await
            .map_err(|e| self.transport_error(&e, "/"))?;
        let latency = started.elapsed();
        let server = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| httpdate::parse_http_date(v).ok());
        Ok(ServerClock {
            server,
            local: started_at + latency / 2,
            latency,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_is_signed() {
        let local = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let ahead = ServerClock {
            server: Some(local + Duration::from_secs(400)),
            local,
            latency: Duration::ZERO,
        };
        assert_eq!(ahead.skew_secs(), Some(400), "server ahead: positive skew");
        let behind = ServerClock {
            server: Some(local - Duration::from_secs(90)),
            ..ahead
        };
        assert_eq!(
            behind.skew_secs(),
            Some(-90),
            "server behind: negative skew"
        );
        let unknown = ServerClock {
            server: None,
            ..ahead
        };
        assert_eq!(unknown.skew_secs(), None, "no Date header: no skew");
    }
}
