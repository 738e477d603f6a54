/**
 * 0008: blocking keys of names written in other scripts. Until core 0.1.2 a name kept only A–Z and
 * digits when normalised (`Anna Мария` → `ANNA`, `Иван` → nothing), so a learner whose given,
 * family or previous family name held another letter was keyed by what was left. Core now keeps
 * the letters of every script; this recomputes, with core's `Blocking.blockingKeys`, the key
 * columns of every learner with a character outside ASCII in one of those names, in batches, and
 * writes the rows whose keys changed. An ASCII name normalises as before, so its keys stand. The
 * key columns compare bytewise (migration 0007), so keys in any script are equal exactly when
 * their text is. Runs on PostgreSQL 15+ and PGlite alike.
 *
 * @since 0.1.2
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Blocking } from "@learner-records/core"
import * as Effect from "effect/Effect"
import { textArray } from "../internal/sql.js"

/**
 * How many learners one batch reads and re-keys.
 *
 * @since 0.1.2
 */
export const BATCH = 5_000

// a character outside ASCII, as a PostgreSQL regular expression (a text never holds NUL)
const NON_ASCII = "[^\\x01-\\x7f]"

interface Row {
  readonly uln: string
  readonly givenName: string
  readonly familyName: string
  readonly previousFamilyName: string | null
  readonly dateOfBirth: string
  readonly postcode: string
  readonly k1: string
  readonly k2: string
  readonly k3: string
  readonly k4: string
  readonly k5: string
  readonly k6: string | null
}

/**
 * Recomputes the blocking keys of learners whose names hold characters outside ASCII.
 *
 * @since 0.1.2
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  let after = ""
  for (;;) {
    // the key columns as of migration 0005 (aliased, so this reads them whatever they are called later)
    const rows = yield* sql<Row>`
      SELECT uln, given_name, family_name, previous_family_name, date_of_birth::text AS date_of_birth, postcode,
        key_date_of_birth_family_name AS k1, key_date_of_birth_given_name AS k2, key_date_of_birth_postcode AS k3,
        key_year_names AS k4, key_postcode_initials AS k5, key_date_of_birth_previous_family_name AS k6
      FROM learners
      WHERE uln > ${after}
        AND (given_name ~ ${NON_ASCII} OR family_name ~ ${NON_ASCII} OR previous_family_name ~ ${NON_ASCII})
      ORDER BY uln LIMIT ${BATCH}`
    if (rows.length === 0) break
    after = rows[rows.length - 1]!.uln
    const changed: Array<{ readonly uln: string; readonly keys: Blocking.BlockingKeys }> = []
    for (const row of rows) {
      const keys = Blocking.blockingKeys({
        givenName: row.givenName,
        familyName: row.familyName,
        dateOfBirth: row.dateOfBirth,
        postcode: row.postcode,
        previousFamilyName: row.previousFamilyName ?? undefined
      })
      if (
        keys.dateOfBirthFamilyName !== row.k1 || keys.dateOfBirthGivenName !== row.k2 || keys.dateOfBirthPostcode !== row.k3 ||
        keys.yearNames !== row.k4 || keys.postcodeInitials !== row.k5 || (keys.dateOfBirthPreviousFamilyName ?? null) !== row.k6
      ) changed.push({ uln: row.uln, keys })
    }
    if (changed.length === 0) continue
    yield* sql`
      UPDATE learners l SET
        key_date_of_birth_family_name = v.k1, key_date_of_birth_given_name = v.k2, key_date_of_birth_postcode = v.k3,
        key_year_names = v.k4, key_postcode_initials = v.k5, key_date_of_birth_previous_family_name = v.k6
      FROM (
        SELECT unnest(${textArray(changed.map((c) => c.uln))}::text[]) AS uln,
          unnest(${textArray(changed.map((c) => c.keys.dateOfBirthFamilyName))}::text[]) AS k1,
          unnest(${textArray(changed.map((c) => c.keys.dateOfBirthGivenName))}::text[]) AS k2,
          unnest(${textArray(changed.map((c) => c.keys.dateOfBirthPostcode))}::text[]) AS k3,
          unnest(${textArray(changed.map((c) => c.keys.yearNames))}::text[]) AS k4,
          unnest(${textArray(changed.map((c) => c.keys.postcodeInitials))}::text[]) AS k5,
          unnest(${textArray(changed.map((c) => c.keys.dateOfBirthPreviousFamilyName ?? null))}::text[]) AS k6
      ) v
      WHERE l.uln = v.uln`
  }
})
