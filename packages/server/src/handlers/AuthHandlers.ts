/**
 * Sign in (`auth` group), sign out and who am I (`session` group).
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, HttpServerRequest } from "@effect/platform"
import { AuthApi, LearnerRecordsApi as Contract, Problem, Security } from "@learner-records/api"
import { Effect } from "effect"
import { Accounts } from "../Accounts.js"
import { TokenCache } from "../http/Authentication.js"
import * as Problems from "../http/Problems.js"
import { orDieSql } from "../internal/sql.js"

/**
 * Handlers of the `auth` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const authLayer = HttpApiBuilder.group(Contract.LearnerRecordsApi, "auth", (handlers) =>
  Effect.gen(function*() {
    const accounts = yield* Accounts
    return handlers.handle("login", ({ payload }) =>
      orDieSql(accounts.signIn(payload.username, payload.password)).pipe(
        Effect.map((session) =>
          AuthApi.LoginResponse.make({
            token: session.token,
            tokenType: "Bearer",
            expiresAt: session.expiresAt.toISOString(),
            expiresIn: session.expiresIn,
            user: session.caller
          })
        )
      ))
  }))

/**
 * Handlers of the `session` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const sessionLayer = HttpApiBuilder.group(Contract.LearnerRecordsApi, "session", (handlers) =>
  Effect.gen(function*() {
    const accounts = yield* Accounts
    const tokens = yield* TokenCache
    return handlers
      .handle("logout", () =>
        Effect.gen(function*() {
          const caller = yield* Security.CurrentCaller
          // an API key is not a session: answering 204 would leave its holder thinking it is dead
          if (caller.via !== "token") {
            return yield* Problems.fail("BadRequest", {
              code: "WSEC0001",
              title: "Invalid request",
              detail: "Sign-out ends a bearer token's session; an API key has none. To stop an API key working, a super user revokes it: POST /api/v1/api-keys/{id}/revoke.",
              errors: [new Problem.FieldError({ field: "X-API-Key", message: "an API key cannot sign out; revoke it instead" })]
            })
          }
          const request = yield* HttpServerRequest.HttpServerRequest
          const authorization = request.headers["authorization"] ?? ""
          const token = authorization.slice(7).trim()
          yield* orDieSql(accounts.signOut(token))
          // refused at once by this process, not after the cache's few seconds
          yield* tokens.forget(token)
        }))
      .handle("me", () => Security.CurrentCaller)
  }))
