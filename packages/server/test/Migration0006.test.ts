/**
 * Migration 0006 turns `learners.details` from jsonb into json: learners stored before it read back
 * with the same details after it, through the repository, and the column is json.
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import { Learner } from "@learner-records/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Learners } from "../src/Learners.js"
import { learnerRow } from "./records.js"
import { describeBothDatabases, migrateUpTo } from "./utils.js"

const columnType = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly dataType: string }>`
    SELECT data_type FROM information_schema.columns WHERE table_name = 'learners' AND column_name = 'details'`
  return rows[0]?.dataType
})

describeBothDatabases("Migration 0006", (it) => {
  it.effect("keeps every stored learner's details, now in a json column", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* migrateUpTo(5)
      expect(yield* columnType).toBe("jsonb")
      const details = Schema.decodeUnknownSync(Learner.LearnerDetails)({
        givenName: "Zoë", familyName: "O'Brien-Smith", previousFamilyName: "Ní Bhriain", dateOfBirth: "2004-03-07", gender: 2,
        lastKnownPostCode: "cv4 9ee", emailAddress: "zoe@example.org", schoolAtAge16: "Kingsbury \"High\" School", abilityToShare: 1,
        verificationType: 1
      })
      const encoded = Schema.encodeSync(Learner.LearnerDetails)(details)
      const uln = "1000000043"
      // the row as the repository writes it, with the details as 0005 held them (jsonb)
      yield* sql`INSERT INTO learners ${sql.insert(learnerRow(uln, details))}`
      const applied = yield* migrateUpTo(6)
      expect(applied.map(([id]) => id)).toEqual([6])
      expect(yield* columnType).toBe("json")
      const learners = yield* Learners
      const found = yield* learners.resolve(uln)
      expect(Option.isSome(found)).toBe(true)
      const learner = Option.getOrThrow(found).learner
      expect(Schema.encodeSync(Learner.Learner)(learner)).toMatchObject({ uln, ...encoded })
    }).pipe(Effect.provide(Learners.Default)))
})
