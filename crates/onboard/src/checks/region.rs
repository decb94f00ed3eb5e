//! key.accepted: the key works, and in which region. The only check that tries more than once:
//! JumpCloud answers 401 for another region's key, so each region is asked in turn (as ADMU does).

use jc_api::endpoints::ListOrganizations;
use jc_api::{AuthKind, BaseUrl, Client, Error, Region};

use super::network::Reachable;
use super::Outcome;
use crate::connection::Target;
use crate::report::{CheckState, Evidence};

pub(super) struct Accepted {
    pub client: Client,
    pub region: Option<Region>,
}

pub(super) async fn key_accepted(
    client: &Client,
    target: &Target,
    reachable: &Reachable,
) -> (Outcome, Option<Accepted>) {
    let mut evidence = Vec::new();
    let mut unknown_key = None;
    let mut transport = None;

    let chosen: Vec<_> = target
        .candidates()
        .into_iter()
        .filter(|c| reachable.contains(c))
        .collect();
    for (region, base) in chosen {
        match ask(client, &base, region, &mut evidence).await {
            Ok(accepted) => {
                let where_ = match (region, target) {
                    (Some(r), Target::Auto(_)) if r != Region::Us => format!(
                        "Your organization is in JumpCloud's {} data center (found automatically).",
                        r.label()
                    ),
                    (Some(r), _) => format!(
                        "Your organization is in JumpCloud's {} data center.",
                        r.label()
                    ),
                    (None, _) => format!("Connected through {base}."),
                };
                let accepted_words = match client.auth_kind() {
                    AuthKind::ClientCredentials => {
                        "JumpCloud accepted the client ID and secret and issued a token."
                    }
                    _ => "JumpCloud accepted the key.",
                };
                let mut outcome = Outcome::pass(format!("{accepted_words} {where_}"));
                outcome.detail = evidence;
                return (outcome, Some(accepted));
            }
            Err(error @ (Error::UnknownKey { .. } | Error::InvalidClient { .. })) => {
                unknown_key.get_or_insert(error);
            }
            Err(error) if error.is_transport() => {
                transport.get_or_insert((error, region));
            }
            Err(error) => {
                let mut outcome = Outcome::from_error(
                    CheckState::Fail,
                    &error,
                    "the organization list",
                    region,
                    client,
                    "/api/organizations",
                );
                outcome.detail = evidence;
                return (outcome, None);
            }
        }
    }

    // The chosen region refused the key: is it another region's key?
    if let (Some(_), Target::Region(asked, _)) = (&unknown_key, target) {
        for (region, base) in target.fallbacks() {
            if ask(client, &base, region, &mut evidence).await.is_ok() {
                let wrong = Error::WrongRegion {
                    asked: *asked,
                    accepted_in: region.unwrap_or(*asked),
                };
                let explained = crate::explain(&wrong, "", region);
                let mut outcome = Outcome::fail(explained.message, explained.fix);
                outcome.detail = evidence;
                return (outcome, None);
            }
        }
    }

    let everywhere = match target {
        Target::Auto(_) => " in any of its data centers (US, EU, India)",
        _ => "",
    };
    let mut outcome = match (unknown_key, transport) {
        (Some(Error::InvalidClient { detail }), _) if says_expired(&detail) => Outcome::fail(
            "JumpCloud says this client secret has expired, so it no longer accepts it.",
            super::service_account::rotation_fix(jc_api::AuthKind::ClientCredentials, None),
        ),
        (Some(Error::InvalidClient { .. }), _) => Outcome::fail(
            format!(
                "JumpCloud did not accept this client ID and secret{everywhere}. One of them may be mistyped, or \
                 the secret has expired or was deleted."
            ),
            crate::explain::secret_fix(None),
        ),
        (Some(_), _) => {
            Outcome::fail(
                format!(
                    "JumpCloud did not recognise this API key{everywhere}. It may be mistyped, revoked (a new key was \
                     generated), expired, or API access may be off for its administrator."
                ),
                crate::explain::key_fix(None),
            )
        }
        (None, Some((error, region))) => {
            let explained = crate::explain(&error, "the organization list", region);
            Outcome::fail(explained.message, explained.fix)
        }
        (None, None) => Outcome::fail(
            "No JumpCloud data center could be reached to check the key.",
            "Check the internet connection and proxy settings, then try again.",
        ),
    };
    outcome.detail = evidence;
    (outcome, None)
}

/// Whether the token host's words name an expired secret.
fn says_expired(detail: &jc_api::ResponseDetail) -> bool {
    let words = format!(
        "{} {}",
        detail.message.as_deref().unwrap_or_default(),
        detail.body.as_deref().unwrap_or_default()
    );
    words.to_ascii_lowercase().contains("expired")
}

/// `GET /api/organizations?limit=1` in one region, without `x-org-id`: the cheapest proof a key works.
async fn ask(
    client: &Client,
    base: &BaseUrl,
    region: Option<Region>,
    evidence: &mut Vec<Evidence>,
) -> Result<Accepted, Error> {
    let probe = client.with_base(base.clone(), region);
    match probe.page(&ListOrganizations, 0, 1).await {
        Ok(page) => {
            evidence.push(Evidence::ok(&page.detail));
            Ok(Accepted {
                client: probe,
                region,
            })
        }
        Err(error) => {
            evidence.push(Evidence::failed(&error, &base.host(), "/api/organizations"));
            Err(error)
        }
    }
}
