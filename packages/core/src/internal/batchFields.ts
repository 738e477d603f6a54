/**
 * Field parsers for batch rows: each turns a trimmed, non-empty text into the typed value or a
 * {@link Fault} with a problem code and the same message the field's Schema gives. Plain functions,
 * because a 10,000-row file runs them 140,000 times.
 */
import * as Fields from "../Fields.js"
import * as Postcode from "../Postcode.js"
import * as QualificationNumber from "../QualificationNumber.js"
import type { ProblemCode } from "../BatchProblem.js"
import * as Ukprn from "../Ukprn.js"
import * as Uln from "../Uln.js"

/** Why a field is refused. */
export class Fault {
  constructor(readonly code: ProblemCode, readonly message: string) {}
}

/** A field parser. */
export type Parse = (raw: string) => unknown

const SCIENTIFIC = /^[0-9](?:\.[0-9]+)?E\+?[0-9]+$/i
const spreadsheetNumber = (raw: string, what: string) =>
  new Fault("SpreadsheetNumber", `${JSON.stringify(raw)} looks like a ${what} reformatted by a spreadsheet (scientific notation); format the column as text and enter the ${what} again`)

/** Free text of at most `max` characters. */
export const text = (max: number): Parse => (raw) =>
  raw.length > max ? new Fault("TooLong", `must be at most ${max} characters (got ${raw.length})`) : raw

/** A ULN (the not-known sentinel is refused). */
export const uln: Parse = (raw) => {
  if (SCIENTIFIC.test(raw)) return spreadsheetNumber(raw, "ULN")
  const why = Uln.explain(raw)
  return why === undefined ? raw : new Fault("InvalidUln", why)
}

const SPREADSHEET_DATE = /^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}$/
const DATE_TIME = /^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]/
const SERIAL = /^[0-9]{5}(?:\.[0-9]+)?$/

/** A `YYYY-MM-DD` date, with a clear word for the ways spreadsheets mangle dates. */
export const date: Parse = (raw) => {
  const why = Fields.explainDate(raw)
  if (why === undefined) return raw
  if (SPREADSHEET_DATE.test(raw)) return new Fault("SpreadsheetDate", why)
  if (DATE_TIME.test(raw)) {
    return new Fault("SpreadsheetDate", `dates must be written YYYY-MM-DD without a time (e.g. ${raw.slice(0, 10)}); got ${JSON.stringify(raw)}`)
  }
  if (SERIAL.test(raw)) {
    return new Fault("SpreadsheetDate", `dates must be written YYYY-MM-DD (e.g. 2001-12-31); ${JSON.stringify(raw)} looks like a spreadsheet's date serial number: format the column as text`)
  }
  return new Fault("InvalidDate", why)
}

/** A postcode, stored normalised. */
export const postcode: Parse = (raw) => {
  const why = Postcode.explain(raw)
  return why === undefined ? Postcode.normalise(raw) : new Fault("InvalidPostcode", why)
}

/** An e-mail address. */
export const email: Parse = (raw) => {
  const why = Fields.explainEmail(raw)
  return why === undefined ? raw : new Fault("InvalidEmail", why)
}

/** A UKPRN. */
export const ukprn: Parse = (raw) => {
  if (SCIENTIFIC.test(raw)) return spreadsheetNumber(raw, "UKPRN")
  const why = Ukprn.explain(raw)
  return why === undefined ? raw : new Fault("InvalidUkprn", why)
}

/** One of a list of codes, written exactly. */
export const oneOf = <A>(values: Readonly<Record<string, A>>, message: string): Parse => (raw) =>
  Object.hasOwn(values, raw) ? values[raw] : new Fault("InvalidCode", `${message}; got ${JSON.stringify(raw)}`)

/** Text matching a pattern. */
export const pattern = (re: RegExp, message: string): Parse => (raw) =>
  re.test(raw) ? raw : new Fault("InvalidFormat", `${message}; got ${JSON.stringify(raw)}`)

/** A QAN or unit reference, upper-cased. */
export const subjectCode: Parse = (raw) => {
  const code = raw.toUpperCase()
  return QualificationNumber.subjectKind(code) === undefined
    ? new Fault(
      "InvalidSubjectCode",
      `a subject code is a qualification number NNN/NNNN/C (e.g. "601/2977/3") or a unit reference A/NNN/NNNN (e.g. "K/501/5773"); got ${JSON.stringify(raw)}`
    )
    : code
}

/** A whole number from 0 to `max`. */
export const wholeNumber = (max: number, what: string): Parse => (raw) =>
  /^[0-9]{1,6}$/.test(raw) && Number(raw) <= max ? Number(raw) : new Fault("InvalidFormat", `${what} must be a whole number from 0 to ${max}; got ${JSON.stringify(raw)}`)

// U+FFFD is what the decoder makes of bytes that are not UTF-8; C0 controls other than tab and line ends
const BAD_CHARACTERS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffd]/

/** Why a field's characters cannot be stored, or `undefined`. */
export const badCharacters = (raw: string): Fault | undefined =>
  BAD_CHARACTERS.test(raw)
    ? raw.includes("\ufffd")
      ? new Fault("InvalidCharacters", "holds bytes that are not UTF-8 text: save the file as \"CSV UTF-8\" (or UTF-8 XML) and try again")
      : new Fault("InvalidCharacters", "holds control characters that cannot be stored")
    : undefined
