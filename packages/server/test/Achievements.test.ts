import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import type { Learner } from "@learner-records/core"
import * as Effect from "effect/Effect"
import { call, countRows, createOrganisation, createUser, describeHttp, fixture, freshUkprn, organisationWith, signIn, unique } from "./http.js"
import { freshUnit, insertLearner, link, putSubject, subject, type SubjectBody } from "./records.js"

type HistoryEntry = { sequence: number; at: string; by: string; action: string; reason?: string; details: Record<string, unknown>; lifecycle: string; underDataChallenge: boolean }
type AchievementBody = Record<string, unknown> & { id: string; uln: string; awardingOrganisation: string; lifecycle: string; grade: string; history: Array<HistoryEntry> }
type Outcome = { responseCode: string; achievement: AchievementBody }
type Problem = { code: string; title: string; detail: string; errors: Array<{ field: string; message: string }>; requestId: string }
type Page = { achievements: Array<AchievementBody>; nextCursor: string | null }

/** The body of a create or update for `learner` and `s`. */
const request = (learner: Learner.Learner, s: SubjectBody, overrides: Record<string, unknown> = {}) => ({
  uln: learner.uln,
  givenName: learner.givenName,
  familyName: learner.familyName,
  subjectCode: s.subjectCode,
  awardDate: "2020-06-01",
  grade: "Pass",
  status: "Final",
  ...overrides
})

const counts = Effect.all({ achievements: countRows("achievements"), history: countRows("achievement_history") })

describeHttp("Achievements", (it) => {
  type Cast = Effect.Effect.Success<typeof fixture> & {
    readonly own: SubjectBody
    readonly sharedByOther: SubjectBody
    readonly restrictedToAo: SubjectBody
    readonly restrictedToOthers: SubjectBody
    readonly privateOfOther: SubjectBody
    readonly startsIn2018: SubjectBody
    readonly unit: SubjectBody
  }
  let cast: Cast | undefined
  // one cast per database: signing in a dozen users per test would dominate the run
  const setup = Effect.gen(function*() {
    if (cast !== undefined) return cast
    const f = yield* fixture
    // a third AO, the only one a restricted subject is open to besides its owner
    const thirdAo = freshUkprn()
    yield* createOrganisation({ name: `AO ${unique()}`, ukprn: thirdAo, kinds: ["AO"] })
    cast = {
      ...f,
      own: yield* putSubject(f.admin, subject(f.ao.ukprn)),
      sharedByOther: yield* putSubject(f.admin, subject(f.otherAo.ukprn, { availability: { _tag: "Shared" } })),
      restrictedToAo: yield* putSubject(f.admin, subject(f.otherAo.ukprn, { availability: { _tag: "Restricted", allowed: [f.ao.ukprn] } })),
      restrictedToOthers: yield* putSubject(f.admin, subject(f.otherAo.ukprn, { availability: { _tag: "Restricted", allowed: [thirdAo] } })),
      privateOfOther: yield* putSubject(f.admin, subject(f.otherAo.ukprn)),
      startsIn2018: yield* putSubject(f.admin, subject(f.ao.ukprn, { operationalStartDate: "2018-01-01" })),
      unit: yield* putSubject(f.admin, subject(f.ao.ukprn, { subjectCode: freshUnit(), title: "Unit one", level: "Level 1", qualificationType: "QCF unit" }))
    }
    return cast
  })

  const create = (token: string, body: unknown) => call("POST", "/api/v1/achievements", { token, body })

  it.effect("create → 201 ACH001 with the register's title and the first history entry; the same again → 200 ACH005", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const before = yield* counts
      const body = request(learner, f.own, { credits: 12, languageForAssessment: "English", centreUkprn: f.lrb.ukprn, aoLearnerRef: "AO-REF-1", status: "Provisional" })
      const r = yield* create(f.ao.tokens.AwardingBodyUser!, body)
      expect(r.status, r.text).toBe(201)
      const out = r.body as Outcome
      expect(out.responseCode).toBe("ACH001")
      expect(out.achievement).toMatchObject({
        awardingOrganisation: f.ao.ukprn,
        source: "AO",
        subject: f.own.title,
        level: f.own.level,
        qualificationType: f.own.qualificationType,
        uln: learner.uln,
        subjectCode: f.own.subjectCode,
        awardDate: "2020-06-01",
        grade: "Pass",
        credits: 12,
        languageForAssessment: "English",
        status: "Provisional",
        centreUkprn: f.lrb.ukprn,
        aoLearnerRef: "AO-REF-1",
        lifecycle: "Active",
        underDataChallenge: false
      })
      expect(out.achievement.history).toHaveLength(1)
      expect(out.achievement.history[0]).toMatchObject({ sequence: 1, by: f.ao.ukprn, action: "Created", lifecycle: "Active" })
      expect(yield* counts).toEqual({ achievements: before.achievements + 1, history: before.history + 1 })

      // idempotent on (AO, master ULN, subject code, award date)
      const again = yield* create(f.ao.tokens.AwardingBodyUser!, body)
      expect(again.status).toBe(200)
      expect(again.body).toEqual({ responseCode: "ACH005", achievement: out.achievement })
      expect(yield* counts).toEqual({ achievements: before.achievements + 1, history: before.history + 1 })

      // the same key with other details → 409 ACH014, nothing written
      const other = yield* create(f.ao.tokens.AwardingBodyUser!, { ...body, grade: "Merit" })
      expect(other.status).toBe(409)
      expect(other.body).toMatchObject({ code: "ACH014", detail: expect.stringContaining(out.achievement.id) })
      expect(yield* counts).toEqual({ achievements: before.achievements + 1, history: before.history + 1 })

      // another award date is another achievement; a unit is QCF unit credit
      const later = yield* create(f.ao.tokens.AwardingBodyUser!, { ...body, awardDate: "2021-06-01" })
      expect(later.status).toBe(201)
      const unit = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.unit))
      expect(unit.status).toBe(201)
      expect((unit.body as Outcome).achievement).toMatchObject({ source: "QCFU", subjectCode: f.unit.subjectCode })

      // and it is in the database as returned
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ uln: string; awardingOrganisation: string; lifecycle: string; awardDate: string }>`
        SELECT uln, awarding_organisation, lifecycle, award_date::text AS award_date FROM achievements WHERE id = ${out.achievement.id}`
      expect(rows).toEqual([{ uln: learner.uln, awardingOrganisation: f.ao.ukprn, lifecycle: "Active", awardDate: "2020-06-01" }])
    }))

  it.effect("create through a linked ULN stores against the master; the master's ULN finds it again (ACH005)", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const master = yield* insertLearner()
      const linked = yield* insertLearner({ givenName: master.givenName, familyName: master.familyName })
      yield* link(linked.uln, master.uln)
      const r = yield* create(f.ao.tokens.AwardingBodyUser!, request(master, f.own, { uln: linked.uln }))
      expect(r.status, r.text).toBe(201)
      const out = r.body as Outcome
      expect(out.achievement.uln).toBe(master.uln)
      const again = yield* create(f.ao.tokens.AwardingBodyUser!, request(master, f.own))
      expect(again.status).toBe(200)
      expect((again.body as Outcome).responseCode).toBe("ACH005")
      expect((again.body as Outcome).achievement.id).toBe(out.achievement.id)
    }))

  it.effect("ownership: own and shared subjects, and restricted ones listing the AO, may be awarded; others → 422 ACH010/ACH011", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      for (const s of [f.sharedByOther, f.restrictedToAo]) {
        const r = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, s))
        expect(r.status, r.text).toBe(201)
        expect((r.body as Outcome).achievement.awardingOrganisation).toBe(f.ao.ukprn)
      }
      const before = yield* counts
      const cases: Array<[SubjectBody | { subjectCode: string }, string]> = [
        [f.privateOfOther, "ACH011"],
        [f.restrictedToOthers, "ACH011"],
        [{ subjectCode: "500/0000/0" }, "ACH010"]
      ]
      for (const [s, code] of cases) {
        const r = yield* create(f.ao.tokens.AwardingBodyUser!, { ...request(learner, f.own), subjectCode: s.subjectCode })
        expect(r.status, s.subjectCode).toBe(422)
        expect(r.headers["content-type"]).toContain("application/problem+json")
        expect(r.body).toMatchObject({ code, errors: [{ field: "subjectCode" }] })
      }
      expect(yield* counts).toEqual(before)
    }))

  it.effect("award dates: in the future → 422 ACH021; before 1990, the subject's start or the learner's fifth birthday → 422 ACH022", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner({ dateOfBirth: "2001-02-03" })
      const before = yield* counts
      const tomorrow = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)
      const cases: Array<[SubjectBody, string, string]> = [
        [f.own, tomorrow, "ACH021"],
        [f.own, "1989-12-31", "ACH022"],
        [f.own, "2006-02-02", "ACH022"],
        [f.startsIn2018, "2017-12-31", "ACH022"]
      ]
      for (const [s, awardDate, code] of cases) {
        const r = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, s, { awardDate }))
        expect(r.status, awardDate).toBe(422)
        expect(r.body).toMatchObject({ code, errors: [{ field: "awardDate" }] })
      }
      expect(yield* counts).toEqual(before)
      const fifth = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own, { awardDate: "2006-02-03" }))
      expect(fifth.status).toBe(201)
    }))

  it.effect("the learner must verify (WSVRC001–004): similar names pass; other names or an unknown ULN → 422 ACH025 naming the fields", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner({ givenName: "Jonathan", familyName: "Smithson" })
      const before = yield* counts
      const wrongName = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own, { familyName: "Quartermaine" }))
      expect(wrongName.status).toBe(422)
      const problem = wrongName.body as Problem
      expect(problem.code).toBe("ACH025")
      expect(problem.detail).toContain("WSVRC005")
      expect(problem.errors.map((e) => e.field)).toContain("familyName")
      const wrongBirth = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own, { dateOfBirth: "2001-02-04", gender: 2 }))
      expect(wrongBirth.status).toBe(422)
      expect((wrongBirth.body as Problem).errors.map((e) => e.field)).toEqual(["dateOfBirth", "gender"])
      const unknown = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own, { uln: "1000000043" }))
      expect(unknown.status).toBe(422)
      expect(unknown.body).toMatchObject({ code: "ACH025", detail: expect.stringContaining("WSVRC006"), errors: [{ field: "uln" }] })
      expect(yield* counts).toEqual(before)
      // a similar family name is a similar match (WSVRC003): enough
      const similar = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own, { familyName: "Smithsen", dateOfBirth: "2001-02-03" }))
      expect(similar.status, similar.text).toBe(201)
    }))

  it.effect("bad input → 400 naming the field (WSEC0136 for an invalid ULN), nothing written", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const before = yield* counts
      const good = request(learner, f.own)
      const { grade: _grade, ...noGrade } = good
      const cases: Array<[unknown, string, string]> = [
        [noGrade, "grade", "WSEC0001"],
        [{ ...good, status: "F" }, "status", "WSEC0001"],
        [{ ...good, awardDate: "2020-02-30" }, "awardDate", "WSEC0001"],
        [{ ...good, credits: 1000 }, "credits", "WSEC0001"],
        [{ ...good, subjectCode: "maths" }, "subjectCode", "WSEC0001"],
        [{ ...good, grade: "x".repeat(51) }, "grade", "WSEC0001"],
        [{ ...good, awardingOrganisation: f.otherAo.ukprn }, "awardingOrganisation", "WSEC0001"],
        [{ ...good, lifecycle: "Withdrawn" }, "lifecycle", "WSEC0001"],
        [{ ...good, uln: "1000000042" }, "uln", "WSEC0136"]
      ]
      for (const [body, field, code] of cases) {
        const r = yield* create(f.ao.tokens.AwardingBodyUser!, body)
        expect(r.status, field).toBe(400)
        expect((r.body as Problem).code, field).toBe(code)
        expect((r.body as Problem).errors.map((e) => e.field), field).toContain(field)
      }
      expect(yield* counts).toEqual(before)
    }))

  it.effect("wrong role or organisation → 403 WSEC0006 for every operation, nothing written", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const created = yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own))
      const id = (created.body as Outcome).achievement.id
      // an AwardingBodyUser of an LRB-only organisation, and an AO without a UKPRN
      const lrbAbu = yield* organisationWith(["LRB"], ["AwardingBodyUser"])
      const noUkprn = yield* createOrganisation({ name: `AO ${unique()}`, kinds: ["AO"] })
      const username = `abu.${unique()}`
      yield* createUser(noUkprn, username, ["AwardingBodyUser"])
      const noUkprnToken = yield* signIn(username)
      const before = yield* counts
      const tokens = [f.lrb.tokens.OnlineUser!, f.lrb.tokens.SuperUser!, f.ao.tokens.SuperUser!, f.ao.tokens.BatchUser!, f.admin, lrbAbu.tokens.AwardingBodyUser!, noUkprnToken]
      for (const token of tokens) {
        const requests = [
          create(token, request(learner, f.own, { grade: "Distinction" })),
          call("PUT", `/api/v1/achievements/${id}`, { token, body: request(learner, f.own, { grade: "Distinction" }) }),
          call("POST", `/api/v1/achievements/${id}/withdraw`, { token, body: { reason: "wrong" } }),
          call("POST", `/api/v1/achievements/${id}/reinstate`, { token, body: {} }),
          call("GET", "/api/v1/achievements", { token })
        ]
        for (const r of requests) {
          const reply = yield* r
          expect(reply.status).toBe(403)
          expect(reply.body).toMatchObject({ code: "WSEC0006" })
        }
      }
      expect(yield* counts).toEqual(before)
      const none = yield* call("GET", "/api/v1/achievements")
      expect(none.status).toBe(401)
    }))

  it.effect("update → 200 ACH002 with a history entry; identical → ACH005; the ULN or subject cannot change (422 ACH023)", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const created = (yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own))).body as Outcome
      const id = created.achievement.id
      const put = (body: unknown, token = f.ao.tokens.AwardingBodyUser!) => call("PUT", `/api/v1/achievements/${id}`, { token, body })
      const updated = yield* put(request(learner, f.own, { grade: "Merit", status: "Provisional", credits: 5 }))
      expect(updated.status, updated.text).toBe(200)
      const out = updated.body as Outcome
      expect(out.responseCode).toBe("ACH002")
      expect(out.achievement).toMatchObject({ id, grade: "Merit", status: "Provisional", credits: 5, createdAt: created.achievement.createdAt })
      expect(out.achievement.history.map((h) => [h.sequence, h.action, h.details.grade])).toEqual([[1, "Created", "Pass"], [2, "Updated", "Merit"]])

      const before = yield* counts
      const same = yield* put(request(learner, f.own, { grade: "Merit", status: "Provisional", credits: 5 }))
      expect(same.status).toBe(200)
      expect((same.body as Outcome).responseCode).toBe("ACH005")
      expect((same.body as Outcome).achievement.history).toHaveLength(2)
      expect(yield* counts).toEqual(before)


      const other = yield* insertLearner()
      const otherLearner = yield* put(request(other, f.own))
      expect(otherLearner.status).toBe(422)
      expect(otherLearner.body).toMatchObject({ code: "ACH023", errors: [{ field: "uln" }] })
      const otherSubject = yield* put(request(learner, f.sharedByOther))
      expect(otherSubject.status).toBe(422)
      expect(otherSubject.body).toMatchObject({ code: "ACH023", errors: [{ field: "subjectCode" }] })
      const future = yield* put(request(learner, f.own, { awardDate: new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10) }))
      expect(future.status).toBe(422)
      expect(future.body).toMatchObject({ code: "ACH021" })
      const unverified = yield* put(request(learner, f.own, { givenName: "Bartholomew", familyName: "Quartermaine" }))
      expect(unverified.status).toBe(422)
      expect(unverified.body).toMatchObject({ code: "ACH025" })
      const bad = yield* put({ ...request(learner, f.own), grade: "" })
      expect(bad.status).toBe(400)
      expect(bad.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "grade" }] })
      const mass = yield* put({ ...request(learner, f.own), id: "something-else" })
      expect(mass.status).toBe(400)
      expect(mass.body).toMatchObject({ errors: [{ field: "id" }] })
      expect(yield* counts).toEqual(before)

      // the details are replaced whole: credits left out is credits gone, stored so; the same again is ACH005
      const cleared = yield* put(request(learner, f.own, { grade: "Merit", status: "Provisional" }))
      expect((cleared.body as Outcome).responseCode).toBe("ACH002")
      expect((cleared.body as Outcome).achievement).not.toHaveProperty("credits")
      const listed = yield* call("GET", `/api/v1/achievements?uln=${learner.uln}`, { token: f.ao.tokens.AwardingBodyUser! })
      expect((listed.body as { readonly achievements: ReadonlyArray<Record<string, unknown>> }).achievements.find((a) => a["id"] === id)).not.toHaveProperty("credits")
      const clearedAgain = yield* put(request(learner, f.own, { grade: "Merit", status: "Provisional" }))
      expect((clearedAgain.body as Outcome).responseCode).toBe("ACH005")
      expect((clearedAgain.body as Outcome).achievement.history).toHaveLength(3)

      // a new award date that makes it the twin of another of the AO's achievements → 409 ACH014
      const twin = (yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own, { awardDate: "2021-01-01" }))).body as Outcome
      const clash = yield* put(request(learner, f.own, { awardDate: "2021-01-01" }))
      expect(clash.status).toBe(409)
      expect(clash.body).toMatchObject({ code: "ACH014", detail: expect.stringContaining(twin.achievement.id) })
      const moved = yield* put(request(learner, f.own, { awardDate: "2019-01-01", grade: "Merit", status: "Provisional", credits: 5 }))
      expect(moved.status).toBe(200)
      expect((moved.body as Outcome).achievement.awardDate).toBe("2019-01-01")
    }))

  it.effect("another AO's achievement is answered exactly like a missing one: 404 ACH013, nothing written", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const theirs = (yield* create(f.otherAo.tokens.AwardingBodyUser!, request(learner, f.sharedByOther))).body as Outcome
      const before = yield* counts
      const attempts = (id: string) => [
        call("PUT", `/api/v1/achievements/${id}`, { token: f.ao.tokens.AwardingBodyUser!, body: request(learner, f.sharedByOther, { grade: "Fail" }) }),
        call("POST", `/api/v1/achievements/${id}/withdraw`, { token: f.ao.tokens.AwardingBodyUser!, body: { reason: "not ours" } }),
        call("POST", `/api/v1/achievements/${id}/reinstate`, { token: f.ao.tokens.AwardingBodyUser!, body: {} })
      ]
      const other = yield* Effect.all(attempts(theirs.achievement.id))
      const missingId = "00000000-0000-4000-8000-000000000000"
      const missing = yield* Effect.all(attempts(missingId))
      for (let i = 0; i < other.length; i++) {
        expect(other[i]!.status).toBe(404)
        expect(missing[i]!.status).toBe(404)
        const a = other[i]!.body as Problem
        const b = missing[i]!.body as Problem
        expect(a.code).toBe("ACH013")
        expect({ code: a.code, title: a.title, detail: a.detail.replace(theirs.achievement.id, "ID"), errors: a.errors })
          .toEqual({ code: b.code, title: b.title, detail: b.detail.replace(missingId, "ID"), errors: b.errors })
      }
      expect(yield* counts).toEqual(before)
      // nor does it show in their list
      const list = (yield* call("GET", `/api/v1/achievements?uln=${learner.uln}`, { token: f.ao.tokens.AwardingBodyUser! })).body as Page
      expect(list.achievements).toEqual([])
    }))

  it.effect("withdraw → ACH003 keeps the history; again → 409 ACH015; reinstate → ACH004 as it was; again → 409 ACH016", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const created = (yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own, { status: "Provisional", grade: "Merit" }))).body as Outcome
      const id = created.achievement.id
      const token = f.ao.tokens.AwardingBodyUser!
      const before = yield* counts
      const noReason = yield* call("POST", `/api/v1/achievements/${id}/withdraw`, { token, body: {} })
      expect(noReason.status).toBe(400)
      expect(noReason.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "reason" }] })
      const blank = yield* call("POST", `/api/v1/achievements/${id}/withdraw`, { token, body: { reason: "  " } })
      expect(blank.status).toBe(400)
      expect(yield* counts).toEqual(before)

      const withdrawn = yield* call("POST", `/api/v1/achievements/${id}/withdraw`, { token, body: { reason: "awarded in error" } })
      expect(withdrawn.status, withdrawn.text).toBe(200)
      expect(withdrawn.body).toMatchObject({ responseCode: "ACH003", achievement: { id, lifecycle: "Withdrawn", grade: "Merit" } })
      const history = (withdrawn.body as Outcome).achievement.history
      expect(history.map((h) => [h.action, h.lifecycle, h.reason])).toEqual([["Created", "Active", undefined], ["Withdrawn", "Withdrawn", "awarded in error"]])
      expect(yield* counts).toEqual({ achievements: before.achievements, history: before.history + 1 })

      const twice = yield* call("POST", `/api/v1/achievements/${id}/withdraw`, { token, body: { reason: "again" } })
      expect(twice.status).toBe(409)
      expect(twice.body).toMatchObject({ code: "ACH015" })
      const update = yield* call("PUT", `/api/v1/achievements/${id}`, { token, body: request(learner, f.own, { grade: "Pass" }) })
      expect(update.status).toBe(409)
      expect(update.body).toMatchObject({ code: "ACH017" })
      // creating it again, with its details or others, is refused: reinstate it instead (an update is ACH017)
      for (const details of [{ status: "Provisional", grade: "Merit" }, { grade: "Distinction" }]) {
        const recreate = yield* create(token, request(learner, f.own, details))
        expect(recreate.status).toBe(409)
        expect(recreate.body).toMatchObject({ code: "ACH014", detail: expect.stringContaining(`achievement ${id} already exists`) })
        expect((recreate.body as Problem).detail).toContain("is withdrawn; reinstate it instead")
        expect((recreate.body as Problem).detail).not.toContain("update it instead")
      }

      const reinstated = yield* call("POST", `/api/v1/achievements/${id}/reinstate`, { token, body: { reason: "appeal upheld" } })
      expect(reinstated.status, reinstated.text).toBe(200)
      expect(reinstated.body).toMatchObject({ responseCode: "ACH004", achievement: { id, lifecycle: "Active", grade: "Merit", status: "Provisional" } })
      expect((reinstated.body as Outcome).achievement.history.map((h) => h.action)).toEqual(["Created", "Withdrawn", "Reinstated"])
      const again = yield* call("POST", `/api/v1/achievements/${id}/reinstate`, { token, body: {} })
      expect(again.status).toBe(409)
      expect(again.body).toMatchObject({ code: "ACH016" })
      expect(yield* counts).toEqual({ achievements: before.achievements, history: before.history + 2 })
    }))

  it.effect("reinstate needs no body (no body, an empty one, with or without a JSON content type); {} and a reason too; a malformed body → 400", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const id = ((yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own))).body as Outcome).achievement.id
      const token = f.ao.tokens.AwardingBodyUser!
      const path = `/api/v1/achievements/${id}/reinstate`
      const withdraw = Effect.flatMap(call("POST", `/api/v1/achievements/${id}/withdraw`, { token, body: { reason: "awarded in error" } }), (r) =>
        Effect.sync(() => expect(r.status, r.text).toBe(200)))
      const bodies: Array<[string, Parameters<typeof call>[2]]> = [
        ["no body", { token }],
        ["no body, JSON content type", { token, headers: { "content-type": "application/json" } }],
        ["an empty JSON body", { token, text: { body: "", contentType: "application/json" } }],
        ["{}", { token, body: {} }],
        ["a reason", { token, body: { reason: "appeal upheld" } }]
      ]
      let entries = 1
      for (const [name, options] of bodies) {
        yield* withdraw
        const r = yield* call("POST", path, options)
        expect(r.status, `${name}: ${r.text}`).toBe(200)
        const out = r.body as Outcome
        expect(out, name).toMatchObject({ responseCode: "ACH004", achievement: { id, lifecycle: "Active" } })
        entries += 2
        expect(out.achievement.history, name).toHaveLength(entries)
        expect(out.achievement.history.at(-1), name).toMatchObject({ action: "Reinstated" })
        expect(out.achievement.history.at(-1)!.reason, name).toBe(name === "a reason" ? "appeal upheld" : undefined)
      }

      // a body that is there but wrong is still refused, and nothing changes
      yield* withdraw
      const before = yield* counts
      const malformed: Array<[string, Parameters<typeof call>[2], string]> = [
        ["not JSON", { token, text: { body: "{", contentType: "application/json" } }, "body"],
        ["a blank reason", { token, body: { reason: "  " } }, "reason"],
        ["an unknown property", { token, body: { reason: "r", lifecycle: "Active" } }, "lifecycle"],
        ["a list", { token, body: [] }, "body"]
      ]
      for (const [name, options, field] of malformed) {
        const r = yield* call("POST", path, options)
        expect(r.status, `${name}: ${r.text}`).toBe(400)
        expect((r.body as Problem).code, name).toBe("WSEC0001")
        expect((r.body as Problem).errors.map((e) => e.field), name).toContain(field)
      }
      expect(yield* counts).toEqual(before)
    }))

  it.effect("withdraw without a body → 400 WSEC0001 naming the required reason, as {} is", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const id = ((yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own))).body as Outcome).achievement.id
      const token = f.ao.tokens.AwardingBodyUser!
      const before = yield* counts
      for (const options of [{ token }, { token, text: { body: "", contentType: "application/json" } }, { token, body: {} }]) {
        const r = yield* call("POST", `/api/v1/achievements/${id}/withdraw`, options)
        expect(r.status, r.text).toBe(400)
        expect(r.body).toMatchObject({ code: "WSEC0001", detail: expect.stringMatching(/^reason: /) })
        expect((r.body as Problem).errors.map((e) => e.field)).toEqual(["reason"])
      }
      expect(yield* counts).toEqual(before)
    }))

  it.effect("a path id of up to 1,000 characters reaches its operation (404 ACH013, 400 WSEC0136); a longer one → 400 naming the path", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const token = f.ao.tokens.AwardingBodyUser!
      const before = yield* counts
      for (const length of [101, 1000]) {
        const id = "a".repeat(length)
        const attempts = [
          call("POST", `/api/v1/achievements/${id}/withdraw`, { token, body: { reason: "r" } }),
          call("POST", `/api/v1/achievements/${id}/reinstate`, { token, body: {} }),
          call("PUT", `/api/v1/achievements/${id}`, { token, body: request(learner, f.own) })
        ]
        for (const attempt of attempts) {
          const r = yield* attempt
          expect(r.status, `${length}: ${r.text}`).toBe(404)
          expect(r.body, String(length)).toMatchObject({ code: "ACH013", detail: expect.stringContaining(id) })
        }
        // a ULN in a path that is not one is the usual 400
        const log = yield* call("GET", `/api/v1/learners/${"1".repeat(length)}/access-log`, { token: f.admin })
        expect(log.status, `${length}: ${log.text}`).toBe(400)
        expect(log.body).toMatchObject({ code: "WSEC0136" })
      }
      // the limit is on the path as sent
      const encoded = yield* call("POST", `/api/v1/achievements/${"%61".repeat(333)}/reinstate`, { token, body: {} })
      expect(encoded.status, encoded.text).toBe(404)
      expect(encoded.body).toMatchObject({ code: "ACH013" })
      for (const path of [`/api/v1/achievements/${"a".repeat(1001)}/withdraw`, `/api/v1/learners/${"1".repeat(5000)}/access-log`, `/nowhere/${"x".repeat(1001)}`]) {
        const r = yield* call(path.startsWith("/api/v1/learners") ? "GET" : "POST", path, { token, body: { reason: "r" } })
        expect(r.status, r.text).toBe(400)
        expect(r.headers["content-type"]).toContain("application/problem+json")
        expect(r.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "path" }] })
        expect((r.body as Problem).detail).toContain("1000 characters")
      }
      expect(yield* counts).toEqual(before)
    }))

  it.effect("grade, language and AO learner reference are stored trimmed, so a retry that differs only in spaces → 200 ACH005", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const token = f.ao.tokens.AwardingBodyUser!
      const padded = request(learner, f.own, { grade: " Pass ", languageForAssessment: "  English", aoLearnerRef: "REF-7 ", subjectCode: ` ${f.own.subjectCode} ` })
      const created = yield* create(token, padded)
      expect(created.status, created.text).toBe(201)
      const out = created.body as Outcome
      expect(out.achievement).toMatchObject({ grade: "Pass", languageForAssessment: "English", aoLearnerRef: "REF-7", subjectCode: f.own.subjectCode })
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ details: unknown }>`SELECT details FROM achievements WHERE id = ${out.achievement.id}`
      const stored = typeof rows[0]!.details === "string" ? JSON.parse(rows[0]!.details) : rows[0]!.details
      expect(stored).toMatchObject({ grade: "Pass", languageForAssessment: "English", aoLearnerRef: "REF-7" })
      const before = yield* counts
      for (const retry of [request(learner, f.own, { grade: "Pass", languageForAssessment: "English", aoLearnerRef: "REF-7" }), padded]) {
        const again = yield* create(token, retry)
        expect(again.status, again.text).toBe(200)
        expect(again.body).toEqual({ responseCode: "ACH005", achievement: out.achievement })
      }
      // an update with the same values padded changes nothing either
      const update = yield* call("PUT", `/api/v1/achievements/${out.achievement.id}`, { token, body: { ...padded, grade: "Pass  " } })
      expect(update.status, update.text).toBe(200)
      expect((update.body as Outcome).responseCode).toBe("ACH005")
      expect(yield* counts).toEqual(before)
    }))

  it.effect("under data challenge nothing changes but by resolving it: update, withdraw, reinstate → 409 ACH018", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const learner = yield* insertLearner()
      const id = ((yield* create(f.ao.tokens.AwardingBodyUser!, request(learner, f.own))).body as Outcome).achievement.id
      // no endpoint raises a challenge yet (CONTRACT §4.5, a later issue): set the flag directly
      const sql = yield* SqlClient.SqlClient
      yield* sql`UPDATE achievements SET under_data_challenge = true WHERE id = ${id}`
      const token = f.ao.tokens.AwardingBodyUser!
      const before = yield* counts
      for (
        const r of [
          call("PUT", `/api/v1/achievements/${id}`, { token, body: request(learner, f.own, { grade: "Merit" }) }),
          call("POST", `/api/v1/achievements/${id}/withdraw`, { token, body: { reason: "x" } }),
          call("POST", `/api/v1/achievements/${id}/reinstate`, { token, body: {} })
        ]
      ) {
        const reply = yield* r
        expect(reply.status).toBe(409)
        expect(reply.body).toMatchObject({ code: "ACH018" })
      }
      expect(yield* counts).toEqual(before)
    }))

  it.effect("list: own organisation's only, filtered by ULN (a linked ULN finds the master's), subject, status and lifecycle", () =>
    Effect.gen(function*() {
      const f = yield* setup
      // a fresh AO, so the list holds only what this test creates
      const ao = yield* organisationWith(["AO"], ["AwardingBodyUser"])
      const token = ao.tokens.AwardingBodyUser!
      const mine = yield* putSubject(f.admin, subject(ao.ukprn))
      const master = yield* insertLearner()
      const linked = yield* insertLearner()
      yield* link(linked.uln, master.uln)
      const other = yield* insertLearner()
      const ids: Array<string> = []
      for (const [learner, s, extra] of [[master, mine, { awardDate: "2019-01-01" }], [master, f.sharedByOther, { status: "Provisional" }], [other, mine, {}]] as const) {
        const r = yield* create(token, request(learner, s, extra))
        expect(r.status, r.text).toBe(201)
        ids.push((r.body as Outcome).achievement.id)
      }
      // someone else's achievement for the same learner never shows
      yield* create(f.ao.tokens.AwardingBodyUser!, request(master, f.sharedByOther))
      yield* call("POST", `/api/v1/achievements/${ids[2]}/withdraw`, { token, body: { reason: "x" } })

      const list = (query: string) =>
        Effect.map(call("GET", `/api/v1/achievements${query}`, { token }), (r) => {
          expect(r.status, r.text).toBe(200)
          return (r.body as Page).achievements.map((a) => a.id)
        })
      expect(yield* list("")).toEqual(ids)
      expect(yield* list(`?uln=${master.uln}`)).toEqual([ids[0], ids[1]])
      expect(yield* list(`?uln=${linked.uln}`)).toEqual([ids[0], ids[1]])
      expect(yield* list(`?subjectCode=${encodeURIComponent(mine.subjectCode)}`)).toEqual([ids[0], ids[2]])
      expect(yield* list("?status=Provisional")).toEqual([ids[1]])
      expect(yield* list("?lifecycle=Withdrawn")).toEqual([ids[2]])
      expect(yield* list("?lifecycle=Active&status=Final")).toEqual([ids[0]])
      expect(yield* list("?uln=1000000043")).toEqual([])
      const full = (yield* call("GET", "/api/v1/achievements", { token })).body as Page
      expect(full.achievements[2]!.history.map((h) => h.action)).toEqual(["Created", "Withdrawn"])
      expect(full.nextCursor).toBeNull()
    }))

  it.effect("list: cursor pages in a stable order; a bad cursor or filter → 400 naming it", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const ao = yield* organisationWith(["AO"], ["AwardingBodyUser"])
      const token = ao.tokens.AwardingBodyUser!
      const s = yield* putSubject(f.admin, subject(ao.ukprn, { availability: { _tag: "Shared" } }))
      const ids: Array<string> = []
      for (let i = 0; i < 5; i++) {
        const learner = yield* insertLearner()
        ids.push(((yield* create(token, request(learner, s))).body as Outcome).achievement.id)
      }
      const seen: Array<string> = []
      let cursor: string | null = null
      let pages = 0
      do {
        const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
        const r = yield* call("GET", `/api/v1/achievements?limit=2${query}`, { token })
        expect(r.status, r.text).toBe(200)
        const page = r.body as Page
        seen.push(...page.achievements.map((a) => a.id))
        cursor = page.nextCursor
        if (cursor !== null) expect(cursor).not.toMatch(/^\d+$/)
        pages++
      } while (cursor !== null && pages < 10)
      expect(seen).toEqual(ids)
      expect(pages).toBe(3)

      for (const [query, field] of [["cursor=bm9wZQ", "cursor"], ["cursor=%2A%2A", "cursor"], ["limit=0", "limit"], ["limit=abc", "limit"], ["status=Final2", "status"], ["lifecycle=Gone", "lifecycle"], ["subjectCode=maths", "subjectCode"]] as const) {
        const r = yield* call("GET", `/api/v1/achievements?${query}`, { token })
        expect(r.status, query).toBe(400)
        expect(r.body).toMatchObject({ code: "WSEC0001" })
        expect((r.body as Problem).errors.map((e) => e.field), query).toContain(field)
      }
      // the limit's rule in plain words, whatever was sent (not Effect's "Unable to decode …")
      for (const limit of ["abc", "", "1.5", "0", "501"]) {
        const r = yield* call("GET", `/api/v1/achievements?limit=${limit}`, { token })
        expect((r.body as Problem).errors, limit).toEqual([{ field: "limit", message: "must be a whole number from 1 to 500" }])
      }
      const badUln = yield* call("GET", "/api/v1/achievements?uln=1000000042", { token })
      expect(badUln.status).toBe(400)
      expect(badUln.body).toMatchObject({ code: "WSEC0136" })
      expect((badUln.body as Problem).errors[0]!.field).toBe("uln")
    }))
})
