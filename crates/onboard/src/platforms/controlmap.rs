//! ControlMap: the API key and the Organization ID, both needed at the time of integration.

use super::{FieldSpec, PlatformId, Profile, Source};
use crate::credential::CredentialKind;

pub(super) const PROFILE: Profile = Profile {
    id: PlatformId::ControlMap,
    name: "ControlMap",
    guide: "\"Connect to JumpCloud\" in ControlMap's help center",
    where_to_paste: "ControlMap's JumpCloud integration (its guide does not name the menu that leads to it).",
    finish: None,
    fields: &[
        FieldSpec::required("API Key", Source::ApiKey),
        FieldSpec::required("Organization ID", Source::OrgId),
    ],
    documented_credentials: &[CredentialKind::AdminApiKey],
    not_collected: &[],
    naming: None,
    warnings: &[
        "Both the API Key and the Organization ID are needed at the time of integration.",
        "Generating a new API key in JumpCloud makes every call with the previous key fail, ControlMap's included.",
    ],
    after_new_key: None,
};
