/**
 * The HTTP server ({@link Api.HttpLive} on a port) and the entry points of the `lrs` CLI:
 * {@link serve} (`lrs serve`) and {@link migrate} (`lrs migrate`). Starting opens the database,
 * applies the pending migrations and, on an empty database, creates the LRS admin account.
 *
 * @since 0.1.0
 */
import * as HttpServer from "@effect/platform/HttpServer"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import type * as Migrator from "@effect/sql/Migrator"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import { type AdminBootstrap, Accounts } from "./Accounts.js"
import * as Api from "./Api.js"
import * as Database from "./Database.js"
import * as Demo from "./Demo.js"
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
  /** Load the demo data set ({@link Demo.seed}) unless it is already there. */
  readonly demo?: boolean | undefined
}

/**
 * What starting did: whether it created the admin account (and the generated password, to print
 * once), and the demo data set when asked for.
 *
 * @since 0.1.0
 * @category models
 */
export interface Started {
  readonly admin: AdminBootstrap
  /** The demo data set, when started with `demo`. */
  readonly demo: Option.Option<Demo.DemoData>
}

/**
 * The {@link Started} record of this server.
 *
 * @since 0.1.0
 * @category context
 */
export class Bootstrap extends Context.Tag("@learner-records/server/Server/Bootstrap")<Bootstrap, Started>() {}

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
export const layer = (options: ServeOptions = {}): Layer.Layer<HttpServer.HttpServer | Bootstrap, StartError> => {
  const listen = Layer.unwrapEffect(
    Effect.map(ServerConfig, (config) =>
      NodeHttpServer.layer(createServer, { port: options.port ?? config.port, host: options.host ?? config.host }))
  )
  const database = Migrations.layer.pipe(Layer.provideMerge(options.database ?? Database.layer))
  const bootstrap = Layer.effect(
    Bootstrap,
    Effect.gen(function*() {
      const admin = yield* Effect.flatMap(Accounts, (accounts) => accounts.ensureAdmin())
      const demo = options.demo === true ? Option.some(yield* Demo.seed) : Option.none()
      return { admin, demo }
    })
  ).pipe(Layer.provide(Accounts.Default))
  return Api.HttpLive.pipe(
    Layer.provideMerge(listen),
    Layer.provideMerge(bootstrap),
    Layer.provide(database)
  )
}

/**
 * Starts the server in the current scope and returns the bound address and what starting did
 * (it prints nothing: the
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
export const serve = (
  options: ServeOptions = {}
): Effect.Effect<{ readonly address: HttpServer.Address; readonly started: Started }, StartError, Scope.Scope> =>
  Effect.map(Layer.build(layer(options)), (context) => ({
    address: Context.get(context, HttpServer.HttpServer).address,
    started: Context.get(context, Bootstrap)
  })).pipe(
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

/**
 * `lrs seed --demo`: applies the pending migrations to the configured database, creates the admin
 * account when there is none, and loads the demo data set unless it is already there.
 *
 * @since 0.1.0
 * @category entry points
 */
export const seedDemo: Effect.Effect<
  { readonly admin: AdminBootstrap; readonly demo: Demo.DemoData },
  SqlError | Migrator.MigrationError | ConfigError.ConfigError
> = Effect.gen(function*() {
  yield* Migrations.run
  const admin = yield* Effect.flatMap(Accounts, (accounts) => accounts.ensureAdmin())
  const demo = yield* Demo.seed
  return { admin, demo }
}).pipe(Effect.provide(Accounts.Default), Effect.provide(Database.layer))
