/**
 * 0001: `lrs_meta`, a small key/value table about this LRS instance (its id, and later flags such
 * as "admin account created"). Runs on PostgreSQL 15+ and PGlite alike.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/**
 * Creates `lrs_meta` and records a random `instance_id`.
 *
 * @since 0.1.0
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE lrs_meta (
    key text PRIMARY KEY,
    value text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
  )`
  yield* sql`INSERT INTO lrs_meta (key, value) VALUES ('instance_id', gen_random_uuid()::text)`
})
