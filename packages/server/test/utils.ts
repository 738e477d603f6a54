/**
 * Test helpers: run one suite on PostgreSQL and on PGlite.
 *
 * - {@link PgTest}: a fresh database `test_<random>` on the server from the global setup
 *   (`inject("databaseUrl")`), dropped when the layer is released.
 * - {@link PgliteTest}: an in-memory PGlite.
 * - {@link describeBothDatabases}: the same tests under `postgres` and `pglite` describes; the
 *   PostgreSQL half is skipped (reported as skipped) when no PostgreSQL is available outside CI.
 *
 * Each `describeBothDatabases` call starts one PGlite (≈ 4 s) and creates one PostgreSQL
 * database, shared by all its tests: call it once per test file and nest `describe`s or
 * `it.layer(...)` inside.
 *
 * @since 0.1.0
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as Migrator from "@effect/sql/Migrator"
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import { describe, inject, layer, type Vitest } from "@effect/vitest"
import type * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as fs from "node:fs"
import * as Database from "../src/Database.js"
import * as Migrations from "../src/Migrations.js"

/**
 * The PostgreSQL server URL provided by the global setup, if any.
 *
 * @since 0.1.0
 */
export const databaseUrl = (): string | undefined => inject("databaseUrl")

/**
 * Which database a suite runs on.
 *
 * @since 0.1.0
 */
export type DatabaseKind = "postgres" | "pglite"

const randomName = (): string => `test_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 10)}`

/**
 * Creates a fresh database on the test server, yields its URL, drops it (`WITH (FORCE)`) when the
 * scope closes.
 *
 * @since 0.1.0
 */
export const freshDatabase = Effect.gen(function*() {
  const url = databaseUrl()
  if (url === undefined) {
    return yield* Effect.dieMessage("No PostgreSQL test server: inject('databaseUrl') is undefined")
  }
  const admin = yield* PgClient.make({ url: Redacted.make(url), maxConnections: 1 })
  const name = randomName()
  yield* Effect.acquireRelease(
    admin`CREATE DATABASE ${admin(name)}`,
    () => Effect.ignore(admin`DROP DATABASE IF EXISTS ${admin(name)} WITH (FORCE)`)
  )
  const target = new URL(url)
  target.pathname = `/${name}`
  return target.toString()
}).pipe(Effect.provide(Reactivity.layer))

/**
 * PostgreSQL on a fresh database of its own (per layer build).
 *
 * @since 0.1.0
 */
export const PgTest: Layer.Layer<SqlClient.SqlClient | PgClient.PgClient, SqlError> = Layer.unwrapScoped(
  Effect.map(freshDatabase, (url) => Database.layerPg(url, { maxConnections: 4 }))
)

/**
 * In-memory PGlite, started from the global setup's template dump when there is one.
 *
 * @since 0.1.0
 */
export const PgliteTest: Layer.Layer<SqlClient.SqlClient | Database.PgliteInstance, SqlError> = Layer.unwrapEffect(
  Effect.sync(() => {
    const template = inject("pgliteTemplate")
    return template === undefined
      ? Database.layerPglite(undefined)
      : Database.layerPglite(undefined, { loadDataDir: new Blob([fs.readFileSync(template)]) })
  })
)

/**
 * The `it` given to a {@link describeBothDatabases} body: `it.effect`, `it.scoped`, `it.layer`
 * with `SqlClient` provided, on the real clock (no `TestClock`).
 *
 * @since 0.1.0
 */
export type DatabaseIt = Vitest.MethodsNonLive<SqlClient.SqlClient, true>

/**
 * Options of {@link describeBothDatabases}.
 *
 * @since 0.1.0
 */
export interface DescribeBothOptions {
  /** Time allowed to start the database (default 60 s). */
  readonly timeout?: Duration.DurationInput
}

/**
 * Registers `name › postgres` and `name › pglite`, running `body` once for each database.
 *
 * @since 0.1.0
 */
export const describeBothDatabases = (
  name: string,
  body: (it: DatabaseIt, database: DatabaseKind) => void,
  options: DescribeBothOptions = {}
): void => {
  const layerOptions = { timeout: options.timeout ?? "60 seconds", excludeTestServices: true } as const
  describe(name, () => {
    const postgres = () => layer(PgTest, layerOptions)("postgres", (it) => body(it, "postgres"))
    if (databaseUrl() === undefined) {
      // registered but skipped: the layer is never built
      describe.skip("(no PostgreSQL available)", postgres)
    } else {
      postgres()
    }
    layer(PgliteTest, layerOptions)("pglite", (it) => body(it, "pglite"))
  })
}

/** Applies the migrations up to and including `last` (to test a later migration on data stored before it). */
export const migrateUpTo = (last: number) =>
  Migrator.make({})({
    loader: Migrator.fromRecord(
      Object.fromEntries(Object.entries(Migrations.migrations).filter(([key]) => Number.parseInt(key, 10) <= last))
    ),
    table: Migrations.table
  })
