/**
 * The `Authentication` middleware of the api: a bearer token or an `X-API-Key`, resolved to the
 * caller by {@link Accounts}. The platform tries the bearer scheme first, then the API key; when
 * neither header is usable the API-key branch reports why the bearer token was refused.
 *
 * A bearer token's caller is kept in a {@link TokenCache} for at most 5 seconds, so a client
 * sending many requests costs one token look-up per 5 seconds instead of one per request (a
 * database round trip of the 4–5 a find by ULN makes). Sign-out in this process drops the token at
 * once; elsewhere (another instance, a revoked user, changed roles) a cached caller lives ≤ 5 s.
 *
 * The rate limit authenticates a request before the api does, to charge it to its credential only
 * when the credential is good; it leaves the outcome in {@link currentAuthentication}, and the
 * middleware answers with that instead of looking the credential up again.
 *
 * @since 0.1.0
 */
import { HttpServerRequest } from "@effect/platform"
import { type Problem, Security } from "@learner-records/api"
import { Config, Effect, type Exit, FiberRef, Layer, Option, Redacted } from "effect"
import { Accounts } from "../Accounts.js"
import { orDieSql } from "../internal/sql.js"

/**
 * How long a bearer token's caller may be served from memory (`LRS_TOKEN_CACHE_MS`, default and
 * most 5,000 ms; 0 turns the cache off).
 *
 * @since 0.1.0
 * @category config
 */
export const TokenCacheMillis: Config.Config<number> = Config.integer("LRS_TOKEN_CACHE_MS").pipe(
  Config.withDefault(5_000),
  Config.map((ms) => Math.min(5_000, Math.max(0, ms)))
)

/**
 * The most tokens held; past it the oldest entry makes room.
 *
 * @since 0.1.0
 * @category constants
 */
export const TOKEN_CACHE_SIZE = 10_000

/**
 * Bearer token → caller, for a few seconds and never past the token's expiry. Only successful
 * look-ups are kept. `forget` (sign-out)
 * removes a token and also stops every look-up already under way from being stored, so a request
 * racing the sign-out cannot put the token back.
 *
 * @since 0.1.0
 * @category services
 */
export class TokenCache extends Effect.Service<TokenCache>()("@learner-records/server/TokenCache", {
  effect: Effect.gen(function*() {
    const ttl = yield* Effect.orDie(TokenCacheMillis)
    const entries = new Map<string, { readonly caller: Security.Caller; readonly until: number }>()
    // bumped by every forget: a look-up that started before it must not be stored
    let generation = 0

    /**
     * The caller of `token`: from memory when fresh, else from `lookUp` (stored when it succeeds,
     * never past the token's own expiry).
     */
    const get = <E, R>(
      token: string,
      lookUp: Effect.Effect<{ readonly caller: Security.Caller; readonly expiresAt: Date }, E, R>
    ): Effect.Effect<Security.Caller, E, R> =>
      Effect.suspend(() => {
        if (ttl === 0) return Effect.map(lookUp, (session) => session.caller)
        const hit = entries.get(token)
        if (hit !== undefined) {
          if (hit.until > Date.now()) return Effect.succeed(hit.caller)
          entries.delete(token)
        }
        const started = generation
        return Effect.map(lookUp, ({ caller, expiresAt }) => {
          if (generation === started) {
            const oldest = entries.size >= TOKEN_CACHE_SIZE ? entries.keys().next() : undefined
            if (oldest !== undefined && oldest.done !== true) entries.delete(oldest.value)
            entries.set(token, { caller, until: Math.min(Date.now() + ttl, expiresAt.getTime()) })
          }
          return caller
        })
      })

    /** Drops a token (after it was revoked). */
    const forget = (token: string): Effect.Effect<void> =>
      Effect.sync(() => {
        generation++
        entries.delete(token)
      })

    /** Drops every token of a user (revoked, password reset or roles changed), so the change holds at once here. */
    const forgetUser = (userId: string): Effect.Effect<void> =>
      Effect.sync(() => {
        generation++
        for (const [token, entry] of entries) if (entry.caller.userId === userId) entries.delete(token)
      })

    return { get, forget, forgetUser } as const
  })
}) {}

/**
 * The bearer token of an `Authorization` header, as authentication reads it (the scheme in any
 * case, spaces around the token dropped); empty when there is none.
 *
 * @since 0.1.2
 * @category authentication
 */
export const bearerOf = (authorization: string | undefined): string =>
  authorization !== undefined && /^bearer /i.test(authorization) ? authorization.slice(7).trim() : ""

/**
 * The outcome of authenticating the current request, once something ahead of the api (the rate
 * limit) has done it: the api's middleware then answers with it, so a request costs one look-up
 * (an API key is not cached, and a refused token never is).
 *
 * @since 0.1.2
 * @category authentication
 */
export const currentAuthentication: FiberRef.FiberRef<Option.Option<Exit.Exit<Security.Caller, Problem.Unauthorized>>> = FiberRef
  .unsafeMake<Option.Option<Exit.Exit<Security.Caller, Problem.Unauthorized>>>(Option.none())

/**
 * Authenticates a request as the api's middleware does, bearer token through `cache`: its bearer
 * token, else its `X-API-Key`; fails with the 401 problem otherwise.
 *
 * @since 0.1.2
 * @category authentication
 */
export const cachedAuthenticator = (accounts: Accounts, cache: TokenCache) => {
  // the look-up is only built on a cache miss: building it (a traced Effect.fn call) costs as
  // much as the rest of authenticating a cached token
  const byToken = (token: string) => cache.get(token, Effect.suspend(() => orDieSql(accounts.tokenSession(token))))
  const byKey = (key: string) => orDieSql(accounts.authenticateApiKey(key))
  const bearer = (request: HttpServerRequest.HttpServerRequest) => byToken(bearerOf(request.headers["authorization"]))
  const apiKey = (key: string, request: HttpServerRequest.HttpServerRequest) => key !== "" ? byKey(key) : bearer(request)
  const both = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<Security.Caller, Problem.Unauthorized> => {
    const key = request.headers["x-api-key"] ?? ""
    if (key === "") return bearer(request)
    return bearerOf(request.headers["authorization"]) === "" ? byKey(key) : Effect.orElse(bearer(request), () => byKey(key))
  }
  return { bearer, apiKey, both } as const
}

/**
 * The middleware's implementation.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = Layer.effect(
  Security.Authentication,
  Effect.gen(function*() {
    const authenticate = cachedAuthenticator(yield* Accounts, yield* TokenCache)
    const done = FiberRef.get(currentAuthentication)
    // the platform tries `bearer`, then `apiKey`: given the outcome already, both answer with it
    return Security.Authentication.of({
      bearer: () =>
        Effect.flatMap(done, (outcome) =>
          Option.isSome(outcome) ? outcome.value : Effect.flatMap(HttpServerRequest.HttpServerRequest, authenticate.bearer)),
      apiKey: (key) =>
        Effect.flatMap(done, (outcome) =>
          Option.isSome(outcome)
            ? outcome.value
            : Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => authenticate.apiKey(Redacted.value(key), request)))
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
