/**
 * 0003: the qualification register, achievements (learning events from awarding organisations)
 * and their append-only history. Runs on PostgreSQL 15+ and PGlite alike.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/**
 * Creates the qualification register and the achievement tables.
 *
 * @since 0.1.0
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  // the register is Ofqual's, not the LRS's: an owner need not be an organisation on this service,
  // so owner_ukprn and allowed_ukprns are plain UKPRNs, not references
  yield* sql`CREATE TABLE qualifications (
    subject_code text PRIMARY KEY,
    title text NOT NULL,
    level text NOT NULL,
    qualification_type text NOT NULL,
    owner_ukprn text NOT NULL,
    availability text NOT NULL CHECK (availability IN ('Private', 'Shared', 'Restricted')),
    allowed_ukprns text[] NOT NULL DEFAULT '{}',
    operational_start_date date,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`
  yield* sql`CREATE INDEX qualifications_owner_idx ON qualifications (owner_ukprn, subject_code)`
  // seq gives lists a stable order and an opaque cursor; details is core's AchievementDetails as
  // sent (encoded), the columns beside it are what queries filter on
  yield* sql`CREATE TABLE achievements (
    id text PRIMARY KEY,
    seq bigserial NOT NULL UNIQUE,
    awarding_organisation text NOT NULL,
    uln text NOT NULL REFERENCES learners (uln),
    subject_code text NOT NULL REFERENCES qualifications (subject_code),
    award_date date NOT NULL,
    status text NOT NULL CHECK (status IN ('Final', 'Provisional')),
    source text NOT NULL CHECK (source IN ('AO', 'QCFU')),
    subject text NOT NULL,
    level text NOT NULL,
    qualification_type text NOT NULL,
    details jsonb NOT NULL,
    lifecycle text NOT NULL CHECK (lifecycle IN ('Active', 'Withdrawn')),
    under_data_challenge boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
  )`
  // create is idempotent on (AO, master ULN, subject code, award date) (CONTRACT §4.3)
  yield* sql`CREATE UNIQUE INDEX achievements_identity_key ON achievements (awarding_organisation, uln, subject_code, award_date)`
  yield* sql`CREATE INDEX achievements_uln_idx ON achievements (uln, award_date)`
  yield* sql`CREATE INDEX achievements_owner_idx ON achievements (awarding_organisation, seq)`
  yield* sql`CREATE TABLE achievement_history (
    achievement_id text NOT NULL REFERENCES achievements (id),
    sequence integer NOT NULL CHECK (sequence > 0),
    at timestamptz NOT NULL,
    by_ukprn text NOT NULL,
    action text NOT NULL,
    reason text,
    details jsonb NOT NULL,
    lifecycle text NOT NULL,
    under_data_challenge boolean NOT NULL,
    PRIMARY KEY (achievement_id, sequence)
  )`
})
