/**
 * Numbered schema migrations, run by `Migrator.make({})` with `Migrator.fromRecord`, so the same
 * code runs on PostgreSQL and PGlite and survives bundling (no file-system loader).
 *
 * Adding a migration: create `src/migrations/NNNN_short_name.ts` default-exporting an
 * `Effect<void, SqlError, SqlClient>` (one statement per query), then add it to {@link migrations}
 * under the key `"NNNN_short_name"`. Ids are never reused or renumbered: the migrator records the
 * numeric prefix only and skips any id at or below the latest applied one.
 *
 * @since 0.1.0
 */
import * as Migrator from "@effect/sql/Migrator"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import m0001 from "./migrations/0001_lrs_meta.js"
import m0002 from "./migrations/0002_accounts_and_learners.js"
import m0003 from "./migrations/0003_achievements.js"
import m0004 from "./migrations/0004_registration_exceptions.js"
import m0005 from "./migrations/0005_combined_blocking_keys.js"
import m0006 from "./migrations/0006_learner_details_json.js"
import m0007 from "./migrations/0007_identifier_collation.js"
import m0008 from "./migrations/0008_names_of_every_script.js"

/**
 * Every migration, keyed `"<id>_<name>"`.
 *
 * @since 0.1.0
 * @category migrations
 */
export const migrations: Readonly<Record<string, Effect.Effect<void, SqlError, SqlClient.SqlClient>>> = {
  "0001_lrs_meta": m0001,
  "0002_accounts_and_learners": m0002,
  "0003_achievements": m0003,
  "0004_registration_exceptions": m0004,
  "0005_combined_blocking_keys": m0005,
  "0006_learner_details_json": m0006,
  "0007_identifier_collation": m0007,
  "0008_names_of_every_script": m0008
}

/**
 * Name of the table where applied migrations are recorded.
 *
 * @since 0.1.0
 * @category constants
 */
export const table = "effect_sql_migrations"

/**
 * The id of the newest migration known to this build.
 *
 * @since 0.1.0
 * @category constants
 */
export const latestId: number = Math.max(0, ...Object.keys(migrations).map((key) => Number.parseInt(key, 10)))

/**
 * The migration loader (`Migrator.fromRecord(migrations)`).
 *
 * @since 0.1.0
 * @category migrations
 */
export const loader: Migrator.Loader = Migrator.fromRecord(migrations)

/**
 * Applies the pending migrations in one transaction; returns the `[id, name]` pairs it applied.
 *
 * @since 0.1.0
 * @category migrations
 */
export const run: Effect.Effect<
  ReadonlyArray<readonly [id: number, name: string]>,
  Migrator.MigrationError | SqlError,
  SqlClient.SqlClient
> = Migrator.make({})({ loader, table }).pipe(Effect.withSpan("Migrations.run"))

/**
 * A layer that applies the pending migrations when it is built.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<never, Migrator.MigrationError | SqlError, SqlClient.SqlClient> = Layer.effectDiscard(
  run
)

/**
 * How far the database schema is: the newest applied migration id (0 when none) against
 * {@link latestId}.
 *
 * @since 0.1.0
 * @category models
 */
export interface MigrationStatus {
  readonly applied: number
  readonly latest: number
  readonly upToDate: boolean
}

/**
 * Reads the {@link MigrationStatus}; a database that was never migrated reports `applied: 0`.
 *
 * @since 0.1.0
 * @category migrations
 */
export const status: Effect.Effect<MigrationStatus, SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const exists = yield* sql<{ readonly name: string | null }>`SELECT to_regclass(${table})::text AS name`
  const rows = exists[0]?.name == null
    ? []
    : yield* sql<{ readonly applied: number | null }>`SELECT max(migration_id) AS applied FROM ${sql(table)}`
  const applied = rows[0]?.applied ?? 0
  return { applied, latest: latestId, upToDate: applied >= latestId }
})
