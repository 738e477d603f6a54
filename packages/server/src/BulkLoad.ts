/**
 * Bulk loading for benchmarks and demos: core's synthetic learners into the `learners` table, fast,
 * and the organisation and user a benchmark signs in as.
 *
 * - On PostgreSQL (a `PgClient` in context) the rows stream through `COPY learners (…) FROM STDIN`
 *   on a connection of their own (the same `pg` driver and settings as the `PgClient`), in one
 *   transaction: COPY inserts pages of rows at a time and skips the executor, about twice as fast
 *   as any INSERT. While PostgreSQL takes one chunk, the next is encoded in JavaScript.
 * - Elsewhere (PGlite) one `INSERT … SELECT … FROM unnest($1::text[], $2::json[], …)` per batch:
 *   each column is one array parameter, so a batch is one statement and one plan; the whole load
 *   is one `sql.withTransaction`.
 *
 * Either way the table is vacuumed and its planner statistics refreshed afterwards
 * (`VACUUM (ANALYZE) learners`): the first searches on a table that was empty get index plans, and
 * neither they (setting hint bits) nor autovacuum (a pass over every loaded row, started at some
 * moment after the load) pay for the load once the server is answering.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import { Blocking, type Learner, type SyntheticLearners } from "@learner-records/core"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Pg from "pg"
import { from as copyFrom } from "pg-copy-streams"
import { keyColumns, keyValues } from "./internal/blockingColumns.js"
import { textArray } from "./internal/sql.js"
import * as Passwords from "./Passwords.js"

type EncodedDetails = typeof Learner.LearnerDetails.Encoded

/**
 * The encoded {@link Learner.LearnerDetails} of a synthetic learner, as stored in `details`.
 * Every field of a synthetic learner is valid by construction (names from the name tables, valid
 * postcodes in their stored form, real dates), so the object is built directly instead of through
 * `Schema.encode`, which would cost more than the insert; the type keeps it in step with the
 * schema, and the tests decode what was stored.
 *
 * @since 0.1.0
 * @category mapping
 */
export const detailsOf = (
  learner: SyntheticLearners.SyntheticLearner,
  options: { readonly abilityToShare?: EncodedDetails["abilityToShare"]; readonly verificationType?: EncodedDetails["verificationType"] } = {}
): EncodedDetails => {
  const details: { -readonly [K in keyof EncodedDetails]: EncodedDetails[K] } = {
    givenName: learner.givenName,
    familyName: learner.familyName,
    lastKnownPostCode: learner.postcode,
    dateOfBirth: learner.dateOfBirth,
    gender: learner.gender,
    abilityToShare: options.abilityToShare ?? 1,
    verificationType: options.verificationType ?? 1
  }
  if (learner.previousFamilyName !== undefined) details.previousFamilyName = learner.previousFamilyName
  return details
}

/**
 * Options of {@link BulkLoad} `learners`.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoadOptions {
  /** Rows per INSERT statement or COPY chunk (default {@link defaultBatchSize}). */
  readonly batchSize?: number | undefined
  /** The organisation recorded as having registered them (`registered_by`); none by default. */
  readonly registeredBy?: string | undefined
  /** Ability to share stored for every learner (default 1, agrees). */
  readonly abilityToShare?: EncodedDetails["abilityToShare"] | undefined
  /**
   * COPY into an empty table drops its foreign keys and secondary indexes first and puts them back
   * after, in the same transaction (default `true`; `false` keeps them during the load).
   */
  readonly rebuild?: boolean | undefined
  /** Force the portable `INSERT … unnest` path even on PostgreSQL (tests compare the two). */
  readonly method?: "auto" | "insert" | undefined
  /** Called after each batch is handed to the database, with the rows so far. */
  readonly onProgress?: ((inserted: number) => void) | undefined
}

/**
 * What a load did.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoadResult {
  readonly inserted: number
  /** `copy` (PostgreSQL) or `insert` (the portable path). */
  readonly method: "copy" | "insert"
  /** Whether foreign keys and secondary indexes were dropped for the load and built after it. */
  readonly rebuilt: boolean
  /** Wall-clock seconds of encoding, inserting, rebuilding and committing (not the VACUUM (ANALYZE) after). */
  readonly seconds: number
  readonly perSecond: number
}

/**
 * The default rows per batch: large enough that per-statement costs vanish, small enough that one
 * batch stays a few megabytes.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultBatchSize = 10_000

/** The columns loaded, in order (then `registered_by` when given); the INSERT below lists the same. */
const COLUMN_TYPES: ReadonlyArray<readonly [column: string, type: string]> = [
  ["uln", "text"], ["details", "json"], ["given_name", "text"], ["family_name", "text"], ["previous_family_name", "text"],
  ["date_of_birth", "date"], ["gender", "smallint"], ["postcode", "text"], ["ability_to_share", "smallint"],
  ["verification_type", "smallint"], ...keyColumns.map((column) => [column, "text"] as const), ["master_uln", "text"]
]

const COLUMNS: ReadonlyArray<string> = COLUMN_TYPES.map(([column]) => column)

/** One row's column values as text (`undefined` = NULL), in {@link COLUMNS} order. */
const rowOf = (learner: SyntheticLearners.SyntheticLearner, ability: EncodedDetails["abilityToShare"]): Array<string | undefined> => {
  const details = detailsOf(learner, { abilityToShare: ability })
  const keys = Blocking.blockingKeys(learner)
  return [
    learner.uln, JSON.stringify(details), learner.givenName, learner.familyName, learner.previousFamilyName,
    learner.dateOfBirth, String(learner.gender), learner.postcode, String(details.abilityToShare),
    String(details.verificationType), ...keyValues(keys).map((value) => value ?? undefined), learner.masterUln
  ]
}

// COPY text format: tab-separated, `\N` for NULL, backslash escapes for \ tab newline CR
const COPY_SPECIAL = /[\\\t\n\r]/
const copyField = (value: string | undefined): string =>
  value === undefined
    ? "\\N"
    : COPY_SPECIAL.test(value)
    ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r")
    : value

/** COPY text lines; `suffix` holds the trailing constant columns (a tab and `registered_by`, or nothing). */
const copyChunk = (
  learners: ReadonlyArray<SyntheticLearners.SyntheticLearner>,
  ability: EncodedDetails["abilityToShare"],
  suffix: string
): string => {
  let out = ""
  for (const learner of learners) out += rowOf(learner, ability).map(copyField).join("\t") + suffix + "\n"
  return out
}

// array literal elements: NULL, or double-quoted with \ and " escaped
const ARRAY_SPECIAL = /[\\"]/
const arrayElement = (value: string | undefined): string =>
  value === undefined
    ? "NULL"
    : `"${ARRAY_SPECIAL.test(value) ? value.replace(/\\/g, "\\\\").replace(/"/g, "\\\"") : value}"`

/** One batch as one array literal per column (bound as text, cast in SQL). */
const arrayColumns = (
  learners: ReadonlyArray<SyntheticLearners.SyntheticLearner>,
  ability: EncodedDetails["abilityToShare"]
): ReadonlyArray<string> => {
  const columns: Array<Array<string>> = COLUMNS.map(() => [])
  for (const learner of learners) {
    const row = rowOf(learner, ability)
    for (let c = 0; c < row.length; c++) columns[c]!.push(arrayElement(row[c]))
  }
  return columns.map((elements) => `{${elements.join(",")}}`)
}

const sqlError = (message: string) => (cause: unknown) => new SqlError({ cause, message })

/** A `pg` client configured like the `PgClient` (its own connection, for COPY). */
const clientConfig = (config: PgClient.PgClientConfig): Pg.ClientConfig => {
  const out: Pg.ClientConfig = { application_name: `${config.applicationName ?? "learner-records"} bulk load` }
  if (config.url !== undefined) out.connectionString = Redacted.value(config.url)
  if (config.host !== undefined) out.host = config.host
  if (config.port !== undefined) out.port = config.port
  if (config.database !== undefined) out.database = config.database
  if (config.username !== undefined) out.user = config.username
  if (config.password !== undefined) out.password = Redacted.value(config.password)
  if (config.ssl !== undefined) out.ssl = config.ssl
  return out
}

/**
 * The bulk-load repository.
 *
 * @since 0.1.0
 * @category services
 */
export class BulkLoad extends Effect.Service<BulkLoad>()("@learner-records/server/BulkLoad", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const pg = yield* Effect.serviceOption(PgClient.PgClient)

    // our own constant column names, not input
    const columnList = sql.literal(COLUMNS.join(", "))
    const insertBatch = (columns: ReadonlyArray<string>, registeredBy: string | null) => {
      // one array parameter per column, cast to the column's type
      const arrays = sql.join(", ", false)(columns.map((value, i) => sql`${value}::${sql.literal(`${COLUMN_TYPES[i]![1]}[]`)}`))
      return sql`INSERT INTO learners (${columnList}, registered_by)
        SELECT u.*, ${registeredBy}::uuid FROM unnest(${arrays}) AS u`
    }

    const viaInsert = (
      rows: ReadonlyArray<SyntheticLearners.SyntheticLearner>,
      size: number,
      options: LoadOptions
    ): Effect.Effect<void, SqlError> =>
      sql.withTransaction(Effect.gen(function*() {
        const ability = options.abilityToShare ?? 1
        const batches = Math.ceil(rows.length / size)
        const encode = (i: number) => arrayColumns(rows.slice(i * size, (i + 1) * size), ability)
        let next = batches > 0 ? encode(0) : undefined
        for (let i = 0; i < batches; i++) {
          const current = next!
          // encode batch i+1 while the database inserts batch i
          const [, encoded] = yield* Effect.all([
            insertBatch(current, options.registeredBy ?? null),
            Effect.sync(() => (i + 1 < batches ? encode(i + 1) : undefined))
          ], { concurrency: 2 })
          next = encoded
          options.onProgress?.(Math.min(rows.length, (i + 1) * size))
        }
      }))

    const viaCopy = (
      config: PgClient.PgClientConfig,
      rows: ReadonlyArray<SyntheticLearners.SyntheticLearner>,
      size: number,
      options: LoadOptions
    ): Effect.Effect<boolean, SqlError> =>
      Effect.scoped(Effect.gen(function*() {
        const client = yield* Effect.acquireRelease(
          Effect.tryPromise({
            try: async () => {
              const c = new Pg.Client(clientConfig(config))
              await c.connect()
              return c
            },
            catch: sqlError("Cannot open the bulk-load connection")
          }),
          (c) => Effect.promise(() => c.end().catch(() => undefined))
        )
        const query = (text: string) =>
          Effect.tryPromise({ try: () => client.query<Record<string, unknown>>(text), catch: sqlError(`${text.slice(0, 80)} failed`) })
        const texts = (text: string) =>
          Effect.map(query(text), (result) => result.rows.map((row) => String(Object.values(row)[0])))
        const copy = Effect.async<void, SqlError>((resume) => {
          const ability = options.abilityToShare ?? 1
          const registered = options.registeredBy === undefined ? "" : `, registered_by`
          const stream = client.query(copyFrom(`COPY learners (${COLUMNS.join(", ")}${registered}) FROM STDIN`))
          const suffix = options.registeredBy === undefined ? "" : `\t${options.registeredBy}`
          let failed = false
          stream.on("error", (cause) => {
            failed = true
            resume(Effect.fail(new SqlError({ cause, message: "COPY learners failed" })))
          })
          stream.on("finish", () => {
            if (!failed) resume(Effect.void)
          })
          let i = 0
          // write chunk after chunk until the socket pushes back, then go on when it drains
          const pump = () => {
            while (!failed && i < rows.length) {
              const batch = rows.slice(i, i + size)
              i += batch.length
              const chunk = copyChunk(batch, ability, suffix)
              options.onProgress?.(i)
              if (!stream.write(chunk)) {
                stream.once("drain", pump)
                return
              }
            }
            if (!failed) stream.end()
          }
          pump()
          return Effect.sync(() => {
            failed = true
            stream.destroy()
          })
        })
        yield* query("BEGIN")
        const loaded = Effect.gen(function*() {
          // nobody reads or writes learners meanwhile; an empty table is loaded bare, then its
          // foreign keys and secondary indexes are put back (PostgreSQL manual, "Populating a
          // Database"): per-row foreign-key triggers and index inserts cost twice the COPY itself
          yield* query("LOCK TABLE learners IN ACCESS EXCLUSIVE MODE")
          const empty = (yield* texts("SELECT NOT EXISTS (SELECT 1 FROM learners)"))[0] === "true"
          const rebuild = empty && options.rebuild !== false
          const [dropFks, addFks, dropIndexes, createIndexes] = rebuild
            ? yield* Effect.all([
              texts(`SELECT format('ALTER TABLE learners DROP CONSTRAINT %I', conname) FROM pg_constraint
                WHERE conrelid = 'learners'::regclass AND contype = 'f' ORDER BY conname`),
              texts(`SELECT format('ALTER TABLE learners ADD CONSTRAINT %I %s', conname, pg_get_constraintdef(oid)) FROM pg_constraint
                WHERE conrelid = 'learners'::regclass AND contype = 'f' ORDER BY conname`),
              texts(`SELECT format('DROP INDEX %s', i.indexrelid::regclass) FROM pg_index i
                WHERE i.indrelid = 'learners'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                ORDER BY i.indexrelid`),
              texts(`SELECT pg_get_indexdef(i.indexrelid) FROM pg_index i
                WHERE i.indrelid = 'learners'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
                ORDER BY i.indexrelid`)
            ], { concurrency: 1 })
            : [[], [], [], []]
          for (const ddl of [...dropFks, ...dropIndexes]) yield* query(ddl)
          yield* copy
          if (rebuild) yield* query("SET LOCAL maintenance_work_mem = '512MB'")
          for (const ddl of [...createIndexes, ...addFks]) yield* query(ddl)
          return rebuild
        })
        const rebuilt = yield* Effect.onError(loaded, () => Effect.ignore(query("ROLLBACK")))
        yield* query("COMMIT")
        return rebuilt
      }))

    /**
     * Inserts synthetic learners with their details and blocking keys, in one transaction (COPY on
     * PostgreSQL, batched INSERTs elsewhere). The ULNs are the learners' own (core's generator,
     * unique); a linked learner must come after its master, as `SyntheticLearners.generate` orders
     * them. Any failure leaves nothing loaded.
     */
    const learners = Effect.fn("BulkLoad.learners")(function*(
      rows: ReadonlyArray<SyntheticLearners.SyntheticLearner>,
      options: LoadOptions = {}
    ) {
      const size = Math.max(1, options.batchSize ?? defaultBatchSize)
      const method = Option.isSome(pg) && options.method !== "insert" ? "copy" : "insert"
      const started = performance.now()
      const rebuilt = Option.isSome(pg) && method === "copy"
        ? yield* viaCopy(pg.value.config, rows, size, options)
        : yield* Effect.as(viaInsert(rows, size, options), false)
      const seconds = (performance.now() - started) / 1000
      yield* sql`VACUUM (ANALYZE) learners`
      return {
        inserted: rows.length,
        method,
        rebuilt,
        seconds,
        perSecond: seconds > 0 ? rows.length / seconds : rows.length
      } satisfies LoadResult
    })

    /**
     * Creates an organisation and one active user in it with `roles` and `password` (the caller of
     * a benchmark or a demo), in one transaction; returns their ids.
     */
    const caller = Effect.fn("BulkLoad.caller")(function*(options: {
      readonly organisationName: string
      readonly ukprn: string
      readonly kinds: ReadonlyArray<"LRB" | "AO">
      readonly username: string
      readonly password: string
      readonly roles: ReadonlyArray<string>
    }) {
      const passwordHash = yield* Passwords.hash(options.password)
      return yield* sql.withTransaction(Effect.gen(function*() {
        const orgs = yield* sql<{ readonly id: string }>`INSERT INTO organisations (name, ukprn, kinds)
          VALUES (${options.organisationName}, ${options.ukprn}, ${textArray(options.kinds)}::text[]) RETURNING id::text`
        const organisationId = orgs[0]!.id
        const users = yield* sql<{ readonly id: string }>`INSERT INTO users (organisation_id, username, display_name, password_hash, roles)
          VALUES (${organisationId}::uuid, ${options.username}, ${options.username}, ${passwordHash}, ${textArray(options.roles)}::text[])
          RETURNING id::text`
        return { organisationId, userId: users[0]!.id } as const
      }))
    })

    return { learners, caller } as const
  })
}) {}
