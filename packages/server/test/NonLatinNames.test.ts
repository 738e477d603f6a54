/**
 * Names written in scripts other than Latin, over HTTP: core used to keep only A–Z when
 * normalising, so `Anna Мария` and `Anna Ольга` were one name (a duplicate on register, an exact
 * match on find, WSVRC001 on verify, a released PLR), and `Иван`, `李`, `محمد` were no name at all
 * (422 WSRC0015). Now their letters count.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import { Blocking, Learner } from "@learner-records/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Learners } from "../src/Learners.js"
import { call, describeHttp, fixture as makeFixture } from "./http.js"
import { person, storedKeys } from "./records.js"

type Cast = Effect.Effect.Success<typeof makeFixture>
type Person = ReturnType<typeof person>
interface Found {
  readonly responseCode: string
  readonly learners: ReadonlyArray<{ readonly learner: { readonly uln: string }; readonly score: number; readonly agreement: Record<string, unknown> }>
}

/** Registers a learner directly through the repository (as a resolved registration exception would). */
const seed = (p: Record<string, unknown>) =>
  Effect.gen(function*() {
    const learners = yield* Learners
    return yield* learners.insert(Schema.decodeUnknownSync(Learner.LearnerDetails)(p), null)
  }).pipe(Effect.provide(Learners.Default), Effect.orDie)

const searchOf = (p: Person) => ({
  givenName: p.givenName,
  familyName: p.familyName,
  dateOfBirth: p.dateOfBirth,
  gender: p.gender,
  postcode: p.lastKnownPostCode
})

describeHttp("Names in other scripts", (it) => {
  let cast: Cast | undefined
  const fixture = Effect.suspend(() => cast !== undefined ? Effect.succeed(cast) : Effect.tap(makeFixture, (f) => { cast = f }))

  it.effect("register Anna Ольга after Anna Мария (all else equal) → no 409 duplicate: held as a possible match, as Anna Olga after Anna Maria", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const register = (body: Person) => call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body })
      const maria = person({ givenName: "Anna Мария" })
      const first = yield* register(maria)
      expect(first.status, first.text).toBe(201)
      const mariaUln = (first.body as { uln: string }).uln
      const olga = yield* register({ ...maria, givenName: "Anna Ольга" })
      expect(olga.status, olga.text).not.toBe(409)
      // same family name, birthday, gender and postcode: a person decides, as for the same names in Latin letters
      expect(olga.status, olga.text).toBe(202)
      expect(olga.body).toMatchObject({ responseCode: "WSRC0003", possibleMatches: [{ learner: { uln: mariaUln }, agreement: { givenName: "Weak" } }] })
      const latin = person({ givenName: "Anna Maria" })
      expect((yield* register(latin)).status).toBe(201)
      expect((yield* register({ ...latin, givenName: "Anna Olga" })).status).toBe(202)
      // with another postcode area and gender, nothing is close: a new ULN straight away
      const elsewhere = yield* register({ ...maria, givenName: "Anna Ольга", lastKnownPostCode: "M1 1AE", gender: 1 })
      expect(elsewhere.status, elsewhere.text).toBe(201)
      expect((elsewhere.body as { uln: string }).uln).not.toBe(mariaUln)
    }))

  it.effect("find by demographics tells Anna Ольга from Anna Мария: never an exact match with the other learner", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const find = (body: unknown) => call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body })
      const maria = person({ givenName: "Anna Мария" })
      const held = yield* seed(maria)
      const onlyMaria = (yield* find({ ...searchOf(maria), givenName: "Anna Ольга" })).body as Found
      expect(onlyMaria.responseCode).toBe("WSRC0003")
      expect(onlyMaria.learners).toHaveLength(1)
      expect(onlyMaria.learners[0]).toMatchObject({ learner: { uln: held.uln }, agreement: { givenName: "Weak" } })
      expect(onlyMaria.learners[0]!.score).toBeLessThan(1)
      const olga = yield* seed({ ...maria, givenName: "Anna Ольга" })
      const both = (yield* find({ ...searchOf(maria), givenName: "Anna Ольга" })).body as Found
      expect(both.responseCode).toBe("WSRC0004")
      expect(both.learners.map((m) => m.learner.uln)).toEqual([olga.uln])
    }))

  it.effect("verify Anna Ольга (or Anna) against Anna Мария's ULN → not WSVRC001; the PLR is not released", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const maria = person({ givenName: "Anna Мария" })
      const held = yield* seed(maria)
      const verify = (givenName: string) =>
        call("POST", "/api/v1/learners/verify", { token: f.lrb.tokens.OnlineUser, body: { uln: held.uln, givenName, familyName: maria.familyName } })
      expect((yield* verify("Anna Ольга")).body).toEqual({
        responseCode: "WSVRC005", searchedUln: held.uln, uln: held.uln, failureFlags: ["VRF1", "VRF2", "VRF3", "VRF4", "VRF6"]
      })
      expect((yield* verify("Anna")).body).toMatchObject({ responseCode: "WSVRC003" })
      expect((yield* verify("anna мария")).body).toMatchObject({ responseCode: "WSVRC001" })
      const plr = (givenName: string) =>
        call("POST", "/api/v1/plr", { token: f.lrb.tokens.OnlineUser, body: { uln: held.uln, givenName, familyName: maria.familyName } })
      const refused = yield* plr("Anna Ольга")
      expect(refused.status).toBe(200)
      expect(refused.body).toMatchObject({ responseCode: "WSEC0208", learner: null })
      expect((yield* plr("Anna Мария")).body).toMatchObject({ responseCode: "WSRC0004", learner: { uln: held.uln } })
    }))

  it.effect("names written wholly in another script register (201), update, and are found again by an exact search", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const sql = yield* SqlClient.SqlClient
      for (const [givenName, familyName] of [["Иван", "Петров"], ["李", "小龙"], ["محمد", "علي"], ["Ελένη", "Παπαδοπούλου"]] as const) {
        const p = person({ givenName, familyName })
        const r = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: p })
        expect(r.status, `${givenName} ${familyName}: ${r.text}`).toBe(201)
        const uln = (r.body as { uln: string }).uln
        // stored with core's keys, in the script the name is written in
        const rows = yield* sql<Record<string, unknown>>`SELECT * FROM learners WHERE uln = ${uln}`.pipe(Effect.orDie)
        const keys = Blocking.blockingKeys({ ...p, postcode: p.lastKnownPostCode })
        expect(storedKeys(rows[0]!)).toEqual(keys)
        expect(keys.dateOfBirthGivenName.endsWith(`:${givenName.toUpperCase()}`)).toBe(true)
        const found = (yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: searchOf(p) })).body as Found
        expect(found.responseCode).toBe("WSRC0004")
        expect(found.learners.map((m) => m.learner.uln)).toEqual([uln])
        // an update to another name in the same script is accepted too
        const renamed = yield* call("PUT", `/api/v1/learners/${uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, familyName: "Сидоров", versionNumber: 0 } })
        expect(renamed.status, renamed.text).toBe(200)
      }
    }))
})
