/**
 * 0004: registration exceptions — a registration that found possible duplicates and waits for a
 * person to decide: use an existing ULN, or register a new learner. Raised by a single
 * registration (`source = 'single'`) now and by batch registrations later (`'batch'`, with the job
 * and row). Runs on PostgreSQL 15+ and PGlite alike.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/**
 * Creates the `registration_exceptions` table.
 *
 * @since 0.1.0
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE registration_exceptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    source text NOT NULL CHECK (source IN ('single', 'batch')),
    batch_job_id uuid,
    batch_row integer,
    details jsonb NOT NULL,
    possible_matches jsonb NOT NULL,
    status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    resolution text CHECK (resolution IN ('use-existing', 'register-new')),
    resolved_uln text REFERENCES learners (uln),
    raised_by uuid NOT NULL REFERENCES users (id),
    resolved_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    resolved_at timestamptz,
    CHECK ((status = 'open') = (resolution IS NULL))
  )`
  // the list is always one organisation's, open ones first, oldest first
  yield* sql`CREATE INDEX registration_exceptions_organisation_idx ON registration_exceptions (organisation_id, status, created_at)`
})
