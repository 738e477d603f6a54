/**
 * `X-Request-ID` on every response: the caller's own when it is a sensible value, else a new UUID.
 * The id of the current request is in {@link currentRequestId} for logs, audit and problem bodies.
 *
 * @since 0.1.0
 */
import { HttpMiddleware, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { Protocol } from "@learner-records/api"
import { Effect, FiberRef } from "effect"
import * as crypto from "node:crypto"

/**
 * The request id of the request being served ("" outside a request).
 *
 * @since 0.1.0
 * @category context
 */
export const currentRequestId: FiberRef.FiberRef<string> = FiberRef.unsafeMake("")

/**
 * The middleware: echo or generate the id, expose it to the request's fibers, set the header.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = HttpMiddleware.make((app) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const given = request.headers["x-request-id"]
    const id = given !== undefined && Protocol.requestIdPattern.test(given) ? given : crypto.randomUUID()
    return Effect.map(Effect.locally(app, currentRequestId, id), (response) => HttpServerResponse.setHeader(response, "x-request-id", id))
  })
)
