//! The OpenAPI document of the JSON API, generated from the handlers and
//! the result types (utoipa), served at `/api/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

use super::{api, auth, coverage, export, newsroom};

/// The API description: every JSON route with its parameters and results.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "demarche",
        description = "Search and read diplomatic cables: full-text search with facets, cables decoded, \
                       their references, versions and differences. The `newsroom` routes (accounts, \
                       projects, notes, stars and labels, saved searches, alerts, audit) exist on a private \
                       instance only (`demarche serve --private`), where every route needs a session \
                       cookie or `Authorization: Bearer TOKEN`, and a change made with the cookie needs \
                       the `X-CSRF-Token` header."
    ),
    paths(
        api::search,
        api::cable,
        api::refs,
        api::versions,
        api::diff,
        api::browse,
        api::campaign,
        api::attribute,
        coverage::api,
        export::export,
        auth::api_sign_in,
        auth::api_sign_out,
        newsroom::projects,
        newsroom::create_project,
        newsroom::project,
        newsroom::add_member,
        newsroom::add_cables,
        newsroom::remove_cables,
        newsroom::project_cables,
        newsroom::project_notes,
        export::project_export,
        newsroom::add_note,
        newsroom::cable_notes,
        newsroom::set_marks,
        newsroom::get_marks,
        newsroom::save_search,
        newsroom::alerts,
        newsroom::audit
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
