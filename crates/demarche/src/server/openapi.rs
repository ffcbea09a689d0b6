//! The OpenAPI document of the JSON API, generated from the handlers and
//! the result types (utoipa), served at `/api/openapi.json`.

use axum::Json;
use utoipa::OpenApi;

use super::{api, export};

/// The API description: every JSON route with its parameters and results.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "demarche",
        description = "Search and read diplomatic cables: full-text search with facets, cables decoded, \
                       their references, versions and differences."
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
        export::export
    )
)]
pub struct ApiDoc;

/// `GET /api/openapi.json`.
pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(ApiDoc::openapi())
}
