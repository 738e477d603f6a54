import { FetchHttpClient } from "@effect/platform"
import { assert, describe, expect, it } from "@effect/vitest"
import { Uln } from "@learner-records/core"
import { Effect, Either } from "effect"
import { type ClientConfig, isTimeout, LearnerRecordsClient } from "../src/index.js"
import { layerNode } from "../src/node.js"
import { problem, scriptServer, status } from "./scriptServer.js"

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

const client = (baseUrl: string, config: Omit<ClientConfig, "baseUrl"> = {}) =>
  LearnerRecordsClient.make({ baseUrl, retry: { baseDelay: 10 }, ...config }).pipe(Effect.provide(FetchHttpClient.layer))

const uln = Uln.Uln.make("1000000043")

const notFound = { responseCode: "WSRC0001", searchedUln: uln, learner: null }

describe("transport", () => {
  it.scopedLive("sends a request id, the credentials, and an idempotency key only on POSTs that change something", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ body: status }, { body: notFound }, { status: 204 }, { status: 204 }])
      const lrs = yield* client(server.url, { credentials: { apiKey: "key-1" } })
      yield* lrs.service.status()
      yield* lrs.learners.findByUln({ payload: { uln, givenName: "Ada", familyName: "Lovelace" } })
      yield* lrs.setCredentials({ token: "tok-1" })
      yield* lrs.session.logout()
      yield* lrs.session.logout()
      const [get, read, write1, write2] = server.seen
      expect(get?.url).toBe("/api/v1/service-status")
      for (const seen of server.seen) expect(seen.headers["x-request-id"]).toMatch(UUID)
      expect(new Set(server.seen.map((s) => s.headers["x-request-id"])).size).toBe(4)
      expect(get?.headers["x-api-key"]).toBe("key-1")
      expect(read?.headers["x-api-key"]).toBe("key-1")
      expect(write1?.headers["authorization"]).toBe("Bearer tok-1")
      expect(write1?.headers["x-api-key"]).toBeUndefined()
      expect(get?.headers["idempotency-key"]).toBeUndefined()
      expect(read?.headers["idempotency-key"]).toBeUndefined()
      expect(write1?.headers["idempotency-key"]).toMatch(UUID)
      expect(write2?.headers["idempotency-key"]).toMatch(UUID)
      expect(write1?.headers["idempotency-key"]).not.toBe(write2?.headers["idempotency-key"])
    }))

  it.scopedLive("gives the response, and so the request id, with withResponse", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ body: status }])
      const lrs = yield* client(server.url)
      const [value, response] = yield* lrs.service.status({ withResponse: true })
      expect(value.apiVersion).toBe("v1")
      expect(response.headers["x-request-id"]).toBe(server.seen[0]!.headers["x-request-id"])
    }))

  it.scopedLive("retries a GET on 503 with the same request id", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([
        { status: 503, body: problem("ServiceUnavailable", "WSEC0004") },
        { status: 503, body: problem("ServiceUnavailable", "WSEC0004") },
        { body: status }
      ])
      const lrs = yield* client(server.url)
      const result = yield* lrs.service.status()
      expect(result.version).toBe("0.1.0")
      expect(server.seen).toHaveLength(3)
      expect(new Set(server.seen.map((s) => s.headers["x-request-id"])).size).toBe(1)
    }))

  it.scopedLive("reuses the idempotency key of a POST across its retries", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([
        { status: 503, body: problem("ServiceUnavailable", "WSEC0004") },
        { drop: true },
        { status: 204 }
      ])
      const lrs = yield* client(server.url, { credentials: { token: "t" } })
      yield* lrs.session.logout()
      expect(server.seen).toHaveLength(3)
      const keys = server.seen.map((s) => s.headers["idempotency-key"])
      expect(keys[0]).toMatch(UUID)
      expect(new Set(keys).size).toBe(1)
    }))

  it.scopedLive("uses the key and request id given in withRequestOptions", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ status: 503 }, { status: 204 }])
      const lrs = yield* client(server.url, { credentials: { token: "t" } })
      yield* lrs.session.logout().pipe(LearnerRecordsClient.withRequestOptions({ idempotencyKey: "my-key", requestId: "my-id" }))
      expect(server.seen.map((s) => [s.headers["idempotency-key"], s.headers["x-request-id"]])).toEqual([
        ["my-key", "my-id"],
        ["my-key", "my-id"]
      ])
    }))

  it.scopedLive("honours Retry-After in seconds", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([
        { status: 429, headers: { "retry-after": "1" }, body: problem("TooManyRequests", "SVC001") },
        { body: status }
      ])
      const lrs = yield* client(server.url)
      yield* lrs.service.status()
      const [first, second] = server.seen
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(990)
    }))

  it.scopedLive("honours Retry-After as an HTTP date", () =>
    Effect.gen(function*() {
      const at = new Date(Date.now() + 2000)
      const server = yield* scriptServer([
        { status: 503, headers: { "retry-after": at.toUTCString() }, body: problem("ServiceUnavailable", "WSEC0004") },
        { body: status }
      ])
      const lrs = yield* client(server.url)
      yield* lrs.service.status()
      // HTTP dates have whole seconds: the retry comes at the second named, not before
      expect(server.seen[1]!.at).toBeGreaterThanOrEqual(Math.floor(at.getTime() / 1000) * 1000 - 10)
    }))

  it.scopedLive("gives up at once when Retry-After is longer than maxDelay", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([
        { status: 429, headers: { "retry-after": "120" }, body: problem("TooManyRequests", "SVC001") }
      ])
      const lrs = yield* client(server.url, { retry: { maxDelay: "5 seconds" } })
      const error = yield* Effect.flip(lrs.service.status())
      assert.strictEqual(error._tag, "TooManyRequests")
      expect(server.seen).toHaveLength(1)
    }))

  it.scopedLive("backs off exponentially with jitter, then fails with the last answer", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer(
        Array.from({ length: 4 }, () => ({ status: 503, body: problem("ServiceUnavailable", "WSEC0004") }))
      )
      const lrs = yield* client(server.url, { retry: { maxRetries: 3, baseDelay: 40 } })
      const error = yield* Effect.flip(lrs.service.status())
      assert.strictEqual(error._tag, "ServiceUnavailable")
      expect(server.seen).toHaveLength(4)
      const gaps = server.seen.slice(1).map((s, i) => s.at - server.seen[i]!.at)
      // equal jitter: step n waits between half and all of 40 × 2^(n-1) ms
      expect(gaps[0]).toBeGreaterThanOrEqual(19)
      expect(gaps[1]).toBeGreaterThanOrEqual(39)
      expect(gaps[2]).toBeGreaterThanOrEqual(79)
      expect(gaps[2]).toBeLessThan(1000)
    }))

  it.scopedLive("does not retry a POST that cannot be repeated safely, except after 429", () =>
    Effect.gen(function*() {
      // login has no credentials, so the server could not honour an idempotency key
      const server = yield* scriptServer([
        { status: 429, headers: { "retry-after": "0" }, body: problem("TooManyRequests", "SVC001") },
        { status: 503, body: problem("ServiceUnavailable", "WSEC0004") },
        { drop: true }
      ])
      const lrs = yield* client(server.url)
      const first = yield* Effect.flip(lrs.auth.login({ payload: { username: "ada", password: "secret" } }))
      assert.strictEqual(first._tag, "ServiceUnavailable")
      expect(server.seen).toHaveLength(2)
      const second = yield* Effect.flip(lrs.auth.login({ payload: { username: "ada", password: "secret" } }))
      assert.strictEqual(second._tag, "RequestError")
      expect(server.seen).toHaveLength(3)
    }))

  it.scopedLive("retries read POSTs and network faults", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ drop: true }, { status: 503 }, { body: notFound }])
      const lrs = yield* client(server.url)
      const found = yield* lrs.learners.findByUln({ payload: { uln, givenName: "Ada", familyName: "Lovelace" } })
      expect(found.responseCode).toBe("WSRC0001")
      expect(server.seen).toHaveLength(3)
      expect(server.seen[0]!.headers["idempotency-key"]).toBeUndefined()
    }))

  it.scopedLive("retries a 409 'still in progress' of an idempotent POST after Retry-After", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([
        { status: 409, headers: { "retry-after": "0" }, body: problem("Conflict", "SVC003") },
        { status: 204 }
      ])
      const lrs = yield* client(server.url, { credentials: { token: "t" } })
      yield* lrs.session.logout()
      expect(server.seen).toHaveLength(2)
    }))

  it.scopedLive("times out an attempt, and retries it when it is safe", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ delay: 1000, body: status }, { body: status }, { delay: 1000, body: status }])
      const lrs = yield* client(server.url, { timeout: 150 })
      const ok = yield* lrs.service.status()
      expect(ok.apiVersion).toBe("v1")
      expect(server.seen).toHaveLength(2)
      const error = yield* Effect.flip(lrs.service.status().pipe(LearnerRecordsClient.withRequestOptions({ retry: false })))
      assert.strictEqual(error._tag, "RequestError")
      expect(isTimeout(error)).toBe(true)
    }))

  it.scopedLive("validates a request before sending it", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([])
      const lrs = yield* client(server.url)
      const result = yield* Effect.either(
        lrs.learners.findByUln({ payload: { uln: "123" as Uln.Uln, givenName: "Ada", familyName: "Lovelace" } })
      )
      assert(Either.isLeft(result))
      expect(result.left._tag).toBe("ParseError")
      expect(server.seen).toHaveLength(0)
    }))
})

describe("layerNode", () => {
  it.scopedLive("runs the same transport over NodeHttpClient", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ status: 503 }, { drop: true }, { body: status }])
      const result = yield* Effect.flatMap(LearnerRecordsClient, (lrs) => lrs.service.status()).pipe(
        Effect.provide(layerNode({ baseUrl: server.url, credentials: { apiKey: "k" }, retry: { baseDelay: 10 } }))
      )
      expect(result.database).toBe("pglite")
      expect(server.seen).toHaveLength(3)
      expect(server.seen[2]!.headers["x-api-key"]).toBe("k")
      expect(new Set(server.seen.map((s) => s.headers["x-request-id"])).size).toBe(1)
    }))
})

describe("timeouts and interruption", () => {
  it.scopedLive("the timeout covers the body, not just the headers", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ stallBody: 1500, body: status }])
      const lrs = yield* client(server.url, { timeout: 200, retry: false })
      const error = yield* Effect.flip(lrs.service.status())
      expect(isTimeout(error)).toBe(true)
    }))

  it.scopedLive("a connection lost in the middle of the body is a network fault, retried when safe", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ dropMidBody: true, body: status }, { body: status }])
      const lrs = yield* client(server.url)
      const result = yield* lrs.service.status()
      expect(result.service).toBe("learner-records")
      expect(server.seen).toHaveLength(2)
    }))

  it.scopedLive("interrupting a call closes its request", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ delay: 1500, body: status }])
      const lrs = yield* client(server.url)
      const result = yield* lrs.service.status().pipe(Effect.timeout("100 millis"), Effect.either)
      expect(result._tag).toBe("Left")
      yield* Effect.sleep("200 millis")
      expect(server.abandoned()).toBe(1)
    }))
})
