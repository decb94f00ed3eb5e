//! LDAP and RADIUS servers and the users and groups bound to them.

use std::io;
use std::sync::atomic::AtomicBool;

use futures::stream::{self, StreamExt};
use jc_api::endpoints::*;
use jc_api::model::{LdapServer, RadiusServer};

use super::{bindings_with, list_in_memory, write_and_settle, Ctx, SUB_LISTS_AT_ONCE};
use crate::category::Category;
use crate::collect::lists::traversal_note;
use crate::collect::records::*;
use crate::collect::summary::CategoryReport;

pub(crate) async fn ldap_servers(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::LdapServers;
    let (servers, outcome) = list_in_memory(ctx, category, &ListLdapServers).await;
    let refused = AtomicBool::new(false);
    let refused_ref = &refused;
    let done = stream::iter(servers)
        .map(|server: LdapServer| async move {
            let id = server.id.clone().unwrap_or_default();
            let what = format!("LDAP server {}", server.name.as_deref().unwrap_or(&id));
            let route = |target| ListLdapServerAssociations {
                id: id.clone(),
                target,
            };
            let found = bindings_with(
                ctx.fetcher,
                route(Target::UserGroup),
                route(Target::User),
                ListLdapServerUserGroups(id.clone()),
                Some(ListLdapServerUsers(id.clone())),
                refused_ref,
                &what,
            )
            .await;
            let record = DirectoryServerRecord {
                id,
                name: server.name,
                network_source_ip: None,
                mfa: None,
                user_group_ids: found.group_ids,
                user_ids: found.user_ids,
                binding_source: found.source.to_owned(),
            };
            (record, found.problems, found.cancelled)
        })
        .buffered(SUB_LISTS_AT_ONCE);
    write_and_settle(ctx, category, &outcome, done, || {
        if refused.load(std::sync::atomic::Ordering::Relaxed) {
            vec![traversal_note(true)]
        } else {
            vec![]
        }
    })
    .await
}

pub(crate) async fn radius_servers(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::RadiusServers;
    let (servers, outcome) = list_in_memory(ctx, category, &ListRadiusServers).await;
    let refused = AtomicBool::new(false);
    let refused_ref = &refused;
    let done = stream::iter(servers)
        .map(|server: RadiusServer| async move {
            let id = server.id().to_owned();
            let what = format!("RADIUS server {}", server.name.as_deref().unwrap_or(&id));
            let route = |target| ListRadiusServerAssociations {
                id: id.clone(),
                target,
            };
            let found = bindings_with(
                ctx.fetcher,
                route(Target::UserGroup),
                route(Target::User),
                ListRadiusServerUserGroups(id.clone()),
                None::<ListRadiusServerUserGroups>,
                refused_ref,
                &what,
            )
            .await;
            let record = DirectoryServerRecord {
                id,
                name: server.name,
                network_source_ip: server.network_source_ip,
                mfa: server.mfa,
                user_group_ids: found.group_ids,
                user_ids: found.user_ids,
                binding_source: found.source.to_owned(),
            };
            (record, found.problems, found.cancelled)
        })
        .buffered(SUB_LISTS_AT_ONCE);
    write_and_settle(ctx, category, &outcome, done, || {
        if refused.load(std::sync::atomic::Ordering::Relaxed) {
            vec![traversal_note(false)]
        } else {
            vec![]
        }
    })
    .await
}
