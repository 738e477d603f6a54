/**
 * Registration exceptions: registrations that found possible duplicates (core's
 * `Matching.checkDuplicate` → `PossibleDuplicates`) and wait for a person of the registering
 * organisation to decide — use an existing ULN, or register a new learner. Each belongs to one
 * organisation; another organisation's exception is never read (answered as missing).
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Learner, type Matching } from "@learner-records/core"
import { Effect, Option, Schema } from "effect"

/**
 * A possible match as the exception keeps it: the ULN to use (the master's when a linked learner
 * matched), the ULN whose details matched, the score and the per-field levels.
 *
 * @since 0.1.0
 * @category models
 */
export interface PossibleMatch {
  readonly uln: string
  readonly matchedUln: string
  readonly score: number
  readonly agreement: Readonly<Record<string, string>>
}

/**
 * The per-field agreement of a match as strings (the levels, and the two flags as `"true"`/`"false"`).
 *
 * @since 0.1.0
 * @category mapping
 */
export const agreementOf = (a: Matching.Agreement): Readonly<Record<string, string>> => ({
  givenName: a.givenName,
  familyName: a.familyName,
  dateOfBirth: a.dateOfBirth,
  gender: a.gender,
  postcode: a.postcode,
  namesTransposed: String(a.namesTransposed),
  viaPreviousFamilyName: String(a.viaPreviousFamilyName)
})

/**
 * The {@link PossibleMatch} of a core match.
 *
 * @since 0.1.0
 * @category mapping
 */
export const possibleMatchOf = (m: Matching.MatchedLearner): PossibleMatch => ({
  uln: m.uln,
  matchedUln: m.matchedUln,
  score: m.score,
  agreement: agreementOf(m.agreement)
})

/**
 * Whether `chosen` (the ULN that answers for the learner a user picked: the master's when linked) is
 * one of an exception's possible matches: it answers now for the ULN of a match or for the learner
 * whose details matched (`answering` gives each ULN's answering ULN now, so a merge made since the
 * registration was held counts). `use-existing` may only pick such a learner: the person was held
 * because they looked like these learners, not like anyone else on the register.
 *
 * @since 0.1.2
 * @category rules
 */
export const isPossibleMatch = (
  matches: ReadonlyArray<PossibleMatch>,
  chosen: string,
  answering: ReadonlyMap<string, string>
): boolean => matches.some((m) => [m.uln, m.matchedUln].some((uln) => (answering.get(uln) ?? uln) === chosen))

/**
 * A registration exception as read.
 *
 * @since 0.1.0
 * @category models
 */
export interface RegistrationException {
  readonly id: string
  readonly organisationId: string
  readonly source: "single" | "batch"
  readonly details: Learner.LearnerDetails
  readonly possibleMatches: ReadonlyArray<PossibleMatch>
  readonly status: "open" | "resolved"
  readonly resolution: "use-existing" | "register-new" | null
  readonly resolvedUln: string | null
  /** The user who registered (id, and user name). */
  readonly raisedBy: string
  readonly raisedByUsername: string
  readonly resolvedBy: string | null
  readonly resolvedByUsername: string | null
  readonly createdAt: string
  readonly resolvedAt: string | null
}

interface Row {
  readonly id: string
  readonly organisationId: string
  readonly source: "single" | "batch"
  readonly details: unknown
  readonly possibleMatches: unknown
  readonly status: "open" | "resolved"
  readonly resolution: "use-existing" | "register-new" | null
  readonly resolvedUln: string | null
  readonly raisedBy: string
  readonly raisedByUsername: string
  readonly resolvedBy: string | null
  readonly resolvedByUsername: string | null
  readonly createdAt: Date | string
  readonly resolvedAt: Date | string | null
}

const PossibleMatches = Schema.Array(Schema.Struct({
  uln: Schema.String,
  matchedUln: Schema.String,
  score: Schema.Number,
  agreement: Schema.Record({ key: Schema.String, value: Schema.String })
}))
const decodeMatches = Schema.decodeUnknownSync(PossibleMatches)
const decodeDetails = Schema.decodeUnknownSync(Learner.LearnerDetails)
const encodeDetails = Schema.encodeSync(Learner.LearnerDetails)

// pg gives jsonb parsed; a driver that does not gives text
const json = (value: unknown): unknown => typeof value === "string" ? JSON.parse(value) : value
const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString()

const exceptionOf = (row: Row): RegistrationException => ({
  id: row.id,
  organisationId: row.organisationId,
  source: row.source,
  details: decodeDetails(json(row.details)),
  possibleMatches: decodeMatches(json(row.possibleMatches)),
  status: row.status,
  resolution: row.resolution,
  resolvedUln: row.resolvedUln,
  raisedBy: row.raisedBy,
  raisedByUsername: row.raisedByUsername,
  resolvedBy: row.resolvedBy,
  resolvedByUsername: row.resolvedByUsername,
  createdAt: iso(row.createdAt),
  resolvedAt: row.resolvedAt === null ? null : iso(row.resolvedAt)
})

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * Filters of {@link RegistrationExceptions.list}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  readonly status?: "open" | "resolved" | undefined
  readonly limit?: number | undefined
}

/**
 * The registration-exceptions repository.
 *
 * @since 0.1.0
 * @category services
 */
export class RegistrationExceptions extends Effect.Service<RegistrationExceptions>()("@learner-records/server/RegistrationExceptions", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    // an exception with the user names of who raised and who resolved it
    const select = sql`SELECT e.id::text, e.organisation_id::text, e.source, e.details, e.possible_matches, e.status,
        e.resolution, e.resolved_uln, e.raised_by::text, r.username AS raised_by_username, e.resolved_by::text,
        d.username AS resolved_by_username, e.created_at, e.resolved_at
      FROM registration_exceptions e
      JOIN users r ON r.id = e.raised_by
      LEFT JOIN users d ON d.id = e.resolved_by`

    /** Raises an exception for a registration with possible duplicates; returns its id. */
    const raise = Effect.fn("RegistrationExceptions.raise")(function*(input: {
      readonly organisationId: string
      readonly raisedBy: string
      readonly source: "single" | "batch"
      readonly details: Learner.LearnerDetails
      readonly possibleMatches: ReadonlyArray<PossibleMatch>
    }) {
      const rows = yield* sql<{ readonly id: string }>`
        INSERT INTO registration_exceptions (organisation_id, source, details, possible_matches, raised_by)
        VALUES (${input.organisationId}::uuid, ${input.source}, ${JSON.stringify(encodeDetails(input.details))}::jsonb,
          ${JSON.stringify(input.possibleMatches)}::jsonb, ${input.raisedBy}::uuid)
        RETURNING id::text`
      return rows[0]!.id
    })

    /** One organisation's exceptions: open ones first, then oldest first. */
    const list = Effect.fn("RegistrationExceptions.list")(function*(organisationId: string, options: ListOptions = {}) {
      const rows = yield* sql<Row>`${select}
        WHERE e.organisation_id = ${organisationId}::uuid
          ${options.status === undefined ? sql`` : sql`AND e.status = ${options.status}`}
        ORDER BY e.status = 'resolved', e.created_at, e.id
        LIMIT ${options.limit ?? 1000}`
      return rows.map(exceptionOf)
    })

    /** The organisation's exception with this id; none when it does not exist or is another organisation's. */
    const find = Effect.fn("RegistrationExceptions.find")(function*(id: string, organisationId: string) {
      if (!UUID.test(id)) return Option.none<RegistrationException>()
      const rows = yield* sql<Row>`${select} WHERE e.id = ${id}::uuid AND e.organisation_id = ${organisationId}::uuid`
      return Option.map(Option.fromNullable(rows[0]), exceptionOf)
    })

    /**
     * As {@link find}, and locks the exception until the transaction ends, so two people cannot
     * resolve it at once.
     */
    const lock = Effect.fn("RegistrationExceptions.lock")(function*(id: string, organisationId: string) {
      if (!UUID.test(id)) return Option.none<RegistrationException>()
      const rows = yield* sql<Row>`${select} WHERE e.id = ${id}::uuid AND e.organisation_id = ${organisationId}::uuid FOR UPDATE OF e`
      return Option.map(Option.fromNullable(rows[0]), exceptionOf)
    })

    /** Marks an open exception resolved with the ULN it ended with; `false` when it was not open. */
    const markResolved = Effect.fn("RegistrationExceptions.markResolved")(function*(
      id: string,
      resolution: "use-existing" | "register-new",
      uln: string,
      resolvedBy: string
    ) {
      const rows = yield* sql<{ readonly id: string }>`
        UPDATE registration_exceptions
        SET status = 'resolved', resolution = ${resolution}, resolved_uln = ${uln}, resolved_by = ${resolvedBy}::uuid, resolved_at = now()
        WHERE id = ${id}::uuid AND status = 'open'
        RETURNING id::text`
      return rows.length > 0
    })

    return { raise, list, find, lock, markResolved } as const
  })
}) {}
