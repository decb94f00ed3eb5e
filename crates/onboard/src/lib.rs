//! The onboarding domain, free of any UI: what the user gives us ([`connection`]), the ordered
//! connection checks ([`checks`]), what they report ([`report`]), how failures are explained
//! in plain language ([`explain`]), the exact permissions the connection needs
//! ([`permissions`]), and what to paste into the platform the connection is for
//! ([`platforms`]).

pub mod category;
pub mod checks;
pub mod collect;
pub mod connection;
pub mod connections;
pub mod credential;
pub mod demo;
pub mod display;
pub mod explain;
pub mod files;
pub mod permissions;
pub mod platforms;
pub mod preview;
pub mod report;
pub mod secrets;
pub mod support;

pub use category::{Category, UnknownCategory};
pub use checks::{
    catalogue, check_connection, client_credentials_feedback, key_feedback, org_feedback,
    run_checks, CheckSpec, Checked,
};
pub use connection::{CheckOptions, ConnectionInput, PastedKey, RegionChoice, Target};
pub use explain::{explain, Explanation};
pub use report::{
    CheckEvent, CheckResult, CheckState, Evidence, OrgRef, Report, ShapeFeedback, WAITING_LABEL,
};
