//! Platform profiles and the hand-over: the guides' fields in the guides' order, every value
//! found from a demo connection tested over loopback, the key never in what is shown or copied.

mod handover;
mod profiles;

use jc_sim::{Scenario, SimConfig};
use onboard::checks::Checked;
use onboard::demo::Demo;
use onboard::preview::{self, PreviewData, UserSample};
use onboard::CheckOptions;

/// A demo organization, tested, with what the preview read from it.
pub struct Tested {
    pub demo: Demo,
    pub checked: Checked,
    pub preview: PreviewData,
    pub users: UserSample,
}

pub async fn tested(config: SimConfig) -> Tested {
    let demo = Demo::start_with(config)
        .await
        .expect("the demo org starts on loopback");
    let checked =
        onboard::check_connection(&demo.input(None), &CheckOptions::default(), |_| {}).await;
    let client = checked
        .client
        .clone()
        .expect("the demo org passes its checks and hands over a client");
    let preview = preview::first_rows(&client, client.region()).await;
    let users = preview::user_sample(&client)
        .await
        .expect("the demo org's users can be read");
    Tested {
        demo,
        checked,
        preview,
        users,
    }
}

pub async fn tested_scenario(scenario: Scenario) -> Tested {
    tested(SimConfig::scenario(scenario)).await
}
