/**
 * Comparison levels per field, in the spirit of Splink's comparison library (PRACTICE §2.1): each
 * pair of values lands on one level, from exact agreement down to different, and each level is
 * worth a fixed share of the field's weight (see {@link levelPoints} and `docs/matching.md`).
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import { jaroWinkler as jw } from "./internal/jaroWinkler.js"
import { nicknameGroups, shareGroup } from "./internal/nicknames.js"
import { doubleMetaphone } from "./internal/phonetic.js"
import * as Normalise from "./Normalise.js"

/**
 * How two names compare, best first:
 * - `Exact`: the same after normalisation ({@link Normalise.nameKey}), in whatever script.
 * - `VerySimilar`: Jaro-Winkler ≥ 0.92 (one slip in a longer name: `Jonathon`/`Jonathan`).
 * - `Similar`: Jaro-Winkler ≥ 0.88.
 * - `Nickname`: a known diminutive of the same name (`Robert`/`Bob`, `Elizabeth`/`Liz`).
 * - `Phonetic`: a Double Metaphone code in common (`Smith`/`Smyth`/`Schmidt`); only names written
 *   in A-Z have codes.
 * - `Weak`: Jaro-Winkler ≥ 0.70.
 * - `Different`: none of these (or either name is empty after normalisation).
 *
 * @since 0.1.0
 * @category models
 */
export type NameLevel = "Exact" | "VerySimilar" | "Similar" | "Nickname" | "Phonetic" | "Weak" | "Different"

/**
 * How two dates of birth compare:
 * - `Exact`: the same date.
 * - `DayMonthSwap`: the same year with day and month swapped (`2004-03-07`/`2004-07-03`).
 * - `OneCharacter`: one digit different, or two adjacent digits swapped, in `YYYYMMDD`
 *   (Damerau-Levenshtein distance 1).
 * - `Placeholder`: the same year, and one of the two is `YYYY-01-01`, the usual stand-in for an
 *   unknown day and month.
 * - `Different`: none of these.
 *
 * @since 0.1.0
 * @category models
 */
export type DateOfBirthLevel = "Exact" | "DayMonthSwap" | "OneCharacter" | "Placeholder" | "Different"

/**
 * How two postcodes compare: the same `Full` postcode, the same `Sector` (`SW1A 2`), `District`
 * (`SW1`), `Area` (`SW`), or `Different`. Spaces and case never matter.
 *
 * @since 0.1.0
 * @category models
 */
export type PostcodeLevel = "Full" | "Sector" | "District" | "Area" | "Different"

/**
 * How two genders compare: `Equal` codes, `Unknown` when either is 0 (not known) or 9 (not
 * specified), `Different` otherwise.
 *
 * @since 0.1.0
 * @category models
 */
export type GenderLevel = "Equal" | "Unknown" | "Different"

/**
 * The share of a field's weight each level earns (0 to 1).
 *
 * A `Placeholder` date says only the year, which many people share: its share is small enough
 * that names, gender and year alone (60 + 25·share) stay under the possible-match threshold of
 * 0.65, and large enough that any agreement on the postcode, down to the area (+4.5), lifts
 * them over it. Otherwise, on a large register, every namesake born that year anywhere is a
 * possible match, and a 01-01 search for a common name ends in WSRC0002 (docs/matching.md §2).
 *
 * @since 0.1.0
 * @category constants
 */
export const levelPoints = {
  name: { Exact: 1, VerySimilar: 0.9, Similar: 0.8, Nickname: 0.8, Phonetic: 0.75, Weak: 0.4, Different: 0 },
  dateOfBirth: { Exact: 1, DayMonthSwap: 0.8, OneCharacter: 0.7, Placeholder: 0.1, Different: 0 },
  postcode: { Full: 1, Sector: 0.8, District: 0.6, Area: 0.3, Different: 0 },
  gender: { Equal: 1, Unknown: 0.5, Different: 0 }
} as const satisfies {
  readonly name: Record<NameLevel, number>
  readonly dateOfBirth: Record<DateOfBirthLevel, number>
  readonly postcode: Record<PostcodeLevel, number>
  readonly gender: Record<GenderLevel, number>
}

/**
 * Jaro-Winkler similarity of two strings (prefix scale 0.1, prefix of at most 4).
 *
 * @since 0.1.0
 * @category comparators
 */
export const jaroWinkler = (a: string, b: string): number => jw(a, b)

/**
 * A name made ready for comparison: its key, its Double Metaphone codes and its nickname groups.
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedName {
  readonly key: string
  readonly primary: string
  readonly alternate: string
  readonly nicknames: ReadonlyArray<number>
  /** One bit per letter A-Z (digits and other letters share six bits): a cheap upper bound on Jaro-Winkler. */
  readonly letters: number
}

// Characters sharing a bit only loosen the bound below (it counts them as matching), so the letters
// of other scripts, compared as UTF-16 units like everything here, share the digits' six bits.
const letterBit = (code: number): number => (code >= 65 && code <= 90 ? 1 << (code - 65) : 1 << (26 + (code % 6)))
const lettersOf = (key: string): number => {
  let mask = 0
  for (let i = 0; i < key.length; i++) mask |= letterBit(key.charCodeAt(i))
  return mask
}
const countIn = (key: string, mask: number): number => {
  let n = 0
  for (let i = 0; i < key.length; i++) if ((mask & letterBit(key.charCodeAt(i))) !== 0) n++
  return n
}

// The most Jaro-Winkler could be: at most as many characters can match as each name has letters
// that occur in the other, and the prefix bonus is at most the common prefix. Saves computing
// Jaro-Winkler for the many candidate names that could not reach 0.7.
const jaroWinklerBound = (a: PreparedName, b: PreparedName): number => {
  const m = Math.min(countIn(a.key, b.letters), countIn(b.key, a.letters))
  if (m === 0) return 0
  const j = (m / a.key.length + m / b.key.length + 1) / 3
  const limit = Math.min(4, a.key.length, b.key.length)
  let prefix = 0
  while (prefix < limit && a.key.charCodeAt(prefix) === b.key.charCodeAt(prefix)) prefix++
  return j + prefix * 0.1 * (1 - j)
}

/**
 * Normalises a name and computes what comparing it needs, once.
 *
 * @since 0.1.0
 * @category preparing
 */
export const prepareName = (input: string): PreparedName => {
  const key = Normalise.nameKey(input)
  const [primary, alternate] = doubleMetaphone(key)
  return { key, primary, alternate, nicknames: nicknameGroups(key), letters: lettersOf(key) }
}

/**
 * The Double Metaphone codes (primary, alternate) of a name, after normalisation.
 *
 * @since 0.1.0
 * @category comparators
 */
export const phoneticCodes = (input: string): readonly [string, string] => doubleMetaphone(Normalise.nameKey(input))

const phoneticAgree = (a: PreparedName, b: PreparedName): boolean =>
  a.primary !== "" && b.primary !== "" &&
  (a.primary === b.primary || a.primary === b.alternate || a.alternate === b.primary || a.alternate === b.alternate)

/**
 * Compares two prepared names.
 *
 * @since 0.1.0
 * @category comparators
 */
export const comparePreparedNames = (a: PreparedName, b: PreparedName): NameLevel => {
  if (a.key === "" || b.key === "") return "Different"
  if (a.key === b.key) return "Exact"
  const s = jaroWinklerBound(a, b) < 0.7 ? 0 : jw(a.key, b.key)
  if (s >= 0.92) return "VerySimilar"
  if (s >= 0.88) return "Similar"
  if (shareGroup(a.nicknames, b.nicknames)) return "Nickname"
  if (phoneticAgree(a, b)) return "Phonetic"
  if (s >= 0.7) return "Weak"
  return "Different"
}

/**
 * Compares two names as entered.
 *
 * @since 0.1.0
 * @category comparators
 */
export const compareNames = (a: string, b: string): NameLevel => comparePreparedNames(prepareName(a), prepareName(b))

/**
 * `true` for the levels that count as "similar" names: anything from exact to phonetic, but not
 * `Weak` or `Different`.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isSimilarName = (level: NameLevel): boolean => level !== "Weak" && level !== "Different"

// Positions of the digits of YYYY-MM-DD.
const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9]
const same = (a: string, i: number, b: string, j: number): boolean => a.charCodeAt(i) === b.charCodeAt(j)

/**
 * Compares two `YYYY-MM-DD` dates of birth. Allocates nothing: it runs once per candidate.
 *
 * @since 0.1.0
 * @category comparators
 */
export const compareDatesOfBirth = (a: string, b: string): DateOfBirthLevel => {
  if (a === b) return "Exact"
  if (a.length !== 10 || b.length !== 10) return "Different"
  const sameYear = same(a, 0, b, 0) && same(a, 1, b, 1) && same(a, 2, b, 2) && same(a, 3, b, 3)
  if (sameYear && same(a, 5, b, 8) && same(a, 6, b, 9) && same(a, 8, b, 5) && same(a, 9, b, 6)) return "DayMonthSwap"
  let first = -1
  let second = -1
  let differences = 0
  for (let k = 0; k < 8 && differences <= 2; k++) {
    const i = DIGITS[k]!
    if (!same(a, i, b, i)) {
      if (differences === 0) first = k
      else second = k
      differences++
    }
  }
  if (differences === 1) return "OneCharacter"
  if (differences === 2 && second === first + 1) {
    const i = DIGITS[first]!, j = DIGITS[second]!
    if (same(a, i, b, j) && same(a, j, b, i)) return "OneCharacter"
  }
  if (sameYear && (isNewYear(a) || isNewYear(b))) return "Placeholder"
  return "Different"
}

// `YYYY-01-01`
const isNewYear = (d: string): boolean =>
  d.charCodeAt(5) === 48 && d.charCodeAt(6) === 49 && d.charCodeAt(8) === 48 && d.charCodeAt(9) === 49

/**
 * A postcode made ready for comparison: its compact key and its sector, district and area (empty
 * when the postcode is not valid, so only the full key can agree).
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedPostcode {
  readonly key: string
  readonly sector: string
  readonly district: string
  readonly area: string
}

/**
 * Normalises a postcode and splits it into the parts comparison uses.
 *
 * @since 0.1.0
 * @category preparing
 */
export const preparePostcode = (input: string): PreparedPostcode => {
  const parts = Normalise.postcode(input)
  const key = Normalise.postcodeKey(input)
  return Option.isSome(parts)
    ? { key, sector: parts.value.sector, district: parts.value.district, area: parts.value.area }
    : { key, sector: "", district: "", area: "" }
}

/**
 * Compares two prepared postcodes.
 *
 * @since 0.1.0
 * @category comparators
 */
export const comparePreparedPostcodes = (a: PreparedPostcode, b: PreparedPostcode): PostcodeLevel => {
  if (a.key === "" || b.key === "") return "Different"
  if (a.key === b.key) return "Full"
  if (a.area === "" || b.area === "") return "Different"
  if (a.sector === b.sector) return "Sector"
  if (a.district === b.district) return "District"
  if (a.area === b.area) return "Area"
  return "Different"
}

/**
 * Compares two postcodes as entered.
 *
 * @since 0.1.0
 * @category comparators
 */
export const comparePostcodes = (a: string, b: string): PostcodeLevel =>
  comparePreparedPostcodes(preparePostcode(a), preparePostcode(b))

/**
 * Compares two LRS gender codes.
 *
 * @since 0.1.0
 * @category comparators
 */
export const compareGenders = (a: number, b: number): GenderLevel =>
  a === 0 || a === 9 || b === 0 || b === 9 ? "Unknown" : a === b ? "Equal" : "Different"
