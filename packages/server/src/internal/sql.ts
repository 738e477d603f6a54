/**
 * A database failure inside an operation is not the caller's fault: it becomes a defect, which the
 * problem layer answers as 500 WSEC0999 (logged with its cause, never shown to the client).
 *
 * @since 0.1.0
 */
import { SqlError } from "@effect/sql/SqlError"
import { Effect } from "effect"

/**
 * Turns `SqlError` failures into defects.
 *
 * @since 0.1.0
 */
export const orDieSql = <A, E, R>(self: Effect.Effect<A, E, R>): Effect.Effect<A, Exclude<E, SqlError>, R> =>
  Effect.catchIf(self, (e): e is Extract<E, SqlError> => e instanceof SqlError, (e) => Effect.die(e)) as Effect.Effect<A, Exclude<E, SqlError>, R>

/**
 * A PostgreSQL array literal of text values (`{"a","b",NULL}`), to bind as one parameter and cast
 * with `::text[]`: portable across `@effect/sql-pg` and the PGlite adapter.
 *
 * @since 0.1.0
 */
export const textArray = (values: ReadonlyArray<string | null>): string =>
  `{${values.map((v) => v === null ? "NULL" : `"${v.replace(/\\/g, "\\\\").replace(/"/g, "\\\"")}"`).join(",")}}`
