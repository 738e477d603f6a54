import { ParseResult, Schema } from "effect"

/**
 * A JSON request body that may be left out. A POST without a body (which the platform reads as
 * `null`) is decoded as `{}` would be: a body whose fields are all optional decodes, and one with a
 * required field is refused naming that field ("reason: is missing") rather than "body: Expected
 * …, actual null". The document shows it as `anyOf [body, null]`; `absentBodies` (./openapi.ts)
 * shows it as the body again, required only when it has a required field.
 */
export const absentAsEmpty = <A, I, R>(schema: Schema.Schema<A, I, R>) => {
  const type = Schema.typeSchema(schema)
  return Schema.transformOrFail(Schema.NullOr(schema), type, {
    strict: true,
    decode: (body) => body === null ? ParseResult.decodeUnknown(type)({}) : ParseResult.succeed(body),
    encode: ParseResult.succeed
  })
}
