//! Values a platform would reject, or accept and then misread: checked before the admin pastes
//! them. Names that stray from the platform's example are only warned about.

use serde::Serialize;

use super::Profile;
use crate::collect::ManagerSource;
use crate::preview::UserSample;

/// Examples shown with a warning.
pub const MAX_EXAMPLES: usize = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
// Named apart from the diagnoses' `Severity` in the app's bindings.
#[cfg_attr(feature = "specta", specta(rename = "AdviceSeverity"))]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The platform takes it, but it will not work as the admin expects, or strays from the
    /// platform's convention.
    Warning,
    /// The platform will not take it.
    Problem,
}

/// Something to fix or look at before pasting, tied to one field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct Advice {
    /// The field's label, as the platform words it.
    pub field: String,
    pub severity: Severity,
    pub message: String,
    pub fix: String,
    /// At most [`MAX_EXAMPLES`] of the values concerned, as the admin sees them in the JumpCloud
    /// console.
    pub examples: Vec<String>,
}

impl Advice {
    fn warning(field: &str, message: String, fix: String) -> Advice {
        Advice {
            field: field.to_owned(),
            severity: Severity::Warning,
            message,
            fix,
            examples: Vec::new(),
        }
    }
}

/// The shape of an email address: one `@`, something before it, a dotted domain after it, no
/// spaces.
pub fn is_email(text: &str) -> bool {
    let text = text.trim();
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    let labels_ok = domain
        .split('.')
        .all(|l| !l.is_empty() && l.chars().all(|c| c.is_alphanumeric() || c == '-'));
    !local.is_empty()
        && domain.contains('.')
        && labels_ok
        && text.len() <= 254
        && !text
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || c == '<' || c == '>')
}

/// A JumpCloud object id: 24 hexadecimal characters.
pub fn is_user_id(text: &str) -> bool {
    let text = text.trim();
    text.len() == 24 && text.chars().all(|c| c.is_ascii_hexdigit())
}

/// The integration owner's email must be an email address.
pub fn owner_email(field: &str, text: &str) -> Option<Advice> {
    let text = text.trim();
    (!text.is_empty() && !is_email(text)).then(|| Advice {
        severity: Severity::Problem,
        ..Advice::warning(
            field,
            format!("\"{text}\" is not an email address."),
            "Type the email address of the person at your company who owns this integration, like \
             it-owner@yourcompany.com."
                .to_owned(),
        )
    })
}

/// JumpCloud administrators sign in with their email address.
pub fn admin_username(field: &str, text: &str) -> Option<Advice> {
    let text = text.trim();
    (!text.is_empty() && !is_email(text)).then(|| {
        Advice::warning(
            field,
            format!(
                "JumpCloud administrators sign in with their email address, and \"{text}\" is not one."
            ),
            "Use the email address of the read-only administrator whose API key you tested.".to_owned(),
        )
    })
}

/// A name that does not follow the platform's example is worth a second look, never refused.
pub fn name(profile: &Profile, field: &str, name: &str) -> Option<Advice> {
    let naming = profile.naming?;
    let name = name.trim();
    if name.is_empty() || naming.fits(name) {
        return None;
    }
    let restyled = naming.restyle(name);
    Some(Advice::warning(
        field,
        format!(
            "\"{name}\" does not follow {}'s naming. {}",
            profile.name,
            naming.describe(profile.name)
        ),
        if restyled.is_empty() {
            format!("For example: {}.", naming.example)
        } else {
            format!(
                "For example: {restyled}. {} accepts your name as it is too.",
                profile.name
            )
        },
    ))
}

/// The manager field must exist on users and hold the manager's email address or JumpCloud user
/// id: anything else (a person's name) finds no manager.
pub fn manager_field(field: &str, attribute: Option<&str>, sample: &UserSample) -> Option<Advice> {
    let users = &sample.users;
    if users.is_empty() {
        return None;
    }
    let read = users.len();
    let source = ManagerSource::from_name(attribute);
    let values: Vec<&str> = users
        .iter()
        .filter_map(|u| source.value_of(u.manager_ref.as_deref(), &u.custom_attributes))
        .collect();
    let ManagerSource::Attribute(name) = &source else {
        return values.is_empty().then(|| {
            Advice::warning(
                field,
                format!(
                    "None of the first {read} users has a manager in JumpCloud's manager field, so no manager \
                     will be found."
                ),
                "Set each user's manager in JumpCloud (Users, a user, Manager), or type the custom attribute \
                 that holds it."
                    .to_owned(),
            )
        });
    };
    if values.is_empty() {
        let mut present: Vec<&str> = users
            .iter()
            .flat_map(|u| u.custom_attributes.keys().map(String::as_str))
            .collect();
        present.sort_unstable();
        present.dedup();
        let present = match present.as_slice() {
            [] => "They have no custom attributes at all.".to_owned(),
            names => format!("Their custom attributes are: {}.", names.join(", ")),
        };
        return Some(Advice::warning(
            field,
            format!("None of the first {read} users has a custom attribute called \"{name}\". {present}"),
            "Type the attribute's name exactly as JumpCloud shows it (Users, a user, Custom Attributes), or leave \
             the field empty to use JumpCloud's manager field."
                .to_owned(),
        ));
    }
    if let Some(spelled) = users
        .iter()
        .flat_map(|u| u.custom_attributes.keys())
        .find(|k| k.eq_ignore_ascii_case(name))
        .filter(|_| !users.iter().any(|u| u.custom_attributes.contains_key(name)))
    {
        return Some(Advice::warning(
            field,
            format!("JumpCloud spells the attribute \"{spelled}\", not \"{name}\"."),
            format!("Type it exactly: {spelled}."),
        ));
    }
    let wrong: Vec<&str> = values
        .iter()
        .copied()
        .filter(|v| !is_email(v) && !is_user_id(v))
        .collect();
    if wrong.is_empty() {
        return None;
    }
    let mut examples: Vec<String> = Vec::new();
    for value in &wrong {
        if examples.len() < MAX_EXAMPLES && !examples.iter().any(|e| e == value) {
            examples.push((*value).to_owned());
        }
    }
    Some(Advice {
        examples,
        ..Advice::warning(
            field,
            format!(
                "{} of the {} users with \"{name}\" (among the first {read}) hold something that is neither an \
                 email address nor a JumpCloud user ID, so their managers will not be found.",
                wrong.len(),
                values.len()
            ),
            format!(
                "Store each manager's email address (or JumpCloud user ID) in \"{name}\", or leave the field empty \
                 to use JumpCloud's manager field."
            ),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::collect::UserRecord;
    use crate::platforms::PlatformId;

    fn sample(attributes: &[&[(&str, &str)]]) -> UserSample {
        UserSample {
            users: attributes
                .iter()
                .enumerate()
                .map(|(n, pairs)| UserRecord {
                    id: format!("{n:024x}"),
                    custom_attributes: pairs
                        .iter()
                        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                        .collect(),
                    ..UserRecord::default()
                })
                .collect(),
            total: None,
        }
    }

    #[test]
    fn emails_and_ids_have_their_shapes() {
        for good in ["ada@example.com", " Ada.L+x@sub.example.co.uk "] {
            assert!(is_email(good), "{good} is an email");
        }
        for bad in [
            "Ada Lovelace",
            "ada@",
            "@example.com",
            "ada@example",
            "ada @example.com",
            "a@b..com",
        ] {
            assert!(!is_email(bad), "{bad} is not an email");
        }
        assert!(is_user_id("5f14e379abf74c0001a1b2c4"));
        assert!(!is_user_id("5f14e379abf74c0001a1b2c"));
    }

    #[test]
    fn an_owner_email_must_be_an_email_and_a_blank_one_is_left_to_the_field() {
        let problem =
            owner_email("Application Owner's email", "Grace Hopper").expect("not an email");
        assert_eq!(
            problem.severity,
            Severity::Problem,
            "Authomize would refuse it"
        );
        assert!(owner_email("x", "grace@example.com").is_none());
        assert!(
            owner_email("x", "  ").is_none(),
            "missing is reported by the hand-over, not here"
        );
    }

    #[test]
    fn names_off_the_example_are_warned_about_with_a_restyled_suggestion() {
        let axiom = PlatformId::AxiomSecurity.profile();
        let advice = name(axiom, "Name", "Production Jumpcloud")
            .expect("spaces where Axiom uses underscores");
        assert_eq!(
            advice.severity,
            Severity::Warning,
            "a warning, never a refusal"
        );
        assert!(advice.fix.contains("Production_Jumpcloud"), "{advice:?}");
        assert!(name(axiom, "Name", "Production_Jumpcloud").is_none());
        assert!(
            name(
                PlatformId::Apono.profile(),
                "Integration name",
                "any name at all"
            )
            .is_none(),
            "Apono's guide gives no convention"
        );
    }

    #[test]
    fn a_manager_attribute_holding_names_is_warned_about_with_three_examples() {
        let users = sample(&[
            &[("managerName", "Ada Lovelace")],
            &[("managerName", "Grace Hopper")],
            &[("managerName", "Ada Lovelace")],
            &[("managerName", "ada@example.com")],
            &[("managerName", "Alan Turing")],
            &[("managerName", "Edsger Dijkstra")],
            &[],
        ]);
        let advice = manager_field("Custom Manager Field Name", Some("managerName"), &users)
            .expect("names are not emails or ids");
        assert_eq!(
            advice.examples,
            ["Ada Lovelace", "Grace Hopper", "Alan Turing"],
            "distinct, at most 3"
        );
        assert!(
            advice.message.starts_with("5 of the 6 users"),
            "{}",
            advice.message
        );
    }

    #[test]
    fn a_manager_attribute_holding_emails_or_ids_passes() {
        let users = sample(&[
            &[("managerEmail", "ada@example.com")],
            &[("managerEmail", "5f14e379abf74c0001a1b2c4")],
        ]);
        assert_eq!(manager_field("f", Some("managerEmail"), &users), None);
    }

    #[test]
    fn a_missing_or_misspelled_attribute_names_the_ones_that_exist() {
        let users = sample(&[&[("costCenter", "CC-1"), ("managerEmail", "ada@example.com")]]);
        let missing = manager_field("f", Some("manager_email"), &users).expect("no such attribute");
        assert!(
            missing.message.contains("costCenter, managerEmail"),
            "{}",
            missing.message
        );
        let misspelled =
            manager_field("f", Some("manageremail"), &users).expect("spelled differently");
        assert!(misspelled.fix.contains("managerEmail"), "{misspelled:?}");
    }

    #[test]
    fn the_manager_field_is_checked_only_for_being_set_at_all() {
        let nobody = sample(&[&[], &[]]);
        assert!(
            manager_field("f", None, &nobody).is_some(),
            "no user has a manager"
        );
        let mut one = sample(&[&[]]);
        one.users[0].manager_ref = Some("5f14e379abf74c0001a1b2c4".to_owned());
        assert_eq!(manager_field("f", Some("manager"), &one), None);
    }
}
