import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { call, countRows, createUser, describeHttp, organisationWith, signIn, unique } from "./http.js"
import { insertLearner } from "./records.js"

const newUser = () => ({ username: `idem.${unique()}`, displayName: "Idempotent", roles: ["OnlineUser"], password: "a-long-enough-password" })

/** How many users have this name (whatever its case). */
const usersNamed = (username: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM users WHERE lower(username) = lower(${username})`
    return rows[0]!.n
  }).pipe(Effect.orDie)

describeHttp("Idempotency keys", (it) => {
  const superUser = Effect.map(organisationWith(["LRB"], ["SuperUser"]), (org) => ({ id: org.id, token: org.tokens.SuperUser! }))

  it.effect("POST /users: the same key and body → the first response again, idempotent-replayed: true, one row", () =>
    Effect.gen(function*() {
      const org = yield* superUser
      const key = `k-${unique()}`
      const body = newUser()
      const first = yield* call("POST", "/api/v1/users", { token: org.token, body, headers: { "idempotency-key": key } })
      expect(first.status, first.text).toBe(201)
      expect(first.headers["idempotent-replayed"]).toBeUndefined()
      const users = yield* countRows("users")
      const second = yield* call("POST", "/api/v1/users", { token: org.token, body, headers: { "idempotency-key": key } })
      expect(second.status).toBe(201)
      expect(second.headers["idempotent-replayed"]).toBe("true")
      expect(second.headers["content-type"]).toContain("application/json")
      expect(second.text).toBe(first.text)
      expect(yield* countRows("users")).toBe(users)
      expect(yield* usersNamed(body.username)).toBe(1)
      // without the key the same request is a new request: the name is now taken
      const fresh = yield* call("POST", "/api/v1/users", { token: org.token, body })
      expect(fresh.status).toBe(409)
    }))

  it.effect("the path as the router reads it: a replay to /API/V1/Users/ (case, trailing slash) is the same operation and replays", () =>
    Effect.gen(function*() {
      const org = yield* superUser
      const key = `k-${unique()}`
      const body = newUser()
      const first = yield* call("POST", "/API/V1/Users/", { token: org.token, body, headers: { "idempotency-key": key } })
      expect(first.status, first.text).toBe(201)
      const second = yield* call("POST", "/api/v1//users", { token: org.token, body, headers: { "idempotency-key": key } })
      expect(second.status).toBe(201)
      expect(second.headers["idempotent-replayed"]).toBe("true")
      expect(second.text).toBe(first.text)
      expect(yield* usersNamed(body.username)).toBe(1)
    }))

  it.effect("POST /api-keys: a replay returns the same key; one row; the stored response does not hold the secret in clear", () =>
    Effect.gen(function*() {
      const org = yield* superUser
      const key = `k-${unique()}`
      const body = { name: "Retrying MIS", roles: ["OnlineUser"] }
      const before = yield* countRows("api_keys")
      const first = yield* call("POST", "/api/v1/api-keys", { token: org.token, body, headers: { "idempotency-key": key } })
      expect(first.status, first.text).toBe(201)
      const second = yield* call("POST", "/api/v1/api-keys", { token: org.token, body, headers: { "idempotency-key": key } })
      expect(second.status).toBe(201)
      expect(second.headers["idempotent-replayed"]).toBe("true")
      expect(second.body).toEqual(first.body)
      expect(yield* countRows("api_keys")).toBe(before + 1)
      const secret = (first.body as { key: string }).key
      expect((yield* call("GET", "/api/v1/me", { apiKey: secret })).status).toBe(200)
      // API keys are stored only as a digest: the replay store must not keep them readable either
      const sql = yield* SqlClient.SqlClient
      const stored = yield* sql<{ readonly body: string | null }>`SELECT body FROM idempotency_keys WHERE key = ${key}`.pipe(Effect.orDie)
      expect(stored).toHaveLength(1)
      expect(stored[0]!.body).not.toContain(secret)
      expect(stored[0]!.body).not.toContain("Retrying MIS")
    }))

  it.effect("a key is kept 24 hours: a day later the same key is a new request", () =>
    Effect.gen(function*() {
      const org = yield* superUser
      const key = `k-${unique()}`
      const sql = yield* SqlClient.SqlClient
      const age = (hours: number) => sql`UPDATE idempotency_keys SET created_at = now() - make_interval(hours => ${hours}) WHERE key = ${key}`.pipe(Effect.orDie)
      expect((yield* call("POST", "/api/v1/users", { token: org.token, body: newUser(), headers: { "idempotency-key": key } })).status).toBe(201)
      // 23 hours on, the key still holds its request
      yield* age(23)
      const other = newUser()
      expect((yield* call("POST", "/api/v1/users", { token: org.token, body: other, headers: { "idempotency-key": key } })).body).toMatchObject({ code: "SVC002" })
      expect(yield* usersNamed(other.username)).toBe(0)
      // 25 hours on, it is free again: the new request is done, and a retry of it is a replay
      yield* age(25)
      const later = yield* call("POST", "/api/v1/users", { token: org.token, body: other, headers: { "idempotency-key": key } })
      expect(later.status, later.text).toBe(201)
      expect(later.headers["idempotent-replayed"]).toBeUndefined()
      expect(yield* usersNamed(other.username)).toBe(1)
      const retry = yield* call("POST", "/api/v1/users", { token: org.token, body: other, headers: { "idempotency-key": key } })
      expect(retry.headers["idempotent-replayed"]).toBe("true")
      expect(retry.text).toBe(later.text)
    }))

  it.effect("the same key with a different body → 422 SVC002; nothing written", () =>
    Effect.gen(function*() {
      const org = yield* superUser
      const key = `k-${unique()}`
      expect((yield* call("POST", "/api/v1/users", { token: org.token, body: newUser(), headers: { "idempotency-key": key } })).status).toBe(201)
      const users = yield* countRows("users")
      const other = newUser()
      const reused = yield* call("POST", "/api/v1/users", { token: org.token, body: other, headers: { "idempotency-key": key } })
      expect(reused.status).toBe(422)
      expect(reused.headers["content-type"]).toContain("application/problem+json")
      expect(reused.body).toMatchObject({ code: "SVC002" })
      expect(yield* countRows("users")).toBe(users)
      expect(yield* usersNamed(other.username)).toBe(0)
      // and on another route
      const keys = yield* countRows("api_keys")
      const elsewhere = yield* call("POST", "/api/v1/api-keys", { token: org.token, body: { name: "x", roles: ["OnlineUser"] }, headers: { "idempotency-key": key } })
      expect(elsewhere.body).toMatchObject({ code: "SVC002" })
      expect(yield* countRows("api_keys")).toBe(keys)
    }))

  it.effect("a key is scoped to the credential: another user's token with the same key does not get the first response", () =>
    Effect.gen(function*() {
      const a = yield* superUser
      const b = yield* superUser
      const key = `shared-${unique()}`
      const body = newUser()
      const first = yield* call("POST", "/api/v1/users", { token: a.token, body, headers: { "idempotency-key": key } })
      expect(first.status).toBe(201)
      // the same request from B is B's own request: the name is taken, not a replay of A's 201
      const same = yield* call("POST", "/api/v1/users", { token: b.token, body, headers: { "idempotency-key": key } })
      expect(same.status).toBe(409)
      expect(same.headers["idempotent-replayed"]).toBeUndefined()
      // a different body from B is not a reuse of A's key
      const own = yield* call("POST", "/api/v1/users", { token: b.token, body: newUser(), headers: { "idempotency-key": key } })
      expect(own.status).toBe(201)
      expect(own.headers["idempotent-replayed"]).toBeUndefined()
      expect((own.body as { organisationId: string }).organisationId).toBe(b.id)
      // the same user signed in again is another credential too
      const username = `again.${unique()}`
      yield* createUser(a.id, username, ["SuperUser"])
      const t1 = yield* signIn(username)
      const t2 = yield* signIn(username)
      const k2 = `k-${unique()}`
      const keyBody = { name: "per token", roles: ["OnlineUser"] }
      expect((yield* call("POST", "/api/v1/api-keys", { token: t1, body: keyBody, headers: { "idempotency-key": k2 } })).status).toBe(201)
      const fromT2 = yield* call("POST", "/api/v1/api-keys", { token: t2, body: keyBody, headers: { "idempotency-key": k2 } })
      expect(fromT2.status).toBe(201)
      expect(fromT2.headers["idempotent-replayed"]).toBeUndefined()
    }))

  it.effect("a replay needs a credential that still works: after sign-out the stored response is not given", () =>
    Effect.gen(function*() {
      const org = yield* superUser
      const key = `k-${unique()}`
      const body = { name: "then signed out", roles: ["OnlineUser"] }
      expect((yield* call("POST", "/api/v1/api-keys", { token: org.token, body, headers: { "idempotency-key": key } })).status).toBe(201)
      expect((yield* call("POST", "/api/v1/auth/logout", { token: org.token })).status).toBe(204)
      const replay = yield* call("POST", "/api/v1/api-keys", { token: org.token, body, headers: { "idempotency-key": key } })
      expect(replay.status).toBe(401)
      expect(replay.body).toMatchObject({ code: "WSEC0005" })
    }))

  it.effect("errors are replayed too, but a bad key is 400 and nothing is written", () =>
    Effect.gen(function*() {
      const org = yield* superUser
      const key = `k-${unique()}`
      const bad = { ...newUser(), roles: ["AwardingBodyUser"] }
      const first = yield* call("POST", "/api/v1/users", { token: org.token, body: bad, headers: { "idempotency-key": key } })
      expect(first.status).toBe(422)
      const again = yield* call("POST", "/api/v1/users", { token: org.token, body: bad, headers: { "idempotency-key": key } })
      expect(again.status).toBe(422)
      expect(again.headers["idempotent-replayed"]).toBe("true")
      const users = yield* countRows("users")
      const invalid = yield* call("POST", "/api/v1/users", { token: org.token, body: newUser(), headers: { "idempotency-key": "with space" } })
      expect(invalid.status).toBe(400)
      expect(invalid.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "Idempotency-Key" }] })
      expect(yield* countRows("users")).toBe(users)
      // a bad key is judged after the credentials (401) and the role (403), as the rest of the request is
      const unknown = yield* call("POST", "/api/v1/users", { token: "lrs_tok_made-up", body: newUser(), headers: { "idempotency-key": "with space" } })
      expect(unknown.status).toBe(401)
      expect(unknown.body).toMatchObject({ code: "WSEC0005" })
      const viewer = yield* Effect.map(organisationWith(["LRB"], ["ViewLearnerOnly"]), (o) => o.tokens.ViewLearnerOnly!)
      const wrongRole = yield* call("POST", "/api/v1/learners", { token: viewer, body: { bad: true }, headers: { "idempotency-key": "with space" } })
      expect(wrongRole.status).toBe(403)
      expect(wrongRole.body).toMatchObject({ code: "WSEC0006" })
    }))

  it.effect("a key sent with a read POST is ignored: each read is done again, with its checks and its access-log entry", () =>
    Effect.gen(function*() {
      const org = yield* Effect.map(organisationWith(["LRB"], ["OnlineUser", "BatchUser"]), (o) => o.tokens)
      const learner = yield* insertLearner()
      const sql = yield* SqlClient.SqlClient
      const logged = Effect.map(
        sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM access_log WHERE uln = ${learner.uln}`,
        (rows) => rows[0]!.n
      ).pipe(Effect.orDie)
      const key = `k-${unique()}`
      const plr = { uln: learner.uln, givenName: learner.givenName, familyName: learner.familyName, view: "FULL" }
      const find = { uln: learner.uln, givenName: learner.givenName, familyName: learner.familyName }
      for (const [path, body] of [["/api/v1/plr", plr], ["/api/v1/learners/find-by-uln", find]] as const) {
        for (let i = 0; i < 2; i++) {
          const before = yield* logged
          const read = yield* call("POST", path, { token: org.OnlineUser!, body, headers: { "idempotency-key": key } })
          expect(read.status, read.text).toBe(200)
          expect(read.headers["idempotent-replayed"]).toBeUndefined()
          expect(yield* logged).toBe(before + 1)
        }
      }
      // the learner withdraws their agreement to share: the same read with the same key now says so
      yield* sql`UPDATE learners SET ability_to_share = 2, details = (jsonb_set(details::jsonb, '{abilityToShare}', '2'))::json
        WHERE uln = ${learner.uln}`.pipe(Effect.orDie)
      const refused = yield* call("POST", "/api/v1/plr", { token: org.OnlineUser!, body: plr, headers: { "idempotency-key": key } })
      expect(refused.body).toMatchObject({ responseCode: "WSEC0206", learningEvents: [] })
      // and a caller without the role is refused, key or not
      const batchOnly = yield* call("POST", "/api/v1/plr", { token: org.BatchUser!, body: plr, headers: { "idempotency-key": key } })
      expect(batchOnly.status).toBe(403)
      expect(yield* sql`SELECT 1 FROM idempotency_keys WHERE key = ${key}`.pipe(Effect.orDie)).toHaveLength(0)
    }))
})
