import type { Schema } from "effect"

/**
 * Rejects unknown properties when decoding a request body, so a client can never set an owner,
 * a status or a ULN by adding a property (no mass assignment).
 */
export const strict = <S extends Schema.Schema.Any>(schema: S): S =>
  schema.annotations({ parseOptions: { onExcessProperty: "error", errors: "all" } }) as S
