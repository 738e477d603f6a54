/**
 * Migration 0005 replaces 0002's blocking keys with core's combined keys: a register migrated from
 * 0004 ends with every learner keyed by `Blocking.blockingKeys` of its stored details (in batches,
 * so more learners than one batch), the new columns indexed and the old ones gone.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import { Blocking, SyntheticLearners } from "@learner-records/core"
import * as Effect from "effect/Effect"
import { keyColumns } from "../src/internal/blockingColumns.js"
import * as Migrations from "../src/Migrations.js"
import { storedKeys } from "./records.js"
import { describeBothDatabases, migrateUpTo } from "./utils.js"

describeBothDatabases("Migration 0005", (it) => {
  it.effect("re-keys every learner registered under 0002's keys, indexes the new keys and drops the old ones", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* migrateUpTo(4)
      // more learners than one batch of the migration (5,000), some with a previous family name
      const learners = SyntheticLearners.generate({ learners: 6_000, seed: "migration-0005" })
      const withPrevious = learners.filter((l) => l.previousFamilyName !== undefined).length
      expect(withPrevious).toBeGreaterThan(0)
      for (let i = 0; i < learners.length; i += 1_000) {
        const batch = learners.slice(i, i + 1_000)
        yield* sql`INSERT INTO learners ${
          sql.insert(batch.map((l) => ({
            uln: l.uln,
            details: "{}",
            givenName: l.givenName,
            familyName: l.familyName,
            previousFamilyName: l.previousFamilyName ?? null,
            dateOfBirth: l.dateOfBirth,
            gender: l.gender,
            postcode: l.postcode,
            abilityToShare: 1,
            verificationType: 1,
            keyDateOfBirth: "old",
            keyFamilyNameYear: "old",
            keyPreviousFamilyNameYear: null,
            keyPostcodeGivenInitial: "old"
          })))
        }`
      }
      const applied = yield* Migrations.run
      expect(applied.map(([id]) => id)).toContain(5)

      const rows = yield* sql<Record<string, unknown>>`SELECT * FROM learners ORDER BY uln`
      expect(rows).toHaveLength(learners.length)
      const byUln = new Map(learners.map((l) => [l.uln, l]))
      for (const row of rows) {
        const learner = byUln.get(String(row["uln"]))!
        expect(storedKeys(row)).toEqual(Blocking.blockingKeys(learner))
        expect(row).not.toHaveProperty("keyDateOfBirth")
      }
      const indexes = yield* sql<{ readonly indexname: string }>`SELECT indexname FROM pg_indexes WHERE tablename = 'learners'`
      const names = indexes.map((i) => i.indexname)
      for (const column of keyColumns) expect(names).toContain(`learners_${column}_idx`)
      expect(names.filter((n) => n.startsWith("learners_key_"))).toHaveLength(keyColumns.length)
    }))
})
