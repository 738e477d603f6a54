import { Args, Command, Options } from "@effect/cli"
import { Uln } from "@learner-records/core"
import { Console, Effect, Option } from "effect"
import { ExitCode, readStdin, write } from "../internal/io.js"

const ulnArgs = Args.text({ name: "uln" }).pipe(
  Args.withDescription("ULNs to check; `-` reads them one per line from standard input"),
  Args.atLeast(1)
)

/** `lrs uln check <uln>...`: valid or invalid with the reason; exit 0 only when every ULN is valid. */
export const check = Command.make("check", { ulns: ulnArgs }, ({ ulns }) =>
  Effect.gen(function*() {
    const inputs: Array<string> = []
    for (const arg of ulns) {
      if (arg === "-") {
        const text = yield* readStdin
        for (const line of text.split(/\r?\n/)) if (line.trim() !== "") inputs.push(line.trim())
      } else {
        inputs.push(arg)
      }
    }
    let invalid = 0
    const out: Array<string> = []
    for (const uln of inputs) {
      const reason = Uln.explain(uln)
      if (reason === undefined) {
        out.push(`${uln}\tvalid`)
      } else {
        invalid++
        const result = Uln.validate(uln)
        out.push(`${uln}\tinvalid\t${result.valid ? "" : result.reason}: ${reason}`)
      }
    }
    yield* write(out.length > 0 ? out.join("\n") + "\n" : "")
    if (invalid > 0) return yield* new ExitCode({ code: 1 })
  })).pipe(Command.withDescription("Check ULNs: prints valid or invalid with the reason; exits 0 only when all are valid"))

/** `lrs uln generate --count N [--seed S]`: N random valid ULNs. */
export const generate = Command.make("generate", {
  count: Options.integer("count").pipe(Options.withAlias("n"), Options.withDefault(1), Options.withDescription("How many ULNs to print")),
  seed: Options.text("seed").pipe(Options.optional, Options.withDescription("Seed for a reproducible sequence"))
}, ({ count, seed }) =>
  Effect.gen(function*() {
    if (count < 0) return yield* new ExitCode({ code: 1, message: "--count must be 0 or more" })
    const next = Uln.generator(Option.match(seed, { onNone: () => ({}), onSome: (s) => ({ seed: s }) }))
    const chunk: Array<string> = []
    for (let i = 0; i < count; i++) {
      chunk.push(next())
      if (chunk.length === 10_000) {
        yield* write(chunk.join("\n") + "\n")
        chunk.length = 0
      }
    }
    if (chunk.length > 0) yield* Console.log(chunk.join("\n"))
  })).pipe(Command.withDescription("Print random valid ULNs (random allocation, never sequential)"))

/** `lrs uln`: ULN tools. */
export const uln = Command.make("uln").pipe(
  Command.withDescription("Check and generate Unique Learner Numbers"),
  Command.withSubcommands([check, generate])
)
