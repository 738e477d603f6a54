/**
 * Deterministic synthetic learners for tests, demos and the matching benchmark: UK given and family
 * names drawn by frequency (the data files under `data/` say where the lists come from), valid UK
 * postcodes from an outward/inward pattern table, plausible dates of birth and genders, previous
 * family names for some, and linked (merged) duplicates. Plus a corruption model with ground truth:
 * searches for those learners as a provider might type them.
 *
 * The same seed always gives the same learners and the same searches.
 *
 * @since 0.1.0
 */
import * as Csv from "./Csv.js"
import { FAMILY_NAMES } from "./data/family-names.js"
import { FEMALE_GIVEN_NAMES, MALE_GIVEN_NAMES } from "./data/given-names.js"
import { NICKNAME_GROUPS } from "./data/nicknames.js"
import { AREA_DISTRICTS, SUB_DISTRICTS, UNIT_LETTERS } from "./data/postcode-districts.js"
import * as Random from "./internal/random.js"
import type * as Matching from "./Matching.js"
import * as Postcode from "./Postcode.js"
import * as Uln from "./Uln.js"

/**
 * A synthetic learner: a row of the registry CSV. `masterUln` is set on linked learners.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyntheticLearner {
  readonly uln: string
  readonly givenName: string
  readonly familyName: string
  readonly dateOfBirth: string
  readonly gender: 0 | 1 | 2 | 9
  readonly postcode: string
  readonly previousFamilyName?: string | undefined
  readonly masterUln?: string | undefined
}

/**
 * Options for {@link generate}.
 *
 * @since 0.1.0
 * @category models
 */
export interface GenerateOptions {
  /** How many learners (rows), linked learners included. */
  readonly learners: number
  /** Same seed, same learners. */
  readonly seed: string | number
  /** Share of rows that are linked duplicates of an earlier learner (default 0.01). */
  readonly linkedShare?: number
}

interface Sampler {
  readonly names: ReadonlyArray<string>
  readonly cumulative: Float64Array
}

const sampler = (rows: ReadonlyArray<readonly [string, number]>): Sampler => {
  const cumulative = new Float64Array(rows.length)
  let total = 0
  rows.forEach(([, w], i) => {
    total += w
    cumulative[i] = total
  })
  return { names: rows.map(([n]) => n), cumulative }
}

const uniform = (random: Random.RandomSource): number => random() / 0x1_0000_0000

const draw = (random: Random.RandomSource, s: Sampler): string => {
  const target = uniform(random) * s.cumulative[s.cumulative.length - 1]!
  let lo = 0
  let hi = s.cumulative.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (s.cumulative[mid]! > target) hi = mid
    else lo = mid + 1
  }
  return s.names[lo]!
}

const pick = <A>(random: Random.RandomSource, xs: ReadonlyArray<A>): A => xs[Random.below(random, xs.length)]!

const FEMALE = sampler(FEMALE_GIVEN_NAMES)
const MALE = sampler(MALE_GIVEN_NAMES)
const FAMILY = sampler(FAMILY_NAMES)
const OUTWARDS: ReadonlyArray<string> = [
  ...AREA_DISTRICTS.flatMap(([area, ranges]) => ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => `${area}${from + i}`))),
  ...SUB_DISTRICTS
]
// Spellings with diacritics some learners really have; normalisation must make them agree.
const ACCENTED: Readonly<Record<string, string>> = { Zoe: "Zoë", Chloe: "Chloé", Sian: "Siân", Renee: "Renée" }

const pad = (n: number): string => String(n).padStart(2, "0")
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
const daysIn = (y: number, m: number): number => (m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0) ? 29 : DAYS[m - 1]!)

/**
 * The first and last birth years of generated learners (aged 14 to 30 in 2024).
 *
 * @since 0.1.0
 * @category constants
 */
export const birthYears = { from: 1994, to: 2010 } as const

const inward = (random: Random.RandomSource): string =>
  `${Random.below(random, 10)}${pick(random, [...UNIT_LETTERS])}${pick(random, [...UNIT_LETTERS])}`

/**
 * A random valid UK postcode from the pattern table.
 *
 * @since 0.1.0
 * @category generators
 */
export const postcode = (random: Random.RandomSource): string => {
  for (;;) {
    const p = `${pick(random, OUTWARDS)} ${inward(random)}`
    if (Postcode.isValid(p)) return p
  }
}

const dateOfBirth = (random: Random.RandomSource): string => {
  const y = birthYears.from + Random.below(random, birthYears.to - birthYears.from + 1)
  const m = 1 + Random.below(random, 12)
  const d = 1 + Random.below(random, daysIn(y, m))
  return `${y}-${pad(m)}-${pad(d)}`
}

const gender = (random: Random.RandomSource): 0 | 1 | 2 | 9 => {
  const x = Random.below(random, 1000)
  return x < 485 ? 1 : x < 970 ? 2 : x < 990 ? 9 : 0
}

const givenName = (random: Random.RandomSource, g: 0 | 1 | 2 | 9): string => {
  const female = g === 2 || (g !== 1 && Random.below(random, 2) === 0)
  const n = draw(random, female ? FEMALE : MALE)
  const accented = ACCENTED[n]
  return accented !== undefined && Random.below(random, 4) === 0 ? accented : n
}

const familyName = (random: Random.RandomSource): string => {
  const a = draw(random, FAMILY)
  // about 2% of people have a double-barrelled name
  if (Random.below(random, 50) !== 0) return a
  const b = draw(random, FAMILY)
  return b === a ? a : `${a}-${b}`
}

/**
 * Generates `learners` synthetic learners. About 1 in 10 women born before 2000 has a previous family
 * name (a change at marriage); about 1 in 100 rows is a linked learner: a second registration of an
 * earlier learner, with a small difference, merged into it (`masterUln`).
 *
 * @since 0.1.0
 * @category generators
 */
export const generate = (options: GenerateOptions): Array<SyntheticLearner> => {
  const random = Random.seeded(`learners:${options.seed}`)
  const nextUln = Uln.generator({ seed: `ulns:${options.seed}` })
  const used = new Set<string>()
  const freshUln = (): string => {
    for (;;) {
      const u = nextUln()
      if (!used.has(u)) {
        used.add(u)
        return u
      }
    }
  }
  const linkedPerMille = Math.round((options.linkedShare ?? 0.01) * 1000)
  const out: Array<SyntheticLearner> = []
  for (let i = 0; i < options.learners; i++) {
    if (out.length > 10 && Random.below(random, 1000) < linkedPerMille) {
      const master = out[Random.below(random, out.length)]!
      if (master.masterUln === undefined) {
        out.push(linkedCopy(random, master, freshUln()))
        continue
      }
    }
    const g = gender(random)
    const dob = dateOfBirth(random)
    const family = familyName(random)
    const married = g === 2 && dob < "2000" && Random.below(random, 10) === 0
    out.push({
      uln: freshUln(),
      givenName: givenName(random, g),
      familyName: married ? familyName(random) : family,
      dateOfBirth: dob,
      gender: g,
      postcode: postcode(random),
      previousFamilyName: married ? family : undefined
    })
  }
  return out
}

// A second registration of the same person, as merges find them: a typo, an old address, a swapped date.
const linkedCopy = (random: Random.RandomSource, master: SyntheticLearner, uln: string): SyntheticLearner => {
  const base = { ...master, uln, masterUln: master.uln }
  switch (Random.below(random, 3)) {
    case 0: return { ...base, givenName: typo(random, master.givenName) }
    case 1: return { ...base, postcode: moveWithinDistrict(random, master.postcode) }
    default: return { ...base, familyName: typo(random, master.familyName) }
  }
}

const LETTERS = "abcdefghijklmnopqrstuvwxyz"

/**
 * One keyboard slip in a name: a letter changed, dropped, doubled or inserted, or two neighbours
 * swapped. The result differs from the input and keeps at least two letters.
 *
 * @since 0.1.0
 * @category corruption
 */
export const typo = (random: Random.RandomSource, name: string): string => {
  for (let attempt = 0; attempt < 20; attempt++) {
    const chars = [...name]
    const at = 1 + Random.below(random, Math.max(1, chars.length - 1))
    const letter = pick(random, [...LETTERS])
    switch (Random.below(random, 4)) {
      case 0: chars[Math.min(at, chars.length - 1)] = letter; break
      case 1: if (chars.length > 2) chars.splice(at, 1); break
      case 2: chars.splice(at, 0, letter); break
      default: if (at < chars.length - 1) [chars[at], chars[at + 1]] = [chars[at + 1]!, chars[at]!]
    }
    const out = chars.join("")
    if (out.toLowerCase() !== name.toLowerCase() && /[A-Za-z].*[A-Za-z]/.test(out)) return out
  }
  return `${name}${pick(random, [...LETTERS])}`
}

/**
 * The same outward code with a new inward code (a move within the postcode district).
 *
 * @since 0.1.0
 * @category corruption
 */
export const moveWithinDistrict = (random: Random.RandomSource, from: string): string => {
  const outward = from.split(" ")[0] ?? from
  for (;;) {
    const p = `${outward} ${inward(random)}`
    if (p !== from && Postcode.isValid(p)) return p
  }
}

const nicknamesOf = (name: string): ReadonlyArray<string> => {
  const key = name.toUpperCase()
  const out = new Set<string>()
  for (const line of NICKNAME_GROUPS) {
    const names = line.split(" ")
    if (names.includes(key)) for (const n of names) if (n !== key) out.add(n)
  }
  return [...out].map((n) => n.charAt(0) + n.slice(1).toLowerCase())
}

/**
 * The kinds of error the corruption model makes (each query gets one or two, or none):
 * `typoGivenName`, `typoFamilyName`, `nickname` (a diminutive instead of the given name),
 * `surnameChange` (the family name changed at marriage: the search gives the old name as family
 * name, or the new one with the old as previous family name), `dayMonthSwap`, `dobPlaceholder`
 * (`YYYY-01-01` for an unknown day and month), `dobTypo` (one digit of the date wrong),
 * `moveWithinDistrict`, `transposedNames`, and `missingOptionalFields` (the search leaves out the
 * optional fields it could have given).
 *
 * @since 0.1.0
 * @category corruption
 */
export type Corruption =
  | "typoGivenName"
  | "typoFamilyName"
  | "nickname"
  | "surnameChange"
  | "dayMonthSwap"
  | "dobPlaceholder"
  | "dobTypo"
  | "moveWithinDistrict"
  | "transposedNames"
  | "missingOptionalFields"

/**
 * Every corruption kind, in a fixed order.
 *
 * @since 0.1.0
 * @category corruption
 */
export const corruptions: ReadonlyArray<Corruption> = [
  "typoGivenName", "typoFamilyName", "nickname", "surnameChange", "dayMonthSwap", "dobPlaceholder", "dobTypo",
  "moveWithinDistrict", "transposedNames", "missingOptionalFields"
]

type Search = { -readonly [K in keyof Matching.Details]: Matching.Details[K] }

/**
 * Whether a corruption can be applied to a learner (a nickname needs a name that has one, a
 * day↔month swap a day of 12 or less, …).
 *
 * @since 0.1.0
 * @category corruption
 */
export const applies = (kind: Corruption, learner: SyntheticLearner): boolean => {
  const m = Number(learner.dateOfBirth.slice(5, 7)), d = Number(learner.dateOfBirth.slice(8, 10))
  switch (kind) {
    case "nickname": return nicknamesOf(learner.givenName).length > 0
    case "dayMonthSwap": return d <= 12 && d !== m
    case "dobPlaceholder": return !(m === 1 && d === 1)
    case "transposedNames": return learner.givenName.toUpperCase() !== learner.familyName.toUpperCase()
    case "missingOptionalFields": return learner.previousFamilyName !== undefined
    default: return true
  }
}

const applyCorruption = (random: Random.RandomSource, kind: Corruption, s: Search, learner: SyntheticLearner): void => {
  switch (kind) {
    case "typoGivenName": s.givenName = typo(random, s.givenName); break
    case "typoFamilyName": s.familyName = typo(random, s.familyName); break
    case "nickname": s.givenName = pick(random, nicknamesOf(learner.givenName)); break
    case "surnameChange":
      if (learner.previousFamilyName !== undefined) {
        s.familyName = learner.previousFamilyName
        delete s.previousFamilyName
      } else {
        s.previousFamilyName = learner.familyName
        for (;;) {
          s.familyName = familyName(random)
          if (s.familyName !== learner.familyName) break
        }
      }
      break
    case "dayMonthSwap": s.dateOfBirth = `${s.dateOfBirth.slice(0, 5)}${s.dateOfBirth.slice(8, 10)}-${s.dateOfBirth.slice(5, 7)}`; break
    case "dobPlaceholder": s.dateOfBirth = `${s.dateOfBirth.slice(0, 4)}-01-01`; break
    case "dobTypo": s.dateOfBirth = dobTypo(random, s.dateOfBirth); break
    case "moveWithinDistrict": s.postcode = moveWithinDistrict(random, learner.postcode); break
    case "transposedNames": [s.givenName, s.familyName] = [s.familyName, s.givenName]; break
    case "missingOptionalFields": delete s.previousFamilyName; break
  }
}

const validDate = (s: string): boolean => {
  const y = Number(s.slice(0, 4)), m = Number(s.slice(5, 7)), d = Number(s.slice(8, 10))
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= daysIn(y, m)
}

// One digit of the date mistyped; always a real date, and never a day↔month swap.
const dobTypo = (random: Random.RandomSource, date: string): string => {
  const positions = [2, 3, 5, 6, 8, 9]
  for (;;) {
    const at = pick(random, positions)
    const digit = String(Random.below(random, 10))
    const out = date.slice(0, at) + digit + date.slice(at + 1)
    const swapped = `${date.slice(0, 5)}${date.slice(8, 10)}-${date.slice(5, 7)}`
    if (out !== date && out !== swapped && validDate(out)) return out
  }
}

/**
 * A search with its ground truth: `truth` is the ULN the search should find (the master's), or
 * `undefined` for a person who is not on the register.
 *
 * @since 0.1.0
 * @category models
 */
export interface SyntheticSearch {
  readonly id: string
  readonly search: Matching.Details
  readonly truth: string | undefined
  readonly corruptions: ReadonlyArray<Corruption>
}

/**
 * Options for {@link searches}.
 *
 * @since 0.1.0
 * @category models
 */
export interface SearchOptions {
  readonly count: number
  readonly seed: string | number
  /** Share of searches with no error (default 0.1). */
  readonly cleanShare?: number
  /** Share with two errors (default 0.15). */
  readonly doubleShare?: number
  /** Share for people not on the register (default 0.05). */
  readonly absentShare?: number
}

/**
 * Searches for learners of `registry` (never for linked rows) made with the corruption model: about
 * 10% clean, 70% with one error (kinds in equal shares), 15% with two, 5% for people who are not on
 * the register. Names and postcodes are sometimes typed in capitals or without the postcode's space,
 * which is not an error. A search includes the learner's previous family name about half the time.
 *
 * @since 0.1.0
 * @category corruption
 */
export const searches = (registry: ReadonlyArray<SyntheticLearner>, options: SearchOptions): Array<SyntheticSearch> => {
  const random = Random.seeded(`searches:${options.seed}`)
  const masters = registry.filter((l) => l.masterUln === undefined)
  if (masters.length === 0) return []
  const clean = options.cleanShare ?? 0.1
  const double = options.doubleShare ?? 0.15
  const absent = options.absentShare ?? 0.05
  const strangers = generate({ learners: Math.max(1, Math.ceil(options.count * absent) + 10), seed: `strangers:${options.seed}`, linkedShare: 0 })
  const out: Array<SyntheticSearch> = []
  for (let i = 0; i < options.count; i++) {
    const id = `q${i + 1}`
    const x = uniform(random)
    if (x < absent) {
      const stranger = strangers[Random.below(random, strangers.length)]!
      out.push({ id, search: toSearch(random, stranger), truth: undefined, corruptions: [] })
      continue
    }
    const errors = x < absent + clean ? 0 : x < absent + clean + double ? 2 : 1
    for (;;) {
      const learner = masters[Random.below(random, masters.length)]!
      const kinds: Array<Corruption> = []
      for (let tries = 0; kinds.length < errors && tries < 50; tries++) {
        const k = pick(random, corruptions)
        if (applies(k, learner) && !kinds.includes(k) && compatible(k, kinds)) kinds.push(k)
      }
      if (kinds.length < errors) continue
      const s = toSearch(random, learner)
      for (const k of kinds) applyCorruption(random, k, s, learner)
      out.push({ id, search: noise(random, s), truth: learner.uln, corruptions: kinds })
      break
    }
  }
  return out
}

// Two errors on the same field would be one error twice.
const FIELD: Record<Corruption, string> = {
  typoGivenName: "given", nickname: "given", typoFamilyName: "family", surnameChange: "family", transposedNames: "names",
  dayMonthSwap: "dob", dobPlaceholder: "dob", dobTypo: "dob", moveWithinDistrict: "postcode", missingOptionalFields: "optional"
}
const compatible = (k: Corruption, kinds: ReadonlyArray<Corruption>): boolean =>
  kinds.every((o) => FIELD[o] !== FIELD[k] && !(FIELD[k] === "names" && (FIELD[o] === "given" || FIELD[o] === "family")) &&
    !(FIELD[o] === "names" && (FIELD[k] === "given" || FIELD[k] === "family")) &&
    !(FIELD[k] === "optional" && FIELD[o] === "family") && !(FIELD[o] === "optional" && FIELD[k] === "family"))

const toSearch = (random: Random.RandomSource, l: SyntheticLearner): Search => {
  const s: Search = { givenName: l.givenName, familyName: l.familyName, dateOfBirth: l.dateOfBirth, gender: l.gender, postcode: l.postcode }
  if (l.previousFamilyName !== undefined && Random.below(random, 2) === 0) s.previousFamilyName = l.previousFamilyName
  return s
}

// How people type: capitals, stray spaces, postcodes without their space. Not errors.
const noise = (random: Random.RandomSource, s: Search): Search => {
  const x = Random.below(random, 10)
  if (x === 0) return { ...s, givenName: s.givenName.toUpperCase(), familyName: s.familyName.toUpperCase() }
  if (x === 1) return { ...s, postcode: s.postcode.replace(" ", "").toLowerCase() }
  if (x === 2) return { ...s, givenName: ` ${s.givenName} `, familyName: s.familyName.replace("-", " - ") }
  return s
}

/**
 * The registry CSV header of `lrs seed`, `lrs match` and `lrs verify`.
 *
 * @since 0.1.0
 * @category csv
 */
export const REGISTRY_HEADER = "uln,givenName,familyName,dateOfBirth,gender,postcode,previousFamilyName,masterUln"

const csvField = (s: string | number | undefined): string => (s === undefined ? "" : Csv.formatField(String(s)))

/**
 * One registry CSV line (no line break).
 *
 * @since 0.1.0
 * @category csv
 */
export const toRegistryLine = (l: SyntheticLearner): string =>
  [l.uln, l.givenName, l.familyName, l.dateOfBirth, l.gender, l.postcode, l.previousFamilyName, l.masterUln].map(csvField).join(",")

/**
 * The match-query CSV header written by `lrs seed --queries`: the search columns, then the ground
 * truth (`expectedUln`, `corruptions`) that `lrs match` ignores.
 *
 * @since 0.1.0
 * @category csv
 */
export const SEARCH_HEADER = "id,givenName,familyName,dateOfBirth,gender,postcode,previousFamilyName,expectedUln,corruptions"

/**
 * One match-query CSV line (no line break).
 *
 * @since 0.1.0
 * @category csv
 */
export const toSearchLine = (q: SyntheticSearch): string =>
  [q.id, q.search.givenName, q.search.familyName, q.search.dateOfBirth, q.search.gender, q.search.postcode, q.search.previousFamilyName, q.truth, q.corruptions.join(" ")]
    .map(csvField).join(",")
