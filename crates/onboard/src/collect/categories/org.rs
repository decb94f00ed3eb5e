//! Organizations and administrators: one list each, streamed straight to disk.

use std::io;

use jc_api::endpoints::*;
use jc_api::model::{Admin, OrgSummary};

use super::{single_list, Ctx};
use crate::category::Category;
use crate::collect::lists::WithFields;
use crate::collect::records::*;
use crate::collect::summary::CategoryReport;

pub const ADMIN_FIELDS: &str =
    "_id id email firstname lastname roleName roleNames enableMultiFactor suspended created";

pub(crate) async fn organizations(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    single_list(
        ctx,
        Category::Organizations,
        &ListOrganizations,
        |o: OrgSummary| OrganizationRecord {
            id: o.id().to_owned(),
            name: o.display_name,
            created: o.created,
            logo_url: o.logo_url,
        },
    )
    .await
}

pub(crate) async fn admins(ctx: &Ctx<'_>) -> io::Result<CategoryReport> {
    let route = WithFields {
        inner: ListAdmins,
        fields: ADMIN_FIELDS,
    };
    single_list(ctx, Category::Admins, &route, |a: Admin| AdminRecord {
        id: a.id().to_owned(),
        roles: a
            .role_names
            .clone()
            .unwrap_or_else(|| a.role_name.iter().cloned().collect()),
        email: a.email,
        first_name: a.firstname,
        last_name: a.lastname,
        role: a.role_name,
        mfa_enabled: a.enable_multi_factor,
        suspended: a.suspended,
        created: a.created,
    })
    .await
}
