/**
 * A per-client rate limit (token bucket). A request is charged to its credential (bearer token or
 * API key) only when the credential authenticates; one without a credential, or with one that does
 * not authenticate (unknown, expired, revoked), is charged to its client address (an IPv6 /64; the
 * client behind a trusted proxy: see `ClientAddress`). Otherwise every
 * made-up credential would be a fresh bucket, and guessing passwords or tokens would be unlimited.
 * Over the limit the answer is 429 SVC001 with `Retry-After`. The operators' probes (`/healthz`,
 * `/readyz`, `/metrics`) are not limited: a load balancer must not see an instance as not ready
 * because a client behind the same address used up its allowance.
 *
 * The buckets live in memory on purpose: they are worthless after a restart. There are at most
 * {@link MAX_BUCKETS}: full buckets are dropped every minute, and past the most the least recently
 * used one makes room.
 *
 * @since 0.1.0
 */
import { HttpMiddleware, HttpServerRequest } from "@effect/platform"
import { Problem, type Security } from "@learner-records/api"
import { Config, Effect, Exit, FiberRef, Option } from "effect"
import * as crypto from "node:crypto"
import { BlockList } from "node:net"
import { bearerOf, currentAuthentication } from "./Authentication.js"
import { requestKey } from "./ClientAddress.js"
import { RouteTable } from "./Routes.js"
import { toResponse } from "./Problems.js"
import { currentRequestId } from "./RequestId.js"

/**
 * Sustained requests per second and burst size per client; `ratePerSecond` 0 turns it off.
 *
 * @since 0.1.0
 * @category config
 */
export interface RateLimitConfig {
  readonly ratePerSecond: number
  readonly burst: number
}

/**
 * `LRS_RATE_LIMIT` (requests per second, default 50) and `LRS_RATE_LIMIT_BURST` (default 100).
 *
 * @since 0.1.0
 * @category config
 */
export const RateLimitConfig: Config.Config<RateLimitConfig> = Config.all({
  ratePerSecond: Config.number("LRS_RATE_LIMIT").pipe(Config.withDefault(50)),
  burst: Config.number("LRS_RATE_LIMIT_BURST").pipe(Config.withDefault(100))
})

/**
 * The most buckets kept in memory.
 *
 * @since 0.1.2
 * @category constants
 */
export const MAX_BUCKETS = 100_000

/**
 * The routes never limited, however their paths are written: the operators' probes.
 *
 * @since 0.1.2
 * @category constants
 */
export const unlimitedPaths: ReadonlySet<string> = new Set(["/healthz", "/readyz", "/metrics"])

/**
 * Authenticates a request's credential, as the api would (see `Authentication.cachedAuthenticator`).
 *
 * @since 0.1.2
 * @category models
 */
export type Authenticate = (request: HttpServerRequest.HttpServerRequest) => Effect.Effect<Security.Caller, Problem.Unauthorized>

interface Bucket {
  tokens: number
  at: number
}

const digest = (credential: string): string => crypto.createHash("sha256").update(credential).digest("base64url")

// the credential that authenticated (a request may carry both headers), so a junk second header
// cannot make a fresh bucket; the token as authentication read it, so neither can another way of
// writing the same header (`bearer`, extra spaces)
const credentialKey = (request: HttpServerRequest.HttpServerRequest, caller: Security.Caller): string =>
  caller.via === "apiKey"
    ? `key:${digest(request.headers["x-api-key"] ?? "")}`
    : `tok:${digest(bearerOf(request.headers["authorization"]))}`

/**
 * The middleware for a given configuration; `authenticate` tells a good credential from a bad one.
 * Its outcome is passed on to the api in `Authentication.currentAuthentication`, so that a request
 * is authenticated once.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = (
  config: RateLimitConfig,
  authenticate: Authenticate,
  proxies: BlockList = new BlockList(),
  table: RouteTable = new RouteTable()
) => {
  const buckets = new Map<string, Bucket>()
  // a request with no good credential is charged to its client's address, or its IPv6 /64
  const addressKey = (request: HttpServerRequest.HttpServerRequest) => requestKey(proxies, request)
  let lastSweep = Date.now()
  const full = (bucket: Bucket, now: number) => bucket.tokens + ((now - bucket.at) / 1000) * config.ratePerSecond >= config.burst

  /** Takes a token from `key`'s bucket; the seconds to wait when there is none. */
  const take = (key: string, now: number): number | undefined => {
    if (now - lastSweep > 60_000) {
      // forget clients whose buckets have refilled: a new bucket would be the same
      for (const [k, b] of buckets) if (full(b, now)) buckets.delete(k)
      lastSweep = now
    }
    const bucket = buckets.get(key) ?? { tokens: config.burst, at: now }
    bucket.tokens = Math.min(config.burst, bucket.tokens + ((now - bucket.at) / 1000) * config.ratePerSecond)
    bucket.at = now
    // re-inserted, so the map's order is least recently used first
    buckets.delete(key)
    buckets.set(key, bucket)
    if (buckets.size > MAX_BUCKETS) {
      const oldest = buckets.keys().next()
      if (oldest.done !== true) buckets.delete(oldest.value)
    }
    if (bucket.tokens < 1) return Math.max(1, Math.ceil((1 - bucket.tokens) / config.ratePerSecond))
    bucket.tokens -= 1
    return undefined
  }

  const tooMany = (retryAfter: number) =>
    Effect.map(FiberRef.get(currentRequestId), (requestId) =>
      toResponse(
        new Problem.TooManyRequests({
          code: "SVC001",
          title: "Too many requests",
          detail: `This client may make ${config.ratePerSecond} requests per second (bursts of ${config.burst}). Retry after ${retryAfter} s.`,
          errors: [],
          requestId
        }),
        retryAfter
      ))

  return HttpMiddleware.make((app) =>
    config.ratePerSecond <= 0 ? app : Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      // the probes however their path is written (`/HEALTHZ`, `/healthz/`): the route they reach
      const route = (yield* table.routes).match(request.method, request.url)
      if (route !== undefined && unlimitedPaths.has(route)) return yield* app
      if ((request.headers["authorization"] ?? "") === "" && (request.headers["x-api-key"] ?? "") === "") {
        const wait = take(addressKey(request), Date.now())
        return yield* (wait === undefined ? app : tooMany(wait))
      }
      const outcome = yield* Effect.exit(authenticate(request))
      const key = Exit.isSuccess(outcome) ? credentialKey(request, outcome.value) : addressKey(request)
      const wait = take(key, Date.now())
      if (wait !== undefined) return yield* tooMany(wait)
      return yield* Effect.locally(app, currentAuthentication, Option.some(outcome))
    })
  )
}
