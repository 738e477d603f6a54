/**
 * Accounts: organisations, users, bearer tokens and API keys — sign-in with a three-attempt
 * lockout, resolving a token or API key to the {@link Caller}, and the LRS admin account created on
 * first start; and the user and API-key management behind the `users` group (list, register,
 * update, revoke, reset a password; create, list and revoke API keys), scoped to one organisation
 * or, for an LRS admin, to all. Secrets are stored only as SHA-256 digests; passwords as scrypt hashes.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { type Problem, Security } from "@learner-records/api"
import type { Access, Ukprn } from "@learner-records/core"
import { Config, Duration, Effect, Option, Redacted } from "effect"
import * as Problems from "./http/Problems.js"
import { textArray } from "./internal/sql.js"
import * as Passwords from "./Passwords.js"

/**
 * How many failed sign-ins in a row lock an account (CONTRACT §4.7).
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_FAILED_SIGN_INS = 3

/**
 * The LRS admin's user name, created on first start.
 *
 * @since 0.1.0
 * @category constants
 */
export const ADMIN_USERNAME = "admin"

/**
 * Account settings: `LRS_TOKEN_TTL` (seconds a bearer token lives, default 8 hours) and
 * `LRS_ADMIN_PASSWORD` (the first-start admin password; generated when unset).
 *
 * @since 0.1.0
 * @category config
 */
export const AccountsConfig = Config.all({
  tokenTtl: Config.integer("LRS_TOKEN_TTL").pipe(Config.withDefault(8 * 3600), Config.map(Duration.seconds)),
  adminPassword: Config.option(Config.redacted("LRS_ADMIN_PASSWORD"))
})

/**
 * The row a caller is built from: a user joined with its organisation.
 *
 * @since 0.1.0
 * @category models
 */
export interface CallerRow {
  readonly userId: string
  readonly username: string
  readonly organisationId: string
  readonly organisationName: string
  readonly ukprn: string | null
  readonly kinds: ReadonlyArray<string>
  readonly olass: boolean
  readonly roles: ReadonlyArray<string>
}

/**
 * Builds the {@link Security.Caller} of a row.
 *
 * @since 0.1.0
 * @category constructors
 */
export const callerOf = (row: CallerRow, via: "token" | "apiKey"): Security.Caller =>
  Security.Caller.make({
    userId: row.userId,
    username: row.username,
    organisationId: row.organisationId,
    organisationName: row.organisationName,
    ukprn: row.ukprn as Ukprn.Ukprn | null,
    organisationKinds: row.kinds as ReadonlyArray<Access.OrganisationKind>,
    olass: row.olass,
    roles: row.roles as ReadonlyArray<Access.Role>,
    via
  })

const unauthorized = (detail: string, code: string = "WSEC0005"): Effect.Effect<never, Problem.Unauthorized> =>
  Problems.fail("Unauthorized", { code, title: code === "SVC006" ? "Account locked" : "Incorrect credentials", detail })

/**
 * What the first start did about the admin account.
 *
 * @since 0.1.0
 * @category models
 */
export type AdminBootstrap =
  | { readonly _tag: "Existing" }
  | { readonly _tag: "Created"; readonly username: string; readonly password: Option.Option<string> }

/**
 * A signed-in session: the token (shown once) and when it expires.
 *
 * @since 0.1.0
 * @category models
 */
export interface Session {
  readonly token: string
  readonly expiresAt: Date
  readonly expiresIn: number
  readonly caller: Security.Caller
}


/**
 * A user as the accounts screens show them (never the password hash).
 *
 * @since 0.1.0
 * @category models
 */
export interface UserRow {
  readonly id: string
  readonly username: string
  readonly displayName: string
  readonly email: string | null
  readonly organisationId: string
  readonly roles: ReadonlyArray<string>
  readonly status: "active" | "locked" | "revoked"
  readonly createdAt: Date
}

/**
 * A user with what their organisation is, for the role rules of an update.
 *
 * @since 0.1.0
 * @category models
 */
export interface ManagedUser extends UserRow {
  readonly organisationKinds: ReadonlyArray<string>
  readonly olass: boolean
}

/**
 * An API key's public details (never its secret or digest).
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiKeyRow {
  readonly id: string
  readonly organisationId: string
  readonly name: string
  readonly prefix: string
  readonly roles: ReadonlyArray<string>
  readonly createdAt: Date
  readonly revokedAt: Date | null
}

/**
 * Whose accounts a caller may see: one organisation's, or every organisation's (`undefined`, an
 * LRS admin).
 *
 * @since 0.1.0
 * @category models
 */
export type AccountScope = string | undefined

/**
 * How many characters of an API key are kept in clear, to recognise it in a list
 * (`lrs_key_` and four more).
 *
 * @since 0.1.0
 * @category constants
 */
export const API_KEY_PREFIX_LENGTH = 12

// ids come from the path: anything that is not a uuid is simply not found (a cast would fail the query)
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * The accounts repository.
 *
 * @since 0.1.0
 * @category services
 */
export class Accounts extends Effect.Service<Accounts>()("@learner-records/server/Accounts", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const config = yield* AccountsConfig

    const callerColumns = sql`u.id::text AS user_id, u.username, o.id::text AS organisation_id, o.name AS organisation_name,
      o.ukprn, o.kinds, o.olass`

    /** Creates the LRS organisation and the `admin` user when there are no users at all. */
    const ensureAdmin = Effect.fn("Accounts.ensureAdmin")(function*() {
      return yield* sql.withTransaction(Effect.gen(function*() {
        // serialise concurrent first starts of several instances
        yield* sql`LOCK TABLE users IN EXCLUSIVE MODE`
        const existing = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM users`
        if ((existing[0]?.n ?? 0) > 0) return { _tag: "Existing" } as AdminBootstrap
        const given = Option.map(config.adminPassword, Redacted.value)
        const password = Option.getOrElse(given, Passwords.generatePassword)
        const hash = yield* Passwords.hash(password)
        const org = yield* sql<{ readonly id: string }>`INSERT INTO organisations (name, kinds)
          VALUES ('Learning Records Service', ARRAY['LRS']) RETURNING id::text`
        yield* sql`INSERT INTO users (organisation_id, username, display_name, password_hash, roles)
          VALUES (${org[0]!.id}::uuid, ${ADMIN_USERNAME}, 'LRS administrator', ${hash}, ARRAY['LrsAdmin', 'SuperUser'])`
        return {
          _tag: "Created",
          username: ADMIN_USERNAME,
          password: Option.isSome(given) ? Option.none() : Option.some(password)
        } as AdminBootstrap
      }))
    })

    /** Signs in; three wrong passwords in a row lock the account. */
    const signIn = Effect.fn("Accounts.signIn")(function*(username: string, password: string) {
      const wrong = () => unauthorized("The user name or password is wrong.")
      const locked = (detail: string) => unauthorized(detail, "SVC006")
      const rows = yield* sql<CallerRow & { readonly passwordHash: string; readonly status: string }>`
        SELECT ${callerColumns}, u.roles, u.password_hash, u.status
        FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE lower(u.username) = lower(${username})`
      const row = rows[0]
      if (row === undefined || row.status === "revoked") {
        // an unknown or revoked user costs one scrypt too, and answers exactly as a wrong password
        yield* Passwords.verify(password, Passwords.unmatchableHash)
        return yield* wrong()
      }
      const lockedDetail = `The account is locked after ${MAX_FAILED_SIGN_INS} failed sign-ins; ask a super user of your organisation to reset its password.`
      if (row.status === "locked") return yield* locked(lockedDetail)
      // Each attempt claims one of the account's attempts before its password is checked, so
      // concurrent guesses cannot check more than MAX_FAILED_SIGN_INS passwords per lock: the
      // claim is one atomic UPDATE, and an attempt that finds none left is refused unchecked.
      const claimed = yield* sql<{ readonly failedAttempts: number }>`
        UPDATE users SET failed_attempts = failed_attempts + 1, updated_at = now()
        WHERE id = ${row.userId}::uuid AND status = 'active' AND failed_attempts < ${MAX_FAILED_SIGN_INS}
        RETURNING failed_attempts`
      if (claimed.length === 0) {
        // every attempt is claimed: by guesses still being checked, or by ones a crash cut short
        // more than a minute ago, which count as failed
        const now = yield* sql<{ readonly status: string }>`
          UPDATE users SET status = CASE WHEN updated_at < now() - interval '1 minute' THEN 'locked' ELSE status END
          WHERE id = ${row.userId}::uuid AND status = 'active' AND failed_attempts >= ${MAX_FAILED_SIGN_INS}
          RETURNING status`
        if (now[0]?.status === "active") {
          return yield* unauthorized(`${MAX_FAILED_SIGN_INS} sign-ins to this account are already being checked; try again in a moment.`)
        }
        const status = now[0]?.status ?? (yield* sql<{ readonly status: string }>`SELECT status FROM users WHERE id = ${row.userId}::uuid`)[0]?.status
        return yield* status === "locked" ? locked(lockedDetail) : wrong()
      }
      if (!(yield* Passwords.verify(password, row.passwordHash))) {
        // the claim stays counted; the account locks once the count reaches the limit (a success
        // in the meantime has reset it, and then nothing locks)
        const after = yield* sql<{ readonly status: string }>`
          UPDATE users SET status = CASE WHEN failed_attempts >= ${MAX_FAILED_SIGN_INS} THEN 'locked' ELSE status END, updated_at = now()
          WHERE id = ${row.userId}::uuid AND status = 'active' RETURNING status`
        return yield* after[0]?.status === "locked" || after.length === 0
          ? locked(`Wrong password: the account is now locked after ${MAX_FAILED_SIGN_INS} failed sign-ins; ask a super user of your organisation to reset its password.`)
          : wrong()
      }
      // the right password: the count starts again, unless the account locked meanwhile (a
      // concurrent wrong guess used the last attempt): then no token
      const reset = yield* sql`UPDATE users SET failed_attempts = 0 WHERE id = ${row.userId}::uuid AND status = 'active' RETURNING id`
      if (reset.length === 0) return yield* locked(lockedDetail)
      const token = Passwords.newSecret("lrs_tok_")
      const ttl = Duration.toMillis(config.tokenTtl)
      const expiresAt = new Date(Date.now() + ttl)
      yield* sql`INSERT INTO auth_tokens (user_id, token_digest, expires_at)
        VALUES (${row.userId}::uuid, ${Passwords.digest(token)}, ${expiresAt})`
      const session: Session = { token, expiresAt, expiresIn: Math.floor(ttl / 1000), caller: callerOf(row, "token") }
      return session
    })

    /** The caller a bearer token stands for and when the token expires; 401 when unknown, expired or revoked. */
    const tokenSession = Effect.fn("Accounts.tokenSession")(function*(token: string) {
      if (token === "") return yield* unauthorized("Sign in: send `Authorization: Bearer <token>` from POST /api/v1/auth/login, or `X-API-Key`.")
      const rows = yield* sql<CallerRow & { readonly status: string; readonly expired: boolean; readonly revoked: boolean; readonly expiresAt: Date }>`
        SELECT ${callerColumns}, u.roles, u.status, t.expires_at <= now() AS expired, t.revoked_at IS NOT NULL AS revoked, t.expires_at
        FROM auth_tokens t JOIN users u ON u.id = t.user_id JOIN organisations o ON o.id = u.organisation_id
        WHERE t.token_digest = ${Passwords.digest(token)}`
      const row = rows[0]
      if (row === undefined) return yield* unauthorized("The bearer token is not recognised; sign in again.")
      if (row.revoked) return yield* unauthorized("The bearer token was revoked (signed out); sign in again.")
      if (row.expired) return yield* unauthorized("The bearer token has expired; sign in again.")
      if (row.status !== "active") return yield* unauthorized(`The account is ${row.status}; sign in again once it is restored.`)
      return { caller: callerOf(row, "token"), expiresAt: new Date(row.expiresAt) } as const
    })

    /** The caller a bearer token stands for; 401 when unknown, expired or revoked. */
    const authenticateToken = (token: string) => Effect.map(tokenSession(token), (session) => session.caller)

    /** The caller an API key stands for; 401 when unknown or revoked. */
    const authenticateApiKey = Effect.fn("Accounts.authenticateApiKey")(function*(key: string) {
      const rows = yield* sql<CallerRow & { readonly revoked: boolean; readonly status: string; readonly keyId: string; readonly keyName: string }>`
        SELECT u.id::text AS user_id, u.username, o.id::text AS organisation_id, o.name AS organisation_name, o.ukprn, o.kinds, o.olass,
          k.roles, k.revoked_at IS NOT NULL AS revoked, u.status, k.id::text AS key_id, k.name AS key_name
        FROM api_keys k JOIN users u ON u.id = k.created_by JOIN organisations o ON o.id = k.organisation_id
        WHERE k.key_digest = ${Passwords.digest(key)}`
      const row = rows[0]
      if (row === undefined) return yield* unauthorized("The API key is not recognised.")
      if (row.revoked) return yield* unauthorized("The API key was revoked.")
      if (row.status === "revoked") return yield* unauthorized("The user who created this API key was revoked, and the key with them.")
      yield* sql`UPDATE api_keys SET last_used_at = now() WHERE id = ${row.keyId}::uuid AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`
      return callerOf({ ...row, username: `${row.username}/${row.keyName}` }, "apiKey")
    })

    /** Revokes a bearer token (sign out). */
    const signOut = Effect.fn("Accounts.signOut")(function*(token: string) {
      yield* sql`UPDATE auth_tokens SET revoked_at = now() WHERE token_digest = ${Passwords.digest(token)} AND revoked_at IS NULL`
    })

    const userColumns = sql`u.id::text AS id, u.username, coalesce(u.display_name, u.username) AS display_name,
      u.email_address AS email, u.organisation_id::text AS organisation_id, u.roles, u.status, u.created_at`
    const keyColumns = sql`k.id::text AS id, k.organisation_id::text AS organisation_id, k.name, k.key_prefix AS prefix, k.roles,
      k.created_at, k.revoked_at`
    // every query below reads a single table with an organisation_id column, so it needs no alias
    const inScope = (scope: AccountScope) => scope === undefined ? sql`` : sql`AND organisation_id = ${scope}::uuid`

    /** The users of one organisation (or of all), by user name. */
    const listUsers = Effect.fn("Accounts.listUsers")(function*(scope: AccountScope) {
      return yield* sql<UserRow>`SELECT ${userColumns} FROM users u WHERE true ${inScope(scope)}
        ORDER BY lower(u.username)`
    })

    /** A user within the scope, locked for the rest of the transaction; none when unknown or out of scope. */
    const findUser = Effect.fn("Accounts.findUser")(function*(id: string, scope: AccountScope) {
      if (!UUID.test(id)) return Option.none<ManagedUser>()
      const rows = yield* sql<ManagedUser>`SELECT ${userColumns}, o.kinds AS organisation_kinds, o.olass
        FROM users u JOIN organisations o ON o.id = u.organisation_id
        WHERE u.id = ${id}::uuid ${inScope(scope)}
        FOR UPDATE OF u`
      return Option.fromNullable(rows[0])
    })

    /** What an organisation is (kinds and the OLASS flag); none when unknown. */
    const organisationProfile = Effect.fn("Accounts.organisationProfile")(function*(id: string) {
      if (!UUID.test(id)) return Option.none<{ readonly id: string; readonly kinds: ReadonlyArray<string>; readonly olass: boolean }>()
      const rows = yield* sql<{ readonly id: string; readonly kinds: ReadonlyArray<string>; readonly olass: boolean }>`
        SELECT id::text AS id, kinds, olass FROM organisations WHERE id = ${id}::uuid`
      return Option.fromNullable(rows[0])
    })

    /** Registers a user; none when the user name is taken, whatever its case. */
    const createUser = Effect.fn("Accounts.createUser")(function*(user: {
      readonly organisationId: string
      readonly username: string
      readonly displayName: string
      readonly email: string | null
      readonly roles: ReadonlyArray<string>
      readonly passwordHash: string
    }) {
      // the unique index on lower(username) decides, so two concurrent registrations cannot both win
      const rows = yield* sql<UserRow>`WITH u AS (
          INSERT INTO users (organisation_id, username, display_name, email_address, password_hash, roles)
          VALUES (${user.organisationId}::uuid, ${user.username}, ${user.displayName}, ${user.email}, ${user.passwordHash},
            ${textArray(user.roles)}::text[])
          ON CONFLICT DO NOTHING
          RETURNING *)
        SELECT ${userColumns} FROM u`
      return Option.fromNullable(rows[0])
    })

    /** Changes a user's name, e-mail (`null` clears it) or roles; fields left undefined stay as they are. */
    const updateUser = Effect.fn("Accounts.updateUser")(function*(id: string, change: {
      readonly displayName?: string | undefined
      readonly email?: string | null | undefined
      readonly roles?: ReadonlyArray<string> | undefined
    }) {
      const rows = yield* sql<UserRow>`WITH u AS (
          UPDATE users SET
            display_name = coalesce(${change.displayName ?? null}::text, display_name),
            email_address = CASE WHEN ${change.email !== undefined}::boolean THEN ${change.email ?? null}::text ELSE email_address END,
            roles = coalesce(${change.roles === undefined ? null : textArray(change.roles)}::text[], roles),
            updated_at = now()
          WHERE id = ${id}::uuid
          RETURNING *)
        SELECT ${userColumns} FROM u`
      return rows[0]!
    })

    /** Revokes every API key a user created that is not revoked yet; how many. */
    const revokeApiKeysOf = Effect.fn("Accounts.revokeApiKeysOf")(function*(userId: string) {
      const rows = yield* sql<{ readonly id: string }>`UPDATE api_keys SET revoked_at = now()
        WHERE created_by = ${userId}::uuid AND revoked_at IS NULL RETURNING id::text`
      return rows.length
    })

    /** Revokes a user with every token they hold and every API key they created. */
    const revokeUser = Effect.fn("Accounts.revokeUser")(function*(id: string) {
      yield* sql`UPDATE auth_tokens SET revoked_at = now() WHERE user_id = ${id}::uuid AND revoked_at IS NULL`
      yield* revokeApiKeysOf(id)
      const rows = yield* sql<UserRow>`WITH u AS (
          UPDATE users SET status = 'revoked', updated_at = now() WHERE id = ${id}::uuid RETURNING *)
        SELECT ${userColumns} FROM u`
      return rows[0]!
    })

    /** Sets a new password, unlocks a locked account and revokes the user's tokens (signed out everywhere). */
    const resetPassword = Effect.fn("Accounts.resetPassword")(function*(id: string, passwordHash: string) {
      yield* sql`UPDATE auth_tokens SET revoked_at = now() WHERE user_id = ${id}::uuid AND revoked_at IS NULL`
      const rows = yield* sql<UserRow>`WITH u AS (
          UPDATE users SET password_hash = ${passwordHash}, failed_attempts = 0,
            status = CASE WHEN status = 'locked' THEN 'active' ELSE status END, updated_at = now()
          WHERE id = ${id}::uuid RETURNING *)
        SELECT ${userColumns} FROM u`
      return rows[0]!
    })

    /** The user of a user name (in any letter case), for the operator's tools; none when unknown. */
    const findUserByName = Effect.fn("Accounts.findUserByName")(function*(username: string) {
      const rows = yield* sql<UserRow>`SELECT ${userColumns} FROM users u WHERE lower(u.username) = lower(${username})`
      return Option.fromNullable(rows[0])
    })

    /** The API keys of one organisation (or of all), newest first. */
    const listApiKeys = Effect.fn("Accounts.listApiKeys")(function*(scope: AccountScope) {
      return yield* sql<ApiKeyRow>`SELECT ${keyColumns} FROM api_keys k WHERE true ${inScope(scope)}
        ORDER BY k.created_at DESC, k.id`
    })

    /** Creates an API key: the secret is returned this once and stored only as its digest and a short prefix. */
    const createApiKey = Effect.fn("Accounts.createApiKey")(function*(key: {
      readonly organisationId: string
      readonly createdBy: string
      readonly name: string
      readonly roles: ReadonlyArray<string>
    }) {
      const secret = Passwords.newSecret("lrs_key_")
      const rows = yield* sql<ApiKeyRow>`WITH k AS (
          INSERT INTO api_keys (organisation_id, created_by, name, key_digest, key_prefix, roles)
          VALUES (${key.organisationId}::uuid, ${key.createdBy}::uuid, ${key.name}, ${Passwords.digest(secret)},
            ${secret.slice(0, API_KEY_PREFIX_LENGTH)}, ${textArray(key.roles)}::text[])
          RETURNING *)
        SELECT ${keyColumns} FROM k`
      return { apiKey: rows[0]!, secret }
    })

    /** Revokes an API key within the scope (a second revoke keeps the first time); none when unknown or out of scope. */
    const revokeApiKey = Effect.fn("Accounts.revokeApiKey")(function*(id: string, scope: AccountScope) {
      if (!UUID.test(id)) return Option.none<ApiKeyRow>()
      const rows = yield* sql<ApiKeyRow>`WITH k AS (
          UPDATE api_keys SET revoked_at = coalesce(revoked_at, now())
          WHERE id = ${id}::uuid ${inScope(scope)}
          RETURNING *)
        SELECT ${keyColumns} FROM k`
      return Option.fromNullable(rows[0])
    })

    return {
      ensureAdmin,
      signIn,
      authenticateToken,
      tokenSession,
      authenticateApiKey,
      signOut,
      listUsers,
      findUser,
      organisationProfile,
      createUser,
      updateUser,
      revokeUser,
      revokeApiKeysOf,
      resetPassword,
      findUserByName,
      listApiKeys,
      createApiKey,
      revokeApiKey
    } as const
  })
}) {}
