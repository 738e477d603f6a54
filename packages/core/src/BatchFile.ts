/**
 * Batch files (CONTRACT §4.4, DOMAIN §8): learner registration (max 200 records), verification
 * (max 200) and achievement (max 10,000) files, each as CSV or XML. This module reads a file as a
 * stream — whole, in chunks, or asynchronously — recognises its format and kind, checks its
 * structure (header lines, file version, column headings, size, file name) and validates every
 * row, giving events as it goes ({@link reader}) or a {@link Report} at the end ({@link validate}).
 *
 * Structural faults reject the file whole; row faults reject their row and the valid rows stand.
 * Nothing here throws, whatever the bytes, and memory stays flat: only the record being read and
 * the problems found are held.
 *
 * CSV: line 1 `FileVersion,FileName,Ukprn,UserEmail`; line 2 their values; line 3 the column
 * headings of the kind; then one record per line. XML: a root element per kind holding a `Header`
 * element (the same four values) and then one element per record whose children are the columns.
 * docs/batch-files.md shows both.
 *
 * @since 0.1.0
 */
import { Effect, Schema, Stream } from "effect"
import type { AchievementPolicy } from "./AchievementPolicy.js"
import * as BatchProblem from "./BatchProblem.js"
import type { Problem, ProblemCode } from "./BatchProblem.js"
import * as BatchRow from "./BatchRow.js"
import type { BatchKind, RowOf } from "./BatchRow.js"
import * as Csv from "./Csv.js"
import * as Fields from "./Fields.js"
import { type Chunk, chunksOf, isAsyncIterable, textChunks } from "./internal/text.js"
import * as Ukprn from "./Ukprn.js"
import * as Xml from "./Xml.js"

/**
 * CSV or XML.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BatchFormat = Schema.Literal("csv", "xml").annotations({ identifier: "BatchFormat" })

/**
 * @since 0.1.0
 * @category models
 */
export type BatchFormat = typeof BatchFormat.Type

/**
 * What is fixed for each kind of file.
 *
 * @since 0.1.0
 * @category models
 */
export interface KindSpec {
  readonly kind: BatchKind
  readonly title: string
  /** The FileVersion header value: `2A` for learner files, `1A` for achievement files. */
  readonly fileVersion: string
  readonly maxRecords: number
  /** The prefixes a file name may have (`LRB`, `AO`). */
  readonly fileNamePrefixes: ReadonlyArray<string>
  readonly columns: ReadonlyArray<string>
  readonly xmlRoot: string
  readonly xmlRecord: string
}

/**
 * The three kinds.
 *
 * @since 0.1.0
 * @category constants
 */
export const specs: Readonly<Record<BatchKind, KindSpec>> = {
  registration: {
    kind: "registration",
    title: "learner registration",
    fileVersion: "2A",
    maxRecords: 200,
    fileNamePrefixes: ["LRB"],
    columns: BatchRow.columns.registration,
    xmlRoot: "LearnerRegistrationBatch",
    xmlRecord: "Learner"
  },
  verification: {
    kind: "verification",
    title: "learner verification",
    fileVersion: "2A",
    maxRecords: 200,
    // learner registration bodies and awarding organisations both verify learners
    fileNamePrefixes: ["LRB", "AO"],
    columns: BatchRow.columns.verification,
    xmlRoot: "VerificationBatch",
    xmlRecord: "Learner"
  },
  achievement: {
    kind: "achievement",
    title: "achievement",
    fileVersion: "1A",
    maxRecords: 10_000,
    fileNamePrefixes: ["AO"],
    columns: BatchRow.columns.achievement,
    xmlRoot: "AchievementBatch",
    xmlRecord: "Achievement"
  }
}

/**
 * The first line of every CSV batch file, and the children of the XML `Header` element.
 *
 * @since 0.1.0
 * @category constants
 */
export const HEADER_FIELDS: ReadonlyArray<string> = ["FileVersion", "FileName", "Ukprn", "UserEmail"]

/**
 * The header values of a file, as written.
 *
 * @since 0.1.0
 * @category models
 */
export interface BatchHeader {
  readonly fileVersion: string
  readonly fileName: string
  readonly ukprn: string
  readonly userEmail: string
}

/**
 * How to read a file.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReadOptions {
  /** The kind the file must be; without it the kind is taken from the file. */
  readonly kind?: BatchKind | undefined
  /** The file's own name (without folders), when known: it must follow the naming rule. */
  readonly fileName?: string | undefined
  /** The submitting organisation's UKPRN, when known: the header's must be the same. */
  readonly ukprn?: string | undefined
  /** Today (`YYYY-MM-DD`) for the date rules; without it no date is checked against today. */
  readonly today?: string | undefined
  readonly policy?: AchievementPolicy | undefined
}

/**
 * A record read and validated.
 *
 * @since 0.1.0
 * @category models
 */
export type RowEvent = {
  readonly [K in BatchKind]: {
    readonly _tag: "Row"
    readonly kind: K
    readonly row: number
    readonly line: number
    /** The fields as written, in column order. */
    readonly values: ReadonlyArray<string>
    /** The typed row, when it has no problems. */
    readonly value: RowOf[K] | undefined
    readonly problems: ReadonlyArray<Problem>
    readonly warnings: ReadonlyArray<Problem>
  }
}[BatchKind]

/**
 * What the reader reports, in file order: `Start` once the format, kind and header are known;
 * a `Row` per record (up to the kind's limit); `Problem` for a fault or warning of the file itself
 * (a file-level fault means the file is rejected; rows may still follow so that one run shows
 * every problem); `End` with the number of records (counted past the limit too) and the format
 * (known even when the kind is not).
 *
 * @since 0.1.0
 * @category models
 */
export type BatchEvent =
  | { readonly _tag: "Start"; readonly format: BatchFormat; readonly kind: BatchKind; readonly header: BatchHeader }
  | RowEvent
  | { readonly _tag: "Problem"; readonly problem: Problem }
  | { readonly _tag: "End"; readonly records: number; readonly format: BatchFormat | undefined }

/**
 * A push reader: give it the file's chunks as they arrive, get the events complete so far.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reader {
  push(chunk: Chunk): Array<BatchEvent>
  end(): Array<BatchEvent>
}

const article = (title: string): string => (/^[aeiou]/.test(title) ? `an ${title}` : `a ${title}`)

const fileProblem = (field: string, code: ProblemCode, message: string, line?: number): BatchEvent => ({
  _tag: "Problem",
  problem: line === undefined ? { row: 0, field, code, message } : { row: 0, line, field, code, message }
})

const FILE_NAME = /^([A-Za-z]+)_([0-9]+)_([0-9]{2})([0-9]{2})([0-9]{4})([0-9]{2})([0-9]{2})\.([A-Za-z]+)$/

/**
 * Problems with a file's name: `LRB_<UKPRN>_<DDMMYYYYHHMM>.CSV` or `.XML` (upper case), `AO_…`
 * for achievement files (`LRB_` or `AO_` for verification files), with a real date and time and the
 * header's UKPRN.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkFileName = (fileName: string, kind: BatchKind | undefined, format: BatchFormat | undefined, headerUkprn: string | undefined): Array<Problem> => {
  const prefixes = kind === undefined ? ["LRB", "AO"] : specs[kind].fileNamePrefixes
  const rule = `${prefixes.map((p) => `${p}_<UKPRN>_<DDMMYYYYHHMM>`).join(" or ")}.CSV or .XML`
  const bad = (message: string): Problem => ({ row: 0, field: "(file name)", code: "FileNameInvalid", message })
  const m = FILE_NAME.exec(fileName)
  if (m === null) return [bad(`the file name must be ${rule}, e.g. ${prefixes[0]}_10012345_310120241530.CSV; got ${JSON.stringify(fileName)}`)]
  const [, prefix = "", ukprn = "", dd = "", mm = "", yyyy = "", hh = "", mi = "", ext = ""] = m
  const out: Array<Problem> = []
  if (!prefixes.includes(prefix)) {
    out.push(bad(`${kind === undefined ? "a" : article(specs[kind].title)} file name starts ${prefixes.map((p) => `${p}_`).join(" or ")}; got ${prefix}_`))
  }
  const why = Ukprn.explain(ukprn)
  if (why !== undefined) out.push(bad(`the UKPRN in the file name is wrong: ${why}`))
  else if (headerUkprn !== undefined && Ukprn.explain(headerUkprn) === undefined && headerUkprn !== ukprn) {
    out.push({ row: 0, field: "(file name)", code: "FileNameUkprnMismatch", message: `the file name has UKPRN ${ukprn} but the header has ${headerUkprn}` })
  }
  if (Fields.explainDate(`${yyyy}-${mm}-${dd}`) !== undefined || Number(hh) > 23 || Number(mi) > 59) {
    out.push(bad(`${dd}${mm}${yyyy}${hh}${mi} is not a date and time written DDMMYYYYHHMM`))
  }
  if (ext !== "CSV" && ext !== "XML") {
    out.push(bad(ext.toUpperCase() === "CSV" || ext.toUpperCase() === "XML" ? `the extension must be upper case: .${ext.toUpperCase()}` : `the extension must be .CSV or .XML; got .${ext}`))
  } else if (format !== undefined && ext.toLowerCase() !== format) {
    out.push(bad(`the file is named .${ext} but holds ${format.toUpperCase()}`))
  }
  return out
}

const sameHeadings = (got: ReadonlyArray<string>, want: ReadonlyArray<string>): boolean => {
  let n = got.length
  while (n > want.length && got[n - 1]!.trim() === "") n-- // trailing empty headings from a spreadsheet
  if (n !== want.length) return false
  for (let i = 0; i < n; i++) if (got[i]!.trim() !== want[i]) return false
  return true
}

// The kind a file most likely is, from its headings, to say what is wrong with them: the most
// headings in the right place (for about the right number of columns), else the most headings in
// common, else the file version.
const guessKind = (headings: ReadonlyArray<string>, fileVersion: string): BatchKind | undefined => {
  const got = headings.map((h) => h.trim().toLowerCase())
  let best: BatchKind | undefined
  let bestScore = 0
  for (const kind of BatchRow.kinds) {
    const want = specs[kind].columns.map((c) => c.toLowerCase())
    let placed = 0
    for (let i = 0; i < want.length; i++) if (got[i] === want[i]) placed++
    const shared = got.filter((h) => want.includes(h)).length / Math.max(want.length, got.length)
    // headings in place count most; a different number of columns counts against
    const score = placed >= 2 ? Math.max(1, 1 + placed - Math.abs(got.length - want.length) / 2) : shared >= 0.5 ? shared : 0
    if (score > bestScore) {
      best = kind
      bestScore = score
    }
  }
  return best ?? (fileVersion === "1A" ? "achievement" : undefined)
}

const headingsMessage = (kind: BatchKind, got: ReadonlyArray<string>): string => {
  const want = specs[kind].columns
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    const g = got[i]?.trim()
    const w = want[i]
    if (g === w) continue
    const where = `column ${i + 1}`
    const detail = w === undefined
      ? `${where} should not be there (${JSON.stringify(g)})`
      : g === undefined || g === ""
      ? `${where} should be ${w}`
      : g.toLowerCase() === w.toLowerCase()
      ? `${where} is ${JSON.stringify(g)}: headings are case-sensitive, write ${w}`
      : `${where} is ${JSON.stringify(g)} where ${w} is expected`
    return `the column headings of ${article(specs[kind].title)} file are ${want.join(",")}; ${detail}`
  }
  return `the column headings of ${article(specs[kind].title)} file are ${want.join(",")}`
}

const isBlank = (fields: ReadonlyArray<string>): boolean => {
  for (const f of fields) if (f.trim() !== "") return false
  return true
}

// cyrb53 over a row's trimmed fields (a separator between them): a 53-bit hash, so duplicate rows
// are found without keeping the rows
const hashRow = (values: ReadonlyArray<string>): number => {
  let h1 = 0xdeadbeef
  let h2 = 0x41c6ce57
  for (let f = 0; f < values.length; f++) {
    const s = values[f]!.trim()
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i)
      h1 = Math.imul(h1 ^ c, 2654435761)
      h2 = Math.imul(h2 ^ c, 1597334677)
    }
    h1 = Math.imul(h1 ^ 0x1f, 2654435761)
    h2 = Math.imul(h2 ^ 0x1f, 1597334677)
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909)
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909)
  return 4294967296 * (2097151 & h2) + (h1 >>> 0)
}

/**
 * The shared part of the CSV and XML readers: the header checks, the record count, duplicates and
 * row validation, once the kind is known.
 */
class Core {
  kind: BatchKind | undefined
  format: BatchFormat | undefined
  header: BatchHeader | undefined
  rows = 0
  private readonly seen = new Map<number, number>()
  private tooMany = false
  constructor(readonly options: ReadOptions) {}

  start(format: BatchFormat, kind: BatchKind, header: BatchHeader, out: Array<BatchEvent>) {
    this.format = format
    this.kind = kind
    this.header = header
    const spec = specs[kind]
    const o = this.options
    if (header.fileVersion.trim() !== spec.fileVersion) {
      out.push(fileProblem("FileVersion", header.fileVersion.trim() === "" ? "MissingHeaderValue" : "WrongFileVersion",
        `the FileVersion of ${article(spec.title)} file is ${spec.fileVersion}; got ${JSON.stringify(header.fileVersion)}`))
    }
    if (header.fileName.trim() === "") out.push(fileProblem("FileName", "MissingHeaderValue", "the FileName header value is required"))
    const ukprn = header.ukprn.trim()
    if (ukprn === "") out.push(fileProblem("Ukprn", "MissingHeaderValue", "the Ukprn header value is required: your organisation's UKPRN"))
    else if (Ukprn.explain(ukprn) !== undefined) out.push(fileProblem("Ukprn", "InvalidHeaderUkprn", Ukprn.explain(ukprn)!))
    else if (o.ukprn !== undefined && o.ukprn !== ukprn) {
      out.push(fileProblem("Ukprn", "UkprnNotYours", `the header UKPRN ${ukprn} is not your organisation's (${o.ukprn})`))
    }
    const email = header.userEmail.trim()
    if (email === "") out.push(fileProblem("UserEmail", "MissingHeaderValue", "the UserEmail header value is required: the e-mail address to tell about the outcome"))
    else if (Fields.explainEmail(email) !== undefined) out.push(fileProblem("UserEmail", "InvalidUserEmail", Fields.explainEmail(email)!))
    if (o.fileName !== undefined) {
      for (const problem of checkFileName(o.fileName, kind, format, Ukprn.explain(ukprn) === undefined ? ukprn : undefined)) out.push({ _tag: "Problem", problem })
      if (header.fileName.trim() !== "" && header.fileName.trim() !== o.fileName) {
        out.push(fileProblem("FileName", "FileNameDiffers", `the header FileName is ${JSON.stringify(header.fileName)} but the file is called ${JSON.stringify(o.fileName)}`))
      }
    }
    out.push({ _tag: "Start", format, kind, header })
  }

  record(values: ReadonlyArray<string>, line: number, extra: ReadonlyArray<Problem>, out: Array<BatchEvent>) {
    const kind = this.kind!
    const row = ++this.rows
    const max = specs[kind].maxRecords
    if (row > max) {
      // past the limit rows are only counted: the file is rejected and no row would be processed
      if (!this.tooMany) {
        this.tooMany = true
        out.push(fileProblem("(file)", "TooManyRecords", `${article(specs[kind].title)} file holds at most ${max.toLocaleString("en-GB")} records; this one has more`))
      }
      return
    }
    const ctx = { row, line, today: this.options.today, policy: this.options.policy }
    const r = BatchRow.validate(kind, values, ctx)
    // one problem per field: a fault found while reading the record wins over what follows from it
    let problems = extra.length === 0 ? r.problems : [...extra, ...r.problems.filter((p) => !extra.some((x) => x.field === p.field))]
    const key = hashRow(values)
    const first = this.seen.get(key)
    if (first === undefined) this.seen.set(key, row)
    else {
      problems = [...problems, { row, line, field: "(row)", code: "DuplicateRow", message: `the row repeats row ${first}` }]
    }
    out.push({
      _tag: "Row",
      kind,
      row,
      line,
      values,
      value: problems.length === 0 ? r.value : undefined,
      problems,
      warnings: r.warnings
    } as RowEvent)
  }

  finish(out: Array<BatchEvent>, format: BatchFormat | undefined, stopped: boolean) {
    // a file that stopped at a structural fault has no records to speak of
    if (this.kind !== undefined && this.rows === 0 && !stopped) {
      out.push(fileProblem("(file)", "NoRecords", `the file has no records: ${article(specs[this.kind].title)} file needs at least one`))
    }
    out.push({ _tag: "End", records: this.rows, format })
  }
}

const csvReader = (core: Core, out: () => Array<BatchEvent>): { push(text: string): void; end(): void; stopped(): boolean } => {
  const tokenizer = Csv.tokenizer({ maxFieldLength: 100_000, maxFields: 1_000 })
  let phase: "names" | "values" | "headings" | "rows" | "stopped" = "names"
  let header: BatchHeader | undefined
  const stop = (event: BatchEvent) => {
    out().push(event)
    phase = "stopped"
  }
  const onRecord = (r: Csv.CsvRecord) => {
    if (phase === "stopped" || isBlank(r.fields)) return
    switch (phase) {
      case "names": {
        if (sameHeadings(r.fields, HEADER_FIELDS)) phase = "values"
        else if (r.fields[0]?.trim() === "FileVersion" || r.fields[0]?.trim().toLowerCase() === "fileversion") {
          stop(fileProblem("(header)", "MissingHeader", `the first line must be ${HEADER_FIELDS.join(",")} (case-sensitive); got ${Csv.formatRecord(r.fields)}`, r.line))
        } else if (BatchRow.kinds.some((k) => sameHeadings(r.fields, specs[k].columns))) {
          stop(fileProblem("(header)", "MissingHeader", `the file starts with the column headings: the two header lines (${HEADER_FIELDS.join(",")}, then their values) must come first`, r.line))
        } else {
          stop(fileProblem("(file)", "NotCsvOrXml", `this is not an LRS batch file: a CSV batch file starts with the line ${HEADER_FIELDS.join(",")}, an XML one with <`, r.line))
        }
        return
      }
      case "values": {
        const [fileVersion = "", fileName = "", ukprn = "", userEmail = ""] = r.fields
        if (sameHeadings(r.fields, HEADER_FIELDS) || BatchRow.kinds.some((k) => sameHeadings(r.fields, specs[k].columns))) {
          return stop(fileProblem("(header)", "MissingHeader", `line ${r.line} must hold the values of ${HEADER_FIELDS.join(",")}, e.g. 2A,LRB_10012345_310120241530.CSV,10012345,name@example.ac.uk`, r.line))
        }
        header = { fileVersion, fileName, ukprn, userEmail }
        phase = "headings"
        return
      }
      case "headings": {
        const kind = core.options.kind ?? BatchRow.kinds.find((k) => sameHeadings(r.fields, specs[k].columns))
        if (kind === undefined || !sameHeadings(r.fields, specs[kind].columns)) {
          const guess = kind ?? guessKind(r.fields, header!.fileVersion.trim())
          return stop(
            guess === undefined
              ? fileProblem("(headings)", "UnknownKind", `line ${r.line} must hold the column headings of a learner registration, verification or achievement file; got ${Csv.formatRecord(r.fields).slice(0, 200)}`, r.line)
              : fileProblem("(headings)", "WrongHeadings", headingsMessage(guess, r.fields), r.line)
          )
        }
        core.start("csv", kind, header!, out())
        phase = "rows"
        return
      }
      case "rows": {
        const extra: Array<Problem> = []
        if (r.problem !== undefined) {
          // in the words the register import uses too (core's Csv.describeProblem)
          const column = specs[core.kind!].columns[r.problem.field]
          const message = Csv.describeProblem(r.problem, column)
          if (r.problem.kind === "UnterminatedQuote") return stop(fileProblem("(file)", "UnterminatedQuote", message, r.line))
          extra.push({ row: core.rows + 1, line: r.line, field: column ?? "(row)", code: "MalformedQuotes", message })
        }
        core.record(r.fields, r.line, extra, out())
      }
    }
  }
  return {
    push(text) {
      if (phase === "stopped") return
      for (const r of tokenizer.push(text)) onRecord(r)
    },
    end() {
      for (const r of tokenizer.end()) onRecord(r)
      if (phase === "names") stop(fileProblem("(file)", "NotCsvOrXml", "the file is empty"))
      else if (phase === "values") stop(fileProblem("(header)", "MissingHeader", `the file ends after its first line: the values of ${HEADER_FIELDS.join(",")} and the column headings must follow`))
      else if (phase === "headings") stop(fileProblem("(headings)", "MissingHeadings", "the file ends before the column headings"))
    },
    stopped: () => phase === "stopped"
  }
}

const xmlReader = (core: Core, out: () => Array<BatchEvent>): { push(text: string): void; end(): void; stopped(): boolean } => {
  // no tag, comment or CDATA section of a batch file comes near 100,000 characters (Notes are 4,000)
  const xml = Xml.reader({ maxMarkupLength: 100_000 })
  let stopped = false
  let depth = 0
  let spec: KindSpec | undefined
  const headerValues: Record<string, string> = {}
  let inHeader = false
  let headerDone = false
  let field: string | undefined // the header or record child being read
  let fieldText = ""
  let record: { values: Array<string | undefined>; line: number; problems: Array<Problem> } | undefined
  let ignoreDepth = 0 // > 0 while inside an element being skipped
  const stop = (event: BatchEvent) => {
    out().push(event)
    stopped = true
  }
  const rowProblem = (line: number, f: string, code: ProblemCode, message: string): Problem => ({ row: core.rows + 1, line, field: f, code, message })
  const finishHeader = () => {
    headerDone = true
    core.start("xml", spec!.kind, {
      fileVersion: headerValues.FileVersion ?? "",
      fileName: headerValues.FileName ?? "",
      ukprn: headerValues.Ukprn ?? "",
      userEmail: headerValues.UserEmail ?? ""
    }, out())
  }
  // text arrives in pieces that depend on how the file was cut: act on it whole, before the next markup
  let text = ""
  let textLine = 0
  const onEvent = (e: Xml.XmlEvent) => {
    if (stopped) return
    if (e._tag === "Text") {
      if (text === "") textLine = e.line
      text += e.text
      return
    }
    if (text !== "") {
      const t = text
      text = ""
      onMarkup({ _tag: "Text", text: t, line: textLine })
      if (stopped) return
    }
    onMarkup(e)
  }
  const onMarkup = (e: Xml.XmlEvent) => {
    switch (e._tag) {
      case "Error":
        return stop(fileProblem("(file)", depth === 0 && spec === undefined ? "NotCsvOrXml" : "MalformedXml", `the XML is not well-formed at line ${e.line}: ${e.message}`, e.line))
      case "Open": {
        depth++
        if (ignoreDepth > 0) {
          ignoreDepth++
          return
        }
        if (depth === 1) {
          const kind = BatchRow.kinds.find((k) => specs[k].xmlRoot === e.name)
          const want = core.options.kind
          if (kind === undefined || (want !== undefined && want !== kind)) {
            const expected = want === undefined ? BatchRow.kinds.map((k) => `<${specs[k].xmlRoot}>`).join(", ") : `<${specs[want].xmlRoot}>`
            return stop(fileProblem("(file)", want === undefined ? "UnknownKind" : "WrongHeadings", `the root element is <${e.name}>; expected ${expected}`, e.line))
          }
          spec = specs[kind]
          return
        }
        if (depth === 2) {
          if (e.name === "Header" && !headerDone && !inHeader) {
            inHeader = true
            return
          }
          if (e.name === spec!.xmlRecord) {
            if (!headerDone) return stop(fileProblem("(header)", "MissingHeader", `<Header> with ${HEADER_FIELDS.join(", ")} must come before the first <${spec!.xmlRecord}>`, e.line))
            record = { values: [], line: e.line, problems: [] }
            return
          }
          return stop(fileProblem("(file)", "UnexpectedElement", `<${e.name}> has no place in <${spec!.xmlRoot}>: it holds one <Header> and then <${spec!.xmlRecord}> elements`, e.line))
        }
        if (depth === 3 && inHeader) {
          if (!HEADER_FIELDS.includes(e.name) || Object.hasOwn(headerValues, e.name)) {
            return stop(fileProblem("(header)", "UnexpectedElement", `<Header> holds ${HEADER_FIELDS.map((h) => `<${h}>`).join(", ")}, each once; got <${e.name}>`, e.line))
          }
          field = e.name
          fieldText = ""
          return
        }
        if (depth === 3 && record !== undefined) {
          const index = spec!.columns.indexOf(e.name)
          if (index === -1) {
            record.problems.push(rowProblem(e.line, e.name, "UnknownElement", `<${e.name}> is not a column of ${article(spec!.title)} file`))
            ignoreDepth = 1
          } else if (record.values[index] !== undefined) {
            record.problems.push(rowProblem(e.line, e.name, "RepeatedElement", `<${e.name}> is given twice`))
            ignoreDepth = 1
          } else {
            field = e.name
            fieldText = ""
          }
          return
        }
        // an element inside a field: the row (or the header) is wrong; skip the element
        if (record === undefined) return stop(fileProblem("(header)", "UnexpectedElement", `<${field}> holds text, not elements such as <${e.name}>`, e.line))
        record.problems.push(rowProblem(e.line, field ?? "(row)", "UnknownElement", `<${field}> holds text, not elements such as <${e.name}>`))
        ignoreDepth = 1
        return
      }
      case "Close": {
        depth--
        if (ignoreDepth > 0) {
          ignoreDepth--
          return
        }
        if (field !== undefined && depth === 2) {
          if (inHeader) headerValues[field] = fieldText.trim()
          else if (record !== undefined) record.values[spec!.columns.indexOf(field)] = fieldText
          field = undefined
          return
        }
        if (depth === 1 && inHeader) {
          inHeader = false
          return finishHeader()
        }
        if (depth === 1 && record !== undefined) {
          const values = spec!.columns.map((_, i) => record!.values[i] ?? "")
          core.record(values, record.line, record.problems, out())
          record = undefined
        }
        return
      }
      case "Text": {
        if (field !== undefined && ignoreDepth === 0) fieldText += e.text
        else if (ignoreDepth === 0 && /\S/.test(e.text)) {
          if (record !== undefined) record.problems.push(rowProblem(e.line, "(row)", "UnknownElement", `text outside any field element: ${JSON.stringify(e.text.trim().slice(0, 40))}`))
          else return stop(fileProblem("(file)", "UnexpectedElement", `text outside any element: ${JSON.stringify(e.text.trim().slice(0, 40))}`, e.line))
        }
      }
    }
  }
  return {
    push(text) {
      if (stopped) return
      for (const e of xml.push(text)) onEvent(e)
    },
    end() {
      if (stopped) return
      for (const e of xml.end()) onEvent(e)
      if (!stopped && text !== "") onMarkup({ _tag: "Text", text, line: textLine })
      if (!stopped && !headerDone) stop(fileProblem("(header)", "MissingHeader", `the file has no <Header> with ${HEADER_FIELDS.join(", ")}`))
    },
    stopped: () => stopped
  }
}

/**
 * A new reader.
 *
 * @since 0.1.0
 * @category constructors
 */
export const reader = (options: ReadOptions = {}): Reader => {
  const core = new Core(options)
  const text = textChunks()
  let events: Array<BatchEvent> = []
  const out = () => events
  let inner: ReturnType<typeof csvReader> | undefined
  let format: BatchFormat | undefined
  let pending = ""
  const feed = (s: string) => {
    if (inner === undefined) {
      // the format is the first character that is not white space: < for XML, anything else CSV
      pending += s
      const first = /\S/.exec(pending)
      if (first === null) {
        if (pending.length > 65_536) pending = "" // only white space so far: keep none of it
        return
      }
      format = first[0] === "<" ? "xml" : "csv"
      inner = format === "xml" ? xmlReader(core, out) : csvReader(core, out)
      s = pending
      pending = ""
    }
    inner.push(s)
  }
  return {
    push(chunk) {
      events = []
      feed(text.push(chunk))
      return events
    },
    end() {
      events = []
      feed(text.end())
      if (inner === undefined) events.push(fileProblem("(file)", "NotCsvOrXml", "the file is empty"))
      else inner.end()
      // when the kind was never known the header checks never ran: still check the name
      if (core.kind === undefined && options.fileName !== undefined) {
        for (const problem of checkFileName(options.fileName, options.kind, format, undefined)) events.push({ _tag: "Problem", problem })
      }
      core.finish(events, format, inner === undefined || inner.stopped())
      return events
    }
  }
}

/**
 * The events of a file given whole or as chunks.
 *
 * @since 0.1.0
 * @category reading
 */
export function* events(source: Chunk | Iterable<Chunk>, options?: ReadOptions): Generator<BatchEvent, void, undefined> {
  const r = reader(options)
  for (const chunk of chunksOf(source)) yield* r.push(chunk)
  yield* r.end()
}

/**
 * The events of a file arriving asynchronously.
 *
 * @since 0.1.0
 * @category reading
 */
export async function* eventsAsync(source: AsyncIterable<Chunk> | Iterable<Chunk>, options?: ReadOptions): AsyncGenerator<BatchEvent, void, undefined> {
  const r = reader(options)
  for await (const chunk of source) yield* r.push(chunk)
  yield* r.end()
}

/**
 * The events of a file as a Stream.
 *
 * @since 0.1.0
 * @category reading
 */
export const eventsStream = <E, R>(source: Stream.Stream<Chunk, E, R>, options?: ReadOptions): Stream.Stream<BatchEvent, E, R> =>
  Stream.suspend(() => {
    const r = reader(options)
    return source.pipe(
      Stream.mapConcat((chunk) => r.push(chunk)),
      Stream.concat(Stream.suspend(() => Stream.fromIterable(r.end())))
    )
  })

/**
 * The verdict on a whole file. `ok` when nothing is wrong with it (warnings allowed). `rejected`
 * when a fault of the file itself means none of it would be processed; otherwise the rows with
 * problems are rejected and the other rows stand. `validRecords` counts the rows without problems
 * (up to the kind's limit).
 *
 * @since 0.1.0
 * @category models
 */
export interface Report {
  readonly ok: boolean
  readonly rejected: boolean
  readonly kind: BatchKind | undefined
  readonly format: BatchFormat | undefined
  readonly header: BatchHeader | undefined
  readonly records: number
  readonly validRecords: number
  readonly errors: ReadonlyArray<Problem>
  readonly warnings: ReadonlyArray<Problem>
}

/**
 * Folds events into a report.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReportBuilder {
  add(event: BatchEvent): void
  report(): Report
}

/**
 * A new report builder.
 *
 * @since 0.1.0
 * @category constructors
 */
export const reportBuilder = (): ReportBuilder => {
  let start: Extract<BatchEvent, { _tag: "Start" }> | undefined
  let records = 0
  let format: BatchFormat | undefined
  let valid = 0
  let rejected = false
  const errors: Array<Problem> = []
  const warnings: Array<Problem> = []
  return {
    add(e) {
      switch (e._tag) {
        case "Start":
          start = e
          return
        case "Problem":
          if (BatchProblem.levelOf(e.problem.code) === "warning") warnings.push(e.problem)
          else {
            rejected = true
            errors.push(e.problem)
          }
          return
        case "End":
          records = e.records
          format = e.format
          return
        case "Row":
          if (e.problems.length === 0) valid++
          for (const p of e.problems) errors.push(p)
          for (const w of e.warnings) warnings.push(w)
      }
    },
    report() {
      return {
        ok: errors.length === 0,
        rejected,
        kind: start?.kind,
        format: start?.format ?? format,
        header: start?.header,
        records,
        validRecords: valid,
        errors,
        warnings
      }
    }
  }
}

/**
 * Validates a file given whole (bytes or text) or as chunks.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (source: Chunk | Iterable<Chunk>, options?: ReadOptions): Report => {
  const b = reportBuilder()
  for (const e of events(source, options)) b.add(e)
  return b.report()
}

/**
 * Validates a file arriving asynchronously (a Node stream, a web `ReadableStream`, …).
 *
 * @since 0.1.0
 * @category validation
 */
export const validateAsync = async (source: AsyncIterable<Chunk> | Iterable<Chunk>, options?: ReadOptions): Promise<Report> => {
  const b = reportBuilder()
  const r = reader(options)
  if (isAsyncIterable(source)) for await (const chunk of source) for (const e of r.push(chunk)) b.add(e)
  else for (const chunk of source) for (const e of r.push(chunk)) b.add(e)
  for (const e of r.end()) b.add(e)
  return b.report()
}

/**
 * Validates a file given as a Stream of chunks.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateStream = <E, R>(source: Stream.Stream<Chunk, E, R>, options?: ReadOptions): Effect.Effect<Report, E, R> =>
  Effect.suspend(() => {
    const b = reportBuilder()
    return eventsStream(source, options).pipe(
      Stream.runForEach((e) => Effect.sync(() => b.add(e))),
      Effect.map(() => b.report())
    )
  })
