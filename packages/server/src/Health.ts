/**
 * Liveness and readiness: `/healthz` answers while the process is up; `/readyz` only when the
 * database answers and every migration of this build is applied.
 *
 * @since 0.1.0
 */
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as SqlClient from "@effect/sql/SqlClient"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import * as Migrations from "./Migrations.js"

/**
 * How long `/readyz` waits for the database before answering 503 (default 2 seconds).
 *
 * @since 0.1.0
 * @category references
 */
export class ReadinessTimeout extends Context.Reference<ReadinessTimeout>()(
  "@learner-records/server/Server/ReadinessTimeout",
  { defaultValue: (): Duration.Duration => Duration.seconds(2) }
) {}

/**
 * Body of `GET /healthz`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HealthJson = Schema.Struct({ status: Schema.Literal("ok") })

/**
 * Body of `GET /readyz`: ready when the database answers and every known migration is applied.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReadinessJson = Schema.Union(
  Schema.Struct({ status: Schema.Literal("ready") }),
  Schema.Struct({
    status: Schema.Literal("unavailable"),
    reason: Schema.Literal("database-unreachable", "migrations-pending"),
    migration: Schema.optional(Schema.Number),
    latestMigration: Schema.optional(Schema.Number)
  })
)

/**
 * The readiness verdict.
 *
 * @since 0.1.0
 * @category models
 */
export type Readiness = typeof ReadinessJson.Type

/**
 * Checks readiness (never fails: an unreachable database is an "unavailable" verdict).
 *
 * @since 0.1.0
 * @category health
 */
export const readiness: Effect.Effect<Readiness, never, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const timeout = yield* ReadinessTimeout
  return yield* Effect.timeout(Effect.zipRight(sql`SELECT 1`, Migrations.status), timeout)
}).pipe(
  Effect.match({
    onFailure: (): Readiness => ({ status: "unavailable", reason: "database-unreachable" }),
    onSuccess: (status): Readiness =>
      status.upToDate
        ? { status: "ready" }
        : {
          status: "unavailable",
          reason: "migrations-pending",
          migration: status.applied,
          latestMigration: status.latest
        }
  }),
  Effect.withSpan("Server.readiness")
)

const healthJson = HttpServerResponse.schemaJson(HealthJson)
const readinessJson = HttpServerResponse.schemaJson(ReadinessJson)

/**
 * `GET /healthz` → 200 `{"status":"ok"}` (the process is up).
 *
 * @since 0.1.0
 * @category handlers
 */
export const healthz = Effect.orDie(healthJson({ status: "ok" }))

/**
 * `GET /readyz` → 200 `{"status":"ready"}` when {@link readiness} says so, else 503
 * `{"status":"unavailable","reason":…}`.
 *
 * @since 0.1.0
 * @category handlers
 */
export const readyz = Effect.flatMap(readiness, (verdict) =>
  Effect.orDie(readinessJson(verdict, { status: verdict.status === "ready" ? 200 : 503 })))

