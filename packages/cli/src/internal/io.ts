import { Data, Effect } from "effect"
import * as fs from "node:fs"

/**
 * Ends the command with a given process exit code (1: the input is not acceptable, 2: it could
 * not be read), after the command has printed what it wants to.
 */
export class ExitCode extends Data.TaggedError("ExitCode")<{ readonly code: number; readonly message?: string }> {}

/** Reads all of standard input as UTF-8 text. */
export const readStdin: Effect.Effect<string, ExitCode> = Effect.async<string, ExitCode>((resume) => {
  const chunks: Array<Buffer> = []
  process.stdin.on("data", (c: Buffer) => chunks.push(c))
  process.stdin.on("end", () => resume(Effect.succeed(Buffer.concat(chunks).toString("utf8"))))
  process.stdin.on("error", (e) => resume(Effect.fail(new ExitCode({ code: 2, message: `cannot read standard input: ${e.message}` }))))
})

/** Reads a file as bytes, failing with exit code 2 and a readable message. */
export const readFile = (path: string): Effect.Effect<Uint8Array, ExitCode> =>
  Effect.try({
    try: () => fs.readFileSync(path),
    catch: (e) => new ExitCode({ code: 2, message: `cannot read ${path}: ${e instanceof Error ? e.message : String(e)}` })
  })

/** Writes text to standard output without a trailing newline being added. */
export const write = (text: string): Effect.Effect<void> => Effect.sync(() => void process.stdout.write(text))
