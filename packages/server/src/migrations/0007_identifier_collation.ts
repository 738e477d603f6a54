/**
 * 0007: the ULN columns and the blocking-key columns compare bytewise (`COLLATE "C"`), whatever
 * the database's default collation. They hold identifiers (digits; upper-case letters, digits and
 * colons), never text a person reads in order, so a linguistic collation (en_US.UTF-8, C.UTF-8
 * through libc) only made every comparison in their B-trees dearer: PostgreSQL compares "C" with
 * `memcmp` and libc collations through `strcoll`. On a C.UTF-8 database, 1,000,000-learner bulk
 * loads ran at 49,582 and 55,455 learners/s with "C" against 45,892 and 49,208 without
 * (docs/server.md "Speed"). Equality, and the order of strings of digits, are the same under
 * every collation, and nothing orders by the keys, so no answer changes. Every ULN column changes together, the primary key with the columns that
 * reference it, so joins and foreign keys compare under one collation. PostgreSQL rebuilds the
 * affected indexes and constraints; no row changes. Changing a column's type drops its planner
 * statistics, and no row changed for autovacuum to notice, so the tables are analysed again here:
 * without it a find by demographics on a large register was planned blind (seven searches a
 * second at a million learners, against hundreds). Runs on PostgreSQL 15+ and PGlite alike.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"
import { NEW_COLUMNS } from "./0005_combined_blocking_keys.js"

/** The columns that change, by table (the blocking-key columns as of migration 0005). */
export const identifierColumns: Readonly<Record<string, ReadonlyArray<string>>> = {
  learners: ["uln", "master_uln", ...NEW_COLUMNS],
  achievements: ["uln"],
  registration_exceptions: ["resolved_uln"],
  access_log: ["uln"]
}

/**
 * Gives the identifier columns the "C" collation.
 *
 * @since 0.1.0
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  for (const [table, columns] of Object.entries(identifierColumns)) {
    // our own constant names, not input; one statement per table, so its indexes are rebuilt once
    const changes = columns.map((column) => `ALTER COLUMN ${column} TYPE text COLLATE "C"`).join(", ")
    yield* sql.unsafe(`ALTER TABLE ${table} ${changes}`)
    yield* sql.unsafe(`ANALYZE ${table}`)
  }
})
