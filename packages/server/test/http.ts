/**
 * HTTP test harness: the whole server (`Api.HttpLive`) on a random port over a real database, with
 * the migrations applied and the admin account created, plus helpers to call it and to create
 * organisations and users directly in the database.
 *
 * ```ts
 * describeHttp("Learners", (it) => {
 *   it.effect("registers", () => Effect.gen(function*() {
 *     const f = yield* fixture
 *     const r = yield* call("POST", "/api/v1/learners", { token: f.lrb.online, body: {...} })
 *     expect(r.status).toBe(201)
 *   }))
 * })
 * ```
 *
 * Rate limiting is off (`LRS_RATE_LIMIT=0`) unless a test sets its own provider; the admin's
 * password is {@link ADMIN_PASSWORD}.
 *
 * @since 0.1.0
 */
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { describe, layer, type Vitest } from "@effect/vitest"
import * as Clock from "effect/Clock"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as net from "node:net"
import { Accounts } from "../src/Accounts.js"
import * as Api from "../src/Api.js"
import * as Migrations from "../src/Migrations.js"
import { textArray } from "../src/internal/sql.js"
import * as Passwords from "../src/Passwords.js"
import { databaseUrl, type DatabaseKind, PgliteTest, PgTest } from "./utils.js"

/**
 * The admin password of every test server.
 *
 * @since 0.1.0
 */
export const ADMIN_PASSWORD = "admin-password-for-tests"

/**
 * The password of every fixture user.
 *
 * @since 0.1.0
 */
export const PASSWORD = "fixture-password-123"

/**
 * Environment of the test servers.
 *
 * @since 0.1.0
 */
export const testConfig = (extra: ReadonlyArray<readonly [string, string]> = []) =>
  ConfigProvider.fromMap(new Map<string, string>([["LRS_RATE_LIMIT", "0"], ["LRS_ADMIN_PASSWORD", ADMIN_PASSWORD], ...extra]))

/**
 * The server over a database layer: migrated, admin created, listening on a random port; the
 * `HttpClient` it provides is prefixed with the server's URL.
 *
 * @since 0.1.0
 */
export const serverOn = (
  database: Layer.Layer<SqlClient.SqlClient, SqlError>,
  config: ConfigProvider.ConfigProvider = testConfig()
) =>
  Api.HttpLive.pipe(
    Layer.provideMerge(NodeHttpServer.layerTest),
    Layer.provideMerge(Layer.effectDiscard(Effect.flatMap(Accounts, (a) => a.ensureAdmin())).pipe(Layer.provide(Accounts.Default))),
    Layer.provideMerge(Migrations.layer),
    Layer.provideMerge(database),
    Layer.provide(Layer.setConfigProvider(config))
  )

/**
 * The `it` of a {@link describeHttp} body.
 *
 * @since 0.1.0
 */
export type HttpIt = Vitest.MethodsNonLive<SqlClient.SqlClient | HttpClient.HttpClient, true>

/**
 * Registers `name › postgres` and `name › pglite`, each with its own server and database shared by
 * the tests of that half. `options.clock` is the servers' clock (e.g. {@link clockFrom}).
 *
 * @since 0.1.0
 */
export const describeHttp = (
  name: string,
  body: (it: HttpIt, database: DatabaseKind) => void,
  options: { readonly config?: ConfigProvider.ConfigProvider; readonly clock?: Clock.Clock } = {}
): void => {
  const layerOptions = { timeout: "60 seconds", excludeTestServices: true } as const
  const server = (database: Layer.Layer<SqlClient.SqlClient, SqlError>) => {
    const live = serverOn(database, options.config)
    return options.clock === undefined ? live : live.pipe(Layer.provide(Layer.setClock(options.clock)))
  }
  describe(name, () => {
    const postgres = () => layer(server(PgTest), layerOptions)("postgres", (it) => body(it, "postgres"))
    if (databaseUrl() === undefined) describe.skip("(no PostgreSQL available)", postgres)
    else postgres()
    layer(server(PgliteTest), layerOptions)("pglite", (it) => body(it, "pglite"))
  })
}

/**
 * A clock that reads `start` when made and runs on from there at the real pace (its sleeps are
 * real ones): for a server that should believe it is another moment, when a `TestClock`, which
 * sleeps until told to, would stall its timers.
 *
 * @since 0.1.2
 */
export const clockFrom = (start: number): Clock.Clock => {
  const real = Clock.make()
  const offset = start - real.unsafeCurrentTimeMillis()
  const millis = () => real.unsafeCurrentTimeMillis() + offset
  const nanos = () => real.unsafeCurrentTimeNanos() + BigInt(offset) * 1_000_000n
  return {
    [Clock.ClockTypeId]: Clock.ClockTypeId,
    unsafeCurrentTimeMillis: millis,
    currentTimeMillis: Effect.sync(millis),
    unsafeCurrentTimeNanos: nanos,
    currentTimeNanos: Effect.sync(nanos),
    sleep: (duration) => real.sleep(duration)
  }
}

/**
 * A response as the tests see it.
 *
 * @since 0.1.0
 */
export interface Reply {
  readonly status: number
  readonly headers: Readonly<Record<string, string>>
  readonly body: unknown
  readonly text: string
}

/**
 * Options of {@link call}.
 *
 * @since 0.1.0
 */
export interface CallOptions {
  readonly token?: string | undefined
  readonly apiKey?: string | undefined
  readonly body?: unknown
  readonly text?: { readonly body: string; readonly contentType: string } | undefined
  readonly headers?: Readonly<Record<string, string>> | undefined
}

/**
 * Calls the test server; never fails on an HTTP status.
 *
 * @since 0.1.0
 */
export const call = (method: "GET" | "POST" | "PUT" | "DELETE", path: string, options: CallOptions = {}) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    let request = HttpClientRequest.make(method)(path)
    if (options.token !== undefined) request = HttpClientRequest.bearerToken(request, options.token)
    if (options.apiKey !== undefined) request = HttpClientRequest.setHeader(request, "x-api-key", options.apiKey)
    if (options.headers !== undefined) request = HttpClientRequest.setHeaders(request, options.headers)
    if (options.body !== undefined) request = yield* HttpClientRequest.bodyJson(request, options.body)
    if (options.text !== undefined) request = HttpClientRequest.bodyText(request, options.text.body, options.text.contentType)
    const response = yield* client.execute(request)
    const text = yield* response.text
    let body: unknown = undefined
    try {
      body = text === "" ? undefined : JSON.parse(text)
    } catch {
      body = undefined
    }
    return { status: response.status, headers: response.headers, body, text } satisfies Reply
  }).pipe(Effect.scoped, Effect.orDie)

/**
 * Signs in and returns the bearer token (dies when the sign-in fails).
 *
 * @since 0.1.0
 */
export const signIn = (username: string, password: string = PASSWORD) =>
  Effect.flatMap(call("POST", "/api/v1/auth/login", { body: { username, password } }), (reply) =>
    reply.status === 200
      ? Effect.succeed((reply.body as { readonly token: string }).token)
      : Effect.dieMessage(`sign-in of ${username} failed: ${reply.status} ${reply.text}`))

let fixtureHash: string | undefined

/**
 * Creates an organisation directly in the database and returns its id.
 *
 * @since 0.1.0
 */
export const createOrganisation = (org: {
  readonly name: string
  readonly ukprn?: string | undefined
  readonly kinds: ReadonlyArray<"LRB" | "AO" | "LRS">
  readonly olass?: boolean | undefined
}) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ readonly id: string }>`INSERT INTO organisations (name, ukprn, kinds, olass)
      VALUES (${org.name}, ${org.ukprn ?? null}, ${textArray(org.kinds)}::text[], ${org.olass ?? false}) RETURNING id::text`
    return rows[0]!.id
  }).pipe(Effect.orDie)

/**
 * Creates a user (password {@link PASSWORD}) directly in the database and returns its id.
 *
 * @since 0.1.0
 */
export const createUser = (organisationId: string, username: string, roles: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    fixtureHash ??= yield* Passwords.hash(PASSWORD)
    const rows = yield* sql<{ readonly id: string }>`INSERT INTO users (organisation_id, username, display_name, password_hash, roles)
      VALUES (${organisationId}::uuid, ${username}, ${username}, ${fixtureHash}, ${textArray(roles)}::text[]) RETURNING id::text`
    return rows[0]!.id
  }).pipe(Effect.orDie)

let counter = 0

/**
 * A unique suffix for names in one test run (user names and UKPRNs must be unique per database).
 *
 * @since 0.1.0
 */
export const unique = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}`

/**
 * A fresh, unused 8-digit UKPRN starting with 1.
 *
 * @since 0.1.0
 */
export const freshUkprn = (): string => `1${String(Math.floor(Math.random() * 1e7)).padStart(7, "0")}`

/**
 * One organisation with a signed-in user per role.
 *
 * @since 0.1.0
 */
export interface OrganisationFixture {
  readonly id: string
  readonly ukprn: string
  /** Bearer tokens by role. */
  readonly tokens: Readonly<Record<string, string>>
  /** User ids by role. */
  readonly users: Readonly<Record<string, string>>
  /** User names by role. */
  readonly usernames: Readonly<Record<string, string>>
}

/**
 * Creates an organisation with one signed-in user for each of `roles`.
 *
 * @since 0.1.0
 */
export const organisationWith = (
  kinds: ReadonlyArray<"LRB" | "AO">,
  roles: ReadonlyArray<string>,
  options: { readonly olass?: boolean } = {}
) =>
  Effect.gen(function*() {
    const suffix = unique()
    const ukprn = freshUkprn()
    const id = yield* createOrganisation({ name: `${kinds.join("+")} ${suffix}`, ukprn, kinds, olass: options.olass })
    const tokens: Record<string, string> = {}
    const users: Record<string, string> = {}
    const usernames: Record<string, string> = {}
    for (const role of roles) {
      const username = `${role.toLowerCase()}.${suffix}`
      users[role] = yield* createUser(id, username, [role])
      usernames[role] = username
      tokens[role] = yield* signIn(username)
    }
    return { id, ukprn, tokens, users, usernames } satisfies OrganisationFixture
  })

/**
 * The usual cast: an LRB and another LRB, an AO and another AO, each with a user of every role
 * that makes sense for it, and the admin's token.
 *
 * @since 0.1.0
 */
export const fixture = Effect.gen(function*() {
  const lrbRoles = ["SuperUser", "OnlineUser", "ViewLearnerOnly", "BatchUser", "LearnerPlanUser"]
  const aoRoles = ["SuperUser", "AwardingBodyUser", "BatchUser"]
  const lrb = yield* organisationWith(["LRB"], lrbRoles)
  const otherLrb = yield* organisationWith(["LRB"], lrbRoles)
  const ao = yield* organisationWith(["AO"], aoRoles)
  const otherAo = yield* organisationWith(["AO"], aoRoles)
  const admin = yield* signIn("admin", ADMIN_PASSWORD)
  return { lrb, otherLrb, ao, otherAo, admin }
})

/**
 * Counts the rows of a table (to check that nothing was written).
 *
 * @since 0.1.0
 */
export const countRows = (table: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM ${sql(table)}`
    return rows[0]!.n
  }).pipe(Effect.orDie)

/**
 * Sends `head` to `port` as it is (no client URL-encodes or checks it) and returns the raw answer.
 *
 * @since 0.1.2
 */
export const rawRequest = (port: number, head: string) =>
  Effect.async<string, Error>((resume) => {
    const socket = net.connect(port, "127.0.0.1")
    const chunks: Array<Buffer> = []
    socket.on("connect", () => socket.end(head))
    socket.on("data", (chunk) => chunks.push(chunk))
    socket.on("error", (error) => resume(Effect.fail(error)))
    socket.on("close", () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8"))))
    return Effect.sync(() => socket.destroy())
  }).pipe(Effect.orDie)
