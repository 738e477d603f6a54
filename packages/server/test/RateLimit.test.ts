import type * as HttpClient from "@effect/platform/HttpClient"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Passwords from "../src/Passwords.js"
import { call, countRows, createOrganisation, createUser, describeHttp, freshUkprn, type Reply, testConfig, unique } from "./http.js"

/**
 * A signed-in super user whose token is written straight to the database: signing in over HTTP
 * would spend the address's own small allowance.
 */
const client = Effect.gen(function*() {
  const organisationId = yield* createOrganisation({ name: `Rate ${unique()}`, ukprn: freshUkprn(), kinds: ["LRB"] })
  const userId = yield* createUser(organisationId, `rate.${unique()}`, ["SuperUser"])
  const token = Passwords.newSecret("lrs_tok_")
  const sql = yield* SqlClient.SqlClient
  yield* sql`INSERT INTO auth_tokens (user_id, token_digest, expires_at)
    VALUES (${userId}::uuid, ${Passwords.digest(token)}, now() + interval '1 hour')`.pipe(Effect.orDie)
  return token
})

describeHttp("Rate limit", (it) => {
  it.effect("the 4th quick request of a client → 429 SVC001 problem+json with Retry-After, and does nothing; another client is not limited", () =>
    Effect.gen(function*() {
      const a = yield* client
      const b = yield* client
      for (let i = 0; i < 3; i++) expect((yield* call("GET", "/api/v1/me", { token: a })).status).toBe(200)
      const users = yield* countRows("users")
      const limited = yield* call("POST", "/api/v1/users", {
        token: a,
        body: { username: `never.${unique()}`, displayName: "Never", roles: ["OnlineUser"], password: "a-long-enough-password" },
        headers: { "x-request-id": "rate-limited-1" }
      })
      expect(limited.status).toBe(429)
      expect(limited.headers["content-type"]).toContain("application/problem+json")
      expect(limited.body).toMatchObject({ code: "SVC001", title: "Too many requests", requestId: "rate-limited-1", errors: [] })
      const retryAfter = Number(limited.headers["retry-after"])
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true)
      expect(yield* countRows("users")).toBe(users)
      // another credential has a bucket of its own
      expect((yield* call("GET", "/api/v1/me", { token: b })).status).toBe(200)
      // and after Retry-After the first client may call again
      yield* Effect.sleep(`${retryAfter * 1000 + 100} millis`)
      expect((yield* call("GET", "/api/v1/me", { token: a })).status).toBe(200)
    }))

  it.effect("callers without credentials are limited by address: the 4th sign-in attempt → 429 before the password is checked", () =>
    Effect.gen(function*() {
      const attempt = () => call("POST", "/api/v1/auth/login", { body: { username: `nobody.${unique()}`, password: "whatever-password" } })
      // sent at once: one after the other, checking each password (scrypt) could take long enough
      // to refill the bucket
      const replies = yield* Effect.all([attempt(), attempt(), attempt(), attempt()], { concurrency: "unbounded" })
      expect(replies.map((r) => r.status).sort()).toEqual([401, 401, 401, 429])
      const limited = replies.find((r) => r.status === 429)!
      expect(limited.body).toMatchObject({ code: "SVC001" })
      expect(limited.headers["retry-after"]).toBeDefined()
    }))

  it.effect("an X-Forwarded-For from a peer that is not a trusted proxy is ignored: rotating it does not make new buckets", () =>
    Effect.gen(function*() {
      const replies: Array<Reply> = []
      for (let i = 1; i <= 4; i++) {
        replies.push(yield* call("GET", "/api/v1/service-status", { headers: { "x-forwarded-for": `203.0.113.${i}` } }))
      }
      expect(replies.map((r) => r.status)).toContain(429)
    }))
}, { config: testConfig([["LRS_RATE_LIMIT", "1"], ["LRS_RATE_LIMIT_BURST", "3"]]) })

// a slow refill (one request per 5 s), so that the time a burst takes to be answered does not
// refill the address's bucket; each half of a describe has its own server, so these tests run in
// order on fresh buckets
describeHttp("Rate limit by authenticated credential", (it) => {
  /** `n` requests at once. */
  const burst = (n: number, request: (i: number) => Effect.Effect<Reply, never, HttpClient.HttpClient>) =>
    Effect.all(Array.from({ length: n }, (_, i) => request(i)), { concurrency: "unbounded" })

  const limitedOnes = (replies: ReadonlyArray<Reply>) => replies.filter((r) => r.status === 429)

  it.effect("with the limit on, a signed-out token is refused at once (the limit's look-up shares the handlers' token cache)", () =>
    Effect.gen(function*() {
      const token = yield* client
      expect((yield* call("GET", "/api/v1/me", { token })).status).toBe(200)
      expect((yield* call("POST", "/api/v1/auth/logout", { token })).status).toBe(204)
      // within the cache's 5 s: a look-up of the limit's own would still hold the token
      const after = yield* call("GET", "/api/v1/me", { token })
      expect(after.status, after.text).toBe(401)
      expect(after.body).toMatchObject({ code: "WSEC0005", detail: expect.stringContaining("revoked") })
    }))

  it.effect("a credential that authenticates keeps its own bucket while its address's is empty; a junk second header or another spelling of the header does not make a new one", () =>
    Effect.gen(function*() {
      const owner = yield* client
      // the address's bucket is emptied by guesses
      const guesses = yield* burst(10, (i) => call("GET", "/api/v1/me", { token: `lrs_tok_guess${unique()}${i}` }))
      expect(limitedOnes(guesses).length).toBeGreaterThanOrEqual(5)
      const created = yield* call("POST", "/api/v1/api-keys", { token: owner, body: { name: "rate", roles: ["OnlineUser"] } })
      expect(created.status, created.text).toBe(201)
      const key = (created.body as { readonly key: string }).key
      for (let i = 0; i < 3; i++) expect((yield* call("GET", "/api/v1/me", { apiKey: key })).status).toBe(200)
      expect((yield* call("GET", "/api/v1/me", { apiKey: key })).status).toBe(429)
      // a token's bucket holds 3, whatever X-API-Key comes with it
      const other = yield* client
      const withJunk = (i: number) => call("GET", "/api/v1/me", { token: other, headers: { "x-api-key": `lrs_key_junk${unique()}${i}` } })
      const statuses: Array<number> = []
      for (let i = 0; i < 5; i++) statuses.push((yield* withJunk(i)).status)
      expect(statuses).toEqual([200, 200, 200, 429, 429])
      // nor does another way of writing the same token
      const third = yield* client
      const spelt = ["Bearer", "bearer", "BEARER", "bEaReR", "Bearer "].map((scheme) => `${scheme} ${third}  `)
      const spelled: Array<number> = []
      for (const authorization of spelt) spelled.push((yield* call("GET", "/api/v1/me", { headers: { authorization } })).status)
      expect(spelled).toEqual([200, 200, 200, 429, 429])
    }))

  it.effect("made-up credentials are charged to the address: a burst of sign-ins, each with another fake token, → 429s; so do rotating fake tokens and keys", () =>
    Effect.gen(function*() {
      const logins = yield* burst(30, (i) =>
        call("POST", "/api/v1/auth/login", {
          token: `lrs_tok_x${unique()}${i}`,
          body: { username: `nouser${unique()}${i}`, password: "wrong-password" }
        }))
      // the address's burst of 3 (and a token or so refilled meanwhile) gets through; the rest do not
      expect(logins.every((r) => r.status === 401 || r.status === 429)).toBe(true)
      const limited = limitedOnes(logins)
      expect(limited.length).toBeGreaterThanOrEqual(25)
      for (const r of limited) {
        expect(r.body).toMatchObject({ code: "SVC001" })
        expect(Number(r.headers["retry-after"])).toBeGreaterThanOrEqual(1)
      }
      const tokens = yield* burst(10, (i) => call("GET", "/api/v1/me", { token: `lrs_tok_guess${unique()}${i}` }))
      expect(limitedOnes(tokens).length).toBeGreaterThanOrEqual(8)
      const keys = yield* burst(10, (i) => call("GET", "/api/v1/me", { apiKey: `lrs_key_guess${unique()}${i}` }))
      expect(limitedOnes(keys).length).toBeGreaterThanOrEqual(8)
    }))

  it.effect("/healthz, /readyz and /metrics are not limited, in any spelling; /docs and the OpenAPI document still are", () =>
    Effect.gen(function*() {
      const drained = yield* burst(8, () => call("GET", "/api/openapi.json"))
      expect(limitedOnes(drained).length).toBeGreaterThanOrEqual(4)
      expect((yield* call("GET", "/docs")).status).toBe(429)
      for (let i = 0; i < 5; i++) {
        expect((yield* call("GET", "/readyz")).status).toBe(200)
        expect((yield* call("GET", "/metrics")).status).toBe(200)
        expect((yield* call("GET", "/healthz")).status).toBe(200)
      }
      // however the probe's path is written, it is the probe
      for (const path of ["/HEALTHZ", "/healthz/", "//readyz", "/METRICS?x=1", "/%68ealthz"]) {
        expect((yield* call("GET", path)).status, path).toBe(200)
      }
      // and /docs written otherwise is still limited
      const limitedDocs = yield* call("GET", "/DOCS/")
      expect(limitedDocs.status).toBe(429)
      // a refusal of a page that may be cached may not be
      expect(limitedDocs.headers["cache-control"]).toBe("no-store")
    }))
}, { config: testConfig([["LRS_RATE_LIMIT", "0.2"], ["LRS_RATE_LIMIT_BURST", "3"]]) })

describeHttp("Rate limit behind a trusted proxy", (it) => {
  const status = (forwardedFor: string) => Effect.map(call("GET", "/api/v1/service-status", { headers: { "x-forwarded-for": forwardedFor } }), (r) => r.status)

  it.effect("each client behind the proxy has its own allowance; an IPv6 client is its /64", () =>
    Effect.gen(function*() {
      for (let i = 0; i < 3; i++) expect(yield* status("198.51.100.7")).toBe(200)
      expect(yield* status("198.51.100.7")).toBe(429)
      // what the client prepends is not believed: the proxy's own hop is
      expect(yield* status("198.51.100.99, 198.51.100.7")).toBe(429)
      expect(yield* status("198.51.100.8")).toBe(200)

      for (let i = 1; i <= 3; i++) expect(yield* status(`2001:db8:7:1::${i}`)).toBe(200)
      // another address in the same /64 is the same client
      expect(yield* status("2001:db8:7:1:ffff:ffff:ffff:ffff")).toBe(429)
      expect(yield* status("2001:db8:7:2::1")).toBe(200)
    }))
}, { config: testConfig([["LRS_RATE_LIMIT", "0.2"], ["LRS_RATE_LIMIT_BURST", "3"], ["LRS_TRUSTED_PROXIES", "127.0.0.1, ::1, ::ffff:127.0.0.1"]]) })
