/**
 * Achievements (CONTRACT §4.3): the learning events awarding organisations put on learners'
 * records, each with its append-only history. The rules are core's `AchievementLifecycle.decide`;
 * this repository loads what it needs and stores the transitions it gives.
 *
 * Reads that change an achievement take the row `FOR UPDATE`, so two changes to one achievement
 * are decided one after the other, each on what the other stored.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Achievement, type AchievementLifecycle } from "@learner-records/core"
import { Effect, Option, Schema } from "effect"

/**
 * An achievement row as read.
 *
 * @since 0.1.0
 * @category models
 */
export interface AchievementRow {
  readonly id: string
  readonly seq: string | number
  readonly awardingOrganisation: string
  readonly source: string
  readonly subject: string
  readonly level: string
  readonly qualificationType: string
  readonly details: unknown
  readonly lifecycle: string
  readonly underDataChallenge: boolean
  readonly createdAt: Date | string
  readonly updatedAt: Date | string
}

/**
 * A history row as read.
 *
 * @since 0.1.0
 * @category models
 */
export interface HistoryRow {
  readonly achievementId: string
  readonly sequence: number
  readonly at: Date | string
  readonly byUkprn: string
  readonly action: string
  readonly reason: string | null
  readonly details: unknown
  readonly lifecycle: string
  readonly underDataChallenge: boolean
}

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString()
const json = (value: unknown): unknown => (typeof value === "string" ? JSON.parse(value) : value)

const decodeAchievement = Schema.decodeUnknownSync(Achievement.Achievement)
const encodeDetails = Schema.encodeSync(Achievement.AchievementDetails)

const entryOf = (row: HistoryRow) => ({
  sequence: row.sequence,
  at: iso(row.at),
  by: row.byUkprn,
  action: row.action,
  ...(row.reason === null ? {} : { reason: row.reason }),
  details: json(row.details),
  lifecycle: row.lifecycle,
  underDataChallenge: row.underDataChallenge
})

/**
 * The core achievement of a row and its history rows (in sequence order).
 *
 * @since 0.1.0
 * @category mapping
 */
export const achievementOf = (row: AchievementRow, history: ReadonlyArray<HistoryRow>): Achievement.Achievement =>
  decodeAchievement({
    id: row.id,
    awardingOrganisation: row.awardingOrganisation,
    source: row.source,
    subject: row.subject,
    level: row.level,
    qualificationType: row.qualificationType,
    ...(json(row.details) as object),
    lifecycle: row.lifecycle,
    underDataChallenge: row.underDataChallenge,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
    history: history.map(entryOf)
  })

/**
 * The identity of an achievement: create is idempotent on it (CONTRACT §4.3).
 *
 * @since 0.1.0
 * @category models
 */
export interface Identity {
  readonly awardingOrganisation: string
  /** The master ULN. */
  readonly uln: string
  readonly subjectCode: string
  readonly awardDate: string
}

/**
 * Filters of {@link Achievements.list}.
 *
 * @since 0.1.0
 * @category models
 */
export interface ListOptions {
  /** Only this ULN's (already resolved to the master). */
  readonly uln?: string | undefined
  readonly subjectCode?: string | undefined
  readonly status?: Achievement.AchievementStatus | undefined
  readonly lifecycle?: Achievement.Lifecycle | undefined
  /** Only achievements after this position (the cursor). */
  readonly after?: string | undefined
  readonly limit: number
}

/**
 * The achievements repository.
 *
 * @since 0.1.0
 * @category services
 */
export class Achievements extends Effect.Service<Achievements>()("@learner-records/server/Achievements", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const columns = sql`id, seq, awarding_organisation, source, subject, level, qualification_type, details, lifecycle,
      under_data_challenge, created_at, updated_at`

    /** The histories of these achievements, by achievement id. */
    const histories = (ids: ReadonlyArray<string>) =>
      Effect.map(
        ids.length === 0 ? Effect.succeed<ReadonlyArray<HistoryRow>>([]) : sql<HistoryRow>`
          SELECT achievement_id, sequence, at, by_ukprn, action, reason, details, lifecycle, under_data_challenge
          FROM achievement_history WHERE achievement_id IN ${sql.in(ids)}
          ORDER BY achievement_id, sequence`,
        (rows) => {
          const out = new Map<string, Array<HistoryRow>>()
          for (const row of rows) {
            const list = out.get(row.achievementId)
            if (list === undefined) out.set(row.achievementId, [row])
            else list.push(row)
          }
          return out
        }
      )

    const withHistory = (rows: ReadonlyArray<AchievementRow>, history: boolean) =>
      Effect.map(histories(history ? rows.map((r) => r.id) : []), (byId) => rows.map((row) => achievementOf(row, byId.get(row.id) ?? [])))

    const one = (rows: ReadonlyArray<AchievementRow>) =>
      Effect.map(withHistory(rows, true), (list) => Option.fromNullable(list[0]))

    /**
     * The achievement with this id when `awardingOrganisation` owns it, locked for the rest of the
     * transaction; none when there is no such achievement or another organisation owns it (the
     * two are answered alike).
     */
    const ownedForUpdate = Effect.fn("Achievements.ownedForUpdate")(function*(id: string, awardingOrganisation: string) {
      return yield* one(yield* sql<AchievementRow>`SELECT ${columns} FROM achievements
        WHERE id = ${id} AND awarding_organisation = ${awardingOrganisation} FOR UPDATE`)
    })

    /** The achievement with this identity, locked for the rest of the transaction. */
    const byIdentity = Effect.fn("Achievements.byIdentity")(function*(identity: Identity) {
      return yield* one(yield* sql<AchievementRow>`SELECT ${columns} FROM achievements
        WHERE awarding_organisation = ${identity.awardingOrganisation} AND uln = ${identity.uln}
          AND subject_code = ${identity.subjectCode} AND award_date = ${identity.awardDate}::date
        FOR UPDATE`)
    })

    const appendEntry = (id: string, entry: Achievement.HistoryEntry) =>
      sql`INSERT INTO achievement_history (achievement_id, sequence, at, by_ukprn, action, reason, details, lifecycle,
          under_data_challenge)
        VALUES (${id}, ${entry.sequence}, ${entry.at}::timestamptz, ${entry.by}, ${entry.action}, ${entry.reason ?? null},
          ${JSON.stringify(encodeDetails(entry.details))}::jsonb, ${entry.lifecycle}, ${entry.underDataChallenge})`

    /**
     * Stores a new achievement and its first history entry. `false` (nothing written) when an
     * achievement with the same identity appeared meanwhile.
     */
    const insert = Effect.fn("Achievements.insert")(function*(transition: AchievementLifecycle.Transition) {
      const a = transition.achievement
      const rows = yield* sql<{ readonly id: string }>`
        INSERT INTO achievements (id, awarding_organisation, uln, subject_code, award_date, status, source, subject, level,
          qualification_type, details, lifecycle, under_data_challenge, created_at, updated_at)
        VALUES (${a.id}, ${a.awardingOrganisation}, ${a.uln}, ${a.subjectCode}, ${a.awardDate}::date, ${a.status}, ${a.source},
          ${a.subject}, ${a.level}, ${a.qualificationType}, ${JSON.stringify(encodeDetails(Achievement.details(a)))}::jsonb,
          ${a.lifecycle}, ${a.underDataChallenge}, ${a.createdAt}::timestamptz, ${a.updatedAt}::timestamptz)
        ON CONFLICT DO NOTHING
        RETURNING id`
      if (rows.length === 0) return false
      if (Option.isSome(transition.entry)) yield* appendEntry(a.id, transition.entry.value)
      return true
    })

    /** Stores a decided change of an existing achievement and appends its history entry (if any). */
    const save = Effect.fn("Achievements.save")(function*(transition: AchievementLifecycle.Transition) {
      if (Option.isNone(transition.entry)) return
      const a = transition.achievement
      yield* sql`UPDATE achievements SET award_date = ${a.awardDate}::date, status = ${a.status},
          details = ${JSON.stringify(encodeDetails(Achievement.details(a)))}::jsonb, lifecycle = ${a.lifecycle},
          under_data_challenge = ${a.underDataChallenge}, updated_at = ${a.updatedAt}::timestamptz
        WHERE id = ${a.id}`
      yield* appendEntry(a.id, transition.entry.value)
    })

    /** A page of one awarding organisation's achievements in a stable order; `next` is the position after it. */
    const list = Effect.fn("Achievements.list")(function*(awardingOrganisation: string, options: ListOptions) {
      const rows = yield* sql<AchievementRow>`
        SELECT ${columns} FROM achievements
        WHERE awarding_organisation = ${awardingOrganisation}
          ${options.uln === undefined ? sql`` : sql`AND uln = ${options.uln}`}
          ${options.subjectCode === undefined ? sql`` : sql`AND subject_code = ${options.subjectCode}`}
          ${options.status === undefined ? sql`` : sql`AND status = ${options.status}`}
          ${options.lifecycle === undefined ? sql`` : sql`AND lifecycle = ${options.lifecycle}`}
          ${options.after === undefined ? sql`` : sql`AND seq > ${options.after}::bigint`}
        ORDER BY seq
        LIMIT ${options.limit + 1}`
      const page = rows.slice(0, options.limit)
      const last = page.at(-1)
      return {
        achievements: yield* withHistory(page, true),
        next: rows.length > options.limit && last !== undefined ? String(last.seq) : undefined
      }
    })

    /**
     * The achievements on a learner's Personal Learning Record: every awarding organisation's,
     * active only (withdrawn ones never show), by award date; with their history when `history`.
     */
    const onRecord = Effect.fn("Achievements.onRecord")(function*(uln: string, history: boolean) {
      const rows = yield* sql<AchievementRow>`SELECT ${columns} FROM achievements
        WHERE uln = ${uln} AND lifecycle = 'Active' ORDER BY award_date, seq`
      return yield* withHistory(rows, history)
    })

    return { ownedForUpdate, byIdentity, insert, save, list, onRecord } as const
  })
}) {}
