import * as SqlClient from "@effect/sql/SqlClient"
import { describe, expect, it } from "@effect/vitest"
import { Security } from "@learner-records/api"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Fiber from "effect/Fiber"
import * as Layer from "effect/Layer"
import { TOKEN_CACHE_SIZE, TokenCache } from "../src/http/Authentication.js"
import { call, createUser, describeHttp, organisationWith, signIn, unique } from "./http.js"

const caller = (username: string): Security.Caller => Security.Caller.make({
  userId: "00000000-0000-4000-8000-000000000001",
  username,
  organisationId: "00000000-0000-4000-8000-000000000002",
  organisationName: "Org",
  ukprn: null,
  organisationKinds: ["LRB"],
  olass: false,
  roles: ["OnlineUser"],
  via: "token"
})

const session = (username: string, expiresAt = new Date(Date.now() + 3_600_000)) => ({ caller: caller(username), expiresAt })

const cacheWith = (ms: string) =>
  TokenCache.Default.pipe(Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["LRS_TOKEN_CACHE_MS", ms]])))))

/** A look-up that counts how often it ran. */
const counting = (username: string) => {
  let runs = 0
  return { lookUp: Effect.sync(() => (runs++, session(username))), runs: () => runs }
}

describe("TokenCache", () => {
  it.live("serves a token from memory until its time is up, then looks it up again", () =>
    Effect.gen(function*() {
      const cache = yield* TokenCache
      const a = counting("a")
      yield* cache.get("tok-a", a.lookUp)
      yield* cache.get("tok-a", a.lookUp)
      expect(a.runs()).toBe(1)
      yield* Effect.sleep("80 millis")
      yield* cache.get("tok-a", a.lookUp)
      expect(a.runs()).toBe(2)
    }).pipe(Effect.provide(cacheWith("50"))))

  it.live("never serves a token past its own expiry", () =>
    Effect.gen(function*() {
      const cache = yield* TokenCache
      let runs = 0
      const soon = Effect.sync(() => (runs++, session("a", new Date(Date.now() + 40))))
      yield* cache.get("tok-a", soon)
      yield* cache.get("tok-a", soon)
      expect(runs).toBe(1)
      yield* Effect.sleep("60 millis")
      yield* cache.get("tok-a", soon)
      expect(runs).toBe(2)
    }).pipe(Effect.provide(cacheWith("5000"))))

  it.live("forget drops the token, and a look-up racing it is not stored", () =>
    Effect.gen(function*() {
      const cache = yield* TokenCache
      const a = counting("a")
      yield* cache.get("tok-a", a.lookUp)
      yield* cache.forget("tok-a")
      yield* cache.get("tok-a", a.lookUp)
      expect(a.runs()).toBe(2)
      // a look-up under way while the token is signed out
      const gate = yield* Deferred.make<void>()
      const b = counting("b")
      const slow = yield* Effect.fork(cache.get("tok-b", Effect.zipRight(Deferred.await(gate), b.lookUp)))
      yield* Effect.yieldNow()
      yield* cache.forget("tok-b")
      yield* Deferred.succeed(gate, undefined)
      yield* Fiber.join(slow)
      yield* cache.get("tok-b", b.lookUp)
      expect(b.runs()).toBe(2)
    }).pipe(Effect.provide(cacheWith("5000"))))

  it.live("failed look-ups are not kept; 0 turns the cache off; it never holds more than its size", () =>
    Effect.gen(function*() {
      const cache = yield* TokenCache
      let failures = 0
      const failing = Effect.suspend(() => (failures++, Effect.fail("unauthorized" as const)))
      yield* Effect.flip(cache.get("bad", failing))
      yield* Effect.flip(cache.get("bad", failing))
      expect(failures).toBe(2)
      const off = yield* Effect.provide(TokenCache, cacheWith("0"))
      const a = counting("a")
      yield* off.get("tok", a.lookUp)
      yield* off.get("tok", a.lookUp)
      expect(a.runs()).toBe(2)
      // the first token is evicted once the cache is full
      const first = counting("first")
      yield* cache.get("tok-0", first.lookUp)
      for (let i = 1; i <= TOKEN_CACHE_SIZE; i++) yield* cache.get(`tok-${i}`, Effect.succeed(session("x")))
      yield* cache.get("tok-0", first.lookUp)
      expect(first.runs()).toBe(2)
    }).pipe(Effect.provide(cacheWith("5000"))))
})

describeHttp("TokenCache over HTTP", (it) => {
  it.effect("a signed-out token is refused at once, though it was just served from the cache", () =>
    Effect.gen(function*() {
      const org = yield* organisationWith(["LRB"], [])
      const username = `cache.${unique()}`
      yield* createUser(org.id, username, ["OnlineUser"])
      const token = yield* signIn(username)
      const other = yield* signIn(username)
      for (let i = 0; i < 3; i++) expect((yield* call("GET", "/api/v1/me", { token })).status).toBe(200)
      expect((yield* call("POST", "/api/v1/auth/logout", { token })).status).toBe(204)
      const after = yield* call("GET", "/api/v1/me", { token })
      expect(after.status).toBe(401)
      expect(after.body).toMatchObject({ code: "WSEC0005", detail: expect.stringContaining("revoked") })
      // the user's other session is untouched
      expect((yield* call("GET", "/api/v1/me", { token: other })).status).toBe(200)
    }))

  it.effect("a token revoked elsewhere (another instance) is served from memory for at most the cache's 5 s", () =>
    Effect.gen(function*() {
      const org = yield* organisationWith(["LRB"], [])
      const username = `cache.${unique()}`
      yield* createUser(org.id, username, ["OnlineUser"])
      const token = yield* signIn(username)
      expect((yield* call("GET", "/api/v1/me", { token })).status).toBe(200)
      const sql = yield* SqlClient.SqlClient
      yield* Effect.orDie(sql`UPDATE auth_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND user_id IN (SELECT id FROM users WHERE username = ${username})`)
      // still cached: this is what saves the per-request look-up
      expect((yield* call("GET", "/api/v1/me", { token })).status).toBe(200)
      yield* Effect.sleep("5100 millis")
      expect((yield* call("GET", "/api/v1/me", { token })).status).toBe(401)
    }), { timeout: 20_000 })
})
