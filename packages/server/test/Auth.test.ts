import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { ADMIN_PASSWORD, call, countRows, createUser, describeHttp, organisationWith, PASSWORD, signIn, testConfig, unique } from "./http.js"

describeHttp("Authentication", (it) => {
  it.effect("login → bearer token with expiry; /me names the caller; logout revokes the token", () =>
    Effect.gen(function*() {
      const login = yield* call("POST", "/api/v1/auth/login", { body: { username: "admin", password: ADMIN_PASSWORD } })
      expect(login.status).toBe(200)
      const body = login.body as { token: string; tokenType: string; expiresIn: number; expiresAt: string; user: { roles: Array<string> } }
      expect(body.tokenType).toBe("Bearer")
      expect(body.token).toMatch(/^lrs_tok_/)
      expect(body.expiresIn).toBe(8 * 3600)
      expect(Date.parse(body.expiresAt)).toBeGreaterThan(Date.now())
      expect(body.user.roles).toContain("LrsAdmin")
      const me = yield* call("GET", "/api/v1/me", { token: body.token })
      expect(me.status).toBe(200)
      expect(me.body).toMatchObject({ username: "admin", organisationKinds: ["LRS"], via: "token" })
      const logout = yield* call("POST", "/api/v1/auth/logout", { token: body.token })
      expect(logout.status).toBe(204)
      const after = yield* call("GET", "/api/v1/me", { token: body.token })
      expect(after.status).toBe(401)
      expect(after.headers["content-type"]).toContain("application/problem+json")
      expect(after.body).toMatchObject({ code: "WSEC0005", detail: expect.stringContaining("revoked") })
    }))

  it.effect("logout with an API key → 400 saying to revoke the key; the key still works (nothing was revoked)", () =>
    Effect.gen(function*() {
      const org = yield* organisationWith(["LRB"], ["SuperUser"])
      const created = yield* call("POST", "/api/v1/api-keys", { token: org.tokens.SuperUser!, body: { name: "mis", roles: ["OnlineUser"] } })
      expect(created.status, created.text).toBe(201)
      const key = (created.body as { readonly key: string }).key
      const logout = yield* call("POST", "/api/v1/auth/logout", { apiKey: key })
      expect(logout.status).toBe(400)
      expect(logout.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "X-API-Key" }] })
      expect((logout.body as { readonly detail: string }).detail).toContain("/api-keys/{id}/revoke")
      const me = yield* call("GET", "/api/v1/me", { apiKey: key })
      expect(me.status).toBe(200)
      expect(me.body).toMatchObject({ via: "apiKey" })
    }))

  it.effect("no credentials, an unknown token or a malformed body → problem+json with the request id", () =>
    Effect.gen(function*() {
      const none = yield* call("GET", "/api/v1/me", { headers: { "x-request-id": "test-req-1" } })
      expect(none.status).toBe(401)
      expect(none.headers["x-request-id"]).toBe("test-req-1")
      expect(none.body).toMatchObject({ code: "WSEC0005", requestId: "test-req-1", errors: [] })
      const unknown = yield* call("GET", "/api/v1/me", { token: "lrs_tok_nope" })
      expect(unknown.status).toBe(401)
      const bad = yield* call("POST", "/api/v1/auth/login", { body: { username: "admin" } })
      expect(bad.status).toBe(400)
      expect(bad.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "password" }] })
      expect(bad.text).not.toMatch(/at .*\.ts|SELECT|stack/i)
      const malformed = yield* call("POST", "/api/v1/auth/login", { text: { body: "{\"username\": ", contentType: "application/json" } })
      expect(malformed.status).toBe(400)
      expect(malformed.headers["content-type"]).toContain("application/problem+json")
      expect(malformed.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "body" }] })
      // scrypt would take "password\u0000" for "password": a NUL is refused before any check
      const nul = yield* call("POST", "/api/v1/auth/login", { body: { username: "admin", password: `${ADMIN_PASSWORD}\u0000` } })
      expect(nul.status).toBe(400)
      expect(nul.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "password" }] })
      const extra = yield* call("POST", "/api/v1/auth/login", { body: { username: "admin", password: "x", role: "LrsAdmin" } })
      expect(extra.status).toBe(400)
      expect(extra.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "role" }] })
    }))

  it.effect("three wrong passwords lock the account, even against the right password afterwards", () =>
    Effect.gen(function*() {
      const org = yield* organisationWith(["LRB"], [])
      const username = `lock.${unique()}`
      yield* createUser(org.id, username, ["OnlineUser"])
      const wrong = () => call("POST", "/api/v1/auth/login", { body: { username, password: "wrong-password-x" } })
      // a wrong password answers exactly as an unknown user does, so neither tells which names exist
      const unknown = yield* call("POST", "/api/v1/auth/login", { body: { username: `nobody.${unique()}`, password: "wrong-password-x" } })
      expect(unknown.body).toMatchObject({ code: "WSEC0005", detail: "The user name or password is wrong." })
      expect((yield* wrong()).body).toMatchObject({ code: "WSEC0005", detail: "The user name or password is wrong." })
      expect((yield* wrong()).body).toMatchObject({ code: "WSEC0005", detail: "The user name or password is wrong." })
      expect((yield* wrong()).body).toMatchObject({ code: "SVC006" })
      const right = yield* call("POST", "/api/v1/auth/login", { body: { username, password: PASSWORD } })
      expect(right.status).toBe(401)
      expect(right.body).toMatchObject({ code: "SVC006" })
    }))

  it.effect("concurrent guesses check at most three passwords before the account locks", () =>
    Effect.gen(function*() {
      const org = yield* organisationWith(["LRB"], [])
      const username = `race.${unique()}`
      yield* createUser(org.id, username, ["OnlineUser"])
      const guesses = yield* Effect.forEach(
        Array.from({ length: 24 }, (_, i) => `wrong-password-${i}`),
        (password) => call("POST", "/api/v1/auth/login", { body: { username, password } }),
        { concurrency: "unbounded" }
      )
      for (const guess of guesses) expect(guess.status).toBe(401)
      // a checked guess answers "wrong" or "now locked"; the rest were refused without a check
      const checked = guesses.filter((g) => {
        const detail = (g.body as { detail: string }).detail
        return detail === "The user name or password is wrong." || detail.startsWith("Wrong password")
      })
      expect(checked.length).toBeGreaterThanOrEqual(1)
      expect(checked.length).toBeLessThanOrEqual(3)
      const right = yield* call("POST", "/api/v1/auth/login", { body: { username, password: PASSWORD } })
      expect(right.body).toMatchObject({ code: "SVC006" })
    }))

  it.effect("a successful sign-in resets the failure count", () =>
    Effect.gen(function*() {
      const org = yield* organisationWith(["LRB"], [])
      const username = `reset.${unique()}`
      yield* createUser(org.id, username, ["OnlineUser"])
      for (let i = 0; i < 2; i++) yield* call("POST", "/api/v1/auth/login", { body: { username, password: "wrong-password-x" } })
      yield* signIn(username)
      for (let i = 0; i < 2; i++) yield* call("POST", "/api/v1/auth/login", { body: { username, password: "wrong-password-x" } })
      yield* signIn(username)
    }))

  it.effect("service endpoints: status, OpenAPI, docs, health, metrics, unknown route", () =>
    Effect.gen(function*() {
      const status = yield* call("GET", "/api/v1/service-status")
      expect(status.status).toBe(200)
      expect(status.body).toMatchObject({ service: "learner-records", apiVersion: "v1" })
      const openapi = yield* call("GET", "/api/openapi.json")
      expect(openapi.status).toBe(200)
      expect(openapi.body).toMatchObject({ openapi: "3.1.0" })
      const docs = yield* call("GET", "/docs")
      expect(docs.status).toBe(200)
      expect(docs.text).toContain("swagger-ui")
      expect(docs.text).not.toMatch(/<script[^>]+src="https?:/)
      expect((yield* call("GET", "/healthz")).status).toBe(200)
      expect((yield* call("GET", "/favicon.ico")).status).toBe(204)
      expect((yield* call("GET", "/readyz")).body).toEqual({ status: "ready" })
      const metrics = yield* call("GET", "/metrics")
      expect(metrics.text).toContain("lrs_http_requests_total")
      const missing = yield* call("GET", "/api/v1/nothing-here")
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ code: "WSEC0002" })
      expect(yield* countRows("users")).toBeGreaterThan(0)
    }))
})

describeHttp("Token expiry", (it) => {
  it.effect("a token is refused once it has expired", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      expect((yield* call("GET", "/api/v1/me", { token })).status).toBe(200)
      yield* Effect.sleep("1100 millis")
      const expired = yield* call("GET", "/api/v1/me", { token })
      expect(expired.status).toBe(401)
      expect(expired.body).toMatchObject({ code: "WSEC0005", detail: expect.stringContaining("expired") })
    }))
}, { config: testConfig([["LRS_TOKEN_TTL", "1"]]) })
