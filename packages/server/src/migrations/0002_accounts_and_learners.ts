/**
 * 0002: organisations, users, bearer tokens, API keys, idempotency keys, learners (with their
 * blocking-key columns, indexed so a find by demographics reads a small candidate set) and the
 * access log. Runs on PostgreSQL 15+ and PGlite alike.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import * as Effect from "effect/Effect"

/**
 * Creates the account and learner tables.
 *
 * @since 0.1.0
 */
export default Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  yield* sql`CREATE TABLE organisations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    name text NOT NULL,
    ukprn text UNIQUE,
    kinds text[] NOT NULL,
    olass boolean NOT NULL DEFAULT false,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`
  yield* sql`CREATE TABLE users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    username text NOT NULL,
    display_name text,
    email_address text,
    password_hash text NOT NULL,
    roles text[] NOT NULL,
    status text NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'locked', 'revoked')),
    failed_attempts integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`
  // user names are unique whatever their case, so "Admin" cannot shadow "admin"
  yield* sql`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`
  yield* sql`CREATE INDEX users_organisation_idx ON users (organisation_id)`
  yield* sql`CREATE TABLE auth_tokens (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    user_id uuid NOT NULL REFERENCES users (id),
    token_digest text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    revoked_at timestamptz
  )`
  yield* sql`CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id)`
  yield* sql`CREATE TABLE api_keys (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    created_by uuid NOT NULL REFERENCES users (id),
    name text NOT NULL,
    key_digest text NOT NULL UNIQUE,
    key_prefix text NOT NULL,
    roles text[] NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  )`
  yield* sql`CREATE INDEX api_keys_organisation_idx ON api_keys (organisation_id)`
  yield* sql`CREATE TABLE idempotency_keys (
    scope text NOT NULL,
    key text NOT NULL,
    request_digest text NOT NULL,
    status integer,
    content_type text,
    body text,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (scope, key)
  )`
  yield* sql`CREATE TABLE learners (
    uln text PRIMARY KEY CHECK (uln ~ '^[1-9][0-9]{9}$'),
    details jsonb NOT NULL,
    given_name text NOT NULL,
    family_name text NOT NULL,
    previous_family_name text,
    date_of_birth date NOT NULL,
    gender smallint NOT NULL,
    postcode text NOT NULL,
    school_at_age16 text,
    place_of_birth text,
    email_address text,
    ability_to_share smallint NOT NULL,
    verification_type smallint NOT NULL,
    key_date_of_birth text NOT NULL,
    key_family_name_year text NOT NULL,
    key_previous_family_name_year text,
    key_postcode_given_initial text NOT NULL,
    master_uln text REFERENCES learners (uln),
    version_number integer NOT NULL DEFAULT 0,
    registered_by uuid REFERENCES organisations (id),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
  )`
  yield* sql`CREATE INDEX learners_key_date_of_birth_idx ON learners (key_date_of_birth)`
  yield* sql`CREATE INDEX learners_key_family_name_year_idx ON learners (key_family_name_year)`
  yield* sql`CREATE INDEX learners_key_previous_family_name_year_idx ON learners (key_previous_family_name_year) WHERE key_previous_family_name_year IS NOT NULL`
  yield* sql`CREATE INDEX learners_key_postcode_given_initial_idx ON learners (key_postcode_given_initial)`
  yield* sql`CREATE INDEX learners_master_uln_idx ON learners (master_uln) WHERE master_uln IS NOT NULL`
  yield* sql`CREATE TABLE access_log (
    id bigserial PRIMARY KEY,
    at timestamptz NOT NULL DEFAULT now(),
    uln text NOT NULL,
    operation text NOT NULL,
    user_id uuid NOT NULL,
    username text NOT NULL,
    organisation_id uuid NOT NULL,
    organisation_name text NOT NULL,
    request_id text NOT NULL
  )`
  yield* sql`CREATE INDEX access_log_uln_idx ON access_log (uln, at)`
})
