import { describe, expect, it } from "@effect/vitest"
import { Option, Schema } from "effect"
import * as fc from "fast-check"
import { Blocking, Comparison, LearnerIndex, Matching, Normalise, Postcode } from "../src/index.js"

const jane: Matching.Candidate = {
  uln: "1000000043", givenName: "Jane", familyName: "O'Brien", dateOfBirth: "2004-03-07", gender: 2, postcode: "CV4 9EE"
}
const search = (over: Partial<Matching.Details> = {}): Matching.Details => ({
  givenName: "Jane", familyName: "O'Brien", dateOfBirth: "2004-03-07", gender: 2, postcode: "CV4 9EE", ...over
})
// valid ULNs for fixtures
const ulns = ["1748529632", "9276308686", "1026893096", "6936002314", "4444599390", "1964986809", "8383558804", "1174112637", "1026922983", "1000000000", "1000000051", "1000000078"]

describe("Matching.find — outcomes (CONTRACT §4.1)", () => {
  it("WSRC0004: one learner agrees on all five fields after normalisation (case, apostrophe, postcode spacing)", () => {
    const out = Matching.find(search({ givenName: " JANE ", familyName: "obrien", postcode: "cv49ee" }), [jane])
    expect(out.responseCode).toBe("WSRC0004")
    expect(out.learners).toHaveLength(1)
    expect(out.learners[0]).toMatchObject({ uln: jane.uln, score: 1, exact: true, masterSubstituted: false })
    expect(out.learners[0]!.agreement).toEqual({
      givenName: "Exact", familyName: "Exact", dateOfBirth: "Exact", gender: "Equal", postcode: "Full", namesTransposed: false, viaPreviousFamilyName: false
    })
  })
  it("WSRC0003: possible matches best first, each with a score and per-field agreement", () => {
    const moved = { ...jane, uln: ulns[0]!, postcode: "CV4 8UW" }
    const swapped = { ...jane, uln: ulns[1]!, dateOfBirth: "2004-07-03", postcode: "B33 8TH" }
    const out = Matching.find(search({ postcode: "CV4 7AL" }), [swapped, moved])
    expect(out.responseCode).toBe("WSRC0003")
    expect(out.learners.map((l) => l.uln)).toEqual([moved.uln, swapped.uln])
    expect(out.learners[0]!.agreement.postcode).toBe("District")
    expect(out.learners[1]!.agreement.dateOfBirth).toBe("DayMonthSwap")
    expect(out.learners[0]!.score).toBeGreaterThan(out.learners[1]!.score)
    expect(out.learners[0]!.score).toBeCloseTo((25 + 25 + 25 + 15 * 0.6 + 10) / 100, 6)
  })
  it("WSRC0002: more than ten possibles — no learners returned, the count is", () => {
    const twins = ulns.slice(0, 11).map((uln, i) => ({ ...jane, uln, postcode: `CV${i + 1} 1AA` }))
    const out = Matching.find(search({ postcode: "B33 8TH" }), twins)
    expect(out).toEqual({ responseCode: "WSRC0002", learners: [], passed: 11 })
    expect(Matching.find(search({ postcode: "B33 8TH" }), twins.slice(0, 10)).responseCode).toBe("WSRC0003")
  })
  it("WSRC0001: nobody reaches the threshold", () => {
    expect(Matching.find(search({ givenName: "Oliver", familyName: "Patel", gender: 1 }), [jane])).toEqual({ responseCode: "WSRC0001", learners: [], passed: 0 })
    expect(Matching.find(search(), []).responseCode).toBe("WSRC0001")
  })
  it("WSRC0022: the exact match is a linked learner, so its master is answered", () => {
    const linked = { ...jane, uln: ulns[2]!, masterUln: ulns[3]! }
    const out = Matching.find(search(), [linked])
    expect(out.responseCode).toBe("WSRC0022")
    expect(out.learners[0]).toMatchObject({ uln: ulns[3], matchedUln: ulns[2], masterSubstituted: true, exact: true })
  })
  it("a master found both directly and through its linked learner is answered once, as itself", () => {
    const master = { ...jane, uln: ulns[3]! }
    const linked = { ...jane, uln: ulns[2]!, givenName: "Janet", masterUln: ulns[3]! }
    const out = Matching.find(search(), [linked, master])
    expect(out.responseCode).toBe("WSRC0004")
    expect(out.learners).toHaveLength(1)
    expect(out.learners[0]).toMatchObject({ uln: ulns[3], matchedUln: ulns[3], masterSubstituted: false })
  })
  it("two learners agreeing exactly are both possibles, not an exact match", () => {
    const out = Matching.find(search(), [jane, { ...jane, uln: ulns[4]! }])
    expect(out.responseCode).toBe("WSRC0003")
    expect(out.learners.map((l) => l.score)).toEqual([1, 1])
  })
  it("transposed given and family names are a possible match, flagged", () => {
    const out = Matching.find(search({ givenName: "O'Brien", familyName: "Jane" }), [jane])
    expect(out.responseCode).toBe("WSRC0003")
    expect(out.learners[0]!.agreement).toMatchObject({ namesTransposed: true, givenName: "Exact", familyName: "Exact" })
    expect(out.learners[0]!.score).toBeCloseTo(0.95, 6)
  })
  it("a family name found as the learner's previous family name (or the search's previous name as the learner's family name)", () => {
    const married = { ...jane, familyName: "Patel", previousFamilyName: "O'Brien" }
    const a = Matching.find(search(), [married])
    expect(a.responseCode).toBe("WSRC0003")
    expect(a.learners[0]!.agreement).toMatchObject({ familyName: "Exact", viaPreviousFamilyName: true })
    const b = Matching.find(search({ familyName: "Patel", previousFamilyName: "O'Brien" }), [jane])
    expect(b.responseCode).toBe("WSRC0003")
    expect(b.learners[0]!.agreement.viaPreviousFamilyName).toBe(true)
    expect(b.learners[0]!.score).toBeCloseTo(a.learners[0]!.score, 6)
  })
  it("optional fields refine the score and the order, never the exact match", () => {
    const a = { ...jane, uln: ulns[5]!, postcode: "CV4 8UW", emailAddress: "jane@example.org" }
    const b = { ...jane, uln: ulns[6]!, postcode: "CV4 8UW", emailAddress: "other@example.org" }
    const out = Matching.find(search({ postcode: "CV4 7AL", emailAddress: "Jane@Example.org" }), [b, a])
    expect(out.learners.map((l) => l.uln)).toEqual([a.uln, b.uln])
    expect(out.learners[0]!.score - out.learners[1]!.score).toBeCloseTo(0.07, 6)
    const school = Matching.score(search({ schoolAtAge16: "Kingsbury High" }), { ...jane, schoolAtAge16: "Kingsbury High School" }, 0)
    expect(school?.score).toBe(1)
    const exactButOtherSchool = Matching.find(search({ schoolAtAge16: "Eton" }), [{ ...jane, schoolAtAge16: "Kingsbury High" }])
    expect(exactButOtherSchool.responseCode).toBe("WSRC0004")
    expect(exactButOtherSchool.learners[0]!.score).toBeCloseTo(0.97, 6)
  })
  it("a 01-01 date of birth tells only the year: namesakes of that year elsewhere are not possible matches", () => {
    const unknownDay = search({ dateOfBirth: "2004-01-01" })
    // the same names, gender and year, in another postcode area
    expect(Matching.find(unknownDay, [{ ...jane, postcode: "M1 1AE" }]).responseCode).toBe("WSRC0001")
    // the same with any agreement on the postcode, however loose (here the area, CV)
    const sameArea = Matching.find(unknownDay, [{ ...jane, postcode: "CV1 1AA" }])
    expect(sameArea.responseCode).toBe("WSRC0003")
    expect(sameArea.learners[0]!.agreement).toMatchObject({ dateOfBirth: "Placeholder", postcode: "Area" })
    // the learner themself: names, gender and postcode agree
    const me = Matching.find(unknownDay, [jane])
    expect(me.learners[0]!.score).toBeCloseTo((25 + 25 + 25 * 0.1 + 15 + 10) / 100, 6)
  })
  it("a 01-01 search for a common name finds its learner among eleven namesakes of the same year elsewhere (not WSRC0002)", () => {
    const dates = ["2004-02-11", "2004-03-15", "2004-04-20", "2004-05-02", "2004-06-30", "2004-07-07", "2004-08-19", "2004-09-09", "2004-10-28", "2004-11-03", "2004-12-24"]
    const areas = ["M1 1AE", "B33 8TH", "LS1 4AP", "NE1 7RU", "BS1 6QF", "L1 8JQ", "S1 2HE", "NG1 5FW", "SO14 7DU", "EX4 3SR", "PL1 2AA"]
    const namesakes = dates.map((dateOfBirth, i) => ({ ...jane, uln: ulns[i + 1]!, dateOfBirth, postcode: areas[i]! }))
    const me = { ...jane, uln: ulns[0]! }
    const out = Matching.find(search({ dateOfBirth: "2004-01-01" }), [...namesakes, me])
    expect(out.responseCode).toBe("WSRC0003")
    expect(out.learners.map((l) => l.uln)).toEqual([me.uln])
  })
  it("decodes searches at the boundary with messages that name the rule", () => {
    const decode = Schema.decodeUnknownEither(Matching.Search)
    expect(decode({ givenName: "Jane", familyName: "O'Brien", dateOfBirth: "2004-03-07", gender: 2, postcode: "cv49ee" })._tag).toBe("Right")
    expect(decode({ givenName: "", familyName: "O'Brien", dateOfBirth: "07/03/2004", gender: 3, postcode: "x" })._tag).toBe("Left")
  })
})

describe("Matching.checkDuplicate — WSRC0021 from the same engine", () => {
  it("Duplicate when the same mandatory fields exist, PossibleDuplicates when only close, Clear otherwise", () => {
    expect(Matching.checkDuplicate(search({ familyName: "OBRIEN" }), [jane])).toMatchObject({ _tag: "Duplicate", responseCode: "WSRC0021", existing: [{ uln: jane.uln }] })
    expect(Matching.checkDuplicate(search({ dateOfBirth: "2004-07-03" }), [jane])).toMatchObject({ _tag: "PossibleDuplicates", learners: [{ uln: jane.uln }] })
    expect(Matching.checkDuplicate(search({ givenName: "Oliver", familyName: "Patel", gender: 1 }), [jane])).toEqual({ _tag: "Clear" })
  })
})

describe("Matching.duplicatesOnUpdate — an update must not make the learner a duplicate (WSRC0021)", () => {
  const other = { ...jane, uln: ulns[0]!, givenName: "Olivia", familyName: "Patel", postcode: "B33 8TH" }
  it("names the other learner an update would duplicate exactly, as registration would", () => {
    // the learner being updated takes on Jane's five mandatory fields, typed differently
    const me = { uln: other.uln }
    expect(Matching.duplicatesOnUpdate(me, search({ familyName: "OBRIEN", postcode: "cv49ee" }), [jane, other])).toMatchObject([{ uln: jane.uln, exact: true }])
    // close is not a duplicate: an update is not held for possible matches
    expect(Matching.duplicatesOnUpdate(me, search({ dateOfBirth: "2004-07-03" }), [jane, other])).toEqual([])
  })
  it("the learner's own record, and learners linked to it or to its master, are the same person: not duplicates", () => {
    expect(Matching.duplicatesOnUpdate({ uln: jane.uln }, search(), [jane])).toEqual([])
    const linked = { ...jane, uln: ulns[1]!, masterUln: jane.uln }
    expect(Matching.duplicatesOnUpdate({ uln: jane.uln }, search(), [linked])).toEqual([])
    expect(Matching.duplicatesOnUpdate({ uln: linked.uln, masterUln: jane.uln }, search(), [jane, linked])).toEqual([])
    const sibling = { ...jane, uln: ulns[2]!, masterUln: jane.uln }
    expect(Matching.duplicatesOnUpdate({ uln: linked.uln, masterUln: jane.uln }, search(), [sibling])).toEqual([])
    // a linked learner of someone else is answered by its master, who is the duplicate
    const elsewhere = { ...jane, uln: ulns[3]!, masterUln: ulns[4]! }
    expect(Matching.duplicatesOnUpdate({ uln: other.uln }, search(), [elsewhere])).toMatchObject([{ uln: ulns[4], matchedUln: ulns[3] }])
  })
  it("mandatoryChanged: only the five mandatory fields count", () => {
    expect(Matching.mandatoryChanged(jane, { ...jane, emailAddress: "jane@example.org", previousFamilyName: "Smith" })).toBe(false)
    for (const change of [{ givenName: "Janet" }, { familyName: "OBrien" }, { dateOfBirth: "2004-03-08" }, { gender: 1 }, { postcode: "CV4 8UW" }]) {
      expect(Matching.mandatoryChanged(jane, { ...jane, ...change })).toBe(true)
    }
  })
})

// Small registries built from a few names so that collisions, near-misses and links all happen.
const arbLearner = fc.record({
  givenName: fc.constantFrom("Jane", "Jayne", "Jack", "Oliver", "Olivia", "Bob", "Robert", "Zoë"),
  familyName: fc.constantFrom("Smith", "Smyth", "Schmidt", "O'Brien", "Patel", "Jones", "Smith-Jones"),
  dateOfBirth: fc.constantFrom("2004-03-07", "2004-07-03", "2004-03-08", "2004-01-01", "2005-03-07"),
  gender: fc.constantFrom(1, 2, 9),
  postcode: fc.constantFrom("CV4 9EE", "CV4 8UW", "CV5 6AA", "B33 8TH", "BFPO 105"),
  previousFamilyName: fc.option(fc.constantFrom("Smith", "Brown"), { nil: undefined })
})
const arbRegistry = fc.array(arbLearner, { maxLength: 12 }).map((ls) =>
  ls.map((l, i): Matching.Candidate => ({ ...l, uln: ulns[i]!, masterUln: i > 0 && i % 5 === 0 ? ulns[0]! : undefined }))
)

describe("Matching — properties", () => {
  it("the outcome does not depend on how the search is typed (case, spaces, apostrophes, accents, postcode spacing)", () => {
    const retype = (s: string) => ` ${s.toUpperCase().replace("'", "’").replace("-", " - ").replace("E", "É")}  `
    fc.assert(fc.property(arbRegistry, arbLearner, (registry, s) => {
      const typed = { ...s, givenName: retype(s.givenName), familyName: retype(s.familyName), postcode: s.postcode.replace(" ", "").toLowerCase() }
      expect(Matching.find(typed, registry)).toEqual(Matching.find(s, registry))
    }))
  })
  it("with a 01-01 date in the learner's year and the names and gender agreeing, a learner is a possible match exactly when the postcodes share at least the area", () => {
    const postcodes = ["CV4 9EE", "CV4 8UW", "CV5 6AA", "CV1 1AA", "B33 8TH", "M1 1AE", "SW1A 2AA", "SW1A 1AA", "BFPO 105", "LS1 4AP"]
    fc.assert(fc.property(arbLearner, fc.constantFrom(...postcodes), fc.constantFrom(...postcodes), fc.integer({ min: 1, max: 2 }), (l, registered, searched, gender) => {
      const learner = { ...l, uln: ulns[0]!, postcode: registered, gender, dateOfBirth: l.dateOfBirth.slice(0, 4) + "-06-15" }
      const out = Matching.find({ ...learner, previousFamilyName: undefined, dateOfBirth: l.dateOfBirth.slice(0, 4) + "-01-01", postcode: searched }, [learner])
      expect(out.responseCode).toBe(Comparison.comparePostcodes(registered, searched) === "Different" ? "WSRC0001" : "WSRC0003")
    }))
  })
  it("an update's duplicates are registration's exact duplicates less the learners answering for the same person", () => {
    fc.assert(fc.property(arbRegistry.filter((r) => r.length > 0), fc.nat(), arbLearner, (registry, pick, s) => {
      const me = registry[pick % registry.length]!
      const self = me.masterUln ?? me.uln
      const check = Matching.checkDuplicate(s, registry)
      const expected = check._tag === "Duplicate" ? check.existing.filter((m) => m.uln !== self) : []
      const found = Matching.duplicatesOnUpdate(me, s, registry)
      expect(found.map((m) => m.uln)).toEqual(expected.map((m) => m.uln))
      expect(found.every((m) => m.exact && m.uln !== self)).toBe(true)
    }))
  })
  it("the outcome does not depend on the order of the candidates", () => {
    fc.assert(fc.property(arbRegistry, arbLearner, (registry, s) => {
      expect(Matching.find(s, [...registry].reverse())).toEqual(Matching.find(s, registry))
    }))
  })
  it("scores lie in [0, 1], learners come best first, WSRC0003 has 1–10, WSRC0002/0001 none, exact means score-1 agreement", () => {
    fc.assert(fc.property(arbRegistry, arbLearner, (registry, s) => {
      const out = Matching.find(s, registry)
      for (const l of out.learners) {
        expect(l.score).toBeGreaterThanOrEqual(0)
        expect(l.score).toBeLessThanOrEqual(1)
      }
      for (let i = 1; i < out.learners.length; i++) expect(out.learners[i - 1]!.score).toBeGreaterThanOrEqual(out.learners[i]!.score)
      if (out.responseCode === "WSRC0003") expect(out.learners.length).toBeGreaterThanOrEqual(1)
      if (out.responseCode === "WSRC0003") expect(out.learners.length).toBeLessThanOrEqual(10)
      if (out.responseCode === "WSRC0001" || out.responseCode === "WSRC0002") expect(out.learners).toEqual([])
      if (out.responseCode === "WSRC0004" || out.responseCode === "WSRC0022") {
        const matched = registry.find((r) => r.uln === out.learners[0]!.matchedUln)!
        expect(matched.dateOfBirth).toBe(s.dateOfBirth)
        expect(matched.gender).toBe(s.gender)
      }
    }))
  })
  it("a learner searched with its own details is always found exactly or among the possibles", () => {
    fc.assert(fc.property(arbRegistry.filter((r) => r.length > 0), fc.nat(), (registry, pick) => {
      const me = registry[pick % registry.length]!
      const out = Matching.find(me, registry)
      expect(out.responseCode).not.toBe("WSRC0001")
      if (out.responseCode !== "WSRC0002") expect(out.learners.map((l) => l.uln)).toContain(me.masterUln ?? me.uln)
    }))
  })
  it("the LearnerIndex fetches every learner that differs from the search in at most one field (or only by transposed names)", () => {
    const district = (p: string) => Option.match(Postcode.parse(p), { onNone: () => p, onSome: (x) => x.district })
    fc.assert(fc.property(arbRegistry, arbLearner, (registry, s) => {
      const index = LearnerIndex.make(registry)
      const fetched = new Set(index.candidates(s).map((c) => c.candidate.uln))
      for (const r of registry) {
        const key = Normalise.nameKey
        const errors = Number(key(r.givenName) !== key(s.givenName)) + Number(key(r.familyName) !== key(s.familyName)) +
          Number(r.dateOfBirth !== s.dateOfBirth) + Number(district(r.postcode) !== district(s.postcode))
        const transposed = key(r.givenName) === key(s.familyName) && key(r.familyName) === key(s.givenName) &&
          r.dateOfBirth === s.dateOfBirth
        if (errors <= 1 || transposed) expect(fetched.has(r.uln)).toBe(true)
      }
      // and what it fetches, it classifies exactly as a scan of those learners would
      expect(index.find(s)).toEqual(Matching.find(s, registry.filter((r) => fetched.has(r.uln))))
    }), { numRuns: 500 })
  })
  it("blocking keys are plain strings, the same for equal details however they are written", () => {
    const a = Blocking.blockingKeys({ ...jane, previousFamilyName: "Smith" })
    const b = Blocking.blockingKeys({ ...jane, givenName: "jane", familyName: "OBRIEN", postcode: "cv49ee", previousFamilyName: "smith " })
    expect(a).toEqual(b)
    expect(a).toEqual({
      dateOfBirthFamilyName: "20040307:APRN",
      dateOfBirthGivenName: "20040307:JN",
      dateOfBirthPostcode: "20040307:CV4",
      yearNames: "2004:JN:APRN",
      postcodeInitials: "CV4:JO",
      dateOfBirthPreviousFamilyName: "20040307:SM0"
    })
    // a day↔month swap keeps every key
    expect(Blocking.blockingKeys({ ...jane, dateOfBirth: "2004-07-03", previousFamilyName: "Smith" })).toEqual(a)
    expect(Blocking.blockingKeys(jane).dateOfBirthPreviousFamilyName).toBeUndefined()
    // every key joins two or more fields, so no key is shared by all learners born on one day
    const other = Blocking.blockingKeys({ ...jane, givenName: "Tom", familyName: "Hughes", postcode: "M1 1AE" })
    for (const name of Blocking.keyNames) if (a[name] !== undefined) expect(other[name]).not.toBe(a[name])
  })
})
