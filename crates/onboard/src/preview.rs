//! A first look at the data: how many records each category holds, and the first rows of the
//! main ones. The complete, streamed collection is a separate, later step.

use std::collections::HashMap;

use futures::future::join_all;
use jc_api::endpoints::*;
use jc_api::{Client, Error, ListEndpoint, Page, Region};
use serde::Serialize;

use crate::category::Category;
use crate::display;

/// Rows shown per table.
pub const FIRST_ROWS: u32 = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
#[serde(rename_all = "lowercase")]
pub enum CountStatus {
    Ok,
    Forbidden,
    Failed,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct CategoryCount {
    pub category: Category,
    pub label: String,
    pub total: Option<u64>,
    pub status: CountStatus,
    /// Why a category could not be counted, in plain words.
    pub message: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct UserRow {
    pub id: String,
    pub username: Option<String>,
    pub email: Option<String>,
    pub name: Option<String>,
    /// The account state in words ("Not activated yet"), as the collection says it.
    pub state: Option<String>,
    pub mfa: Option<bool>,
    pub manager: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct GroupRow {
    pub id: String,
    pub name: Option<String>,
    pub description: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AdminRow {
    pub id: String,
    pub email: Option<String>,
    pub name: Option<String>,
    pub role: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct AppRow {
    pub id: String,
    pub name: Option<String>,
    pub sso_type: Option<String>,
    pub active: Option<bool>,
    /// A `data:` URL: the webview loads nothing remote.
    pub logo: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct DeviceRow {
    pub id: String,
    pub hostname: Option<String>,
    /// The operating system's name and version: "macOS 14.5".
    pub os: Option<String>,
    /// When it was last seen, as a date and an age.
    pub last_contact: Option<String>,
    pub agent_version: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "specta", derive(specta::Type))]
pub struct PreviewData {
    pub categories: Vec<CategoryCount>,
    pub users: Vec<UserRow>,
    pub groups: Vec<GroupRow>,
    pub admins: Vec<AdminRow>,
    pub apps: Vec<AppRow>,
    pub devices: Vec<DeviceRow>,
}

fn full_name(first: &Option<String>, last: &Option<String>) -> Option<String> {
    let name = [first.as_deref(), last.as_deref()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    (!name.is_empty()).then_some(name)
}

/// Counts every top-level category and reads the first rows of users, groups, admins, apps
/// and devices. A category that cannot be read is reported, never fatal.
pub async fn first_rows(client: &Client, region: Option<Region>) -> PreviewData {
    first_rows_by(client, region, display::Clock::SYSTEM).await
}

/// [`first_rows`], its dates shown by `clock`.
pub async fn first_rows_by(
    client: &Client,
    region: Option<Region>,
    clock: display::Clock,
) -> PreviewData {
    let (users, groups, admins, apps, devices) = tokio::join!(
        client.page(&ListSystemUsers, 0, FIRST_ROWS),
        client.page(&ListUserGroups, 0, FIRST_ROWS),
        client.page(&ListAdmins, 0, FIRST_ROWS),
        client.page(&ListApplications, 0, FIRST_ROWS),
        client.page(&ListSystems, 0, FIRST_ROWS),
    );
    let (device_groups, policies, policy_results, ldap, radius) = tokio::join!(
        total(client, ListSystemGroups),
        total(client, ListPolicies),
        total(client, ListPolicyResults),
        total(client, ListLdapServers),
        total(client, ListRadiusServers),
    );

    let categories = vec![
        count(Category::Users, users.as_ref().map(|p| p.total), region),
        count(
            Category::UserGroups,
            groups.as_ref().map(|p| p.total),
            region,
        ),
        count(Category::Admins, admins.as_ref().map(|p| p.total), region),
        count(
            Category::Applications,
            apps.as_ref().map(|p| p.total),
            region,
        ),
        count(Category::Devices, devices.as_ref().map(|p| p.total), region),
        count(
            Category::DeviceGroups,
            device_groups.as_ref().map(|t| *t),
            region,
        ),
        count(Category::Policies, policies.as_ref().map(|t| *t), region),
        count(
            Category::PolicyResults,
            policy_results.as_ref().map(|t| *t),
            region,
        ),
        count(Category::LdapServers, ldap.as_ref().map(|t| *t), region),
        count(Category::RadiusServers, radius.as_ref().map(|t| *t), region),
    ];

    let user_items: Vec<jc_api::model::SystemUser> = items(users);
    let managers = managers_of(client, &user_items).await;
    let app_items: Vec<jc_api::model::Application> = items(apps);
    let logos = join_all(
        app_items
            .iter()
            .map(|a| logo(client, a.logo.as_ref().and_then(|l| l.url.clone()))),
    )
    .await;
    PreviewData {
        categories,
        users: user_items
            .into_iter()
            .map(|u| UserRow {
                id: u.id().to_owned(),
                name: u
                    .displayname
                    .clone()
                    .filter(|n| !n.is_empty())
                    .or_else(|| full_name(&u.firstname, &u.lastname)),
                username: u.username,
                email: u.email,
                state: u.state.as_deref().map(display::state),
                mfa: u.mfa.and_then(|m| m.configured),
                manager: u.manager.map(|id| managers.get(&id).cloned().unwrap_or(id)),
            })
            .collect(),
        groups: items(groups)
            .into_iter()
            .map(|g| GroupRow {
                id: g.id().to_owned(),
                name: g.name,
                description: g.description,
            })
            .collect(),
        admins: items(admins)
            .into_iter()
            .map(|a| AdminRow {
                id: a.id().to_owned(),
                name: full_name(&a.firstname, &a.lastname),
                email: a.email,
                role: a.role_name,
            })
            .collect(),
        apps: app_items
            .into_iter()
            .zip(logos)
            .map(|(a, logo)| AppRow {
                id: a.id().to_owned(),
                name: a.display_label.or(a.display_name).or(a.name),
                sso_type: a.sso.and_then(|s| s.kind).as_deref().map(display::sso_type),
                active: a.active,
                logo,
            })
            .collect(),
        devices: items(devices)
            .into_iter()
            .map(|d| DeviceRow {
                id: d.id().to_owned(),
                hostname: d.hostname.or(d.display_name),
                os: match (d.os.as_deref().map(display::os_name), d.version) {
                    (Some(os), Some(v)) => Some(format!("{os} {v}")),
                    (os, _) => os,
                },
                last_contact: d
                    .last_contact
                    .map(|at| display::when(&at, clock).unwrap_or(at)),
                agent_version: d.agent_version,
            })
            .collect(),
    }
}

/// Each manager id among `users`, shown as "Name <email>"; ids that do not resolve stay ids.
async fn managers_of(
    client: &Client,
    users: &[jc_api::model::SystemUser],
) -> HashMap<String, String> {
    let mut ids: Vec<String> = users
        .iter()
        .filter_map(|u| u.manager.clone())
        .filter(|m| !m.is_empty())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let found = join_all(ids.iter().map(|id| {
        let in_page = users.iter().find(|u| u.id() == id).cloned();
        async move {
            match in_page {
                Some(user) => Some(user),
                None => client.fetch(&GetSystemUser(id.clone())).await.ok(),
            }
        }
    }))
    .await;
    ids.into_iter()
        .zip(found)
        .filter_map(|(id, user)| {
            let user = user?;
            let name = user
                .displayname
                .clone()
                .filter(|n| !n.is_empty())
                .or_else(|| full_name(&user.firstname, &user.lastname));
            let shown = match (name, user.email) {
                (Some(name), Some(email)) => format!("{name} <{email}>"),
                (Some(name), None) => name,
                (None, Some(email)) => email,
                (None, None) => return None,
            };
            Some((id, shown))
        })
        .collect()
}

/// A category that could not be read shows no rows; its count says why.
fn items<T>(page: Result<Page<T>, Error>) -> Vec<T> {
    page.map(|p| p.items).unwrap_or_default()
}

async fn total<E: ListEndpoint>(client: &Client, endpoint: E) -> Result<Option<u64>, Error> {
    client.page(&endpoint, 0, 1).await.map(|p| p.total)
}

fn count(
    category: Category,
    total: Result<Option<u64>, &Error>,
    region: Option<Region>,
) -> CategoryCount {
    let (total, status, message) = match total {
        Ok(total) => (total, CountStatus::Ok, None),
        Err(error @ Error::Forbidden { .. }) => (
            None,
            CountStatus::Forbidden,
            Some(crate::explain(error, category.label(), region).message),
        ),
        Err(error) => (
            None,
            CountStatus::Failed,
            Some(crate::explain(error, category.label(), region).message),
        ),
    };
    CategoryCount {
        category,
        label: category.title(),
        total,
        status,
        message,
    }
}

/// A logo as a `data:` URL, or nothing: a broken logo never breaks the preview.
async fn logo(client: &Client, url: Option<String>) -> Option<String> {
    let url = url?;
    match client.fetch_image(&url).await {
        Ok(image) => Some(crate::collect::data_url(image.content_type, &image.bytes)),
        Err(error) => {
            tracing::info!(%error, "application logo not shown");
            None
        }
    }
}

/// Users read for the platform checks: a custom manager field must exist and hold emails or
/// user ids.
pub const SAMPLE_USERS: u32 = 100;

/// The first users with their custom attributes, as the console shows them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct UserSample {
    pub users: Vec<crate::collect::UserRecord>,
    /// How many users the organization has, when JumpCloud said.
    pub total: Option<u64>,
}

/// The first [`SAMPLE_USERS`] users with every custom attribute, managers unresolved.
pub async fn user_sample(client: &Client) -> Result<UserSample, Error> {
    let (users, total) = crate::collect::first_users(client, SAMPLE_USERS).await?;
    Ok(UserSample { users, total })
}
