/**
 * The learner register: learners in PostgreSQL, with their blocking keys in indexed columns.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Blocking, Learner, Matching, Uln, type Verification } from "@learner-records/core"
import { Effect, Option, Schema } from "effect"
import { keyColumn, keyColumns, keyValues } from "./internal/blockingColumns.js"
import { textArray } from "./internal/sql.js"
import * as trusted from "./internal/trusted.js"

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

/**
 * The {@link Learner.Learner} of a row; `masterSubstituted` when it was reached through a linked ULN.
 * The row is not decoded again: every row was written from decoded details (see `internal/trusted`).
 *
 * @since 0.1.0
 * @category mapping
 */
export const learnerOf = (row: LearnerRow, masterSubstituted: boolean): Learner.Learner => {
  const details = typeof row.details === "string" ? JSON.parse(row.details) : row.details
  return trusted.learner(details as Readonly<Record<string, unknown>>, {
    uln: row.uln as Learner.Learner["uln"],
    versionNumber: row.versionNumber,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    linkedUlns: (row.linkedUlns ?? []) as Learner.Learner["linkedUlns"],
    masterSubstituted
  })
}

/**
 * What matching compares of a learner's details (the postcode is `lastKnownPostCode`).
 *
 * @since 0.1.0
 * @category mapping
 */
export const matchingDetails = (details: Learner.LearnerDetails): Matching.Details => ({
  givenName: details.givenName,
  familyName: details.familyName,
  dateOfBirth: details.dateOfBirth,
  gender: details.gender,
  postcode: details.lastKnownPostCode,
  previousFamilyName: details.previousFamilyName,
  schoolAtAge16: details.schoolAtAge16,
  placeOfBirth: details.placeOfBirth,
  emailAddress: details.emailAddress
})

/**
 * What verification reads from a held learner.
 *
 * @since 0.1.0
 * @category mapping
 */
export const heldOf = (learner: Learner.Learner): Verification.Held => ({
  uln: learner.uln,
  givenName: learner.givenName,
  familyName: learner.familyName,
  previousFamilyName: learner.previousFamilyName,
  dateOfBirth: learner.dateOfBirth,
  gender: learner.gender
})

/**
 * The learner as answered for a ULN: `masterSubstituted` when reached through a linked ULN.
 *
 * @since 0.1.0
 * @category mapping
 */
export const substituted = (learner: Learner.Learner, masterSubstituted: boolean): Learner.Learner =>
  // a learner of ours, valid already: not validated again for one flag
  learner.masterSubstituted === masterSubstituted ? learner : new Learner.Learner({ ...learner, masterSubstituted }, true)

const encodeDetails = Schema.encodeSync(Learner.LearnerDetails)

/**
 * The columns of a learner row that are derived from its details: `keys` holds the blocking keys in
 * the order of `keyColumns`.
 *
 * @since 0.1.0
 * @category mapping
 */
export const columnsOf = (details: Learner.LearnerDetails) => {
  const keys = Blocking.blockingKeys({
    givenName: details.givenName,
    familyName: details.familyName,
    dateOfBirth: details.dateOfBirth,
    postcode: details.lastKnownPostCode,
    previousFamilyName: details.previousFamilyName
  })
  return {
    details: JSON.stringify(encodeDetails(details)),
    givenName: details.givenName,
    familyName: details.familyName,
    previousFamilyName: details.previousFamilyName ?? null,
    dateOfBirth: details.dateOfBirth,
    gender: details.gender,
    postcode: details.lastKnownPostCode,
    schoolAtAge16: details.schoolAtAge16 ?? null,
    placeOfBirth: details.placeOfBirth ?? null,
    emailAddress: details.emailAddress ?? null,
    abilityToShare: details.abilityToShare,
    verificationType: details.verificationType,
    keys: keyValues(keys)
  }
}

interface CandidateRow {
  readonly uln: string
  readonly givenName: string
  readonly familyName: string
  readonly previousFamilyName: string | null
  readonly dateOfBirth: string
  readonly gender: number
  readonly postcode: string
  readonly schoolAtAge16: string | null
  readonly placeOfBirth: string | null
  readonly emailAddress: string | null
  readonly masterUln: string | null
}

const orUndefined = <A>(a: A | null): A | undefined => a === null ? undefined : a

const candidateOf = (row: CandidateRow): Matching.Candidate => ({
  uln: row.uln,
  givenName: row.givenName,
  familyName: row.familyName,
  previousFamilyName: orUndefined(row.previousFamilyName),
  dateOfBirth: row.dateOfBirth,
  gender: row.gender,
  postcode: row.postcode,
  schoolAtAge16: orUndefined(row.schoolAtAge16),
  placeOfBirth: orUndefined(row.placeOfBirth),
  emailAddress: orUndefined(row.emailAddress),
  masterUln: orUndefined(row.masterUln)
})

// a 31-bit FNV-1a hash: the advisory-lock id of a date-of-birth key
const lockId = (key: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < key.length; i++) {
    h ^= key.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h & 0x7fffffff
}

/**
 * How many random ULNs {@link Learners} draws before giving up (a clash needs the register to be
 * nearly full: 818 million valid ULNs).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_ULN_DRAWS = 20

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

    const learnerColumns = sql`t.uln, t.details, t.version_number, t.created_at, t.updated_at,
      ARRAY(SELECT c.uln FROM learners c WHERE c.master_uln = t.uln ORDER BY c.uln) AS linked_ulns`

    // our own constant column names, not input
    const keyColumnList = sql.literal(keyColumns.join(", "))

    /** A search's look-ups grouped by key: one `column = ANY(values)` per key column used. */
    const lookupsByColumn = (search: Blocking.SearchKeyed) => {
      const byColumn = new Map<string, Array<string>>()
      for (const lookup of Blocking.queryBlockingKeys(search)) {
        const column = keyColumn[lookup.key]
        const values = byColumn.get(column)
        if (values === undefined) byColumn.set(column, [lookup.value])
        else values.push(lookup.value)
      }
      return [...byColumn].map(([column, values]) => sql`${sql(column)} = ANY(${textArray(values)}::text[])`)
    }

    /**
     * The query of {@link candidates}: one statement, an OR of one `= ANY` per key column (six
     * branches, not one per look-up: less to plan), which PostgreSQL answers with a bitmap OR of
     * index scans, never a scan of the table.
     */
    const candidateQuery = (search: Blocking.SearchKeyed) =>
      sql<CandidateRow>`
        SELECT uln, given_name, family_name, previous_family_name, date_of_birth::text AS date_of_birth, gender,
          postcode, school_at_age16, place_of_birth, email_address, master_uln
        FROM learners
        WHERE ${sql.or(lookupsByColumn(search))}`

    /** The candidates of a search: every learner sharing at least one blocking key with it. */
    const candidates = Effect.fn("Learners.candidates")(function*(search: Blocking.SearchKeyed) {
      const rows = yield* candidateQuery(search)
      return rows.map(candidateOf)
    })

    /**
     * A find by demographics: the candidates, and the learners a match names. The candidate query
     * also reads each candidate's stored record (fourteen look-ups fetch a handful of rows), so
     * the answer is built without a second query; one is made only for a master that was not
     * itself a candidate. The details come as text, parsed only for the few learners answered.
     */
    const search = Effect.fn("Learners.search")(function*(details: Blocking.SearchKeyed) {
      const rows = yield* sql<CandidateRow & LearnerRow>`
        SELECT t.uln, t.given_name, t.family_name, t.previous_family_name, t.date_of_birth::text AS date_of_birth, t.gender,
          t.postcode, t.school_at_age16, t.place_of_birth, t.email_address, t.master_uln,
          t.details::text AS details, t.version_number, t.created_at, t.updated_at,
          ARRAY(SELECT c.uln FROM learners c WHERE c.master_uln = t.uln ORDER BY c.uln) AS linked_ulns
        FROM learners t
        WHERE ${sql.or(lookupsByColumn(details))}`
      const held = new Map(rows.map((row) => [row.uln, row]))
      const learners = (ulns: ReadonlyArray<string>) =>
        Effect.gen(function*() {
          const out = new Map<string, Learner.Learner>()
          const missing: Array<string> = []
          for (const uln of ulns) {
            const row = held.get(uln)
            if (row === undefined) missing.push(uln)
            else out.set(uln, learnerOf(row, false))
          }
          if (missing.length > 0) for (const [uln, learner] of yield* byUlns(missing)) out.set(uln, learner)
          return out
        })
      return { candidates: rows.map(candidateOf), learners }
    })

    /** The learners with these ULNs, by ULN (`masterSubstituted` false: the caller knows better). */
    const byUlns = Effect.fn("Learners.byUlns")(function*(ulns: ReadonlyArray<string>) {
      const out = new Map<string, Learner.Learner>()
      if (ulns.length === 0) return out
      const rows = yield* sql<LearnerRow>`SELECT ${learnerColumns} FROM learners t WHERE t.uln IN ${sql.in(ulns)}`
      for (const row of rows) out.set(row.uln, learnerOf(row, false))
      return out
    })

    /**
     * The duplicate guard of a registration (core's `Matching.checkDuplicate` over the candidates).
     * Inside a transaction it first takes an advisory lock on the date-of-birth key, so two
     * registrations of the same person cannot both pass: an exact duplicate has the same key.
     */
    const checkDuplicate = Effect.fn("Learners.checkDuplicate")(function*(details: Learner.LearnerDetails) {
      yield* sql`SELECT pg_advisory_xact_lock(${lockId(Blocking.dateOfBirthKey(details.dateOfBirth))})`
      const search = matchingDetails(details)
      return Matching.checkDuplicate(search, yield* candidates(search))
    })

    /** The ULN that answers for each of these ULNs (its master's when linked), by ULN; unknown ones are absent. */
    const answeringUlns = Effect.fn("Learners.answeringUlns")(function*(ulns: ReadonlyArray<string>) {
      const out = new Map<string, string>()
      if (ulns.length === 0) return out
      const rows = yield* sql<{ readonly uln: string; readonly answering: string }>`
        SELECT uln, coalesce(master_uln, uln) AS answering FROM learners WHERE uln IN ${sql.in(ulns)}`
      for (const row of rows) out.set(row.uln, row.answering)
      return out
    })

    /**
     * The duplicate guard of an update (core's `Matching.duplicatesOnUpdate`): the other learners
     * already holding these five mandatory fields, with the same lock as {@link checkDuplicate}, so
     * a registration and an update of the same person cannot both pass.
     */
    const duplicatesOnUpdate = Effect.fn("Learners.duplicatesOnUpdate")(function*(uln: string, details: Learner.LearnerDetails) {
      yield* sql`SELECT pg_advisory_xact_lock(${lockId(Blocking.dateOfBirthKey(details.dateOfBirth))})`
      const search = matchingDetails(details)
      return Matching.duplicatesOnUpdate({ uln }, search, yield* candidates(search))
    })

    const nextUln = Uln.generator()

    /** Registers a learner under a new random ULN (drawn again on the rare clash). */
    const insert = Effect.fn("Learners.insert")(function*(details: Learner.LearnerDetails, registeredBy: string | null) {
      const columns = columnsOf(details)
      for (let draw = 0; draw < MAX_ULN_DRAWS; draw++) {
        const uln = nextUln()
        const rows = yield* sql<LearnerRow>`
          INSERT INTO learners (uln, details, given_name, family_name, previous_family_name, date_of_birth, gender, postcode,
            school_at_age16, place_of_birth, email_address, ability_to_share, verification_type, ${keyColumnList},
            registered_by)
          VALUES (${uln}, ${columns.details}::json, ${columns.givenName}, ${columns.familyName}, ${columns.previousFamilyName},
            ${columns.dateOfBirth}::date, ${columns.gender}, ${columns.postcode}, ${columns.schoolAtAge16}, ${columns.placeOfBirth},
            ${columns.emailAddress}, ${columns.abilityToShare}, ${columns.verificationType},
            ${sql.join(", ", false)(columns.keys.map((value) => sql`${value}`))}, ${registeredBy}::uuid)
          ON CONFLICT (uln) DO NOTHING
          RETURNING uln, details, version_number, created_at, updated_at, ARRAY[]::text[] AS linked_ulns`
        const row = rows[0]
        if (row !== undefined) return learnerOf(row, false)
      }
      return yield* Effect.dieMessage(`no free ULN after ${MAX_ULN_DRAWS} random draws`)
    })

    /**
     * Replaces a learner's details when its version is still `versionNumber`: bumps the version and
     * `updated_at` and recomputes the key columns. None when the version moved on meanwhile.
     */
    const update = Effect.fn("Learners.update")(function*(uln: string, versionNumber: number, details: Learner.LearnerDetails) {
      const columns = columnsOf(details)
      const rows = yield* sql<{ readonly uln: string }>`
        UPDATE learners SET details = ${columns.details}::json, given_name = ${columns.givenName}, family_name = ${columns.familyName},
          previous_family_name = ${columns.previousFamilyName}, date_of_birth = ${columns.dateOfBirth}::date,
          gender = ${columns.gender}, postcode = ${columns.postcode}, school_at_age16 = ${columns.schoolAtAge16},
          place_of_birth = ${columns.placeOfBirth}, email_address = ${columns.emailAddress},
          ability_to_share = ${columns.abilityToShare}, verification_type = ${columns.verificationType},
          ${sql.join(", ", false)(keyColumns.map((column, i) => sql`${sql(column)} = ${columns.keys[i] ?? null}`))},
          version_number = version_number + 1, updated_at = now()
        WHERE uln = ${uln} AND version_number = ${versionNumber}
        RETURNING uln`
      if (rows.length === 0) return Option.none<Learner.Learner>()
      const updated = yield* resolve(uln)
      return Option.map(updated, (r) => r.learner)
    })

    return { resolve, candidateQuery, candidates, search, byUlns, answeringUlns, checkDuplicate, duplicatesOnUpdate, insert, update } as const
  })
}) {}
