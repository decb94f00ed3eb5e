//! Resolving each user's manager to a name and email: from the `manager` field (an id), or from
//! a custom attribute that holds an id, an email or a username.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use super::records::UserRecord;

/// Where a user's manager is recorded.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum ManagerSource {
    /// The `manager` field: the manager's user id.
    #[default]
    Field,
    /// A custom attribute with this name (matched case-insensitively).
    Attribute(String),
}

impl ManagerSource {
    /// `None` or `"manager"` mean the built-in field; anything else names an attribute.
    pub fn from_name(name: Option<&str>) -> ManagerSource {
        match name.map(str::trim) {
            None | Some("") => ManagerSource::Field,
            Some(n) if n.eq_ignore_ascii_case("manager") => ManagerSource::Field,
            Some(n) => ManagerSource::Attribute(n.to_owned()),
        }
    }

    pub fn describe(&self) -> String {
        match self {
            ManagerSource::Field => "the manager field".to_owned(),
            ManagerSource::Attribute(name) => format!("the custom attribute {name:?}"),
        }
    }

    /// The raw value this source holds for a user.
    pub(crate) fn value_of<'u>(
        &self,
        manager_field: Option<&'u str>,
        attributes: &'u std::collections::BTreeMap<String, String>,
    ) -> Option<&'u str> {
        let value = match self {
            ManagerSource::Field => manager_field,
            ManagerSource::Attribute(name) => attributes
                .iter()
                .find(|(k, _)| k.eq_ignore_ascii_case(name))
                .map(|(_, v)| v.as_str()),
        };
        value.map(str::trim).filter(|v| !v.is_empty())
    }
}

#[derive(Debug, Clone)]
struct Person {
    id: String,
    name: Option<String>,
    email: Option<String>,
}

/// Every user, by id, email and username (lower-cased): a few dozen bytes per user.
#[derive(Debug, Default)]
pub(crate) struct PeopleIndex {
    people: Vec<Person>,
    by_id: HashMap<String, usize>,
    by_email: HashMap<String, usize>,
    by_username: HashMap<String, usize>,
}

/// A manager found for a user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ResolvedManager {
    pub id: String,
    pub name: Option<String>,
    pub email: Option<String>,
}

impl PeopleIndex {
    pub(crate) fn add(&mut self, user: &UserRecord) {
        let at = self.people.len();
        let name = full_name(user);
        self.people.push(Person {
            id: user.id.clone(),
            name,
            email: user.email.clone(),
        });
        self.by_id.insert(user.id.to_ascii_lowercase(), at);
        if let Some(email) = &user.email {
            self.by_email.insert(email.to_lowercase(), at);
        }
        if let Some(username) = &user.username {
            self.by_username.insert(username.to_lowercase(), at);
        }
    }

    /// By id first, then by email (when the value has an `@`), then by username.
    pub(crate) fn resolve(&self, value: &str) -> Option<ResolvedManager> {
        let key = value.trim().to_lowercase();
        let at = self.by_id.get(&key).or_else(|| {
            if key.contains('@') {
                self.by_email.get(&key)
            } else {
                self.by_username.get(&key)
            }
        })?;
        let person = self.people.get(*at)?;
        Some(ResolvedManager {
            id: person.id.clone(),
            name: person.name.clone(),
            email: person.email.clone(),
        })
    }
}

fn full_name(user: &UserRecord) -> Option<String> {
    let parts: Vec<&str> = [user.first_name.as_deref(), user.last_name.as_deref()]
        .into_iter()
        .flatten()
        .filter(|s| !s.trim().is_empty())
        .collect();
    if parts.is_empty() {
        user.display_name.clone().filter(|s| !s.trim().is_empty())
    } else {
        Some(parts.join(" "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(id: &str, email: &str, username: &str) -> UserRecord {
        UserRecord {
            id: id.into(),
            email: Some(email.into()),
            username: Some(username.into()),
            first_name: Some("Ada".into()),
            last_name: Some("Lovelace".into()),
            ..UserRecord::default()
        }
    }

    #[test]
    fn resolves_by_id_email_and_username_case_insensitively() {
        let mut index = PeopleIndex::default();
        index.add(&user(
            "5f14e379abf74c0001a1b2c4",
            "Ada@Example.com",
            "ada.l",
        ));
        let expected = Some(ResolvedManager {
            id: "5f14e379abf74c0001a1b2c4".into(),
            name: Some("Ada Lovelace".into()),
            email: Some("Ada@Example.com".into()),
        });
        assert_eq!(index.resolve("5f14e379abf74c0001a1b2c4"), expected);
        assert_eq!(index.resolve("ada@example.COM"), expected);
        assert_eq!(index.resolve("ADA.L"), expected);
        assert_eq!(index.resolve("nobody@example.com"), None);
    }

    #[test]
    fn source_from_name() {
        assert_eq!(ManagerSource::from_name(None), ManagerSource::Field);
        assert_eq!(
            ManagerSource::from_name(Some("Manager")),
            ManagerSource::Field
        );
        assert_eq!(
            ManagerSource::from_name(Some("managerEmail")),
            ManagerSource::Attribute("managerEmail".into())
        );
    }
}
