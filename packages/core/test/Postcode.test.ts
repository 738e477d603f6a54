import { describe, expect, it } from "@effect/vitest"
import { Either, Option, Schema } from "effect"
import * as fc from "fast-check"
import { BatchRow, Blocking, Comparison, Matching, Postcode } from "../src/index.js"

const decode = Schema.decodeUnknownEither(Postcode.Postcode)
const stored = (input: string): string => Either.getOrThrow(decode(input))
const partsOf = (input: string) => Option.getOrThrow(Postcode.parse(input))

// The rule, written out independently of explain's step-by-step checks: BS 7666's outward shapes
// with the Royal Mail's letters, an inward code without C, I, K, M, O, V; BFPO; and the exceptions.
const GRAMMAR =
  /^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]) [0-9][ABD-HJLNP-UW-Z]{2}$/
const SINGLES = ["ASCN 1ZZ", "BBND 1ZZ", "BIQQ 1ZZ", "FIQQ 1ZZ", "GX11 1AA", "PCRN 1ZZ", "SIQQ 1ZZ", "STHL 1ZZ", "TDCU 1ZZ", "TKCA 1ZZ", "GIR 0AA"]
const accepted = (normalised: string): boolean =>
  GRAMMAR.test(normalised) || /^ZZ99 [0-9][A-Z]{2}$/.test(normalised) || SINGLES.includes(normalised) || /^BFPO [0-9]{1,4}$/.test(normalised)

const SHAPE_MESSAGE = "expected one or two letters, a digit, then an optional digit or letter"

// any case and spacing of a compact postcode
const entered = (compact: string) =>
  fc.tuple(fc.boolean(), fc.integer({ min: 0, max: compact.length })).map(([lower, at]) => {
    const s = at === 0 ? compact : `${compact.slice(0, at)} ${compact.slice(at)}`
    return lower ? s.toLowerCase() : s
  })
const letter = fc.constantFrom(..."ABCDEFGHIJKLMNOPQRSTUVWXYZ")
const digit = fc.constantFrom(..."0123456789")
const pseudo = fc.tuple(digit, letter, letter).map((cs) => `ZZ99${cs.join("")}`).chain(entered)
// the BS 7666 outward shapes (A9, A99, AA9, AA99, A9A, AA9A) with any letters, and any inward code
const shaped = fc.tuple(
  fc.constantFrom("A9", "A99", "AA9", "AA99", "A9A", "AA9A"),
  fc.array(letter, { minLength: 4, maxLength: 4 }),
  fc.array(digit, { minLength: 3, maxLength: 3 }),
  fc.tuple(letter, letter)
).map(([shape, ls, ds, [x, y]]) => {
  let l = 0
  let d = 0
  const outward = [...shape].map((c) => c === "A" ? ls[l++]! : ds[d++]!).join("")
  return `${outward}${ds[2]!}${x}${y}`
})
// anything of letters, digits and spaces up to 9 characters
const noise = fc.array(fc.constantFrom(..."ABCFGIJKMOQSVXZ019 "), { minLength: 1, maxLength: 9 }).map((cs) => cs.join(""))

describe("Postcode: what the service accepts", () => {
  it.each([
    // ZZ99 pseudo-postcodes: the ILR's postcode-not-known, and the ZZ99 family of ILR/NHS data
    ["ZZ99 9ZZ", "ZZ99 9ZZ"], ["zz999zz", "ZZ99 9ZZ"], ["ZZ99 3VZ", "ZZ99 3VZ"], ["ZZ99 3WZ", "ZZ99 3WZ"], ["zz99 3cz", "ZZ99 3CZ"],
    // the overseas territories' postcodes, Gibraltar's, and GIR 0AA
    ["ASCN 1ZZ", "ASCN 1ZZ"], ["STHL1ZZ", "STHL 1ZZ"], ["tdcu 1zz", "TDCU 1ZZ"], ["BBND 1ZZ", "BBND 1ZZ"], ["BIQQ 1ZZ", "BIQQ 1ZZ"],
    ["FIQQ 1ZZ", "FIQQ 1ZZ"], ["GX11 1AA", "GX11 1AA"], ["PCRN 1ZZ", "PCRN 1ZZ"], ["SIQQ 1ZZ", "SIQQ 1ZZ"], ["TKCA 1ZZ", "TKCA 1ZZ"],
    ["gir0aa", "GIR 0AA"],
    // BFPO and ordinary postcodes, as before
    ["BFPO 105", "BFPO 105"], ["sw1a2aa", "SW1A 2AA"]
  ])("%s is accepted and stored as %s", (input, normalised) => {
    expect(Postcode.explain(input)).toBeUndefined()
    expect(stored(input)).toBe(normalised)
  })

  it("every single postcode in Postcode.special is accepted, and so is every ZZ99 pseudo-postcode (property)", () => {
    for (const p of Postcode.special.single.keys()) expect(Postcode.explain(p), p).toBeUndefined()
    expect([...Postcode.special.single.keys()].sort()).toEqual([...SINGLES].sort())
    fc.assert(fc.property(pseudo, (s) => {
      expect(Postcode.explain(s)).toBeUndefined()
      expect(partsOf(s).kind).toBe("pseudo")
    }))
  })

  it("accepts exactly the grammar, the ZZ99 pseudo-postcodes, the single postcodes and BFPO numbers (property)", () => {
    const input = fc.oneof(shaped.chain(entered), pseudo, noise, fc.constantFrom(...SINGLES, "ASCN 2ZZ", "GIR 1AA", "ZZ98 9ZZ", "BFPO 12"))
    fc.assert(fc.property(input, (s) => {
      const normalised = Postcode.normalise(s.trim())
      expect(Postcode.isValid(s), `${s} (${normalised}): ${Postcode.explain(s)}`).toBe(accepted(normalised))
    }), { numRuns: 5000 })
  })

  it("an accepted postcode is stored in a form that is accepted again and stored the same (property)", () => {
    fc.assert(fc.property(fc.oneof(shaped.chain(entered), pseudo), (s) => {
      fc.pre(Postcode.isValid(s))
      const once = stored(s)
      expect(once).toMatch(/^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/)
      expect(stored(once)).toBe(once)
      expect(partsOf(once).normalised).toBe(once)
    }))
  })

  it("accepts them in batch files too (the same rule), and names the rule there when refused", () => {
    const row = (postcode: string) => {
      const values: Record<string, string> = { GivenName: "Ada", FamilyName: "Lovelace", LastKnownPostCode: postcode, DateOfBirth: "2007-12-10", Gender: "2", AbilityToShare: "1", VerificationType: "2" }
      return BatchRow.validateRegistration(BatchRow.columns.registration.map((c) => values[c] ?? ""), { row: 1 })
    }
    expect(row("zz99 9zz")).toMatchObject({ value: { lastKnownPostCode: "ZZ99 9ZZ" }, problems: [] })
    expect(row("FIQQ 1ZZ")).toMatchObject({ value: { lastKnownPostCode: "FIQQ 1ZZ" }, problems: [] })
    expect(row("ZZ98 9ZZ").problems).toMatchObject([{ code: "InvalidPostcode", message: expect.stringContaining("second letter is never I, J or Z") }])
  })
})

describe("Postcode: a refusal names the rule that failed", () => {
  it.each([
    ["", "a postcode is required"],
    ["SW1A 2AAXX", "at most 9 characters"],
    ["SW1A-2AA", "only letters, digits and one space"],
    ["SW1", "5 to 7 letters and digits"],
    ["SW1A AAA", "the inward code \"AAA\" must be a digit followed by two letters"],
    ["SW1A 2CA", "the inward code \"2CA\" has C, a letter UK postcodes never use in the inward code (C, I, K, M, O, V)"],
    ["M1 1VA", "the inward code \"1VA\" has V"],
    ["1A1 1AA", SHAPE_MESSAGE],
    ["ABC1 1AA", SHAPE_MESSAGE],
    ["QW1 2AA", "\"QW1\" is not a UK outward code: no postcode area starts with Q (never Q, V or X)"],
    ["X1 1AA", "no postcode area starts with X"],
    ["AZ1 1AA", "\"AZ1\" is not a UK outward code: a postcode area's second letter is never I, J or Z"],
    ["BI1 1AA", "second letter is never I, J or Z"],
    ["ZZ98 9ZZ", "ZZ is only taken as the pseudo-postcode outward code ZZ99"],
    ["W1I 1AA", "the letter after \"W1\" is one of A, B, C, D, E, F, G, H, J, K, P, S, T, U, W; not I"],
    ["EC1C 1AA", "the letter after \"EC1\" is one of A, B, E, H, M, N, P, R, V, W, X, Y; not C"],
    ["ASCN 2ZZ", "\"ASCN\" is the outward code of Ascension Island, whose one postcode is \"ASCN 1ZZ\""],
    ["GIR 1AA", "whose one postcode is \"GIR 0AA\""],
    ["ASCX 1ZZ", "the only four-letter ones are the overseas territories' postcodes"],
    ["ZZ99 ZZZ", "must be a digit followed by two letters"],
    ["BFPO1234X", "\"BFPO\" followed by 1 to 4 digits"]
  ])("%j: %s", (input, why) => {
    expect(Postcode.explain(input)).toContain(why)
    expect(Either.isLeft(decode(input))).toBe(true)
  })

  it("the shape message only for outward codes of the wrong shape; otherwise the letter that breaks a rule is named (property)", () => {
    fc.assert(fc.property(shaped.map((s) => `${s.slice(0, -3)} ${s.slice(-3)}`), (s) => {
      const why = Postcode.explain(s)
      fc.pre(why !== undefined)
      // every generated outward code has a BS 7666 shape, so the fault is one of its letters
      expect(why).not.toContain(SHAPE_MESSAGE)
      const named = /(?:starts with|not|has) ([A-Z])\b/.exec(why!)
      const isSecond = why!.includes("second letter")
      expect(named !== null || isSecond, why).toBe(true)
      if (named !== null) expect(s.replace(" ", "").includes(named[1]!), why).toBe(true)
      if (isSecond) expect("IJZ").toContain(s.charAt(1))
    }), { numRuns: 3000 })
  })
})

describe("Postcode: parts, and what matching does with them", () => {
  it("a pseudo-postcode's area, district and sector are the whole postcode", () => {
    expect(partsOf("zz99 9zz")).toEqual({
      kind: "pseudo", normalised: "ZZ99 9ZZ", area: "ZZ99 9ZZ", district: "ZZ99 9ZZ", outward: "ZZ99", sector: "ZZ99 9ZZ", inward: "9ZZ"
    })
  })
  it("a single postcode's area and district are its outward code, not the letters it starts with", () => {
    expect(partsOf("STHL 1ZZ")).toEqual({ kind: "single", normalised: "STHL 1ZZ", area: "STHL", district: "STHL", outward: "STHL", sector: "STHL 1", inward: "1ZZ" })
    expect(partsOf("GIR 0AA")).toMatchObject({ kind: "single", area: "GIR", district: "GIR" })
    expect(partsOf("GX11 1AA")).toMatchObject({ kind: "single", area: "GX11", district: "GX11" })
    expect(partsOf("SW1A 2AA")).toMatchObject({ kind: "uk", area: "SW", district: "SW1", sector: "SW1A 2" })
    expect(partsOf("BFPO 105")).toMatchObject({ kind: "bfpo", area: "BFPO", district: "BFPO" })
  })

  it.each([
    ["ZZ99 9ZZ", "zz999zz", "Full"],
    ["ZZ99 9ZZ", "ZZ99 3VZ", "Different"],
    ["ZZ99 3WZ", "ZZ99 3VZ", "Different"],
    ["ZZ99 3WZ", "ZZ99 3WA", "Different"],
    ["ZZ99 9ZZ", "SW1A 2AA", "Different"],
    ["STHL 1ZZ", "ST4 1AA", "Different"],
    ["TDCU 1ZZ", "TD1 1AA", "Different"],
    ["BBND 1ZZ", "BB1 1AA", "Different"],
    ["FIQQ 1ZZ", "SIQQ 1ZZ", "Different"],
    ["ASCN 1ZZ", "ascn1zz", "Full"]
  ])("postcodes %s / %s: %s", (a, b, level) => {
    expect(Comparison.comparePostcodes(a, b)).toBe(level)
    expect(Comparison.comparePostcodes(b, a)).toBe(level)
  })

  it("a pseudo-postcode agrees with another postcode only in full, never by sector, district or area (property)", () => {
    const other = fc.oneof(pseudo, shaped.filter(Postcode.isValid), fc.constantFrom(...SINGLES))
    fc.assert(fc.property(pseudo, other, (a, b) => {
      const level = Comparison.comparePostcodes(a, b)
      expect(level).toBe(Postcode.normalise(a) === Postcode.normalise(b) ? "Full" : "Different")
    }))
  })

  it("strangers with different pseudo-postcodes get nothing for the postcode; blocking keeps each pseudo-postcode apart", () => {
    const candidate: Matching.Candidate = { uln: "1000000043", givenName: "Jane", familyName: "O'Brien", dateOfBirth: "2004-03-07", gender: 2, postcode: "ZZ99 3VZ" }
    const search: Matching.Details = { givenName: "Jane", familyName: "O'Brien", dateOfBirth: "2004-03-07", gender: 2, postcode: "ZZ99 9ZZ" }
    const out = Matching.find(search, [candidate])
    expect(out.learners[0]?.agreement.postcode).toBe("Different")
    expect(out.learners[0]?.exact).toBe(false)
    expect(Matching.find({ ...search, postcode: "zz99 3vz" }, [candidate]).responseCode).toBe("WSRC0004")
    expect(Blocking.districtKey("ZZ99 9ZZ")).toBe("ZZ99 9ZZ")
    expect(Blocking.districtKey("ZZ99 9ZZ")).not.toBe(Blocking.districtKey("ZZ99 3VZ"))
    expect(Blocking.districtKey("STHL 1ZZ")).toBe("STHL")
  })
})
