//! The onboarding domain, free of any UI: what the user gives us ([`connection`]), the ordered
//! connection checks ([`checks`]), what they report ([`report`]) and how failures are explained
//! in plain language ([`explain`]).

pub mod checks;
pub mod connection;
pub mod demo;
pub mod explain;
pub mod report;

pub use checks::{catalogue, run_checks, Category, CheckSpec};
pub use connection::{CheckOptions, ConnectionInput, PastedKey, Target};
pub use explain::{explain, Explanation};
pub use report::{CheckEvent, CheckResult, CheckState, Evidence, OrgRef, Report};
