import { Command, Options } from "@effect/cli"
import { SyntheticLearners } from "@learner-records/core"
import { Console, Effect, Option } from "effect"
import * as fs from "node:fs"
import { Server } from "@learner-records/server"
import { ExitCode, write } from "../internal/io.js"
import { adminLines, demoLines } from "./serve.js"

const writeLines = (path: string | undefined, header: string, lines: ReadonlyArray<string>): Effect.Effect<void, ExitCode> => {
  const text = `${header}\n${lines.join("\n")}${lines.length > 0 ? "\n" : ""}`
  return path === undefined
    ? write(text)
    : Effect.try({
      try: () => fs.writeFileSync(path, text),
      catch: (e) => new ExitCode({ code: 2, message: `cannot write ${path}: ${e instanceof Error ? e.message : String(e)}` })
    })
}

// The options of `lrs seed`. Each kind of seeding is one handler below; a new one (the server's
// `--demo`) adds its option here and its branch in the handler.
const seedOptions = {
  learners: Options.integer("learners").pipe(Options.withDefault(1_000), Options.withDescription("How many synthetic learners (registry rows)")),
  seed: Options.text("seed").pipe(Options.withDefault("lrs"), Options.withDescription("Seed: the same seed gives the same learners")),
  out: Options.file("out").pipe(Options.optional, Options.withDescription("Registry CSV to write (default: standard output)")),
  queries: Options.integer("queries").pipe(Options.withDefault(0), Options.withDescription("Also make this many corrupted match queries with ground truth")),
  queriesOut: Options.file("queries-out").pipe(Options.optional, Options.withDescription("Where to write the match queries (required with --queries)")),
  demo: Options.boolean("demo").pipe(Options.withDescription("Load the demo data set into the server's database (DATABASE_URL or the embedded one) instead"))
}

/** Writes a synthetic register (and optionally searches for it) as CSV. */
const seedSynthetic = (o: {
  readonly learners: number
  readonly seed: string
  readonly out: Option.Option<string>
  readonly queries: number
  readonly queriesOut: Option.Option<string>
}) =>
  Effect.gen(function*() {
    if (o.learners < 0) return yield* new ExitCode({ code: 1, message: "--learners must be 0 or more" })
    if (o.queries > 0 && Option.isNone(o.queriesOut)) return yield* new ExitCode({ code: 1, message: "--queries needs --queries-out FILE" })
    const registry = SyntheticLearners.generate({ learners: o.learners, seed: o.seed })
    yield* writeLines(Option.getOrUndefined(o.out), SyntheticLearners.REGISTRY_HEADER, registry.map(SyntheticLearners.toRegistryLine))
    if (o.queries > 0 && Option.isSome(o.queriesOut)) {
      const searches = SyntheticLearners.searches(registry, { count: o.queries, seed: o.seed })
      yield* writeLines(o.queriesOut.value, SyntheticLearners.SEARCH_HEADER, searches.map(SyntheticLearners.toSearchLine))
    }
    if (Option.isSome(o.out)) {
      yield* Console.error(`wrote ${registry.length} learners to ${o.out.value}${o.queries > 0 ? ` and ${o.queries} queries to ${Option.getOrElse(o.queriesOut, () => "")}` : ""}`)
    }
  })

/** Loads the demo data set into the configured database. */
const seedDemo = Effect.gen(function*() {
  const { admin, demo } = yield* Server.seedDemo
  yield* Console.log([...adminLines(admin), ...demoLines(demo, undefined)].join("\n"))
})

/** `lrs seed`: the demo data set (`--demo`), or a deterministic synthetic register as CSV. */
export const seed = Command.make("seed", seedOptions, (o): Effect.Effect<void, ExitCode | Effect.Effect.Error<typeof seedDemo>> => o.demo ? seedDemo : seedSynthetic(o)).pipe(
  Command.withDescription("Load the demo data set into the server's database (--demo), or write a deterministic synthetic learner register (registry CSV) and optionally corrupted match queries with ground truth")
)
