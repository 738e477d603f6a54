import { Args, Command } from "@effect/cli"
import { Database, Operator } from "@learner-records/server"
import { Config, Console, Effect, Option, Redacted } from "effect"
import * as fs from "node:fs"
import * as path from "node:path"
import { ExitCode } from "../internal/io.js"

/**
 * Without `DATABASE_URL`, the embedded database must already be there: opening a mistyped
 * `LRS_DATA_DIR` would create an empty one, and an in-memory one dies with its process.
 */
const embeddedDatabaseThere = Effect.suspend(() => {
  if ((process.env["DATABASE_URL"] ?? "").trim() !== "") return Effect.void
  const dir = process.env["LRS_DATA_DIR"] ?? Database.defaultDataDir
  const local = dir.startsWith("file://") ? dir.slice("file://".length) : /^[a-z]+:\/\//i.test(dir) ? undefined : dir
  if (local !== undefined && fs.existsSync(path.join(local, "PG_VERSION"))) return Effect.void
  return Effect.fail(new ExitCode({
    code: 1,
    message: local === undefined
      ? `the embedded database in ${dir} lives only in its own process: there is nothing here to reset`
      : `there is no embedded database in ${dir} (no server has used it); check LRS_DATA_DIR, or set DATABASE_URL`
  }))
})

/** The new password, when the operator chose one: never on the command line, where others can read it. */
const NewPassword = Config.option(Config.redacted("LRS_NEW_PASSWORD"))

/**
 * `lrs reset-password <username>`: sets a user's password directly in the database and unlocks the
 * account (for when no super user can sign in to do it through the api, as for a locked `admin`).
 */
export const resetPassword = Command.make("reset-password", {
  username: Args.text({ name: "username" }).pipe(Args.withDescription("The user whose password to set (any letter case)"))
}, ({ username }) =>
  Effect.gen(function*() {
    yield* embeddedDatabaseThere
    const given = Option.map(yield* NewPassword, Redacted.value)
    const reset = yield* Operator.resetPasswordOn(username, given).pipe(
      Effect.catchTags({
        UnknownUser: (e) => new ExitCode({ code: 1, message: e.message }),
        RevokedUser: (e) => new ExitCode({ code: 1, message: e.message }),
        UnacceptablePassword: (e) => new ExitCode({ code: 1, message: `${e.message} (LRS_NEW_PASSWORD)` })
      })
    )
    yield* Console.log([
      `${reset.username}: password ${Option.isSome(given) ? "set to LRS_NEW_PASSWORD" : "reset"}${reset.wasLocked ? ", account unlocked" : ""}; every session of it is signed out.`,
      ...Option.match(reset.generated, {
        onNone: () => [],
        onSome: (password) => [`new password: ${password}`, "(shown once: note it now)"]
      })
    ].join("\n"))
  })).pipe(Command.withDescription(
    "Set a user's password in the database and unlock the account: LRS_NEW_PASSWORD, or a generated one printed once (DATABASE_URL or the embedded database)"
  ))
