/**
 * Headers every response needs, whichever part of the server wrote it:
 *
 * - `X-Content-Type-Options: nosniff` on every response, so a browser never runs a JSON or text
 *   answer as something else;
 * - `Cache-Control: no-store` on every `/api/v1` response: they carry bearer tokens (sign-in, RFC
 *   6749 §5.1), API keys (shown once) and learners' personal data, which no cache may keep. The
 *   docs page and the OpenAPI document may be cached;
 * - `WWW-Authenticate: Bearer realm="learner-records"` on every 401 (RFC 9110 §11.6.1).
 *
 * One middleware looking at the path and the status covers every 401 (the api's authentication,
 * a wrong password at sign-in, a replay refused by the idempotency middleware), where building it
 * into each would need the header in several places.
 *
 * @since 0.1.2
 */
import { HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Effect } from "effect"

/**
 * The `WWW-Authenticate` challenge of a 401.
 *
 * @since 0.1.2
 * @category constants
 */
export const challenge = `Bearer realm="learner-records"`

const isApi = (url: string): boolean => url === "/api/v1" || url.startsWith("/api/v1/") || url.startsWith("/api/v1?")

/**
 * The middleware.
 *
 * @since 0.1.2
 * @category middleware
 */
export const middleware = HttpMiddleware.make((app) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const api = isApi(request.url)
    return Effect.map(app, (response) =>
      HttpServerResponse.setHeaders(response, {
        "x-content-type-options": "nosniff",
        ...(api ? { "cache-control": "no-store" } : {}),
        ...(response.status === 401 ? { "www-authenticate": challenge } : {})
      }))
  })
)
