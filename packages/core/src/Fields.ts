/**
 * The field rules of an LRS learner record (DOMAIN §2.4): names, dates, code lists, e-mail.
 * Each schema rejects over-long, blank and malformed input with a message that names the rule.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

// a UTF-16 surrogate without its partner: no Unicode character, so not text any store can encode
const UNPAIRED_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

/**
 * What {@link StorableText} says of a text holding U+0000; the server says the same when the
 * database refuses one.
 *
 * @since 0.1.0
 * @category messages
 */
export const nulMessage = "must not contain the character U+0000 (NUL)"

/**
 * Text that any record can store: no U+0000 (NUL) and no unpaired UTF-16 surrogate. The LRS
 * publishes no rule on either; this one is ours. PostgreSQL's text and jsonb refuse NUL, its json
 * refuses an unpaired surrogate's escape, and neither is text in a batch file or an XML document,
 * so both are refused where the text is first read, with the field named, instead of wherever it
 * would next be stored.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StorableText = Schema.String.pipe(
  Schema.filter((s) => !s.includes("\u0000") || nulMessage, { jsonSchema: {} }),
  Schema.filter((s) => !UNPAIRED_SURROGATE.test(s) || "must be well-formed Unicode (it has an unpaired surrogate)", { jsonSchema: {} })
)

/**
 * A text field of at most `max` characters that is not blank (the LRS `MIAPNameNonEmpty` rule:
 * at least one non-space character), and {@link StorableText}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const nonBlankText = (max: number, identifier: string, description: string) =>
  StorableText.pipe(
    Schema.filter((s) => s.trim().length > 0 || "must not be blank", { title: "not blank" }),
    Schema.filter((s) => s.length <= max || `must be at most ${max} characters (got ${s.length})`, {
      jsonSchema: { maxLength: max, minLength: 1 }
    })
  ).annotations({ identifier, description })

/**
 * An optional text field of at most `max` characters (blank allowed), and
 * {@link StorableText}.
 *
 * @since 0.1.0
 * @category constructors
 */
export const boundedText = (max: number, identifier: string, description: string) =>
  StorableText.pipe(
    Schema.filter((s) => s.length <= max || `must be at most ${max} characters (got ${s.length})`, {
      jsonSchema: { maxLength: max }
    })
  ).annotations({ identifier, description })

/**
 * A person's name part as the LRS holds it: 1–35 characters, not blank.
 *
 * @since 0.1.0
 * @category schemas
 */
export const PersonName = nonBlankText(35, "PersonName", "A name: 1 to 35 characters, not blank.")

/**
 * A learner's given name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GivenName = PersonName.annotations({ identifier: "GivenName", description: "Given (first) name: 1 to 35 characters, not blank." })

/**
 * A learner's family name.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FamilyName = PersonName.annotations({ identifier: "FamilyName", description: "Family name (surname): 1 to 35 characters, not blank." })

const isLeap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/**
 * Why a string is not a `YYYY-MM-DD` calendar date between 1800 and 2099, or `undefined`.
 * Dates reformatted by a spreadsheet (`31/12/2001`) get a message naming the expected form.
 *
 * @since 0.1.0
 * @category validation
 */
export const explainDate = (input: string): string | undefined => {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(input)
  if (m === null) {
    return /^[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{2,4}$/.test(input.trim())
      ? `dates must be written YYYY-MM-DD (e.g. 2001-12-31); ${JSON.stringify(input)} looks reformatted by a spreadsheet`
      : `dates must be written YYYY-MM-DD (e.g. 2001-12-31); got ${JSON.stringify(input)}`
  }
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3])
  if (y < 1800 || y > 2099) return `the year must be between 1800 and 2099; got ${y}`
  if (mo < 1 || mo > 12) return `there is no month ${m[2]}`
  const days = mo === 2 && isLeap(y) ? 29 : DAYS[mo - 1]!
  if (d < 1 || d > days) return `${input} is not a calendar date (${m[2]}/${y} has ${days} days)`
  return undefined
}

/**
 * A calendar date written `YYYY-MM-DD`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const IsoDate = Schema.String.pipe(
  Schema.filter((s) => explainDate(s) ?? true, {
    identifier: "IsoDate",
    description: "A calendar date written YYYY-MM-DD (years 1800–2099).",
    jsonSchema: { format: "date", pattern: "^[0-9]{4}-[0-9]{2}-[0-9]{2}$" }
  }),
  Schema.brand("IsoDate")
)

/**
 * @since 0.1.0
 * @category models
 */
export type IsoDate = typeof IsoDate.Type

/**
 * A date of birth, `YYYY-MM-DD`, a real calendar date.
 *
 * @since 0.1.0
 * @category schemas
 */
export const DateOfBirth = IsoDate.annotations({ identifier: "DateOfBirth", description: "Date of birth, YYYY-MM-DD." })

/**
 * Gender as the LRS codes it: 0 not known, 1 male, 2 female, 9 not specified.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Gender = Schema.Literal(0, 1, 2, 9).annotations({
  identifier: "Gender",
  description: "0 not known, 1 male, 2 female, 9 not specified (withheld).",
  message: () => ({ message: "gender must be 0 (not known), 1 (male), 2 (female) or 9 (not specified)", override: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type Gender = typeof Gender.Type

/**
 * Whether the learner has seen the privacy notice and agreed to share their record:
 * 0 notice not seen, 1 seen and agreed to share, 2 seen and refused to share.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AbilityToShare = Schema.Literal(0, 1, 2).annotations({
  identifier: "AbilityToShare",
  description: "0 privacy notice not seen, 1 seen and agrees to share, 2 seen and does not agree to share.",
  message: () => ({ message: "ability to share must be 0 (notice not seen), 1 (agrees to share) or 2 (does not agree)", override: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type AbilityToShare = typeof AbilityToShare.Type

/**
 * How the learner's identity was verified: 0–7, or 999 "other" (with a description). The meaning
 * of 0–7 is not published (DOMAIN §2.4 [U]); the labels here are this project's choice, in
 * {@link verificationTypeLabels}.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VerificationType = Schema.Literal(0, 1, 2, 3, 4, 5, 6, 7, 999).annotations({
  identifier: "VerificationType",
  description: "Identity verification: 0–7 (see the labels in the docs) or 999 other (describe it in otherVerificationDescription).",
  message: () => ({ message: "verification type must be one of 0, 1, 2, 3, 4, 5, 6, 7 or 999", override: true })
})

/**
 * @since 0.1.0
 * @category models
 */
export type VerificationType = typeof VerificationType.Type

/**
 * This project's labels for the verification types (the LRS does not publish them).
 *
 * @since 0.1.0
 * @category constants
 */
export const verificationTypeLabels: Readonly<Record<VerificationType, string>> = {
  0: "None",
  1: "Relationship with school",
  2: "Passport",
  3: "Driving licence",
  4: "ID card or other photo ID",
  5: "National insurance card",
  6: "Birth certificate",
  7: "Parent or guardian",
  999: "Other"
}

const EMAIL = /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,6}$/

/**
 * Why an e-mail address is invalid, or `undefined`.
 *
 * @since 0.1.0
 * @category validation
 */
export const explainEmail = (input: string): string | undefined =>
  input.length > 254
    ? `an e-mail address has at most 254 characters (got ${input.length})`
    : EMAIL.test(input)
    ? undefined
    : `not an e-mail address: expected name@domain.tld; got ${JSON.stringify(input)}`

/**
 * An e-mail address (at most 254 characters, a top-level domain of 2 to 6 letters).
 *
 * @since 0.1.0
 * @category schemas
 */
export const EmailAddress = Schema.String.pipe(
  Schema.filter((s) => explainEmail(s) ?? true, {
    identifier: "EmailAddress",
    description: "E-mail address, at most 254 characters.",
    jsonSchema: { format: "email", maxLength: 254 }
  })
)

/**
 * A Scottish Candidate Number: 9 digits.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ScottishCandidateNumber = Schema.String.pipe(
  Schema.filter((s) => /^[0-9]{9}$/.test(s) || `a Scottish candidate number is 9 digits; got ${JSON.stringify(s)}`, {
    identifier: "ScottishCandidateNumber",
    jsonSchema: { pattern: "^[0-9]{9}$" }
  })
)

/**
 * A nationality code: at most 3 characters (the LRS code list).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Nationality = Schema.String.pipe(
  Schema.filter((s) => /^[A-Za-z0-9]{1,3}$/.test(s) || `a nationality code has 1 to 3 letters or digits; got ${JSON.stringify(s)}`, {
    identifier: "Nationality",
    jsonSchema: { maxLength: 3 }
  })
)
