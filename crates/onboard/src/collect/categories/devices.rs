//! Devices (one list streamed to disk) and device groups with their members.

use std::io;

use futures::stream::{self, StreamExt};
use jc_api::endpoints::*;
use jc_api::model::{Group, System};

use super::{list_in_memory, single_list, write_and_settle, Ctx, SUB_LISTS_AT_ONCE};
use crate::category::Category;
use crate::collect::lists::{connection_ids, sub_list, WithFields};
use crate::collect::records::*;
use crate::collect::summary::CategoryReport;

pub const DEVICE_FIELDS: &str = "_id id hostname displayName os osFamily version agentVersion \
     active lastContact fde primarySystemUser";

pub(crate) async fn devices(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let route = WithFields {
        inner: ListSystems,
        fields: DEVICE_FIELDS,
    };
    single_list(ctx, Category::Devices, &route, |s: System| DeviceRecord {
        id: s.id().to_owned(),
        hostname: s.hostname,
        display_name: s.display_name,
        os: s.os,
        os_family: s.os_family,
        os_version: s.version,
        agent_version: s.agent_version,
        active: s.active,
        last_contact: s.last_contact,
        disk_encrypted: s.fde.and_then(|f| f.active),
        primary_user_id: s.primary_system_user.and_then(|u| u.id),
    })
    .await
}

pub(crate) async fn device_groups(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let category = Category::DeviceGroups;
    let (groups, outcome) = list_in_memory(ctx, category, &ListSystemGroups).await;
    let done = stream::iter(groups)
        .map(|g: Group| async move {
            let id = g.id().to_owned();
            let what = format!(
                "the members of device group {}",
                g.name.as_deref().unwrap_or(&id)
            );
            let members = sub_list(ctx.fetcher, &ListSystemGroupMembers(id.clone()), &what).await;
            let record = DeviceGroupRecord {
                device_ids: connection_ids(&members.items, "system"),
                id,
                name: g.name,
                description: g.description,
                membership_method: g.membership_method,
            };
            (record, members.problem, members.cancelled)
        })
        .buffered(SUB_LISTS_AT_ONCE);
    write_and_settle(ctx, category, &outcome, done, Vec::new).await
}
