/**
 * The access log: every PLR read and every learner returned by a search, with who, which
 * organisation, which operation and the request id (CONTRACT §4.5, issue 5 "Audit").
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { Security } from "@learner-records/api"
import { Effect, FiberRef } from "effect"
import { currentRequestId } from "./http/RequestId.js"

/**
 * One entry as read back.
 *
 * @since 0.1.0
 * @category models
 */
export interface AccessLogRow {
  readonly at: Date | string
  readonly uln: string
  readonly operation: string
  readonly userId: string
  readonly username: string
  readonly organisationId: string
  readonly organisationName: string
  readonly requestId: string
}

/**
 * Filters of {@link AccessLog.list}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** Only reads by this organisation (an LRB super user sees their own organisation's). */
  readonly organisationId?: string | undefined
  /** From this date (inclusive, YYYY-MM-DD). */
  readonly from?: string | undefined
  /** To this date (inclusive, YYYY-MM-DD). */
  readonly to?: string | undefined
  readonly limit?: number | undefined
}

/**
 * The access-log repository.
 *
 * @since 0.1.0
 * @category services
 */
export class AccessLog extends Effect.Service<AccessLog>()("@learner-records/server/AccessLog", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** Records that `caller` received these learners' records through `operation` (one insert). */
    const record = Effect.fn("AccessLog.record")(function*(caller: Security.Caller, operation: string, ulns: ReadonlyArray<string>) {
      if (ulns.length === 0) return
      const requestId = yield* FiberRef.get(currentRequestId)
      yield* sql`INSERT INTO access_log ${
        sql.insert(ulns.map((uln) => ({
          uln,
          operation,
          userId: caller.userId,
          username: caller.username,
          organisationId: caller.organisationId,
          organisationName: caller.organisationName,
          requestId
        })))
      }`
    })

    /** The reads of one learner, newest first. */
    const list = Effect.fn("AccessLog.list")(function*(uln: string, options: ListOptions = {}) {
      return yield* sql<AccessLogRow>`
        SELECT at, uln, operation, user_id::text, username, organisation_id::text, organisation_name, request_id
        FROM access_log
        WHERE uln = ${uln}
          ${options.organisationId === undefined ? sql`` : sql`AND organisation_id = ${options.organisationId}::uuid`}
          ${options.from === undefined ? sql`` : sql`AND at >= ${options.from}::date`}
          ${options.to === undefined ? sql`` : sql`AND at < ${options.to}::date + 1`}
        ORDER BY at DESC, id DESC
        LIMIT ${options.limit ?? 1000}`
    })

    return { record, list } as const
  })
}) {}
