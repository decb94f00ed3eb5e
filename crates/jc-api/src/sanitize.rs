//! Text from a server (or from a file someone sent) made safe to show a person: anything shaped
//! like a JumpCloud credential is removed, and control characters that a terminal would act on
//! (escape sequences that clear the screen or set the window title, bidirectional overrides that
//! reorder what is shown) are dropped. The one place every such text goes through.

use std::borrow::Cow;
use std::sync::LazyLock;

use regex::Regex;

/// What a removed credential is replaced by.
pub const REDACTED_CREDENTIAL: &str = "[redacted key]";

#[allow(clippy::expect_used)] // Constant patterns, covered by the tests below.
fn pattern(source: &str) -> Regex {
    Regex::new(source).expect("a constant pattern compiles")
}

/// Every credential shape JumpCloud uses, in one alternation:
/// - admin keys: `jca_` and 36 more characters;
/// - service-account keys: `jcs_` and at least 12 more (their length is not documented; the
///   8-character prefix JumpCloud itself shows, e.g. `jcs_BWx3`, is not a secret);
/// - legacy admin keys: 40 letters and digits standing alone;
/// - a bearer token after `Bearer`, and whatever follows an `x-api-key` label.
static CREDENTIAL: LazyLock<Regex> = LazyLock::new(|| {
    pattern(
        r"(?x)
        jca_[A-Za-z0-9_\-]{36}
        | jcs_[A-Za-z0-9_\-]{12,}
        | \b[A-Za-z0-9]{40}\b
        | (?i:\bbearer)\s+[A-Za-z0-9_\-.~+/]{8,}=*
        | (?i:\bx-api-key)\s*[:=]\s*\x22?[^\s\x22,;\[]{8,}
        ",
    )
});

/// Removes every credential-shaped piece of `text`.
pub fn redact_credentials(text: &str) -> Cow<'_, str> {
    CREDENTIAL.replace_all(text, REDACTED_CREDENTIAL)
}

/// Removes `secret` wherever it appears verbatim (a key of any shape), then every
/// credential-shaped piece.
pub fn redact(text: &str, secret: Option<&str>) -> String {
    let text = match secret.map(str::trim).filter(|s| s.len() >= 8) {
        Some(secret) if text.contains(secret) => text.replace(secret, REDACTED_CREDENTIAL),
        _ => text.to_owned(),
    };
    redact_credentials(&text).into_owned()
}

/// Bidirectional controls: they make a terminal or a web page show text in another order than
/// it is stored (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069).
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// Line and paragraph breaks of every kind, shown as a space.
fn is_break(c: char) -> bool {
    matches!(
        c,
        '\t' | '\n' | '\r' | '\u{0B}' | '\u{0C}' | '\u{85}' | '\u{2028}' | '\u{2029}'
    )
}

/// Drops control characters and escape sequences: C0 (breaks become spaces), DEL, C1, whole
/// `ESC [ ... final` (CSI), `ESC ] ... BEL/ST` (OSC), `ESC P/X/^/_ ... ST` strings and two-byte
/// escapes, and bidirectional overrides. Everything else is kept as it is.
pub fn strip_controls(text: &str) -> Cow<'_, str> {
    let clean = |c: char| !c.is_control() && !is_bidi_control(c) && !is_break(c);
    if text.chars().all(clean) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => skip_escape(&mut chars),
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars),
            c if is_break(c) => out.push(' '),
            c if c.is_control() || is_bidi_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

type Chars<'a> = std::iter::Peekable<std::str::Chars<'a>>;

/// After ESC: a CSI, a string (OSC, DCS, SOS, PM, APC), or one more character.
fn skip_escape(chars: &mut Chars<'_>) {
    match chars.peek() {
        Some('[') => {
            chars.next();
            skip_csi(chars);
        }
        Some(']' | 'P' | 'X' | '^' | '_') => {
            chars.next();
            skip_string(chars);
        }
        Some(c) if (' '..='~').contains(c) => {
            chars.next();
        }
        _ => {}
    }
}

/// Parameters and intermediates, then one final byte.
fn skip_csi(chars: &mut Chars<'_>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            return;
        }
        if !(' '..='?').contains(&c) {
            return;
        }
    }
}

/// Up to BEL, ST (`ESC \` or U+009C), or the end of the text.
fn skip_string(chars: &mut Chars<'_>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{07}' | '\u{9c}' => return,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                return;
            }
            _ => {}
        }
    }
}

/// Text to show a person: credentials removed and control characters dropped.
pub fn for_display(text: &str) -> String {
    strip_controls(&redact_credentials(text)).into_owned()
}

/// A server's words (an error message, the start of a page, a header) as one clean line: the
/// key in use and every credential shape removed, control characters dropped, runs of
/// whitespace collapsed.
pub fn server_text(text: &str, key: Option<&str>) -> String {
    let stripped = strip_controls(text).into_owned();
    let redacted = redact(&stripped, key);
    redacted.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "jca_CANARYcanary0123456789CANARYcanary01";

    #[test]
    fn every_credential_shape_is_removed() {
        let legacy = "0123456789abcdef0123456789abcdef01234567";
        let service = "jcs_BWx3aaaaBBBBccccDDDD";
        for (text, secret) in [
            (format!("key {KEY} again"), KEY),
            (format!("legacy {legacy}."), legacy),
            (format!("sa={service}"), service),
            (
                "Authorization: Bearer eyJhbGciOi.J9x_y-z".to_owned(),
                "eyJhbGciOi",
            ),
            (
                "x-api-key: oddly-shaped-secret".to_owned(),
                "oddly-shaped-secret",
            ),
        ] {
            let out = for_display(&text);
            assert!(!out.contains(secret), "{secret} must be removed: {out}");
            assert!(out.contains(REDACTED_CREDENTIAL), "{out}");
        }
        assert_eq!(
            for_display("prefix jcs_BWx3 shown by JumpCloud"),
            "prefix jcs_BWx3 shown by JumpCloud",
            "the 8-character prefix JumpCloud lists is not a secret"
        );
        assert_eq!(
            for_display("org 5d2f7024f0e1526be4df38e7"),
            "org 5d2f7024f0e1526be4df38e7",
            "24-hex object ids are not keys"
        );
    }

    #[test]
    fn redacting_twice_changes_nothing_more() {
        let once = redact(
            &format!("x-api-key: {KEY} and x-api-key: other-secret-1"),
            Some(KEY),
        );
        assert_eq!(
            once,
            format!("x-api-key: {REDACTED_CREDENTIAL} and {REDACTED_CREDENTIAL}"),
            "a labelled value of any shape goes with its label"
        );
        assert_eq!(redact(&once, Some(KEY)), once);
    }

    #[test]
    fn a_secret_of_any_shape_is_removed_verbatim() {
        let odd = "not-a-usual-shape-123";
        assert_eq!(
            redact(&format!("echo {odd}!"), Some(odd)),
            format!("echo {REDACTED_CREDENTIAL}!")
        );
    }

    #[test]
    fn terminal_controls_are_dropped() {
        let hostile = "a\u{1b}[2J\u{1b}[1;1HALL CHECKS PASSED\u{1b}]0;pwned\u{07}b\u{1b}]2;t\u{1b}\\c\u{9b}31md\u{202e}e\u{0}f\u{7f}g\u{1b}7h";
        let out = strip_controls(hostile);
        assert_eq!(out, "aALL CHECKS PASSEDbcdefgh");
        assert!(!out.chars().any(|c| c.is_control()), "{out:?}");
        assert_eq!(strip_controls("tab\there\nline"), "tab here line");
        assert!(
            matches!(strip_controls("plain text, é ü"), Cow::Borrowed(_)),
            "clean text is not copied"
        );
    }

    #[test]
    fn server_text_is_one_clean_line_without_the_key() {
        let out = server_text(
            &format!("  bad\n\n key:\u{1b}[31m {KEY}\u{1b}[0m  "),
            Some(KEY),
        );
        assert_eq!(out, format!("bad key: {REDACTED_CREDENTIAL}"));
    }
}
