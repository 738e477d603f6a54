/**
 * The `lrs` command line.
 *
 * @since 0.1.0
 */
import { Command } from "@effect/cli"
import { bench } from "./commands/bench.js"
import { match } from "./commands/match.js"
import { seed } from "./commands/seed.js"
import { resetPassword } from "./commands/resetPassword.js"
import { migrate, serve } from "./commands/serve.js"
import { uln } from "./commands/uln.js"
import { validate } from "./commands/validate.js"
import { verify } from "./commands/verify.js"

/**
 * The root `lrs` command with every subcommand.
 *
 * @since 0.1.0
 * @category commands
 */
export const lrs = Command.make("lrs").pipe(
  Command.withDescription("Learning Records Service reference implementation: server, tools and benchmarks"),
  Command.withSubcommands([serve, migrate, resetPassword, uln, seed, match, verify, validate, bench])
)

/**
 * Runs the CLI on an argument vector (`process.argv`).
 *
 * @since 0.1.0
 * @category running
 */
export const run = Command.run(lrs, { name: "lrs", version: "0.1.0" })
