/**
 * The qualification register (CONTRACT §3): each subject with its owning awarding organisation and
 * availability, as core's `QualificationRegister.RegisteredSubject`. Loaded by the LRS admin one
 * subject at a time or from a register file; read when an achievement is created or updated.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { QualificationRegister } from "@learner-records/core"
import { Effect, Option, Schema } from "effect"
import { textArray } from "./internal/sql.js"

/**
 * A register row as read.
 *
 * @since 0.1.0
 * @category models
 */
export interface QualificationRow {
  readonly subjectCode: string
  readonly title: string
  readonly level: string
  readonly qualificationType: string
  readonly ownerUkprn: string
  readonly availability: string
  readonly allowedUkprns: ReadonlyArray<string> | null
  readonly operationalStartDate: string | null
}

const decodeSubject = Schema.decodeUnknownSync(QualificationRegister.RegisteredSubject)

/**
 * The core subject of a row.
 *
 * @since 0.1.0
 * @category mapping
 */
export const subjectOf = (row: QualificationRow): QualificationRegister.RegisteredSubject =>
  decodeSubject({
    subjectCode: row.subjectCode,
    title: row.title,
    level: row.level,
    qualificationType: row.qualificationType,
    owner: row.ownerUkprn,
    availability: row.availability === "Restricted"
      ? { _tag: "Restricted", allowed: row.allowedUkprns ?? [] }
      : { _tag: row.availability },
    ...(row.operationalStartDate === null ? {} : { operationalStartDate: row.operationalStartDate })
  })

/**
 * Options of {@link Qualifications.list}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** Only subjects owned by this UKPRN. */
  readonly owner?: string | undefined
  /** Only subject codes after this one (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

// rows per INSERT of an import: 8 parameters each stays far below PostgreSQL's 65,535
const CHUNK = 500

/**
 * The qualification register repository.
 *
 * @since 0.1.0
 * @category services
 */
export class Qualifications extends Effect.Service<Qualifications>()("@learner-records/server/Qualifications", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const columns = sql`subject_code, title, level, qualification_type, owner_ukprn, availability, allowed_ukprns,
      operational_start_date::text AS operational_start_date`

    const values = (s: QualificationRegister.RegisteredSubject) =>
      sql`(${s.subjectCode}, ${s.title}, ${s.level}, ${s.qualificationType}, ${s.owner}, ${s.availability._tag},
        ${textArray(s.availability._tag === "Restricted" ? s.availability.allowed : [])}::text[],
        ${s.operationalStartDate ?? null}::date)`

    // adds the subjects, replacing those already on the register (one statement per chunk)
    const upsert = (subjects: ReadonlyArray<QualificationRegister.RegisteredSubject>) =>
      sql`INSERT INTO qualifications (subject_code, title, level, qualification_type, owner_ukprn, availability,
          allowed_ukprns, operational_start_date)
        VALUES ${sql.join(",", false)(subjects.map(values))}
        ON CONFLICT (subject_code) DO UPDATE SET title = excluded.title, level = excluded.level,
          qualification_type = excluded.qualification_type, owner_ukprn = excluded.owner_ukprn,
          availability = excluded.availability, allowed_ukprns = excluded.allowed_ukprns,
          operational_start_date = excluded.operational_start_date, updated_at = now()`

    /** The register entry of a subject code; none when it is not on the register. */
    const get = Effect.fn("Qualifications.get")(function*(subjectCode: string) {
      const rows = yield* sql<QualificationRow>`SELECT ${columns} FROM qualifications WHERE subject_code = ${subjectCode}`
      return Option.map(Option.fromNullable(rows[0]), subjectOf)
    })

    /** Adds a subject, or replaces it when its code is on the register. */
    const put = Effect.fn("Qualifications.put")(function*(subject: QualificationRegister.RegisteredSubject) {
      yield* upsert([subject])
      return subject
    })

    /**
     * Adds or replaces every subject; run it inside the operation's transaction, so an import is
     * all or nothing.
     */
    const putAll = Effect.fn("Qualifications.putAll")(function*(subjects: ReadonlyArray<QualificationRegister.RegisteredSubject>) {
      for (let i = 0; i < subjects.length; i += CHUNK) yield* upsert(subjects.slice(i, i + CHUNK))
      return subjects.length
    })

    /** A page of the register by subject code; `more` when another page follows. */
    const list = Effect.fn("Qualifications.list")(function*(options: ListOptions) {
      const rows = yield* sql<QualificationRow>`
        SELECT ${columns} FROM qualifications
        WHERE true
          ${options.owner === undefined ? sql`` : sql`AND owner_ukprn = ${options.owner}`}
          ${options.after === undefined ? sql`` : sql`AND subject_code > ${options.after}`}
        ORDER BY subject_code
        LIMIT ${options.limit + 1}`
      return { subjects: rows.slice(0, options.limit).map(subjectOf), more: rows.length > options.limit }
    })

    return { get, put, putAll, list } as const
  })
}) {}
