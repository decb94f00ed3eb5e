//! V1 routes (`/api/...`): `{"totalCount", "results"}` lists, `_id` and `id` on every record.

use serde_json::{json, Value};

use super::{page_of, single, Ctx, Route};
use crate::data::ids::ObjectId;
use crate::data::{find, World};
use crate::wire::{errors, Api, Params, Reply};

/// `/api/organizations` and `/api/organizations/{id}`: the orgs this key reaches.
pub fn organizations(route: Route<'_>, world: &World, params: &Params) -> Reply {
    match route {
        Route::OrganizationList => page_of(Api::V1, params, &world.orgs, |o| o.list_json()),
        Route::Organization(id) => {
            if !ObjectId::is_well_formed(id) {
                return errors::malformed_id();
            }
            match world.org(id) {
                Some(org) => single(Api::V1, params, org.to_json()),
                None => errors::org_not_found(),
            }
        }
        _ => errors::not_found(),
    }
}

pub fn handle(route: Route<'_>, ctx: &Ctx<'_>) -> Reply {
    let org = ctx.org;
    let data = &org.data;
    let params = ctx.params;
    match route {
        Route::Settings => settings(ctx),
        Route::Admins => page_of(Api::V1, params, &data.admins, |a| a.to_json(org)),
        Route::SystemUserList => page_of(Api::V1, params, &data.users, |u| u.to_json(org)),
        Route::SystemUser(id) => match find(&data.users, id) {
            Some((_, user)) => single(Api::V1, params, user.to_json(org)),
            None => errors::not_found(),
        },
        Route::ApplicationList => page_of(Api::V1, params, &data.apps, |a| {
            a.to_json(org, ctx.root_url)
        }),
        Route::Application(id) => match find(&data.apps, id) {
            Some((_, app)) => single(Api::V1, params, app.to_json(org, ctx.root_url)),
            None => errors::not_found(),
        },
        Route::SystemList => page_of(Api::V1, params, &data.systems, |s| s.to_json(org)),
        Route::System(id) => match find(&data.systems, id) {
            Some((_, system)) => single(Api::V1, params, system.to_json(org)),
            None => errors::not_found(),
        },
        Route::RadiusServerList => {
            page_of(Api::V1, params, &data.radius_servers, |r| r.to_json(org))
        }
        Route::RadiusServer(id) => match find(&data.radius_servers, id) {
            Some((_, server)) => single(Api::V1, params, server.to_json(org)),
            None => errors::not_found(),
        },
        _ => errors::not_found(),
    }
}

/// Undocumented `GET /api/settings`: upper-case keys; `ROLE` names the key's role unless the
/// scenario keeps it unnamed.
fn settings(ctx: &Ctx<'_>) -> Reply {
    let mut body = json!({
        "ORG_ID": ctx.org.id.to_string(),
        "IS_CUSTOMER": true,
        "SETTINGS": {
            "name": ctx.org.name,
            "betaFeatures": {"systemInsights": true},
            "requireAdminMFA": true,
            "agentVersion": "1.152.0",
        },
    });
    if ctx.world.role.reported {
        if let Some(obj) = body.as_object_mut() {
            obj.insert("ROLE".into(), Value::from(ctx.world.role.name.clone()));
        }
    }
    Reply::ok(&body)
}
