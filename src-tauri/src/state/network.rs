//! Network settings for corporate networks: the proxy in use (from the environment, which the
//! HTTP client honours) and one extra CA certificate for a TLS-inspecting proxy.

use onboard::support::env::proxy_settings_from;

use super::*;
use crate::ipc::NetworkSettings;

impl AppState {
    pub fn network_settings(&self) -> NetworkSettings {
        NetworkSettings {
            extra_ca_pem: self.settings.extra_ca(),
            proxies: proxy_settings_from(std::env::vars()),
        }
    }

    /// Saves the certificate only once the HTTP client has accepted it; `None` or blank removes it.
    pub fn set_extra_ca(&self, pem: Option<String>) -> Result<NetworkSettings, UiError> {
        let pem = pem.map(|p| p.trim().to_owned()).filter(|p| !p.is_empty());
        if let Some(pem) = &pem {
            jc_api::validate_ca_pem(pem.as_bytes()).map_err(|error| {
                let explained = onboard::explain(&error, "the certificate", None);
                UiError::new(UiErrorKind::Input, explained.message, explained.fix)
            })?;
        }
        self.settings.set_extra_ca(pem.as_deref()).map_err(|e| {
            UiError::new(
                UiErrorKind::Store,
                format!("{e}."),
                "Check that the app's data folder is writable, then try again.",
            )
        })?;
        Ok(self.network_settings())
    }
}
