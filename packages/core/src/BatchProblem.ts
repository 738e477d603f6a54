/**
 * What can be wrong with a batch file, each with a stable code: faults of the file itself, which
 * reject it whole; faults of one row, which reject that row while the valid rows stand; and
 * warnings, which reject nothing. docs/batch-files.md lists every code.
 *
 * @since 0.1.0
 */

/**
 * `file`: the whole file is rejected. `row`: that row is rejected. `warning`: nothing is rejected.
 *
 * @since 0.1.0
 * @category models
 */
export type Level = "file" | "row" | "warning"

/**
 * One entry of the catalogue: its level, a title, and the LRS code the server answers a file fault
 * with (row faults get their row's return code from `BatchRow.returnCode`).
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly level: Level
  readonly title: string
  readonly lrsCode?: string
}

const file = (title: string, lrsCode = "WSEC0001"): Entry => ({ level: "file", title, lrsCode })
const row = (title: string): Entry => ({ level: "row", title })
const warning = (title: string): Entry => ({ level: "warning", title })

/**
 * Every problem code.
 *
 * @since 0.1.0
 * @category constants
 */
export const catalogue = {
  NotCsvOrXml: file("Not an LRS batch file in CSV or XML"),
  MalformedXml: file("XML that is not well-formed"),
  UnterminatedQuote: file("A quoted CSV field is never closed"),
  MissingHeader: file("The header lines are missing or wrong"),
  MissingHeaderValue: file("A header value is missing"),
  WrongFileVersion: file("Wrong file version for this kind of file"),
  InvalidHeaderUkprn: file("The header UKPRN is not a UKPRN"),
  UkprnNotYours: file("The header UKPRN is not the submitting organisation's", "WSEC0003"),
  InvalidUserEmail: file("The header e-mail address is not valid", "WSEC0044"),
  MissingHeadings: file("The column headings line is missing"),
  WrongHeadings: file("The column headings are not those of this kind of file"),
  UnknownKind: file("The kind of file cannot be told"),
  UnexpectedElement: file("An XML element that has no place there"),
  TooManyRecords: file("More records than this kind of file may hold", "WSEC0046"),
  NoRecords: file("No records", "WSEC0047"),
  FileNameInvalid: file("The file name does not follow the naming rule"),
  FileNameUkprnMismatch: file("The UKPRN in the file name is not the header's"),

  WrongFieldCount: row("Too many or too few fields"),
  MalformedQuotes: row("Stray quotes in a CSV field"),
  UnknownElement: row("An XML element that is not a column of this kind of file"),
  RepeatedElement: row("An XML field element given twice"),
  Required: row("A mandatory field is empty"),
  TooLong: row("A field is longer than allowed"),
  InvalidCharacters: row("Characters that cannot be stored (not UTF-8, or control characters)"),
  InvalidFormat: row("A field in the wrong format"),
  InvalidUln: row("Not a valid ULN"),
  InvalidDate: row("Not a YYYY-MM-DD calendar date"),
  SpreadsheetDate: row("A date reformatted by a spreadsheet"),
  SpreadsheetNumber: row("A number reformatted by a spreadsheet (scientific notation)"),
  InvalidCode: row("Not one of the allowed codes"),
  InvalidPostcode: row("Not a UK postcode, BFPO number, ZZ99 pseudo-postcode or overseas territory's postcode (see `Postcode.special`)"),
  InvalidEmail: row("Not an e-mail address"),
  InvalidUkprn: row("Not a UKPRN"),
  InvalidSubjectCode: row("Not a qualification number or unit reference"),
  DateInFuture: row("A date after today where that is impossible"),
  AgeOutOfRange: row("The learner is outside the permitted age range of 13 to 110"),
  AwardDateInFuture: row("The award date is after today"),
  AwardDateTooEarly: row("The award date is before the learner could plausibly have sat it"),
  DuplicateRow: row("The row repeats an earlier row of the file"),

  QanCheckCharacter: warning("A QAN whose check character disagrees with the usual rule"),
  FileNameDiffers: warning("The header FileName is not the file's own name")
} as const satisfies Record<string, Entry>

/**
 * Any problem code.
 *
 * @since 0.1.0
 * @category models
 */
export type ProblemCode = keyof typeof catalogue

/**
 * Every code, in catalogue order.
 *
 * @since 0.1.0
 * @category constants
 */
export const codes: ReadonlyArray<ProblemCode> = Object.keys(catalogue) as Array<ProblemCode>

/**
 * A problem found in a batch file. `row` counts the file's records from 1 (the first record after
 * the column headings); 0 means the file itself (its name, header lines, headings or size).
 * `line` is the line the record starts on, where the format has lines. `field` names the column,
 * header field or XML element, or is `(file)`, `(file name)` or `(headings)`.
 *
 * @since 0.1.0
 * @category models
 */
export interface Problem {
  readonly row: number
  readonly line?: number
  readonly field: string
  readonly code: ProblemCode
  readonly message: string
}

/**
 * The kinds of batch file (as `BatchRow.BatchKind`).
 *
 * @since 0.1.0
 * @category models
 */
export type Kind = "registration" | "verification" | "achievement"

const RETURN_CODES: Record<Kind, Partial<Record<ProblemCode, string>>> = {
  registration: { Required: "RC006", AgeOutOfRange: "RC013", DuplicateRow: "RC012" },
  verification: { DuplicateRow: "RC012" },
  achievement: { AwardDateInFuture: "ACH021", AwardDateTooEarly: "ACH022", DuplicateRow: "RC012" }
}

/**
 * The return code a row problem gives its row in an output file, by kind of file: RC006
 * insufficient data, RC013 outside the age range, RC012 duplicate, ACH021/ACH022 award date, and
 * RC011 "incorrect format" for everything else (DOMAIN §3.4; the choices are this project's).
 *
 * @since 0.1.0
 * @category return codes
 */
export const rowReturnCode = (kind: Kind, code: ProblemCode): string => RETURN_CODES[kind][code] ?? "RC011"

/**
 * The level of a code.
 *
 * @since 0.1.0
 * @category getters
 */
export const levelOf = (code: ProblemCode): Level => catalogue[code].level

/**
 * The catalogue as a Markdown table (for docs/batch-files.md).
 *
 * @since 0.1.0
 * @category rendering
 */
export const toMarkdown = (): string => {
  const lines = ["| Code | Level | Meaning | File fault: LRS code / row fault: the row's return code |", "|---|---|---|---|"]
  const kinds: ReadonlyArray<Kind> = ["registration", "verification", "achievement"]
  for (const code of codes) {
    const e: Entry = catalogue[code]
    let returned = e.lrsCode ?? ""
    if (e.level === "row") {
      const byKind = kinds.map((k) => rowReturnCode(k, code))
      returned = byKind.every((c) => c === byKind[0])
        ? byKind[0]!
        : kinds.map((k, i) => `${byKind[i]} (${k})`).join(", ")
    }
    lines.push(`| \`${code}\` | ${e.level} | ${e.title} | ${returned} |`)
  }
  return lines.join("\n")
}
