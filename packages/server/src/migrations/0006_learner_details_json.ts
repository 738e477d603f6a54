/**
 * 0006: a learner's `details` column becomes `json` instead of `jsonb`. The server only ever writes
 * the whole document and reads it back whole (no operator, index or comparison looks inside it), so
 * jsonb's parsed, key-sorted form bought nothing, and building it was about 15 % of PostgreSQL's
 * work in a bulk COPY (`perf`, docs/server.md "Speed"). `json` keeps the text as written, still
 * checked to be JSON. Existing rows are converted in place. Runs on PostgreSQL 15+ and PGlite alike.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/**
 * Changes `learners.details` to `json`.
 *
 * @since 0.1.0
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`ALTER TABLE learners ALTER COLUMN details TYPE json USING details::json`
})
