//! Another platform: a generic hand-over of the API key, organization ID and region.

use super::{FieldSpec, PlatformId, Profile, Source};

pub(super) const PROFILE: Profile = Profile {
    id: PlatformId::Other,
    name: "Another platform",
    guide: "the platform's own JumpCloud guide",
    where_to_paste: "The platform's JumpCloud integration (its own guide says where).",
    finish: None,
    fields: &[
        FieldSpec {
            label: "API key",
            source: Source::ApiKey,
            required: true,
            note: None,
        },
        FieldSpec {
            label: "Organization ID",
            source: Source::OrgId,
            required: false,
            note: Some(
                "Some platforms ask for it; a multi-tenant administrator's key always needs it.",
            ),
        },
        FieldSpec {
            label: "Region",
            source: Source::Region,
            required: false,
            note: Some("Platforms that serve JumpCloud's EU or India data center ask which one."),
        },
    ],
    documented_credentials: &[],
    not_collected: &[],
    naming: None,
    warnings: &[],
    after_new_key: None,
};
