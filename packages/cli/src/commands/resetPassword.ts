import { Args, Command } from "@effect/cli"
import { Operator } from "@learner-records/server"
import { Config, Console, Effect, Option, Redacted } from "effect"
import { ExitCode } from "../internal/io.js"

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
