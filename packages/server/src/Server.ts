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
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import { randomUUID } from "node:crypto"
import { createServer, type IncomingMessage, type Server as NodeServer, type ServerResponse, STATUS_CODES } from "node:http"
import type { Duplex } from "node:stream"
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
 * How long a stopping server waits for the requests it has received: `LRS_SHUTDOWN_GRACE_MS`
 * (default 10000). Past it the connections still open are closed and the server stops anyway.
 *
 * @since 0.1.2
 * @category config
 */
export const ShutdownGrace: Config.Config<Duration.Duration> = Config.integer("LRS_SHUTDOWN_GRACE_MS").pipe(
  Config.validate({ message: "LRS_SHUTDOWN_GRACE_MS must be 0 or more (milliseconds)", validation: (ms) => ms >= 0 }),
  Config.withDefault(10_000),
  Config.map(Duration.millis)
)

/**
 * Options of {@link layer} and {@link serve}; anything left out comes from the environment
 * ({@link ServerConfig}, {@link ShutdownGrace}, {@link Database.layer}).
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
  /** How long stopping waits for the requests received ({@link ShutdownGrace}); since 0.1.2. */
  readonly shutdownGrace?: Duration.DurationInput | undefined
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
 * Stopping a node server gracefully. `@effect/platform-node` alone stops answering at once (its
 * request handler is removed first), then waits in `server.close()` for connections that will
 * never be answered or that a client keeps open, so a stopping server hung. Here, first: every
 * response from now on, those in flight included, says `Connection: close`; then the connections
 * already waiting to be accepted are accepted (closing the listener would reset them, and the
 * requests they carry with them); then the listener and the idle connections are closed; it waits
 * for the requests received to be answered, and after `grace` closes whatever connection is left.
 */
/**
 * The answer to a request node cannot parse (a malformed request line or header, headers over
 * node's 16 KiB, a request that took too long to arrive), which never reaches the app: a problem
 * like every other error, with a request id to quote, where node's own is a bare status line. (A
 * CONNECT, which node does not pass to the app either, is 501 the same way.)
 *
 * @since 0.1.2
 * @category errors
 */
export const clientErrorAnswer = (code: string | undefined): { readonly status: number; readonly title: string; readonly detail: string } => {
  switch (code) {
    case "HPE_HEADER_OVERFLOW":
      return { status: 431, title: "Request header fields too large", detail: "The request's headers are larger than the server takes (16 KiB in all)." }
    case "ERR_HTTP_REQUEST_TIMEOUT":
      return { status: 408, title: "Request timeout", detail: "The request did not arrive in time." }
    default:
      return { status: 400, title: "Invalid request", detail: "The request is not well-formed HTTP/1.1 (its request line or a header cannot be read)." }
  }
}

const answerClientError = (error: Error & { readonly code?: string }, socket: Duplex): void => {
  // nothing can be said on a connection that is gone or already answering
  if (error.code === "ECONNRESET" || !socket.writable) return void socket.destroy()
  writeProblem(socket, clientErrorAnswer(error.code))
}

// node hands a CONNECT to its own event, and closes the socket unanswered when nothing listens
const answerConnect = (_request: IncomingMessage, socket: Duplex): void => {
  if (!socket.writable) return void socket.destroy()
  writeProblem(socket, { status: 501, title: "Not implemented", detail: "CONNECT is not served here: this is not a proxy." })
}

const writeProblem = (socket: Duplex, answer: { readonly status: number; readonly title: string; readonly detail: string }): void => {
  const requestId = randomUUID()
  const body = JSON.stringify({ code: "WSEC0001", title: answer.title, detail: answer.detail, errors: [], requestId })
  socket.end([
    `HTTP/1.1 ${answer.status} ${STATUS_CODES[answer.status]}`,
    "Content-Type: application/problem+json",
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-ID: ${requestId}`,
    "X-Content-Type-Options: nosniff",
    "Cache-Control: no-store",
    "Connection: close",
    "",
    body
  ].join("\r\n"))
}

const gracefulStop = (server: NodeServer) => {
  const inFlight = new Set<ServerResponse>()
  let stopping = false
  let accepted = 0
  const closeAfter = (response: ServerResponse) => {
    if (!response.headersSent) response.setHeader("connection", "close")
  }
  server.on("connection", () => void accepted++)
  // registered before the app's handler, so it sees every request first
  server.on("request", (_request, response) => {
    if (stopping) return closeAfter(response)
    inFlight.add(response)
    response.once("close", () => inFlight.delete(response))
  })
  // node accepts one waiting connection per turn of the event loop, and reads what was sent on it
  // in the next turn: so this waits for two turns in a row that accept nothing (at most `limit`)
  const acceptWaiting = (limit: Duration.Duration) =>
    Effect.async<void>((resume) => {
      const until = Date.now() + Duration.toMillis(limit)
      let seen = accepted
      let quiet = 0
      const turn = () => {
        quiet = accepted === seen ? quiet + 1 : 0
        seen = accepted
        if (quiet >= 2 || Date.now() >= until) return resume(Effect.void)
        pending = setImmediate(turn)
      }
      let pending = setImmediate(turn)
      return Effect.sync(() => clearImmediate(pending))
    })
  // plain timers, not an Effect timeout: a finalizer is uninterruptible, so the wait a timeout
  // would interrupt (for connections that never close) could not be
  const close = (grace: Duration.Duration) =>
    Effect.async<void>((resume) => {
      let done = false
      const finish = () => {
        if (done) return
        done = true
        clearTimeout(deadline)
        clearTimeout(forced)
        resume(Effect.void)
      }
      let forced: NodeJS.Timeout | undefined
      const deadline = setTimeout(() => {
        server.closeAllConnections()
        // the requests those connections held are interrupted as their sockets close
        forced = setTimeout(finish, 1_000)
      }, Duration.toMillis(grace))
      // stops listening and closes the idle connections; calls back once the last one is closed
      server.close(finish)
    })
  return (grace: Duration.Duration): Effect.Effect<void> =>
    Effect.gen(function*() {
      stopping = true
      inFlight.forEach(closeAfter)
      yield* acceptWaiting(Duration.min(grace, Duration.seconds(1)))
      yield* close(grace)
    })
}

/**
 * The whole server as a layer: opens the database, applies the pending migrations, then listens.
 * Releasing it stops gracefully: it stops listening, answers the requests already received (with
 * `Connection: close`), closes idle connections, and after the grace period ({@link ShutdownGrace})
 * closes the connections still open; then it closes the database.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: ServeOptions = {}): Layer.Layer<HttpServer.HttpServer | Bootstrap, StartError> =>
  Layer.unwrapEffect(Effect.gen(function*() {
    const config = yield* ServerConfig
    const grace = options.shutdownGrace === undefined ? yield* ShutdownGrace : Duration.decode(options.shutdownGrace)
    const server = createServer()
    server.on("clientError", answerClientError)
    server.on("connect", answerConnect)
    const stop = gracefulStop(server)
    const listen = NodeHttpServer.layer(() => server, { port: options.port ?? config.port, host: options.host ?? config.host })
    const database = Migrations.layer.pipe(Layer.provideMerge(options.database ?? Database.layer))
    const bootstrap = Layer.effect(
      Bootstrap,
      Effect.gen(function*() {
        const admin = yield* Effect.flatMap(Accounts, (accounts) => accounts.ensureAdmin())
        const demo = options.demo === true ? Option.some(yield* Demo.seed) : Option.none()
        return { admin, demo }
      })
    ).pipe(Layer.provide(Accounts.Default))
    const app = Api.HttpLive.pipe(
      Layer.provideMerge(listen),
      Layer.provideMerge(bootstrap),
      Layer.provide(database)
    )
    // built last, so released first: the app's handler and the database are still there while it drains
    return Layer.scopedDiscard(Effect.addFinalizer(() => stop(grace))).pipe(Layer.provideMerge(app))
  }))

/**
 * Starts the server in the current scope and returns the bound address and what starting did
 * (it prints nothing: the
 * caller prints its own banner). Closing the scope (an interrupt, Ctrl-C or SIGTERM under
 * `NodeRuntime.runMain`) stops gracefully, as {@link layer} says.
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
