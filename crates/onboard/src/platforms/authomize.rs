//! Authomize: Settings > Add New App > JumpCloud; the read-only admin's username, the API key,
//! an Integration Name and the Application Owner's email. No LDAP or RADIUS applications.

use super::{FieldSpec, NotCollected, PlatformId, Profile, Source};
use crate::category::Category;
use crate::credential::CredentialKind;

const NOT_IN_ITS_LIST: &str = "Not in the list of what Authomize's guide says it collects.";

pub(super) const PROFILE: Profile = Profile {
    id: PlatformId::Authomize,
    name: "Authomize",
    guide: "\"JumpCloud Integration Guide\" (Integrating JumpCloud with Authomize) in Authomize's help center",
    where_to_paste: "In Authomize: the settings button (top right), Add New App, then JumpCloud. The Integrate \
                     JumpCloud dialog opens.",
    finish: None,
    fields: &[
        FieldSpec::required("Username", Source::AdminUsername)
            .noting("The username of the read-only admin."),
        FieldSpec::required("API key", Source::ApiKey),
        FieldSpec::required("Integration Name", Source::ConnectionName),
        FieldSpec::required("Application Owner's email", Source::OwnerEmail),
    ],
    documented_credentials: &[CredentialKind::AdminApiKey],
    not_collected: &[
        NotCollected {
            category: Category::Devices,
            why: NOT_IN_ITS_LIST,
        },
        NotCollected {
            category: Category::DeviceGroups,
            why: NOT_IN_ITS_LIST,
        },
        NotCollected {
            category: Category::Policies,
            why: NOT_IN_ITS_LIST,
        },
        NotCollected {
            category: Category::PolicyResults,
            why: NOT_IN_ITS_LIST,
        },
        NotCollected {
            category: Category::LdapServers,
            why: "Authomize's guide: LDAP applications are currently not supported.",
        },
        NotCollected {
            category: Category::RadiusServers,
            why: "Authomize's guide: RADIUS applications are currently not supported.",
        },
    ],
    naming: None,
    warnings: &[],
    after_new_key: None,
};
