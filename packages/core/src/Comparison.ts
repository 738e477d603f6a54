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
 * - `Exact`: the same after normalisation ({@link Normalise.nameKey}).
 * - `VerySimilar`: Jaro-Winkler ≥ 0.92 (one slip in a longer name: `Jonathon`/`Jonathan`).
 * - `Similar`: Jaro-Winkler ≥ 0.88.
 * - `Nickname`: a known diminutive of the same name (`Robert`/`Bob`, `Elizabeth`/`Liz`).
 * - `Phonetic`: a Double Metaphone code in common (`Smith`/`Smyth`/`Schmidt`).
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
 * @since 0.1.0
 * @category constants
 */
export const levelPoints = {
  name: { Exact: 1, VerySimilar: 0.9, Similar: 0.8, Nickname: 0.8, Phonetic: 0.75, Weak: 0.4, Different: 0 },
  dateOfBirth: { Exact: 1, DayMonthSwap: 0.8, OneCharacter: 0.7, Placeholder: 0.4, Different: 0 },
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
  return { key, primary, alternate, nicknames: nicknameGroups(key) }
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
  const s = jw(a.key, b.key)
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

const digitsOf = (date: string): string => date.replace(/-/g, "")

/**
 * Compares two `YYYY-MM-DD` dates of birth.
 *
 * @since 0.1.0
 * @category comparators
 */
export const compareDatesOfBirth = (a: string, b: string): DateOfBirthLevel => {
  if (a === b) return "Exact"
  if (a.length !== 10 || b.length !== 10) return "Different"
  const sameYear = a.slice(0, 4) === b.slice(0, 4)
  const am = a.slice(5, 7), ad = a.slice(8, 10), bm = b.slice(5, 7), bd = b.slice(8, 10)
  if (sameYear && am === bd && ad === bm) return "DayMonthSwap"
  const x = digitsOf(a), y = digitsOf(b)
  if (x.length === 8 && y.length === 8) {
    let first = -1
    let differences = 0
    for (let i = 0; i < 8; i++) {
      if (x.charCodeAt(i) !== y.charCodeAt(i)) {
        if (differences === 0) first = i
        differences++
      }
    }
    if (differences === 1) return "OneCharacter"
    if (differences === 2 && first < 7 && x[first] === y[first + 1] && x[first + 1] === y[first]) return "OneCharacter"
  }
  if (sameYear && ((am === "01" && ad === "01") || (bm === "01" && bd === "01"))) return "Placeholder"
  return "Different"
}

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
