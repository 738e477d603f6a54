import { HttpClient, HttpClientRequest } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import { Csv, QualificationRegister } from "@learner-records/core"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import { call, countRows, createOrganisation, createUser, describeHttp, fixture, freshUkprn, signIn, testConfig, unique } from "./http.js"
import { freshQan, freshUnit, insertLearner, putSubject, subject } from "./records.js"

type Organisation = { id: string; name: string; ukprn: string | null; kinds: Array<string>; olass: boolean; createdAt: string }
type Problem = { code: string; errors: Array<{ field: string; message: string }> }

const qualificationPath = (code: string) => `/api/v1/admin/qualifications/${encodeURIComponent(code)}`

// a new awarding organisation (only the register names it, so a list by owner is its own), and its UKPRN
const freshAo = Effect.gen(function*() {
  const ukprn = freshUkprn()
  yield* createOrganisation({ name: `AO ${unique()}`, ukprn, kinds: ["AO"] })
  return ukprn
})

// posts bytes as they are (a register file in another encoding) to the import
const importBytes = (token: string, bytes: Uint8Array) =>
  Effect.gen(function*() {
    const client = yield* HttpClient.HttpClient
    const request = HttpClientRequest.post("/api/v1/admin/qualifications/import").pipe(
      HttpClientRequest.bearerToken(token),
      HttpClientRequest.bodyUint8Array(bytes, "text/csv")
    )
    const response = yield* client.execute(request)
    return { status: response.status, body: (yield* response.json) as Problem & { detail: string } }
  }).pipe(Effect.scoped, Effect.orDie)

const latin1 = (text: string) => Uint8Array.from(Array.from(text, (c) => c.charCodeAt(0)))

// a small file limit, so an over-limit register file is cheap to send
describeHttp("Admin", (it) => {
  let cast: Effect.Effect.Success<typeof fixture> | undefined
  // one cast per database: signing in a dozen users per test would dominate the run
  const setup = Effect.gen(function*() {
    cast ??= yield* fixture
    return cast
  })

  it.effect("organisations: create 201, get, list, update; kinds and OLASS as given", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const ukprn = freshUkprn()
      const name = `Provider ${unique()}`
      const created = yield* call("POST", "/api/v1/admin/organisations", { token: f.admin, body: { name, ukprn, kinds: ["LRB", "AO"], olass: true } })
      expect(created.status, created.text).toBe(201)
      const org = created.body as Organisation
      expect(org).toMatchObject({ name, ukprn, kinds: ["LRB", "AO"], olass: true })
      expect(Date.parse(org.createdAt)).toBeGreaterThan(0)

      const got = yield* call("GET", `/api/v1/admin/organisations/${org.id}`, { token: f.admin })
      expect(got.status).toBe(200)
      expect(got.body).toEqual(org)
      const list = yield* call("GET", "/api/v1/admin/organisations", { token: f.admin })
      expect(list.status).toBe(200)
      const all = list.body as Array<Organisation>
      expect(all.find((o) => o.id === org.id)).toEqual(org)
      expect(all.find((o) => o.id === f.lrb.id)).toMatchObject({ ukprn: f.lrb.ukprn, kinds: ["LRB"] })
      expect(all.some((o) => o.kinds.includes("LRS"))).toBe(true)

      // no UKPRN, LRB only; olass defaults to false
      const renamed = yield* call("PUT", `/api/v1/admin/organisations/${org.id}`, { token: f.admin, body: { name: `${name} Ltd`, kinds: ["LRB"] } })
      expect(renamed.status, renamed.text).toBe(200)
      expect(renamed.body).toMatchObject({ id: org.id, name: `${name} Ltd`, ukprn: null, kinds: ["LRB"], olass: false, createdAt: org.createdAt })
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ ukprn: string | null; kinds: Array<string> }>`SELECT ukprn, kinds FROM organisations WHERE id = ${org.id}::uuid`
      expect(rows[0]).toEqual({ ukprn: null, kinds: ["LRB"] })
      // and the new organisation takes users: its super user can sign in and manage it
      yield* createUser(org.id, `su.${unique()}`, ["SuperUser"])
    }))

  it.effect("organisations: a UKPRN another organisation has → 409 SVC007, nothing written", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const before = yield* countRows("organisations")
      const dup = yield* call("POST", "/api/v1/admin/organisations", { token: f.admin, body: { name: "Copy", ukprn: f.ao.ukprn, kinds: ["AO"] } })
      expect(dup.status).toBe(409)
      expect(dup.headers["content-type"]).toContain("application/problem+json")
      expect(dup.body).toMatchObject({ code: "SVC007", errors: [{ field: "ukprn" }] })
      expect(yield* countRows("organisations")).toBe(before)

      const mine = yield* createOrganisation({ name: `Mine ${unique()}`, ukprn: freshUkprn(), kinds: ["LRB"] })
      const taken = yield* call("PUT", `/api/v1/admin/organisations/${mine}`, { token: f.admin, body: { name: "Mine", ukprn: f.ao.ukprn, kinds: ["LRB"] } })
      expect(taken.status).toBe(409)
      expect(taken.body).toMatchObject({ code: "SVC007" })
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ name: string }>`SELECT name FROM organisations WHERE id = ${mine}::uuid`
      expect(rows[0]!.name).toMatch(/^Mine /)
      // keeping one's own UKPRN is not a clash
      const same = yield* call("PUT", `/api/v1/admin/organisations/${f.otherLrb.id}`, { token: f.admin, body: { name: "Other LRB", ukprn: f.otherLrb.ukprn, kinds: ["LRB"] } })
      expect(same.status).toBe(200)
    }))

  it.effect("organisations: the UKPRN of an AO holding achievements cannot change → 409 SVC013", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const ukprn = freshUkprn()
      const ao = yield* createOrganisation({ name: `AO ${unique()}`, ukprn, kinds: ["AO"] })
      const username = `abu.${unique()}`
      yield* createUser(ao, username, ["AwardingBodyUser"])
      const token = yield* signIn(username)
      const s = yield* putSubject(f.admin, subject(ukprn))
      const learner = yield* insertLearner()
      const created = yield* call("POST", "/api/v1/achievements", {
        token,
        body: { uln: learner.uln, givenName: learner.givenName, familyName: learner.familyName, subjectCode: s.subjectCode, awardDate: "2020-06-01", grade: "Pass", status: "Final" }
      })
      expect(created.status, created.text).toBe(201)
      const moved = yield* call("PUT", `/api/v1/admin/organisations/${ao}`, { token: f.admin, body: { name: "AO", ukprn: freshUkprn(), kinds: ["AO"] } })
      expect(moved.status).toBe(409)
      expect(moved.body).toMatchObject({ code: "SVC013", errors: [{ field: "ukprn" }] })
      const renamed = yield* call("PUT", `/api/v1/admin/organisations/${ao}`, { token: f.admin, body: { name: "AO renamed", ukprn, kinds: ["AO"] } })
      expect(renamed.status).toBe(200)
    }))

  it.effect("organisations: unknown or malformed id → 404; bad input → 400 naming the field, nothing written", () =>
    Effect.gen(function*() {
      const f = yield* setup
      for (const id of ["00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
        const got = yield* call("GET", `/api/v1/admin/organisations/${id}`, { token: f.admin })
        expect(got.status).toBe(404)
        expect(got.body).toMatchObject({ code: "SVC004" })
        const put = yield* call("PUT", `/api/v1/admin/organisations/${id}`, { token: f.admin, body: { name: "X", kinds: ["LRB"] } })
        expect(put.status).toBe(404)
      }
      const before = yield* countRows("organisations")
      const cases: Array<[unknown, string]> = [
        [{ name: "X", kinds: [] }, "kinds"],
        [{ name: "X", kinds: "LRB" }, "kinds"],
        [{ name: "X", kinds: ["LRS"] }, "kinds"],
        [{ name: "X", kinds: ["AO"], olass: true }, "olass"],
        [{ name: "X", ukprn: "2345", kinds: ["AO"] }, "ukprn"],
        [{ name: "  ", kinds: ["AO"] }, "name"],
        [{ kinds: ["AO"] }, "name"],
        [{ name: "X", kinds: ["AO"], id: "00000000-0000-4000-8000-000000000000" }, "id"]
      ]
      for (const [body, field] of cases) {
        const r = yield* call("POST", "/api/v1/admin/organisations", { token: f.admin, body })
        expect(r.status, JSON.stringify(body)).toBe(400)
        expect((r.body as Problem).code).toBe("WSEC0001")
        expect((r.body as Problem).errors.some((e) => e.field.startsWith(field)), r.text).toBe(true)
      }
      const put = yield* call("PUT", `/api/v1/admin/organisations/${f.lrb.id}`, { token: f.admin, body: { name: "X", kinds: [] } })
      expect(put.status).toBe(400)
      expect(yield* countRows("organisations")).toBe(before)
    }))

  it.effect("organisations: the LRS organisation stays LRS alone; OLASS only on an LRB; kinds whose roles are in use stay", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const sql = yield* SqlClient.SqlClient
      const me = yield* call("GET", "/api/v1/me", { token: f.admin })
      const lrsId = (me.body as { organisationId: string }).organisationId
      const lrs = (yield* call("GET", `/api/v1/admin/organisations/${lrsId}`, { token: f.admin })).body as Organisation
      expect(lrs.kinds).toEqual(["LRS"])
      const kindsOf = (id: string) =>
        Effect.map(sql<{ kinds: Array<string>; olass: boolean }>`SELECT kinds, olass FROM organisations WHERE id = ${id}::uuid`, (rows) => rows[0]!).pipe(Effect.orDie)
      for (const kinds of [["LRB"], ["LRB", "AO"], ["LRS", "LRB"]]) {
        const put = yield* call("PUT", `/api/v1/admin/organisations/${lrsId}`, { token: f.admin, body: { name: lrs.name, kinds } })
        expect(put.status, put.text).toBe(400)
        expect(put.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "kinds" }] })
        expect((yield* kindsOf(lrsId)).kinds).toEqual(["LRS"])
      }
      // what GET gives can be sent back
      const same = yield* call("PUT", `/api/v1/admin/organisations/${lrsId}`, { token: f.admin, body: { name: lrs.name, kinds: lrs.kinds } })
      expect(same.status, same.text).toBe(200)
      expect((yield* call("GET", "/api/v1/admin/organisations", { token: f.admin })).status).toBe(200)
      // no other organisation becomes LRS
      const intoLrs = yield* call("PUT", `/api/v1/admin/organisations/${f.otherAo.id}`, { token: f.admin, body: { name: "AO", ukprn: f.otherAo.ukprn, kinds: ["LRS"] } })
      expect(intoLrs.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "kinds" }] })
      expect((yield* kindsOf(f.otherAo.id)).kinds).toEqual(["AO"])

      // an OLASS LRB with a learner-plan user cannot stop being OLASS (or an LRB) while the user holds the role
      const prison = yield* createOrganisation({ name: `Prison ${unique()}`, ukprn: freshUkprn(), kinds: ["LRB"], olass: true })
      const planner = `planner.${unique()}`
      const plannerId = yield* createUser(prison, planner, ["LearnerPlanUser"])
      for (const body of [{ name: "Prison", kinds: ["LRB"], olass: false }, { name: "Prison", kinds: ["AO"] }]) {
        const put = yield* call("PUT", `/api/v1/admin/organisations/${prison}`, { token: f.admin, body })
        expect(put.status, put.text).toBe(422)
        expect(put.body).toMatchObject({ code: "SVC008", detail: expect.stringContaining(planner) })
        expect(yield* kindsOf(prison)).toEqual({ kinds: ["LRB"], olass: true })
      }
      // renaming it is fine, and once the user is revoked the flag can go
      expect((yield* call("PUT", `/api/v1/admin/organisations/${prison}`, { token: f.admin, body: { name: "Prison renamed", kinds: ["LRB"], olass: true } })).status).toBe(200)
      expect((yield* call("POST", `/api/v1/users/${plannerId}/revoke`, { token: f.admin })).status).toBe(200)
      const dropped = yield* call("PUT", `/api/v1/admin/organisations/${prison}`, { token: f.admin, body: { name: "Prison", kinds: ["LRB"], olass: false } })
      expect(dropped.status, dropped.text).toBe(200)
    }))

  it.effect("organisations and the register: anyone but the LRS admin → 403 WSEC0006", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const before = yield* countRows("organisations")
      const quals = yield* countRows("qualifications")
      for (const token of [f.lrb.tokens.SuperUser!, f.ao.tokens.SuperUser!, f.ao.tokens.AwardingBodyUser!, f.lrb.tokens.OnlineUser!]) {
        const requests = [
          call("GET", "/api/v1/admin/organisations", { token }),
          call("POST", "/api/v1/admin/organisations", { token, body: { name: "X", kinds: ["LRB"] } }),
          call("GET", `/api/v1/admin/organisations/${f.lrb.id}`, { token }),
          call("PUT", `/api/v1/admin/organisations/${f.lrb.id}`, { token, body: { name: "X", kinds: ["LRB"] } }),
          call("GET", "/api/v1/admin/qualifications", { token }),
          call("PUT", qualificationPath("601/2977/3"), { token, body: subject(f.ao.ukprn, { subjectCode: "601/2977/3" }) }),
          call("POST", "/api/v1/admin/qualifications/import", { token, text: { body: QualificationRegister.CSV_COLUMNS.join(","), contentType: "text/csv" } })
        ]
        for (const request of requests) {
          const r = yield* request
          expect(r.status).toBe(403)
          expect(r.body).toMatchObject({ code: "WSEC0006" })
        }
      }
      const anonymous = yield* call("GET", "/api/v1/admin/organisations")
      expect(anonymous.status).toBe(401)
      expect(yield* countRows("organisations")).toBe(before)
      expect(yield* countRows("qualifications")).toBe(quals)
    }))

  it.effect("qualifications: put adds, put again replaces; the path must name the body's subject", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const code = freshQan()
      const first = yield* call("PUT", qualificationPath(code), { token: f.admin, body: subject(f.ao.ukprn, { subjectCode: code, operationalStartDate: "2015-09-01" }) })
      expect(first.status, first.text).toBe(200)
      expect(first.body).toMatchObject({ subjectCode: code, owner: f.ao.ukprn, availability: { _tag: "Private" }, operationalStartDate: "2015-09-01" })
      const replaced = yield* call("PUT", qualificationPath(code), {
        token: f.admin,
        body: subject(f.ao.ukprn, { subjectCode: code, title: "Renamed", availability: { _tag: "Restricted", allowed: [f.otherAo.ukprn] } })
      })
      expect(replaced.status).toBe(200)
      const sql = yield* SqlClient.SqlClient
      const rows = yield* sql<{ title: string; availability: string; allowedUkprns: Array<string>; operationalStartDate: string | null }>`
        SELECT title, availability, allowed_ukprns, operational_start_date::text AS operational_start_date FROM qualifications WHERE subject_code = ${code}`
      expect(rows).toEqual([{ title: "Renamed", availability: "Restricted", allowedUkprns: [f.otherAo.ukprn], operationalStartDate: null }])

      // a unit reference, sent in lower case, is stored upper case
      const unit = freshUnit()
      const lower = yield* call("PUT", qualificationPath(unit.toLowerCase()), { token: f.admin, body: subject(f.ao.ukprn, { subjectCode: unit.toLowerCase() }) })
      expect(lower.status, lower.text).toBe(200)
      expect(lower.body).toMatchObject({ subjectCode: unit })

      const before = yield* countRows("qualifications")
      const mismatch = yield* call("PUT", qualificationPath(freshQan()), { token: f.admin, body: subject(f.ao.ukprn, { subjectCode: code }) })
      expect(mismatch.status).toBe(400)
      expect(mismatch.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "subjectCode" }] })
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ owner: "123" }, "owner"],
        [{ availability: { _tag: "Open" } }, "availability"],
        [{ title: "" }, "title"],
        [{ operationalStartDate: "2015-13-01" }, "operationalStartDate"],
        [{ extra: 1 }, "extra"]
      ]
      for (const [override, field] of cases) {
        const c = freshQan()
        const r = yield* call("PUT", qualificationPath(c), { token: f.admin, body: { ...subject(f.ao.ukprn, { subjectCode: c }), ...override } })
        expect(r.status, JSON.stringify(override)).toBe(400)
        expect((r.body as Problem).errors.map((e) => e.field).join(" ")).toContain(field)
      }
      const badPath = yield* call("PUT", qualificationPath("nonsense"), { token: f.admin, body: subject(f.ao.ukprn, { subjectCode: "nonsense" }) })
      expect(badPath.status).toBe(400)
      expect(yield* countRows("qualifications")).toBe(before)
    }))

  it.effect("qualifications: list by subject code, one owner's, in pages with an opaque cursor", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const owner = yield* freshAo
      const codes: Array<string> = []
      for (let i = 0; i < 5; i++) codes.push((yield* putSubject(f.admin, subject(owner))).subjectCode)
      codes.sort()
      const seen: Array<string> = []
      let cursor: string | null = null
      let pages = 0
      do {
        const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
        const r = yield* call("GET", `/api/v1/admin/qualifications?owner=${owner}&limit=2${query}`, { token: f.admin })
        expect(r.status, r.text).toBe(200)
        const page = r.body as { qualifications: Array<{ subjectCode: string; owner: string }>; nextCursor: string | null }
        expect(page.qualifications.length).toBeLessThanOrEqual(2)
        for (const q of page.qualifications) expect(q.owner).toBe(owner)
        seen.push(...page.qualifications.map((q) => q.subjectCode))
        cursor = page.nextCursor
        pages++
      } while (cursor !== null && pages < 10)
      expect(seen).toEqual(codes)
      expect(pages).toBe(3)

      const all = yield* call("GET", "/api/v1/admin/qualifications", { token: f.admin })
      expect(all.status).toBe(200)
      expect((all.body as { qualifications: Array<unknown> }).qualifications.length).toBeGreaterThanOrEqual(5)

      for (const query of ["cursor=bm9wZQ", "cursor=%21%21", "limit=0", "limit=501", "limit=x", "owner=42"]) {
        const r = yield* call("GET", `/api/v1/admin/qualifications?${query}`, { token: f.admin })
        expect(r.status, query).toBe(400)
        expect(r.body).toMatchObject({ code: "WSEC0001" })
        expect((r.body as Problem).errors.length).toBeGreaterThan(0)
      }
      // another list's cursor is not this list's
      const achievementsCursor = Buffer.from("achievements:1").toString("base64url")
      const foreign = yield* call("GET", `/api/v1/admin/qualifications?cursor=${achievementsCursor}`, { token: f.admin })
      expect(foreign.status).toBe(400)
      expect(foreign.body).toMatchObject({ errors: [{ field: "cursor" }] })
    }))

  it.effect("qualifications: import a register file — every subject added or replaced", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const owner = yield* freshAo
      const [a, b, c] = [freshQan(), freshQan(), freshUnit()]
      yield* putSubject(f.admin, subject(owner, { subjectCode: a, title: "Old title" }))
      const before = yield* countRows("qualifications")
      const csv = [
        QualificationRegister.CSV_COLUMNS.join(","),
        `${a},"Maths, new title",Level 2,GCSE (9 to 1),${owner},Shared,,`,
        `${b},English,Level 3,GCE A Level,${owner},Private,,2016-09-01`,
        `${c.toLowerCase()},Unit one,Level 1,QCF unit,${owner},Restricted,${f.ao.ukprn}; ${f.otherAo.ukprn},`,
        ""
      ].join("\r\n")
      const r = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: csv, contentType: "text/csv" } })
      expect(r.status, r.text).toBe(200)
      expect(r.body).toEqual({ imported: 3, problems: [] })
      expect(yield* countRows("qualifications")).toBe(before + 2)
      const list = yield* call("GET", `/api/v1/admin/qualifications?owner=${owner}`, { token: f.admin })
      const subjects = (list.body as { qualifications: Array<Record<string, unknown>> }).qualifications
      expect(subjects.find((s) => s.subjectCode === a)).toMatchObject({ title: "Maths, new title", availability: { _tag: "Shared" } })
      expect(subjects.find((s) => s.subjectCode === b)).toMatchObject({ availability: { _tag: "Private" }, operationalStartDate: "2016-09-01" })
      expect(subjects.find((s) => s.subjectCode === c)).toMatchObject({ availability: { _tag: "Restricted", allowed: [f.ao.ukprn, f.otherAo.ukprn] } })
    }))

  it.effect("qualifications: any bad line → 422 SVC012 naming every line and column, nothing imported", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const owner = f.ao.ukprn
      const good = freshQan()
      const twice = freshQan()
      const before = yield* countRows("qualifications")
      const csv = [
        QualificationRegister.CSV_COLUMNS.join(","),
        `${good},Good one,Level 2,Type,${owner},Shared,,`,
        `${twice},Twice,Level 2,Type,${owner},Private,,`,
        `${twice},Twice again,Level 2,Type,${owner},Private,,`,
        `${freshQan()},Bad owner,Level 2,Type,1234,Shared,,`,
        `${freshQan()},Bad availability,Level 2,Type,${owner},Open,,`,
        `nonsense,Bad code,Level 2,Type,${owner},Shared,,`,
        `${freshQan()},Bad date,Level 2,Type,${owner},Shared,,2019-02-30`
      ].join("\n")
      const r = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: csv, contentType: "text/csv" } })
      expect(r.status, r.text).toBe(422)
      expect(r.headers["content-type"]).toContain("application/problem+json")
      const problem = r.body as Problem
      expect(problem.code).toBe("SVC012")
      expect(problem.errors.map((e) => e.field)).toEqual([
        "rows[4].SubjectCode",
        "rows[5].OwnerUkprn",
        "rows[6].Availability",
        "rows[7].SubjectCode",
        "rows[8].OperationalStartDate"
      ])
      expect(yield* countRows("qualifications")).toBe(before)

      const heading = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: "code,title\n1,2", contentType: "text/csv" } })
      expect(heading.status).toBe(422)
      expect(heading.body).toMatchObject({ code: "SVC012", errors: [{ field: "rows[1]", message: expect.stringContaining("first line must be") }] })
      const empty = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: "", contentType: "text/csv" } })
      expect(empty.status).toBe(422)
      expect(yield* countRows("qualifications")).toBe(before)
    }))

  it.effect("qualifications: a register file over the body limit → 413, nothing imported", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const before = yield* countRows("qualifications")
      const line = `${freshQan()},${"x".repeat(200)},Level 2,Type,${freshUkprn()},Shared,,`
      const body = [QualificationRegister.CSV_COLUMNS.join(","), ...Array.from({ length: 1500 }, () => line)].join("\n")
      const r = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body, contentType: "text/csv" } })
      expect(r.status).toBe(413)
      expect(r.headers["content-type"]).toContain("application/problem+json")
      expect(r.body).toMatchObject({ code: "SVC005" })
      expect(yield* countRows("qualifications")).toBe(before)
    }))

  it.effect("qualifications: the owner and each allowed UKPRN must be an awarding organisation → 422 SVC015 naming the field, nothing written", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const sql = yield* SqlClient.SqlClient
      const nobody = freshUkprn()
      const before = yield* countRows("qualifications")
      const refused = (body: ReturnType<typeof subject>) =>
        Effect.map(call("PUT", qualificationPath(body.subjectCode), { token: f.admin, body }), (r) => {
          expect(r.status, r.text).toBe(422)
          expect(r.headers["content-type"]).toContain("application/problem+json")
          expect((r.body as Problem).code).toBe("SVC015")
          return (r.body as Problem).errors
        })
      expect(yield* refused(subject(nobody))).toEqual([{ field: "owner", message: `UKPRN ${nobody} is not a registered organisation` }])
      expect(yield* refused(subject(f.lrb.ukprn, { availability: { _tag: "Shared" } }))).toEqual([
        { field: "owner", message: `UKPRN ${f.lrb.ukprn} is not an awarding organisation (its organisation is an LRB only)` }
      ])
      expect(yield* refused(subject(f.ao.ukprn, { availability: { _tag: "Restricted", allowed: [f.otherAo.ukprn, f.lrb.ukprn, nobody] } }))).toEqual([
        { field: "availability.allowed[1]", message: `UKPRN ${f.lrb.ukprn} is not an awarding organisation (its organisation is an LRB only)` },
        { field: "availability.allowed[2]", message: `UKPRN ${nobody} is not a registered organisation` }
      ])
      expect(yield* countRows("qualifications")).toBe(before)

      // a subject on the register is not replaced by a refused one
      const kept = yield* putSubject(f.admin, subject(f.ao.ukprn, { title: "Kept" }))
      yield* refused({ ...kept, title: "Replaced", owner: f.otherLrb.ukprn })
      const rows = yield* sql<{ title: string; ownerUkprn: string }>`SELECT title, owner_ukprn FROM qualifications WHERE subject_code = ${kept.subjectCode}`
      expect(rows).toEqual([{ title: "Kept", ownerUkprn: f.ao.ukprn }])

      // an organisation that is both an LRB and an AO awards
      const both = freshUkprn()
      yield* createOrganisation({ name: `Both ${unique()}`, ukprn: both, kinds: ["LRB", "AO"] })
      yield* putSubject(f.admin, subject(both, { availability: { _tag: "Restricted", allowed: [f.ao.ukprn] } }))
      yield* putSubject(f.admin, subject(f.ao.ukprn, { availability: { _tag: "Restricted", allowed: [both] } }))
    }))

  it.effect("qualifications: an import line naming a UKPRN that is not an awarding organisation → 422 SVC012 on its line and column, nothing imported", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const nobody = freshUkprn()
      const [good, lrbOwner, noOwner, lrbAllowed] = [freshQan(), freshQan(), freshQan(), freshUnit()]
      const before = yield* countRows("qualifications")
      const csv = [
        QualificationRegister.CSV_COLUMNS.join(","),
        `${good},Good one,Level 2,Type,${f.ao.ukprn},Restricted,${f.otherAo.ukprn},`,
        `${lrbOwner},LRB owner,Level 2,Type,${f.lrb.ukprn},Shared,,`,
        `${noOwner},Nobody owns it,Level 2,Type,${nobody},Private,,`,
        `${lrbAllowed},Allowed to an LRB,Level 1,Unit,${f.ao.ukprn},Restricted,${f.otherAo.ukprn};${f.otherLrb.ukprn},`
      ].join("\n")
      const r = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: csv, contentType: "text/csv" } })
      expect(r.status, r.text).toBe(422)
      expect((r.body as Problem).code).toBe("SVC012")
      expect((r.body as Problem).errors).toEqual([
        { field: "rows[3].OwnerUkprn", message: `UKPRN ${f.lrb.ukprn} is not an awarding organisation (its organisation is an LRB only)` },
        { field: "rows[4].OwnerUkprn", message: `UKPRN ${nobody} is not a registered organisation` },
        { field: "rows[5].AllowedUkprns", message: `UKPRN ${f.otherLrb.ukprn} is not an awarding organisation (its organisation is an LRB only)` }
      ])
      // all or nothing: not even the good line
      expect(yield* countRows("qualifications")).toBe(before)
      const sql = yield* SqlClient.SqlClient
      expect(yield* sql`SELECT 1 FROM qualifications WHERE subject_code = ${good}`).toEqual([])
    }))

  it.effect("qualifications: an import line with more fields than the columns → 422 SVC012 naming the line and how many fields, nothing imported", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const before = yield* countRows("qualifications")
      const csv = [
        QualificationRegister.CSV_COLUMNS.join(","),
        `${freshQan()},Good one,Level 2,Type,${f.ao.ukprn},Shared,,`,
        `${freshQan()},Maths, English and more,Level 2,Type,${f.ao.ukprn},Shared,,`,
        `${freshQan()},Extra,Level 2,Type,${f.ao.ukprn},Shared,,,ignored?`
      ].join("\n")
      const r = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: csv, contentType: "text/csv" } })
      expect(r.status, r.text).toBe(422)
      const expected = (n: number) =>
        `the line has ${n} fields; a register line has 8 (${QualificationRegister.CSV_COLUMNS.join(",")}): put a value that holds a comma in double quotes`
      expect(r.body).toMatchObject({
        code: "SVC012",
        errors: [{ field: "rows[3]", message: expected(9) }, { field: "rows[4]", message: expected(9) }]
      })
      expect(yield* countRows("qualifications")).toBe(before)
    }))

  it.effect("qualifications: a put stores title, level and type trimmed, and refuses blank or control characters and a bad Restricted list → 400 naming each field, nothing written", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const sql = yield* SqlClient.SqlClient
      const code = freshQan()
      const trimmed = yield* call("PUT", qualificationPath(code), {
        token: f.admin,
        body: subject(f.ao.ukprn, { subjectCode: code, title: "  Padded title  ", level: " Level 2", qualificationType: "Vocational\t" })
      })
      expect(trimmed.status, trimmed.text).toBe(200)
      expect(trimmed.body).toMatchObject({ title: "Padded title", level: "Level 2", qualificationType: "Vocational" })
      const rows = yield* sql<{ title: string; level: string; qualificationType: string }>`
        SELECT title, level, qualification_type FROM qualifications WHERE subject_code = ${code}`
      expect(rows).toEqual([{ title: "Padded title", level: "Level 2", qualificationType: "Vocational" }])

      const before = yield* countRows("qualifications")
      const refused = (override: Record<string, unknown>) =>
        Effect.map(call("PUT", qualificationPath(code), { token: f.admin, body: { ...subject(f.ao.ukprn, { subjectCode: code }), ...override } }), (r) => {
          expect(r.status, r.text).toBe(400)
          expect((r.body as Problem).code).toBe("WSEC0001")
          return (r.body as Problem).errors
        })
      const control = (at: string) => `must not contain control characters (line breaks, tabs and the like); it has U+${at}`
      for (const blank of ["", "  "]) {
        expect(yield* refused({ level: blank })).toEqual([{ field: "level", message: "must not be blank" }])
        expect(yield* refused({ qualificationType: blank })).toEqual([{ field: "qualificationType", message: "must not be blank" }])
        expect(yield* refused({ title: blank })).toEqual([{ field: "title", message: "must not be blank" }])
      }
      expect(yield* refused({ title: "Bell\u0001", level: "Level\u001b2", qualificationType: "Two\r\nlines" })).toEqual([
        { field: "title", message: control("0001") },
        { field: "level", message: control("001B (escape)") },
        { field: "qualificationType", message: control("000D (carriage return)") }
      ])
      const restricted = (allowed: ReadonlyArray<string>) => refused({ availability: { _tag: "Restricted", allowed } })
      expect(yield* restricted([f.otherAo.ukprn, f.otherAo.ukprn])).toEqual([
        { field: "availability.allowed[1]", message: `UKPRN ${f.otherAo.ukprn} is already in the list: list each awarding organisation once` }
      ])
      const ownerListed = `UKPRN ${f.ao.ukprn} is the owner, who may always award the subject: list only the other awarding organisations`
      expect(yield* restricted([f.otherAo.ukprn, f.ao.ukprn])).toEqual([{ field: "availability.allowed[1]", message: ownerListed }])
      expect(yield* restricted([])).toEqual([{ field: "availability.allowed", message: QualificationRegister.emptyRestrictedMessage }])
      // every fault at once
      expect(yield* refused({ title: "", level: "\n", availability: { _tag: "Restricted", allowed: [f.ao.ukprn, "1"] } })).toEqual([
        { field: "title", message: "must not be blank" },
        { field: "level", message: "must not be blank" },
        { field: "availability.allowed[1]", message: `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1"` },
        { field: "availability.allowed[0]", message: ownerListed }
      ])
      expect(yield* countRows("qualifications")).toBe(before)
      expect(yield* sql`SELECT title, level, qualification_type, allowed_ukprns FROM qualifications WHERE subject_code = ${code}`).toEqual([
        { title: "Padded title", level: "Level 2", qualificationType: "Vocational", allowedUkprns: [] }
      ])
    }))

  it.effect("qualifications: an import tells every fault of a line as rows[<line>].<Column> by the rules of a put; a short line is one error; nothing imported", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const owner = f.ao.ukprn
      const other = f.otherAo.ukprn
      const before = yield* countRows("qualifications")
      const [short, lists, empty, text, lrb] = [freshQan(), freshQan(), freshQan(), freshQan(), freshQan()]
      const csv = [
        QualificationRegister.CSV_COLUMNS.join(","),
        "bad,,L,Q,123,Nope,,2020-13-01",
        "x",
        `${short},Short,Level 2,Type,${owner},Shared,`,
        `${lists},Lists,Level 2,Type,${owner},Restricted,${other};${other}; ${owner} ,`,
        `${empty},Empty list,Level 2,Type,${owner},Restricted,,`,
        `${text},"Bell\u0001 and\r\nbreak",  ,\u001b,${owner},Shared,,`,
        `${lrb},,Level 2,Type,${f.lrb.ukprn},Shared,,`
      ].join("\n")
      const r = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: csv, contentType: "text/csv" } })
      expect(r.status, r.text).toBe(422)
      const heading = QualificationRegister.CSV_COLUMNS.join(",")
      expect(r.body).toMatchObject({ code: "SVC012", detail: "15 problems in the register file; nothing was imported. See errors." })
      expect((r.body as Problem).errors).toEqual([
        { field: "rows[2].SubjectCode", message: expect.stringMatching(/^a subject code is a qualification number .*; got "BAD"$/) },
        { field: "rows[2].Title", message: "must not be blank" },
        { field: "rows[2].OwnerUkprn", message: `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "123"` },
        { field: "rows[2].Availability", message: `Availability must be Private, Shared or Restricted; got "Nope"` },
        { field: "rows[2].OperationalStartDate", message: "there is no month 13" },
        { field: "rows[3]", message: `the line has 1 field; a register line has 8 (${heading}): write every column, an empty value as nothing between its commas` },
        { field: "rows[4]", message: `the line has 7 fields; a register line has 8 (${heading}): write every column, an empty value as nothing between its commas` },
        { field: "rows[5].AllowedUkprns", message: `UKPRN ${other} is already in the list: list each awarding organisation once` },
        { field: "rows[5].AllowedUkprns", message: `UKPRN ${owner} is the owner, who may always award the subject: list only the other awarding organisations` },
        { field: "rows[6].AllowedUkprns", message: QualificationRegister.emptyRestrictedMessage },
        { field: "rows[7].Title", message: "must not contain control characters (line breaks, tabs and the like); it has U+0001" },
        { field: "rows[7].Level", message: "must not be blank" },
        { field: "rows[7].QualificationType", message: "must not contain control characters (line breaks, tabs and the like); it has U+001B (escape)" },
        // an owner that is not an awarding organisation, beside the line's other fault
        { field: "rows[9].Title", message: "must not be blank" },
        { field: "rows[9].OwnerUkprn", message: `UKPRN ${f.lrb.ukprn} is not an awarding organisation (its organisation is an LRB only)` }
      ])
      expect(yield* countRows("qualifications")).toBe(before)
    }))

  it.effect("qualifications: an import line with any k faulty columns has exactly k errors, one in each (sampled)", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const owner = f.ao.ukprn
      const before = yield* countRows("qualifications")
      const columns = QualificationRegister.CSV_COLUMNS
      // one fault for each column, and a good value for it
      const faults: Readonly<Record<string, ReadonlyArray<string>>> = {
        SubjectCode: ["nonsense", "601/2977"],
        Title: ["", "Bell\u0001", "two\nlines", "x".repeat(256)],
        Level: [" ", "L".repeat(51), "tab\there"],
        QualificationType: ["", "\u001b", "T".repeat(101)],
        OwnerUkprn: ["123", "20000000"],
        Availability: ["Nope", "Open"],
        AllowedUkprns: [`${f.otherAo.ukprn};${f.otherAo.ukprn}`, `${f.otherAo.ukprn};1`, `${f.otherAo.ukprn};${owner}`],
        OperationalStartDate: ["2020-13-01", "31/12/2001"]
      }
      const lineArb = fc.tuple(fc.subarray([...columns]), fc.nat())
      const sample = fc.sample(lineArb, { numRuns: 40, seed: 20261130 })
      const lines = sample.map(([faulty, pick]) => {
        const values: Record<string, string> = {
          SubjectCode: freshQan(),
          Title: "Sampled",
          Level: "Level 2",
          QualificationType: "Type",
          OwnerUkprn: owner,
          Availability: "Restricted",
          AllowedUkprns: f.otherAo.ukprn,
          OperationalStartDate: ""
        }
        for (const c of faulty) {
          const choices = faults[c]!.filter((v) => !(c === "AllowedUkprns" && v.endsWith(owner) && faulty.includes("OwnerUkprn")))
          values[c] = choices[pick % choices.length]!
        }
        return { line: Csv.formatRecord(columns.map((c) => values[c]!)), faulty }
      })
      const csv = [columns.join(","), ...lines.map((l) => l.line)].join("\r\n")
      const r = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: csv, contentType: "text/csv" } })
      expect(r.status, r.text).toBe(sample.every(([faulty]) => faulty.length === 0) ? 200 : 422)
      if (r.status === 422) {
        // a quoted line break in a title moves the lines after it down
        let at = 2
        const starts = lines.map((l) => {
          const start = at
          at += 1 + (l.line.match(/\r\n|\r|\n/g)?.length ?? 0)
          return start
        })
        expect((r.body as Problem).errors.map((e) => e.field)).toEqual(lines.flatMap((l, i) => columns.filter((c) => l.faulty.includes(c)).map((c) => `rows[${starts[i]}].${c}`)))
        expect(yield* countRows("qualifications")).toBe(before)
      }
    }))

  it.effect("qualifications: an import line with bad CSV quoting → 422 SVC012 on its line and column saying how to quote, nothing imported", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const before = yield* countRows("qualifications")
      const [good, bare, after, alsoGood, open, swallowed] = [freshQan(), freshQan(), freshQan(), freshQan(), freshQan(), freshQan()]
      const csv = [
        QualificationRegister.CSV_COLUMNS.join(","),
        `${good},Good one,Level 2,Type,${f.ao.ukprn},Shared,,`,
        `${bare},12" ruler,Level 2,Type,${f.ao.ukprn},Shared,,`,
        `${after},Maths,"Level" 2,Type,${f.ao.ukprn},Shared,,`,
        `${alsoGood},Also good,Level 2,Type,${f.ao.ukprn},Shared,,`,
        // never closed: it takes the good line after it too, and is told once
        `${open},"Never closed,Level 2,Type,${f.ao.ukprn},Shared,,`,
        `${swallowed},Swallowed,Level 2,Type,${f.ao.ukprn},Shared,,`
      ].join("\r\n")
      const r = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: csv, contentType: "text/csv" } })
      expect(r.status, r.text).toBe(422)
      expect(r.headers["content-type"]).toContain("application/problem+json")
      const rule = `a value that holds a comma or a quote goes in double quotes, with each quote inside doubled, as in "12"" ruler, boxed"`
      expect(r.body).toMatchObject({
        code: "SVC012",
        detail: "3 problems in the register file; nothing was imported. See errors.",
        errors: [
          { field: "rows[3].Title", message: `Title has a quote inside a value that does not start with one: ${rule}` },
          { field: "rows[4].Level", message: `Level has text after the quote that closes its value: ${rule}` },
          { field: "rows[6].Title", message: `the quoted value in Title that starts on line 6 is never closed, so the rest of the file cannot be read: end it with a quote; ${rule}` }
        ]
      })
      expect((r.body as Problem).errors).toHaveLength(3)
      expect(yield* countRows("qualifications")).toBe(before)
      const sql = yield* SqlClient.SqlClient
      expect(yield* sql`SELECT 1 FROM qualifications WHERE subject_code IN (${good}, ${bare}, ${after}, ${alsoGood}, ${open}, ${swallowed})`).toEqual([])

      // a lone quote on the last line opens a value that holds nothing but the line end: no blank line
      const lone = [QualificationRegister.CSV_COLUMNS.join(","), `${freshQan()},Good one,Level 2,Type,${f.ao.ukprn},Shared,,`, "\"", ""].join("\n")
      const r2 = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: lone, contentType: "text/csv" } })
      expect(r2.status, r2.text).toBe(422)
      const message = `the quoted value in SubjectCode that starts on line 3 is never closed, so the rest of the file cannot be read: end it with a quote; ${rule}`
      expect(r2.body).toMatchObject({ code: "SVC012", detail: `rows[3].SubjectCode: ${message}`, errors: [{ field: "rows[3].SubjectCode", message }] })
      expect(yield* countRows("qualifications")).toBe(before)
    }))

  it.effect("qualifications: a register file that is not UTF-8 → 400 naming the line and byte, nothing imported", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const before = yield* countRows("qualifications")
      const [good, cafe] = [freshQan(), freshQan()]
      // a spreadsheet saved as plain CSV: Latin-1, é as the single byte 0xE9
      const file = latin1([
        QualificationRegister.CSV_COLUMNS.join(","),
        `${good},Maths,Level 2,Type,${f.ao.ukprn},Shared,,`,
        `${cafe},Caf\u00e9 skills,Level 1,Type,${f.ao.ukprn},Shared,,`,
        ""
      ].join("\r\n"))
      const r = yield* importBytes(f.admin, file)
      expect(r.status, JSON.stringify(r.body)).toBe(400)
      const message = `is not UTF-8 text: byte 15 of the line, after "${cafe},Caf", starts bytes that are not UTF-8; save the file as "CSV UTF-8" and send it again`
      expect(r.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "rows[3]", message }] })
      expect(r.body.detail).toContain("nothing was imported")
      expect(yield* countRows("qualifications")).toBe(before)
      const sql = yield* SqlClient.SqlClient
      expect(yield* sql`SELECT 1 FROM qualifications WHERE subject_code IN (${good}, ${cafe})`).toEqual([])

      // the same file in UTF-8 is imported, é and all
      const utf8 = new TextEncoder().encode(new TextDecoder("latin1").decode(file))
      const ok = yield* importBytes(f.admin, utf8)
      expect(ok.status, JSON.stringify(ok.body)).toBe(200)
      const stored = yield* sql<{ title: string }>`SELECT title FROM qualifications WHERE subject_code = ${cafe}`
      expect(stored).toEqual([{ title: "Caf\u00e9 skills" }])

      // U+FFFD itself is the trace of text decoded wrongly before: refused the same way
      const replaced = [QualificationRegister.CSV_COLUMNS.join(","), `${freshQan()},Caf\uFFFD,Level 1,Type,${f.ao.ukprn},Shared,,`].join("\n")
      const r2 = yield* call("POST", "/api/v1/admin/qualifications/import", { token: f.admin, text: { body: replaced, contentType: "text/csv" } })
      expect(r2.status).toBe(400)
      expect(r2.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "rows[2]" }] })
      expect(yield* countRows("qualifications")).toBe(before + 2)
    }))

  it.effect("organisations: one the register names stays an AO (422 SVC015 naming the subjects) and keeps its UKPRN (409 SVC013)", () =>
    Effect.gen(function*() {
      const f = yield* setup
      const sql = yield* SqlClient.SqlClient
      const ukprn = freshUkprn()
      const id = yield* createOrganisation({ name: `Owner ${unique()}`, ukprn, kinds: ["LRB", "AO"] })
      const owned: Array<string> = []
      for (let i = 0; i < 6; i++) owned.push((yield* putSubject(f.admin, subject(ukprn))).subjectCode)
      const allowedOn = yield* putSubject(f.admin, subject(f.ao.ukprn, { availability: { _tag: "Restricted", allowed: [ukprn] } }))
      const named = [...owned, allowedOn.subjectCode].sort()
      const state = () =>
        Effect.map(sql<{ ukprn: string | null; kinds: Array<string> }>`SELECT ukprn, kinds FROM organisations WHERE id = ${id}::uuid`, (rows) => rows[0]).pipe(Effect.orDie)

      const lrbOnly = yield* call("PUT", `/api/v1/admin/organisations/${id}`, { token: f.admin, body: { name: "Owner", ukprn, kinds: ["LRB"] } })
      expect(lrbOnly.status, lrbOnly.text).toBe(422)
      const problem = lrbOnly.body as Problem & { detail: string }
      expect(problem.code).toBe("SVC015")
      expect(problem.errors.map((e) => e.field)).toEqual(["kinds"])
      expect(problem.detail).toContain(`7 subjects (${named.slice(0, 5).join(", ")} and 2 more)`)
      expect(yield* state()).toEqual({ ukprn, kinds: ["LRB", "AO"] })

      // its UKPRN cannot change or go while subjects carry it
      for (const body of [{ name: "Owner", ukprn: freshUkprn(), kinds: ["LRB", "AO"] }, { name: "Owner", kinds: ["LRB", "AO"] }]) {
        const moved = yield* call("PUT", `/api/v1/admin/organisations/${id}`, { token: f.admin, body })
        expect(moved.status, moved.text).toBe(409)
        expect(moved.body).toMatchObject({ code: "SVC013", errors: [{ field: "ukprn" }], detail: expect.stringContaining("7 subjects") })
        expect(yield* state()).toEqual({ ukprn, kinds: ["LRB", "AO"] })
      }

      // staying an AO is fine; once no subject names it, it may stop being one
      expect((yield* call("PUT", `/api/v1/admin/organisations/${id}`, { token: f.admin, body: { name: "Owner", ukprn, kinds: ["AO"] } })).status).toBe(200)
      for (const code of owned) yield* putSubject(f.admin, subject(f.ao.ukprn, { subjectCode: code }))
      const onlyAllowed = yield* call("PUT", `/api/v1/admin/organisations/${id}`, { token: f.admin, body: { name: "Owner", ukprn, kinds: ["LRB"] } })
      expect(onlyAllowed.status).toBe(422)
      expect(onlyAllowed.body).toMatchObject({ code: "SVC015", detail: expect.stringContaining(`1 subject (${allowedOn.subjectCode})`) })
      yield* putSubject(f.admin, { ...allowedOn, availability: { _tag: "Shared" } })
      const dropped = yield* call("PUT", `/api/v1/admin/organisations/${id}`, { token: f.admin, body: { name: "Owner", ukprn, kinds: ["LRB"] } })
      expect(dropped.status, dropped.text).toBe(200)
      expect(yield* state()).toEqual({ ukprn, kinds: ["LRB"] })
    }))
}, { config: testConfig([["LRS_MAX_FILE_BYTES", "262144"]]) })
