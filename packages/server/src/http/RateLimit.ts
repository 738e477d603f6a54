/**
 * A per-client rate limit (token bucket): a client is its bearer token or API key, or its address
 * when it sends neither. Over the limit the answer is 429 WSEC… problem with `Retry-After`.
 * The buckets live in memory on purpose: they are worthless after a restart.
 *
 * @since 0.1.0
 */
import { HttpMiddleware, HttpServerRequest } from "@effect/platform"
import { Problem } from "@learner-records/api"
import { Config, Effect, FiberRef } from "effect"
import * as crypto from "node:crypto"
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

interface Bucket {
  tokens: number
  at: number
}

const clientKey = (request: HttpServerRequest.HttpServerRequest): string => {
  const credential = request.headers["authorization"] ?? request.headers["x-api-key"]
  if (credential !== undefined) return crypto.createHash("sha256").update(credential).digest("base64url")
  return `ip:${request.remoteAddress._tag === "Some" ? request.remoteAddress.value : "unknown"}`
}

/**
 * The middleware for a given configuration.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = (config: RateLimitConfig) => {
  const buckets = new Map<string, Bucket>()
  let lastSweep = Date.now()
  return HttpMiddleware.make((app) =>
    config.ratePerSecond <= 0 ? app : Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const now = Date.now()
      if (now - lastSweep > 60_000) {
        // forget clients whose buckets have refilled, so the map stays small
        for (const [key, b] of buckets) if (b.tokens + ((now - b.at) / 1000) * config.ratePerSecond >= config.burst) buckets.delete(key)
        lastSweep = now
      }
      const key = clientKey(request)
      const bucket = buckets.get(key) ?? { tokens: config.burst, at: now }
      bucket.tokens = Math.min(config.burst, bucket.tokens + ((now - bucket.at) / 1000) * config.ratePerSecond)
      bucket.at = now
      buckets.set(key, bucket)
      if (bucket.tokens < 1) {
        const retryAfter = Math.max(1, Math.ceil((1 - bucket.tokens) / config.ratePerSecond))
        const requestId = yield* FiberRef.get(currentRequestId)
        return toResponse(new Problem.TooManyRequests({
          code: "SVC001",
          title: "Too many requests",
          detail: `This client may make ${config.ratePerSecond} requests per second (bursts of ${config.burst}). Retry after ${retryAfter} s.`,
          errors: [],
          requestId
        }), retryAfter)
      }
      bucket.tokens -= 1
      return yield* app
    })
  )
}
