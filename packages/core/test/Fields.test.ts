import { describe, expect, it } from "@effect/vitest"
import { Either, Option, ParseResult, Schema } from "effect"
import * as fc from "fast-check"
import { Fields, Learner, Postcode, QualificationNumber, ResponseCode, Ukprn } from "../src/index.js"

const message = <A, I>(schema: Schema.Schema<A, I>, input: unknown): string => {
  const result = Schema.decodeUnknownEither(schema)(input)
  if (Either.isRight(result)) throw new Error(`expected ${JSON.stringify(input)} to be rejected`)
  return ParseResult.TreeFormatter.formatErrorSync(result.left)
}
const accepts = <A, I>(schema: Schema.Schema<A, I>, input: unknown) => Either.isRight(Schema.decodeUnknownEither(schema)(input))

describe("Postcode", () => {
  it.each([
    ["sw1a2aa", "SW1A 2AA"], ["SW1A 2AA", "SW1A 2AA"], [" m1  1ae ", "M1 1AE"], ["B338TH", "B33 8TH"], ["cr2 6xh", "CR2 6XH"],
    ["DN55 1PT", "DN55 1PT"], ["W1A 0AX", "W1A 0AX"], ["EC1A 1BB", "EC1A 1BB"], ["CV49EE", "CV4 9EE"], ["bfpo 105", "BFPO 105"],
    ["BFPO1", "BFPO 1"], ["GIR 0AA", "GIR 0AA"]
  ])("%s is stored as %s", (input, stored) => {
    expect(Schema.decodeUnknownSync(Postcode.Postcode)(input)).toBe(stored)
  })
  it("says what is wrong", () => {
    expect(message(Postcode.Postcode, "")).toContain("required")
    expect(message(Postcode.Postcode, "SW1A 2AAXX")).toContain("at most 9")
    expect(message(Postcode.Postcode, "SW1A 2CA")).toContain("inward code")
    expect(message(Postcode.Postcode, "SW1A AAA")).toContain("digit followed by two letters")
    expect(message(Postcode.Postcode, "QW1 2AA")).toContain("not a UK outward code")
    expect(message(Postcode.Postcode, "12345")).toContain("digit followed by two letters")
    expect(message(Postcode.Postcode, "BFPO1234X")).toContain("BFPO")
    expect(message(Postcode.Postcode, "SW1A-2AA")).toContain("letters, digits")
  })
  it("parses the parts matching compares", () => {
    expect(Postcode.parse("sw1a 2aa")).toEqual(Option.some({ kind: "uk", normalised: "SW1A 2AA", area: "SW", district: "SW1", outward: "SW1A", sector: "SW1A 2", inward: "2AA" }))
    expect(Option.map(Postcode.parse("B33 8TH"), (p) => [p.area, p.district, p.sector])).toEqual(Option.some(["B", "B33", "B33 8"]))
    expect(Postcode.parse("nonsense")).toEqual(Option.none())
  })
  it("normalisation is idempotent and accepted postcodes stay accepted (property)", () => {
    const letters = "ABDEFGHJLNPQRSTUWXYZ"
    const pc = fc.tuple(
      fc.constantFrom("M", "B", "SW", "EC", "LS", "CR", "DN", "W"), fc.integer({ min: 1, max: 9 }), fc.integer({ min: 0, max: 9 }),
      fc.constantFrom(...letters.replace(/[QXZ]/g, "")), fc.constantFrom(...letters.replace(/[QXZ]/g, "")), fc.boolean(), fc.boolean()
    ).map(([area, d, i, a, b, lower, spaced]) => {
      const s = `${area}${d}${spaced ? " " : ""}${i}${a}${b}`
      return lower ? s.toLowerCase() : s
    })
    fc.assert(fc.property(pc, (s) => {
      const stored = Schema.decodeUnknownSync(Postcode.Postcode)(s)
      expect(stored).toMatch(/^[A-Z0-9]{2,4} [0-9][A-Z]{2}$/)
      expect(Postcode.normalise(stored)).toBe(stored)
      expect(Schema.decodeUnknownSync(Postcode.Postcode)(stored)).toBe(stored)
    }))
  })
})

describe("names and text fields", () => {
  it("accept 1–35 characters, not blank", () => {
    expect(accepts(Fields.GivenName, "Ada")).toBe(true)
    expect(accepts(Fields.FamilyName, "O'Brien-Smythe")).toBe(true)
    expect(accepts(Fields.GivenName, "x".repeat(35))).toBe(true)
    expect(message(Fields.GivenName, "x".repeat(36))).toContain("at most 35 characters")
    expect(message(Fields.FamilyName, "   ")).toContain("must not be blank")
    expect(message(Fields.FamilyName, "")).toContain("must not be blank")
    expect(message(Fields.FamilyName, 7)).toContain("Expected string")
  })
  it("refuse U+0000 (NUL) and unpaired surrogates in every text field, and nothing else that was accepted (property)", () => {
    const texts = [Fields.GivenName, Fields.StorableText, Fields.nonBlankText(100, "T", "t"), Fields.boundedText(100, "B", "b")]
    expect(message(Fields.boundedText(100, "Notes", "n"), "before\u0000after")).toContain("U+0000")
    expect(message(Fields.boundedText(100, "Notes", "n"), "half \ud83d of an emoji")).toContain("unpaired surrogate")
    expect(message(Fields.boundedText(100, "Notes", "n"), "\udc00 trailing half first")).toContain("unpaired surrogate")
    expect(message(Learner.LearnerDetails, {
      givenName: "Ada", familyName: "Lovelace", lastKnownPostCode: "SW1A 1AA", dateOfBirth: "2000-01-01", gender: 2, abilityToShare: 1, verificationType: 1, notes: "a\u0000"
    })).toContain("notes")
    const surrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code))
    fc.assert(fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), (before, after) => {
      for (const schema of texts) expect(accepts(schema, `${before}\u0000${after}`)).toBe(false)
    }))
    // a lone half, at the edge or between letters: never a pair, since the neighbours are ASCII
    fc.assert(fc.property(fc.string({ unit: "binary-ascii", maxLength: 20 }), surrogate, fc.string({ unit: "binary-ascii", maxLength: 20 }), (before, half, after) => {
      for (const schema of [Fields.StorableText, Fields.boundedText(100, "B", "b")]) expect(accepts(schema, `${before}${half}${after}`)).toBe(false)
    }))
    // well-formed text, astral characters (surrogate pairs) included, is accepted as before
    fc.assert(fc.property(fc.string({ unit: "grapheme", minLength: 1, maxLength: 20 }).filter((s) => !s.includes("\u0000") && s.trim() !== "" && s.length <= 35), (s) => {
      for (const schema of texts) expect(accepts(schema, s)).toBe(true)
    }))
  })
  it("reject any blank string and any string over 35 (property)", () => {
    fc.assert(fc.property(fc.stringMatching(/^\s*$/), (s) => { expect(accepts(Fields.GivenName, s)).toBe(false) }))
    fc.assert(fc.property(fc.string({ minLength: 36, maxLength: 80 }), (s) => { expect(accepts(Fields.FamilyName, s)).toBe(false) }))
  })
})

describe("dates", () => {
  it.each(["2000-02-29", "1800-01-01", "2099-12-31", "2004-06-15"])("%s is a date", (d) => expect(accepts(Fields.DateOfBirth, d)).toBe(true))
  it("reject impossible and malformed dates with the expected form", () => {
    expect(message(Fields.DateOfBirth, "1900-02-29")).toContain("not a calendar date")
    expect(message(Fields.DateOfBirth, "2001-13-01")).toContain("no month 13")
    expect(message(Fields.DateOfBirth, "2001-04-31")).toContain("not a calendar date")
    expect(message(Fields.DateOfBirth, "31/12/2001")).toContain("YYYY-MM-DD")
    expect(message(Fields.DateOfBirth, "31/12/2001")).toContain("spreadsheet")
    expect(message(Fields.DateOfBirth, "1799-12-31")).toContain("between 1800 and 2099")
    expect(message(Fields.DateOfBirth, "2001-1-1")).toContain("YYYY-MM-DD")
  })
  it("agree with the calendar (property)", () => {
    fc.assert(fc.property(fc.date({ min: new Date("1800-01-01T00:00:00Z"), max: new Date("2099-12-31T00:00:00Z"), noInvalidDate: true }), (d) => {
      expect(accepts(Fields.DateOfBirth, d.toISOString().slice(0, 10))).toBe(true)
    }))
    fc.assert(fc.property(fc.integer({ min: 1800, max: 2099 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (y, m, d) => {
      const text = `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`
      const real = new Date(Date.UTC(y, m - 1, d)).getUTCDate() === d
      expect(accepts(Fields.DateOfBirth, text)).toBe(real)
    }))
  })
})

describe("code lists", () => {
  it("gender 0/1/2/9, ability to share 0/1/2, verification type 0–7/999", () => {
    for (const g of [0, 1, 2, 9]) expect(accepts(Fields.Gender, g)).toBe(true)
    expect(message(Fields.Gender, 3)).toContain("gender must be")
    expect(message(Fields.Gender, "1")).toContain("gender must be")
    for (const a of [0, 1, 2]) expect(accepts(Fields.AbilityToShare, a)).toBe(true)
    expect(message(Fields.AbilityToShare, 3)).toContain("ability to share")
    for (const v of [0, 1, 2, 3, 4, 5, 6, 7, 999]) expect(accepts(Fields.VerificationType, v)).toBe(true)
    expect(message(Fields.VerificationType, 8)).toContain("verification type")
  })
  it("e-mail addresses", () => {
    expect(accepts(Fields.EmailAddress, "ada.lovelace@example.ac.uk")).toBe(true)
    expect(message(Fields.EmailAddress, "ada@")).toContain("not an e-mail address")
    expect(message(Fields.EmailAddress, "a@b.c")).toContain("not an e-mail address")
    expect(message(Fields.EmailAddress, `${"a".repeat(250)}@x.com`)).toContain("at most 254")
  })
})

describe("organisation and subject identifiers", () => {
  it("UKPRN is 8 digits starting with 1", () => {
    expect(accepts(Ukprn.Ukprn, "10012345")).toBe(true)
    expect(message(Ukprn.Ukprn, "20012345")).toContain("starts with 1")
    expect(message(Ukprn.Ukprn, "1001234")).toContain("8 digits")
  })
  it("QAN format is an error; its check character only a warning", () => {
    expect(Schema.decodeUnknownSync(QualificationNumber.QualificationNumber)("100/2508/x")).toBe("100/2508/X")
    expect(message(QualificationNumber.QualificationNumber, "601-2977-3")).toContain("NNN/NNNN/C")
    for (const qan of ["601/2977/3", "100/2508/X", "601/5021/X", "600/1166/X"]) expect(QualificationNumber.warnings(qan)).toEqual([])
    expect(QualificationNumber.warnings("601/2977/4")[0]).toContain("usually 3")
    expect(accepts(QualificationNumber.QualificationNumber, "601/2977/4")).toBe(true)
  })
  it("unit references and subject codes", () => {
    expect(Schema.decodeUnknownSync(QualificationNumber.UnitReference)("k/501/5773")).toBe("K/501/5773")
    expect(message(QualificationNumber.UnitReference, "K/5015/773")).toContain("A/NNN/NNNN")
    expect(QualificationNumber.subjectKind("601/2977/3")).toBe("qualification")
    expect(QualificationNumber.subjectKind("K/501/5773")).toBe("unit")
    expect(message(QualificationNumber.SubjectCode, "ABC")).toContain("subject code")
  })
})

describe("Learner", () => {
  const valid = {
    givenName: "Ada", familyName: "Lovelace", lastKnownPostCode: "sw1a2aa", dateOfBirth: "2008-12-10",
    gender: 2, abilityToShare: 1, verificationType: 2
  }
  it("decodes the mandatory fields and normalises the postcode", () => {
    const l = Schema.decodeUnknownSync(Learner.LearnerDetails)(valid)
    expect(l.lastKnownPostCode).toBe("SW1A 2AA")
  })
  it("rejects each over-long optional field with its limit", () => {
    const limits: Array<[string, number]> = [["title", 35], ["middleOtherName", 35], ["schoolAtAge16", 254], ["lastKnownAddressLine1", 50], ["placeOfBirth", 35], ["otherVerificationDescription", 255], ["notes", 4000]]
    for (const [field, max] of limits) {
      expect(accepts(Learner.LearnerDetails, { ...valid, [field]: "x".repeat(max) })).toBe(true)
      expect(message(Learner.LearnerDetails, { ...valid, [field]: "x".repeat(max + 1) })).toContain(`at most ${max}`)
    }
    expect(message(Learner.LearnerDetails, { ...valid, scottishCandidateNumber: "12345678" })).toContain("9 digits")
    expect(message(Learner.LearnerDetails, { ...valid, nationality: "GBRX" })).toContain("1 to 3")
  })
  it("names each missing mandatory field", () => {
    for (const field of ["givenName", "familyName", "lastKnownPostCode", "dateOfBirth", "gender", "abilityToShare", "verificationType"]) {
      const { [field]: _, ...rest } = valid as Record<string, unknown>
      expect(message(Learner.LearnerDetails, rest)).toContain(field)
    }
  })
})

describe("ResponseCode", () => {
  it("has every family and meaningful entries", () => {
    expect(ResponseCode.codesOf("WSVRC")).toEqual(["WSVRC001", "WSVRC002", "WSVRC003", "WSVRC004", "WSVRC005", "WSVRC006"])
    expect(ResponseCode.codesOf("VRF")).toHaveLength(8)
    expect(ResponseCode.describe("WSRC0013").title).toBe("Version conflict")
    expect(ResponseCode.isResponseCode("WSRC0004")).toBe(true)
    expect(ResponseCode.isResponseCode("WSRC9999")).toBe(false)
    for (const code of ResponseCode.codes) {
      expect(code.startsWith(ResponseCode.catalogue[code].family)).toBe(true)
      expect(ResponseCode.catalogue[code].meaning.length).toBeGreaterThan(10)
    }
  })
})
