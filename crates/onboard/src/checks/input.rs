//! key.shape and org.shape: local checks, nothing is sent.

use jc_api::{
    ApiKey, ClientCredentials, ClientId, ClientSecret, Credential, KeyForm, KeyShapeError, OrgId,
    OrgIdError, PartShapeError, KEY_LEN, KEY_PREFIX,
};

use super::Outcome;

const WHERE_CLIENT_CREDENTIALS_ARE: &str = "In the JumpCloud console open Settings, Service Accounts and choose the \
     account: its client ID is listed there. The secret is shown only once, when it is made; if it was not kept, add \
     a new secret to the account and paste that one.";

/// key.shape for either path: an API key alone, or a client ID with its secret.
pub(super) fn credential_shape(
    client_id: Option<&str>,
    pasted: &str,
) -> (Outcome, Option<Credential>) {
    match client_id {
        None => {
            let (outcome, key) = key_shape(pasted);
            (outcome, key.map(Credential::from))
        }
        Some(id) => {
            let (outcome, credentials) = client_credentials_shape(id, pasted);
            (outcome, credentials.map(Credential::from))
        }
    }
}

pub(super) fn client_credentials_shape(
    id: &str,
    secret: &str,
) -> (Outcome, Option<ClientCredentials>) {
    let id = ClientId::parse(id);
    let secret = ClientSecret::parse(secret);
    let mut problems = Vec::new();
    if let Err(error) = &id {
        problems.push(part_problem("client ID", error));
    }
    if let Err(error) = &secret {
        problems.push(part_problem("client secret", error));
    }
    match (id, secret) {
        (Ok(id), Ok(secret)) => (
            Outcome::pass(
                "The client ID and secret have the right shape: a service account's client ID and secret.",
            ),
            Some(ClientCredentials { id, secret }),
        ),
        _ => (
            Outcome::fail(problems.join(" "), WHERE_CLIENT_CREDENTIALS_ARE),
            None,
        ),
    }
}

fn part_problem(what: &str, error: &PartShapeError) -> String {
    match error {
        PartShapeError::Empty => format!("No {what} was entered."),
        PartShapeError::InnerWhitespace => format!(
            "The {what} has spaces or line breaks inside it, so it was probably copied with extra text."
        ),
        PartShapeError::BadCharacters => format!(
            "The {what} contains characters that never appear in one, so it was probably copied with extra text."
        ),
        PartShapeError::TooLong { len } => format!(
            "The pasted {what} is {len} characters long, far longer than a JumpCloud {what}."
        ),
    }
}

const WHERE_THE_KEY_IS: &str = "In the JumpCloud console, click the circle with your initials (top right), choose \
     \"My API Key\" and copy the whole key. Do not click \"Generate New API Key\" unless you mean to: it stops the \
     old key from working.";

pub(super) fn key_shape(pasted: &str) -> (Outcome, Option<ApiKey>) {
    match ApiKey::parse(pasted) {
        Ok(key) => {
            let message = match key.form() {
                KeyForm::AdminLegacy => format!(
                    "The key has the right length: an administrator's API key of the older style (newer ones \
                     start with \"{KEY_PREFIX}\"), which still works."
                ),
                KeyForm::Admin => "The key has the right shape: an administrator's API key.".to_owned(),
                KeyForm::ServiceAccount => {
                    "The key has the right shape: a service account's API key.".to_owned()
                }
            };
            (Outcome::pass(message), Some(key))
        }
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
        KeyShapeError::ServiceAccountKeyTooShort { len } => format!(
            "The key starts like a service account's key but is only {len} characters long: part of it is missing."
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
