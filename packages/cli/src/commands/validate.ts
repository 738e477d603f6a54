import { Args, Command, Options } from "@effect/cli"
import { FileSystem } from "@effect/platform"
import { BatchFile, type BatchProblem, BatchRow, ServiceDate } from "@learner-records/core"
import { Effect, Option } from "effect"
import * as path from "node:path"
import { ExitCode, write } from "../internal/io.js"

const where = (p: BatchProblem.Problem): string =>
  p.row === 0 ? (p.line === undefined ? "file" : `file (line ${p.line})`) : p.line === undefined ? `row ${p.row}` : `row ${p.row} (line ${p.line})`

const problemLine = (p: BatchProblem.Problem): string => `  ${where(p)}  ${p.field}  ${p.code}: ${p.message}`

const plural = (n: number, word: string): string => `${n.toLocaleString("en-GB")} ${word}${n === 1 ? "" : "s"}`

/** The human report: a summary, then one line per problem. */
export const formatReport = (file: string, r: BatchFile.Report): string => {
  const what = r.kind === undefined
    ? r.format === undefined ? "unrecognised file" : `${r.format.toUpperCase()} file of unknown kind`
    : `${BatchFile.specs[r.kind].title} file (${r.format?.toUpperCase()}), ${plural(r.records, "record")}`
  const rowsWithErrors = new Set(r.errors.filter((e) => e.row > 0).map((e) => e.row)).size
  const verdict = r.ok
    ? "accepted"
    : r.rejected
    ? `not accepted: the file is rejected as a whole (${plural(r.errors.length, "error")})`
    : `not accepted: ${plural(rowsWithErrors, "row")} with errors (${plural(r.errors.length, "error")}); uploaded as it is, ${
      r.validRecords === 0 ? "no row" : `only the ${plural(r.validRecords, "valid row")}`
    } would be processed`
  const lines = [`${file}: ${what}`, `${verdict}${r.warnings.length > 0 ? `; ${plural(r.warnings.length, "warning")}` : ""}`]
  for (const e of r.errors) lines.push(problemLine(e))
  for (const w of r.warnings) lines.push(`  warning: ${problemLine(w).trimStart()}`)
  return lines.join("\n") + "\n"
}

const toJson = (r: BatchFile.Report) => {
  const item = (p: BatchProblem.Problem) => ({ row: p.row, field: p.field, code: p.code, message: p.message })
  return { ok: r.ok, kind: r.kind ?? null, format: r.format ?? null, records: r.records, errors: r.errors.map(item), warnings: r.warnings.map(item) }
}

/**
 * `lrs validate FILE [--kind K] [--json]`: the Validation Tool. Exit 0 when the file would be
 * accepted (warnings allowed), 1 when it would not, 2 when it cannot be read.
 */
export const validate = Command.make("validate", {
  file: Args.text({ name: "file" }).pipe(Args.withDescription("The batch file (CSV or XML) to check")),
  kind: Options.choice("kind", BatchRow.kinds).pipe(
    Options.optional,
    Options.withDescription("The kind the file must be; taken from the file when not given")
  ),
  json: Options.boolean("json").pipe(Options.withDescription("Print the report as JSON")),
  today: Options.date("today").pipe(Options.optional, Options.withDescription("Judge dates as on this day (YYYY-MM-DD) instead of today")),
  ukprn: Options.text("ukprn").pipe(Options.optional, Options.withDescription("Your organisation's UKPRN: the file's header must carry it"))
}, ({ file, json, kind, today, ukprn }) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const cannotRead = (e: { readonly message: string }) => new ExitCode({ code: 2, message: `cannot read ${file}: ${e.message}` })
    const info = yield* fs.stat(file).pipe(Effect.mapError(cannotRead))
    if (info.type !== "File") return yield* new ExitCode({ code: 2, message: `cannot read ${file}: not a file` })
    // --today is a calendar date (parsed as UTC midnight); otherwise the service's date, the UK's
    const day = Option.isSome(today) ? today.value.toISOString().slice(0, 10) : yield* ServiceDate.today
    const report = yield* BatchFile.validateStream(fs.stream(file, { chunkSize: 64 * 1024 }), {
      kind: Option.getOrUndefined(kind),
      fileName: path.basename(file),
      ukprn: Option.getOrUndefined(ukprn),
      today: day
    }).pipe(Effect.mapError(cannotRead))
    yield* write(json ? JSON.stringify(toJson(report), null, 2) + "\n" : formatReport(file, report))
    if (!report.ok) return yield* new ExitCode({ code: 1 })
  })).pipe(Command.withDescription("Check a batch file (learner registration, verification or achievement; CSV or XML) before uploading it"))
