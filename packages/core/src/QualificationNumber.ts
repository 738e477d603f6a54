/**
 * Ofqual qualification numbers (QAN, `NNN/NNNN/C`) and unit reference numbers (`A/NNN/NNNN`),
 * and the subject code that is either (DOMAIN §9).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

const QAN = /^[0-9]{3}\/[0-9]{4}\/[0-9X]$/
const UNIT = /^[A-Z]\/[0-9]{3}\/[0-9]{4}$/

/**
 * The QAN check character for the seven digits: weights 8…2, sum mod 11, 10 written `X`.
 * This rule is inferred from real QANs (DOMAIN §9, [I]), so it only ever raises a warning.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkCharacter = (sevenDigits: string): string | undefined => {
  if (!/^[0-9]{7}$/.test(sevenDigits)) return undefined
  let sum = 0
  for (let i = 0; i < 7; i++) sum += (8 - i) * (sevenDigits.charCodeAt(i) - 48)
  const r = sum % 11
  return r === 10 ? "X" : String(r)
}

/**
 * Why a QAN is malformed, or `undefined`.
 *
 * @since 0.1.0
 * @category validation
 */
export const explain = (input: string): string | undefined =>
  QAN.test(input) ? undefined : `a qualification number is NNN/NNNN/C (digits, last a digit or X), e.g. "601/2977/3"; got ${JSON.stringify(input)}`

/**
 * Warnings for a well-formed QAN: today only a check character that disagrees with the inferred
 * rule. Never an error, because Ofqual does not publish the rule.
 *
 * @since 0.1.0
 * @category validation
 */
export const warnings = (qan: string): ReadonlyArray<string> => {
  if (!QAN.test(qan)) return []
  const expected = checkCharacter(qan.slice(0, 3) + qan.slice(4, 8))
  return expected === qan.charAt(9)
    ? []
    : [`the check character of ${qan} is usually ${expected}; check the number against the Ofqual register`]
}

/**
 * An Ofqual qualification number (QAN). Lower-case `x` is read as `X`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const QualificationNumber = Schema.transform(
  Schema.String,
  Schema.String.pipe(
    Schema.filter((s) => explain(s) ?? true),
    Schema.brand("QualificationNumber")
  ),
  { strict: false, decode: (s) => s.trim().toUpperCase(), encode: (s) => s }
).annotations({
  identifier: "QualificationNumber",
  title: "Qualification number (QAN)",
  description: "Ofqual qualification number NNN/NNNN/C, e.g. 601/2977/3.",
  jsonSchema: { pattern: "^[0-9]{3}/[0-9]{4}/[0-9Xx]$" }
})

/**
 * @since 0.1.0
 * @category models
 */
export type QualificationNumber = typeof QualificationNumber.Type

/**
 * Why a unit reference is malformed, or `undefined`.
 *
 * @since 0.1.0
 * @category validation
 */
export const explainUnitReference = (input: string): string | undefined =>
  UNIT.test(input) ? undefined : `a unit reference is A/NNN/NNNN (a letter, 3 digits, 4 digits), e.g. "K/501/5773"; got ${JSON.stringify(input)}`

/**
 * A unit reference number, e.g. `K/501/5773`. Lower-case letters are read as upper case.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UnitReference = Schema.transform(
  Schema.String,
  Schema.String.pipe(
    Schema.filter((s) => explainUnitReference(s) ?? true),
    Schema.brand("UnitReference")
  ),
  { strict: false, decode: (s) => s.trim().toUpperCase(), encode: (s) => s }
).annotations({
  identifier: "UnitReference",
  title: "Unit reference",
  description: "Unit reference number A/NNN/NNNN, e.g. K/501/5773.",
  jsonSchema: { pattern: "^[A-Za-z]/[0-9]{3}/[0-9]{4}$" }
})

/**
 * @since 0.1.0
 * @category models
 */
export type UnitReference = typeof UnitReference.Type

/**
 * What kind of subject a code names.
 *
 * @since 0.1.0
 * @category models
 */
export type SubjectKind = "qualification" | "unit"

/**
 * Tells a QAN from a unit reference (after upper-casing), or `undefined` when it is neither.
 *
 * @since 0.1.0
 * @category validation
 */
export const subjectKind = (code: string): SubjectKind | undefined => {
  const c = code.trim().toUpperCase()
  return QAN.test(c) ? "qualification" : UNIT.test(c) ? "unit" : undefined
}

/**
 * The subject of an achievement: a QAN or a unit reference.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SubjectCode = Schema.transform(
  Schema.String,
  Schema.String.pipe(
    Schema.filter((s) =>
      subjectKind(s) !== undefined ||
      `a subject code is a qualification number NNN/NNNN/C (e.g. "601/2977/3") or a unit reference A/NNN/NNNN (e.g. "K/501/5773"); got ${JSON.stringify(s)}`
    ),
    Schema.brand("SubjectCode")
  ),
  { strict: false, decode: (s) => s.trim().toUpperCase(), encode: (s) => s }
).annotations({
  identifier: "SubjectCode",
  title: "Subject code",
  description: "A qualification number (QAN, NNN/NNNN/C) or a unit reference (A/NNN/NNNN)."
})

/**
 * @since 0.1.0
 * @category models
 */
export type SubjectCode = typeof SubjectCode.Type
