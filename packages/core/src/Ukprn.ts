/**
 * UK Provider Reference Number: 8 digits starting with 1 (CONTRACT §3).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * Why a UKPRN is invalid, or `undefined`.
 *
 * @since 0.1.0
 * @category validation
 */
export const explain = (input: string): string | undefined =>
  /^1[0-9]{7}$/.test(input)
    ? undefined
    : /^[0-9]{8}$/.test(input)
    ? "a UKPRN starts with 1"
    : `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got ${JSON.stringify(input)}`

/**
 * A UK Provider Reference Number.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Ukprn = Schema.String.pipe(
  Schema.filter((s) => explain(s) ?? true, {
    identifier: "Ukprn",
    title: "UKPRN",
    description: "UK Provider Reference Number: 8 digits starting with 1.",
    jsonSchema: { pattern: "^1[0-9]{7}$" }
  }),
  Schema.brand("Ukprn")
)

/**
 * @since 0.1.0
 * @category models
 */
export type Ukprn = typeof Ukprn.Type
