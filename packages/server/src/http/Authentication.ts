/**
 * The `Authentication` middleware of the api: a bearer token or an `X-API-Key`, resolved to the
 * caller by {@link Accounts}. The platform tries the bearer scheme first, then the API key; when
 * neither header is usable the API-key branch reports why the bearer token was refused.
 *
 * @since 0.1.0
 */
import { HttpServerRequest } from "@effect/platform"
import { type Problem, Security } from "@learner-records/api"
import { Effect, Layer, Redacted } from "effect"
import { Accounts } from "../Accounts.js"
import { orDieSql } from "../internal/sql.js"

const bearerOf = (authorization: string | undefined): string =>
  authorization !== undefined && /^bearer /i.test(authorization) ? authorization.slice(7).trim() : ""

/**
 * The middleware's implementation.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.effect(
  Security.Authentication,
  Effect.gen(function*() {
    const accounts = yield* Accounts
    return Security.Authentication.of({
      bearer: () =>
        Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) =>
          orDieSql(accounts.authenticateToken(bearerOf(request.headers["authorization"])))),
      apiKey: (key) =>
        Effect.gen(function*() {
          const value = Redacted.value(key)
          if (value !== "") return yield* orDieSql(accounts.authenticateApiKey(value))
          const request = yield* HttpServerRequest.HttpServerRequest
          return yield* orDieSql(accounts.authenticateToken(bearerOf(request.headers["authorization"])))
        })
    })
  })
)

/**
 * Authenticates a request outside the api (e.g. before replaying a stored response): its bearer
 * token, else its `X-API-Key`, as the middleware would; fails with the 401 problem otherwise.
 *
 * @since 0.1.0
 * @category authentication
 */
export const authenticateRequest = (accounts: Accounts) =>
(request: HttpServerRequest.HttpServerRequest): Effect.Effect<Security.Caller, Problem.Unauthorized> => {
  const bearer = bearerOf(request.headers["authorization"])
  const key = request.headers["x-api-key"] ?? ""
  const byToken = orDieSql(accounts.authenticateToken(bearer))
  if (key === "") return byToken
  const byKey = orDieSql(accounts.authenticateApiKey(key))
  return bearer === "" ? byKey : Effect.orElse(byToken, () => byKey)
}
