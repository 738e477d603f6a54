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
  from: Schema.String.annotations({ description: "Start of the window (ISO 8601)." }),
  to: Schema.String.annotations({ description: "End of the window (ISO 8601)." }),
  description: Schema.String.annotations({ description: "What is affected during the window." })
}) {}

/**
 * An operation announced for removal: it keeps working until `sunset` (at least 18 months after
 * the announcement) and answers with `Deprecation` and `Sunset` headers meanwhile.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Deprecation extends Schema.Class<Deprecation>("Deprecation")({
  operation: Schema.String.annotations({ description: "The deprecated operation, e.g. learners.findByUln." }),
  announced: Schema.String.annotations({ description: "When the deprecation was announced (ISO 8601 date)." }),
  sunset: Schema.String.annotations({ description: "The first date on which the operation may stop working (ISO 8601 date)." }),
  replacement: Schema.NullOr(Schema.String).annotations({ description: "The operation to use instead, or null when there is none." })
}) {}

/**
 * The service's version, maintenance windows and deprecations.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ServiceStatus extends Schema.Class<ServiceStatus>("ServiceStatus")({
  service: Schema.Literal("learner-records").annotations({ description: "Always learner-records." }),
  version: Schema.String.annotations({ description: "The server's version." }),
  apiVersion: Schema.Literal("v1").annotations({ description: "The version of this API, as in the /api/v1 prefix." }),
  database: Schema.Literal("postgresql", "pglite").annotations({ description: "The database the server runs on: PostgreSQL, or the embedded PGlite." }),
  maintenanceWindows: Schema.Array(MaintenanceWindow).annotations({ description: "Planned maintenance windows; empty when none is planned." }),
  deprecations: Schema.Array(Deprecation).annotations({ description: "Operations announced for removal; empty when none." })
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
