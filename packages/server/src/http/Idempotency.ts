/**
 * `Idempotency-Key` on POSTs that change something (CONTRACT §4.8): the first response to a key is
 * stored, and a retry with the same key and the same request gets that response again (with
 * `Idempotent-Replayed: true`) instead of doing the work twice; the same key with a different
 * request is 422 SVC002; a retry while the first is still running is 409 SVC003.
 *
 * A key sent with a POST that only reads (find, verify, get the PLR: `Protocol.takesIdempotencyKey`)
 * is ignored. A read is safe to send again, and replaying a stored read would answer without its
 * checks (the role, the learner's agreement to share) and without its access-log entry.
 *
 * Keys are scoped to the credential that sent them (a digest of the `Authorization` or
 * `X-API-Key` header), so one client cannot replay another's responses, and kept 24 hours (an
 * older key is free to be used again). A replay is only given to a credential that still
 * authenticates: a signed-out token or a revoked key gets 401, as it would without the key.
 * Stored responses are encrypted with a key derived from the credential (AES-256-GCM), so the
 * table never holds an API key's secret or a learner's details readably: only the holder of the
 * credential can open them. Only outcomes worth replaying are stored: successes and client errors
 * other than 401, 409 and 429; a server error or a dropped connection frees the key for a retry.
 *
 * @since 0.1.0
 */
import { HttpApi, HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Problem, Protocol, type Security } from "@learner-records/api"
import { Effect, Exit, Option } from "effect"
import * as crypto from "node:crypto"
import { make, toResponse } from "./Problems.js"
import type { Matched, RouteTable } from "./Routes.js"

const sha256 = (text: string): string => crypto.createHash("sha256").update(text).digest("base64url")

const decoder = new TextDecoder()

// the sealing key is derived from the credential itself, which the server never stores; the
// scope column is a different digest of it, so the one cannot be computed from the other
const sealingKey = (credential: string): Buffer => crypto.createHash("sha256").update(`lrs idempotent response\n${credential}`).digest()

/**
 * Encrypts a response body for storage: `v1.<iv>.<tag>.<ciphertext>` (base64url).
 *
 * @since 0.1.0
 * @category sealing
 */
export const seal = (plaintext: string, credential: string): string => {
  const iv = crypto.randomBytes(12)
  const cipher = crypto.createCipheriv("aes-256-gcm", sealingKey(credential), iv)
  const body = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()])
  return ["v1", iv.toString("base64url"), cipher.getAuthTag().toString("base64url"), body.toString("base64url")].join(".")
}

/**
 * Decrypts a body sealed by {@link seal} with the same credential; none when it cannot.
 *
 * @since 0.1.0
 * @category sealing
 */
export const unseal = (sealed: string, credential: string): Option.Option<string> => {
  const parts = sealed.split(".")
  if (parts.length !== 4 || parts[0] !== "v1") return Option.none()
  try {
    const decipher = crypto.createDecipheriv("aes-256-gcm", sealingKey(credential), Buffer.from(parts[1]!, "base64url"))
    decipher.setAuthTag(Buffer.from(parts[2]!, "base64url"))
    return Option.some(Buffer.concat([decipher.update(Buffer.from(parts[3]!, "base64url")), decipher.final()]).toString("utf8"))
  } catch {
    return Option.none()
  }
}

/**
 * Checks that the request's credential still authenticates; fails with its 401 problem when not.
 *
 * @since 0.1.0
 * @category models
 */
export type Authenticate = (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<Security.Caller, Problem.Unauthorized>

/**
 * The role check of a route for a caller (see `Authorization.routeAuthorizer`).
 *
 * @since 0.1.2
 * @category models
 */
export type AuthorizeRoute = (method: string, template: string, caller: Security.Caller) => Effect.Effect<void, Problem.Forbidden>

/**
 * Whether the route a request reaches (its method and the route's path template, as
 * `Routes.match` gives it) is an operation that takes an `Idempotency-Key`.
 *
 * @since 0.1.2
 * @category models
 */
export type Keyed = (method: string, template: string) => boolean

/**
 * The {@link Keyed} test of an `HttpApi`: its operations for which `Protocol.takesIdempotencyKey`
 * holds, by method and path template (`/api/v1/achievements/:id/withdraw`).
 *
 * @since 0.1.2
 * @category models
 */
export const keyedOperations = (api: HttpApi.HttpApi.Any): Keyed => {
  const keyed = new Set<string>()
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => {
      if (Protocol.takesIdempotencyKey(endpoint.method, endpoint.name)) keyed.add(`${endpoint.method} ${endpoint.path}`)
    }
  })
  return (method, template) => keyed.has(`${method} ${template}`)
}

/**
 * The middleware, for the operations `keyed` names, each request matched to its route by `table`
 * as the router matches it: storing keys through `sql` and checking credentials with
 * `authenticate` before a replay.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = (sql: SqlClient.SqlClient, authenticate: Authenticate, keyed: Keyed, table: RouteTable, authorizeRoute: AuthorizeRoute) =>
  HttpMiddleware.make((app) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const key = request.headers["idempotency-key"]
      const credential = request.headers["authorization"] ?? request.headers["x-api-key"]
      // most requests carry no key: they pass straight through, as do reads that carry one
      if (request.method !== "POST" || key === undefined || credential === undefined) return app
      return Effect.flatMap(table.routes, (routes) => {
        const route = routes.find(request.method, request.url)
        return route !== undefined && keyed(request.method, route.template)
          ? idempotent(sql, authenticate, authorizeRoute, app, request, route, key, credential)
          : app
      })
    })
  )

const idempotent = <E, R>(
  sql: SqlClient.SqlClient,
  authenticate: Authenticate,
  authorizeRoute: AuthorizeRoute,
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  request: HttpServerRequest.HttpServerRequest,
  route: Matched,
  key: string,
  credential: string
) =>
  Effect.gen(function*() {
    if (!Protocol.idempotencyKeyPattern.test(key)) {
      // refused in the api's order: credentials (401), then the role (403), then the request (400)
      const allowed = yield* Effect.either(Effect.flatMap(authenticate(request), (caller) => authorizeRoute(request.method, route.template, caller)))
      if (allowed._tag === "Left") return toResponse(allowed.left)
      return toResponse(yield* make("BadRequest", {
        code: "WSEC0001",
        title: "Invalid request",
        detail: "Idempotency-Key must be 1–255 visible ASCII characters (a UUID is ideal).",
        errors: [new Problem.FieldError({ field: "Idempotency-Key", message: "1–255 visible ASCII characters" })]
      }))
    }
    const body = yield* Effect.orElseSucceed(request.text, () => "")
    const scope = sha256(credential)
    const kept = sql`make_interval(hours => ${Protocol.idempotencyKeyHours})`
    // the request as the router reads it, so that another way of writing its path is the same request
    const digest = sha256(`${request.method} ${route.template}\n${JSON.stringify(route.params)}\n${JSON.stringify(route.searchParams)}\n${body}`)
    if (Math.random() < 0.001) yield* Effect.ignore(sql`DELETE FROM idempotency_keys WHERE created_at < now() - ${kept}`)
    // a key older than that is taken over as if it were new
    const claimed = yield* sql<{ readonly key: string }>`INSERT INTO idempotency_keys (scope, key, request_digest)
      VALUES (${scope}, ${key}, ${digest})
      ON CONFLICT (scope, key) DO UPDATE SET request_digest = EXCLUDED.request_digest, status = NULL, content_type = NULL, body = NULL,
        created_at = now()
      WHERE idempotency_keys.created_at < now() - ${kept}
      RETURNING key`.pipe(Effect.orDie)
    if (claimed.length === 0) {
      // the stored outcome is only for a credential that still works
      const refused = yield* Effect.flip(authenticate(request)).pipe(Effect.option)
      if (Option.isSome(refused)) return toResponse(refused.value)
      const rows = yield* sql<{ readonly requestDigest: string; readonly status: number | null; readonly contentType: string | null; readonly body: string | null }>`
        SELECT request_digest, status, content_type, body FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`.pipe(Effect.orDie)
      const row = rows[0]
      if (row !== undefined && row.requestDigest !== digest) {
        return toResponse(yield* make("Unprocessable", {
          code: "SVC002",
          title: "Idempotency key reused",
          detail: "This Idempotency-Key was already used for a different request; use a new key for a new request."
        }))
      }
      if (row === undefined || row.status === null) {
        return toResponse(yield* make("Conflict", {
          code: "SVC003",
          title: "Request in progress",
          detail: "A request with this Idempotency-Key is still being processed; retry shortly."
        }), 1)
      }
      const stored = row.body === null ? Option.some("") : unseal(row.body, credential)
      if (Option.isNone(stored)) {
        yield* Effect.logError("idempotency: a stored response cannot be opened with its own credential").pipe(Effect.annotateLogs("idempotencyKey", key))
        return toResponse(yield* make("InternalError", {
          code: "WSEC0999",
          title: "Unknown exception",
          detail: "An unexpected error occurred. Quote the requestId to the service desk."
        }))
      }
      return HttpServerResponse.text(stored.value, {
        status: row.status,
        contentType: row.contentType ?? "application/json",
        headers: { "idempotent-replayed": "true" }
      })
    }
    const release = Effect.ignore(sql`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`)
    const response = yield* app.pipe(Effect.onExit((exit) => Exit.isSuccess(exit) ? Effect.void : release))
    if (Protocol.isReplayedStatus(response.status) && response.body._tag === "Uint8Array") {
      const sealed = seal(decoder.decode(response.body.body), credential)
      yield* Effect.ignore(sql`UPDATE idempotency_keys SET status = ${response.status}, content_type = ${response.body.contentType}, body = ${sealed}
        WHERE scope = ${scope} AND key = ${key}`)
    } else {
      yield* release
    }
    return response
  })
