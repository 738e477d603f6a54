import { describe, expect, it } from "@effect/vitest"
import { Either, ParseResult, Schema } from "effect"
import * as fc from "fast-check"
import { Uln } from "../src/index.js"

const weightedRemainder = (first9: string) => {
  let s = 0
  for (let i = 0; i < 9; i++) s += (10 - i) * Number(first9[i])
  return s % 11
}

describe("Uln.validate — DOMAIN §1.5 vectors", () => {
  const valid = ["1000000043", "1748529632", "9276308686", "1026893096", "6936002314", "4444599390", "1964986809", "8383558804", "1174112637", "1026922983", "1000000000"]
  it.each(valid)("%s is valid", (uln) => {
    expect(Uln.validate(uln)).toEqual({ valid: true })
    expect(Uln.explain(uln)).toBeUndefined()
  })
  it.each([
    ["1000000063", "RemainderZero"],
    ["1000000042", "WrongCheckDigit"],
    ["1748529631", "WrongCheckDigit"],
    ["1748529633", "WrongCheckDigit"],
    ["1234567890", "WrongCheckDigit"],
    ["9999999999", "NotKnown"],
    ["123456789", "Format"],
    ["12345678901", "Format"],
    ["0", "Format"],
    ["1", "Format"],
    ["", "Format"],
    ["ABC4567890", "Format"],
    ["-174852963", "Format"],
    ["17485 9632", "Format"],
    ["0123456789", "LeadingZero"],
    ["0000000000", "LeadingZero"]
  ] as const)("%s is invalid: %s", (uln, reason) => {
    expect(Uln.validate(uln)).toEqual({ valid: false, reason })
  })
  it("explains the wrong check digit with the expected one", () => {
    expect(Uln.explain("1000000042")).toContain("must be 3")
    expect(Uln.explain("9999999999")).toContain("not known")
  })
})

describe("Uln.checkDigit", () => {
  it("matches the vectors", () => {
    expect(Uln.checkDigit("100000004")).toBe(3)
    expect(Uln.checkDigit("927630868")).toBe(6)
    expect(Uln.checkDigit("100000000")).toBe(0)
    expect(Uln.checkDigit("100000006")).toBeUndefined()
    expect(Uln.checkDigit("12345678")).toBeUndefined()
    expect(Uln.checkDigit("12345678a")).toBeUndefined()
  })

  const prefix = fc.tuple(fc.integer({ min: 1, max: 9 }), fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 }))
    .map(([first, rest]) => `${first}${rest.join("")}`)

  it("of every 9-digit prefix exactly one or zero check digits is valid, zero exactly when the weighted remainder is 0", () => {
    fc.assert(fc.property(prefix, (p) => {
      const validDigits = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((d) => Uln.isValid(`${p}${d}`))
      const r = weightedRemainder(p)
      if (r === 0) {
        expect(validDigits).toEqual([])
        expect(Uln.checkDigit(p)).toBeUndefined()
        for (let d = 0; d <= 9; d++) {
          if (`${p}${d}` !== Uln.NOT_KNOWN) expect(Uln.validate(`${p}${d}`)).toEqual({ valid: false, reason: "RemainderZero" })
        }
      } else {
        expect(validDigits).toEqual([10 - r])
        expect(Uln.checkDigit(p)).toBe(10 - r)
      }
    }), { numRuns: 5000 })
  })

  it("agrees with formulation A (check digit) for any ten digits", () => {
    fc.assert(fc.property(fc.stringMatching(/^[1-9][0-9]{9}$/), (s) => {
      const d = Uln.checkDigit(s.slice(0, 9))
      expect(Uln.isValid(s)).toBe(d !== undefined && d === Number(s[9]))
    }), { numRuns: 5000 })
  })

  it("never accepts anything that is not 10 digits", () => {
    fc.assert(fc.property(fc.string(), (s) => {
      if (!/^[0-9]{10}$/.test(s)) expect(Uln.isValid(s)).toBe(false)
    }))
  })
})

describe("Uln.generate", () => {
  it("only yields valid ULNs", () => {
    fc.assert(fc.property(fc.oneof(fc.integer(), fc.string()), (seed) => {
      const next = Uln.generator({ seed })
      for (let i = 0; i < 20; i++) expect(Uln.isValid(next())).toBe(true)
    }), { numRuns: 200 })
    const random = Uln.generator()
    for (let i = 0; i < 1000; i++) expect(Uln.isValid(random())).toBe(true)
  })
  it("is reproducible with a seed and varies without one", () => {
    const a = Uln.generator({ seed: 42 }), b = Uln.generator({ seed: 42 })
    const xs = Array.from({ length: 50 }, a)
    expect(Array.from({ length: 50 }, b)).toEqual(xs)
    expect(new Set(xs).size).toBe(50)
    expect(Uln.generate()).not.toBe(Uln.generate())
  })
  it("is not sequential: consecutive ULNs are spread across the whole range", () => {
    const next = Uln.generator({ seed: "spread" })
    const firstDigits = new Set(Array.from({ length: 200 }, () => next()[0]))
    expect(firstDigits.size).toBe(9)
  })
})

describe("Uln schema", () => {
  const decode = Schema.decodeUnknownEither(Uln.Uln)
  it("accepts a valid ULN and rejects others with a readable message", () => {
    expect(decode("9276308686")).toEqual(Either.right("9276308686"))
    const bad = decode("1000000042")
    expect(Either.isLeft(bad) && ParseResult.TreeFormatter.formatErrorSync(bad.left)).toContain("check digit is wrong")
    const sentinel = decode("9999999999")
    expect(Either.isLeft(sentinel) && ParseResult.TreeFormatter.formatErrorSync(sentinel.left)).toContain("not known")
    expect(Either.isLeft(decode(1000000043))).toBe(true)
  })
  it("UlnNotKnown is its own value and UlnOrNotKnown takes both", () => {
    expect(Schema.is(Uln.UlnNotKnown)("9999999999")).toBe(true)
    expect(Schema.is(Uln.UlnOrNotKnown)("9999999999")).toBe(true)
    expect(Schema.is(Uln.UlnOrNotKnown)("1000000043")).toBe(true)
    expect(Schema.is(Uln.UlnOrNotKnown)("1000000042")).toBe(false)
  })
})
