//! key.shape and org.shape: local checks, nothing is sent.

use jc_api::{ApiKey, KeyShapeError, OrgId, OrgIdError, KEY_LEN, KEY_PREFIX};

use super::Outcome;

const WHERE_THE_KEY_IS: &str = "In the JumpCloud console, click the circle with your initials (top right), choose \
     \"My API Key\" and copy the whole key. Do not click \"Generate New API Key\" unless you mean to: it stops the \
     old key from working.";

pub(super) fn key_shape(pasted: &str) -> (Outcome, Option<ApiKey>) {
    match ApiKey::parse(pasted) {
        Ok(key) if key.is_legacy() => (
            Outcome::pass(format!(
                "The key has the right length. It is an older-style key (newer ones start with \"{KEY_PREFIX}\"), which still works."
            )),
            Some(key),
        ),
        Ok(key) => (Outcome::pass("The key has the right shape."), Some(key)),
        Err(error) => (Outcome::fail(key_problem(&error), WHERE_THE_KEY_IS), None),
    }
}

fn key_problem(error: &KeyShapeError) -> String {
    match error {
        KeyShapeError::Empty => "No API key was entered.".to_owned(),
        KeyShapeError::InnerWhitespace => {
            "The key has spaces or line breaks inside it, so it was probably copied with extra text.".to_owned()
        }
        KeyShapeError::BadCharacters => {
            "The key contains characters that never appear in JumpCloud keys, so it was probably copied with extra text."
                .to_owned()
        }
        KeyShapeError::WrongLength { len, has_prefix: true } if *len < KEY_LEN => format!(
            "The key is {len} characters long but JumpCloud keys are {KEY_LEN}: part of it is missing."
        ),
        KeyShapeError::WrongLength { len, .. } => format!(
            "The key is {len} characters long but JumpCloud keys are {KEY_LEN}, so this is not a whole JumpCloud API key."
        ),
        KeyShapeError::TooLong { len } => {
            format!("The pasted text is {len} characters long, far longer than a JumpCloud API key ({KEY_LEN}).")
        }
    }
}

pub(super) fn org_shape(given: Option<&str>) -> (Outcome, Option<Option<OrgId>>) {
    let Some(raw) = given.filter(|s| !s.trim().is_empty()) else {
        return (
            Outcome::pass("No organization ID was given; it will be found from the key."),
            Some(None),
        );
    };
    match OrgId::parse(raw) {
        Ok(id) => (
            Outcome::pass(format!("The organization ID {id} has the right shape.")),
            Some(Some(id)),
        ),
        Err(error) => {
            let problem = match error {
                OrgIdError::WrongLength { len } => {
                    format!("The organization ID is {len} characters long; JumpCloud organization IDs are 24.")
                }
                OrgIdError::NotHex => {
                    "The organization ID may only contain the digits 0-9 and the letters a-f."
                        .to_owned()
                }
            };
            (
                Outcome::fail(
                    problem,
                    "In the JumpCloud console open Settings, Organization Profile, General, click the eye icon next to \
                     the Organization ID and copy it. Or leave it empty: single-organization keys don't need it.",
                ),
                None,
            )
        }
    }
}
