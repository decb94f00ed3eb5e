//! The ways starting a sim can fail.

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
