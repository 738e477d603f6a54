/**
 * `GET /service-status`: version, maintenance windows and deprecations.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder } from "@effect/platform"
import { LearnerRecordsApi as Contract, ServiceApi } from "@learner-records/api"
import { Effect } from "effect"
import { PgliteInstance } from "../Database.js"

/**
 * The version this server reports.
 *
 * @since 0.1.0
 * @category constants
 */
export const VERSION = "0.1.0"

/**
 * Handlers of the `service` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = HttpApiBuilder.group(Contract.LearnerRecordsApi, "service", (handlers) =>
  Effect.gen(function*() {
    const pglite = yield* Effect.serviceOption(PgliteInstance)
    const status = ServiceApi.ServiceStatus.make({
      service: "learner-records",
      version: VERSION,
      apiVersion: "v1",
      database: pglite._tag === "Some" ? "pglite" : "postgresql",
      maintenanceWindows: [],
      deprecations: []
    })
    return handlers.handle("status", () => Effect.succeed(status))
  }))
