/**
 * Names written in scripts other than Latin: their letters survive normalisation, so names that
 * differ in such a letter never compare equal (CONTRACT §7: no false exact match), a name of any
 * script is enough to register (DOMAIN §2.4), and such names get blocking keys that an exact
 * re-search finds. Latin names fold as before.
 */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import { Blocking, Comparison, Fields, Learner, LearnerIndex, Matching, Normalise, Verification } from "../src/index.js"

// The rule before names of other scripts were kept, as the oracle of what Latin folding must still give.
const OLD_FOLD: Readonly<Record<string, string>> = {
  "ß": "SS", "Æ": "AE", "æ": "AE", "Ø": "O", "ø": "O", "Œ": "OE", "œ": "OE", "Ł": "L", "ł": "L",
  "Đ": "D", "đ": "D", "Ð": "D", "ð": "D", "Þ": "TH", "þ": "TH", "ı": "I", "ĸ": "K"
}
const oldName = (input: string): string =>
  input.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").replace(/[ßÆæØøŒœŁłĐđÐðÞþıĸ]/g, (c) => OLD_FOLD[c] ?? c)
    .replace(/['’‘`´ʼʻ]/g, "").toUpperCase().replace(/[^A-Z0-9]+/g, " ").trim()

const codePoints = (test: (c: string) => boolean): ReadonlyArray<string> => {
  const out: Array<string> = []
  for (let cp = 0; cp <= 0x10ffff; cp++) {
    if (cp >= 0xd800 && cp <= 0xdfff) continue
    const c = String.fromCodePoint(cp)
    if (test(c)) out.push(c)
  }
  return out
}

// Every letter of every script, but modifier letters (ʼ ʻ ˈ ـ: apostrophes, stress marks and the
// tatweel, not letters of a name) and presentation forms that are only a diacritic on a space or
// on a tatweel (ﹱ).
const LETTER = /[\p{Lu}\p{Ll}\p{Lt}\p{Lo}]/u
const LETTERS = codePoints((c) => LETTER.test(c) && LETTER.test(c.normalize("NFKD")))
// Distinct letters of the other scripts, one form each: capital or caseless, with no compatibility
// variant (`ﺍ` is a form of `ا`, `Ω` of the ohm sign `Ω`).
const OTHER_SCRIPT_LETTERS = LETTERS.filter((c) =>
  /^[\p{Lu}\p{Lo}]$/u.test(c) && !/\p{Script=Latin}/u.test(c) && c.normalize("NFKC") === c
)
const anyOf = (list: ReadonlyArray<string>) => fc.integer({ min: 0, max: list.length - 1 }).map((i) => list[i]!)
const otherLetter = anyOf(OTHER_SCRIPT_LETTERS)
// what may stand around a letter in a name: Latin, accented and other-script letters, spaces,
// hyphens, apostrophes (never a lone combining mark, which would join the letter before it)
const affix = fc.array(
  fc.oneof(
    fc.constantFrom("a", "Z", "é", "ß", "Ø", " ", "-", "'", "’", ". "),
    otherLetter,
    fc.constantFrom("Мария", "Ольга", "李", "محمد", "Ελένη", "देवी", "김", "יוסף")
  ),
  { maxLength: 6 }
).map((parts) => parts.join(""))

describe("Normalise.name: letters of every script", () => {
  it.each([
    ["Anna Мария", "ANNA МАРИЯ"],
    ["anna  ольга", "ANNA ОЛЬГА"],
    ["Иван", "ИВАН"],
    ["Йовић", "ЙОВИЋ"],
    ["李", "李"],
    ["محمد", "محمد"],
    ["مـحمد", "محمد"],
    ["김민준", "김민준"],
    ["देवी", "देवी"],
    ["Əliyev", "ƏLIYEV"],
    ["Ħili", "HILI"],
    ["Saʿid", "SAID"]
  ])("%j → %j", (input, expected) => {
    expect(Normalise.name(input)).toBe(expected)
  })

  it("the QA examples: Anna Мария and Anna Ольга are different names", () => {
    expect(Normalise.name("Anna Мария")).not.toBe(Normalise.name("Anna Ольга"))
    expect(Normalise.nameKey("Anna Мария")).not.toBe(Normalise.nameKey("Anna Ольга"))
    expect(Normalise.nameKey("Anna Мария")).not.toBe(Normalise.nameKey("Anna"))
  })

  it("composed and decomposed text, and case, do not matter (Й is И with a breve)", () => {
    expect(Normalise.nameKey("Й".normalize("NFD"))).toBe(Normalise.nameKey("Й"))
    expect(Normalise.nameKey("йовић")).toBe(Normalise.nameKey("ЙОВИЋ"))
    expect(Normalise.nameKey("김".normalize("NFD"))).toBe("김")
    // but a breve on a Cyrillic letter is part of the letter
    expect(Normalise.nameKey("Йван")).not.toBe(Normalise.nameKey("Иван"))
  })

  it("no two letters of the other scripts share a normal form (every such letter of Unicode)", () => {
    const seen = new Map<string, string>()
    const clashes: Array<string> = []
    for (const c of OTHER_SCRIPT_LETTERS) {
      const key = Normalise.nameKey(c)
      const before = seen.get(key)
      if (key === "" || before !== undefined) clashes.push(`${c} ${before ?? ""}`)
      seen.set(key, c)
    }
    expect(OTHER_SCRIPT_LETTERS.length).toBeGreaterThan(100_000)
    expect(clashes).toEqual([])
  })

  it("two names that differ in one letter of another script never get the same normal form or key (property)", () => {
    fc.assert(fc.property(affix, otherLetter, otherLetter, affix, (before, x, y, after) => {
      fc.pre(x !== y)
      const a = `${before}${x}${after}`
      const b = `${before}${y}${after}`
      expect(Normalise.name(a)).not.toBe(Normalise.name(b))
      expect(Normalise.nameKey(a)).not.toBe(Normalise.nameKey(b))
      expect(Comparison.compareNames(a, b)).not.toBe("Exact")
    }), { numRuns: 2_000 })
  })

  it("Latin folds as it always did: the same normal form as the A-Z rule for ASCII and Latin-1/Extended-A text (property)", () => {
    // Ħ, Ŧ now fold to H, T (the old rule dropped them); Ŋ and µ (Greek mu) are now kept
    const latin = codePoints((c) => {
      const cp = c.codePointAt(0)!
      return (cp >= 0x20 && cp <= 0x7e) || (cp >= 0xa0 && cp <= 0x17f)
    }).filter((c) => !"ĦħŦŧŊŋµ".includes(c))
    fc.assert(fc.property(fc.array(anyOf(latin), { maxLength: 30 }).map((cs) => cs.join("")), (s) => {
      expect(Normalise.name(s)).toBe(oldName(s))
    }), { numRuns: 5_000 })
    expect(Normalise.name("Zoë")).toBe("ZOE")
    expect(Normalise.name("O'Brien")).toBe("OBRIEN")
    expect(Normalise.name("Smith-Jones")).toBe("SMITH JONES")
  })

  it("any A-Z letter with Latin diacritics folds to the letter (property)", () => {
    const marks = fc.array(fc.integer({ min: 0x300, max: 0x36f }).map((cp) => String.fromCodePoint(cp)), { minLength: 1, maxLength: 3 })
    fc.assert(fc.property(fc.stringMatching(/^[A-Za-z]{1,8}$/), marks, (s, m) => {
      expect(Normalise.nameKey(`${s}${m.join("")}`)).toBe(s.toUpperCase())
    }))
  })

  it("is idempotent and keeps only letters, digits, their marks and single inner spaces (property)", () => {
    fc.assert(fc.property(fc.oneof(fc.string({ unit: "grapheme", maxLength: 30 }), affix), (s) => {
      const n = Normalise.name(s)
      expect(Normalise.name(n)).toBe(n)
      expect(n).toMatch(/^(?:[\p{L}\p{N}\p{M}]+(?: [\p{L}\p{N}\p{M}]+)*)?$/u)
      // a Latin letter never keeps a diacritic
      expect(n).not.toMatch(/\p{Script=Latin}\p{M}/u)
    }))
  })
})

const dateOfBirth = Schema.decodeSync(Fields.DateOfBirth)("2004-03-07")
const details = (givenName: string, familyName: string) => ({ givenName, familyName, dateOfBirth, verificationType: 1 as const })

describe("Learner.insufficientData: a name of any script is a name", () => {
  it.each(["Иван", "李", "محمد", "Ελένη", "김", "देवी", "Ŋoma"])("%j is sufficient", (name) => {
    expect(Learner.insufficientData(details(name, name), "2024-01-01")).toEqual([])
  })

  it("every letter of every script, alone, is a sufficient name", () => {
    const refused = LETTERS.filter((c) => Learner.insufficientData(details(c, c), "2024-01-01").length > 0)
    expect(LETTERS.length).toBeGreaterThan(100_000)
    expect(refused).toEqual([])
  })

  it("a name with a letter of any script, whatever stands around it, is sufficient (property)", () => {
    const punctuation = fc.array(fc.constantFrom(" ", "-", "'", ".", "ʼ", "\u0301"), { maxLength: 3 }).map((p) => p.join(""))
    fc.assert(fc.property(punctuation, anyOf(LETTERS), punctuation, (before, letter, after) => {
      expect(Learner.insufficientData(details(`${before}${letter}${after}`, "Smith"), "2024-01-01")).toEqual([])
    }), { numRuns: 2_000 })
  })

  it("still refuses names with no letter or digit in any script", () => {
    for (const name of ["-", ".", " ' ", "\u0301", "ʻ", "ـ"]) {
      expect(Learner.insufficientData(details(name, "Smith"), "2024-01-01").map((p) => p.field)).toEqual(["givenName"])
    }
  })
})

describe("comparison and verification of names in other scripts", () => {
  const held: Verification.Held = { uln: "1000000043", givenName: "Anna Мария", familyName: "Petrova", dateOfBirth: "2004-03-07", gender: 2 }

  it("Anna Ольга is not Anna Мария: not exact, and no phonetic agreement from the Latin part alone", () => {
    expect(Comparison.compareNames("Anna Ольга", "Anna Мария")).toBe("Weak")
    expect(Comparison.phoneticCodes("Anna Мария")).toEqual(["", ""])
    expect(Comparison.phoneticCodes("Иван")).toEqual(["", ""])
    expect(Comparison.compareNames("anna мария", "ANNA МАРИЯ")).toBe("Exact")
    expect(Comparison.compareNames("Мария", "Марія")).toBe("Similar")
  })

  it("verify: another given name in Cyrillic fails VRF1 (WSVRC005); a part of the name is similar, never exact", () => {
    expect(Verification.verify({ givenName: "Anna Ольга", familyName: "Petrova" }, held)).toEqual({
      responseCode: "WSVRC005", failureFlags: ["VRF1", "VRF2", "VRF3", "VRF4", "VRF6"], uln: held.uln
    })
    expect(Verification.verify({ givenName: "Anna", familyName: "Petrova" }, held).responseCode).toBe("WSVRC003")
    expect(Verification.verify({ givenName: "anna мария", familyName: "PETROVA" }, held).responseCode).toBe("WSVRC001")
  })

  it("matching: registering Anna Ольга beside Anna Мария is no exact duplicate, and a find tells them apart", () => {
    const base = { familyName: "Petrova", dateOfBirth: "2004-03-07", gender: 2, postcode: "CV4 7AL" }
    const maria = { ...base, uln: "1000000043", givenName: "Anna Мария" }
    const olga = { ...base, uln: "1000000051", givenName: "Anna Ольга" }
    expect(Matching.checkDuplicate({ ...base, givenName: "Anna Ольга" }, [maria])._tag).not.toBe("Duplicate")
    const index = LearnerIndex.make([maria, olga])
    const found = index.find({ ...base, givenName: "Anna Ольга" })
    expect(found.responseCode).toBe("WSRC0004")
    expect(found.learners.map((m) => m.uln)).toEqual([olga.uln])
  })
})

describe("blocking keys of names in other scripts", () => {
  const word = fc.array(otherLetter, { minLength: 1, maxLength: 8 }).map((cs) => cs.join(""))

  it("use the whole name key as the code, so different names block apart and the same name blocks together (property)", () => {
    fc.assert(fc.property(word, word, (given, family) => {
      const learner = { givenName: given, familyName: family, dateOfBirth: "2004-03-07", postcode: "CV4 9EE" }
      const keys = Blocking.blockingKeys(learner)
      expect(keys.dateOfBirthGivenName).toBe(`20040307:${Normalise.nameKey(given)}`)
      expect(keys.yearNames).toBe(`2004:${Normalise.nameKey(given)}:${Normalise.nameKey(family)}`)
      // an exact re-search looks up every key the learner has
      const lookups = Blocking.queryBlockingKeys(learner)
      for (const name of Blocking.keyNames) {
        const value = keys[name]
        if (value !== undefined) expect(lookups).toContainEqual({ key: name, value })
      }
      // the same name in lower case and decomposed blocks the same
      expect(Blocking.blockingKeys({ ...learner, givenName: given.toLowerCase().normalize("NFD") })).toEqual(keys)
    }))
  })

  it("never share a given-name key between two different names (property)", () => {
    fc.assert(fc.property(word, word, (a, b) => {
      fc.pre(Normalise.nameKey(a) !== Normalise.nameKey(b))
      const of = (givenName: string) => Blocking.blockingKeys({ givenName, familyName: "Smith", dateOfBirth: "2004-03-07", postcode: "CV4 9EE" })
      expect(of(a).dateOfBirthGivenName).not.toBe(of(b).dateOfBirthGivenName)
    }))
  })

  it("an initial is a whole character, even beyond the Basic Multilingual Plane", () => {
    const keys = Blocking.blockingKeys({ givenName: "𠮷野", familyName: "محمد", dateOfBirth: "2004-03-07", postcode: "CV4 9EE" })
    // 𠮷 whole (two UTF-16 units), not its first half
    expect(keys.postcodeInitials).toBe("CV4:𠮷م")
  })

  it("find the learner again by an exact search, in an index of many", () => {
    const names = ["Иван", "李", "محمد", "Ελένη", "김민준", "देवी", "Anna Мария", "Anna Ольга"]
    const learners = names.flatMap((given, i) => names.map((family, j) => ({
      uln: String(1_000_000_000 + i * 100 + j), givenName: given, familyName: family, dateOfBirth: "2004-03-07", gender: 1, postcode: "CV4 9EE"
    })))
    const index = LearnerIndex.make(learners)
    for (const learner of learners) {
      const found = index.find(learner)
      expect(found.responseCode, `${learner.givenName} ${learner.familyName}`).toBe("WSRC0004")
      expect(found.learners.map((m) => m.uln)).toEqual([learner.uln])
    }
  })
})
