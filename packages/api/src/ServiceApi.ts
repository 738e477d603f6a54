/**
 * Service status (CONTRACT §4.8). `/healthz`, `/readyz`, `/metrics`, the OpenAPI document and the
 * docs page are served beside the api, outside `/api/v1`.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Schema } from "effect"

/**
 * A planned maintenance window, during which operations answer 503 WSEC0004.
 *
 * @since 0.1.0
 * @category schemas
 */
export class MaintenanceWindow extends Schema.Class<MaintenanceWindow>("MaintenanceWindow")({
  from: Schema.String,
  to: Schema.String,
  description: Schema.String
}) {}

/**
 * An operation announced for removal: it keeps working until `sunset` (at least 18 months after
 * the announcement) and answers with `Deprecation` and `Sunset` headers meanwhile.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Deprecation extends Schema.Class<Deprecation>("Deprecation")({
  operation: Schema.String,
  announced: Schema.String,
  sunset: Schema.String,
  replacement: Schema.NullOr(Schema.String)
}) {}

/**
 * The service's version, maintenance windows and deprecations.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ServiceStatus extends Schema.Class<ServiceStatus>("ServiceStatus")({
  service: Schema.Literal("learner-records"),
  version: Schema.String,
  apiVersion: Schema.Literal("v1"),
  database: Schema.Literal("postgresql", "pglite"),
  maintenanceWindows: Schema.Array(MaintenanceWindow),
  deprecations: Schema.Array(Deprecation)
}) {}

/**
 * Public service information.
 *
 * @since 0.1.0
 * @category groups
 */
export class ServiceApi extends HttpApiGroup.make("service")
  .add(
    HttpApiEndpoint.get("status", "/service-status")
      .addSuccess(ServiceStatus)
      .annotate(OpenApi.Summary, "Service status")
      .annotate(OpenApi.Description, "Version, planned maintenance windows and deprecated operations. Needs no credentials.")
  )
  .annotate(OpenApi.Title, "Service")
{}
