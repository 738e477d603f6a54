import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import { Blocking } from "@learner-records/core"
import * as Effect from "effect/Effect"
import { call, describeHttp, fixture as makeFixture } from "./http.js"
import { person, storedKeys } from "./records.js"

type Cast = Effect.Effect.Success<typeof makeFixture>

interface Found {
  readonly responseCode: string
  readonly learners: ReadonlyArray<{ readonly learner: { readonly uln: string }; readonly agreement: Record<string, string> }>
}

const searchOf = (p: ReturnType<typeof person>, postcode: string) => ({
  givenName: p.givenName,
  familyName: p.familyName,
  dateOfBirth: p.dateOfBirth,
  gender: p.gender,
  postcode
})

describeHttp("Postcodes", (it) => {
  let cast: Cast | undefined
  const fixture = Effect.suspend(() => cast !== undefined ? Effect.succeed(cast) : Effect.tap(makeFixture, (f) => { cast = f }))

  it.effect("register with the ILR's postcode-not-known ZZ99 9ZZ → 201, stored normalised, blocked by that pseudo-postcode", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person({ lastKnownPostCode: "zz99 9zz" })
      const r = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: p })
      expect(r.status, r.text).toBe(201)
      const uln = (r.body as { uln: string }).uln
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<Record<string, unknown>>`SELECT * FROM learners WHERE uln = ${uln}`.pipe(Effect.orDie)
      expect(rows[0]).toMatchObject({ postcode: "ZZ99 9ZZ" })
      expect(storedKeys(rows[0]!)).toEqual(Blocking.blockingKeys({ ...p, postcode: "ZZ99 9ZZ" }))
      expect(storedKeys(rows[0]!)["postcodeInitials"]).toMatch(/^ZZ99 9ZZ:/)
    }))

  it.effect("the other ZZ99 pseudo-postcodes and the overseas territories' postcodes register too", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      for (const postcode of ["ZZ99 3VZ", "ZZ99 3WZ", "ZZ99 3CZ", "ASCN 1ZZ", "STHL 1ZZ", "FIQQ 1ZZ", "TKCA 1ZZ", "GX11 1AA", "GIR 0AA"]) {
        const r = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ lastKnownPostCode: postcode }) })
        expect(r.status, `${postcode}: ${r.text}`).toBe(201)
        expect((r.body as { learner: { lastKnownPostCode: string } }).learner.lastKnownPostCode).toBe(postcode)
      }
    }))

  it.effect("find by demographics with a pseudo-postcode: the same one agrees in full, another ZZ99 not at all", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person({ lastKnownPostCode: "ZZ99 3VZ" })
      const registered = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: p })
      expect(registered.status, registered.text).toBe(201)
      const uln = (registered.body as { uln: string }).uln

      const same = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: searchOf(p, "zz993vz") })
      expect(same.status, same.text).toBe(200)
      expect(same.body).toMatchObject({ responseCode: "WSRC0004", learners: [{ learner: { uln }, agreement: { postcode: "Full" } }] })

      const other = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: searchOf(p, "ZZ99 9ZZ") })
      expect(other.status, other.text).toBe(200)
      const found = other.body as Found
      expect(found.responseCode).toBe("WSRC0003")
      expect(found.learners.find((m) => m.learner.uln === uln)?.agreement["postcode"]).toBe("Different")
    }))

  it.effect("a refused postcode → 400 WSEC0001 naming the rule that failed", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const cases = [
        ["ZZ98 9ZZ", "second letter is never I, J or Z"],
        ["SW1A 2CA", "has C, a letter UK postcodes never use in the inward code"],
        ["ASCN 2ZZ", "whose one postcode is \"ASCN 1ZZ\""]
      ] as const
      for (const [postcode, why] of cases) {
        const r = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ lastKnownPostCode: postcode }) })
        expect(r.status, postcode).toBe(400)
        expect(r.body, postcode).toMatchObject({ code: "WSEC0001", errors: [{ field: "lastKnownPostCode", message: expect.stringContaining(why) }] })
        const find = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: searchOf(person(), postcode) })
        expect(find.status, postcode).toBe(400)
        expect(find.body, postcode).toMatchObject({ code: "WSEC0001", errors: [{ field: "postcode", message: expect.stringContaining(why) }] })
      }
    }))
})
