import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Passwords from "../src/Passwords.js"
import { call, countRows, createOrganisation, createUser, describeHttp, freshUkprn, testConfig, unique } from "./http.js"

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
      for (let i = 0; i < 3; i++) expect((yield* attempt()).status).toBe(401)
      const limited = yield* attempt()
      expect(limited.status).toBe(429)
      expect(limited.body).toMatchObject({ code: "SVC001" })
      expect(limited.headers["retry-after"]).toBeDefined()
    }))
}, { config: testConfig([["LRS_RATE_LIMIT", "1"], ["LRS_RATE_LIMIT_BURST", "3"]]) })
