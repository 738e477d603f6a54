/**
 * `Operator.resetPassword` (`lrs reset-password`): the way back for a locked account when no super
 * user can sign in, as for the only LRS admin locked by anyone guessing at the name `admin`.
 */
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import { Operator } from "../src/index.js"
import { call, createUser, describeHttp, organisationWith, PASSWORD, signIn, unique } from "./http.js"

describeHttp("Operator.resetPassword", (it) => {
  const lockedUser = Effect.gen(function*() {
    const org = yield* organisationWith(["LRB"], [])
    const username = `ops.${unique()}`
    yield* createUser(org.id, username, ["SuperUser"])
    const token = yield* signIn(username)
    for (let i = 0; i < 3; i++) yield* call("POST", "/api/v1/auth/login", { body: { username, password: "a-wrong-password" } })
    const locked = yield* call("POST", "/api/v1/auth/login", { body: { username, password: PASSWORD } })
    expect(locked.body).toMatchObject({ code: "SVC006" })
    return { username, token }
  })

  it.effect("unlocks a locked account with the given password, in any letter case of the name; its sessions are signed out", () =>
    Effect.gen(function*() {
      const { token, username } = yield* lockedUser
      const reset = yield* Operator.resetPassword(username.toUpperCase(), Option.some("a-new-password-for-ops"))
      expect(reset).toMatchObject({ username, wasLocked: true, generated: Option.none() })
      expect((yield* call("POST", "/api/v1/auth/login", { body: { username, password: PASSWORD } })).status).toBe(401)
      const fresh = yield* call("POST", "/api/v1/auth/login", { body: { username, password: "a-new-password-for-ops" } })
      expect(fresh.status, fresh.text).toBe(200)
      expect((yield* call("GET", "/api/v1/me", { token })).status).toBe(401)
    }))

  it.effect("without a password, generates one and returns it once; it signs in", () =>
    Effect.gen(function*() {
      const { username } = yield* lockedUser
      const reset = yield* Operator.resetPassword(username, Option.none())
      expect(Option.isSome(reset.generated)).toBe(true)
      const password = Option.getOrThrow(reset.generated)
      expect([...password].length).toBeGreaterThanOrEqual(12)
      expect((yield* call("POST", "/api/v1/auth/login", { body: { username, password } })).status).toBe(200)
    }))

  it.effect("refuses an unknown user, a revoked one and a password the api would refuse; nothing changes", () =>
    Effect.gen(function*() {
      const unknown = yield* Effect.flip(Operator.resetPassword(`nobody.${unique()}`, Option.none()))
      expect(unknown._tag).toBe("UnknownUser")
      const { username } = yield* lockedUser
      for (const bad of ["short", " ".repeat(20), "with\u0000nul-character"]) {
        const refused = yield* Effect.flip(Operator.resetPassword(username, Option.some(bad)))
        expect(refused._tag, JSON.stringify(bad)).toBe("UnacceptablePassword")
        expect(refused.message).toMatch(/^the new password is not acceptable: /)
      }
      // still locked
      expect((yield* call("POST", "/api/v1/auth/login", { body: { username, password: PASSWORD } })).body).toMatchObject({ code: "SVC006" })

      const org = yield* organisationWith(["LRB"], ["SuperUser"])
      const gone = `gone.${unique()}`
      const id = yield* createUser(org.id, gone, ["OnlineUser"])
      expect((yield* call("POST", `/api/v1/users/${id}/revoke`, { token: org.tokens.SuperUser! })).status).toBe(200)
      const revoked = yield* Effect.flip(Operator.resetPassword(gone, Option.some("a-new-password-for-ops")))
      expect(revoked._tag).toBe("RevokedUser")
      expect((yield* call("POST", "/api/v1/auth/login", { body: { username: gone, password: "a-new-password-for-ops" } })).status).toBe(401)
    }))
})
