import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { API_KEY_PREFIX_LENGTH } from "../src/Accounts.js"
import {
  call,
  countRows,
  createUser,
  describeHttp,
  fixture as makeFixture,
  organisationWith,
  PASSWORD,
  type Reply,
  signIn,
  unique
} from "./http.js"

type Cast = Effect.Effect.Success<typeof makeFixture>

interface UserBody {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly email: string | null
  readonly organisationId: string
  readonly roles: ReadonlyArray<string>
  readonly status: string
  readonly createdAt: string
}

interface ApiKeyBody {
  readonly id: string
  readonly name: string
  readonly prefix: string
  readonly roles: ReadonlyArray<string>
  readonly createdAt: string
  readonly revokedAt: string | null
}

const NEW_PASSWORD = "a-brand-new-password-42"
const NOWHERE = "00000000-0000-4000-8000-000000000000"

const newUser = (over: Record<string, unknown> = {}) => ({
  username: `new.${unique()}`,
  displayName: "New Person",
  roles: ["OnlineUser"],
  password: "a-long-enough-password",
  ...over
})

/** The stored account of a user, as the database holds it. */
const userRow = (id: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{
      readonly status: string
      readonly failedAttempts: number
      readonly roles: ReadonlyArray<string>
      readonly displayName: string | null
      readonly emailAddress: string | null
      readonly passwordHash: string
    }>`SELECT status, failed_attempts, roles, display_name, email_address, password_hash FROM users WHERE id = ${id}::uuid`
    return rows[0]!
  }).pipe(Effect.orDie)

const expectProblem = (reply: Reply, status: number, code: string, field?: string) => {
  expect(reply.status, reply.text).toBe(status)
  expect(reply.headers["content-type"]).toContain("application/problem+json")
  expect(reply.body).toMatchObject({ code })
  // the field itself, or an element of it (an empty list is reported at its first, missing element)
  if (field !== undefined) {
    const fields = (reply.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)
    expect(fields.some((f) => f === field || f.startsWith(`${field}[`)), `${fields.join(", ")} names ${field}`).toBe(true)
  }
}

describeHttp("Users and API keys", (it) => {
  // one cast of organisations and signed-in users per database, shared by the tests; tests that
  // revoke, lock or demote someone create that someone first
  let cast: Cast | undefined
  const fixture = Effect.suspend(() => cast !== undefined ? Effect.succeed(cast) : Effect.tap(makeFixture, (f) => { cast = f }))

  /** A fresh user of the given organisation with a token. */
  const member = (organisationId: string, roles: ReadonlyArray<string>) =>
    Effect.gen(function*() {
      const username = `member.${unique()}`
      const id = yield* createUser(organisationId, username, roles)
      return { id, username, token: yield* signIn(username) }
    })

  const createKey = (token: string, roles: ReadonlyArray<string> = ["OnlineUser"]) =>
    Effect.gen(function*() {
      const reply = yield* call("POST", "/api/v1/api-keys", { token, body: { name: `MIS ${unique()}`, roles } })
      expect(reply.status, reply.text).toBe(201)
      return reply.body as { readonly apiKey: ApiKeyBody; readonly key: string }
    })

  // --- users.create ---

  it.effect("users.create → 201; the new user signs in and /me shows their organisation and roles", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const before = yield* countRows("users")
      const body = newUser({ roles: ["OnlineUser", "ViewLearnerOnly", "OnlineUser"], email: "new.person@example.org" })
      const r = yield* call("POST", "/api/v1/users", { token: f.lrb.tokens.SuperUser, body })
      expect(r.status, r.text).toBe(201)
      const user = r.body as UserBody
      expect(user).toMatchObject({
        username: body.username,
        displayName: "New Person",
        email: "new.person@example.org",
        organisationId: f.lrb.id,
        roles: ["OnlineUser", "ViewLearnerOnly"],
        status: "active"
      })
      expect(Date.parse(user.createdAt)).toBeGreaterThan(Date.now() - 60_000)
      expect(r.text).not.toMatch(/password|scrypt/i)
      expect(yield* countRows("users")).toBe(before + 1)
      expect((yield* userRow(user.id)).passwordHash).toMatch(/^scrypt\$/)
      const token = yield* signIn(body.username, body.password)
      const me = yield* call("GET", "/api/v1/me", { token })
      expect(me.body).toMatchObject({ userId: user.id, organisationId: f.lrb.id, roles: ["OnlineUser", "ViewLearnerOnly"], via: "token" })
    }))

  it.effect("users.create: a user name taken in any case, in any organisation → 409 SVC007; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const username = `Case.${unique()}`
      expect((yield* call("POST", "/api/v1/users", { token: f.lrb.tokens.SuperUser, body: newUser({ username }) })).status).toBe(201)
      const before = yield* countRows("users")
      const lower = yield* call("POST", "/api/v1/users", { token: f.otherLrb.tokens.SuperUser, body: newUser({ username: username.toLowerCase() }) })
      expectProblem(lower, 409, "SVC007", "username")
      const admin = yield* call("POST", "/api/v1/users", { token: f.lrb.tokens.SuperUser, body: newUser({ username: "ADMIN" }) })
      expectProblem(admin, 409, "SVC007")
      expect(yield* countRows("users")).toBe(before)
    }))

  it.effect("users.create: a role the organisation cannot have → 422 SVC008 naming roles[i]; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const olass = yield* organisationWith(["LRB"], ["SuperUser"], { olass: true })
      const before = yield* countRows("users")
      const refused: Array<[string, ReadonlyArray<string>, string]> = [
        [f.lrb.tokens.SuperUser!, ["OnlineUser", "AwardingBodyUser"], "roles[1]"],
        [f.lrb.tokens.SuperUser!, ["LrsAdmin"], "roles[0]"],
        [f.lrb.tokens.SuperUser!, ["LearnerPlanUser"], "roles[0]"],
        [f.ao.tokens.SuperUser!, ["OnlineUser"], "roles[0]"],
        [f.admin, ["OnlineUser"], "roles[0]"]
      ]
      for (const [token, roles, field] of refused) {
        const r = yield* call("POST", "/api/v1/users", { token, body: newUser({ roles }) })
        expectProblem(r, 422, "SVC008", field)
      }
      expect(yield* countRows("users")).toBe(before)
      // the same roles where they belong
      expect((yield* call("POST", "/api/v1/users", { token: olass.tokens.SuperUser, body: newUser({ roles: ["LearnerPlanUser"] }) })).status).toBe(201)
      expect((yield* call("POST", "/api/v1/users", { token: f.ao.tokens.SuperUser, body: newUser({ roles: ["AwardingBodyUser", "BatchUser"] }) })).status).toBe(201)
      const lrsAdmin = yield* call("POST", "/api/v1/users", { token: f.admin, body: newUser({ roles: ["LrsAdmin"] }) })
      expect(lrsAdmin.status).toBe(201)
      expect((lrsAdmin.body as UserBody).organisationId).not.toBe(f.lrb.id)
    }))

  it.effect("users.create: bad input → 400 WSEC0001 naming the field; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const before = yield* countRows("users")
      const cases: Array<[Record<string, unknown>, string]> = [
        [newUser({ password: "short" }), "password"],
        // twelve UTF-16 units but six characters; only spaces; NUL; an unpaired surrogate
        [newUser({ password: "😀😀😀😀😀😀" }), "password"],
        [newUser({ password: " ".repeat(12) }), "password"],
        [newUser({ password: "a-long-enough-password\u0000" }), "password"],
        [newUser({ password: "a-long-enough-password\ud800" }), "password"],
        [newUser({ username: "a b" }), "username"],
        [newUser({ displayName: "   " }), "displayName"],
        [newUser({ email: "not-an-email" }), "email"],
        [newUser({ roles: [] }), "roles"],
        [newUser({ roles: ["God"] }), "roles[0]"],
        [newUser({ status: "active" }), "status"],
        [{ username: `x.${unique()}`, roles: ["OnlineUser"], password: "a-long-enough-password" }, "displayName"]
      ]
      for (const [body, field] of cases) {
        const r = yield* call("POST", "/api/v1/users", { token: f.lrb.tokens.SuperUser, body })
        expectProblem(r, 400, "WSEC0001", field)
      }
      expect(yield* countRows("users")).toBe(before)
    }))

  it.effect("users.create: wrong role → 403 WSEC0006; a super user naming another organisation → 403; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const before = yield* countRows("users")
      for (const token of [f.lrb.tokens.OnlineUser, f.lrb.tokens.ViewLearnerOnly, f.ao.tokens.AwardingBodyUser, f.ao.tokens.BatchUser]) {
        expectProblem(yield* call("POST", "/api/v1/users", { token, body: newUser() }), 403, "WSEC0006")
      }
      const elsewhere = yield* call("POST", "/api/v1/users", { token: f.lrb.tokens.SuperUser, body: newUser({ organisationId: f.otherLrb.id }) })
      expectProblem(elsewhere, 403, "WSEC0006", "organisationId")
      expect(yield* countRows("users")).toBe(before)
      expect((yield* call("POST", "/api/v1/users", { body: newUser() })).status).toBe(401)
      // naming one's own organisation is the same as leaving it out
      const own = yield* call("POST", "/api/v1/users", { token: f.lrb.tokens.SuperUser, body: newUser({ organisationId: f.lrb.id }) })
      expect(own.status).toBe(201)
    }))

  it.effect("users.create by the LRS admin: in any organisation by organisationId; an unknown one → 404", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const r = yield* call("POST", "/api/v1/users", { token: f.admin, body: newUser({ roles: ["SuperUser"], organisationId: f.otherAo.id }) })
      expect(r.status, r.text).toBe(201)
      expect(r.body).toMatchObject({ organisationId: f.otherAo.id, roles: ["SuperUser"] })
      const before = yield* countRows("users")
      expectProblem(yield* call("POST", "/api/v1/users", { token: f.admin, body: newUser({ organisationId: NOWHERE }) }), 404, "SVC004")
      expectProblem(yield* call("POST", "/api/v1/users", { token: f.admin, body: newUser({ organisationId: "nope" }) }), 404, "SVC004")
      expect(yield* countRows("users")).toBe(before)
    }))

  // --- users.list ---

  it.effect("users.list: a super user sees their own organisation only, the LRS admin everyone; no secrets; other roles → 403", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const r = yield* call("GET", "/api/v1/users", { token: f.lrb.tokens.SuperUser })
      expect(r.status).toBe(200)
      const users = r.body as Array<UserBody>
      expect(users.map((u) => u.username)).toEqual(expect.arrayContaining(Object.values(f.lrb.usernames)))
      expect(users.every((u) => u.organisationId === f.lrb.id)).toBe(true)
      expect(users.map((u) => u.id)).not.toContain(f.otherLrb.users.SuperUser)
      expect(r.text).not.toMatch(/password|scrypt/i)
      const all = (yield* call("GET", "/api/v1/users", { token: f.admin })).body as Array<UserBody>
      expect(all.map((u) => u.username)).toEqual(expect.arrayContaining([...Object.values(f.lrb.usernames), ...Object.values(f.otherAo.usernames), "admin"]))
      for (const token of [f.lrb.tokens.OnlineUser, f.lrb.tokens.BatchUser, f.ao.tokens.AwardingBodyUser]) {
        expectProblem(yield* call("GET", "/api/v1/users", { token }), 403, "WSEC0006")
      }
      expect((yield* call("GET", "/api/v1/users")).status).toBe(401)
    }))

  // --- users.update ---

  it.effect("users.update: name, e-mail and roles; a role change applies to the user's current token at once", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const m = yield* member(f.lrb.id, ["OnlineUser"])
      expectProblem(yield* call("GET", "/api/v1/users", { token: m.token }), 403, "WSEC0006")
      const r = yield* call("PUT", `/api/v1/users/${m.id}`, {
        token: f.lrb.tokens.SuperUser,
        body: { displayName: "Renamed", email: "renamed@example.org", roles: ["OnlineUser", "SuperUser"] }
      })
      expect(r.status, r.text).toBe(200)
      expect(r.body).toMatchObject({ id: m.id, username: m.username, displayName: "Renamed", email: "renamed@example.org", roles: ["OnlineUser", "SuperUser"] })
      expect((yield* call("GET", "/api/v1/users", { token: m.token })).status).toBe(200)
      // a field left out stays; null clears the e-mail
      const cleared = yield* call("PUT", `/api/v1/users/${m.id}`, { token: f.lrb.tokens.SuperUser, body: { email: null } })
      expect(cleared.body).toMatchObject({ displayName: "Renamed", email: null, roles: ["OnlineUser", "SuperUser"] })
      expect(yield* userRow(m.id)).toMatchObject({ displayName: "Renamed", emailAddress: null })
      // the LRS admin may update anyone, within the rules of the user's organisation
      const byAdmin = yield* call("PUT", `/api/v1/users/${m.id}`, { token: f.admin, body: { roles: ["ViewLearnerOnly"] } })
      expect(byAdmin.body).toMatchObject({ roles: ["ViewLearnerOnly"] })
      expectProblem(yield* call("PUT", `/api/v1/users/${m.id}`, { token: f.admin, body: { roles: ["AwardingBodyUser"] } }), 422, "SVC008", "roles[0]")
    }))

  it.effect("users.update: another organisation's or an unknown user → 404; wrong role → 403; nothing changed", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const other = f.otherLrb.users.OnlineUser!
      const body = { displayName: "Hijacked", roles: ["SuperUser"] }
      for (const id of [other, NOWHERE, "not-a-uuid"]) {
        expectProblem(yield* call("PUT", `/api/v1/users/${id}`, { token: f.lrb.tokens.SuperUser, body }), 404, "SVC004")
      }
      expectProblem(yield* call("PUT", `/api/v1/users/${f.lrb.users.OnlineUser}`, { token: f.lrb.tokens.OnlineUser, body }), 403, "WSEC0006")
      expectProblem(yield* call("PUT", `/api/v1/users/${f.lrb.users.OnlineUser}`, { token: f.ao.tokens.SuperUser, body }), 404, "SVC004")
      expect(yield* userRow(other)).toMatchObject({ roles: ["OnlineUser"], displayName: f.otherLrb.usernames.OnlineUser })
      expect(yield* userRow(f.lrb.users.OnlineUser!)).toMatchObject({ roles: ["OnlineUser"] })
    }))

  it.effect("users.update: bad input → 400 naming the field; roles not allowed → 422 SVC008; own SuperUser → 422 SVC009; revoked user → 422 SVC010; nothing changed", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const m = yield* member(f.lrb.id, ["OnlineUser"])
      const put = (body: unknown, token: string = f.lrb.tokens.SuperUser!, id: string = m.id) => call("PUT", `/api/v1/users/${id}`, { token, body })
      expectProblem(yield* put({ username: "renamed" }), 400, "WSEC0001", "username")
      expectProblem(yield* put({ status: "active" }), 400, "WSEC0001", "status")
      expectProblem(yield* put({ roles: [] }), 400, "WSEC0001", "roles")
      expectProblem(yield* put({ email: "nope" }), 400, "WSEC0001", "email")
      expectProblem(yield* put({ displayName: "x".repeat(71) }), 400, "WSEC0001", "displayName")
      expectProblem(yield* put({ roles: ["OnlineUser", "AwardingBodyUser"] }), 422, "SVC008", "roles[1]")
      expectProblem(yield* put({ roles: ["LearnerPlanUser"] }), 422, "SVC008", "roles[0]")
      expect(yield* userRow(m.id)).toMatchObject({ roles: ["OnlineUser"], displayName: m.username, emailAddress: null })
      // nobody demotes themselves; the admin cannot drop their own LrsAdmin either
      const boss = yield* member(f.lrb.id, ["SuperUser"])
      expectProblem(yield* put({ roles: ["OnlineUser"] }, boss.token, boss.id), 422, "SVC009", "roles")
      expect((yield* userRow(boss.id)).roles).toEqual(["SuperUser"])
      const me = (yield* call("GET", "/api/v1/me", { token: f.admin })).body as { userId: string }
      expectProblem(yield* put({ roles: ["SuperUser"] }, f.admin, me.userId), 422, "SVC009", "roles")
      // adding roles to oneself, or renaming oneself, is fine
      expect((yield* put({ roles: ["SuperUser", "OnlineUser"], displayName: "Boss" }, boss.token, boss.id)).status).toBe(200)
      // a revoked user stays as they were
      expect((yield* call("POST", `/api/v1/users/${m.id}/revoke`, { token: f.lrb.tokens.SuperUser })).status).toBe(200)
      expectProblem(yield* put({ displayName: "Back again" }), 422, "SVC010")
      expect((yield* userRow(m.id)).displayName).toBe(m.username)
    }))

  // --- users.revoke ---

  it.effect("users.revoke: the user's tokens and API keys stop working at once, sign-in is refused; revoking again → 200", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const m = yield* member(f.lrb.id, ["SuperUser", "OnlineUser"])
      const { apiKey, key } = yield* createKey(m.token)
      expect((yield* call("GET", "/api/v1/me", { apiKey: key })).status).toBe(200)
      const r = yield* call("POST", `/api/v1/users/${m.id}/revoke`, { token: f.lrb.tokens.SuperUser })
      expect(r.status, r.text).toBe(200)
      expect(r.body).toMatchObject({ id: m.id, status: "revoked" })
      expectProblem(yield* call("GET", "/api/v1/me", { token: m.token }), 401, "WSEC0005")
      expectProblem(yield* call("GET", "/api/v1/me", { apiKey: key }), 401, "WSEC0005")
      expectProblem(yield* call("POST", "/api/v1/auth/login", { body: { username: m.username, password: PASSWORD } }), 401, "WSEC0005")
      const keys = (yield* call("GET", "/api/v1/api-keys", { token: f.lrb.tokens.SuperUser })).body as Array<ApiKeyBody>
      expect(keys.find((k) => k.id === apiKey.id)?.revokedAt).not.toBeNull()
      const again = yield* call("POST", `/api/v1/users/${m.id}/revoke`, { token: f.lrb.tokens.SuperUser })
      expect(again.status).toBe(200)
      expect(again.body).toMatchObject({ status: "revoked" })
    }))

  it.effect("users.update: a super user demoted takes their API keys with them; a change that leaves SuperUser keeps them", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const m = yield* member(f.lrb.id, ["SuperUser", "OnlineUser"])
      const { apiKey, key } = yield* createKey(m.token)
      const update = (body: object) => call("PUT", `/api/v1/users/${m.id}`, { token: f.lrb.tokens.SuperUser, body })
      expect((yield* update({ displayName: "Renamed", roles: ["SuperUser", "BatchUser"] })).status).toBe(200)
      expect((yield* call("GET", "/api/v1/me", { apiKey: key })).status).toBe(200)
      const demoted = yield* update({ roles: ["OnlineUser"] })
      expect(demoted.status, demoted.text).toBe(200)
      expectProblem(yield* call("GET", "/api/v1/me", { apiKey: key }), 401, "WSEC0005")
      const keys = (yield* call("GET", "/api/v1/api-keys", { token: f.lrb.tokens.SuperUser })).body as Array<ApiKeyBody>
      expect(keys.find((k) => k.id === apiKey.id)?.revokedAt).not.toBeNull()
      // the user themselves goes on, with the roles left
      expect((yield* call("GET", "/api/v1/me", { token: m.token })).body).toMatchObject({ roles: ["OnlineUser"] })
    }))

  it.effect("users.revoke: yourself → 422 SVC009; another organisation's or unknown → 404; wrong role → 403; nothing changed", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const boss = yield* member(f.lrb.id, ["SuperUser"])
      expectProblem(yield* call("POST", `/api/v1/users/${boss.id}/revoke`, { token: boss.token }), 422, "SVC009")
      expect((yield* call("GET", "/api/v1/me", { token: boss.token })).status).toBe(200)
      const other = yield* member(f.otherLrb.id, ["OnlineUser"])
      for (const id of [other.id, NOWHERE, "42"]) {
        expectProblem(yield* call("POST", `/api/v1/users/${id}/revoke`, { token: f.lrb.tokens.SuperUser }), 404, "SVC004")
      }
      expectProblem(yield* call("POST", `/api/v1/users/${boss.id}/revoke`, { token: f.lrb.tokens.OnlineUser }), 403, "WSEC0006")
      expect((yield* userRow(other.id)).status).toBe("active")
      expect((yield* userRow(boss.id)).status).toBe("active")
      expect((yield* call("GET", "/api/v1/me", { token: other.token })).status).toBe(200)
      // the LRS admin may revoke anyone
      expect((yield* call("POST", `/api/v1/users/${other.id}/revoke`, { token: f.admin })).body).toMatchObject({ status: "revoked" })
    }))

  // --- users.resetPassword ---

  it.effect("users.resetPassword: a super user unlocks an account locked by three failed sign-ins", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const m = yield* member(f.lrb.id, ["OnlineUser"])
      for (let i = 0; i < 3; i++) yield* call("POST", "/api/v1/auth/login", { body: { username: m.username, password: "wrong-password-x" } })
      expect(yield* userRow(m.id)).toMatchObject({ status: "locked", failedAttempts: 3 })
      expectProblem(yield* call("POST", "/api/v1/auth/login", { body: { username: m.username, password: PASSWORD } }), 401, "SVC006")
      const r = yield* call("POST", `/api/v1/users/${m.id}/reset-password`, { token: f.lrb.tokens.SuperUser, body: { password: NEW_PASSWORD } })
      expect(r.status, r.text).toBe(200)
      expect(r.body).toMatchObject({ id: m.id, status: "active" })
      expect(yield* userRow(m.id)).toMatchObject({ status: "active", failedAttempts: 0 })
      const token = yield* signIn(m.username, NEW_PASSWORD)
      expect((yield* call("GET", "/api/v1/me", { token })).status).toBe(200)
      expectProblem(yield* call("POST", "/api/v1/auth/login", { body: { username: m.username, password: PASSWORD } }), 401, "WSEC0005")
    }))

  it.effect("users.resetPassword: the user's existing tokens are revoked", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const m = yield* member(f.ao.id, ["AwardingBodyUser"])
      const r = yield* call("POST", `/api/v1/users/${m.id}/reset-password`, { token: f.ao.tokens.SuperUser, body: { password: NEW_PASSWORD } })
      expect(r.status).toBe(200)
      const old = yield* call("GET", "/api/v1/me", { token: m.token })
      expectProblem(old, 401, "WSEC0005")
      expect((old.body as { detail: string }).detail).toContain("revoked")
      yield* signIn(m.username, NEW_PASSWORD)
    }))

  it.effect("users.resetPassword: short password → 400; another organisation's → 404; wrong role → 403; revoked → 422 SVC010; nothing changed", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const m = yield* member(f.lrb.id, ["OnlineUser"])
      const hash = (yield* userRow(m.id)).passwordHash
      const reset = (token: string, id: string, body: unknown = { password: NEW_PASSWORD }) =>
        call("POST", `/api/v1/users/${id}/reset-password`, { token, body })
      expectProblem(yield* reset(f.lrb.tokens.SuperUser!, m.id, { password: "short" }), 400, "WSEC0001", "password")
      expectProblem(yield* reset(f.lrb.tokens.SuperUser!, m.id, { password: NEW_PASSWORD, status: "active" }), 400, "WSEC0001", "status")
      expectProblem(yield* reset(f.otherLrb.tokens.SuperUser!, m.id), 404, "SVC004")
      expectProblem(yield* reset(f.lrb.tokens.SuperUser!, NOWHERE), 404, "SVC004")
      expectProblem(yield* reset(f.lrb.tokens.OnlineUser!, m.id), 403, "WSEC0006")
      expectProblem(yield* reset(f.lrb.tokens.BatchUser!, m.id), 403, "WSEC0006")
      expect((yield* userRow(m.id)).passwordHash).toBe(hash)
      expect((yield* call("GET", "/api/v1/me", { token: m.token })).status).toBe(200)
      yield* call("POST", `/api/v1/users/${m.id}/revoke`, { token: f.lrb.tokens.SuperUser })
      expectProblem(yield* reset(f.lrb.tokens.SuperUser!, m.id), 422, "SVC010")
      expect(yield* userRow(m.id)).toMatchObject({ status: "revoked", passwordHash: hash })
    }))

  // --- API keys ---

  it.effect("createApiKey → 201 with the secret once, stored as digest and prefix; X-API-Key → /me via apiKey; listed without the secret", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const before = yield* countRows("api_keys")
      const r = yield* call("POST", "/api/v1/api-keys", { token: f.lrb.tokens.SuperUser, body: { name: "College MIS", roles: ["OnlineUser", "BatchUser"] } })
      expect(r.status, r.text).toBe(201)
      const { apiKey, key } = r.body as { apiKey: ApiKeyBody; key: string }
      expect(key).toMatch(/^lrs_key_[A-Za-z0-9_-]{43}$/)
      expect(apiKey).toMatchObject({ name: "College MIS", prefix: key.slice(0, API_KEY_PREFIX_LENGTH), roles: ["OnlineUser", "BatchUser"], revokedAt: null })
      expect(yield* countRows("api_keys")).toBe(before + 1)
      const sql = yield* SqlClient.SqlClient
      const stored = yield* sql<Record<string, unknown>>`SELECT * FROM api_keys WHERE id = ${apiKey.id}::uuid`.pipe(Effect.orDie)
      expect(Object.values(stored[0]!).map(String)).not.toContain(key)
      expect(stored[0]).toMatchObject({ organisationId: f.lrb.id, createdBy: f.lrb.users.SuperUser, keyPrefix: apiKey.prefix })
      const me = yield* call("GET", "/api/v1/me", { apiKey: key })
      expect(me.status).toBe(200)
      expect(me.body).toMatchObject({ via: "apiKey", organisationId: f.lrb.id, roles: ["OnlineUser", "BatchUser"] })
      // the key acts with its own roles only: it cannot manage accounts
      expectProblem(yield* call("GET", "/api/v1/users", { apiKey: key }), 403, "WSEC0006")
      const list = yield* call("GET", "/api/v1/api-keys", { token: f.lrb.tokens.SuperUser })
      expect(list.status).toBe(200)
      expect((list.body as Array<ApiKeyBody>).find((k) => k.id === apiKey.id)).toEqual(apiKey)
      expect(list.text).not.toContain(key)
    }))

  it.effect("createApiKey: SuperUser, LrsAdmin or a role the organisation cannot have → 422 SVC008; bad input → 400; wrong role → 403; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const before = yield* countRows("api_keys")
      const post = (token: string, body: unknown) => call("POST", "/api/v1/api-keys", { token, body })
      expectProblem(yield* post(f.lrb.tokens.SuperUser!, { name: "k", roles: ["OnlineUser", "SuperUser"] }), 422, "SVC008", "roles[1]")
      expectProblem(yield* post(f.lrb.tokens.SuperUser!, { name: "k", roles: ["LrsAdmin"] }), 422, "SVC008", "roles[0]")
      expectProblem(yield* post(f.lrb.tokens.SuperUser!, { name: "k", roles: ["AwardingBodyUser"] }), 422, "SVC008", "roles[0]")
      expectProblem(yield* post(f.ao.tokens.SuperUser!, { name: "k", roles: ["OnlineUser"] }), 422, "SVC008", "roles[0]")
      expectProblem(yield* post(f.admin, { name: "k", roles: ["SuperUser"] }), 422, "SVC008", "roles[0]")
      expectProblem(yield* post(f.lrb.tokens.SuperUser!, { roles: ["OnlineUser"] }), 400, "WSEC0001", "name")
      expectProblem(yield* post(f.lrb.tokens.SuperUser!, { name: "  ", roles: ["OnlineUser"] }), 400, "WSEC0001", "name")
      expectProblem(yield* post(f.lrb.tokens.SuperUser!, { name: "k", roles: [] }), 400, "WSEC0001", "roles")
      expectProblem(yield* post(f.lrb.tokens.SuperUser!, { name: "k", roles: ["OnlineUser"], organisationId: f.otherLrb.id }), 400, "WSEC0001", "organisationId")
      expectProblem(yield* post(f.lrb.tokens.OnlineUser!, { name: "k", roles: ["OnlineUser"] }), 403, "WSEC0006")
      expectProblem(yield* post(f.ao.tokens.AwardingBodyUser!, { name: "k", roles: ["AwardingBodyUser"] }), 403, "WSEC0006")
      expect(yield* countRows("api_keys")).toBe(before)
      expect((yield* post(f.ao.tokens.SuperUser!, { name: "AO system", roles: ["AwardingBodyUser"] })).status).toBe(201)
    }))

  it.effect("revokeApiKey: the key gets 401 at once; revoking again keeps the time; another organisation's or unknown key → 404; wrong role → 403", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const { apiKey, key } = yield* createKey(f.lrb.tokens.SuperUser!)
      const theirs = yield* createKey(f.otherLrb.tokens.SuperUser!)
      for (const id of [theirs.apiKey.id, NOWHERE, "not-a-uuid"]) {
        expectProblem(yield* call("POST", `/api/v1/api-keys/${id}/revoke`, { token: f.lrb.tokens.SuperUser }), 404, "SVC004")
      }
      expectProblem(yield* call("POST", `/api/v1/api-keys/${apiKey.id}/revoke`, { token: f.lrb.tokens.OnlineUser }), 403, "WSEC0006")
      expectProblem(yield* call("POST", `/api/v1/api-keys/${apiKey.id}/revoke`, { apiKey: key }), 403, "WSEC0006")
      expect((yield* call("GET", "/api/v1/me", { apiKey: theirs.key })).status).toBe(200)
      expect((yield* call("GET", "/api/v1/me", { apiKey: key })).status).toBe(200)
      const r = yield* call("POST", `/api/v1/api-keys/${apiKey.id}/revoke`, { token: f.lrb.tokens.SuperUser })
      expect(r.status, r.text).toBe(200)
      const revokedAt = (r.body as ApiKeyBody).revokedAt
      expect(revokedAt).not.toBeNull()
      const refused = yield* call("GET", "/api/v1/me", { apiKey: key })
      expectProblem(refused, 401, "WSEC0005")
      expect((refused.body as { detail: string }).detail).toContain("revoked")
      const again = yield* call("POST", `/api/v1/api-keys/${apiKey.id}/revoke`, { token: f.lrb.tokens.SuperUser })
      expect((again.body as ApiKeyBody).revokedAt).toBe(revokedAt)
      // the LRS admin may revoke any organisation's key
      expect((yield* call("POST", `/api/v1/api-keys/${theirs.apiKey.id}/revoke`, { token: f.admin })).status).toBe(200)
      expect((yield* call("GET", "/api/v1/me", { apiKey: theirs.key })).status).toBe(401)
    }))

  it.effect("listApiKeys: own organisation only, the LRS admin sees all; other roles → 403", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const mine = yield* createKey(f.ao.tokens.SuperUser!, ["AwardingBodyUser"])
      const theirs = yield* createKey(f.otherAo.tokens.SuperUser!, ["BatchUser"])
      const list = (yield* call("GET", "/api/v1/api-keys", { token: f.ao.tokens.SuperUser })).body as Array<ApiKeyBody>
      expect(list.map((k) => k.id)).toContain(mine.apiKey.id)
      expect(list.map((k) => k.id)).not.toContain(theirs.apiKey.id)
      const all = (yield* call("GET", "/api/v1/api-keys", { token: f.admin })).body as Array<ApiKeyBody>
      expect(all.map((k) => k.id)).toEqual(expect.arrayContaining([mine.apiKey.id, theirs.apiKey.id]))
      for (const token of [f.ao.tokens.AwardingBodyUser, f.ao.tokens.BatchUser, f.lrb.tokens.OnlineUser]) {
        expectProblem(yield* call("GET", "/api/v1/api-keys", { token }), 403, "WSEC0006")
      }
      expectProblem(yield* call("GET", "/api/v1/api-keys", { apiKey: mine.key }), 403, "WSEC0006")
    }))

  it.effect("LrsAdmin is reserved: a super user of the LRS organisation cannot grant it, nor change, revoke or reset an LRS admin's account", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const lrsSuper = newUser({ roles: ["SuperUser"] })
      const created = yield* call("POST", "/api/v1/users", { token: f.admin, body: lrsSuper })
      expect(created.status, created.text).toBe(201)
      const superId = (created.body as UserBody).id
      const otherAdmin = newUser({ roles: ["LrsAdmin", "SuperUser"] })
      const adminCreated = yield* call("POST", "/api/v1/users", { token: f.admin, body: otherAdmin })
      expect(adminCreated.status, adminCreated.text).toBe(201)
      const adminId = (adminCreated.body as UserBody).id
      const token = yield* signIn(lrsSuper.username, lrsSuper.password)
      const users = yield* countRows("users")

      const grant = yield* call("POST", "/api/v1/users", { token, body: newUser({ roles: ["SuperUser", "LrsAdmin"] }) })
      expectProblem(grant, 403, "WSEC0006")
      expect(grant.body).toMatchObject({ errors: [{ field: "roles[1]" }] })
      expect(yield* countRows("users")).toBe(users)
      expectProblem(yield* call("PUT", `/api/v1/users/${superId}`, { token, body: { roles: ["SuperUser", "LrsAdmin"] } }), 403, "WSEC0006")
      expect((yield* userRow(superId)).roles).toEqual(["SuperUser"])
      expectProblem(yield* call("GET", "/api/v1/admin/organisations", { token }), 403, "WSEC0006")

      expectProblem(yield* call("PUT", `/api/v1/users/${adminId}`, { token, body: { displayName: "Taken over" } }), 403, "WSEC0006")
      expectProblem(yield* call("POST", `/api/v1/users/${adminId}/reset-password`, { token, body: { password: "hijacked-password-1" } }), 403, "WSEC0006")
      expectProblem(yield* call("POST", `/api/v1/users/${adminId}/revoke`, { token }), 403, "WSEC0006")
      expect(yield* userRow(adminId)).toMatchObject({ status: "active", displayName: otherAdmin.displayName })
      // the LRS admin's own password still works, and the hijacker's does not
      expect((yield* call("POST", "/api/v1/auth/login", { body: { username: otherAdmin.username, password: "hijacked-password-1" } })).status).toBe(401)
      yield* signIn(otherAdmin.username, otherAdmin.password)

      // an LRS admin may do all of it, and the super user still manages the organisation's other accounts
      const promoted = yield* call("PUT", `/api/v1/users/${superId}`, { token: f.admin, body: { roles: ["SuperUser", "LrsAdmin"] } })
      expect(promoted.status, promoted.text).toBe(200)
      const plain = yield* call("POST", "/api/v1/users", { token, body: newUser({ roles: ["SuperUser"] }) })
      expect(plain.status, plain.text).toBe(201)
    }))
})
