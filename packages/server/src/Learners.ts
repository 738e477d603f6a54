/**
 * The learner register: learners in PostgreSQL, with their blocking keys in indexed columns.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Learner } from "@learner-records/core"
import { Effect, Option, Schema } from "effect"

/**
 * A learner row as read (the `learners` table joined to its master).
 *
 * @since 0.1.0
 * @category models
 */
export interface LearnerRow {
  readonly uln: string
  readonly details: unknown
  readonly versionNumber: number
  readonly createdAt: Date | string
  readonly updatedAt: Date | string
  readonly linkedUlns: ReadonlyArray<string> | null
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString()

const decodeLearner = Schema.decodeUnknownSync(Learner.Learner)

/**
 * The {@link Learner.Learner} of a row; `masterSubstituted` when it was reached through a linked ULN.
 *
 * @since 0.1.0
 * @category mapping
 */
export const learnerOf = (row: LearnerRow, masterSubstituted: boolean): Learner.Learner => {
  const details = typeof row.details === "string" ? JSON.parse(row.details) : row.details
  return decodeLearner({
    ...(details as object),
    uln: row.uln,
    versionNumber: row.versionNumber,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    linkedUlns: row.linkedUlns ?? [],
    masterSubstituted
  })
}

/**
 * A ULN resolved to the learner that answers for it: itself, or its master when it was merged.
 *
 * @since 0.1.0
 * @category models
 */
export interface Resolved {
  readonly searchedUln: string
  /** The learner held (the master when `linked`). */
  readonly learner: Learner.Learner
  /** `true` when the ULN searched for is linked to a master learner. */
  readonly linked: boolean
}

/**
 * The learners repository.
 *
 * @since 0.1.0
 * @category services
 */
export class Learners extends Effect.Service<Learners>()("@learner-records/server/Learners", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    /** The learner that answers for a ULN (one query); none when the ULN is not registered. */
    const resolve = Effect.fn("Learners.resolve")(function*(uln: string) {
      const rows = yield* sql<LearnerRow & { readonly masterUln: string | null }>`
        SELECT t.uln, t.details, t.version_number, t.created_at, t.updated_at, s.master_uln,
          ARRAY(SELECT c.uln FROM learners c WHERE c.master_uln = t.uln ORDER BY c.uln) AS linked_ulns
        FROM learners s JOIN learners t ON t.uln = coalesce(s.master_uln, s.uln)
        WHERE s.uln = ${uln}`
      const row = rows[0]
      if (row === undefined) return Option.none<Resolved>()
      const linked = row.masterUln !== null
      return Option.some<Resolved>({ searchedUln: uln, learner: learnerOf(row, linked), linked })
    })

    return { resolve } as const
  })
}) {}
