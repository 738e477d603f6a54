import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { Learner } from "../src/index.js"

const details = (over: Record<string, unknown> = {}) =>
  Schema.decodeUnknownSync(Learner.LearnerDetails)({
    givenName: "Ada", familyName: "Lovelace", lastKnownPostCode: "SW1A 2AA", dateOfBirth: "2004-12-10",
    gender: 2, abilityToShare: 1, verificationType: 2, ...over
  })

const today = "2026-06-01"

describe("Learner.insufficientData (WSRC0015)", () => {
  it("accepts ordinary details", () => {
    expect(Learner.insufficientData(details(), today)).toEqual([])
    expect(Learner.insufficientData(details({ givenName: "Zoë", familyName: "O'Brien-Smith" }), today)).toEqual([])
  })
  it("rejects names that are only punctuation, naming the field", () => {
    expect(Learner.insufficientData(details({ givenName: "-", familyName: ". '" }), today).map((p) => p.field)).toEqual(["givenName", "familyName"])
  })
  it("rejects a date of birth after today or outside 13 to 110 years, at the boundaries", () => {
    expect(Learner.insufficientData(details({ dateOfBirth: "2026-06-02" }), today)[0]?.message).toContain("after today")
    expect(Learner.insufficientData(details({ dateOfBirth: "2013-06-02" }), today)[0]?.message).toContain("under 13")
    expect(Learner.insufficientData(details({ dateOfBirth: "2013-06-01" }), today)).toEqual([])
    expect(Learner.insufficientData(details({ dateOfBirth: "1915-06-02" }), today)).toEqual([])
    expect(Learner.insufficientData(details({ dateOfBirth: "1915-06-01" }), today)[0]?.message).toContain("over 110")
    expect(Learner.insufficientData(details({ dateOfBirth: "1915-06-01" }), today, { ageRange: false })).toEqual([])
    expect(Learner.insufficientData(details({ dateOfBirth: "2026-06-02" }), today, { ageRange: false })).toHaveLength(1)
  })
  it("needs a description for verification type 999", () => {
    expect(Learner.insufficientData(details({ verificationType: 999 }), today).map((p) => p.field)).toEqual(["otherVerificationDescription"])
    expect(Learner.insufficientData(details({ verificationType: 999, otherVerificationDescription: "  " }), today)).toHaveLength(1)
    expect(Learner.insufficientData(details({ verificationType: 999, otherVerificationDescription: "Student card" }), today)).toEqual([])
  })
})

describe("Learner.insufficientForUpdate (WSRC0015 on update)", () => {
  const held = details({ dateOfBirth: "1915-06-02" })
  it("applies the 13–110 age range to a date of birth the update changes, at the boundaries", () => {
    expect(Learner.insufficientForUpdate(held, details({ dateOfBirth: "1850-01-01" }), today)).toMatchObject([{ field: "dateOfBirth", message: expect.stringContaining("over 110") }])
    expect(Learner.insufficientForUpdate(held, details({ dateOfBirth: today }), today)).toMatchObject([{ field: "dateOfBirth", message: expect.stringContaining("under 13") }])
    expect(Learner.insufficientForUpdate(held, details({ dateOfBirth: "1915-06-01" }), today)).toHaveLength(1)
    expect(Learner.insufficientForUpdate(held, details({ dateOfBirth: "2013-06-02" }), today)).toHaveLength(1)
    expect(Learner.insufficientForUpdate(held, details({ dateOfBirth: "2013-06-01" }), today)).toEqual([])
    expect(Learner.insufficientForUpdate(details(), details({ dateOfBirth: "1915-06-03" }), today)).toEqual([])
  })
  it("does not refuse a learner whose date of birth stays as held for having aged past 110", () => {
    // held born 1915-06-01 was 110 at registration; on 2026-06-01 they are 111
    const old = details({ dateOfBirth: "1915-06-01" })
    expect(Learner.insufficientForUpdate(old, details({ dateOfBirth: "1915-06-01", emailAddress: "a@example.org" }), today)).toEqual([])
  })
  it("keeps the other rules whatever the date of birth", () => {
    expect(Learner.insufficientForUpdate(held, details({ dateOfBirth: held.dateOfBirth, givenName: "-" }), today).map((p) => p.field)).toEqual(["givenName"])
    expect(Learner.insufficientForUpdate(details({ dateOfBirth: "2026-06-02" }), details({ dateOfBirth: "2026-06-02" }), today)[0]?.message).toContain("after today")
  })
})

describe("Learner.abilityToShareChange (WSRC0014)", () => {
  it("forbids going back to 'notice not seen' once seen; allows everything else", () => {
    const allowed: Array<[0 | 1 | 2, 0 | 1 | 2]> = [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 1], [2, 2]]
    for (const [from, to] of allowed) expect(Learner.abilityToShareChange(from, to)).toBeUndefined()
    expect(Learner.abilityToShareChange(1, 0)).toContain("cannot go back")
    expect(Learner.abilityToShareChange(2, 0)).toContain("cannot go back")
  })
})

describe("Learner.sameDetails and detailsOf", () => {
  it("compares field by field, after the schema's normalisation", () => {
    expect(Learner.sameDetails(details(), details({ lastKnownPostCode: "sw1a2aa" }))).toBe(true)
    expect(Learner.sameDetails(details(), details({ emailAddress: "ada@example.org" }))).toBe(false)
    expect(Learner.sameDetails(details(), details({ givenName: "ada" }))).toBe(false)
  })
  it("takes the details out of a held learner", () => {
    const held = Learner.Learner.make({
      ...details(), uln: Schema.decodeSync(Learner.Learner.fields.uln)("1000000043"), versionNumber: 3, createdAt: "x", updatedAt: "y",
      linkedUlns: [], masterSubstituted: false
    })
    const back = Learner.detailsOf(held)
    expect(back).toBeInstanceOf(Learner.LearnerDetails)
    expect(Learner.sameDetails(back, details())).toBe(true)
    expect(Object.keys(back)).not.toContain("uln")
  })
})
