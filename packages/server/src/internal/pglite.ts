/**
 * A small `@effect/sql` driver for embedded PGlite (STACK.md §4, option A).
 *
 * PGlite is a single PostgreSQL backend session in WASM, so every statement takes a 1-permit
 * semaphore, and a transaction holds that permit from `BEGIN` to `COMMIT`/`ROLLBACK`: no other
 * fiber can slip a statement into somebody else's transaction. Statements are compiled by the
 * PostgreSQL compiler of `@effect/sql-pg`, so the SQL text is the same as on a real server.
 *
 * @internal
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as SqlClient from "@effect/sql/SqlClient"
import type * as SqlConnection from "@effect/sql/SqlConnection"
import { SqlError } from "@effect/sql/SqlError"
import * as Statement from "@effect/sql/Statement"
import * as PgClient from "@effect/sql-pg/PgClient"
import { PGlite, type PGliteOptions, types } from "@electric-sql/pglite"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import * as fs from "node:fs"
import * as path from "node:path"

/**
 * The raw PGlite instance behind the `SqlClient` (tests use it to dump or inspect the database).
 *
 * @since 0.1.0
 */
export class PgliteInstance extends Context.Tag("@learner-records/server/PgliteInstance")<PgliteInstance, PGlite>() {}

/**
 * Options of the adapter: the same name transforms as the `PgClient` layer.
 *
 * @since 0.1.0
 */
export interface Options {
  readonly dataDir: string | undefined
  readonly pglite?: PGliteOptions | undefined
  readonly transformQueryNames?: ((name: string) => string) | undefined
  readonly transformResultNames?: ((name: string) => string) | undefined
}

type Row = Record<string, unknown>
type TransformRows = (<A extends object>(rows: ReadonlyArray<A>) => ReadonlyArray<A>) | undefined

const identity = (value: string): string => value

/**
 * Values come back as `pg` (node-postgres) returns them, so the two drivers agree:
 * `date` as the `YYYY-MM-DD` text (see Database.ts) and `int8` as a string.
 */
const parsers = {
  [types.DATE]: identity,
  [types.INT8]: identity
}

const toSqlError = (message: string) => (cause: unknown) => new SqlError({ cause, message })

/** A data directory on the local file system (not `memory://`, `idb://`, …), without any `file://` prefix. */
const localDirectory = (dataDir: string | undefined): string | undefined => {
  if (dataDir === undefined) return undefined
  if (dataDir.startsWith("file://")) return dataDir.slice("file://".length)
  return /^[a-z]+:\/\//i.test(dataDir) ? undefined : dataDir
}

/** The file that marks a data directory as open, holding the pid of the process that has it. */
const lockFile = (directory: string): string => path.join(directory, "lrs.lock")

const isAlive = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    // EPERM: it exists, but belongs to someone else
    return (error as NodeJS.ErrnoException).code === "EPERM"
  }
}

/**
 * Claims a data directory for this process. PGlite is one process's database: a second process
 * opening the same directory (a second server, `lrs reset-password` beside a running server) reads
 * and writes it unseen by the first, and whatever it writes is lost, or worse. A claim left by a
 * process that is gone is taken over.
 */
const claimDirectory = (directory: string): Effect.Effect<void, SqlError> =>
  Effect.try({
    try: () => {
      const file = lockFile(directory)
      for (let attempt = 0; attempt < 3; attempt++) {
        try {
          fs.writeFileSync(file, String(process.pid), { flag: "wx" })
          return
        } catch (error) {
          if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error
        }
        const holder = Number(fs.readFileSync(file, "utf8").trim())
        if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && isAlive(holder)) {
          throw new Error(
            `it is in use by another process (pid ${holder}): the embedded database takes one process at a time, so stop that one first (or, if no such process is yours, remove ${file})`
          )
        }
        // ours already, or left by a process that is gone
        if (holder === process.pid) return
        fs.rmSync(file, { force: true })
      }
      throw new Error(`cannot claim it: ${file} keeps coming back`)
    },
    catch: (cause) => new SqlError({ cause, message: cause instanceof Error ? cause.message : String(cause) })
  })

const releaseDirectory = (directory: string): void => {
  try {
    if (fs.readFileSync(lockFile(directory), "utf8").trim() === String(process.pid)) fs.rmSync(lockFile(directory), { force: true })
  } catch {
    // already gone
  }
}

/**
 * Start PGlite and build the `SqlClient` over it; PGlite is closed when the scope closes.
 *
 * @since 0.1.0
 */
export const make = (options: Options) =>
  Effect.gen(function*() {
    const directory = localDirectory(options.dataDir)
    if (directory !== undefined) {
      // PGlite would create the data directory itself, but not its missing parents; made here
      // because the lock lives in it (PGlite starts in a directory that holds only the lock)
      yield* Effect.try({
        try: () => fs.mkdirSync(path.resolve(directory), { recursive: true }),
        catch: toSqlError(`Cannot create the PGlite data directory ${directory}`)
      })
      yield* Effect.acquireRelease(claimDirectory(directory), () => Effect.sync(() => releaseDirectory(directory)))
    }
    const db = yield* Effect.acquireRelease(
      Effect.tryPromise({
        try: () => PGlite.create(options.dataDir, { ...options.pglite, parsers: { ...parsers, ...options.pglite?.parsers } }),
        catch: toSqlError(`PGlite failed to start (data directory: ${options.dataDir ?? "in memory"})`)
      }),
      (db) => Effect.promise(() => db.close())
    )

    const run = <A>(f: () => Promise<A>) => Effect.tryPromise({ try: f, catch: toSqlError("Failed to execute statement") })
    const params = (values: ReadonlyArray<unknown>): Array<unknown> => [...values]
    const applyTransform = (rows: ReadonlyArray<Row>, transformRows: TransformRows): ReadonlyArray<Row> =>
      transformRows ? transformRows(rows) : rows

    const execute = (sql: string, values: ReadonlyArray<unknown>, transformRows: TransformRows) =>
      Effect.map(run(() => db.query<Row>(sql, params(values))), (result) => applyTransform(result.rows, transformRows))

    const connection: SqlConnection.Connection = {
      execute,
      executeRaw: (sql, values) => run(() => db.query<Row>(sql, params(values))),
      executeValues: (sql, values) =>
        Effect.map(
          run(() => db.query<Array<unknown>>(sql, params(values), { rowMode: "array" })),
          (result) => result.rows
        ),
      // without parameters use the simple protocol, which also accepts several statements
      executeUnprepared: (sql, values, transformRows) =>
        values.length === 0
          ? Effect.map(run(() => db.exec(sql)), (results) => applyTransform(results.at(-1)?.rows ?? [], transformRows))
          : execute(sql, values, transformRows),
      // PGlite has no cursors over the wire protocol here: the rows are read at once
      executeStream: (sql, values, transformRows) => Stream.fromIterableEffect(execute(sql, values, transformRows))
    }

    // one backend session: serialize access, and hold the permit for a whole transaction
    const lock = yield* Effect.makeSemaphore(1)
    const acquirer = Effect.as(Effect.acquireRelease(lock.take(1), () => lock.release(1)), connection)

    const client = yield* SqlClient.make({
      acquirer,
      transactionAcquirer: acquirer,
      compiler: PgClient.makeCompiler(options.transformQueryNames, false),
      spanAttributes: [["db.system.name", "postgresql"], ["db.namespace", "pglite"]],
      transformRows: options.transformResultNames
        ? Statement.defaultTransforms(options.transformResultNames, false).array
        : undefined
    })
    return { client, db }
  })

/**
 * A scoped layer providing `SqlClient` and the raw `PgliteInstance`.
 *
 * @since 0.1.0
 */
export const layer = (options: Options): Layer.Layer<SqlClient.SqlClient | PgliteInstance, SqlError> =>
  Layer.scopedContext(
    Effect.map(make(options), ({ client, db }) =>
      Context.make(SqlClient.SqlClient, client).pipe(Context.add(PgliteInstance, db)))
  ).pipe(Layer.provide(Reactivity.layer))
