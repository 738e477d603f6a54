import { describe, expect, it } from "@effect/vitest"
import { LearnerRecordsApi } from "@learner-records/api"
import { Duration } from "effect"
import { classify, policies } from "../src/internal/policy.js"
import { parseRetryAfter } from "../src/internal/transport.js"

describe("Retry-After", () => {
  const now = Date.parse("2026-03-01T12:00:00Z")

  it("reads delta-seconds", () => {
    expect(parseRetryAfter("0", now)).toEqual(Duration.seconds(0))
    expect(parseRetryAfter(" 120 ", now)).toEqual(Duration.seconds(120))
  })

  it("reads an HTTP date, and a date in the past as no wait", () => {
    expect(parseRetryAfter("Sun, 01 Mar 2026 12:00:05 GMT", now)).toEqual(Duration.millis(5000))
    expect(parseRetryAfter("Sun, 01 Mar 2026 11:00:00 GMT", now)).toEqual(Duration.millis(0))
  })

  it("ignores what it cannot read", () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined()
    expect(parseRetryAfter("soon", now)).toBeUndefined()
    expect(parseRetryAfter("-1", now)).toBeUndefined()
  })
})

describe("policy", () => {
  it("repeats idempotent methods and read POSTs; keys the POSTs that change something", () => {
    expect(classify("GET", "list")).toEqual({ repeatable: true, idempotencyKey: false })
    expect(classify("PUT", "update")).toEqual({ repeatable: true, idempotencyKey: false })
    expect(classify("DELETE", "remove")).toEqual({ repeatable: true, idempotencyKey: false })
    for (const read of ["findByUln", "findByDemographics", "verify", "get", "validate", "search", "listMine"]) {
      expect(classify("POST", read), read).toEqual({ repeatable: true, idempotencyKey: false })
    }
    for (const write of ["register", "create", "withdraw", "reinstate", "resolve", "login", "getaway", "findings", "verifyAll"]) {
      const expected = write === "verifyAll" ? { repeatable: true, idempotencyKey: false } : { repeatable: false, idempotencyKey: true }
      expect(classify("POST", write), write).toEqual(expected)
    }
    expect(classify("PATCH", "change")).toEqual({ repeatable: false, idempotencyKey: false })
  })

  it("is derived for every operation of the api", () => {
    const all = policies(LearnerRecordsApi.LearnerRecordsApi)
    const at = (operation: string) => all.find((p) => p.operation === operation)
    expect(at("learners.findByUln")).toMatchObject({ method: "POST", repeatable: true, idempotencyKey: false, parts: ["payload"] })
    expect(at("learners.verify")).toMatchObject({ repeatable: true, idempotencyKey: false })
    expect(at("learners.register")).toMatchObject({ repeatable: false, idempotencyKey: true })
    expect(at("learners.update")).toMatchObject({ method: "PUT", repeatable: true, parts: ["path", "payload"] })
    expect(at("users.create")).toMatchObject({ idempotencyKey: true })
    expect(at("session.me")).toMatchObject({ method: "GET", parts: [] })
    expect(new Set(all.map((p) => p.operation)).size).toBe(all.length)
  })
})
