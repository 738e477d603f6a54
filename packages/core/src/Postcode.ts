/**
 * UK postcodes and BFPO numbers: validation with errors that say what is wrong, normalisation to
 * upper case with one space, and the parts (area, district, sector) that matching compares.
 *
 * @since 0.1.0
 */
import { Option, Schema } from "effect"

/**
 * The parts of a UK postcode, e.g. `SW1A 2AA`: area `SW`, district `SW1`, outward `SW1A`,
 * sector `SW1A 2`, inward `2AA`. A BFPO number has only its `outward` (`BFPO`) and `inward` number.
 *
 * @since 0.1.0
 * @category models
 */
export interface PostcodeParts {
  readonly kind: "uk" | "bfpo"
  readonly normalised: string
  readonly area: string
  readonly district: string
  readonly outward: string
  readonly sector: string
  readonly inward: string
}

// The outward-code shapes of BS 7666: A9, A99, AA9, AA99, A9A, AA9A, with the letter restrictions
// of the Royal Mail addressing guide (1st letter not Q/V/X, 2nd not I/J/Z, …).
const OUTWARD = /^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])$/
const INWARD = /^[0-9][ABD-HJLNP-UW-Z]{2}$/
const BFPO = /^BFPO ?([0-9]{1,4})$/
const SHAPE = /^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$/

/**
 * Upper-cases, removes every space and re-inserts one before the three-character inward code.
 * BFPO numbers become `BFPO 1234`. Does not validate.
 *
 * @since 0.1.0
 * @category normalisation
 */
export const normalise = (input: string): string => {
  const compact = input.toUpperCase().replace(/\s+/g, "")
  if (compact.startsWith("BFPO")) return compact.length > 4 ? `BFPO ${compact.slice(4)}` : compact
  return compact.length > 3 ? `${compact.slice(0, -3)} ${compact.slice(-3)}` : compact
}

/**
 * Why a postcode is invalid, in words a data-entry clerk can act on, or `undefined` when valid.
 *
 * @since 0.1.0
 * @category validation
 */
export const explain = (input: string): string | undefined => {
  const trimmed = input.trim()
  if (trimmed.length === 0) return "a postcode is required"
  if (trimmed.length > 9) return `a postcode has at most 9 characters (e.g. "SW1A 2AA"); got ${trimmed.length}`
  const n = normalise(trimmed)
  if (n.startsWith("BFPO")) {
    return BFPO.test(n) ? undefined : "a BFPO postcode is \"BFPO\" followed by 1 to 4 digits, e.g. \"BFPO 105\""
  }
  if (/[^A-Z0-9 ]/.test(n)) return "a postcode has only letters, digits and one space"
  if (n === "GIR 0AA") return undefined
  const compact = n.replace(" ", "")
  if (compact.length < 5 || compact.length > 7) {
    return "a UK postcode has 5 to 7 letters and digits: an outward code (e.g. \"SW1A\") and an inward code (e.g. \"2AA\")"
  }
  const outward = compact.slice(0, -3)
  const inward = compact.slice(-3)
  if (!/^[0-9]/.test(inward) || !/^[A-Z]{2}$/.test(inward.slice(1))) {
    return `the inward code "${inward}" must be a digit followed by two letters, e.g. "2AA"`
  }
  if (!INWARD.test(inward)) return `the inward code "${inward}" uses a letter that UK postcodes never use there (C, I, K, M, O or V)`
  if (!SHAPE.test(compact) || !OUTWARD.test(outward)) {
    return `"${outward}" is not a UK outward code: expected one or two letters, a digit, then an optional digit or letter (e.g. "M1", "B33", "CR2", "DN55", "W1A", "EC1A")`
  }
  return undefined
}

/**
 * `true` when the input is a UK postcode or BFPO number (any case and spacing).
 *
 * @since 0.1.0
 * @category validation
 */
export const isValid = (input: string): boolean => explain(input) === undefined

/**
 * Splits a valid postcode into its parts, or `None`.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (input: string): Option.Option<PostcodeParts> => {
  if (!isValid(input)) return Option.none()
  const normalised = normalise(input.trim())
  const [outward = "", inward = ""] = normalised.split(" ")
  if (outward === "BFPO") {
    return Option.some({ kind: "bfpo", normalised, area: "BFPO", district: "BFPO", outward, sector: normalised, inward })
  }
  const area = /^[A-Z]{1,2}/.exec(outward)?.[0] ?? outward
  // the district drops a trailing sub-district letter (SW1A → SW1)
  const district = /^[A-Z]{1,2}[0-9][0-9]?/.exec(outward)?.[0] ?? outward
  return Option.some({ kind: "uk", normalised, area, district, outward, sector: `${outward} ${inward.charAt(0)}`, inward })
}

const PostcodeBrand = Schema.String.pipe(Schema.brand("Postcode"))

/**
 * A valid postcode in its stored form: upper case, one space (`sw1a2aa` decodes to `SW1A 2AA`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Postcode = Schema.transform(
  Schema.String.pipe(Schema.filter((s) => explain(s) ?? true, { title: "postcode (as entered)" })),
  PostcodeBrand,
  { strict: true, decode: (s) => normalise(s.trim()) as Schema.Schema.Type<typeof PostcodeBrand>, encode: (p) => p }
).annotations({
  identifier: "Postcode",
  title: "Postcode",
  description: "UK postcode or BFPO number; stored upper case with one space before the inward code, e.g. \"SW1A 2AA\", \"BFPO 105\"."
})

/**
 * @since 0.1.0
 * @category models
 */
export type Postcode = typeof Postcode.Type
