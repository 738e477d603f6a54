import { Command, Options } from "@effect/cli"
import { Uln, Verification } from "@learner-records/core"
import { Console, Effect, Either } from "effect"
import { ExitCode } from "../internal/io.js"
import { decodeRow, pick, readTable, value } from "../internal/learnerCsv.js"
import { jsonLines, loadRegistry, REGISTRY_COLUMNS } from "./match.js"

const VERIFY_COLUMNS = ["uln", "givenName", "familyName", "dateOfBirth", "gender"] as const

/** `lrs verify --registry R.csv --queries Q.csv`: one JSON line per query, in query order. */
export const verify = Command.make("verify", {
  registry: Options.file("registry").pipe(Options.withDescription("Registry CSV: " + REGISTRY_COLUMNS.join(","))),
  queries: Options.file("queries").pipe(Options.withDescription("Queries CSV: id," + VERIFY_COLUMNS.join(",") + " (dateOfBirth and gender may be empty)"))
}, ({ queries, registry }) =>
  Effect.gen(function*() {
    const { index, problems } = yield* loadRegistry(registry)
    const table = yield* readTable(queries, ["id", "uln", "givenName", "familyName"])
    const out = jsonLines()
    let bad = 0
    for (const row of table.rows) {
      const id = value(row, "id") ?? null
      const decoded = decodeRow(Verification.Request, row, pick(row, VERIFY_COLUMNS))
      if (Either.isLeft(decoded)) {
        bad++
        // an invalid ULN has its own code (WSEC0136); anything else is an invalid request
        const uln = value(row, "uln") ?? ""
        const code = !Uln.isValid(uln) ? "WSEC0136" : "WSEC0001"
        yield* Console.error(`${queries} line ${row.line}: ${decoded.left}`)
        yield* out.push({ id, responseCode: code, failureFlags: [], uln: null, error: `line ${row.line}: ${decoded.left}` })
        continue
      }
      const outcome = index.verify(decoded.right)
      yield* out.push({ id, responseCode: outcome.responseCode, failureFlags: outcome.failureFlags, uln: outcome.uln ?? null })
    }
    yield* out.flush
    if (bad > 0 || problems > 0) return yield* new ExitCode({ code: 1 })
  })).pipe(Command.withDescription("Verify each query's ULN and details against a registry CSV (VLD); one JSON line per query"))
