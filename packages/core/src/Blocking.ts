/**
 * Blocking keys: a few plain strings per learner that a search looks up instead of scanning every
 * learner. The server keeps them in indexed columns (one column per {@link KeyName}) so the same SQL
 * runs on PostgreSQL and PGlite; {@link LearnerIndex} keeps them in memory.
 *
 * The keys are chosen so that every single error the matcher tolerates leaves at least one key
 * intact (a misspelt name keeps the date of birth with the other name, a wrong date keeps the names
 * with the year or the postcode district, a move within the district keeps them all), and so that
 * every key joins two or more fields: a block stays small on a register of millions (the full table
 * is in `docs/matching.md`).
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import { doubleMetaphone } from "./internal/phonetic.js"
import * as Normalise from "./Normalise.js"

/**
 * The named blocking keys of a learner. Each joins two or three fields, so a key's block stays a
 * handful of learners however large the register grows (a key of one field, such as the date of
 * birth alone, holds a fixed share of the register: ~140 learners per date at a million):
 * - `dateOfBirthFamilyName`: the date-of-birth key and the family name's phonetic code
 *   (`20040307:APRN`): survives any error in the given name or postcode.
 * - `dateOfBirthGivenName`: the date-of-birth key and the given name's code (`20040307:JN`):
 *   survives any error in the family name (a typo, a new family name) or postcode.
 * - `dateOfBirthPostcode`: the date-of-birth key and the postcode district (`20040307:CV4`):
 *   survives errors in both names at once.
 * - `yearNames`: the birth year and both names' codes (`2004:JN:APRN`): survives a wrong month or
 *   day (a one-digit slip, a 01-01 placeholder) and any postcode.
 * - `postcodeInitials`: the postcode district and both names' first letters (`CV4:JO`): survives any
 *   error in the date of birth, and most name typos.
 * - `dateOfBirthPreviousFamilyName`: the date-of-birth key and the previous family name's code
 *   (`undefined` when none), so a search by a maiden name finds the learner even with a given-name
 *   error.
 *
 * The date-of-birth key is the year, then the month and day in ascending order (`2004-07-03` and
 * `2004-03-07` both give `20040307`), so a day↔month swap keeps every key.
 *
 * @since 0.1.0
 * @category models
 */
export interface BlockingKeys {
  readonly dateOfBirthFamilyName: string
  readonly dateOfBirthGivenName: string
  readonly dateOfBirthPostcode: string
  readonly yearNames: string
  readonly postcodeInitials: string
  readonly dateOfBirthPreviousFamilyName: string | undefined
}

/**
 * The name of one blocking key (one indexed column on the server).
 *
 * @since 0.1.0
 * @category models
 */
export type KeyName = keyof BlockingKeys

/**
 * Every key name, in a fixed order.
 *
 * @since 0.1.0
 * @category constants
 */
export const keyNames: ReadonlyArray<KeyName> = [
  "dateOfBirthFamilyName",
  "dateOfBirthGivenName",
  "dateOfBirthPostcode",
  "yearNames",
  "postcodeInitials",
  "dateOfBirthPreviousFamilyName"
]

/**
 * One key to look up: the column and the value.
 *
 * @since 0.1.0
 * @category models
 */
export interface Lookup {
  readonly key: KeyName
  readonly value: string
}

/**
 * What blocking reads from a learner.
 *
 * @since 0.1.0
 * @category models
 */
export interface Keyed {
  readonly givenName: string
  readonly familyName: string
  readonly dateOfBirth: string
  readonly postcode: string
  readonly previousFamilyName?: string | undefined
}

/**
 * What blocking reads from a search: the learner's details plus, optionally, a previous family name.
 *
 * @since 0.1.0
 * @category models
 */
export type SearchKeyed = Keyed

/**
 * The `dateOfBirth` key of a `YYYY-MM-DD` date: year, then month and day in ascending order.
 *
 * @since 0.1.0
 * @category keys
 */
export const dateOfBirthKey = (date: string): string => {
  const y = date.slice(0, 4), m = date.slice(5, 7), d = date.slice(8, 10)
  return m <= d ? `${y}${m}${d}` : `${y}${d}${m}`
}

const yearOf = (date: string): string => date.slice(0, 4)

/**
 * The phonetic code used in the name keys: the Double Metaphone primary code of the normalised name,
 * or the normalised name key itself when it has no code: a name of digits, or a name with letters
 * outside A-Z (`Иван` → `ИВАН`, `Anna Мария` → `ANNAМАРИЯ`), which then blocks only with the same
 * name.
 *
 * @since 0.1.0
 * @category keys
 */
export const phoneticKey = (name: string): string => phoneticOfKey(Normalise.nameKey(name))

/** {@link phoneticKey} of a name already turned into its `Normalise.nameKey`. */
const phoneticOfKey = (key: string): string => {
  const code = doubleMetaphone(key)[0]
  return code === "" ? key : code
}

/**
 * The postcode district used in the keys (or the postcode's compact form when it is not a valid
 * postcode, so an odd postcode still blocks with itself).
 *
 * @since 0.1.0
 * @category keys
 */
export const districtKey = (postcode: string): string => {
  const parts = Normalise.postcode(postcode)
  return Option.isSome(parts) ? parts.value.district : Normalise.postcodeKey(postcode)
}

// the first character of a name key, whole: a letter beyond the Basic Multilingual Plane (𠮷) is
// two UTF-16 units, and half of one is no character (it would be stored as U+FFFD, the same for all)
const initialOfKey = (key: string): string => {
  const c = key.charCodeAt(0)
  return c >= 0xd800 && c <= 0xdbff ? key.slice(0, 2) : key.charAt(0)
}

const initialOf = (name: string): string => initialOfKey(Normalise.nameKey(name))

const hasName = (name: string | undefined): name is string => name !== undefined && Normalise.nameKey(name) !== ""

/**
 * The blocking keys of a learner on the register.
 *
 * @since 0.1.0
 * @category keys
 */
export const blockingKeys = (learner: Keyed): BlockingKeys => {
  const dob = dateOfBirthKey(learner.dateOfBirth)
  // each name is normalised once: its phonetic code and its initial both come from its key
  const givenKey = Normalise.nameKey(learner.givenName)
  const familyKey = Normalise.nameKey(learner.familyName)
  const previousKey = learner.previousFamilyName === undefined ? "" : Normalise.nameKey(learner.previousFamilyName)
  const given = phoneticOfKey(givenKey)
  const family = phoneticOfKey(familyKey)
  const district = districtKey(learner.postcode)
  return {
    dateOfBirthFamilyName: `${dob}:${family}`,
    dateOfBirthGivenName: `${dob}:${given}`,
    dateOfBirthPostcode: `${dob}:${district}`,
    yearNames: `${yearOf(learner.dateOfBirth)}:${given}:${family}`,
    postcodeInitials: `${district}:${initialOfKey(givenKey)}${initialOfKey(familyKey)}`,
    dateOfBirthPreviousFamilyName: previousKey !== "" ? `${dob}:${phoneticOfKey(previousKey)}` : undefined
  }
}

/**
 * The keys a search looks up: a learner is a candidate when any one of them equals the learner's
 * key of the same name. Besides the search's own keys this looks for transposed names (the given
 * name as the family name and the other way round), the search's family name among previous family
 * names, and the search's previous family name (if given) as a current family name.
 *
 * @since 0.1.0
 * @category keys
 */
export const queryBlockingKeys = (search: SearchKeyed): ReadonlyArray<Lookup> => {
  const dob = dateOfBirthKey(search.dateOfBirth)
  const year = yearOf(search.dateOfBirth)
  const given = phoneticKey(search.givenName)
  const family = phoneticKey(search.familyName)
  const district = districtKey(search.postcode)
  const givenInitial = initialOf(search.givenName)
  const familyInitial = initialOf(search.familyName)
  const out: Array<Lookup> = []
  const seen = new Set<string>()
  const add = (key: KeyName, value: string) => {
    const id = `${key}\u0000${value}`
    if (seen.has(id)) return
    seen.add(id)
    out.push({ key, value })
  }
  add("dateOfBirthFamilyName", `${dob}:${family}`)
  add("dateOfBirthGivenName", `${dob}:${given}`)
  add("dateOfBirthPostcode", `${dob}:${district}`)
  add("yearNames", `${year}:${given}:${family}`)
  add("postcodeInitials", `${district}:${givenInitial}${familyInitial}`)
  // transposed names
  add("dateOfBirthFamilyName", `${dob}:${given}`)
  add("dateOfBirthGivenName", `${dob}:${family}`)
  add("yearNames", `${year}:${family}:${given}`)
  add("postcodeInitials", `${district}:${familyInitial}${givenInitial}`)
  // the register knows the change of family name: the search's family name is the previous one
  add("dateOfBirthPreviousFamilyName", `${dob}:${family}`)
  // the search knows it: its previous family name is the register's current one
  const previous = search.previousFamilyName
  if (hasName(previous)) {
    const before = phoneticKey(previous)
    add("dateOfBirthFamilyName", `${dob}:${before}`)
    add("yearNames", `${year}:${given}:${before}`)
    add("postcodeInitials", `${district}:${givenInitial}${initialOf(previous)}`)
  }
  return out
}
