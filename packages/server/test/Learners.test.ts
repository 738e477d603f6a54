import * as SqlClient from "@effect/sql/SqlClient"
import { Blocking, Learner, ServiceDate, Uln } from "@learner-records/core"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Learners } from "../src/Learners.js"
import { keyColumns } from "../src/internal/blockingColumns.js"
import { call, countRows, describeHttp, fixture as makeFixture } from "./http.js"
import { person, storedKeys, word } from "./records.js"

type Person = ReturnType<typeof person>

/** Registers a learner directly through the repository (bypassing the duplicate guard). */
const seed = (p: Record<string, unknown>) =>
  Effect.gen(function*() {
    const learners = yield* Learners
    return yield* learners.insert(Schema.decodeUnknownSync(Learner.LearnerDetails)(p), null)
  }).pipe(Effect.provide(Learners.Default), Effect.orDie)

const link = (uln: string, master: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE learners SET master_uln = ${master} WHERE uln = ${uln}`
  }).pipe(Effect.orDie)

const accessLogOf = (uln: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ readonly operation: string; readonly username: string; readonly requestId: string }>`
      SELECT operation, username, request_id FROM access_log WHERE uln = ${uln} ORDER BY id`
  }).pipe(Effect.orDie)

const searchOf = (p: Person) => ({
  givenName: p.givenName,
  familyName: p.familyName,
  dateOfBirth: p.dateOfBirth,
  gender: p.gender,
  postcode: p.lastKnownPostCode
})

type Cast = Effect.Effect.Success<typeof makeFixture>

interface LearnerBody {
  readonly uln: string
  readonly givenName: string
  readonly familyName: string
  readonly versionNumber: number
  readonly linkedUlns: ReadonlyArray<string>
  readonly masterSubstituted: boolean
  readonly abilityToShare: number
}

describeHttp("Learners", (it) => {
  // one cast of organisations and signed-in users per database, shared by the tests
  let cast: Cast | undefined
  const fixture = Effect.suspend(() => cast !== undefined ? Effect.succeed(cast) : Effect.tap(makeFixture, (f) => { cast = f }))

  it.effect("register → 201 WSRC0005 with a random valid ULN; stored with its blocking keys", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person({ previousFamilyName: "Smith", emailAddress: "ada@example.org" })
      const before = yield* countRows("learners")
      const r = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: p })
      expect(r.status).toBe(201)
      const body = r.body as { responseCode: string; uln: string; learner: LearnerBody }
      expect(body.responseCode).toBe("WSRC0005")
      expect(Uln.validate(body.uln)).toEqual({ valid: true })
      expect(body.learner).toMatchObject({ uln: body.uln, givenName: p.givenName, familyName: p.familyName, versionNumber: 0, linkedUlns: [], masterSubstituted: false })
      expect(yield* countRows("learners")).toBe(before + 1)
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<Record<string, unknown>>`SELECT * FROM learners WHERE uln = ${body.uln}`.pipe(Effect.orDie)
      const keys = Blocking.blockingKeys({ ...p, postcode: p.lastKnownPostCode })
      expect(storedKeys(rows[0]!)).toEqual(keys)
      expect(rows[0]).toMatchObject({
        givenName: p.givenName,
        postcode: "CV4 7AL",
        emailAddress: "ada@example.org",
        registeredBy: f.lrb.id
      })
      // the second of two registrations gets another ULN: allocated at random, not in sequence
      const again = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.SuperUser, body: person() })
      expect(again.status).toBe(201)
      const second = (again.body as { uln: string }).uln
      expect(Uln.isValid(second)).toBe(true)
      expect(Math.abs(Number(second) - Number(body.uln))).toBeGreaterThan(1)
    }))

  it.effect("register an exact duplicate → 409 WSRC0021 naming the existing ULN; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const first = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: p })
      const uln = (first.body as { uln: string }).uln
      const before = yield* countRows("learners")
      // the same person as entered by another LRB: case, spacing and postcode form do not matter
      const r = yield* call("POST", "/api/v1/learners", {
        token: f.otherLrb.tokens.OnlineUser,
        body: { ...p, familyName: p.familyName.toUpperCase(), lastKnownPostCode: "cv47al", abilityToShare: 0 }
      })
      expect(r.status).toBe(409)
      expect(r.headers["content-type"]).toContain("application/problem+json")
      expect(r.body).toMatchObject({ code: "WSRC0021", detail: expect.stringContaining(uln) })
      expect(yield* countRows("learners")).toBe(before)
    }))

  it.effect("register with insufficient data → 422 WSRC0015 naming the field; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const before = yield* countRows("learners")
      const punct = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ givenName: "-", familyName: "." }) })
      expect(punct.status).toBe(422)
      expect(punct.body).toMatchObject({ code: "WSRC0015", errors: [{ field: "givenName" }, { field: "familyName" }] })
      const young = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ dateOfBirth: "2024-01-01" }) })
      expect(young.status).toBe(422)
      expect(young.body).toMatchObject({ code: "WSRC0015", errors: [{ field: "dateOfBirth", message: expect.stringContaining("under 13") }] })
      const other = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ verificationType: 999 }) })
      expect(other.body).toMatchObject({ code: "WSRC0015", errors: [{ field: "otherVerificationDescription" }] })
      expect(yield* countRows("learners")).toBe(before)
    }))

  it.effect("register with a malformed body → 400 WSEC0001 naming each field; a ULN cannot be supplied; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const before = yield* countRows("learners")
      const { dateOfBirth: _, ...noDate } = person()
      const missing = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: noDate })
      expect(missing.status).toBe(400)
      expect(missing.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "dateOfBirth" }] })
      const bad = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ gender: 3, lastKnownPostCode: "nowhere" }) })
      expect(bad.status).toBe(400)
      const fields = (bad.body as { errors: Array<{ field: string }> }).errors.map((e) => e.field)
      expect(fields).toEqual(expect.arrayContaining(["gender", "lastKnownPostCode"]))
      const massAssign = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ uln: "1000000043" }) })
      expect(massAssign.status).toBe(400)
      expect(massAssign.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "uln" }] })
      expect(yield* countRows("learners")).toBe(before)
    }))

  it.effect("register needs an LRB online role: an AO's AwardingBodyUser, a ViewLearnerOnly and a BatchUser get 403", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const before = yield* countRows("learners")
      for (const token of [f.ao.tokens.AwardingBodyUser, f.lrb.tokens.ViewLearnerOnly, f.lrb.tokens.BatchUser]) {
        const r = yield* call("POST", "/api/v1/learners", { token, body: person() })
        expect(r.status).toBe(403)
        expect(r.body).toMatchObject({ code: "WSEC0006" })
      }
      expect(yield* countRows("learners")).toBe(before)
      const anonymous = yield* call("POST", "/api/v1/learners", { body: person() })
      expect(anonymous.status).toBe(401)
    }))

  it.effect("findByUln → WSRC0004 when the names agree (as in verify: exactly or similarly); logged in the access log", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person({ givenName: "Jane" })
      const held = yield* seed(p)
      const r = yield* call("POST", "/api/v1/learners/find-by-uln", {
        token: f.lrb.tokens.ViewLearnerOnly,
        body: { uln: held.uln, givenName: "jane", familyName: p.familyName },
        headers: { "x-request-id": "find-by-uln-1" }
      })
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ responseCode: "WSRC0004", searchedUln: held.uln, learner: { uln: held.uln, familyName: p.familyName, masterSubstituted: false } })
      const similar = yield* call("POST", "/api/v1/learners/find-by-uln", {
        token: f.lrb.tokens.OnlineUser,
        body: { uln: held.uln, givenName: "Jayne", familyName: p.familyName }
      })
      expect(similar.body).toMatchObject({ responseCode: "WSRC0004" })
      const log = yield* accessLogOf(held.uln)
      expect(log).toEqual([
        { operation: "learners.findByUln", username: f.lrb.usernames.ViewLearnerOnly, requestId: "find-by-uln-1" },
        { operation: "learners.findByUln", username: f.lrb.usernames.OnlineUser, requestId: expect.any(String) }
      ])
    }))

  it.effect("findByUln → WSRC0001 with no learner (and no access-log entry) for other names or an unknown ULN", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const held = yield* seed(p)
      const wrong = yield* call("POST", "/api/v1/learners/find-by-uln", {
        token: f.lrb.tokens.OnlineUser,
        body: { uln: held.uln, givenName: "Bartholomew", familyName: "Oyelaran" }
      })
      expect(wrong.status).toBe(200)
      expect(wrong.body).toEqual({ responseCode: "WSRC0001", searchedUln: held.uln, learner: null })
      expect(yield* accessLogOf(held.uln)).toEqual([])
      let unknown = Uln.generate()
      while ((yield* accessLogOf(unknown)).length > 0) unknown = Uln.generate()
      const none = yield* call("POST", "/api/v1/learners/find-by-uln", { token: f.lrb.tokens.OnlineUser, body: { uln: unknown, givenName: "A", familyName: "B" } })
      expect(none.body).toEqual({ responseCode: "WSRC0001", searchedUln: unknown, learner: null })
    }))

  it.effect("findByUln of a linked ULN → WSRC0022 with the master, the searched ULN among its linkedUlns", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const master = yield* seed(p)
      const linked = yield* seed({ ...p, lastKnownPostCode: "B33 8TH" })
      yield* link(linked.uln, master.uln)
      const r = yield* call("POST", "/api/v1/learners/find-by-uln", {
        token: f.lrb.tokens.OnlineUser,
        body: { uln: linked.uln, givenName: p.givenName, familyName: p.familyName }
      })
      expect(r.body).toMatchObject({
        responseCode: "WSRC0022",
        searchedUln: linked.uln,
        learner: { uln: master.uln, linkedUlns: [linked.uln], masterSubstituted: true }
      })
      expect((yield* accessLogOf(master.uln)).map((e) => e.operation)).toEqual(["learners.findByUln"])
    }))

  it.effect("findByUln with an invalid ULN → 400 WSEC0136 naming uln; a missing name → 400 WSEC0001; wrong role → 403", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const logs = yield* countRows("access_log")
      const invalid = yield* call("POST", "/api/v1/learners/find-by-uln", { token: f.lrb.tokens.OnlineUser, body: { uln: "1000000044", givenName: "A", familyName: "B" } })
      expect(invalid.status).toBe(400)
      expect(invalid.body).toMatchObject({ code: "WSEC0136", errors: [{ field: "uln", message: expect.stringContaining("check digit") }] })
      const missing = yield* call("POST", "/api/v1/learners/find-by-uln", { token: f.lrb.tokens.OnlineUser, body: { uln: "1000000043", givenName: "A" } })
      expect(missing.status).toBe(400)
      expect(missing.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "familyName" }] })
      const ao = yield* call("POST", "/api/v1/learners/find-by-uln", { token: f.ao.tokens.AwardingBodyUser, body: { uln: "1000000043", givenName: "A", familyName: "B" } })
      expect(ao.status).toBe(403)
      expect(ao.body).toMatchObject({ code: "WSEC0006" })
      expect(yield* countRows("access_log")).toBe(logs)
    }))

  it.effect("findByDemographics → WSRC0004 exact (logged), WSRC0003 possible with scores best first, WSRC0001 none", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person({ givenName: "Jane" })
      const exact = yield* seed(p)
      const moved = yield* seed({ ...p, lastKnownPostCode: "CV4 8UW", givenName: "Janet" })
      const r = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.BatchUser, body: { ...searchOf(p), postcode: "cv47al" } })
      expect(r.status).toBe(200)
      const body = r.body as { responseCode: string; learners: Array<{ learner: LearnerBody; score: number; agreement: Record<string, string> }> }
      expect(body.responseCode).toBe("WSRC0004")
      expect(body.learners).toHaveLength(1)
      expect(body.learners[0]).toMatchObject({ learner: { uln: exact.uln }, score: 1, agreement: { givenName: "Exact", postcode: "Full" } })
      // the learner answered in full, as stored: every detail, the version and the timestamps
      expect(body.learners[0]!.learner).toEqual(Schema.encodeSync(Learner.Learner)(exact))
      expect((yield* accessLogOf(exact.uln)).map((e) => e.operation)).toEqual(["learners.findByDemographics"])
      expect(yield* accessLogOf(moved.uln)).toEqual([])

      // another postcode in the district: both are possible matches, the closer first
      const possible = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: { ...searchOf(p), postcode: "CV4 9EE" } })
      const pb = possible.body as typeof body
      expect(pb.responseCode).toBe("WSRC0003")
      expect(pb.learners.map((m) => m.learner.uln)).toEqual([exact.uln, moved.uln])
      expect(pb.learners[0]!.score).toBeGreaterThan(pb.learners[1]!.score)
      expect(pb.learners[0]!.score).toBeLessThan(1)
      expect(pb.learners[1]!.agreement).toMatchObject({ givenName: "VerySimilar", postcode: "District" })
      expect((yield* accessLogOf(moved.uln)).map((e) => e.operation)).toEqual(["learners.findByDemographics"])

      const logs = yield* countRows("access_log")
      const none = yield* call("POST", "/api/v1/learners/find-by-demographics", {
        token: f.lrb.tokens.OnlineUser,
        body: searchOf(person({ givenName: "Bartholomew", lastKnownPostCode: "M1 1AE" }))
      })
      expect(none.body).toEqual({ responseCode: "WSRC0001", learners: [] })
      expect(yield* countRows("access_log")).toBe(logs)
    }))

  it.effect("findByDemographics → WSRC0002 with no learners when more than 10 could match; nothing logged", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      // eleven people with the same name, birthday and gender in eleven districts: none exact, all possible
      const districts = ["B1 1AA", "B2 4QA", "B3 2DT", "B4 6AT", "B5 4TR", "B6 4AD", "B7 4BL", "B8 1AH", "B9 4AA", "B10 0AB", "B11 1AA"]
      for (const pc of districts) yield* seed({ ...p, lastKnownPostCode: pc })
      const logs = yield* countRows("access_log")
      const r = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: { ...searchOf(p), postcode: "B12 0AA" } })
      expect(r.body).toEqual({ responseCode: "WSRC0002", learners: [] })
      expect(yield* countRows("access_log")).toBe(logs)
    }))

  it.effect("findByDemographics answers with the master even when the master shares no blocking key with the search", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      // nothing in common with the search: the master is read by a second query, not as a candidate
      const master = yield* seed({ ...person(), givenName: `Qv${word(6)}`, dateOfBirth: "1971-11-23", lastKnownPostCode: "TR1 1AA" })
      const linked = yield* seed(p)
      yield* link(linked.uln, master.uln)
      const learners = yield* Learners
      const candidates = yield* learners.candidates({ ...p, postcode: p.lastKnownPostCode }).pipe(Effect.orDie)
      expect(candidates.map((c) => c.uln)).not.toContain(master.uln)
      const r = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: searchOf(p) })
      expect(r.body).toMatchObject({
        responseCode: "WSRC0022",
        learners: [{ learner: { uln: master.uln, givenName: master.givenName, masterSubstituted: true, linkedUlns: [linked.uln] } }]
      })
    }).pipe(Effect.provide(Learners.Default)))

  it.effect("findByDemographics reaching a linked learner → WSRC0022 with the master", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const master = yield* seed({ ...p, lastKnownPostCode: "M1 1AE", familyName: `${p.familyName}x` })
      const linked = yield* seed(p)
      yield* link(linked.uln, master.uln)
      const r = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: searchOf(p) })
      expect(r.body).toMatchObject({
        responseCode: "WSRC0022",
        learners: [{ learner: { uln: master.uln, masterSubstituted: true, linkedUlns: [linked.uln] } }]
      })
      expect((yield* accessLogOf(master.uln)).map((e) => e.operation)).toEqual(["learners.findByDemographics"])
    }))

  it.effect("findByDemographics: bad input → 400 naming the field; wrong role → 403; nothing logged", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const logs = yield* countRows("access_log")
      const bad = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: { ...searchOf(person()), dateOfBirth: "31/12/2001" } })
      expect(bad.status).toBe(400)
      expect(bad.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "dateOfBirth", message: expect.stringContaining("YYYY-MM-DD") }] })
      const extra = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: { ...searchOf(person()), uln: "1000000043" } })
      expect(extra.status).toBe(400)
      const ao = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.ao.tokens.SuperUser, body: searchOf(person()) })
      expect(ao.status).toBe(403)
      expect(yield* countRows("access_log")).toBe(logs)
    }))

  it.effect("the candidate query reads the blocking-key indexes, not the table", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const learners = yield* Learners
      const p = person({ previousFamilyName: "Smith" })
      const plan = yield* sql.withTransaction(Effect.gen(function*() {
        // with a handful of rows a scan is cheapest; forbid it to see whether the indexes can serve every branch
        yield* sql`SET LOCAL enable_seqscan = off`
        const query = learners.candidateQuery({ ...p, postcode: p.lastKnownPostCode })
        return yield* sql<Record<string, string>>`EXPLAIN ${query}`
      }))
      const text = plan.map((r) => Object.values(r).join(" ")).join("\n")
      expect(text).not.toMatch(/Seq Scan/)
      for (const column of keyColumns) expect(text).toContain(`learners_${column}_idx`)
    }).pipe(Effect.provide(Learners.Default), Effect.orDie))

  it.effect("update → WSRC0006: version and updated_at move on, key columns follow the new details", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const held = yield* seed(p)
      const newName = `Zq${word(7)}`
      const r = yield* call("PUT", `/api/v1/learners/${held.uln}`, {
        token: f.otherLrb.tokens.OnlineUser,
        body: { ...p, familyName: newName, previousFamilyName: p.familyName, versionNumber: 0 }
      })
      expect(r.status).toBe(200)
      const body = r.body as { responseCode: string; learner: LearnerBody & { updatedAt: string; createdAt: string; previousFamilyName: string } }
      expect(body.responseCode).toBe("WSRC0006")
      expect(body.learner).toMatchObject({ uln: held.uln, familyName: newName, previousFamilyName: p.familyName, versionNumber: 1 })
      expect(Date.parse(body.learner.updatedAt)).toBeGreaterThanOrEqual(Date.parse(held.updatedAt))
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<Record<string, unknown>>`SELECT * FROM learners WHERE uln = ${held.uln}`.pipe(Effect.orDie)
      const keys = Blocking.blockingKeys({ ...p, familyName: newName, previousFamilyName: p.familyName, postcode: p.lastKnownPostCode })
      expect(rows[0]).toMatchObject({ familyName: newName })
      expect(storedKeys(rows[0]!)).toEqual(keys)
      // found under the new name
      const found = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: { ...searchOf(p), familyName: newName } })
      expect(found.body).toMatchObject({ responseCode: "WSRC0004", learners: [{ learner: { uln: held.uln } }] })
    }))

  it.effect("update with the details held → 200 WSRC0020 and nothing changes", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const held = yield* seed(p)
      const r = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.SuperUser, body: { ...p, lastKnownPostCode: "cv4 7al", versionNumber: 0 } })
      expect(r.status).toBe(200)
      expect(r.body).toMatchObject({ responseCode: "WSRC0020", learner: { uln: held.uln, versionNumber: 0, updatedAt: held.updatedAt } })
    }))

  it.effect("update with a stale version → 409 WSRC0013; nothing changes", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const held = yield* seed(p)
      const first = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, emailAddress: "first@example.org", versionNumber: 0 } })
      expect(first.body).toMatchObject({ responseCode: "WSRC0006", learner: { versionNumber: 1 } })
      const second = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, emailAddress: "second@example.org", versionNumber: 0 } })
      expect(second.status).toBe(409)
      expect(second.body).toMatchObject({ code: "WSRC0013", detail: expect.stringContaining("version 1") })
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ emailAddress: string; versionNumber: number }>`SELECT email_address, version_number FROM learners WHERE uln = ${held.uln}`.pipe(Effect.orDie)
      expect(rows[0]).toEqual({ emailAddress: "first@example.org", versionNumber: 1 })
    }))

  it.effect("concurrent updates at the same version: exactly one wins, the other gets WSRC0013", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const held = yield* seed(p)
      const replies = yield* Effect.all(
        ["a", "b", "c"].map((x) => call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, emailAddress: `${x}@example.org`, versionNumber: 0 } })),
        { concurrency: "unbounded" }
      )
      expect(replies.map((r) => r.status).sort()).toEqual([200, 409, 409])
    }))

  it.effect("update of an unknown ULN → 404 WSRC0019; an invalid ULN → 400 WSEC0136", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      let unknown = Uln.generate()
      while ((yield* accessLogOf(unknown)).length > 0) unknown = Uln.generate()
      const r = yield* call("PUT", `/api/v1/learners/${unknown}`, { token: f.lrb.tokens.OnlineUser, body: { ...person(), versionNumber: 0 } })
      expect(r.status).toBe(404)
      expect(r.body).toMatchObject({ code: "WSRC0019" })
      const invalid = yield* call("PUT", "/api/v1/learners/123", { token: f.lrb.tokens.OnlineUser, body: { ...person(), versionNumber: 0 } })
      expect(invalid.status).toBe(400)
      expect(invalid.body).toMatchObject({ code: "WSEC0136", errors: [{ field: "uln" }] })
    }))

  it.effect("update back to 'privacy notice not seen' → 422 WSRC0014 naming abilityToShare; nothing changes", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person({ abilityToShare: 2 })
      const held = yield* seed(p)
      const r = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, abilityToShare: 0, versionNumber: 0 } })
      expect(r.status).toBe(422)
      expect(r.body).toMatchObject({ code: "WSRC0014", errors: [{ field: "abilityToShare" }] })
      const ok = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, abilityToShare: 1, versionNumber: 0 } })
      expect(ok.body).toMatchObject({ responseCode: "WSRC0006", learner: { abilityToShare: 1, versionNumber: 1 } })
    }))

  it.effect("update: bad input → 400 naming the field, insufficient names → 422 WSRC0015, wrong role → 403; nothing changes", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const held = yield* seed(p)
      const noVersion = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, emailAddress: "x@example.org" } })
      expect(noVersion.status).toBe(400)
      expect(noVersion.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "versionNumber" }] })
      const ulnInBody = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, versionNumber: 0, uln: "1000000043" } })
      expect(ulnInBody.status).toBe(400)
      expect(ulnInBody.body).toMatchObject({ errors: [{ field: "uln" }] })
      const blank = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, givenName: "--", versionNumber: 0 } })
      expect(blank.status).toBe(422)
      expect(blank.body).toMatchObject({ code: "WSRC0015", errors: [{ field: "givenName" }] })
      for (const token of [f.lrb.tokens.ViewLearnerOnly, f.ao.tokens.AwardingBodyUser]) {
        const r = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token, body: { ...p, emailAddress: "x@example.org", versionNumber: 0 } })
        expect(r.status).toBe(403)
      }
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ versionNumber: number; emailAddress: string | null }>`SELECT version_number, email_address FROM learners WHERE uln = ${held.uln}`.pipe(Effect.orDie)
      expect(rows[0]).toEqual({ versionNumber: 0, emailAddress: null })
    }))

  it.effect("update giving a learner another learner's five mandatory fields → 409 WSRC0021 naming that ULN; nothing written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const existing = yield* seed(p)
      const other = yield* seed(person())
      // the same five fields as typed by someone else: case and postcode form do not matter
      const r = yield* call("PUT", `/api/v1/learners/${other.uln}`, {
        token: f.lrb.tokens.OnlineUser,
        body: { ...p, familyName: p.familyName.toUpperCase(), lastKnownPostCode: "cv47al", emailAddress: "twin@example.org", versionNumber: 0 }
      })
      expect(r.status).toBe(409)
      expect(r.body).toMatchObject({ code: "WSRC0021", detail: expect.stringContaining(existing.uln) })
      expect((r.body as { detail: string }).detail).toContain(other.uln)
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ versionNumber: number; familyName: string }>`SELECT version_number, family_name FROM learners WHERE uln = ${other.uln}`.pipe(Effect.orDie)
      expect(rows[0]).toEqual({ versionNumber: 0, familyName: other.familyName })
      // still one exact match for the existing learner
      const found = yield* call("POST", "/api/v1/learners/find-by-demographics", { token: f.lrb.tokens.OnlineUser, body: searchOf(p) })
      expect(found.body).toMatchObject({ responseCode: "WSRC0004", learners: [{ learner: { uln: existing.uln } }] })
    }))

  it.effect("update: a learner may take its linked learner's fields; learners already alike are not refused a change to other fields", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const master = yield* seed(p)
      const linked = yield* seed({ ...p, lastKnownPostCode: "B33 8TH" })
      yield* link(linked.uln, master.uln)
      // a master and its linked learner are one person: the master may move to the linked one's postcode
      const moved = yield* call("PUT", `/api/v1/learners/${master.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, lastKnownPostCode: "B33 8TH", versionNumber: 0 } })
      expect(moved.status, moved.text).toBe(200)
      expect(moved.body).toMatchObject({ responseCode: "WSRC0006", learner: { uln: master.uln, lastKnownPostCode: "B33 8TH" } })
      // through the linked ULN (the master is updated), back again
      const back = yield* call("PUT", `/api/v1/learners/${linked.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, versionNumber: 1 } })
      expect(back.body).toMatchObject({ responseCode: "WSRC0006", learner: { uln: master.uln, lastKnownPostCode: "CV4 7AL", masterSubstituted: true } })
      // two learners held alike before the rule (stored directly): an update that leaves the five fields alone goes through
      const q = person()
      yield* seed(q)
      const twin = yield* seed(q)
      const email = yield* call("PUT", `/api/v1/learners/${twin.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...q, emailAddress: "twin@example.org", versionNumber: 0 } })
      expect(email.body).toMatchObject({ responseCode: "WSRC0006", learner: { uln: twin.uln, emailAddress: "twin@example.org" } })
    }))

  it.effect("update changing the date of birth to outside ages 13–110 → 422 WSRC0015 naming dateOfBirth; nothing written; an unchanged one is not checked for age", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      // registered long ago, now over 110 (stored directly: registration would refuse it today)
      const p = person({ dateOfBirth: "1900-01-01" })
      const held = yield* seed(p)
      const today = yield* ServiceDate.today
      for (const dateOfBirth of ["1850-01-01", today, "2020-02-29"]) {
        const r = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, dateOfBirth, versionNumber: 0 } })
        expect(r.status, dateOfBirth).toBe(422)
        expect(r.body).toMatchObject({ code: "WSRC0015", errors: [{ field: "dateOfBirth", message: expect.stringMatching(/over 110|under 13/) }] })
      }
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ versionNumber: number; dateOfBirth: string }>`SELECT version_number, date_of_birth::text AS date_of_birth FROM learners WHERE uln = ${held.uln}`
        .pipe(Effect.orDie)
      expect(rows[0]).toEqual({ versionNumber: 0, dateOfBirth: "1900-01-01" })
      // the date of birth kept as held: the learner keeps their ULN whatever their age now
      const kept = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, emailAddress: "still@example.org", versionNumber: 0 } })
      expect(kept.body).toMatchObject({ responseCode: "WSRC0006", learner: { dateOfBirth: "1900-01-01", versionNumber: 1 } })
      // a change within the range goes through
      const fixed = yield* call("PUT", `/api/v1/learners/${held.uln}`, { token: f.lrb.tokens.OnlineUser, body: { ...p, dateOfBirth: "1990-01-01", versionNumber: 1 } })
      expect(fixed.body).toMatchObject({ responseCode: "WSRC0006", learner: { dateOfBirth: "1990-01-01" } })
    }))

  it.effect("verify → WSVRC001/003/005/006 with failure flags; an AO's AwardingBodyUser may verify", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person({ givenName: "Jane", previousFamilyName: "Obrien" })
      const held = yield* seed(p)
      const verify = (body: Record<string, unknown>, token: string | undefined = f.ao.tokens.AwardingBodyUser) => call("POST", "/api/v1/learners/verify", { token, body })
      const exact = yield* verify({ uln: held.uln, givenName: "Jane", familyName: p.familyName, dateOfBirth: p.dateOfBirth, gender: 2 })
      expect(exact.status).toBe(200)
      expect(exact.body).toEqual({ responseCode: "WSVRC001", searchedUln: held.uln, uln: held.uln, failureFlags: [] })
      const similar = yield* verify({ uln: held.uln, givenName: "Jayne", familyName: p.familyName })
      expect(similar.body).toEqual({ responseCode: "WSVRC003", searchedUln: held.uln, uln: held.uln, failureFlags: ["VRF2", "VRF3", "VRF4", "VRF6"] })
      const wrongDate = yield* verify({ uln: held.uln, givenName: "Jane", familyName: p.familyName, dateOfBirth: "1960-01-01", gender: 1 }, f.lrb.tokens.OnlineUser)
      expect(wrongDate.body).toMatchObject({ responseCode: "WSVRC005", failureFlags: expect.arrayContaining(["VRF7", "VRF8"]) })
      let unknown = Uln.generate()
      while ((yield* accessLogOf(unknown)).length > 0) unknown = Uln.generate()
      const missing = yield* verify({ uln: unknown, givenName: "Jane", familyName: "Doe" }, f.lrb.tokens.ViewLearnerOnly)
      expect(missing.body).toEqual({ responseCode: "WSVRC006", searchedUln: unknown, uln: null, failureFlags: [] })
    }))

  it.effect("verify a linked ULN → WSVRC002/004 against the master, whose ULN is answered", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      // "Adah" below is a similar name to this one
      const p = person({ givenName: "Ada" })
      const master = yield* seed(p)
      const linked = yield* seed({ ...p, lastKnownPostCode: "M1 1AE" })
      yield* link(linked.uln, master.uln)
      const exact = yield* call("POST", "/api/v1/learners/verify", { token: f.lrb.tokens.OnlineUser, body: { uln: linked.uln, givenName: p.givenName, familyName: p.familyName } })
      expect(exact.body).toEqual({ responseCode: "WSVRC002", searchedUln: linked.uln, uln: master.uln, failureFlags: [] })
      const similar = yield* call("POST", "/api/v1/learners/verify", { token: f.lrb.tokens.OnlineUser, body: { uln: linked.uln, givenName: "Adah", familyName: p.familyName } })
      expect(similar.body).toMatchObject({ responseCode: "WSVRC004", uln: master.uln })
    }))

  it.effect("verify: an invalid ULN → 400 WSEC0136; bad gender → 400 naming it; a BatchUser → 403", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const invalid = yield* call("POST", "/api/v1/learners/verify", { token: f.lrb.tokens.OnlineUser, body: { uln: "0123456789", givenName: "A", familyName: "B" } })
      expect(invalid.status).toBe(400)
      expect(invalid.body).toMatchObject({ code: "WSEC0136", errors: [{ field: "uln" }] })
      const gender = yield* call("POST", "/api/v1/learners/verify", { token: f.lrb.tokens.OnlineUser, body: { uln: "1000000043", givenName: "A", familyName: "B", gender: 5 } })
      expect(gender.status).toBe(400)
      expect(gender.body).toMatchObject({ code: "WSEC0001", errors: expect.arrayContaining([{ field: "gender", message: expect.stringContaining("gender must be") }]) })
      const batch = yield* call("POST", "/api/v1/learners/verify", { token: f.lrb.tokens.BatchUser, body: { uln: "1000000043", givenName: "A", familyName: "B" } })
      expect(batch.status).toBe(403)
    }))
})
