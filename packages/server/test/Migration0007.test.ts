/**
 * Migration 0007 gives the ULN and blocking-key columns the "C" collation: stored learners, their
 * links, indexes and foreign keys come through it unchanged, and searches still use the indexes.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import { Learner } from "@learner-records/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Learners, matchingDetails } from "../src/Learners.js"
import { identifierColumns } from "../src/migrations/0007_identifier_collation.js"
import { learnerRow } from "./records.js"
import { describeBothDatabases, migrateUpTo } from "./utils.js"

/** The explicit collation of each identifier column (`null` for the database default). */
const collations = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const out: Record<string, string | null> = {}
  for (const [table, columns] of Object.entries(identifierColumns)) {
    for (const column of columns) {
      const rows = yield* sql<{ readonly collationName: string | null }>`
        SELECT collation_name FROM information_schema.columns WHERE table_name = ${table} AND column_name = ${column}`
      expect(rows).toHaveLength(1)
      out[`${table}.${column}`] = rows[0]!.collationName
    }
  }
  return out
})

const indexesAndConstraints = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const indexes = yield* sql<{ readonly name: string }>`
    SELECT indexname AS name FROM pg_indexes WHERE tablename IN ('learners', 'achievements', 'registration_exceptions', 'access_log')
    ORDER BY indexname`
  const constraints = yield* sql<{ readonly name: string }>`
    SELECT conname AS name FROM pg_constraint WHERE conrelid::regclass::text IN ('learners', 'achievements', 'registration_exceptions', 'access_log')
    ORDER BY conname`
  return { indexes: indexes.map((r) => r.name), constraints: constraints.map((r) => r.name) }
})

describeBothDatabases("Migration 0007", (it) => {
  it.effect("gives every ULN and blocking-key column the C collation; learners, links, indexes and foreign keys come through", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* migrateUpTo(6)
      expect(Object.values(yield* collations).every((c) => c !== "C")).toBe(true)
      const before = yield* indexesAndConstraints

      // a master and a learner linked to it, written as the repository writes them
      const details = Schema.decodeUnknownSync(Learner.LearnerDetails)({
        givenName: "Zoë", familyName: "O'Brien", dateOfBirth: "2004-03-07", gender: 2, lastKnownPostCode: "CV4 9EE",
        abilityToShare: 1, verificationType: 1
      })
      yield* sql`INSERT INTO learners ${sql.insert(learnerRow("1000000043", details))}`
      yield* sql`INSERT INTO learners ${sql.insert(learnerRow("1000000051", details, "1000000043"))}`

      yield* sql`ANALYZE learners`
      const statistics = sql<{ readonly column: string }>`
        SELECT attname AS column FROM pg_stats WHERE tablename = 'learners' AND attname IN ${sql.in(identifierColumns["learners"]!)}
        ORDER BY attname`
      const analysed = yield* statistics
      expect(analysed.length).toBeGreaterThan(0)

      const applied = yield* migrateUpTo(7)
      expect(applied.map(([id]) => id)).toEqual([7])
      const after = yield* collations
      expect(Object.keys(after).length).toBeGreaterThan(8)
      for (const [column, collation] of Object.entries(after)) expect([column, collation]).toEqual([column, "C"])
      expect(yield* indexesAndConstraints).toEqual(before)
      // the planner's statistics of the changed columns are there again (a type change drops them)
      expect(yield* statistics).toEqual(analysed)

      const learners = yield* Learners
      // through the linked ULN: the master, with its link (the join across uln and master_uln)
      const found = Option.getOrThrow(yield* learners.resolve("1000000051"))
      expect(found.linked).toBe(true)
      expect(found.learner).toMatchObject({ uln: "1000000043", linkedUlns: ["1000000051"], givenName: "Zoë", familyName: "O'Brien" })
      // the blocking keys still find both
      const candidates = yield* learners.candidates(matchingDetails(details))
      expect(candidates.map((c) => c.uln).sort()).toEqual(["1000000043", "1000000051"])
      // the foreign key from master_uln still holds
      const dangling = yield* Effect.either(sql`INSERT INTO learners ${sql.insert(learnerRow("1000000078", details, "1000000086"))}`)
      expect(dangling._tag).toBe("Left")
    }).pipe(Effect.provide(Learners.Default)))
})
