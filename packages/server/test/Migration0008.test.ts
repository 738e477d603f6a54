/**
 * Migration 0008 recomputes the blocking keys of learners whose names hold characters outside
 * ASCII, which core used to key by their A–Z letters only: after it, such learners (more than one
 * batch of them) carry `Blocking.blockingKeys` of their stored details and a search by their exact
 * names finds them; learners with ASCII names, or with keys already core's, are not rewritten.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import { Blocking, Learner, SyntheticLearners } from "@learner-records/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { keyColumns } from "../src/internal/blockingColumns.js"
import { Learners, matchingDetails } from "../src/Learners.js"
import { BATCH } from "../src/migrations/0008_names_of_every_script.js"
import { learnerRow, storedKeys } from "./records.js"
import { describeBothDatabases, migrateUpTo } from "./utils.js"

const OTHER_NAMES = ["Мария", "Ольга", "Иван", "李", "محمد", "Ελένη", "김민준", "देवी", "Anna Мария", "Anna Ольга", "Zoë"]
const STALE = "stale"

describeBothDatabases("Migration 0008", (it) => {
  it.effect("re-keys every learner with a name outside ASCII, in batches; ASCII names and current keys are not rewritten", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* migrateUpTo(7)
      const learners = SyntheticLearners.generate({ learners: BATCH + 2_000, seed: "migration-0008" })
      // most learners get a name in another script, in one of the three name fields
      const rows = learners.map((l, i) => {
        const other = OTHER_NAMES[i % OTHER_NAMES.length]!
        const field = i % 4 === 0 ? undefined : (["givenName", "familyName", "previousFamilyName"] as const)[i % 3]!
        const details = Schema.decodeUnknownSync(Learner.LearnerDetails)({
          givenName: l.givenName, familyName: l.familyName, dateOfBirth: l.dateOfBirth, gender: l.gender,
          lastKnownPostCode: l.postcode, abilityToShare: 1, verificationType: 1,
          ...(l.previousFamilyName === undefined ? {} : { previousFamilyName: l.previousFamilyName }),
          ...(field === undefined ? {} : { [field]: other })
        })
        // keys as an older core wrote them: stale for every row, to see which rows the migration rewrites
        const row = { ...learnerRow(l.uln, details), ...Object.fromEntries(keyColumns.map((column) => [column, STALE])) }
        // synthetic names have accents and curly apostrophes of their own
        const nonAscii = [details.givenName, details.familyName, details.previousFamilyName ?? ""].some((n) => /[^\x01-\x7f]/.test(n))
        return { uln: l.uln, details, row, nonAscii }
      })
      expect(rows.filter((r) => r.nonAscii).length).toBeGreaterThan(BATCH)
      expect(rows.some((r) => r.uln === "1000000043")).toBe(false)
      for (let i = 0; i < rows.length; i += 1_000) {
        yield* sql`INSERT INTO learners ${sql.insert(rows.slice(i, i + 1_000).map((r) => r.row))}`
      }
      // a learner already keyed by the current core (registered after an upgrade) is not written again
      const current = Schema.decodeUnknownSync(Learner.LearnerDetails)({
        givenName: "Anna Мария", familyName: "Petrova", dateOfBirth: "2004-03-07", gender: 2, lastKnownPostCode: "CV4 9EE",
        abilityToShare: 1, verificationType: 1
      })
      yield* sql`INSERT INTO learners ${sql.insert(learnerRow("1000000043", current))}`
      const version = sql<{ readonly xmin: string }>`SELECT xmin::text AS xmin FROM learners WHERE uln = '1000000043'`
      const before = (yield* version)[0]!.xmin

      const applied = yield* migrateUpTo(8)
      expect(applied.map(([id]) => id)).toEqual([8])
      expect((yield* version)[0]!.xmin).toBe(before)

      const stored = yield* sql<Record<string, unknown>>`SELECT * FROM learners ORDER BY uln`
      const byUln = new Map(stored.map((row) => [String(row["uln"]), row]))
      for (const r of rows) {
        const keys = storedKeys(byUln.get(r.uln)!)
        if (r.nonAscii) {
          expect(keys).toEqual(Blocking.blockingKeys({ ...r.details, postcode: r.details.lastKnownPostCode }))
        } else {
          expect(Object.values(keys).every((k) => k === STALE)).toBe(true)
        }
      }

      // the re-keyed learners are found by their exact details
      const repository = yield* Learners
      for (const r of rows.filter((r) => r.nonAscii).slice(0, 30)) {
        const candidates = yield* repository.candidates(matchingDetails(r.details))
        expect(candidates.map((c) => c.uln)).toContain(r.uln)
      }
    }).pipe(Effect.provide(Learners.Default)))
})
