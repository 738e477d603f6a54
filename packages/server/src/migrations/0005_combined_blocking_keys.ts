/**
 * 0005: combined blocking keys. The keys of 0002 each held one field (the date of birth) or one
 * field with the year, so a block grew with the register (a median of 765 candidates per search
 * at a million learners); the new keys join two or three fields (core's `Blocking`), so a block
 * stays a handful of learners. Adds the six new columns, fills them from each learner's stored
 * details with core's rule, indexes them and drops the old columns. Runs on PostgreSQL 15+ and
 * PGlite alike.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Blocking } from "@learner-records/core"
import * as Effect from "effect/Effect"
import { textArray } from "../internal/sql.js"

const BATCH = 5_000

/**
 * The blocking-key columns this migration creates (a fixed list: later migrations that change
 * these columns read it from here, not from the current schema's mapping).
 *
 * @since 0.1.0
 */
export const NEW_COLUMNS = [
  "key_date_of_birth_family_name",
  "key_date_of_birth_given_name",
  "key_date_of_birth_postcode",
  "key_year_names",
  "key_postcode_initials",
  "key_date_of_birth_previous_family_name"
] as const

interface Row {
  readonly uln: string
  readonly givenName: string
  readonly familyName: string
  readonly previousFamilyName: string | null
  readonly dateOfBirth: string
  readonly postcode: string
}

/**
 * Replaces the blocking-key columns of `learners`.
 *
 * @since 0.1.0
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const column of NEW_COLUMNS) yield* sql`ALTER TABLE learners ADD COLUMN ${sql(column)} text`
  let after = ""
  for (;;) {
    const rows = yield* sql<Row>`
      SELECT uln, given_name, family_name, previous_family_name, date_of_birth::text AS date_of_birth, postcode
      FROM learners WHERE uln > ${after} ORDER BY uln LIMIT ${BATCH}`
    if (rows.length === 0) break
    const keys = rows.map((row) =>
      Blocking.blockingKeys({
        givenName: row.givenName,
        familyName: row.familyName,
        dateOfBirth: row.dateOfBirth,
        postcode: row.postcode,
        previousFamilyName: row.previousFamilyName ?? undefined
      })
    )
    yield* sql`
      UPDATE learners l SET
        key_date_of_birth_family_name = v.k1, key_date_of_birth_given_name = v.k2, key_date_of_birth_postcode = v.k3,
        key_year_names = v.k4, key_postcode_initials = v.k5, key_date_of_birth_previous_family_name = v.k6
      FROM (
        SELECT unnest(${textArray(rows.map((r) => r.uln))}::text[]) AS uln,
          unnest(${textArray(keys.map((k) => k.dateOfBirthFamilyName))}::text[]) AS k1,
          unnest(${textArray(keys.map((k) => k.dateOfBirthGivenName))}::text[]) AS k2,
          unnest(${textArray(keys.map((k) => k.dateOfBirthPostcode))}::text[]) AS k3,
          unnest(${textArray(keys.map((k) => k.yearNames))}::text[]) AS k4,
          unnest(${textArray(keys.map((k) => k.postcodeInitials))}::text[]) AS k5,
          unnest(${textArray(keys.map((k) => k.dateOfBirthPreviousFamilyName ?? null))}::text[]) AS k6
      ) v
      WHERE l.uln = v.uln`
    after = rows[rows.length - 1]!.uln
  }
  for (const column of NEW_COLUMNS.slice(0, 5)) yield* sql`ALTER TABLE learners ALTER COLUMN ${sql(column)} SET NOT NULL`
  for (const column of NEW_COLUMNS.slice(0, 5)) yield* sql`CREATE INDEX ${sql(`learners_${column}_idx`)} ON learners (${sql(column)})`
  yield* sql`CREATE INDEX learners_key_date_of_birth_previous_family_name_idx ON learners (key_date_of_birth_previous_family_name)
    WHERE key_date_of_birth_previous_family_name IS NOT NULL`
  for (const column of ["key_date_of_birth", "key_family_name_year", "key_previous_family_name_year", "key_postcode_given_initial"]) {
    // dropping a column drops its index
    yield* sql`ALTER TABLE learners DROP COLUMN ${sql(column)}`
  }
})
