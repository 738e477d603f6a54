import * as SqlClient from "@effect/sql/SqlClient"
import { Learner, Uln } from "@learner-records/core"
import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { Learners } from "../src/Learners.js"
import { call, countRows, describeHttp, fixture as makeFixture } from "./http.js"
import { person } from "./records.js"

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

const statusOf = (id: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ readonly status: string }>`SELECT status FROM registration_exceptions WHERE id = ${id}::uuid`
    return rows[0]?.status
  }).pipe(Effect.orDie)

const accessLogOf = (uln: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ readonly operation: string; readonly username: string }>`
      SELECT operation, username FROM access_log WHERE uln = ${uln} ORDER BY id`
  }).pipe(Effect.orDie)

interface Held {
  readonly responseCode: string
  readonly exceptionId: string
  readonly possibleMatches: ReadonlyArray<{ readonly learner: { readonly uln: string }; readonly score: number }>
}

interface ExceptionBody {
  readonly id: string
  readonly status: string
  readonly raisedBy: string
  readonly source: string
  readonly details: Record<string, unknown>
  readonly possibleMatches: ReadonlyArray<{ readonly learner: { readonly uln: string; readonly masterSubstituted: boolean }; readonly score: number }>
  readonly resolution: null | { readonly action: string; readonly uln: string; readonly resolvedBy: string; readonly resolvedAt: string }
}

type Cast = Effect.Effect.Success<typeof makeFixture>

describeHttp("Registration exceptions", (it) => {
  // one cast of organisations and signed-in users per database, shared by the tests
  let cast: Cast | undefined
  const fixture = Effect.suspend(() => cast !== undefined ? Effect.succeed(cast) : Effect.tap(makeFixture, (f) => { cast = f }))

  /** An existing learner and a registration of someone close to them (same names and birthday, another street): held. */
  const hold = (token: (f: Cast) => string | undefined = (f) => f.lrb.tokens.OnlineUser) =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const existing = yield* seed(p)
      const near = { ...p, lastKnownPostCode: "CV4 8UW" }
      const reply = yield* call("POST", "/api/v1/learners", { token: token(f), body: near })
      expect(reply.status).toBe(202)
      return { f, p, near, existing, held: reply.body as Held }
    })

  const resolve = (id: string, body: unknown, token: string | undefined) =>
    call("POST", `/api/v1/registration-exceptions/${id}/resolve`, { token, body })

  it.effect("register close to an existing learner → 202 WSRC0003 with an exception and the possible matches; no learner written", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const p = person()
      const existing = yield* seed(p)
      const learners = yield* countRows("learners")
      const exceptions = yield* countRows("registration_exceptions")
      const r = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: { ...p, lastKnownPostCode: "CV4 8UW" } })
      expect(r.status).toBe(202)
      const held = r.body as Held
      expect(held.responseCode).toBe("WSRC0003")
      expect(held.exceptionId).toMatch(/^[0-9a-f-]{36}$/)
      expect(held.possibleMatches).toHaveLength(1)
      expect(held.possibleMatches[0]).toMatchObject({ learner: { uln: existing.uln, familyName: p.familyName }, score: 0.94 })
      expect(yield* countRows("learners")).toBe(learners)
      expect(yield* countRows("registration_exceptions")).toBe(exceptions + 1)
      expect(yield* statusOf(held.exceptionId)).toBe("open")
      // the possible match was shown to the caller: it is in its access log
      expect(yield* accessLogOf(existing.uln)).toEqual([{ operation: "learners.register", username: f.lrb.usernames.OnlineUser }])
    }))

  it.effect("list → the organisation's own exceptions, open first; filter by status; another LRB sees none of them", () =>
    Effect.gen(function*() {
      const { f, near, existing, held } = yield* hold()
      const mine = yield* call("GET", "/api/v1/registration-exceptions", { token: f.lrb.tokens.BatchUser })
      expect(mine.status).toBe(200)
      const list = mine.body as ReadonlyArray<ExceptionBody>
      const entry = list.find((e) => e.id === held.exceptionId)
      expect(entry).toMatchObject({
        status: "open",
        source: "single",
        raisedBy: f.lrb.usernames.OnlineUser,
        details: { familyName: near.familyName, lastKnownPostCode: "CV4 8UW" },
        possibleMatches: [{ learner: { uln: existing.uln, masterSubstituted: false } }],
        resolution: null
      })
      // open ones first
      const statuses = list.map((e) => e.status)
      expect(statuses).toEqual([...statuses].sort((a, b) => (a === "open" ? 0 : 1) - (b === "open" ? 0 : 1)))
      const open = yield* call("GET", "/api/v1/registration-exceptions?status=open", { token: f.lrb.tokens.SuperUser })
      expect((open.body as ReadonlyArray<ExceptionBody>).map((e) => e.id)).toContain(held.exceptionId)
      const resolved = yield* call("GET", "/api/v1/registration-exceptions?status=resolved", { token: f.lrb.tokens.SuperUser })
      expect((resolved.body as ReadonlyArray<ExceptionBody>).map((e) => e.id)).not.toContain(held.exceptionId)
      const other = yield* call("GET", "/api/v1/registration-exceptions", { token: f.otherLrb.tokens.SuperUser })
      expect(other.status).toBe(200)
      expect((other.body as ReadonlyArray<ExceptionBody>).map((e) => e.id)).not.toContain(held.exceptionId)
    }))

  it.effect("list: a bad filter → 400 naming status; an AO user or a ViewLearnerOnly → 403", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const bad = yield* call("GET", "/api/v1/registration-exceptions?status=closed", { token: f.lrb.tokens.OnlineUser })
      expect(bad.status).toBe(400)
      expect(bad.body).toMatchObject({ code: "WSEC0001", errors: expect.arrayContaining([expect.objectContaining({ field: "status" })]) })
      for (const token of [f.ao.tokens.AwardingBodyUser, f.ao.tokens.SuperUser, f.lrb.tokens.ViewLearnerOnly]) {
        const r = yield* call("GET", "/api/v1/registration-exceptions", { token })
        expect(r.status).toBe(403)
        expect(r.body).toMatchObject({ code: "WSEC0006" })
      }
    }))

  it.effect("resolve use-existing → 200 WSRC0004 with that ULN; the exception is resolved; resolving again → 409 SVC011", () =>
    Effect.gen(function*() {
      const { f, existing, held } = yield* hold()
      const learners = yield* countRows("learners")
      const r = yield* resolve(held.exceptionId, { action: "use-existing", uln: existing.uln }, f.lrb.tokens.SuperUser)
      expect(r.status).toBe(200)
      const body = r.body as { responseCode: string; uln: string; exception: ExceptionBody }
      expect(body.responseCode).toBe("WSRC0004")
      expect(body.uln).toBe(existing.uln)
      expect(body.exception).toMatchObject({
        id: held.exceptionId,
        status: "resolved",
        resolution: { action: "use-existing", uln: existing.uln, resolvedBy: f.lrb.usernames.SuperUser }
      })
      expect(yield* countRows("learners")).toBe(learners)
      expect(yield* statusOf(held.exceptionId)).toBe("resolved")
      const again = yield* resolve(held.exceptionId, { action: "register-new" }, f.lrb.tokens.SuperUser)
      expect(again.status).toBe(409)
      expect(again.body).toMatchObject({ code: "SVC011" })
      expect(yield* countRows("learners")).toBe(learners)
    }))

  it.effect("resolve use-existing with a ULN linked to a possible match → 200 WSRC0022 with the master's ULN, as find by ULN", () =>
    Effect.gen(function*() {
      const { f, p, existing, held } = yield* hold()
      const linked = yield* seed({ ...p, lastKnownPostCode: "M1 1AE" })
      yield* link(linked.uln, existing.uln)
      const r = yield* resolve(held.exceptionId, { action: "use-existing", uln: linked.uln }, f.lrb.tokens.OnlineUser)
      expect(r.status, r.text).toBe(200)
      expect(r.body).toMatchObject({ responseCode: "WSRC0022", uln: existing.uln, exception: { resolution: { uln: existing.uln } } })
    }))

  it.effect("resolve use-existing with a learner who is not a possible match → 422 SVC014 naming uln; the exception stays open", () =>
    Effect.gen(function*() {
      const { f, existing, held } = yield* hold()
      const stranger = yield* seed(person())
      const before = yield* countRows("learners")
      const r = yield* resolve(held.exceptionId, { action: "use-existing", uln: stranger.uln }, f.lrb.tokens.OnlineUser)
      expect(r.status).toBe(422)
      expect(r.headers["content-type"]).toContain("application/problem+json")
      expect(r.body).toMatchObject({ code: "SVC014", detail: expect.stringContaining(existing.uln), errors: [{ field: "uln" }] })
      // nor through a link to someone else
      const strangersLinked = yield* seed(person())
      yield* link(strangersLinked.uln, stranger.uln)
      const viaLink = yield* resolve(held.exceptionId, { action: "use-existing", uln: strangersLinked.uln }, f.lrb.tokens.OnlineUser)
      expect(viaLink.status).toBe(422)
      expect(viaLink.body).toMatchObject({ code: "SVC014" })
      expect(yield* statusOf(held.exceptionId)).toBe("open")
      expect(yield* countRows("learners")).toBe(before + 1)
      // the possible match itself still resolves it
      const ok = yield* resolve(held.exceptionId, { action: "use-existing", uln: existing.uln }, f.lrb.tokens.OnlineUser)
      expect(ok.body).toMatchObject({ responseCode: "WSRC0004", uln: existing.uln })
    }))

  it.effect("resolve use-existing when the possible match was merged into a master since → the master or the match's ULN (WSRC0022) will do", () =>
    Effect.gen(function*() {
      const { f, p, existing, held } = yield* hold()
      const master = yield* seed({ ...p, lastKnownPostCode: "M1 1AE" })
      yield* link(existing.uln, master.uln)
      const viaMatch = yield* resolve(held.exceptionId, { action: "use-existing", uln: existing.uln }, f.lrb.tokens.OnlineUser)
      expect(viaMatch.status, viaMatch.text).toBe(200)
      expect(viaMatch.body).toMatchObject({ responseCode: "WSRC0022", uln: master.uln })
      const second = yield* hold()
      const otherMaster = yield* seed({ ...second.p, lastKnownPostCode: "M1 1AE" })
      yield* link(second.existing.uln, otherMaster.uln)
      const direct = yield* resolve(second.held.exceptionId, { action: "use-existing", uln: otherMaster.uln }, f.lrb.tokens.OnlineUser)
      expect(direct.body).toMatchObject({ responseCode: "WSRC0004", uln: otherMaster.uln })
    }))

  it.effect("resolve use-existing with an unknown ULN → 404 WSRC0001, an invalid ULN → 400 WSEC0136; the exception stays open", () =>
    Effect.gen(function*() {
      const { f, held } = yield* hold()
      let unknown = Uln.generate()
      while ((yield* accessLogOf(unknown)).length > 0) unknown = Uln.generate()
      const missing = yield* resolve(held.exceptionId, { action: "use-existing", uln: unknown }, f.lrb.tokens.OnlineUser)
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ code: "WSRC0001" })
      const invalid = yield* resolve(held.exceptionId, { action: "use-existing", uln: "1000000044" }, f.lrb.tokens.OnlineUser)
      expect(invalid.status).toBe(400)
      expect(invalid.body).toMatchObject({ code: "WSEC0136" })
      expect(yield* statusOf(held.exceptionId)).toBe("open")
    }))

  it.effect("resolve register-new → 200 WSRC0005 with a new valid ULN holding the held details", () =>
    Effect.gen(function*() {
      const { f, near, existing, held } = yield* hold()
      const learners = yield* countRows("learners")
      const r = yield* resolve(held.exceptionId, { action: "register-new" }, f.lrb.tokens.BatchUser)
      expect(r.status).toBe(200)
      const body = r.body as { responseCode: string; uln: string; exception: ExceptionBody }
      expect(body.responseCode).toBe("WSRC0005")
      expect(Uln.validate(body.uln)).toEqual({ valid: true })
      expect(body.uln).not.toBe(existing.uln)
      expect(body.exception.resolution).toMatchObject({ action: "register-new", uln: body.uln, resolvedBy: f.lrb.usernames.BatchUser })
      expect(yield* countRows("learners")).toBe(learners + 1)
      const found = yield* call("POST", "/api/v1/learners/find-by-uln", { token: f.lrb.tokens.OnlineUser, body: { uln: body.uln, givenName: near.givenName, familyName: near.familyName } })
      expect(found.body).toMatchObject({ responseCode: "WSRC0004", learner: { lastKnownPostCode: "CV4 8UW" } })
    }))

  it.effect("resolve register-new when the same person was registered meanwhile → 409 WSRC0021; nothing written, still open", () =>
    Effect.gen(function*() {
      const { f, near, held } = yield* hold()
      const twin = yield* seed(near)
      const learners = yield* countRows("learners")
      const r = yield* resolve(held.exceptionId, { action: "register-new" }, f.lrb.tokens.OnlineUser)
      expect(r.status).toBe(409)
      expect(r.body).toMatchObject({ code: "WSRC0021", detail: expect.stringContaining(twin.uln) })
      expect(yield* countRows("learners")).toBe(learners)
      expect(yield* statusOf(held.exceptionId)).toBe("open")
    }))

  it.effect("resolve another organisation's exception, or one that does not exist → 404; nothing changes", () =>
    Effect.gen(function*() {
      const { f, existing, held } = yield* hold()
      const other = yield* resolve(held.exceptionId, { action: "use-existing", uln: existing.uln }, f.otherLrb.tokens.SuperUser)
      expect(other.status).toBe(404)
      expect(other.body).toMatchObject({ code: "SVC004" })
      const none = yield* resolve("00000000-0000-4000-8000-000000000000", { action: "register-new" }, f.lrb.tokens.SuperUser)
      expect(none.status).toBe(404)
      const junk = yield* resolve("not-an-id", { action: "register-new" }, f.lrb.tokens.SuperUser)
      expect(junk.status).toBe(404)
      expect(other.text.replace(/"requestId":"[^"]*"/, "")).toBe(none.text.replace(/"requestId":"[^"]*"/, "").replace("00000000-0000-4000-8000-000000000000", held.exceptionId))
      expect(yield* statusOf(held.exceptionId)).toBe("open")
    }))

  it.effect("resolve: a bad action or an extra property → 400 naming it; wrong role → 403; nothing changes", () =>
    Effect.gen(function*() {
      const { f, existing, held } = yield* hold()
      const learners = yield* countRows("learners")
      const bad = yield* resolve(held.exceptionId, { action: "delete" }, f.lrb.tokens.OnlineUser)
      expect(bad.status).toBe(400)
      expect(bad.body).toMatchObject({ code: "WSEC0001", errors: expect.arrayContaining([expect.objectContaining({ field: "action" })]) })
      const extra = yield* resolve(held.exceptionId, { action: "register-new", uln: existing.uln }, f.lrb.tokens.OnlineUser)
      expect(extra.status).toBe(400)
      for (const token of [f.lrb.tokens.ViewLearnerOnly, f.ao.tokens.AwardingBodyUser]) {
        const r = yield* resolve(held.exceptionId, { action: "register-new" }, token)
        expect(r.status).toBe(403)
      }
      expect(yield* countRows("learners")).toBe(learners)
      expect(yield* statusOf(held.exceptionId)).toBe("open")
    }))
})
