//! Apono: Catalog > IDP integrations > Connect JumpCloud; an Integration name, the Admin API Key
//! and an optional Custom Manager Field Name.

use super::{FieldSpec, PlatformId, Profile, Source};
use crate::credential::CredentialKind;

pub(super) const PROFILE: Profile = Profile {
    id: PlatformId::Apono,
    name: "Apono",
    guide: "\"Jumpcloud\" (How to integrate JumpCloud with Apono to manage access of users and groups) in Apono's \
            documentation",
    where_to_paste: "In Apono: the Catalog page, the IDP integrations section, Connect JumpCloud.",
    finish: None,
    fields: &[
        FieldSpec::required("Integration name", Source::ConnectionName)
            .noting("When building an Access Flow you will reference this name."),
        FieldSpec::required("Admin API Key", Source::ApiKey),
        FieldSpec::optional("Custom Manager Field Name", Source::ManagerAttribute).noting(
            "Empty: Apono uses JumpCloud's manager attribute. A custom attribute must hold the \
             manager's email address or JumpCloud user ID.",
        ),
    ],
    documented_credentials: &[CredentialKind::AdminApiKey],
    not_collected: &[],
    naming: None,
    warnings: &[],
    after_new_key: None,
};
