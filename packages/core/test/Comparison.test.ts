import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { Comparison, Normalise } from "../src/index.js"

describe("Normalise.name", () => {
  it.each([
    ["  mary   ann ", "MARY ANN"],
    ["O'Brien", "OBRIEN"],
    ["O’Neill", "ONEILL"],
    ["Smith-Jones", "SMITH JONES"],
    ["Smith – Jones", "SMITH JONES"],
    ["Zoë", "ZOE"],
    ["Chloé", "CHLOE"],
    ["Siân", "SIAN"],
    ["Ångström", "ANGSTROM"],
    ["Łukasz", "LUKASZ"],
    ["Søren", "SOREN"],
    ["Strauß", "STRAUSS"],
    ["St. John", "ST JOHN"],
    ["ÆSIR", "AESIR"],
    ["de la Cruz", "DE LA CRUZ"],
    ["'-'", ""]
  ])("%j → %j", (input, expected) => {
    expect(Normalise.name(input)).toBe(expected)
  })
  it("the key drops spaces so spacing and hyphenation never matter", () => {
    expect(Normalise.nameKey("Mc Donald")).toBe(Normalise.nameKey("MCDONALD"))
    expect(Normalise.nameKey("Smith-Jones")).toBe("SMITHJONES")
    expect(Normalise.nameTokens("Smith-Jones")).toEqual(["SMITH", "JONES"])
    expect(Normalise.nameTokens(" - ")).toEqual([])
  })
  it("is idempotent and yields only letters and digits (of any script, with their marks) and single inner spaces (property)", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 40 }), (s) => {
      const n = Normalise.name(s)
      expect(Normalise.name(n)).toBe(n)
      expect(n).toMatch(/^(?:[\p{L}\p{N}\p{M}]+(?: [\p{L}\p{N}\p{M}]+)*)?$/u)
    }))
  })
  it("yields only A–Z, 0–9 and single inner spaces for ASCII (property)", () => {
    fc.assert(fc.property(fc.string({ unit: "binary-ascii", maxLength: 40 }), (s) => {
      expect(Normalise.name(s)).toMatch(/^(?:[A-Z0-9]+(?: [A-Z0-9]+)*)?$/)
    }))
  })
  it("ignores case, accents and surrounding space (property)", () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z]{1,12}$/), (s) => {
      expect(Normalise.nameKey(`  ${s.toUpperCase()} `)).toBe(Normalise.nameKey(s))
      expect(Normalise.nameKey(s.replace(/e/g, "é"))).toBe(Normalise.nameKey(s))
    }))
  })
  it("postcode keys ignore case and spaces", () => {
    expect(Normalise.postcodeKey("cv4 9ee")).toBe("CV49EE")
    expect(Normalise.postcodeKey("CV49EE")).toBe("CV49EE")
  })
})

describe("Jaro-Winkler — textbook vectors", () => {
  it.each([
    ["MARTHA", "MARHTA", 0.9611],
    ["DWAYNE", "DUANE", 0.84],
    ["DIXON", "DICKSONX", 0.8133],
    ["JONES", "JOHNSON", 0.8324],
    ["ABC", "XYZ", 0],
    ["SAME", "SAME", 1]
  ])("%s / %s = %d", (a, b, expected) => {
    expect(Comparison.jaroWinkler(a, b)).toBeCloseTo(expected, 4)
  })
  it("is symmetric, within [0, 1], and 1 only for equal strings (property)", () => {
    const name = fc.stringMatching(/^[A-Z]{1,12}$/)
    fc.assert(fc.property(name, name, (a, b) => {
      const s = Comparison.jaroWinkler(a, b)
      expect(Comparison.jaroWinkler(b, a)).toBeCloseTo(s, 12)
      expect(s).toBeGreaterThanOrEqual(0)
      expect(s).toBeLessThanOrEqual(1)
      if (a !== b) expect(s).toBeLessThan(1)
    }))
  })
})

describe("Double Metaphone — textbook vectors", () => {
  it.each([
    ["Smith", ["SM0", "XMT"]],
    ["Schmidt", ["XMT", "SMT"]],
    ["Smythe", ["SM0", "XMT"]],
    ["Jones", ["JNS", "ANS"]],
    ["Knight", ["NT", "NT"]],
    ["Wright", ["RT", "RT"]],
    ["Phillips", ["FLPS", "FLPS"]],
    ["Xavier", ["SF", "SFR"]],
    ["Catherine", ["K0RN", "KTRN"]],
    ["Katherine", ["K0RN", "KTRN"]]
  ])("%s → %j", (input, codes) => {
    expect(Comparison.phoneticCodes(input)).toEqual(codes)
  })
  it("Thompson → TMPS… (PostgreSQL's dmetaphone cuts codes at four characters; ours are whole)", () => {
    expect(Comparison.phoneticCodes("Thompson")[0].slice(0, 4)).toBe("TMPS")
  })
})

describe("Comparison levels", () => {
  it.each([
    ["Jonathan", "jonathan", "Exact"],
    ["O'Brien", "OBRIEN", "Exact"],
    ["Smith-Jones", "Smith Jones", "Exact"],
    ["Jonathan", "Jonathon", "VerySimilar"],
    ["Martha", "Marhta", "VerySimilar"],
    ["Smith", "Smyth", "Similar"],
    ["Robert", "Bob", "Nickname"],
    ["Elizabeth", "Liz", "Nickname"],
    ["Schmidt", "Smith", "Phonetic"],
    ["Dwayne", "Duane", "Phonetic"],
    ["Harris", "Harrison", "VerySimilar"],
    ["Amy", "Anya", "Weak"],
    ["Jack", "Olivia", "Different"],
    ["-", "-", "Different"]
  ])("names %s / %s: %s", (a, b, level) => {
    expect(Comparison.compareNames(a, b)).toBe(level)
  })
  it.each([
    ["2004-03-07", "2004-03-07", "Exact"],
    ["2004-03-07", "2004-07-03", "DayMonthSwap"],
    ["2004-03-07", "2004-03-08", "OneCharacter"],
    ["2004-03-07", "2005-03-07", "OneCharacter"],
    ["2004-12-21", "2004-12-12", "OneCharacter"],
    ["2004-03-17", "2004-03-71", "OneCharacter"],
    ["2004-03-07", "2004-01-01", "Placeholder"],
    ["2004-01-01", "2004-11-30", "Placeholder"],
    ["2004-03-07", "2005-01-01", "Different"],
    ["2004-03-07", "2006-05-09", "Different"]
  ])("dates %s / %s: %s", (a, b, level) => {
    expect(Comparison.compareDatesOfBirth(a, b)).toBe(level)
  })
  it("a day↔month swap is a level of its own (four character edits apart), whichever date is given first (property)", () => {
    fc.assert(fc.property(fc.integer({ min: 1990, max: 2010 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 12 }), (y, m, d) => {
      fc.pre(m !== d)
      const p = (n: number) => String(n).padStart(2, "0")
      expect(Comparison.compareDatesOfBirth(`${y}-${p(m)}-${p(d)}`, `${y}-${p(d)}-${p(m)}`)).toBe("DayMonthSwap")
    }))
  })
  it.each([
    ["SW1A 2AA", "sw1a2aa", "Full"],
    ["SW1A 2AA", "SW1A 2BB", "Sector"],
    ["SW1A 2AA", "SW1A 1AA", "District"],
    ["SW1A 2AA", "SW1P 3BU", "District"],
    ["SW1A 2AA", "SW19 5AE", "Area"],
    ["SW1A 2AA", "M1 1AE", "Different"],
    ["nonsense", "nonsense", "Full"],
    ["nonsense", "SW1A 2AA", "Different"]
  ])("postcodes %s / %s: %s", (a, b, level) => {
    expect(Comparison.comparePostcodes(a, b)).toBe(level)
  })
  it.each([
    [1, 1, "Equal"], [2, 2, "Equal"], [1, 2, "Different"], [0, 1, "Unknown"], [2, 9, "Unknown"], [0, 0, "Unknown"]
  ])("genders %d / %d: %s", (a, b, level) => {
    expect(Comparison.compareGenders(a, b)).toBe(level)
  })
  it("name comparison is symmetric (property)", () => {
    const name = fc.constantFrom("Smith", "Smyth", "Schmidt", "Robert", "Bob", "Robbie", "Jon", "John", "Jonathan", "Katie", "Kate", "Catherine", "Zoë", "Zoe", "O'Brien", "Obrien")
    fc.assert(fc.property(name, name, (a, b) => {
      expect(Comparison.compareNames(a, b)).toBe(Comparison.compareNames(b, a))
    }))
  })
})
