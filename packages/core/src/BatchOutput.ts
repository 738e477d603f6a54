/**
 * Output files of a batch job: every input row as it was sent, with its return code and a
 * message, in the format of the input (CSV or XML); and the errors-only file, which holds just the
 * rows that failed. {@link read} reads either back.
 *
 * CSV: the same two header lines as the input, the kind's column headings followed by
 * `ReturnCode,Message`, then the rows. XML: `<…Output>` (e.g. `<AchievementBatchOutput>`) with the
 * same `<Header>`, then the record elements with `<ReturnCode>` and `<Message>` after the columns.
 *
 * @since 0.1.0
 */
import { type BatchFormat, type BatchHeader, HEADER_FIELDS, specs } from "./BatchFile.js"
import type { Problem } from "./BatchProblem.js"
import { type BatchKind, kinds } from "./BatchRow.js"
import * as Csv from "./Csv.js"
import * as Xml from "./Xml.js"

/**
 * The columns an output file adds after the kind's own.
 *
 * @since 0.1.0
 * @category constants
 */
export const OUTPUT_COLUMNS: ReadonlyArray<string> = ["ReturnCode", "Message"]

/**
 * One output row: the input fields in column order, the return code, and a message (the
 * problems of a rejected row, the ULN allocated, …).
 *
 * @since 0.1.0
 * @category models
 */
export interface OutputRow {
  readonly values: ReadonlyArray<string>
  readonly returnCode: string
  readonly message: string
}

/**
 * `true` when a return code means the row failed and belongs in the errors-only file: the batch
 * exceptions RC006–RC013, this project's achievement errors ACH010 and up, a learner that does not
 * verify (WSVRC005, WSVRC006) and any WSEC error.
 *
 * @since 0.1.0
 * @category return codes
 */
export const isFailure = (returnCode: string): boolean => {
  const rc = /^RC0*([0-9]+)$/.exec(returnCode)
  if (rc !== null) return Number(rc[1]) >= 6
  const ach = /^ACH([0-9]{3})$/.exec(returnCode)
  if (ach !== null) return Number(ach[1]) >= 10
  return returnCode === "WSVRC005" || returnCode === "WSVRC006" || returnCode.startsWith("WSEC")
}

/**
 * The message of a rejected row: its problems, each as `Field: message`.
 *
 * @since 0.1.0
 * @category return codes
 */
export const problemsMessage = (problems: ReadonlyArray<Problem>): string =>
  problems.map((p) => (p.field.startsWith("(") ? p.message : `${p.field}: ${p.message}`)).join("; ")

/**
 * Options for the writers.
 *
 * @since 0.1.0
 * @category models
 */
export interface WriteOptions {
  /** Only the rows whose return code is a failure ({@link isFailure}). */
  readonly errorsOnly?: boolean
}

const headerValues = (h: BatchHeader): ReadonlyArray<string> => [h.fileVersion, h.fileName, h.ukprn, h.userEmail]

const padded = (kind: BatchKind, values: ReadonlyArray<string>): ReadonlyArray<string> => {
  const n = specs[kind].columns.length
  return values.length === n ? values : Array.from({ length: n }, (_, i) => values[i] ?? "")
}

/**
 * The output as CSV, a piece at a time (header, then one line per row), for streaming to a client.
 *
 * @since 0.1.0
 * @category writing
 */
export function* csvChunks(kind: BatchKind, header: BatchHeader, rows: Iterable<OutputRow>, options: WriteOptions = {}): Generator<string, void, undefined> {
  yield Csv.format([HEADER_FIELDS, headerValues(header), [...specs[kind].columns, ...OUTPUT_COLUMNS]])
  for (const r of rows) {
    if (options.errorsOnly === true && !isFailure(r.returnCode)) continue
    yield Csv.formatRecord([...padded(kind, r.values), r.returnCode, r.message]) + "\r\n"
  }
}

/**
 * The output as XML, a piece at a time.
 *
 * @since 0.1.0
 * @category writing
 */
export function* xmlChunks(kind: BatchKind, header: BatchHeader, rows: Iterable<OutputRow>, options: WriteOptions = {}): Generator<string, void, undefined> {
  const spec = specs[kind]
  const h = headerValues(header)
  yield `<?xml version="1.0" encoding="UTF-8"?>\n<${spec.xmlRoot}Output>\n  <Header>${HEADER_FIELDS.map((f, i) => Xml.element(f, h[i]!)).join("")}</Header>\n`
  for (const r of rows) {
    if (options.errorsOnly === true && !isFailure(r.returnCode)) continue
    const values = padded(kind, r.values)
    let s = `  <${spec.xmlRecord}>`
    for (let i = 0; i < spec.columns.length; i++) if (values[i] !== "") s += Xml.element(spec.columns[i]!, values[i]!)
    s += Xml.element("ReturnCode", r.returnCode) + Xml.element("Message", r.message)
    yield `${s}</${spec.xmlRecord}>\n`
  }
  yield `</${spec.xmlRoot}Output>\n`
}

/**
 * The output file as one text.
 *
 * @since 0.1.0
 * @category writing
 */
export const write = (format: BatchFormat, kind: BatchKind, header: BatchHeader, rows: Iterable<OutputRow>, options?: WriteOptions): string =>
  [...(format === "csv" ? csvChunks(kind, header, rows, options) : xmlChunks(kind, header, rows, options))].join("")

/**
 * An output file read back.
 *
 * @since 0.1.0
 * @category models
 */
export interface Output {
  readonly format: BatchFormat
  readonly kind: BatchKind
  readonly header: BatchHeader
  readonly rows: ReadonlyArray<OutputRow>
}

const sameList = (a: ReadonlyArray<string>, b: ReadonlyArray<string>) => a.length === b.length && a.every((x, i) => x === b[i])

const readCsv = (text: string): Output | string => {
  const records = Csv.parse(text)
  const [names, values, headings, ...rest] = records
  if (names === undefined || !sameList(names.fields, HEADER_FIELDS)) return `the first line must be ${HEADER_FIELDS.join(",")}`
  if (values === undefined || headings === undefined) return "the header values or the column headings are missing"
  const kind = kinds.find((k) => sameList(headings.fields, [...specs[k].columns, ...OUTPUT_COLUMNS]))
  if (kind === undefined) return "the column headings are not those of an output file"
  const [fileVersion = "", fileName = "", ukprn = "", userEmail = ""] = values.fields
  const n = specs[kind].columns.length
  return {
    format: "csv",
    kind,
    header: { fileVersion, fileName, ukprn, userEmail },
    rows: rest.map((r) => ({ values: r.fields.slice(0, n), returnCode: r.fields[n] ?? "", message: r.fields[n + 1] ?? "" }))
  }
}

const readXml = (text: string): Output | string => {
  let kind: BatchKind | undefined
  const header: Record<string, string> = {}
  const rows: Array<OutputRow> = []
  let depth = 0
  let record: Record<string, string> | undefined
  let inHeader = false
  let field: string | undefined
  let buffer = ""
  for (const e of Xml.parse(text)) {
    switch (e._tag) {
      case "Error":
        return e.message
      case "Open":
        depth++
        if (depth === 1) {
          kind = kinds.find((k) => `${specs[k].xmlRoot}Output` === e.name)
          if (kind === undefined) return `<${e.name}> is not the root of an output file`
        } else if (depth === 2) {
          if (e.name === "Header") inHeader = true
          else record = {}
        } else if (depth === 3) {
          field = e.name
          buffer = ""
        }
        break
      case "Text":
        if (field !== undefined) buffer += e.text
        break
      case "Close":
        depth--
        if (depth === 2 && field !== undefined) {
          if (inHeader) header[field] = buffer
          else if (record !== undefined) record[field] = buffer
          field = undefined
        } else if (depth === 1) {
          if (record !== undefined && kind !== undefined) {
            const r = record
            rows.push({ values: specs[kind].columns.map((c) => r[c] ?? ""), returnCode: r.ReturnCode ?? "", message: r.Message ?? "" })
          }
          record = undefined
          inHeader = false
        }
    }
  }
  if (kind === undefined) return "no root element"
  return {
    format: "xml",
    kind,
    header: { fileVersion: header.FileVersion ?? "", fileName: header.FileName ?? "", ukprn: header.Ukprn ?? "", userEmail: header.UserEmail ?? "" },
    rows
  }
}

/**
 * Reads an output file (CSV or XML) back; a string says why it is not one.
 *
 * @since 0.1.0
 * @category reading
 */
export const read = (text: string): Output | string => {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  return body.trimStart().startsWith("<") ? readXml(body) : readCsv(body)
}
