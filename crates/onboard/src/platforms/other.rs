//! Another platform: a generic hand-over of the API key, organization ID and region.

use super::{FieldSpec, PlatformId, Profile, Source};

pub(super) const PROFILE: Profile = Profile {
    id: PlatformId::Other,
    name: "Another platform",
    guide: "the platform's own JumpCloud guide",
    where_to_paste: "The platform's JumpCloud integration (its own guide says where).",
    finish: None,
    fields: &[
        FieldSpec::required("API key", Source::ApiKey),
        FieldSpec::optional("Organization ID", Source::OrgId).noting(
            "Some platforms ask for it; a multi-tenant administrator's key always needs it.",
        ),
        FieldSpec::optional("Region", Source::Region)
            .noting("Platforms that serve JumpCloud's EU or India data center ask which one."),
    ],
    documented_credentials: &[],
    not_collected: &[],
    naming: None,
    warnings: &[],
    after_new_key: None,
};
