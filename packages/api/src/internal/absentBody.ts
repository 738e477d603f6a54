import { ParseResult, Schema, SchemaAST } from "effect"

/**
 * A JSON request body that may be left out. A POST without a body (which the platform reads as
 * `null`) is decoded as `{}` would be: a body whose fields are all optional decodes, and one with a
 * required field is refused naming that field ("reason: is missing") rather than "body: Expected
 * …, actual null". Any other value is decoded by `schema` alone, so its faults are reported as
 * before (a union with `null` would add "Expected null" to each).
 *
 * The document shows the body as `anyOf [body, null]` (the first step's surrogate, which only
 * JSON Schema reads); `absentBodies` (./openapi.ts) shows it as the body again, required only
 * when it has a required field.
 */
export const absentAsEmpty = <A, I, R>(schema: Schema.Schema<A, I, R>) =>
  Schema.transformOrFail(
    Schema.Unknown.annotations({ [SchemaAST.SurrogateAnnotationId]: Schema.NullOr(schema).ast }),
    schema,
    {
      // `schema` checks what this passes on
      strict: false,
      decode: (body) => ParseResult.succeed(body === null ? {} : body),
      encode: ParseResult.succeed
    }
  )
