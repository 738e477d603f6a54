/**
 * Blocking keys: a few plain strings per learner that a search looks up instead of scanning every
 * learner. The server keeps them in indexed columns (one column per {@link KeyName}) so the same SQL
 * runs on PostgreSQL and PGlite; {@link LearnerIndex} keeps them in memory.
 *
 * The keys are chosen so that every single error the matcher tolerates leaves at least one key
 * intact: a misspelt name keeps the date-of-birth key, a wrong date keeps the name keys, a move
 * within the postcode district keeps them all (the full table is in `docs/matching.md`).
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import { doubleMetaphone } from "./internal/phonetic.js"
import * as Normalise from "./Normalise.js"

/**
 * The named blocking keys of a learner:
 * - `dateOfBirth`: the year, then the month and day in ascending order (`2004-07-03` and
 *   `2004-03-07` both give `20040307`), so a day↔month swap keeps the key.
 * - `familyNameYear`: the Double Metaphone primary code of the family name and the birth year
 *   (`SM0:2004`): survives any error in the day, month, given name or postcode.
 * - `previousFamilyNameYear`: the same for the previous family name (`undefined` when none), so a
 *   search by a maiden name finds the learner.
 * - `postcodeGivenInitial`: the postcode district and the given name's first letter (`SW1:J`):
 *   survives errors in the date of birth and family name, and a move within the district.
 *
 * @since 0.1.0
 * @category models
 */
export interface BlockingKeys {
  readonly dateOfBirth: string
  readonly familyNameYear: string
  readonly previousFamilyNameYear: string | undefined
  readonly postcodeGivenInitial: string
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
export const keyNames: ReadonlyArray<KeyName> = ["dateOfBirth", "familyNameYear", "previousFamilyNameYear", "postcodeGivenInitial"]

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
 * The phonetic code used in the name keys: the Double Metaphone primary code of the normalised name
 * (or the normalised name itself when it has no code, e.g. a name of digits).
 *
 * @since 0.1.0
 * @category keys
 */
export const phoneticKey = (name: string): string => {
  const key = Normalise.nameKey(name)
  const code = doubleMetaphone(key)[0]
  return code === "" ? key : code
}

/**
 * The `postcodeGivenInitial` key: the postcode's district (or its compact form when invalid) and the
 * first letter of the normalised given name.
 *
 * @since 0.1.0
 * @category keys
 */
export const postcodeInitialKey = (postcode: string, givenName: string): string => {
  const parts = Normalise.postcode(postcode)
  const district = Option.isSome(parts) ? parts.value.district : Normalise.postcodeKey(postcode)
  return `${district}:${Normalise.nameKey(givenName).charAt(0)}`
}

/**
 * The blocking keys of a learner on the register.
 *
 * @since 0.1.0
 * @category keys
 */
export const blockingKeys = (learner: Keyed): BlockingKeys => {
  const year = yearOf(learner.dateOfBirth)
  const previous = learner.previousFamilyName
  return {
    dateOfBirth: dateOfBirthKey(learner.dateOfBirth),
    familyNameYear: `${phoneticKey(learner.familyName)}:${year}`,
    previousFamilyNameYear: previous === undefined || Normalise.nameKey(previous) === "" ? undefined : `${phoneticKey(previous)}:${year}`,
    postcodeGivenInitial: postcodeInitialKey(learner.postcode, learner.givenName)
  }
}

/**
 * The keys a search looks up: a learner is a candidate when any one of them equals the learner's
 * key of the same name. Besides the search's own keys this looks for transposed names (the given
 * name as a family name and the other way round), the family name among previous family names, and
 * the search's previous family name (if given) among current family names.
 *
 * @since 0.1.0
 * @category keys
 */
export const queryBlockingKeys = (search: SearchKeyed): ReadonlyArray<Lookup> => {
  const year = yearOf(search.dateOfBirth)
  const out: Array<Lookup> = []
  const seen = new Set<string>()
  const add = (key: KeyName, value: string) => {
    const id = `${key}\u0000${value}`
    if (seen.has(id)) return
    seen.add(id)
    out.push({ key, value })
  }
  add("dateOfBirth", dateOfBirthKey(search.dateOfBirth))
  const family = `${phoneticKey(search.familyName)}:${year}`
  add("familyNameYear", family)
  add("previousFamilyNameYear", family)
  add("familyNameYear", `${phoneticKey(search.givenName)}:${year}`)
  if (search.previousFamilyName !== undefined && Normalise.nameKey(search.previousFamilyName) !== "") {
    add("familyNameYear", `${phoneticKey(search.previousFamilyName)}:${year}`)
  }
  add("postcodeGivenInitial", postcodeInitialKey(search.postcode, search.givenName))
  add("postcodeGivenInitial", postcodeInitialKey(search.postcode, search.familyName))
  return out
}
