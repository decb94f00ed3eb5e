//! Timestamps as JumpCloud writes them: ISO-8601 UTC with milliseconds.

use time::macros::format_description;
use time::OffsetDateTime;

pub const SECOND_MS: i64 = 1000;
pub const HOUR_MS: i64 = 3600 * SECOND_MS;
pub const DAY_MS: i64 = 24 * HOUR_MS;

/// `2021-02-12T17:45:42.369Z`
pub fn iso_ms(unix_ms: i64) -> String {
    let nanos = i128::from(unix_ms) * 1_000_000;
    let at = OffsetDateTime::from_unix_timestamp_nanos(nanos).unwrap_or(OffsetDateTime::UNIX_EPOCH);
    at.format(format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    ))
    .unwrap_or_default()
}

/// The start of the current UTC day, in unix seconds.
pub fn start_of_today() -> i64 {
    let now = OffsetDateTime::now_utc().unix_timestamp();
    now - now.rem_euclid(86_400)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_jumpcloud() {
        assert_eq!(iso_ms(1_613_151_942_369), "2021-02-12T17:45:42.369Z");
    }
}
