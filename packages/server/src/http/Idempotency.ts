/**
 * `Idempotency-Key` on POSTs (CONTRACT §4.8): the first response to a key is stored, and a retry
 * with the same key and the same request gets that response again (with `Idempotent-Replayed:
 * true`) instead of doing the work twice; the same key with a different request is 422 SVC002; a
 * retry while the first is still running is 409 SVC003.
 *
 * Keys are scoped to the credential that sent them (a digest of the `Authorization` or
 * `X-API-Key` header), so one client cannot replay another's responses, and kept 24 hours.
 * Only outcomes worth replaying are stored: successes and client errors other than 401, 409 and
 * 429; a server error or a dropped connection frees the key for a retry.
 *
 * @since 0.1.0
 */
import { HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import type * as SqlClient from "@effect/sql/SqlClient"
import { Effect, Exit } from "effect"
import * as crypto from "node:crypto"
import { make, toResponse } from "./Problems.js"

const KEY = /^[\x21-\x7e]{1,255}$/

const sha256 = (text: string): string => crypto.createHash("sha256").update(text).digest("base64url")

const replayable = (status: number): boolean =>
  (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 401 && status !== 409 && status !== 429)

const decoder = new TextDecoder()

/**
 * The middleware, storing keys through `sql`.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = (sql: SqlClient.SqlClient) => HttpMiddleware.make((app) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const key = request.headers["idempotency-key"]
    const credential = request.headers["authorization"] ?? request.headers["x-api-key"]
    if (request.method !== "POST" || key === undefined || credential === undefined) return yield* app
    if (!KEY.test(key)) {
      return toResponse(yield* make("BadRequest", {
        code: "WSEC0001",
        title: "Invalid request",
        detail: "Idempotency-Key must be 1–255 visible ASCII characters (a UUID is ideal).",
        errors: [{ field: "Idempotency-Key", message: "1–255 visible ASCII characters" }]
      }))
    }
    const body = yield* Effect.orElseSucceed(request.text, () => "")
    const scope = sha256(credential)
    const digest = sha256(`${request.method} ${request.url}\n${body}`)
    if (Math.random() < 0.001) yield* Effect.ignore(sql`DELETE FROM idempotency_keys WHERE created_at < now() - interval '24 hours'`)
    const claimed = yield* sql<{ readonly key: string }>`INSERT INTO idempotency_keys (scope, key, request_digest)
      VALUES (${scope}, ${key}, ${digest}) ON CONFLICT DO NOTHING RETURNING key`.pipe(Effect.orDie)
    if (claimed.length === 0) {
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
      return HttpServerResponse.text(row.body ?? "", {
        status: row.status,
        contentType: row.contentType ?? "application/json",
        headers: { "idempotent-replayed": "true" }
      })
    }
    const release = Effect.ignore(sql`DELETE FROM idempotency_keys WHERE scope = ${scope} AND key = ${key}`)
    const response = yield* app.pipe(Effect.onExit((exit) => Exit.isSuccess(exit) ? Effect.void : release))
    if (replayable(response.status) && response.body._tag === "Uint8Array") {
      const stored = decoder.decode(response.body.body)
      yield* Effect.ignore(sql`UPDATE idempotency_keys SET status = ${response.status}, content_type = ${response.body.contentType}, body = ${stored}
        WHERE scope = ${scope} AND key = ${key}`)
    } else {
      yield* release
    }
    return response
  })
)
