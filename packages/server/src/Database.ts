/**
 * The database layer: one `SqlClient` over PostgreSQL (`DATABASE_URL`) or over embedded PGlite.
 *
 * Conventions shared by both drivers, so repository code is written once:
 * - query names go through `camelToSnake` (`sql("learnerId")`, `sql.insert({ learnerId })` →
 *   `learner_id`), result column names through `snakeToCamel` (`learner_id` → `learnerId`);
 *   JSON values are left untouched.
 * - `date` columns come back as `YYYY-MM-DD` strings, `int8`/`numeric` as strings (cast with
 *   `::int` where a number is wanted), `timestamp(tz)` as `Date`, `json(b)` parsed.
 * - write SQL that PostgreSQL 15 and PGlite (PostgreSQL 18) both accept, one statement per query.
 *
 * @since 0.1.0
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import * as PgClient from "@effect/sql-pg/PgClient"
import type { PGliteOptions } from "@electric-sql/pglite"
import * as Config from "effect/Config"
import * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Str from "effect/String"
import * as Pg from "pg"
import * as internal from "./internal/pglite.js"

/**
 * Where the data lives: a PostgreSQL server, or an embedded PGlite (`dataDir` undefined = in memory).
 *
 * @since 0.1.0
 * @category models
 */
export type DatabaseConfig =
  | { readonly _tag: "Postgres"; readonly url: Redacted.Redacted }
  | { readonly _tag: "Pglite"; readonly dataDir: string | undefined }

/**
 * Default PGlite data directory when `LRS_DATA_DIR` is not set.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultDataDir = "./.lrs-data"

/**
 * Whether `text` is a `postgres://` or `postgresql://` URL. node-postgres reads anything else as
 * a host name or a socket path, so a typo or another database's URL would connect somewhere
 * unintended (`mysql://…` to localhost:5432, `not-a-url` to the host `base`).
 *
 * @since 0.1.2
 * @category config
 */
export const isPostgresUrl = (text: string): boolean =>
  // the slashes too: `postgres:5432/lrs` (a host named postgres, the scheme left out) parses as a
  // URL of no host, which node-postgres takes for localhost
  /^postgres(ql)?:\/\//i.test(text) && URL.canParse(text)

// says what is expected, never the value: it may hold a password
const notPostgresUrl = "DATABASE_URL must be a postgres:// or postgresql:// URL (postgres://user:password@host:5432/database)"

/**
 * Reads the configuration: `DATABASE_URL` (non-empty) selects PostgreSQL, otherwise PGlite with its
 * data in `LRS_DATA_DIR` (default `./.lrs-data`; `memory://` keeps it in memory). A `DATABASE_URL`
 * that is not a PostgreSQL URL ({@link isPostgresUrl}) is a `ConfigError` naming it.
 *
 * @since 0.1.0
 * @category config
 */
export const DatabaseConfig: Config.Config<DatabaseConfig> = Config.all({
  url: Config.option(Config.redacted("DATABASE_URL")),
  dataDir: Config.string("LRS_DATA_DIR").pipe(Config.withDefault(defaultDataDir))
}).pipe(
  Config.mapOrFail(({ dataDir, url }): Either.Either<DatabaseConfig, ConfigError.ConfigError> =>
    Option.match(Option.filter(url, (u) => Redacted.value(u).trim() !== ""), {
      onNone: () => Either.right({ _tag: "Pglite", dataDir }),
      onSome: (url) =>
        isPostgresUrl(Redacted.value(url))
          ? Either.right({ _tag: "Postgres", url })
          : Either.left(ConfigError.InvalidData(["DATABASE_URL"], notPostgresUrl))
    })
  )
)

/**
 * Name transform applied to identifiers in queries (`camelToSnake`).
 *
 * @since 0.1.0
 * @category conventions
 */
export const transformQueryNames: (name: string) => string = Str.camelToSnake

/**
 * Name transform applied to column names in results (`snakeToCamel`).
 *
 * @since 0.1.0
 * @category conventions
 */
export const transformResultNames: (name: string) => string = Str.snakeToCamel

/** A one-dimensional `date[]` literal (`{2024-01-31,NULL}`): dates contain no quotes, commas or braces. */
const parseDateArray = (value: string): Array<string | null> =>
  value === "{}" ? [] : value.slice(1, -1).split(",").map((item) => (item === "NULL" ? null : item))

/** node-postgres type parsers: `date` and `date[]` stay text instead of becoming JS `Date`s. */
const pgTypes = (): Pg.CustomTypesConfig => {
  const overrides = new Pg.TypeOverrides()
  overrides.setTypeParser(Pg.types.builtins.DATE, (value: string) => value)
  overrides.setTypeParser(1182 /* date[] */, parseDateArray)
  return overrides
}

/**
 * Options shared by every PostgreSQL connection pool (name transforms, type parsers).
 *
 * @since 0.1.0
 * @category conventions
 */
export const pgClientOptions: Pick<
  PgClient.PgClientConfig,
  "transformQueryNames" | "transformResultNames" | "transformJson" | "types" | "applicationName"
> = {
  transformQueryNames,
  transformResultNames,
  transformJson: false,
  types: pgTypes(),
  applicationName: "learner-records"
}

/**
 * PostgreSQL through `@effect/sql-pg` with the project's conventions. Provides `PgClient` too.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPg = (
  url: string | Redacted.Redacted,
  options?: { readonly maxConnections?: number | undefined; readonly minConnections?: number | undefined }
): Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError> =>
  PgClient.layer({
    ...pgClientOptions,
    url: typeof url === "string" ? Redacted.make(url) : url,
    maxConnections: options?.maxConnections,
    minConnections: options?.minConnections
  })

/**
 * The PostgreSQL pool's size from the environment: `DATABASE_POOL_MAX` (default 10), and
 * `DATABASE_POOL_MIN`, the connections kept open when idle (default: the pool size, at most it).
 *
 * A connection once opened is kept by default: pg-pool would close it after 10 s idle, and the
 * requests of the next burst would pay for a new backend process with cold catalog caches.
 *
 * @since 0.1.0
 * @category config
 */
export const PoolConfig: Config.Config<{ readonly maxConnections: number; readonly minConnections: number }> = Config.all({
  max: Config.integer("DATABASE_POOL_MAX").pipe(
    Config.withDefault(10),
    Config.validate({ message: "DATABASE_POOL_MAX must be at least 1", validation: (max) => max >= 1 })
  ),
  min: Config.option(Config.integer("DATABASE_POOL_MIN").pipe(
    Config.validate({ message: "DATABASE_POOL_MIN must be 0 or more", validation: (min) => min >= 0 })
  ))
}).pipe(Config.map(({ max, min }) => ({ maxConnections: max, minConnections: Math.min(Option.getOrElse(min, () => max), max) })))

/**
 * PostgreSQL configured from the environment: `DATABASE_URL` and the pool's size ({@link PoolConfig}).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPgConfig: Layer.Layer<PgClient.PgClient | SqlClient.SqlClient, SqlError | ConfigError.ConfigError> = Layer
  .unwrapEffect(
    Effect.map(
      Config.all({
        url: Config.redacted("DATABASE_URL").pipe(
          Config.validate({ message: notPostgresUrl, validation: (url) => isPostgresUrl(Redacted.value(url)) })
        ),
        pool: PoolConfig
      }),
      ({ pool, url }) => layerPg(url, pool)
    )
  )

/**
 * Tag of the raw PGlite instance, available next to `SqlClient` from {@link layerPglite}.
 *
 * @since 0.1.0
 * @category tags
 */
export const PgliteInstance = internal.PgliteInstance

/**
 * Tag type of {@link PgliteInstance}.
 *
 * @since 0.1.0
 * @category tags
 */
export type PgliteInstance = internal.PgliteInstance

/**
 * Embedded PGlite with the project's conventions. `dataDir` undefined (or `memory://`) keeps
 * the data in memory; a path keeps it on disk (created on first use).
 *
 * @since 0.1.0
 * @category layers
 */
export const layerPglite = (
  dataDir: string | undefined,
  options?: PGliteOptions
): Layer.Layer<SqlClient.SqlClient | PgliteInstance, SqlError> =>
  internal.layer({ dataDir, pglite: options, transformQueryNames, transformResultNames })

/**
 * The layer for a {@link DatabaseConfig}.
 *
 * @since 0.1.0
 * @category layers
 */
export const layerFrom = (config: DatabaseConfig): Layer.Layer<SqlClient.SqlClient, SqlError> =>
  config._tag === "Postgres" ? layerPg(config.url) : layerPglite(config.dataDir)

/**
 * The database picked by configuration: PostgreSQL (`PgClient.layerConfig`) when `DATABASE_URL` is
 * set, embedded PGlite in `LRS_DATA_DIR` otherwise.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError.ConfigError> = Layer.unwrapEffect(
  Effect.map(
    DatabaseConfig,
    (config): Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError.ConfigError> =>
      config._tag === "Postgres" ? layerPgConfig : layerPglite(config.dataDir)
  )
)
