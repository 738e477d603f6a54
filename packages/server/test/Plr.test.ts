import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import type { Learner } from "@learner-records/core"
import * as Effect from "effect/Effect"
import { call, describeHttp, fixture } from "./http.js"
import { insertLearner, link, putSubject, subject, type SubjectBody } from "./records.js"

type Event = Record<string, unknown> & { id: string; awardingOrganisation: string; lifecycle: string; history: Array<{ action: string }> }
type Plr = {
  responseCode: string
  incomingUln: string
  foundUln: string | null
  learner: (Record<string, unknown> & { uln: string; masterSubstituted: boolean; linkedUlns: Array<string> }) | null
  learningEvents: Array<Event>
}
type Entry = { at: string; uln: string; operation: string; userId: string; username: string; organisationId: string; organisationName: string; requestId: string }
type Page = { entries: Array<Entry>; nextCursor: string | null }
type Problem = { code: string; errors: Array<{ field: string; message: string }> }

const ask = (learner: Learner.Learner, overrides: Record<string, unknown> = {}) => ({
  uln: learner.uln,
  givenName: learner.givenName,
  familyName: learner.familyName,
  ...overrides
})

const reads = (uln: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<{ n: number }>`SELECT count(*)::int AS n FROM access_log WHERE uln = ${uln} AND operation = 'plr.get'`
    return rows[0]!.n
  }).pipe(Effect.orDie)

describeHttp("PLR", (it) => {
  type Cast = Effect.Effect.Success<typeof fixture> & { readonly own: SubjectBody; readonly shared: SubjectBody }
  let cast: Cast | undefined
  // one cast per database: signing in a dozen users per test would dominate the run
  const setup = Effect.gen(function*() {
    if (cast !== undefined) return cast
    const f = yield* fixture
    cast = {
      ...f,
      own: yield* putSubject(f.admin, subject(f.ao.ukprn)),
      shared: yield* putSubject(f.admin, subject(f.otherAo.ukprn, { availability: { _tag: "Shared" } }))
    }
    return cast
  })

  /** Creates an achievement for `learner` as the AO's awarding body user; returns its id. */
  const award = (token: string, learner: Learner.Learner, s: SubjectBody, awardDate: string) =>
    Effect.gen(function*() {
      const r = yield* call("POST", "/api/v1/achievements", {
        token,
        body: { uln: learner.uln, givenName: learner.givenName, familyName: learner.familyName, subjectCode: s.subjectCode, awardDate, grade: "Pass", status: "Final" }
      })
      expect(r.status, r.text).toBe(201)
      return (r.body as { achievement: { id: string } }).achievement.id
    })

  const plr = (token: string, body: unknown) => call("POST", "/api/v1/plr", { token, body })

  it.effect("WSRC0004: the learner and every AO's active achievements by award date, FULL with history, BRIEF without; each read logged", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const first = yield* award(f.ao.tokens.AwardingBodyUser!, learner, f.own, "2019-06-01")
      const second = yield* award(f.otherAo.tokens.AwardingBodyUser!, learner, f.shared, "2020-06-01")
      const gone = yield* award(f.ao.tokens.AwardingBodyUser!, learner, f.own, "2021-06-01")
      const w = yield* call("POST", `/api/v1/achievements/${gone}/withdraw`, { token: f.ao.tokens.AwardingBodyUser!, body: { reason: "error" } })
      expect(w.status).toBe(200)
      const other = yield* insertLearner()
      yield* award(f.ao.tokens.AwardingBodyUser!, other, f.own, "2019-06-01")

      const full = yield* plr(f.lrb.tokens.OnlineUser!, ask(learner, { dateOfBirth: learner.dateOfBirth, gender: learner.gender, view: "FULL" }))
      expect(full.status, full.text).toBe(200)
      const body = full.body as Plr
      expect(body).toMatchObject({ responseCode: "WSRC0004", incomingUln: learner.uln, foundUln: learner.uln })
      expect(body.learner).toMatchObject({ uln: learner.uln, givenName: learner.givenName, masterSubstituted: false })
      expect(body.learningEvents.map((e) => e.id)).toEqual([first, second])
      expect(body.learningEvents.map((e) => e.awardingOrganisation)).toEqual([f.ao.ukprn, f.otherAo.ukprn])
      expect(body.learningEvents[0]!.history.map((h) => h.action)).toEqual(["Created"])
      expect(yield* reads(learner.uln)).toBe(1)

      // FULL is the default; BRIEF has the same events with an empty history
      const byDefault = yield* plr(f.lrb.tokens.OnlineUser!, ask(learner))
      expect((byDefault.body as Plr).learningEvents).toEqual(body.learningEvents)
      const brief = yield* plr(f.lrb.tokens.ViewLearnerOnly!, ask(learner, { view: "BRIEF" }))
      expect(brief.status).toBe(200)
      const briefBody = brief.body as Plr
      expect(briefBody.learningEvents.map((e) => e.id)).toEqual([first, second])
      expect(briefBody.learningEvents.every((e) => e.history.length === 0)).toBe(true)
      expect(briefBody.learningEvents.map(({ history: _h, ...rest }) => rest)).toEqual(body.learningEvents.map(({ history: _h, ...rest }) => rest))
      expect(yield* reads(learner.uln)).toBe(3)
      const su = yield* plr(f.lrb.tokens.SuperUser!, ask(learner))
      expect(su.status).toBe(200)
    }))

  it.effect("a withdrawn achievement leaves the PLR; reinstated, it is back", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const id = yield* award(f.ao.tokens.AwardingBodyUser!, learner, f.own, "2020-01-01")
      const events = Effect.map(plr(f.lrb.tokens.OnlineUser!, ask(learner)), (r) => (r.body as Plr).learningEvents.map((e) => e.id))
      expect(yield* events).toEqual([id])
      yield* call("POST", `/api/v1/achievements/${id}/withdraw`, { token: f.ao.tokens.AwardingBodyUser!, body: { reason: "wrong learner" } })
      expect(yield* events).toEqual([])
      yield* call("POST", `/api/v1/achievements/${id}/reinstate`, { token: f.ao.tokens.AwardingBodyUser!, body: {} })
      const back = yield* plr(f.lrb.tokens.OnlineUser!, ask(learner))
      expect((back.body as Plr).learningEvents.map((e) => [e.id, e.lifecycle])).toEqual([[id, "Active"]])
      expect((back.body as Plr).learningEvents[0]!.history.map((h) => h.action)).toEqual(["Created", "Withdrawn", "Reinstated"])
      // the AO's reasons are its own notes: not on the learner's record, still in the AO's own view
      expect((back.body as Plr).learningEvents[0]!.history.every((h) => !("reason" in h))).toBe(true)
      expect(back.text).not.toContain("wrong learner")
      const own = yield* call("GET", `/api/v1/achievements?uln=${learner.uln}`, { token: f.ao.tokens.AwardingBodyUser! })
      expect(own.text).toContain("wrong learner")
    }))

  it.effect("WSRC0022: a linked ULN answers with the master's record (incomingUln vs foundUln)", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const master = yield* insertLearner()
      const linked = yield* insertLearner({ givenName: master.givenName, familyName: master.familyName })
      yield* link(linked.uln, master.uln)
      const id = yield* award(f.ao.tokens.AwardingBodyUser!, master, f.own, "2020-01-01")
      const r = yield* plr(f.lrb.tokens.OnlineUser!, ask(master, { uln: linked.uln }))
      expect(r.status, r.text).toBe(200)
      const body = r.body as Plr
      expect(body).toMatchObject({ responseCode: "WSRC0022", incomingUln: linked.uln, foundUln: master.uln })
      expect(body.learner).toMatchObject({ uln: master.uln, masterSubstituted: true, linkedUlns: [linked.uln] })
      expect(body.learningEvents.map((e) => e.id)).toEqual([id])
      // logged against the learner returned
      expect(yield* reads(master.uln)).toBe(1)
      expect(yield* reads(linked.uln)).toBe(0)
    }))

  it.effect("WSEC0208: details that do not verify → 200 with neither learner nor events, and no log entry", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner({ givenName: "Jonathan", familyName: "Smithson" })
      yield* award(f.ao.tokens.AwardingBodyUser!, learner, f.own, "2020-01-01")
      for (const overrides of [{ familyName: "Quartermaine" }, { givenName: "Bartholomew", familyName: "Quartermaine" }, { dateOfBirth: "1999-09-09" }, { gender: 2 }]) {
        const r = yield* plr(f.lrb.tokens.OnlineUser!, ask(learner, overrides))
        expect(r.status, JSON.stringify(overrides)).toBe(200)
        expect(r.body).toEqual({ responseCode: "WSEC0208", incomingUln: learner.uln, foundUln: null, learner: null, learningEvents: [] })
      }
      expect(yield* reads(learner.uln)).toBe(0)
      // a similar name still verifies (WSVRC003)
      const similar = yield* plr(f.lrb.tokens.OnlineUser!, ask(learner, { familyName: "Smithsen" }))
      expect((similar.body as Plr).responseCode).toBe("WSRC0004")
    }))

  it.effect("WSEC0206: ability to share 0 (notice not seen) or 2 (refused) → the learner without learning events, logged", () =>
    Effect.gen(function*() {
      const f = yield* setup
      for (const abilityToShare of [0, 2]) {
        const learner = yield* insertLearner({ abilityToShare })
        yield* award(f.ao.tokens.AwardingBodyUser!, learner, f.own, "2020-01-01")
        const r = yield* plr(f.lrb.tokens.OnlineUser!, ask(learner))
        expect(r.status).toBe(200)
        const body = r.body as Plr
        expect(body).toMatchObject({ responseCode: "WSEC0206", incomingUln: learner.uln, foundUln: learner.uln, learningEvents: [] })
        expect(body.learner).toMatchObject({ uln: learner.uln, abilityToShare })
        expect(yield* reads(learner.uln)).toBe(1)
      }
    }))

  it.effect("unknown ULN → 404 WSRC0001; bad input → 400 naming the field (WSEC0136 invalid ULN); nothing logged", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const unknown = yield* plr(f.lrb.tokens.OnlineUser!, { uln: "1000000043", givenName: "A", familyName: "B" })
      expect(unknown.status).toBe(404)
      expect(unknown.headers["content-type"]).toContain("application/problem+json")
      expect(unknown.body).toMatchObject({ code: "WSRC0001" })
      expect(yield* reads("1000000043")).toBe(0)
      const cases: Array<[unknown, string, string]> = [
        [ask(learner, { uln: "1000000042" }), "uln", "WSEC0136"],
        [ask(learner, { uln: "9999999999" }), "uln", "WSEC0136"],
        [{ uln: learner.uln, givenName: learner.givenName }, "familyName", "WSEC0001"],
        [ask(learner, { view: "SUMMARY" }), "view", "WSEC0001"],
        [ask(learner, { gender: 5 }), "gender", "WSEC0001"],
        [ask(learner, { dateOfBirth: "03/02/2001" }), "dateOfBirth", "WSEC0001"],
        [ask(learner, { organisation: "x" }), "organisation", "WSEC0001"]
      ]
      for (const [body, field, code] of cases) {
        const r = yield* plr(f.lrb.tokens.OnlineUser!, body)
        expect(r.status, field).toBe(400)
        expect((r.body as Problem).code, field).toBe(code)
        expect((r.body as Problem).errors.map((e) => e.field), field).toContain(field)
      }
      expect(yield* reads(learner.uln)).toBe(0)
    }))

  it.effect("plr.get: roles other than SuperUser, OnlineUser and ViewLearnerOnly of an LRB → 403 WSEC0006, nothing logged", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      for (const token of [f.lrb.tokens.BatchUser!, f.lrb.tokens.LearnerPlanUser!, f.ao.tokens.AwardingBodyUser!, f.ao.tokens.SuperUser!, f.admin]) {
        const r = yield* plr(token, ask(learner))
        expect(r.status).toBe(403)
        expect(r.body).toMatchObject({ code: "WSEC0006" })
      }
      expect(yield* reads(learner.uln)).toBe(0)
      const anonymous = yield* plr("", ask(learner))
      expect(anonymous.status).toBe(401)
    }))

  it.effect("access log: newest first; an LRB super user sees their organisation's reads, the LRS admin everyone's", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      yield* plr(f.lrb.tokens.OnlineUser!, ask(learner))
      yield* plr(f.otherLrb.tokens.OnlineUser!, ask(learner))
      yield* call("POST", "/api/v1/plr", { token: f.lrb.tokens.ViewLearnerOnly!, body: ask(learner), headers: { "x-request-id": "plr-read-3" } })

      const log = (token: string, query = "") => call("GET", `/api/v1/learners/${learner.uln}/access-log${query}`, { token })
      const admin = yield* log(f.admin)
      expect(admin.status, admin.text).toBe(200)
      const all = (admin.body as Page).entries
      expect(all.map((e) => e.username)).toEqual([f.lrb.usernames.ViewLearnerOnly, f.otherLrb.usernames.OnlineUser, f.lrb.usernames.OnlineUser])
      expect(all[0]).toMatchObject({ uln: learner.uln, operation: "plr.get", userId: f.lrb.users.ViewLearnerOnly, organisationId: f.lrb.id, requestId: "plr-read-3" })
      expect(Date.parse(all[0]!.at)).toBeGreaterThanOrEqual(Date.parse(all[2]!.at))

      const own = yield* log(f.lrb.tokens.SuperUser!)
      expect(own.status).toBe(200)
      expect((own.body as Page).entries.map((e) => e.organisationId)).toEqual([f.lrb.id, f.lrb.id])
      const theirs = yield* log(f.otherLrb.tokens.SuperUser!)
      expect((theirs.body as Page).entries.map((e) => e.username)).toEqual([f.otherLrb.usernames.OnlineUser])

      const limited = yield* log(f.admin, "?limit=1")
      expect((limited.body as Page).entries.map((e) => e.username)).toEqual([f.lrb.usernames.ViewLearnerOnly])
      const today = new Date().toISOString().slice(0, 10)
      expect(((yield* log(f.admin, `?from=${today}&to=${today}`)).body as Page).entries).toHaveLength(3)
      expect(((yield* log(f.admin, "?to=2020-01-01")).body as Page)).toEqual({ entries: [], nextCursor: null })
    }))

  it.effect("access log: a linked ULN shows the master's reads; unknown → 404 WSRC0001; bad input → 400; other roles → 403", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const master = yield* insertLearner()
      const linked = yield* insertLearner({ givenName: master.givenName, familyName: master.familyName })
      yield* link(linked.uln, master.uln)
      yield* plr(f.lrb.tokens.OnlineUser!, ask(master, { uln: linked.uln }))
      const viaLinked = yield* call("GET", `/api/v1/learners/${linked.uln}/access-log`, { token: f.admin })
      expect(viaLinked.status).toBe(200)
      expect((viaLinked.body as Page).entries.map((e) => e.uln)).toEqual([master.uln])

      const unknown = yield* call("GET", "/api/v1/learners/1000000043/access-log", { token: f.admin })
      expect(unknown.status).toBe(404)
      expect(unknown.body).toMatchObject({ code: "WSRC0001" })
      const invalid = yield* call("GET", "/api/v1/learners/1000000042/access-log", { token: f.admin })
      expect(invalid.status).toBe(400)
      expect(invalid.body).toMatchObject({ code: "WSEC0136" })
      for (const query of ["limit=0", "from=2020-13-01", "to=yesterday"]) {
        const r = yield* call("GET", `/api/v1/learners/${master.uln}/access-log?${query}`, { token: f.admin })
        expect(r.status, query).toBe(400)
        expect(r.body).toMatchObject({ code: "WSEC0001" })
        expect((r.body as Problem).errors[0]!.field).toBe(query.split("=")[0])
      }
      for (const token of [f.lrb.tokens.OnlineUser!, f.lrb.tokens.ViewLearnerOnly!, f.ao.tokens.SuperUser!, f.ao.tokens.AwardingBodyUser!]) {
        const r = yield* call("GET", `/api/v1/learners/${master.uln}/access-log`, { token })
        expect(r.status).toBe(403)
        expect(r.body).toMatchObject({ code: "WSEC0006" })
      }
    }))

  it.effect("access log: from after to → 400 WSEC0001 naming from and to (it was 200 with no entries); from = to is one day", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      yield* plr(f.lrb.tokens.OnlineUser!, ask(learner))
      const backwards = yield* call("GET", `/api/v1/learners/${learner.uln}/access-log?from=2026-11-30&to=2026-11-01`, { token: f.admin })
      expect(backwards.status, backwards.text).toBe(400)
      expect(backwards.body).toMatchObject({
        code: "WSEC0001",
        detail: expect.stringContaining("from 2026-11-30 is after to 2026-11-01"),
        errors: [{ field: "from", message: "2026-11-30 is after to (2026-11-01)" }, { field: "to", message: "2026-11-01 is before from (2026-11-30)" }]
      })
      // refused for any learner, before the ULN is looked up; and not for a super user either
      const unknown = yield* call("GET", "/api/v1/learners/1000000043/access-log?from=2026-11-02&to=2026-11-01", { token: f.lrb.tokens.SuperUser! })
      expect(unknown.status).toBe(400)
      const today = new Date().toISOString().slice(0, 10)
      const oneDay = yield* call("GET", `/api/v1/learners/${learner.uln}/access-log?from=${today}&to=${today}`, { token: f.admin })
      expect(oneDay.status).toBe(200)
      expect((oneDay.body as Page).entries.map((e) => e.operation)).toEqual(["plr.get"])
    }))

  it.effect("access log: more than 500 reads in a period are listed a page at a time with nextCursor, newest first, none twice or missed", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const sql = yield* SqlClient.SqlClient
      // 1203 reads by two organisations on 2026-11-10, at seven instants: many share an instant,
      // and the instants are not in id order (a page boundary falls inside a tie)
      yield* sql`
        INSERT INTO access_log (at, uln, operation, user_id, username, organisation_id, organisation_name, request_id)
        SELECT timestamptz '2026-11-10 12:00:00+00' + ((g * 5) % 7) * interval '1 minute', ${learner.uln}, 'plr.get',
          ${f.lrb.users.OnlineUser!}::uuid, 'bulk.reader',
          CASE WHEN g % 3 = 0 THEN ${f.otherLrb.id}::uuid ELSE ${f.lrb.id}::uuid END, 'Bulk', 'bulk-' || g
        FROM generate_series(1, 1203) AS g`.pipe(Effect.orDie)
      // a read outside the period
      yield* sql`
        INSERT INTO access_log (at, uln, operation, user_id, username, organisation_id, organisation_name, request_id)
        VALUES (timestamptz '2026-12-01 09:00:00+00', ${learner.uln}, 'plr.get', ${f.lrb.users.OnlineUser!}::uuid, 'bulk.reader', ${f.lrb.id}::uuid, 'Bulk', 'outside')`
        .pipe(Effect.orDie)

      const pages = (token: string, query: string) =>
        Effect.gen(function*() {
          const out: Array<Page> = []
          let cursor: string | null = null
          do {
            const r = yield* call("GET", `/api/v1/learners/${learner.uln}/access-log?${query}${cursor === null ? "" : `&cursor=${cursor}`}`, { token })
            expect(r.status, r.text).toBe(200)
            const page = r.body as Page
            out.push(page)
            cursor = page.nextCursor
          } while (cursor !== null && out.length < 10)
          return out
        })

      const period = "from=2026-11-01&to=2026-11-30"
      const all = yield* pages(f.admin, `${period}&limit=500`)
      expect(all.map((p) => p.entries.length)).toEqual([500, 500, 203])
      const entries = all.flatMap((p) => p.entries)
      const ids = entries.map((e) => e.requestId)
      expect(new Set(ids).size).toBe(1203)
      expect(new Set(ids)).toEqual(new Set(Array.from({ length: 1203 }, (_, i) => `bulk-${i + 1}`)))
      const times = entries.map((e) => Date.parse(e.at))
      expect(times.every((t, i) => i === 0 || t <= times[i - 1]!)).toBe(true)

      // the default page is 100 entries; a smaller page lists the same entries in the same order
      const first = yield* call("GET", `/api/v1/learners/${learner.uln}/access-log?${period}`, { token: f.admin })
      expect((first.body as Page).entries).toHaveLength(100)
      expect((first.body as Page).nextCursor).not.toBeNull()
      const small = yield* pages(f.admin, `${period}&limit=250`)
      expect(small.slice(0, 2).flatMap((p) => p.entries).map((e) => e.requestId)).toEqual(ids.slice(0, 500))

      // an LRB super user pages through their own organisation's reads only
      const own = (yield* pages(f.lrb.tokens.SuperUser!, `${period}&limit=500`)).flatMap((p) => p.entries)
      expect(own).toHaveLength(802)
      expect(new Set(own.map((e) => e.organisationId))).toEqual(new Set([f.lrb.id]))
      expect(own.map((e) => e.requestId)).toEqual(entries.filter((e) => e.organisationId === f.lrb.id).map((e) => e.requestId))

      // with no period the read of 2026-12-01 comes first
      const newest = yield* call("GET", `/api/v1/learners/${learner.uln}/access-log?limit=1`, { token: f.admin })
      expect((newest.body as Page).entries.map((e) => e.requestId)).toEqual(["outside"])
    }))

  it.effect("access log: a cursor that is not one of this list's → 400 WSEC0001 naming cursor", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const achievementsCursor = Buffer.from("achievements:5", "utf8").toString("base64url")
      const notAPosition = Buffer.from("access-log:x1", "utf8").toString("base64url")
      for (const cursor of ["not a cursor", achievementsCursor, notAPosition, ""]) {
        const r = yield* call("GET", `/api/v1/learners/${learner.uln}/access-log?cursor=${encodeURIComponent(cursor)}`, { token: f.admin })
        expect(r.status, cursor).toBe(400)
        expect(r.body, cursor).toMatchObject({ code: "WSEC0001", errors: [{ field: "cursor", message: "not a cursor of this list" }] })
      }
    }))
})
