import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { expect } from "@effect/vitest"
import type { Security } from "@learner-records/api"
import { Effect, Either, Exit } from "effect"
import * as AccessLog from "../src/AccessLog.js"
import { currentRequestId } from "../src/http/RequestId.js"
import * as Migrations from "../src/Migrations.js"
import { describeBothDatabases } from "./utils.js"

const caller = (userId = "00000000-0000-4000-8000-000000000001"): Security.Caller => ({
  userId,
  username: "audit.tester",
  organisationId: "00000000-0000-4000-8000-0000000000aa",
  organisationName: "Audit Org",
  kinds: ["LRB"],
  roles: ["OnlineUser"]
}) as unknown as Security.Caller

// a fresh ULN-shaped value per test: the access log does not check ULNs, and these stay apart
const ulnPrefix = () => String(1_000_000 + Math.floor(Math.random() * 8_999_999))

const rowsOf = (prefix: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return yield* sql<{ readonly uln: string; readonly requestId: string; readonly operation: string }>`
      SELECT uln, request_id, operation FROM access_log WHERE uln LIKE ${prefix + "%"} ORDER BY uln`
  }).pipe(Effect.orDie)

describeBothDatabases("AccessLog", (it) => {
  const migrated = Effect.asVoid(Effect.orDie(Migrations.run))

  it.scoped("writes the entries of many concurrent requests, each under its own request id", () =>
    Effect.gen(function*() {
      yield* migrated
      const log = yield* AccessLog.make({ delay: "20 millis" })
      const prefix = ulnPrefix()
      const requests = Array.from({ length: 40 }, (_, i) => i)
      yield* Effect.forEach(
        requests,
        (i) =>
          Effect.locally(
            log.record(caller(), "learners.findByUln", [`${prefix}${String(i).padStart(3, "0")}`]),
            currentRequestId,
            `req-${i}`
          ),
        { concurrency: "unbounded", discard: true }
      )
      // every record returned only once its entry was committed
      const rows = yield* rowsOf(prefix)
      expect(rows).toHaveLength(40)
      expect(rows.map((r) => r.requestId)).toEqual(requests.map((i) => `req-${i}`))
      expect(new Set(rows.map((r) => r.operation))).toEqual(new Set(["learners.findByUln"]))
    }))

  it.scoped("keeps all the rows of one request (a search returning several learners)", () =>
    Effect.gen(function*() {
      yield* migrated
      const log = yield* AccessLog.make({ maxRows: 3 })
      const prefix = ulnPrefix()
      yield* Effect.forEach(
        [0, 1, 2, 3],
        (i) => log.record(caller(), "learners.findByDemographics", [0, 1, 2, 3, 4].map((j) => `${prefix}${i}${j}`)),
        { concurrency: "unbounded", discard: true }
      )
      expect(yield* rowsOf(prefix)).toHaveLength(20)
    }))

  it.scoped("fails the request whose entry cannot be written, and only that one", () =>
    Effect.gen(function*() {
      yield* migrated
      const log = yield* AccessLog.make({ delay: "20 millis" })
      const prefix = ulnPrefix()
      // not a uuid: PostgreSQL refuses the row
      const [bad, good] = yield* Effect.all([
        Effect.either(log.record(caller("not-a-uuid"), "learners.findByUln", [`${prefix}1`])),
        Effect.either(log.record(caller(), "learners.findByUln", [`${prefix}2`]))
      ], { concurrency: "unbounded" })
      expect(Either.isLeft(bad) && bad.left instanceof SqlError).toBe(true)
      expect(Either.isRight(good)).toBe(true)
      expect((yield* rowsOf(prefix)).map((r) => r.uln)).toEqual([`${prefix}2`])
    }))

  it.scoped("fails every waiting request when a whole flush fails, and keeps writing afterwards", () =>
    Effect.gen(function*() {
      yield* migrated
      const log = yield* AccessLog.make({ delay: "20 millis" })
      const prefix = ulnPrefix()
      const outcomes = yield* Effect.forEach(
        [1, 2, 3],
        (i) => Effect.exit(log.record(caller("not-a-uuid"), "learners.findByUln", [`${prefix}${i}`])),
        { concurrency: "unbounded" }
      )
      expect(outcomes.every(Exit.isFailure)).toBe(true)
      yield* log.record(caller(), "learners.findByUln", [`${prefix}4`])
      expect((yield* rowsOf(prefix)).map((r) => r.uln)).toEqual([`${prefix}4`])
    }))

  it.scoped("inside a transaction writes in that transaction (rolled back with it)", () =>
    Effect.gen(function*() {
      yield* migrated
      const sql = yield* SqlClient.SqlClient
      const log = yield* AccessLog.make({ delay: "20 millis" })
      const prefix = ulnPrefix()
      const rolledBack = yield* Effect.exit(sql.withTransaction(Effect.gen(function*() {
        yield* log.record(caller(), "learners.register", [`${prefix}1`])
        // visible inside the transaction already
        expect(yield* rowsOf(prefix)).toHaveLength(1)
        return yield* Effect.fail("abort")
      })))
      expect(Exit.isFailure(rolledBack)).toBe(true)
      expect(yield* rowsOf(prefix)).toHaveLength(0)
      yield* sql.withTransaction(log.record(caller(), "learners.register", [`${prefix}2`]))
      expect((yield* rowsOf(prefix)).map((r) => r.uln)).toEqual([`${prefix}2`])
    }))
})
