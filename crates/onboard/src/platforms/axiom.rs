//! Axiom Security: Integrations > IDP > Jumpcloud > +Add; Name, API key, Organization ID.

use super::{FieldSpec, NameStyle, Naming, PlatformId, Profile, Source};
use crate::credential::CredentialKind;

pub(super) const PROFILE: Profile = Profile {
    id: PlatformId::AxiomSecurity,
    name: "Axiom Security",
    guide: "\"Set up JumpCloud integration\" in Axiom Security's help center",
    where_to_paste: "In the Axiom Security web application: Integrations (left-hand menu), the IDP section, the \
                     Jumpcloud icon, +Add. The Jumpcloud integration details screen opens.",
    finish: Some("Integrate"),
    fields: &[
        FieldSpec::required("Name", Source::ConnectionName)
            .noting("Choose a meaningful name like \"Production_Jumpcloud\"."),
        FieldSpec::required("Jumpcloud API Key", Source::ApiKey),
        FieldSpec::required("Jumpcloud Organization ID", Source::OrgId),
    ],
    documented_credentials: &[CredentialKind::AdminApiKey],
    not_collected: &[],
    naming: Some(Naming {
        example: "Production_Jumpcloud",
        style: NameStyle::Underscores,
        default_prefix: None,
    }),
    warnings: &[],
    after_new_key: None,
};
