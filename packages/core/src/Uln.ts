/**
 * The Unique Learner Number: ten digits, the first not zero, the last a mod-11 check digit
 * (DOMAIN.md §1). `9999999999` is the ILR "ULN not known" sentinel: a value of its own
 * ({@link UlnNotKnown}), never a real ULN.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Random from "./internal/random.js"

/**
 * The ILR sentinel for "ULN not yet known".
 *
 * @since 0.1.0
 * @category constants
 */
export const NOT_KNOWN = "9999999999"

/**
 * Why a string is not a valid ULN.
 *
 * - `Format`: not exactly ten ASCII digits.
 * - `LeadingZero`: ten digits, but the first is 0.
 * - `RemainderZero`: the weighted sum of the first nine digits is divisible by 11, so no check
 *   digit can make it valid.
 * - `WrongCheckDigit`: the tenth digit is not the check digit of the first nine.
 * - `NotKnown`: the `9999999999` sentinel, which stands for "ULN not known", not for a learner.
 *
 * @since 0.1.0
 * @category models
 */
export type InvalidReason = "Format" | "LeadingZero" | "RemainderZero" | "WrongCheckDigit" | "NotKnown"

/**
 * The outcome of {@link validate}. The objects are shared constants, so validating allocates nothing.
 *
 * @since 0.1.0
 * @category models
 */
export type Validation =
  | { readonly valid: true }
  | { readonly valid: false; readonly reason: InvalidReason }

const VALID: Validation = Object.freeze({ valid: true })
const invalid = (reason: InvalidReason): Validation => Object.freeze({ valid: false, reason })
const FORMAT = invalid("Format")
const LEADING_ZERO = invalid("LeadingZero")
const REMAINDER_ZERO = invalid("RemainderZero")
const WRONG_CHECK_DIGIT = invalid("WrongCheckDigit")
const IS_NOT_KNOWN = invalid("NotKnown")

/**
 * Checks a candidate ULN and says why it is invalid. Runs in a handful of nanoseconds and
 * allocates nothing.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = (input: string): Validation => {
  if (input.length !== 10) return FORMAT
  let sum = 0
  for (let i = 0; i < 10; i++) {
    const d = input.charCodeAt(i) - 48
    if (d < 0 || d > 9) return FORMAT
    // weights 10, 9, …, 1 over all ten digits (DOMAIN §1.2, formulation B)
    sum += (10 - i) * d
  }
  if (input.charCodeAt(0) === 48) return LEADING_ZERO
  if (sum % 11 === 10) return VALID
  if (input === NOT_KNOWN) return IS_NOT_KNOWN
  // T = S + d10, so the remainder of the first nine alone decides between the two faults
  const lastDigit = input.charCodeAt(9) - 48
  return (sum - lastDigit) % 11 === 0 ? REMAINDER_ZERO : WRONG_CHECK_DIGIT
}

/**
 * `true` when `input` is a valid ULN.
 *
 * @since 0.1.0
 * @category validation
 */
export const isValid = (input: string): boolean => validate(input).valid

/**
 * The check digit for nine leading digits, or `undefined` when the weighted remainder is 0 and no
 * digit can complete them (about one prefix in eleven). Throws nothing: a malformed prefix also
 * gives `undefined`.
 *
 * @since 0.1.0
 * @category validation
 */
export const checkDigit = (first9: string): number | undefined => {
  if (first9.length !== 9) return undefined
  let sum = 0
  for (let i = 0; i < 9; i++) {
    const d = first9.charCodeAt(i) - 48
    if (d < 0 || d > 9) return undefined
    sum += (10 - i) * d
  }
  const r = sum % 11
  return r === 0 ? undefined : 10 - r
}

/**
 * A human explanation of an invalid ULN, naming what is wrong (and the expected check digit).
 *
 * @since 0.1.0
 * @category validation
 */
export const explain = (input: string): string | undefined => {
  const result = validate(input)
  if (result.valid) return undefined
  switch (result.reason) {
    case "Format":
      return `a ULN is exactly 10 digits (0-9); got ${input.length === 0 ? "an empty value" : JSON.stringify(input)}`
    case "LeadingZero":
      return "a ULN cannot start with 0"
    case "RemainderZero":
      return "no ULN starts with these nine digits: their weighted sum is divisible by 11, so no check digit exists"
    case "WrongCheckDigit":
      return `the check digit is wrong: for ${input.slice(0, 9)} it must be ${checkDigit(input.slice(0, 9))}, not ${input[9]}`
    case "NotKnown":
      return "9999999999 means \"ULN not known\" (the ILR placeholder); a real ULN is required here"
  }
}

/**
 * A valid Unique Learner Number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Uln = Schema.String.pipe(
  Schema.filter((s) => explain(s) ?? true, {
    identifier: "Uln",
    title: "ULN",
    description: "Unique Learner Number: 10 digits, first not 0, last a mod-11 check digit. 9999999999 (not known) is not accepted.",
    examples: ["1000000043" as never, "9276308686" as never],
    jsonSchema: { pattern: "^[1-9][0-9]{9}$" }
  }),
  Schema.brand("Uln")
)

/**
 * @since 0.1.0
 * @category models
 */
export type Uln = typeof Uln.Type

/**
 * The "ULN not known" sentinel `9999999999`, accepted only where the LRS allows it (for example in
 * an ILR-style batch row), never where a learner must be identified.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UlnNotKnown = Schema.Literal(NOT_KNOWN).annotations({
  identifier: "UlnNotKnown",
  description: "9999999999: the ILR placeholder for \"ULN not yet known\""
})

/**
 * A real ULN or the not-known sentinel.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UlnOrNotKnown = Schema.Union(Uln, UlnNotKnown)

/**
 * Options for {@link generate} and {@link generator}.
 *
 * @since 0.1.0
 * @category models
 */
export interface GenerateOptions {
  /** Makes the sequence reproducible. Without a seed the source is `crypto.getRandomValues`. */
  readonly seed?: string | number
}

/**
 * A function yielding random valid ULNs. ULNs carry no meaning, so they are drawn uniformly
 * from every valid value, never in sequence; `9999999999` is never produced (it is not valid).
 *
 * @since 0.1.0
 * @category constructors
 */
export const generator = (options: GenerateOptions = {}): () => Uln => {
  const random = options.seed === undefined ? Random.secure() : Random.seeded(options.seed)
  return () => {
    for (;;) {
      // first digit 1–9, then eight digits: a uniform prefix in [100000000, 999999999]
      const prefix = 100_000_000 + Random.below(random, 900_000_000)
      const text = String(prefix)
      const digit = checkDigit(text)
      if (digit !== undefined) return (text + digit) as Uln
    }
  }
}

/**
 * One random valid ULN.
 *
 * @since 0.1.0
 * @category constructors
 */
export const generate = (options: GenerateOptions = {}): Uln => generator(options)()
