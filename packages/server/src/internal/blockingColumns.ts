/**
 * Where the learners table keeps core's blocking keys: one indexed text column per
 * `Blocking.KeyName` (created by migration 0005). Learners, the bulk load and the tests read the
 * mapping from here, so a key is named in one place. A key holds a name's letters in whatever
 * script it is written (`20040307:ИВАН`); the columns compare bytewise (migration 0007), so two keys
 * are equal exactly when their text is, and migration 0008 re-keyed the names core used to cut to
 * A–Z.
 *
 * @since 0.1.0
 * @internal
 */
import type { Blocking } from "@learner-records/core"
import { Blocking as Keys } from "@learner-records/core"

/** The column of each blocking key. */
export const keyColumn: Readonly<Record<Blocking.KeyName, string>> = {
  dateOfBirthFamilyName: "key_date_of_birth_family_name",
  dateOfBirthGivenName: "key_date_of_birth_given_name",
  dateOfBirthPostcode: "key_date_of_birth_postcode",
  yearNames: "key_year_names",
  postcodeInitials: "key_postcode_initials",
  dateOfBirthPreviousFamilyName: "key_date_of_birth_previous_family_name"
}

/** The key columns, in `Blocking.keyNames` order. */
export const keyColumns: ReadonlyArray<string> = Keys.keyNames.map((name) => keyColumn[name])

/** A learner's key values in {@link keyColumns} order (`null` for a key it does not have). */
export const keyValues = (keys: Blocking.BlockingKeys): Array<string | null> =>
  Keys.keyNames.map((name) => keys[name] ?? null)
