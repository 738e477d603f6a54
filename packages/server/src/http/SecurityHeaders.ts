/**
 * Headers every response needs, whichever part of the server wrote it:
 *
 * - `X-Content-Type-Options: nosniff` on every response, so a browser never runs a JSON or text
 *   answer as something else;
 * - `Cache-Control: no-store` on every response but the docs page and the OpenAPI document:
 *   `/api/v1` answers carry bearer tokens (sign-in, RFC 6749 §5.1), API keys (shown once) and
 *   learners' personal data, which no cache may keep, and a probe's answer is only true now. The
 *   two that may be cached are known by the route the request reaches (see `Routes`), so no
 *   other way of writing a path (`/API/V1/auth/login`, `//api/v1/…`, `%61pi`) escapes it;
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
import type { RouteTable } from "./Routes.js"

/**
 * The `WWW-Authenticate` challenge of a 401.
 *
 * @since 0.1.2
 * @category constants
 */
export const challenge = `Bearer realm="learner-records"`

/**
 * The routes whose answers may be cached: the docs page and the OpenAPI document, the same for
 * everyone.
 *
 * @since 0.1.2
 * @category constants
 */
export const cacheable: ReadonlySet<string> = new Set(["/docs", "/api/openapi.json"])

/**
 * The middleware.
 *
 * @since 0.1.2
 * @category middleware
 */
export const middleware = (table: RouteTable) =>
  HttpMiddleware.make((app) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
      Effect.zipWith(app, table.routes, (response, routes) => {
        const template = request.method === "GET" || request.method === "HEAD" ? routes.match(request.method, request.url) : undefined
        return HttpServerResponse.setHeaders(response, {
          "x-content-type-options": "nosniff",
          // their successful answers only: a 429 or a 500 is true only now
          ...(template !== undefined && cacheable.has(template) && response.status < 400 ? {} : { "cache-control": "no-store" }),
          ...(response.status === 401 ? { "www-authenticate": challenge } : {})
        })
      }))
  )
