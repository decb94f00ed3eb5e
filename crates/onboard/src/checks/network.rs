//! network.reach: DNS, TCP, TLS and any proxy get us an HTTP answer from the host, key unsent.

use futures::future::join_all;
use jc_api::{BaseUrl, Client, Region};

use super::Outcome;
use crate::connection::Target;
use crate::report::Evidence;

pub(super) type Reachable = Vec<(Option<Region>, BaseUrl)>;

pub(super) async fn reach(client: &Client, target: &Target) -> (Outcome, Option<Reachable>) {
    let candidates = target.candidates();
    let answers = join_all(candidates.iter().map(|(region, base)| {
        let probe = client.with_base(base.clone(), *region);
        async move { probe.reach().await }
    }))
    .await;

    let mut reachable = Vec::new();
    let mut evidence = Vec::new();
    let mut first_failure = None;
    for ((region, base), answer) in candidates.iter().zip(answers) {
        match answer {
            Ok(detail) => {
                evidence.push(Evidence::ok(&detail));
                reachable.push((*region, base.clone()));
            }
            Err(error) => {
                evidence.push(Evidence::failed(&error, &base.host(), "/"));
                first_failure.get_or_insert((error, *region, base.host()));
            }
        }
    }
    let names = |list: &[(Option<Region>, BaseUrl)]| {
        list.iter()
            .map(|(r, b)| r.map(|r| r.label().to_owned()).unwrap_or_else(|| b.host()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut outcome = match first_failure {
        None => Outcome::pass(format!("Reached JumpCloud ({}).", names(&reachable))),
        Some((error, region, host)) => {
            let explained = crate::explain(&error, &host, region);
            if reachable.is_empty() {
                Outcome::fail(explained.message, explained.fix)
            } else {
                let missing: Vec<_> = candidates
                    .iter()
                    .filter(|c| !reachable.contains(c))
                    .cloned()
                    .collect();
                Outcome::warn(
                    format!(
                        "Reached JumpCloud ({}), but not {}: {}",
                        names(&reachable),
                        names(&missing),
                        explained.message
                    ),
                    format!(
                        "Only matters if your organization is there. {}",
                        explained.fix
                    ),
                )
            }
        }
    };
    outcome.detail = evidence;
    (outcome, Some(reachable))
}
