/**
 * The access log: every PLR read and every learner returned by a search, with who, which
 * organisation, which operation and the request id (CONTRACT §4.5, issue 5 "Audit").
 *
 * Outside a transaction, {@link AccessLog.record} goes through a group commit: the entries of
 * concurrent requests are queued and written by one multi-row INSERT (one statement, one round
 * trip, one commit for many requests). Each caller still waits until its own entries are committed
 * — or fails with the error of the INSERT that should have written them — so "every learner
 * returned is logged" holds as before. Inside a transaction the entries are written at once, in
 * that transaction.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import type { Security } from "@learner-records/api"
import { Cause, Deferred, Duration, Effect, Exit, FiberRef, Option, Queue } from "effect"
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
 * Filters and page of {@link AccessLog.list}.
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
  /** Only entries after this position in the list (the previous page's `next`). */
  readonly after?: string | undefined
  /** The most entries of the page. Default 1000. */
  readonly limit?: number | undefined
}

/**
 * A page of {@link AccessLog.list}: its entries, newest first, and the position to pass as `after`
 * for the next page (`undefined` on the last page).
 *
 * @since 0.1.2
 * @category models
 */
export interface AccessLogPage {
  readonly entries: ReadonlyArray<AccessLogRow>
  readonly next: string | undefined
}

/**
 * How the group commit batches (see {@link make}).
 *
 * @since 0.1.0
 * @category models
 */
export interface GroupCommitOptions {
  /** The most rows one INSERT writes (a request's rows are never split over two). Default 1000. */
  readonly maxRows?: number | undefined
  /**
   * How long a flush waits for more entries once the first is queued. Default 0: a flush starts as
   * soon as the previous one has finished, and takes everything queued meanwhile.
   */
  readonly delay?: Duration.DurationInput | undefined
}

/** A row of the `access_log` table as inserted. */
type EntryRow = {
  readonly uln: string
  readonly operation: string
  readonly userId: string
  readonly username: string
  readonly organisationId: string
  readonly organisationName: string
  readonly requestId: string
}

/** One caller's rows, and what it waits on. */
interface Pending {
  readonly rows: ReadonlyArray<EntryRow>
  readonly done: Deferred.Deferred<void, SqlError>
}

/** Consecutive runs of `pending` with at most `maxRows` rows each (one larger entry goes alone). */
const chunks = (pending: Iterable<Pending>, maxRows: number): Array<Array<Pending>> => {
  const out: Array<Array<Pending>> = []
  let current: Array<Pending> = []
  let rows = 0
  for (const p of pending) {
    if (current.length > 0 && rows + p.rows.length > maxRows) {
      out.push(current)
      current = []
      rows = 0
    }
    current.push(p)
    rows += p.rows.length
  }
  if (current.length > 0) out.push(current)
  return out
}

/**
 * Builds the access-log repository; its group-commit writer lives as long as the scope.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = (options: GroupCommitOptions = {}) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const maxRows = Math.max(1, options.maxRows ?? 1000)
    const delay = Duration.decode(options.delay ?? 0)

    const insert = (rows: ReadonlyArray<EntryRow>) => sql`INSERT INTO access_log ${sql.insert(rows)}`

    const queue = yield* Queue.unbounded<Pending>()

    const answer = (chunk: ReadonlyArray<Pending>, exit: Exit.Exit<unknown, SqlError>) =>
      Effect.forEach(chunk, (p) => Deferred.done(p.done, Exit.asVoid(exit)), { discard: true })

    /**
     * Writes one batch and answers each caller with the outcome of the INSERT of its rows. When a
     * multi-caller INSERT fails, each caller's rows are tried alone, so one bad entry fails its own
     * request only.
     */
    const write = (batch: ReadonlyArray<Pending>) =>
      Effect.forEach(chunks(batch, maxRows), (chunk) =>
        Effect.flatMap(Effect.exit(insert(chunk.flatMap((p) => p.rows))), (exit) =>
          Exit.isSuccess(exit) || chunk.length === 1
            ? answer(chunk, exit)
            : Effect.forEach(chunk, (p) => Effect.flatMap(Effect.exit(insert(p.rows)), (one) => answer([p], one)), { discard: true })), { discard: true })

    // waits (interruptibly) for a first entry; from then on the batch is written and answered
    // whatever happens, so no caller is left waiting
    const flushLoop = Effect.forever(Effect.flatMap(Queue.take(queue), (first) =>
      Effect.uninterruptible(Effect.gen(function*() {
        // let the requests already running queue their entries too
        yield* Duration.toMillis(delay) > 0 ? Effect.sleep(delay) : Effect.yieldNow()
        const rest = yield* Queue.takeAll(queue)
        yield* write([first, ...rest])
      }))))

    // when the scope closes: the writer stops (a batch being written still answers its callers),
    // then whatever is still queued fails rather than waiting for ever
    yield* Effect.addFinalizer(() =>
      Effect.flatMap(Queue.takeAll(queue), (left) =>
        Effect.zipRight(
          Effect.forEach(left, (p) => Deferred.failCause(p.done, Cause.die(new Error("the access log was closed before this entry was written"))), {
            discard: true
          }),
          Queue.shutdown(queue)
        ))
    )
    yield* Effect.forkScoped(flushLoop)

    /** Records that `caller` received these learners' records through `operation`. */
    const record = (caller: Security.Caller, operation: string, ulns: ReadonlyArray<string>): Effect.Effect<void, SqlError> =>
      ulns.length === 0 ? Effect.void : Effect.flatMap(FiberRef.get(currentRequestId), (requestId) => {
        const rows = ulns.map((uln): EntryRow => ({
          uln,
          operation,
          userId: caller.userId,
          username: caller.username,
          organisationId: caller.organisationId,
          organisationName: caller.organisationName,
          requestId
        }))
        // in a transaction: written in it, committed (or rolled back) with it
        return Effect.flatMap(Effect.serviceOption(SqlClient.TransactionConnection), (transaction) =>
          Option.isSome(transaction) ? insert(rows) : Effect.flatMap(Deferred.make<void, SqlError>(), (done) =>
            Effect.zipRight(Queue.offer(queue, { rows, done }), Deferred.await(done))))
      })

    /**
     * A page of the reads of one learner, newest first. The order is (at, id) descending — `at` is
     * the writing transaction's start, so ids alone are not in time order — and a position is an
     * entry's id: the next page is what comes after that entry's (at, id). Entries are never
     * deleted, so the entry a position names is always there.
     */
    const list = Effect.fn("AccessLog.list")(function*(uln: string, options: ListOptions = {}) {
      const limit = options.limit ?? 1000
      // the id as text is named position: under the name id, ORDER BY id would sort the text
      const rows = yield* sql<AccessLogRow & { readonly position: string }>`
        SELECT id::text AS position, at, uln, operation, user_id::text, username, organisation_id::text, organisation_name, request_id
        FROM access_log
        WHERE uln = ${uln}
          ${options.organisationId === undefined ? sql`` : sql`AND organisation_id = ${options.organisationId}::uuid`}
          ${options.from === undefined ? sql`` : sql`AND at >= ${options.from}::date`}
          ${options.to === undefined ? sql`` : sql`AND at < ${options.to}::date + 1`}
          ${options.after === undefined ? sql`` : sql`AND (at, id) < (SELECT at, id FROM access_log WHERE id = ${options.after}::bigint)`}
        ORDER BY at DESC, id DESC
        LIMIT ${limit + 1}`
      const page = rows.slice(0, limit)
      const last = page.at(-1)
      const result: AccessLogPage = {
        entries: page.map(({ position: _, ...entry }) => entry),
        next: rows.length > limit && last !== undefined ? last.position : undefined
      }
      return result
    })

    return { record, list } as const
  })

/**
 * The access-log repository.
 *
 * @since 0.1.0
 * @category services
 */
export class AccessLog extends Effect.Service<AccessLog>()("@learner-records/server/AccessLog", {
  scoped: make()
}) {}
