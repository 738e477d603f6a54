/**
 * A streaming CSV tokenizer and writer (RFC 4180 as spreadsheets write it): quoted fields with
 * embedded commas, quotes (`""`) and line breaks, CRLF, LF or CR line ends, a UTF-8 byte-order
 * mark, and a last line with or without a line end. It never throws, whatever it is given:
 * malformed quoting is reported on the record it spoils, and the tokenizer carries on.
 *
 * Push chunks as they arrive ({@link tokenizer}) or iterate a source ({@link records},
 * {@link recordsAsync}); only the record being read is held in memory.
 *
 * @since 0.1.0
 */
import { type Chunk, chunksOf, textChunks } from "./internal/text.js"

/**
 * What is wrong with the quoting of a record.
 *
 * - `QuoteInUnquotedField`: a `"` inside a field that does not start with one (kept as text).
 * - `TextAfterClosingQuote`: characters between a closing quote and the next comma (kept as text).
 * - `UnterminatedQuote`: a quoted field still open at the end of the input; it holds the rest of it.
 * - `FieldTooLong`: a field longer than `maxFieldLength` (cut there).
 * - `TooManyFields`: more than `maxFields` fields (the rest dropped).
 *
 * @since 0.1.0
 * @category models
 */
export type RecordProblemKind = "QuoteInUnquotedField" | "TextAfterClosingQuote" | "UnterminatedQuote" | "FieldTooLong" | "TooManyFields"

/**
 * A quoting problem, the (0-based) field it is in and the line it is on: for an
 * `UnterminatedQuote` the line where the quote opened, which is later than the record's when an
 * earlier quoted value of the record holds a line break.
 *
 * @since 0.1.0
 * @category models
 */
export interface RecordProblem {
  readonly kind: RecordProblemKind
  readonly field: number
  /** @since 0.1.2 */
  readonly line: number
}

/**
 * One record: its fields, the line it starts on (1-based; a quoted line break moves later records
 * down) and the first quoting problem in it, if any.
 *
 * @since 0.1.0
 * @category models
 */
export interface CsvRecord {
  readonly fields: ReadonlyArray<string>
  readonly line: number
  readonly problem?: RecordProblem
}

/**
 * Limits that keep memory bounded on hostile input.
 *
 * @since 0.1.0
 * @category models
 */
export interface TokenizerOptions {
  /** Longest field kept, in characters (default 1,000,000). */
  readonly maxFieldLength?: number
  /** Most fields kept per record (default 10,000). */
  readonly maxFields?: number
}

/**
 * A push tokenizer: give it text as it arrives, get the records completed so far; `end` gives the
 * last one.
 *
 * @since 0.1.0
 * @category models
 */
export interface Tokenizer {
  push(text: string): Array<CsvRecord>
  end(): Array<CsvRecord>
}

const COMMA = 44
const QUOTE = 34
const LF = 10
const CR = 13

// states
const FIELD_START = 0
const UNQUOTED = 1
const QUOTED = 2
const QUOTE_IN_QUOTED = 3 // saw `"` inside a quoted field: an escaped quote or the closing one

/**
 * A new tokenizer.
 *
 * @since 0.1.0
 * @category constructors
 */
export const tokenizer = (options: TokenizerOptions = {}): Tokenizer => {
  const maxFieldLength = options.maxFieldLength ?? 1_000_000
  const maxFields = options.maxFields ?? 10_000
  let fields: Array<string> = []
  let field = ""
  let state = FIELD_START
  let pendingCr = false
  let line = 1
  let recordLine = 1
  let quoteLine = 1 // where the quoted field being read opened
  let problem: RecordProblem | undefined
  let out: Array<CsvRecord> = []

  const flag = (kind: RecordProblemKind, at = line) => {
    problem ??= { kind, field: fields.length, line: at }
  }
  const append = (text: string) => {
    if (text.length === 0) return
    if (field.length + text.length > maxFieldLength) {
      flag("FieldTooLong")
      field = (field + text.slice(0, Math.max(0, maxFieldLength - field.length)))
    } else {
      field += text
    }
  }
  const endField = () => {
    if (fields.length < maxFields) fields.push(field)
    else flag("TooManyFields")
    field = ""
  }
  const endRecord = () => {
    endField()
    out.push(problem === undefined ? { fields, line: recordLine } : { fields, line: recordLine, problem })
    fields = []
    problem = undefined
    state = FIELD_START
  }
  // line breaks inside a quoted field: LF, CRLF or a lone CR each count once; a CR that ends a
  // chunk counts when the next character is known
  let quotedCr = false
  const countLines = (s: string, from: number, to: number) => {
    for (let k = from; k < to; k++) {
      const c = s.charCodeAt(k)
      if (quotedCr) {
        quotedCr = false
        if (c !== LF) line++
      }
      if (c === LF) line++
      else if (c === CR) {
        if (k + 1 < s.length) {
          if (s.charCodeAt(k + 1) !== LF) line++
        } else {
          quotedCr = true
        }
      }
    }
  }

  const push = (s: string): Array<CsvRecord> => {
    out = []
    const n = s.length
    let i = 0
    if (pendingCr) {
      pendingCr = false
      if (n > 0 && s.charCodeAt(0) === LF) i = 1
    }
    let start = i
    while (i < n) {
      if (state === QUOTED) {
        const q = s.indexOf("\"", i)
        const stop = q === -1 ? n : q
        countLines(s, i, stop)
        if (q === -1) {
          append(s.slice(start, n))
          start = n
          i = n
          break
        }
        if (quotedCr) {
          // a CR that ended the previous chunk, followed by the closing quote
          quotedCr = false
          line++
        }
        append(s.slice(start, q))
        state = QUOTE_IN_QUOTED
        i = q + 1
        start = i
        continue
      }
      const c = s.charCodeAt(i)
      if (state === QUOTE_IN_QUOTED) {
        if (c === QUOTE) {
          // `""` is one quote; the field goes on
          append("\"")
          state = QUOTED
          start = i + 1
          i++
          continue
        }
        if (c !== COMMA && c !== LF && c !== CR) {
          flag("TextAfterClosingQuote")
          state = UNQUOTED
          start = i
          i++
          continue
        }
        start = i // fall through to the delimiter handling below with nothing pending
      }
      if (c === COMMA) {
        append(s.slice(start, i))
        endField()
        state = FIELD_START
        start = i + 1
      } else if (c === LF || c === CR) {
        append(s.slice(start, i))
        endRecord()
        line++
        recordLine = line
        if (c === CR) {
          if (i + 1 < n) {
            if (s.charCodeAt(i + 1) === LF) i++
          } else {
            pendingCr = true
          }
        }
        start = i + 1
      } else if (c === QUOTE) {
        if (state === FIELD_START) {
          state = QUOTED
          quoteLine = line
          start = i + 1
        } else {
          flag("QuoteInUnquotedField")
        }
      } else if (state === FIELD_START) {
        state = UNQUOTED
      }
      i++
    }
    if (start < n && state !== QUOTE_IN_QUOTED) append(s.slice(start, n))
    return out
  }

  return {
    push,
    end() {
      out = []
      if (state === QUOTED) {
        flag("UnterminatedQuote", quoteLine)
        endRecord()
      } else if (state !== FIELD_START || fields.length > 0 || field.length > 0) {
        endRecord()
      }
      return out
    }
  }
}

/**
 * Every record of a whole text.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string, options?: TokenizerOptions): Array<CsvRecord> => {
  const t = tokenizer(options)
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text
  return [...t.push(body), ...t.end()]
}

/**
 * The records of a file given whole or in chunks of bytes (UTF-8) or text, one at a time.
 *
 * @since 0.1.0
 * @category parsing
 */
export function* records(source: Chunk | Iterable<Chunk>, options?: TokenizerOptions): Generator<CsvRecord, void, undefined> {
  const text = textChunks()
  const t = tokenizer(options)
  for (const chunk of chunksOf(source)) yield* t.push(text.push(chunk))
  yield* t.push(text.end())
  yield* t.end()
}

/**
 * The records of a file arriving asynchronously (a Node stream, a `ReadableStream`, …).
 *
 * @since 0.1.0
 * @category parsing
 */
export async function* recordsAsync(
  source: AsyncIterable<Chunk> | Iterable<Chunk>,
  options?: TokenizerOptions
): AsyncGenerator<CsvRecord, void, undefined> {
  const text = textChunks()
  const t = tokenizer(options)
  for await (const chunk of source) yield* t.push(text.push(chunk))
  yield* t.push(text.end())
  yield* t.end()
}

/**
 * The rule of CSV quoting, in the words a person fixing a file needs.
 *
 * @since 0.1.2
 * @category problems
 */
export const QUOTING_RULE = "a value that holds a comma or a quote goes in double quotes, with each quote inside doubled, as in \"12\"\" ruler, boxed\""

/**
 * A record's problem in plain words — what is wrong, and for quoting how to put it right — for
 * every reader of a file that must refuse it (batch files, the qualification register), so that
 * they say the same. `column` names the field (a heading); without it the field is named by its
 * position. The line of an `UnterminatedQuote` is given, since it swallows the rest of the file.
 *
 * @since 0.1.2
 * @category problems
 */
export const describeProblem = (problem: RecordProblem, column?: string): string => {
  const value = column ?? `field ${problem.field + 1}`
  switch (problem.kind) {
    case "QuoteInUnquotedField":
      return `${value} has a quote inside a value that does not start with one: ${QUOTING_RULE}`
    case "TextAfterClosingQuote":
      return `${value} has text after the quote that closes its value: ${QUOTING_RULE}`
    case "UnterminatedQuote":
      return `the quoted value in ${value} that starts on line ${problem.line} is never closed, so the rest of the file cannot be read: end it with a quote; ${QUOTING_RULE}`
    case "FieldTooLong":
      return `${value} is far longer than any column allows`
    case "TooManyFields":
      // the tokenizer stops keeping fields at its limit, which is the field the problem is in
      return `the line has more than ${problem.field} fields`
  }
}

const NEEDS_QUOTES = /[",\r\n]|^\s|\s$/

/**
 * One field as CSV: quoted, with quotes doubled, when it holds a comma, a quote, a line break, or
 * leading or trailing spaces (which spreadsheets would otherwise lose).
 *
 * @since 0.1.0
 * @category writing
 */
export const formatField = (value: string): string =>
  NEEDS_QUOTES.test(value) ? `"${value.replaceAll("\"", "\"\"")}"` : value

/**
 * One record as a CSV line, without its line end.
 *
 * @since 0.1.0
 * @category writing
 */
export const formatRecord = (fields: ReadonlyArray<string>): string => fields.map(formatField).join(",")

/**
 * Records as CSV text, each line ended by CRLF (RFC 4180).
 *
 * @since 0.1.0
 * @category writing
 */
export const format = (rows: Iterable<ReadonlyArray<string>>): string => {
  let s = ""
  for (const r of rows) s += formatRecord(r) + "\r\n"
  return s
}
