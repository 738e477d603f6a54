/**
 * The HTTP server: health endpoints for now (the `HttpApi` handlers join later), plus the two
 * entry points of the `lrs` CLI: {@link serve} (`lrs serve`) and {@link migrate} (`lrs migrate`).
 *
 * @since 0.1.0
 */
import * as HttpRouter from "@effect/platform/HttpRouter"
import * as HttpServer from "@effect/platform/HttpServer"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as HttpServerResponse from "@effect/platform/HttpServerResponse"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import * as Database from "./Database.js"
import * as Migrations from "./Migrations.js"

/**
 * Where the server listens.
 *
 * @since 0.1.0
 * @category config
 */
export interface ServerConfig {
  readonly port: number
  readonly host: string
}

/**
 * `PORT` (default 3000) and `HOST` (default 127.0.0.1).
 *
 * @since 0.1.0
 * @category config
 */
export const ServerConfig: Config.Config<ServerConfig> = Config.all({
  port: Config.port("PORT").pipe(Config.withDefault(3000)),
  host: Config.string("HOST").pipe(Config.withDefault("127.0.0.1"))
})

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
 * `GET /healthz` → 200 `{"status":"ok"}` (the process is up); `GET /readyz` → 200
 * `{"status":"ready"}` when {@link readiness} says so, else 503 `{"status":"unavailable","reason":…}`.
 *
 * @since 0.1.0
 * @category routers
 */
export const HealthRouter: HttpRouter.HttpRouter<never, SqlClient.SqlClient> = HttpRouter.empty.pipe(
  HttpRouter.get("/healthz", Effect.orDie(healthJson({ status: "ok" }))),
  HttpRouter.get(
    "/readyz",
    Effect.flatMap(readiness, (verdict) =>
      Effect.orDie(readinessJson(verdict, { status: verdict.status === "ready" ? 200 : 503 })))
  )
)

/**
 * Serves the routes on whatever `HttpServer` is provided (a real port, or `NodeHttpServer.layerTest`).
 *
 * @since 0.1.0
 * @category layers
 */
export const HttpLive: Layer.Layer<never, never, HttpServer.HttpServer | SqlClient.SqlClient> = HttpServer.serve(
  HealthRouter
)

/**
 * Options of {@link layer} and {@link serve}; anything left out comes from the environment
 * ({@link ServerConfig}, {@link Database.layer}).
 *
 * @since 0.1.0
 * @category models
 */
export interface ServeOptions {
  readonly port?: number | undefined
  readonly host?: string | undefined
  readonly database?: Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError.ConfigError> | undefined
}

/**
 * Errors of starting the server.
 *
 * @since 0.1.0
 * @category models
 */
export type StartError = ServeError | SqlError | Migrator.MigrationError | ConfigError.ConfigError

/**
 * The whole server as a layer: opens the database, applies the pending migrations, then listens.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: ServeOptions = {}): Layer.Layer<HttpServer.HttpServer, StartError> => {
  const listen = Layer.unwrapEffect(
    Effect.map(ServerConfig, (config) =>
      NodeHttpServer.layer(createServer, { port: options.port ?? config.port, host: options.host ?? config.host }))
  )
  const database = Migrations.layer.pipe(Layer.provideMerge(options.database ?? Database.layer))
  return HttpLive.pipe(Layer.provideMerge(listen), Layer.provide(database))
}

/**
 * Starts the server in the current scope and returns the bound address (it prints nothing: the
 * caller prints its own banner). Closing the scope (an interrupt, Ctrl-C under `NodeRuntime.runMain`)
 * stops accepting connections, lets requests in flight finish, then closes the database.
 *
 * ```ts
 * Effect.scoped(Effect.gen(function*() {
 *   const address = yield* Server.serve({ port: 8080 })
 *   yield* Console.log(`listening on ${HttpServer.formatAddress(address)}`)
 *   return yield* Effect.never
 * }))
 * ```
 *
 * @since 0.1.0
 * @category entry points
 */
export const serve = (options: ServeOptions = {}): Effect.Effect<HttpServer.Address, StartError, Scope.Scope> =>
  Effect.map(Layer.build(layer(options)), (context) => Context.get(context, HttpServer.HttpServer).address).pipe(
    Effect.withSpan("Server.serve")
  )

/**
 * Applies the pending migrations to the configured database ({@link Database.layer}) and returns
 * the `[id, name]` pairs applied (empty when already up to date).
 *
 * @since 0.1.0
 * @category entry points
 */
export const migrate: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  SqlError | Migrator.MigrationError | ConfigError.ConfigError
> = Migrations.run.pipe(Effect.provide(Database.layer))
