import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { LearnerIndex, Verification } from "../src/index.js"

const held: Verification.Held = {
  uln: "1000000043", givenName: "Jane", familyName: "Patel", previousFamilyName: "O'Brien", dateOfBirth: "2004-03-07", gender: 2
}
const ask = (over: Partial<Verification.Details> = {}): Verification.Details => ({
  givenName: "Jane", familyName: "Patel", dateOfBirth: "2004-03-07", gender: 2, ...over
})

describe("Verification.verify — WSVRC001–006 (DOMAIN §3.2)", () => {
  it("WSVRC001: every detail matches exactly (after normalisation); no flags", () => {
    expect(Verification.verify(ask({ givenName: " JANE", familyName: "patel" }), held)).toEqual({ responseCode: "WSVRC001", failureFlags: [], uln: held.uln })
    expect(Verification.verify({ givenName: "Jane", familyName: "Patel" }, held).responseCode).toBe("WSVRC001")
  })
  it("WSVRC002: as 001 through a linked ULN; the master's ULN is answered", () => {
    expect(Verification.verify(ask(), held, { linked: true })).toEqual({ responseCode: "WSVRC002", failureFlags: [], uln: held.uln })
  })
  it("WSVRC003: names similar but not exact; flags say which comparisons failed", () => {
    const typo = Verification.verify(ask({ givenName: "Jayne" }), held)
    expect(typo.responseCode).toBe("WSVRC003")
    expect(typo.failureFlags).toEqual(["VRF2", "VRF3", "VRF4", "VRF6"])
    const maiden = Verification.verify(ask({ familyName: "OBrien" }), held)
    expect(maiden.responseCode).toBe("WSVRC003")
    expect(maiden.failureFlags).toEqual(["VRF2", "VRF3", "VRF4", "VRF5"])
    const transposed = Verification.verify(ask({ givenName: "Patel", familyName: "Jane" }), held)
    expect(transposed.responseCode).toBe("WSVRC003")
    expect(transposed.failureFlags).toEqual(["VRF1", "VRF3", "VRF5", "VRF6"])
  })
  it("WSVRC004: as 003 through a linked ULN", () => {
    expect(Verification.verify(ask({ givenName: "Jayne" }), held, { linked: true }).responseCode).toBe("WSVRC004")
  })
  it("WSVRC005: found, but names not similar, or date of birth / gender different (VRF7, VRF8)", () => {
    const names = Verification.verify(ask({ givenName: "Oliver", familyName: "Jones" }), held)
    expect(names).toEqual({ responseCode: "WSVRC005", failureFlags: ["VRF1", "VRF2", "VRF3", "VRF4", "VRF5", "VRF6"], uln: held.uln })
    const dob = Verification.verify(ask({ dateOfBirth: "2004-07-03" }), held)
    expect(dob).toEqual({ responseCode: "WSVRC005", failureFlags: ["VRF2", "VRF3", "VRF4", "VRF6", "VRF7"], uln: held.uln })
    const gender = Verification.verify(ask({ gender: 1 }), held, { linked: true })
    expect(gender.responseCode).toBe("WSVRC005")
    expect(gender.failureFlags).toContain("VRF8")
    expect(gender.failureFlags).not.toContain("VRF7")
  })
  it("WSVRC006: no learner has the ULN", () => {
    expect(Verification.verify(ask(), undefined)).toEqual({ responseCode: "WSVRC006", failureFlags: [], uln: undefined })
  })
  it("VRF3/VRF6 are raised when the learner has no previous family name", () => {
    const noPrevious = { ...held, previousFamilyName: undefined }
    expect(Verification.verify(ask({ givenName: "Jayne" }), noPrevious).failureFlags).toEqual(["VRF2", "VRF3", "VRF4", "VRF6"])
    expect(Verification.verify(ask({ familyName: "Patle" }), noPrevious).failureFlags).toEqual(["VRF2", "VRF3", "VRF4", "VRF6"])
  })
  it("each flag follows its own comparison (property)", () => {
    const name = fc.constantFrom("Jane", "Jayne", "Patel", "Patil", "O'Brien", "Obrian", "Oliver", "Smith")
    fc.assert(fc.property(name, name, fc.option(fc.constantFrom("2004-03-07", "2004-07-03"), { nil: undefined }), fc.option(fc.constantFrom(1, 2), { nil: undefined }), (g, f, dob, gender) => {
      const out = Verification.verify({ givenName: g, familyName: f, dateOfBirth: dob, gender }, held)
      const flags = new Set(out.failureFlags)
      if (out.responseCode === "WSVRC001") expect(flags.size).toBe(0)
      else {
        expect(flags.has("VRF7")).toBe(dob !== undefined && dob !== held.dateOfBirth)
        expect(flags.has("VRF8")).toBe(gender !== undefined && gender !== held.gender)
        expect(flags.has("VRF1")).toBe(Verification.verify({ givenName: g, familyName: held.familyName }, { ...held, givenName: held.givenName }).failureFlags.includes("VRF1"))
      }
      if (out.responseCode === "WSVRC003") expect(flags.has("VRF7") || flags.has("VRF8")).toBe(false)
    }))
  })
})

describe("LearnerIndex.verify follows linked ULNs to the master", () => {
  it("answers WSVRC002 / WSVRC006 with the master's ULN", () => {
    const index = LearnerIndex.make([
      { uln: "1000000043", givenName: "Jane", familyName: "Patel", dateOfBirth: "2004-03-07", gender: 2, postcode: "CV4 9EE" },
      { uln: "9276308686", givenName: "Jane", familyName: "Patal", dateOfBirth: "2004-03-07", gender: 2, postcode: "CV4 9EE", masterUln: "1000000043" }
    ])
    expect(index.verify({ uln: "9276308686", givenName: "Jane", familyName: "Patel" })).toEqual({ responseCode: "WSVRC002", failureFlags: [], uln: "1000000043" })
    expect(index.verify({ uln: "1000000043", givenName: "Jane", familyName: "Patel" }).responseCode).toBe("WSVRC001")
    expect(index.verify({ uln: "1748529632", givenName: "Jane", familyName: "Patel" }).responseCode).toBe("WSVRC006")
  })
})
