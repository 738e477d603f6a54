import { describe, expect, it } from "@effect/vitest"
import { Effect, TestClock } from "effect"
import * as fc from "fast-check"
import { ServiceDate } from "../src/index.js"

const at = (iso: string) => ServiceDate.dateAt(Date.parse(iso))
const utcDate = (millis: number) => new Date(millis).toISOString().slice(0, 10)
const HOUR = 3_600_000

describe("ServiceDate.dateAt: the date in Europe/London", () => {
  it("is the UTC date in winter (GMT), midnight to midnight", () => {
    expect(at("2026-01-15T00:00:00Z")).toBe("2026-01-15")
    expect(at("2026-01-15T23:59:59.999Z")).toBe("2026-01-15")
    expect(at("2025-12-31T23:30:00Z")).toBe("2025-12-31")
    expect(at("2026-03-29T00:30:00Z")).toBe("2026-03-29")
  })
  it("runs an hour ahead of UTC in summer (BST): 23:00Z is already the next day", () => {
    expect(at("2026-06-30T22:59:59.999Z")).toBe("2026-06-30")
    expect(at("2026-06-30T23:00:00Z")).toBe("2026-07-01")
    expect(at("2026-06-30T23:30:00Z")).toBe("2026-07-01")
    expect(at("2026-12-31T23:30:00Z")).toBe("2026-12-31")
  })
  it("follows the clock changes: BST from 01:00Z on the last Sunday of March to 01:00Z on the last Sunday of October", () => {
    // 2026-03-29 01:00Z: clocks go forward; the evening before is still GMT
    expect(at("2026-03-28T23:30:00Z")).toBe("2026-03-28")
    expect(at("2026-03-29T23:30:00Z")).toBe("2026-03-30")
    // 2026-10-25 01:00Z: clocks go back; 00:30Z is 01:30 BST that day
    expect(at("2026-10-24T23:30:00Z")).toBe("2026-10-25")
    expect(at("2026-10-25T00:30:00Z")).toBe("2026-10-25")
    expect(at("2026-10-25T23:30:00Z")).toBe("2026-10-25")
  })
  it("is the UTC date or the next one (never more than an hour ahead), and never goes back as time goes on", () => {
    const instants = fc.integer({ min: Date.parse("1990-01-01T00:00:00Z"), max: Date.parse("2100-01-01T00:00:00Z") })
    fc.assert(fc.property(instants, fc.integer({ min: 0, max: 48 * HOUR }), (millis, later) => {
      const date = ServiceDate.dateAt(millis)
      expect([utcDate(millis), utcDate(millis + HOUR)]).toContain(date)
      expect(ServiceDate.dateAt(millis + later) >= date).toBe(true)
    }))
  })
  it("is the UTC date in December and January, when the UK keeps GMT", () => {
    const winter = fc.record({ year: fc.integer({ min: 1990, max: 2099 }), day: fc.integer({ min: 0, max: 61 }), ms: fc.integer({ min: 0, max: 24 * HOUR - 1 }) })
    fc.assert(fc.property(winter, ({ day, ms, year }) => {
      const millis = Date.UTC(year, 11, 1) + day * 24 * HOUR + ms
      expect(ServiceDate.dateAt(millis)).toBe(utcDate(millis))
    }))
  })
})

describe("ServiceDate.today", () => {
  it.effect("reads the Clock", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.parse("2026-06-30T23:30:00Z"))
      expect(yield* ServiceDate.today).toBe("2026-07-01")
      yield* TestClock.setTime(Date.parse("2026-10-25T00:30:00Z"))
      expect(yield* ServiceDate.today).toBe("2026-10-25")
    }))
})
