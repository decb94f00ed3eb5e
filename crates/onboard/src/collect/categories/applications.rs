//! Applications: who they are bound to, and their logos.

use std::io;
use std::sync::atomic::AtomicBool;

use futures::stream::{self, StreamExt};
use jc_api::endpoints::*;
use jc_api::model::Application;

use super::{bindings_with, list_in_memory, write_and_settle, Ctx, SUB_LISTS_AT_ONCE};
use crate::category::Category;
use crate::collect::lists::traversal_note;
use crate::collect::records::*;
use crate::collect::summary::CategoryReport;

pub(crate) async fn applications(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::Applications;
    let (apps, outcome) = list_in_memory(ctx, category, &ListApplications).await;
    let refused = AtomicBool::new(false);
    let refused_ref = &refused;
    let done = stream::iter(apps)
        .map(|app: Application| async move {
            let id = app.id().to_owned();
            let what = format!(
                "application {}",
                app.display_label.as_deref().unwrap_or(&id)
            );
            let route = |target| ListAppAssociations {
                app_id: id.clone(),
                target,
            };
            let logo_url = app.logo.and_then(|l| l.url);
            let (found, logo_file) = futures::join!(
                bindings_with(
                    ctx.fetcher,
                    route(Target::UserGroup),
                    route(Target::User),
                    ListAppUserGroups(id.clone()),
                    Some(ListAppUsers(id.clone())),
                    refused_ref,
                    &what,
                ),
                ctx.logos.fetch(&id, logo_url.as_deref()),
            );
            let record = ApplicationRecord {
                id,
                name: app.name,
                display_name: app.display_name,
                label: app.display_label,
                sso_type: app.sso.and_then(|s| s.kind),
                active: app.active,
                logo_url,
                logo_file,
                user_group_ids: found.group_ids,
                user_ids: found.user_ids,
                access_source: found.source.to_owned(),
            };
            (record, found.problems, found.cancelled)
        })
        .buffered(SUB_LISTS_AT_ONCE);
    write_and_settle(ctx, category, &outcome, done, || {
        let mut notes = Vec::new();
        if refused.load(std::sync::atomic::Ordering::Relaxed) {
            notes.push(traversal_note(true));
        }
        notes.extend(ctx.logos.note());
        notes
    })
    .await
}
