/**
 * Text no record can store — U+0000 (NUL), an unpaired UTF-16 surrogate — in a request: refused as
 * bad input (400 WSEC0001 naming the field, nothing written), never a 500. Text fields refuse it
 * when decoded (core's `Fields.StorableText`); a NUL that still reaches the database is answered
 * the same way from the database's own refusal, which is checked here on both databases.
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Problems from "../src/http/Problems.js"
import { ADMIN_PASSWORD, call, countRows, describeHttp, organisationWith, signIn, unique } from "./http.js"

const NUL = "\u0000"

interface FieldErrors {
  readonly code: string
  readonly errors: ReadonlyArray<{ readonly field: string; readonly message: string }>
}

const refusedAt = (reply: { readonly status: number; readonly body: unknown; readonly headers: Record<string, string> }, field: string, says = "U+0000") => {
  expect(reply.status).toBe(400)
  expect(reply.headers["content-type"]).toContain("application/problem+json")
  const body = reply.body as FieldErrors
  expect(body.code).toBe("WSEC0001")
  expect(body.errors.map((e) => e.field)).toContain(field)
  expect(body.errors.find((e) => e.field === field)?.message).toContain(says)
}

describeHttp("Text no record can store, in a request", (it) => {
  it.effect("text fields refuse it with the field named, and nothing is written", () =>
    Effect.gen(function*() {
      const lrb = yield* organisationWith(["LRB"], ["SuperUser", "OnlineUser"])
      const learners = yield* countRows("learners")
      const exceptions = yield* countRows("registration_exceptions")
      const learner = {
        givenName: "Nula",
        familyName: `Character${unique().replace(/[0-9]/g, "")}`,
        dateOfBirth: "2003-04-05",
        gender: 2,
        lastKnownPostCode: "M1 1AE",
        abilityToShare: 1,
        verificationType: 1
      }
      refusedAt(yield* call("POST", "/api/v1/learners", { token: lrb.tokens.OnlineUser, body: { ...learner, notes: `before${NUL}after` } }), "notes")
      refusedAt(yield* call("POST", "/api/v1/learners", { token: lrb.tokens.OnlineUser, body: { ...learner, placeOfBirth: NUL } }), "placeOfBirth")
      // half of an emoji: PostgreSQL's json refuses the escape JSON.stringify writes for it
      refusedAt(yield* call("POST", "/api/v1/learners", { token: lrb.tokens.OnlineUser, body: { ...learner, notes: "\ud83d" } }), "notes", "unpaired surrogate")
      expect(yield* countRows("learners")).toBe(learners)
      expect(yield* countRows("registration_exceptions")).toBe(exceptions)

      const users = yield* countRows("users")
      const user = { username: `nul.${unique()}`, displayName: `A${NUL}`, roles: ["OnlineUser"], password: "a-long-enough-password" }
      refusedAt(yield* call("POST", "/api/v1/users", { token: lrb.tokens.SuperUser, body: user }), "displayName")
      expect(yield* countRows("users")).toBe(users)

      const keys = yield* countRows("api_keys")
      refusedAt(yield* call("POST", "/api/v1/api-keys", { token: lrb.tokens.SuperUser, body: { name: NUL, roles: ["OnlineUser"] } }), "name")
      expect(yield* countRows("api_keys")).toBe(keys)

      const organisations = yield* countRows("organisations")
      const admin = yield* signIn("admin", ADMIN_PASSWORD)
      refusedAt(yield* call("POST", "/api/v1/admin/organisations", { token: admin, body: { name: `Org${NUL}`, ukprn: "10099999", kinds: ["LRB"] } }), "name")
      expect(yield* countRows("organisations")).toBe(organisations)
    }))

  it.effect("sign-in and an achievement's id in the path refuse it too", () =>
    Effect.gen(function*() {
      const attempts = yield* countRows("users")
      refusedAt(yield* call("POST", "/api/v1/auth/login", { body: { username: `admin${NUL}`, password: "whatever-it-is" } }), "username")
      expect(yield* countRows("users")).toBe(attempts)
      const ao = yield* organisationWith(["AO"], ["AwardingBodyUser"])
      refusedAt(yield* call("POST", "/api/v1/achievements/a%00b/reinstate", { token: ao.tokens.AwardingBodyUser, body: {} }), "id")
    }))

  it.effect("what reaches the database anyway is answered 400 from its refusal, naming where the character was", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // a handler that stores whatever it was given, as a repository would; its failure is a defect
      const storeAs = (statement: Effect.Effect<unknown, unknown>) =>
        Problems.middleware(Effect.as(Effect.orDie(statement), HttpServerResponse.empty({ status: 201 })))
      const request = (url: string, body: string) =>
        HttpServerRequest.fromWeb(new Request(`http://lrs.test${url}`, { method: "POST", body, headers: { "content-type": "application/json" } }))
      const answer = (app: ReturnType<typeof storeAs>, url: string, body: string) =>
        Effect.provideService(app, HttpServerRequest.HttpServerRequest, request(url, body)).pipe(
          Effect.map((response) => ({ status: response.status, text: response.body._tag === "Uint8Array" ? new TextDecoder().decode(response.body.body) : "" }))
        )

      // text: SQLSTATE 22021
      const text = yield* answer(storeAs(sql`SELECT ${`x${NUL}`}::text`), "/things", JSON.stringify({ outer: { list: ["fine", `bad${NUL}`] } }))
      expect(text.status).toBe(400)
      expect(JSON.parse(text.text)).toMatchObject({ code: "WSEC0001", errors: [{ field: "outer.list[1]" }] })
      // jsonb: SQLSTATE 22P05
      const jsonb = yield* answer(storeAs(sql`SELECT ${JSON.stringify({ a: NUL })}::jsonb`), "/things?note=a%00b", "{}")
      expect(jsonb.status).toBe(400)
      expect(JSON.parse(jsonb.text)).toMatchObject({ code: "WSEC0001", errors: [{ field: "note" }] })
      // any other database failure stays a 500 that says nothing about it
      const other = yield* answer(storeAs(sql`SELECT 1/0`), "/things", "{}")
      expect(other.status).toBe(500)
      expect(other.text).not.toContain("division")
    }))
})
