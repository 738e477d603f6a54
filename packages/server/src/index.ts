/**
 * The database layer (PostgreSQL or embedded PGlite).
 *
 * @since 0.1.0
 */
export * as Database from "./Database.js"

/**
 * Numbered schema migrations.
 *
 * @since 0.1.0
 */
export * as Migrations from "./Migrations.js"

/**
 * The HTTP server and the CLI entry points (`serve`, `migrate`).
 *
 * @since 0.1.0
 */
export * as Server from "./Server.js"

/**
 * The operator's tools on the database (`lrs reset-password`).
 *
 * @since 0.1.2
 */
export * as Operator from "./Operator.js"

/**
 * Bulk loading of synthetic learners (COPY on PostgreSQL) and a benchmark's caller.
 *
 * @since 0.1.0
 */
export * as BulkLoad from "./BulkLoad.js"

/**
 * A throwaway local PostgreSQL cluster (tests and `lrs bench api`).
 *
 * @since 0.1.0
 */
export * as LocalPostgres from "./LocalPostgres.js"

/**
 * The bare node:http + pg baseline server of `lrs bench api`.
 *
 * @since 0.1.0
 */
export * as Baseline from "./Baseline.js"

/**
 * The stack baseline of `lrs bench api`: the same query as one `HttpApi` endpoint on `@effect/sql-pg`.
 *
 * @since 0.1.0
 */
export * as StackBaseline from "./StackBaseline.js"

/**
 * The demo data set (`lrs seed --demo`, `lrs serve --demo`).
 *
 * @since 0.1.0
 */
export * as Demo from "./Demo.js"
