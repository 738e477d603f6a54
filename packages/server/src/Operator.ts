/**
 * The operator's tools on the database, for when the api cannot help: `lrs reset-password` sets a
 * user's password and unlocks the account. Three wrong passwords lock any account, `admin`
 * included, and the api's reset needs a super user who can still sign in; the only LRS admin
 * locked by someone guessing at its well-known name would otherwise be lost. Whoever can reach the
 * database (its URL, or the embedded data directory) already holds every account, so this gives
 * them nothing new.
 *
 * @since 0.1.2
 */
import type * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { UsersApi } from "@learner-records/api"
import { FieldIssues } from "@learner-records/core"
import type * as ConfigError from "effect/ConfigError"
import * as Effect from "effect/Effect"
import type * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import { Accounts } from "./Accounts.js"
import * as Database from "./Database.js"
import * as Passwords from "./Passwords.js"

/**
 * No user has this name.
 *
 * @since 0.1.2
 * @category errors
 */
export class UnknownUser extends Schema.TaggedError<UnknownUser>()("UnknownUser", { username: Schema.String }) {
  override get message(): string {
    return `there is no user named "${this.username}"`
  }
}

/**
 * The user is revoked: a revoked account is never restored (register a new one).
 *
 * @since 0.1.2
 * @category errors
 */
export class RevokedUser extends Schema.TaggedError<RevokedUser>()("RevokedUser", { username: Schema.String }) {
  override get message(): string {
    return `the user "${this.username}" is revoked, and a revoked account is never restored; register a new user instead`
  }
}

/**
 * The new password breaks the password rules (the api's, `UsersApi.ResetPasswordRequest`).
 *
 * @since 0.1.2
 * @category errors
 */
export class UnacceptablePassword extends Schema.TaggedError<UnacceptablePassword>()("UnacceptablePassword", { reason: Schema.String }) {
  override get message(): string {
    return `the new password is not acceptable: ${this.reason}`
  }
}

/**
 * What a reset did: whose password, and the password itself when it was generated (to be shown
 * once).
 *
 * @since 0.1.2
 * @category models
 */
export interface PasswordReset {
  readonly username: string
  readonly organisationId: string
  readonly wasLocked: boolean
  readonly generated: Option.Option<string>
}

const decodeReset = Schema.decodeUnknownEither(UsersApi.ResetPasswordRequest)

/**
 * Sets the password of `username` (in any letter case) to `password`, or to a generated one when
 * none is given; unlocks the account and signs out every session of it, as the api's reset does.
 *
 * @since 0.1.2
 * @category operations
 */
export const resetPassword = (
  username: string,
  password: Option.Option<string>
): Effect.Effect<PasswordReset, UnknownUser | RevokedUser | UnacceptablePassword | SqlError | ConfigError.ConfigError, SqlClient.SqlClient> =>
  Effect.gen(function*() {
    const chosen = Option.getOrElse(password, Passwords.generatePassword)
    const decoded = decodeReset({ password: chosen })
    if (decoded._tag === "Left") {
      const issues = FieldIssues.fromParseError(decoded.left)
      return yield* new UnacceptablePassword({ reason: issues.map((i) => i.message).join("; ") })
    }
    const accounts = yield* Effect.provide(Accounts, Accounts.Default)
    const user = yield* accounts.findUserByName(username)
    if (Option.isNone(user)) return yield* new UnknownUser({ username })
    if (user.value.status === "revoked") return yield* new RevokedUser({ username: user.value.username })
    const hash = yield* Passwords.hash(chosen)
    yield* accounts.resetPassword(user.value.id, hash)
    return {
      username: user.value.username,
      organisationId: user.value.organisationId,
      wasLocked: user.value.status === "locked",
      generated: Option.isSome(password) ? Option.none() : Option.some(chosen)
    }
  })

/**
 * {@link resetPassword} on the configured database (`DATABASE_URL`, else the embedded one).
 *
 * @since 0.1.2
 * @category entry points
 */
export const resetPasswordOn = (
  username: string,
  password: Option.Option<string>,
  database: Layer.Layer<SqlClient.SqlClient, SqlError | ConfigError.ConfigError> = Database.layer
): Effect.Effect<PasswordReset, UnknownUser | RevokedUser | UnacceptablePassword | SqlError | ConfigError.ConfigError> =>
  resetPassword(username, password).pipe(Effect.provide(database))
