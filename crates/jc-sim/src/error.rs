//! The ways starting a sim or parsing its names can fail.

use crate::config::Region;

#[derive(Debug, thiserror::Error)]
pub enum SimError {
    #[error("could not listen on 127.0.0.1:{port} for the {region} region: {source}")]
    Bind {
        region: Region,
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("could not read the local address of the {region} listener: {source}")]
    LocalAddr {
        region: Region,
        #[source]
        source: std::io::Error,
    },
    #[error("the api key override is unusable: {0}")]
    InvalidApiKey(&'static str),
    #[error("generating the simulated org failed: {0}")]
    Generate(String),
}

/// A region or scenario name that isn't one of ours.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind} {given:?}; expected one of: {}", expected.join(", "))]
pub struct ParseNameError {
    pub kind: &'static str,
    pub given: String,
    pub expected: Vec<&'static str>,
}

impl ParseNameError {
    pub(crate) fn new<const N: usize>(
        kind: &'static str,
        given: &str,
        expected: [&'static str; N],
    ) -> Self {
        ParseNameError {
            kind,
            given: given.to_string(),
            expected: expected.to_vec(),
        }
    }
}
