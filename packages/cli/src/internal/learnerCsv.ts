import { Csv } from "@learner-records/core"
import { Effect, Either, ParseResult, Schema } from "effect"
import { ExitCode, readFile } from "./io.js"

/** One data row of a CSV table: its line number and its values by column name. */
export interface Row {
  readonly line: number
  readonly values: Readonly<Record<string, string>>
  readonly problem: string | undefined
}

/** A CSV file's header and data rows (blank lines skipped). */
export interface Table {
  readonly path: string
  readonly columns: ReadonlyArray<string>
  readonly rows: ReadonlyArray<Row>
}

/**
 * Reads a CSV file with a header line; fails with exit code 1 when a required column is missing. A row
 * may leave out trailing empty columns; a row with more fields than the header is a bad row.
 */
export const readTable = (path: string, required: ReadonlyArray<string>): Effect.Effect<Table, ExitCode> =>
  Effect.gen(function*() {
    const bytes = yield* readFile(path)
    const records = Csv.parse(new TextDecoder("utf-8").decode(bytes))
    const data = records.filter((r) => !(r.fields.length === 1 && r.fields[0]!.trim() === ""))
    const header = data[0]
    if (header === undefined) return yield* new ExitCode({ code: 1, message: `${path}: empty file; expected a header line (${required.join(",")})` })
    const columns = header.fields.map((f) => f.trim())
    const missing = required.filter((c) => !columns.includes(c))
    if (missing.length > 0) {
      return yield* new ExitCode({ code: 1, message: `${path}: missing column(s) ${missing.join(", ")}; the header must include ${required.join(",")}` })
    }
    const rows = data.slice(1).map((r): Row => {
      const values: Record<string, string> = {}
      columns.forEach((c, i) => {
        values[c] = r.fields[i] ?? ""
      })
      // quoting problems in core's words, as batch files and the register import give them
      const problem = r.problem !== undefined
        ? Csv.describeProblem(r.problem, columns[r.problem.field])
        : r.fields.length > columns.length
        ? `${r.fields.length} fields but the header has ${columns.length} columns`
        : undefined
      return { line: r.line, values, problem }
    })
    return { path, columns, rows }
  })

/** The row's value in a column, trimmed, or `undefined` when empty or absent. */
export const value = (row: Row, column: string): string | undefined => {
  const v = row.values[column]?.trim()
  return v === undefined || v === "" ? undefined : v
}

/** A gender column as the number the schemas expect (anything else is left for the schema to reject). */
export const genderValue = (row: Row, column = "gender"): unknown => {
  const v = value(row, column)
  return v !== undefined && /^[0-9]+$/.test(v) ? Number(v) : v
}

/** Builds an object from the listed columns, leaving empty ones out (so optional fields stay absent). */
export const pick = (row: Row, columns: ReadonlyArray<string>): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (const c of columns) {
    const v = c === "gender" ? genderValue(row) : value(row, c)
    if (v !== undefined) out[c] = v
  }
  return out
}

/** Decodes a row with a schema; the error names each field and rule in one line. */
export const decodeRow = <A, I>(schema: Schema.Schema<A, I>, row: Row, input: unknown): Either.Either<A, string> => {
  if (row.problem !== undefined) return Either.left(row.problem)
  return Schema.decodeUnknownEither(schema, { errors: "all", onExcessProperty: "ignore" })(input).pipe(
    Either.mapLeft((e) =>
      ParseResult.ArrayFormatter.formatErrorSync(e)
        .map((issue) => `${issue.path.length > 0 ? issue.path.join(".") : "row"}: ${issue.message}`)
        .join("; ")
    )
  )
}
