import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { call, createUser, describeHttp, organisationWith, type Reply, signIn, unique } from "./http.js"
import { insertLearner } from "./records.js"

const challenge = `Bearer realm="learner-records"`

/** What every `/api/v1` answer carries: personal data or secrets, never to be stored by a cache. */
const privateAnswer = (reply: Reply) => {
  expect(reply.headers["cache-control"]).toBe("no-store")
  expect(reply.headers["x-content-type-options"]).toBe("nosniff")
}

describeHttp("Security headers", (it) => {
  it.effect("sign-in (the bearer token), a new API key and a PLR read → Cache-Control: no-store and nosniff", () =>
    Effect.gen(function*() {
      const org = yield* organisationWith(["LRB"], [])
      const username = `headers.${unique()}`
      yield* createUser(org.id, username, ["SuperUser"])
      const login = yield* call("POST", "/api/v1/auth/login", { body: { username, password: "fixture-password-123" } })
      expect(login.status, login.text).toBe(200)
      privateAnswer(login)
      expect(login.headers["www-authenticate"]).toBeUndefined()
      const token = (login.body as { readonly token: string }).token
      const key = yield* call("POST", "/api/v1/api-keys", { token, body: { name: "headers", roles: ["OnlineUser"] } })
      expect(key.status, key.text).toBe(201)
      privateAnswer(key)
      const learner = yield* insertLearner()
      const online = `online.${unique()}`
      yield* createUser(org.id, online, ["OnlineUser"])
      const plr = yield* call("POST", "/api/v1/plr", {
        token: yield* signIn(online),
        body: { uln: learner.uln, givenName: learner.givenName, familyName: learner.familyName }
      })
      expect(plr.status, plr.text).toBe(200)
      privateAnswer(plr)
    }))

  it.effect("every 401 → WWW-Authenticate: Bearer realm=\"learner-records\": no credential, an unknown token, an unknown key, a wrong password", () =>
    Effect.gen(function*() {
      const replies = [
        yield* call("GET", "/api/v1/me"),
        yield* call("GET", "/api/v1/me", { token: `lrs_tok_unknown${unique()}` }),
        yield* call("GET", "/api/v1/me", { apiKey: `lrs_key_unknown${unique()}` }),
        yield* call("POST", "/api/v1/auth/login", { body: { username: `nobody.${unique()}`, password: "wrong-password" } })
      ]
      for (const reply of replies) {
        expect(reply.status).toBe(401)
        expect(reply.headers["www-authenticate"]).toBe(challenge)
        privateAnswer(reply)
      }
      // not on other problems
      const notFound = yield* call("GET", "/api/v1/no-such-operation")
      expect(notFound.status).toBe(404)
      expect(notFound.headers["www-authenticate"]).toBeUndefined()
      privateAnswer(notFound)
    }))

  it.effect("the docs page and the OpenAPI document may be cached; the probes' answers (/healthz, /readyz, /metrics) may not", () =>
    Effect.gen(function*() {
      for (const path of ["/docs", "/api/openapi.json", "/DOCS/", "/api//openapi.json"]) {
        const reply = yield* call("GET", path)
        expect(reply.status, path).toBe(200)
        expect(reply.headers["x-content-type-options"], path).toBe("nosniff")
        expect(reply.headers["cache-control"], path).toBeUndefined()
      }
      for (const path of ["/healthz", "/readyz", "/metrics"]) {
        const reply = yield* call("GET", path)
        expect(reply.status, path).toBe(200)
        privateAnswer(reply)
      }
    }))

  it.effect("a sign-in however its path is written (letter case, doubled or trailing slash, %-escaped) → no-store", () =>
    Effect.gen(function*() {
      const org = yield* organisationWith(["LRB"], [])
      const username = `headers.${unique()}`
      yield* createUser(org.id, username, ["SuperUser"])
      for (const path of ["/API/V1/Auth/Login", "//api/v1/auth/login", "/api/v1/auth/login/", "/%61pi/v1/auth/login"]) {
        const login = yield* call("POST", path, { body: { username, password: "fixture-password-123" } })
        expect(login.status, `${path}: ${login.text}`).toBe(200)
        expect((login.body as { readonly token: string }).token).toBeTruthy()
        privateAnswer(login)
      }
    }))
})
