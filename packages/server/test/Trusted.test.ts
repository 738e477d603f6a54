import { describe, expect, it } from "@effect/vitest"
import { Learner, Uln } from "@learner-records/core"
import * as Schema from "effect/Schema"
import * as trusted from "../src/internal/trusted.js"

const minimal = {
  givenName: "Ada",
  familyName: "Lovelace",
  lastKnownPostCode: "CV4 7AL",
  dateOfBirth: "1990-12-10",
  gender: 2,
  abilityToShare: 1,
  verificationType: 2
}

const full = {
  ...minimal,
  title: "Ms",
  preferredGivenName: "Addie",
  middleOtherName: "Augusta",
  previousFamilyName: "Byron",
  familyNameAtAge16: "Byron",
  schoolAtAge16: "Home",
  lastKnownAddressLine1: "1 St James's Square",
  lastKnownAddressLine2: "St James's",
  lastKnownAddressTown: "London",
  lastKnownAddressCountyOrCity: "London",
  dateOfAddressCapture: "2020-01-01",
  placeOfBirth: "London",
  emailAddress: "ada@example.org",
  nationality: "GBR",
  scottishCandidateNumber: "123456789",
  verificationType: 999,
  otherVerificationDescription: "Seen in person",
  notes: "Analytical engine"
}

const register = {
  uln: Uln.generate(),
  versionNumber: 3,
  createdAt: "2024-01-01T00:00:00.000Z",
  updatedAt: "2024-02-01T00:00:00.000Z",
  linkedUlns: [Uln.generate(), Uln.generate()],
  masterSubstituted: true
}

// stored details are the encoding of decoded details: what a learner row holds
const stored = (details: Record<string, unknown>) => Schema.encodeSync(Learner.LearnerDetails)(Schema.decodeUnknownSync(Learner.LearnerDetails)(details))

describe("trusted learners", () => {
  for (const [name, details] of [["minimal", minimal], ["every field", full]] as const) {
    it(`builds what decoding builds (${name})`, () => {
      const row = stored(details)
      const decoded = Schema.decodeUnknownSync(Learner.Learner)({ ...row, ...register })
      const built = trusted.learner(row, Schema.decodeUnknownSync(Learner.Learner.pipe(Schema.pick("uln", "versionNumber", "createdAt", "updatedAt", "linkedUlns", "masterSubstituted")))(register))
      expect(built).toBeInstanceOf(Learner.Learner)
      expect(built).toEqual(decoded)
      // and the api's encoding of the two is the same JSON, key for key
      const encode = Schema.encodeSync(Learner.Learner)
      expect(JSON.stringify(encode(built))).toBe(JSON.stringify(encode(decoded)))
    })
  }

  it("drops what the schema does not know, as decoding does", () => {
    const row = { ...stored(minimal), legacy: "x", uln: "0000000000" }
    const built = trusted.learner(row, register as never)
    expect("legacy" in built).toBe(false)
    expect(built.uln).toBe(register.uln)
  })
})
