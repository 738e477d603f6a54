/**
 * UK postcodes and BFPO numbers: validation with errors that say what is wrong, normalisation to
 * upper case with one space, and the parts (area, district, sector) that matching compares.
 *
 * What is accepted: a postcode of the BS 7666 grammar with the Royal Mail's letter rules, a BFPO
 * number, and the postcodes in {@link special} (ZZ99 pseudo-postcodes, the overseas territories'
 * postcodes, GIR 0AA). Only the format is checked, not that the postcode exists.
 *
 * @since 0.1.0
 */
import { Option, Schema } from "effect"

/**
 * The parts of a UK postcode, e.g. `SW1A 2AA`: area `SW`, district `SW1`, outward `SW1A`,
 * sector `SW1A 2`, inward `2AA`. A BFPO number has only its `outward` (`BFPO`) and inward number.
 *
 * `kind` says what the parts mean:
 * - `uk`: a postcode of the grammar, with its area, district and sector.
 * - `single`: one of {@link special}'s single postcodes, each naming one whole place (an overseas
 *   territory, GIR 0AA): its area and district are its outward code (`FIQQ`), so it shares no part
 *   with a UK district whose letters it starts with (`STHL` is not in Stoke-on-Trent's `ST`).
 * - `pseudo`: a ZZ99 pseudo-postcode, which names no place: its area, district and sector are the
 *   whole postcode, so it agrees with nothing but the same pseudo-postcode.
 * - `bfpo`: a BFPO number.
 *
 * @since 0.1.0
 * @category models
 */
export interface PostcodeParts {
  readonly kind: "uk" | "single" | "pseudo" | "bfpo"
  readonly normalised: string
  readonly area: string
  readonly district: string
  readonly outward: string
  readonly sector: string
  readonly inward: string
}

/**
 * The postcodes accepted outside the BS 7666 grammar and the Royal Mail's letter rules, and why.
 * This is the one place that choice is made: {@link explain}, {@link parse}, the `Postcode` schema,
 * batch files and matching all follow it.
 *
 * - `pseudoOutward`: `ZZ99` with a digit and any two letters (`ZZ99 9ZZ`, `ZZ99 3VZ`, `ZZ99 3WZ`,
 *   `ZZ99 3CZ`, …). The ILR requires `ZZ99 9ZZ` for a learner whose postcode is not known, and
 *   ILR and NHS data use the ZZ99 family for unknown, overseas and no fixed abode, so learner
 *   records from colleges carry them. They break the grammar's letter rules (second letter Z; C or
 *   V in some inward codes), so no real postcode is one, and any two letters are taken after the
 *   digit. They name no place,
 *   so {@link parse} gives them no area, district or sector of their own and matching lets them
 *   agree only with the same pseudo-postcode, never as neighbours.
 * - `single`: postcodes in the UK format that name one whole place: those of the British Overseas
 *   Territories that use one (a learner's last known address can be there, and forms that want a
 *   UK postcode must take it) and GIR 0AA, Girobank's non-geographic postcode. Each is its
 *   place's one postcode, so its inward code is fixed: `ASCN 2ZZ` and `GIR 1AA` are refused
 *   (Gibraltar's `GX11` fits the grammar, so other `GX11` postcodes pass as UK ones).
 * - BFPO numbers (`BFPO 105`) are accepted as the LRS's own schema accepts them.
 *
 * @since 0.1.2
 * @category rules
 */
export const special: {
  readonly pseudoOutward: "ZZ99"
  readonly single: ReadonlyMap<string, string>
} = {
  pseudoOutward: "ZZ99",
  single: new Map([
    ["ASCN 1ZZ", "Ascension Island"],
    ["BBND 1ZZ", "British Indian Ocean Territory"],
    ["BIQQ 1ZZ", "British Antarctic Territory"],
    ["FIQQ 1ZZ", "Falkland Islands"],
    ["GX11 1AA", "Gibraltar"],
    ["PCRN 1ZZ", "Pitcairn Islands"],
    ["SIQQ 1ZZ", "South Georgia and the South Sandwich Islands"],
    ["STHL 1ZZ", "Saint Helena"],
    ["TDCU 1ZZ", "Tristan da Cunha"],
    ["TKCA 1ZZ", "Turks and Caicos Islands"],
    ["GIR 0AA", "Girobank"]
  ])
}

// The outward-code shapes of BS 7666: A9, A99, AA9, AA99, A9A, AA9A, with the letter restrictions
// of the Royal Mail addressing guide (1st letter not Q/V/X, 2nd not I/J/Z, …).
const OUTWARD = /^(?:[A-PR-UWYZ][0-9]{1,2}|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}|[A-PR-UWYZ][0-9][A-HJKPSTUW]|[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY])$/
const OUTWARD_SHAPE = /^[A-Z]{1,2}[0-9][A-Z0-9]?$/
const INWARD = /^[0-9][ABD-HJLNP-UW-Z]{2}$/
const INWARD_SHAPE = /^[0-9][A-Z]{2}$/
const BFPO = /^BFPO ?([0-9]{1,4})$/

// the letters each position of an outward code may hold, as the Royal Mail's rules give them
const FIRST = "ABCDEFGHIJKLMNOPRSTUWYZ"
const SECOND = "ABCDEFGHKLMNOPQRSTUVWXY"
const AFTER_A9 = "ABCDEFGHJKPSTUW"
const AFTER_AA9 = "ABEHMNPRVWXY"
const NEVER_INWARD = "CIKMOV"

const isPseudo = (normalised: string): boolean =>
  normalised.startsWith(`${special.pseudoOutward} `) && INWARD_SHAPE.test(normalised.slice(special.pseudoOutward.length + 1))

const singleOf = (normalised: string): string | undefined => special.single.has(normalised) ? normalised : undefined

const list = (letters: string): string => [...letters].join(", ")

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

const notOutward = (outward: string, why: string): string => `"${outward}" is not a UK outward code: ${why}`

/** Which of the outward code's rules fails, or `undefined` when it is a UK outward code. */
const explainOutward = (outward: string): string | undefined => {
  if (!OUTWARD_SHAPE.test(outward)) {
    const single = [...special.single.keys()].find((p) => p.startsWith(`${outward} `))
    if (single !== undefined) return `"${outward}" is the outward code of ${special.single.get(single)}, whose one postcode is "${single}"`
    return notOutward(
      outward,
      `expected one or two letters, a digit, then an optional digit or letter (e.g. "M1", "B33", "CR2", "DN55", "W1A", "EC1A")${
        /^[A-Z]{4}$/.test(outward) ? `; the only four-letter ones are the overseas territories' postcodes (${[...special.single.keys()].filter((p) => /^[A-Z]{4} /.test(p)).join(", ")})` : ""
      }`
    )
  }
  const first = outward.charAt(0)
  if (!FIRST.includes(first)) return notOutward(outward, `no postcode area starts with ${first} (never Q, V or X)`)
  const letters = /^[A-Z]+/.exec(outward)?.[0] ?? ""
  if (letters.length === 2 && !SECOND.includes(outward.charAt(1))) {
    const pseudo = letters === "ZZ" ? ` (ZZ is only taken as the pseudo-postcode outward code ${special.pseudoOutward}, e.g. "${special.pseudoOutward} 9ZZ")` : ""
    return notOutward(outward, `a postcode area's second letter is never I, J or Z${pseudo}`)
  }
  const last = outward.charAt(outward.length - 1)
  if (/[A-Z]/.test(last) && outward.length > letters.length + 1) {
    const allowed = letters.length === 1 ? AFTER_A9 : AFTER_AA9
    if (!allowed.includes(last)) {
      return notOutward(outward, `the letter after "${outward.slice(0, -1)}" is one of ${list(allowed)}; not ${last}`)
    }
  }
  // the rules above are OUTWARD's, one by one; this only guards against the two drifting apart
  return OUTWARD.test(outward) ? undefined : notOutward(outward, "it breaks the Royal Mail's letter rules")
}

/**
 * Why a postcode is invalid, in words a data-entry clerk can act on, or `undefined` when valid.
 * Each message names the one rule that fails: the length, the characters, the inward code's shape
 * or letters, the outward code's shape, or which of its letters the Royal Mail never uses there.
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
  if (singleOf(n) !== undefined || isPseudo(n)) return undefined
  const compact = n.replace(" ", "")
  if (compact.length < 5 || compact.length > 7) {
    return "a UK postcode has 5 to 7 letters and digits: an outward code (e.g. \"SW1A\") and an inward code (e.g. \"2AA\")"
  }
  const outward = compact.slice(0, -3)
  const inward = compact.slice(-3)
  if (!INWARD_SHAPE.test(inward)) return `the inward code "${inward}" must be a digit followed by two letters, e.g. "2AA"`
  const outwardFault = explainOutward(outward)
  if (outwardFault !== undefined) return outwardFault
  if (!INWARD.test(inward)) {
    const letter = [...inward.slice(1)].find((c) => NEVER_INWARD.includes(c)) ?? ""
    return `the inward code "${inward}" has ${letter}, a letter UK postcodes never use in the inward code (${list(NEVER_INWARD)})`
  }
  return undefined
}

/**
 * `true` when the input is a UK postcode, a BFPO number or one of {@link special} (any case and
 * spacing).
 *
 * @since 0.1.0
 * @category validation
 */
export const isValid = (input: string): boolean => explain(input) === undefined

/**
 * Splits a valid postcode into its parts, or `None`. See {@link PostcodeParts} for what the parts
 * of a single postcode, a pseudo-postcode and a BFPO number are.
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
  if (isPseudo(normalised)) {
    // no place: no part in common with any other postcode
    return Option.some({ kind: "pseudo", normalised, area: normalised, district: normalised, outward, sector: normalised, inward })
  }
  if (singleOf(normalised) !== undefined) {
    return Option.some({ kind: "single", normalised, area: outward, district: outward, outward, sector: `${outward} ${inward.charAt(0)}`, inward })
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
  description: "UK postcode, BFPO number, ZZ99 pseudo-postcode (e.g. \"ZZ99 9ZZ\", postcode not known) or an overseas territory's postcode (e.g. \"FIQQ 1ZZ\"); stored upper case with one space before the inward code, e.g. \"SW1A 2AA\", \"BFPO 105\"."
})

/**
 * @since 0.1.0
 * @category models
 */
export type Postcode = typeof Postcode.Type
