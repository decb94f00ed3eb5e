//! Scytale: Integrations > JumpCloud > Connect; the API key and a Connection Name. Generating a
//! new key revokes the one Scytale holds.

use super::{FieldSpec, NameStyle, Naming, PlatformId, Profile, Source};
use crate::credential::CredentialKind;

pub(super) const PROFILE: Profile = Profile {
    id: PlatformId::Scytale,
    name: "Scytale",
    guide: "\"JumpCloud - User Guide\" in Scytale's help center",
    where_to_paste: "In the Scytale web app: Integrations (left-hand menu), then Connect under the JumpCloud icon.",
    finish: Some("Connect"),
    fields: &[
        FieldSpec::required("API key", Source::ApiKey),
        FieldSpec::optional("Connection Name", Source::ConnectionName).noting(
            "Tells your connections apart. Scytale names it Connection 1, 2, 3 unless you change \
             it, for example to scytale-production-env.",
        ),
    ],
    documented_credentials: &[CredentialKind::AdminApiKey],
    not_collected: &[],
    naming: Some(Naming {
        example: "scytale-production-env",
        style: NameStyle::LowerHyphens,
        default_prefix: Some("Connection"),
    }),
    warnings: &[
        "Generating another API key for the same JumpCloud administrator revokes the key Scytale holds, and \
         Scytale stops collecting evidence until it is connected again with the new key.",
    ],
    after_new_key: Some(
        "The key Scytale holds was revoked when the new one was generated. Disconnect the JumpCloud integration \
         in Scytale and connect again with the new key (Scytale's customer success team can help), or Scytale \
         keeps the revoked one and collects nothing.",
    ),
};
