import { Command, Options } from "@effect/cli"
import { LearnerIndex, Matching } from "@learner-records/core"
import { Console, Effect, Either } from "effect"
import { ExitCode, write } from "../internal/io.js"
import { decodeRow, pick, readTable, value } from "../internal/learnerCsv.js"

/** The registry CSV columns (CONTRACT / issue 3). */
export const REGISTRY_COLUMNS = ["uln", "givenName", "familyName", "dateOfBirth", "gender", "postcode", "previousFamilyName", "masterUln"] as const
const REGISTRY_REQUIRED = ["uln", "givenName", "familyName", "dateOfBirth", "gender", "postcode"] as const
const QUERY_COLUMNS = ["givenName", "familyName", "dateOfBirth", "gender", "postcode", "previousFamilyName", "schoolAtAge16", "placeOfBirth", "emailAddress"] as const

/** Reads the registry CSV into a LearnerIndex, reporting each bad row (with its line) on standard error. */
export const loadRegistry = (path: string) =>
  Effect.gen(function*() {
    const table = yield* readTable(path, REGISTRY_REQUIRED)
    const index = LearnerIndex.make()
    const problems: Array<string> = []
    for (const row of table.rows) {
      const decoded = decodeRow(Matching.RegisteredLearner, row, pick(row, REGISTRY_COLUMNS))
      if (Either.isLeft(decoded)) problems.push(`${path} line ${row.line}: ${decoded.left}`)
      else if (!index.add(decoded.right)) problems.push(`${path} line ${row.line}: ULN ${decoded.right.uln} is already on an earlier line; this row is ignored`)
    }
    for (const p of problems) yield* Console.error(p)
    return { index, problems: problems.length }
  })

/** Writes JSON lines in blocks, so a large file is not one huge string. */
export const jsonLines = () => {
  const chunk: Array<string> = []
  return {
    push: (o: unknown) =>
      Effect.suspend(() => {
        chunk.push(JSON.stringify(o))
        if (chunk.length < 5_000) return Effect.void
        const text = chunk.join("\n") + "\n"
        chunk.length = 0
        return write(text)
      }),
    flush: Effect.suspend(() => (chunk.length === 0 ? Effect.void : write(chunk.join("\n") + "\n")))
  }
}

/** `lrs match --registry R.csv --queries Q.csv`: one JSON line per query, in query order. */
export const match = Command.make("match", {
  registry: Options.file("registry").pipe(Options.withDescription("Registry CSV: " + REGISTRY_COLUMNS.join(","))),
  queries: Options.file("queries").pipe(Options.withDescription("Queries CSV: id," + QUERY_COLUMNS.join(",") + " (the last four optional)"))
}, ({ queries, registry }) =>
  Effect.gen(function*() {
    const { index, problems } = yield* loadRegistry(registry)
    const table = yield* readTable(queries, ["id", "givenName", "familyName", "dateOfBirth", "gender", "postcode"])
    const out = jsonLines()
    let bad = 0
    for (const row of table.rows) {
      const id = value(row, "id") ?? null
      const decoded = decodeRow(Matching.Search, row, pick(row, QUERY_COLUMNS))
      if (Either.isLeft(decoded)) {
        bad++
        yield* Console.error(`${queries} line ${row.line}: ${decoded.left}`)
        yield* out.push({ id, responseCode: "WSEC0001", learners: [], error: `line ${row.line}: ${decoded.left}` })
        continue
      }
      const outcome = index.find(decoded.right)
      yield* out.push({ id, responseCode: outcome.responseCode, learners: outcome.learners.map((l) => ({ uln: l.uln, score: l.score })) })
    }
    yield* out.flush
    if (bad > 0 || problems > 0) return yield* new ExitCode({ code: 1 })
  })).pipe(Command.withDescription("Find each query's learner in a registry CSV with the service's matching rules; one JSON line per query"))
