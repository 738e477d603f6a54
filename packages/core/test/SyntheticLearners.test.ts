import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { Blocking, Comparison, Csv, LearnerIndex, Matching, Normalise, Postcode, SyntheticLearners, Uln } from "../src/index.js"

const registry = SyntheticLearners.generate({ learners: 3_000, seed: "test" })

describe("SyntheticLearners.generate", () => {
  it("is deterministic: same seed, same learners; another seed, others", () => {
    expect(SyntheticLearners.generate({ learners: 200, seed: "test" })).toEqual(registry.slice(0, 200))
    expect(SyntheticLearners.generate({ learners: 200, seed: "other" })).not.toEqual(registry.slice(0, 200))
  })
  it("every row is a valid registered learner: valid ULN (unique), postcode, date and gender", () => {
    const ulns = new Set(registry.map((l) => l.uln))
    expect(ulns.size).toBe(registry.length)
    for (const l of registry) {
      expect(Uln.isValid(l.uln)).toBe(true)
      expect(Postcode.isValid(l.postcode)).toBe(true)
      expect(Schema.decodeUnknownEither(Matching.RegisteredLearner)(l)._tag).toBe("Right")
      const year = Number(l.dateOfBirth.slice(0, 4))
      expect(year).toBeGreaterThanOrEqual(SyntheticLearners.birthYears.from)
      expect(year).toBeLessThanOrEqual(SyntheticLearners.birthYears.to)
      if (l.masterUln !== undefined) expect(ulns.has(l.masterUln)).toBe(true)
    }
  })
  it("has the mix it promises: both sexes, common names most often, previous family names, linked learners", () => {
    const count = (f: (l: SyntheticLearners.SyntheticLearner) => boolean) => registry.filter(f).length
    expect(count((l) => l.gender === 1)).toBeGreaterThan(1_300)
    expect(count((l) => l.gender === 2)).toBeGreaterThan(1_300)
    expect(count((l) => l.familyName === "Smith")).toBeGreaterThan(count((l) => l.familyName === "Hughes"))
    expect(count((l) => l.previousFamilyName !== undefined)).toBeGreaterThan(20)
    expect(count((l) => l.masterUln !== undefined)).toBeGreaterThan(10)
    expect(count((l) => l.familyName.includes("-"))).toBeGreaterThan(10)
  })
})

describe("SyntheticLearners.searches — the corruption model", () => {
  const queries = SyntheticLearners.searches(registry, { count: 2_000, seed: "test" })
  const byUln = new Map(registry.map((l) => [l.uln, l]))
  it("is deterministic and covers every corruption kind, clean searches, double errors and strangers", () => {
    expect(SyntheticLearners.searches(registry, { count: 2_000, seed: "test" })).toEqual(queries)
    const kinds = new Set(queries.flatMap((q) => q.corruptions))
    for (const k of SyntheticLearners.corruptions) expect(kinds.has(k)).toBe(true)
    expect(queries.some((q) => q.truth === undefined)).toBe(true)
    expect(queries.some((q) => q.truth !== undefined && q.corruptions.length === 0)).toBe(true)
    expect(queries.some((q) => q.corruptions.length === 2)).toBe(true)
  })
  it("each corruption does what it says to the learner's details", () => {
    for (const q of queries) {
      if (q.truth === undefined || q.corruptions.length !== 1) continue
      const l = byUln.get(q.truth)!
      const s = q.search
      switch (q.corruptions[0]) {
        case "dayMonthSwap":
          expect(Comparison.compareDatesOfBirth(s.dateOfBirth, l.dateOfBirth)).toBe("DayMonthSwap")
          break
        case "dobPlaceholder":
          expect(s.dateOfBirth).toBe(`${l.dateOfBirth.slice(0, 4)}-01-01`)
          break
        case "dobTypo":
          expect(Comparison.compareDatesOfBirth(s.dateOfBirth, l.dateOfBirth)).toBe("OneCharacter")
          break
        case "moveWithinDistrict":
          expect(Comparison.comparePostcodes(s.postcode, l.postcode)).toMatch(/^(Sector|District)$/)
          break
        case "transposedNames":
          expect(Comparison.compareNames(s.givenName, l.familyName)).toBe("Exact")
          break
        case "nickname":
          expect(Comparison.compareNames(s.givenName, l.givenName)).not.toBe("Exact")
          break
        case "surnameChange":
          expect(Normalise.nameKey(s.familyName) === Normalise.nameKey(l.previousFamilyName ?? "") || s.previousFamilyName === l.familyName).toBe(true)
          break
        case "typoGivenName":
          expect(s.givenName.trim().toLowerCase()).not.toBe(l.givenName.toLowerCase())
      }
      expect(Postcode.isValid(s.postcode)).toBe(true)
    }
  })
  it("every one-error search shares a blocking key with its learner, and is found (the benchmark's target, small)", () => {
    const index = LearnerIndex.make(registry)
    let oneError = 0
    let found = 0
    for (const q of queries) {
      if (q.truth === undefined || q.corruptions.length !== 1) continue
      oneError++
      expect(index.candidates(q.search).some((c) => c.candidate.uln === q.truth)).toBe(true)
      const out = index.find(q.search)
      if (out.learners.some((l) => l.uln === q.truth)) found++
      if (out.responseCode === "WSRC0004") expect(out.learners[0]!.uln).toBe(q.truth)
    }
    expect(found / oneError).toBeGreaterThanOrEqual(0.98)
    expect(Blocking.keyNames).toHaveLength(6)
  })
  it("the registry CSV reads back to the same learners", () => {
    const text = [SyntheticLearners.REGISTRY_HEADER, ...registry.map(SyntheticLearners.toRegistryLine)].join("\n")
    const [header, ...rows] = Csv.parse(text)
    const columns = header!.fields
    const back = rows.map((r) => {
      const o: Record<string, unknown> = {}
      columns.forEach((c, i) => {
        const v = r.fields[i] ?? ""
        o[c] = c === "gender" ? Number(v) : v === "" ? undefined : v
      })
      return o
    })
    expect(back).toEqual(registry.map((l) => ({ previousFamilyName: undefined, masterUln: undefined, ...l })))
  })
  it("writes the registry CSV header and quoted fields", () => {
    expect(SyntheticLearners.REGISTRY_HEADER).toBe("uln,givenName,familyName,dateOfBirth,gender,postcode,previousFamilyName,masterUln")
    expect(SyntheticLearners.toRegistryLine({ uln: "1000000043", givenName: "Jo, \"Jay\"", familyName: "O'Brien", dateOfBirth: "2004-03-07", gender: 2, postcode: "CV4 9EE" }))
      .toBe("1000000043,\"Jo, \"\"Jay\"\"\",O'Brien,2004-03-07,2,CV4 9EE,,")
  })
})
