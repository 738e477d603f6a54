import { expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import { call, clockFrom, describeHttp, fixture as makeFixture } from "./http.js"
import { insertLearner, person, putSubject, subject } from "./records.js"

type Cast = Effect.Effect.Success<typeof makeFixture>

// 00:30 BST on 1 July 2026 in the UK, still 30 June in UTC
const halfPastMidnightBst = Date.parse("2026-06-30T23:30:00Z")

describeHttp("Today is the UK's date (00:30 BST, 23:30 UTC the day before)", (it) => {
  let cast: Cast | undefined
  const fixture = Effect.suspend(() => cast !== undefined ? Effect.succeed(cast) : Effect.tap(makeFixture, (f) => { cast = f }))

  it.effect("a learner who is 13 today in the UK is registered (201), one who is 13 tomorrow is not (422 WSRC0015)", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const thirteenToday = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ dateOfBirth: "2013-07-01" }) })
      expect(thirteenToday.status, thirteenToday.text).toBe(201)
      const tomorrow = yield* call("POST", "/api/v1/learners", { token: f.lrb.tokens.OnlineUser, body: person({ dateOfBirth: "2013-07-02" }) })
      expect(tomorrow.status).toBe(422)
      expect(tomorrow.body).toMatchObject({ code: "WSRC0015", errors: [{ field: "dateOfBirth", message: expect.stringContaining("under 13") }] })
    }))

  it.effect("an award dated today in the UK is created (201 ACH001); one dated tomorrow is in the future (422 ACH021, today 2026-07-01)", () =>
    Effect.gen(function*() {
      const f = yield* fixture
      const own = yield* putSubject(f.admin, subject(f.ao.ukprn))
      const learner = yield* insertLearner()
      const body = (awardDate: string) => ({
        uln: learner.uln,
        givenName: learner.givenName,
        familyName: learner.familyName,
        subjectCode: own.subjectCode,
        awardDate,
        grade: "Pass",
        status: "Final"
      })
      const today = yield* call("POST", "/api/v1/achievements", { token: f.ao.tokens.AwardingBodyUser, body: body("2026-07-01") })
      expect(today.status, today.text).toBe(201)
      expect(today.body).toMatchObject({ responseCode: "ACH001", achievement: { awardDate: "2026-07-01" } })
      const tomorrow = yield* call("POST", "/api/v1/achievements", { token: f.ao.tokens.AwardingBodyUser, body: body("2026-07-02") })
      expect(tomorrow.status).toBe(422)
      expect(tomorrow.body).toMatchObject({ code: "ACH021", detail: expect.stringContaining("today is 2026-07-01") })
    }))
}, { clock: clockFrom(halfPastMidnightBst) })
