use jc_sim::Scenario;
use onboard::{CheckState, PastedKey};

use super::*;

/// Bad input is caught locally: a clear message, and not one request sent.
#[tokio::test]
async fn bad_input_is_refused_before_any_request() {
    let demo = demo(Scenario::Healthy).await;
    let good = demo.sim().api_key().to_owned();
    let cases: Vec<(&str, String, Option<&str>, &str, &str)> = vec![
        (
            "empty key",
            String::new(),
            None,
            "key.shape",
            "No API key was entered",
        ),
        (
            "only whitespace",
            " \n\t ".into(),
            None,
            "key.shape",
            "No API key was entered",
        ),
        (
            "a 10 kB paste",
            "x".repeat(10_240),
            None,
            "key.shape",
            "10240 characters long",
        ),
        (
            "non-ASCII",
            format!("{}é", &good[..39]),
            None,
            "key.shape",
            "characters that never appear",
        ),
        (
            "too short",
            good[..30].to_owned(),
            None,
            "key.shape",
            "part of it is missing",
        ),
        (
            "too long",
            format!("{good}abc"),
            None,
            "key.shape",
            "43 characters long",
        ),
        (
            "space inside",
            format!("{} {}", &good[..20], &good[20..]),
            None,
            "key.shape",
            "spaces or line breaks",
        ),
        (
            "malformed org id",
            good.clone(),
            Some("not-an-org"),
            "org.shape",
            "10 characters long",
        ),
        (
            "non-hex org id",
            good.clone(),
            Some("zzzzzzzzzzzzzzzzzzzzzzzz"),
            "org.shape",
            "0-9 and the letters a-f",
        ),
    ];
    for (name, key, org, failing, words) in cases {
        demo.sim().clear_requests();
        let mut input = demo.input(org.map(str::to_owned));
        input.key = PastedKey::new(key);
        let report = run(&input).await;
        let c = check(&report, failing);
        assert_eq!(c.state, CheckState::Fail, "{name}: {failing} fails");
        assert!(
            c.message.contains(words),
            "{name}: message should say {words:?}: {}",
            c.message
        );
        assert!(c.fix.is_some(), "{name}: a fix is offered");
        assert!(
            report.input_rejected(),
            "{name}: reported as an input problem (CLI exit 2)"
        );
        assert!(
            demo.sim().requests().is_empty(),
            "{name}: no request may be sent: {:?}",
            demo.sim().requests()
        );
        assert!(
            report
                .checks
                .iter()
                .skip(2)
                .all(|c| c.state == CheckState::Skipped),
            "{name}: everything after the input checks is skipped"
        );
    }
    demo.stop().await;
}

#[tokio::test]
async fn whitespace_around_a_pasted_key_is_trimmed() {
    let demo = demo(Scenario::Healthy).await;
    let mut input = demo.input(None);
    input.key = PastedKey::new(format!("  {}\r\n", demo.sim().api_key()));
    let report = run(&input).await;
    assert!(
        report.ok,
        "a pasted newline must not break the key: {:#?}",
        states(&report)
    );
    demo.stop().await;
}

#[tokio::test]
async fn both_input_problems_are_shown_at_once() {
    let demo = demo(Scenario::Healthy).await;
    let mut input = demo.input(Some("123".into()));
    input.key = PastedKey::new("short".into());
    let report = run(&input).await;
    assert_eq!(check(&report, "key.shape").state, CheckState::Fail);
    assert_eq!(
        check(&report, "org.shape").state,
        CheckState::Fail,
        "the org id is checked even when the key is bad"
    );
    demo.stop().await;
}
