/**
 * Errors as RFC 9457 `application/problem+json`: every error carries the LRS `code`, a `title`, a
 * `detail`, the field `errors` and the `requestId`, with a proper HTTP status. One class per
 * status, so each operation documents exactly which errors it can give.
 *
 * @since 0.1.0
 */
import { HttpApiSchema } from "@effect/platform"
import { Schema } from "effect"

/**
 * One field-level problem: the JSON path of the field and what is wrong with it.
 *
 * @since 0.1.0
 * @category models
 */
export class FieldError extends Schema.Class<FieldError>("FieldError")({
  field: Schema.String.annotations({ description: "Path of the field, e.g. `dateOfBirth` or `learners[3].uln`." }),
  message: Schema.String.annotations({ description: "What is wrong, in words." })
}) {}

const problemFields = {
  code: Schema.String.annotations({ description: "LRS code (WSEC…, WSRC…, ACH…), see docs/response-codes.md." }),
  title: Schema.String.annotations({ description: "Short, fixed summary of the problem." }),
  detail: Schema.String.annotations({ description: "What happened in this case." }),
  errors: Schema.Array(FieldError).annotations({ description: "Field-level problems; empty when none." }),
  requestId: Schema.String.annotations({ description: "The request's X-Request-ID; quote it to the service desk." })
}

const problemEncoding: HttpApiSchema.Encoding = { kind: "Json", contentType: "application/problem+json" }

const problem = <A>(status: number, description: string): Schema.Annotations.Schema<A> => ({
  ...HttpApiSchema.annotations<A>({ status, description }),
  [HttpApiSchema.AnnotationEncoding]: problemEncoding
})

/**
 * The fields every problem has, for code that builds or reads problems generically.
 *
 * @since 0.1.0
 * @category models
 */
export interface ProblemShape {
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly errors: ReadonlyArray<FieldError>
  readonly requestId: string
}

/**
 * 400: the request is malformed (WSEC0001) or names an invalid ULN (WSEC0136).
 *
 * @since 0.1.0
 * @category errors
 */
export class BadRequest extends Schema.TaggedError<BadRequest>()("BadRequest", problemFields, problem<BadRequest>(400, "The request is malformed; `errors` names each field.")) {}

/**
 * 401: not signed in, wrong credentials, locked account, expired or revoked token (WSEC0005).
 *
 * @since 0.1.0
 * @category errors
 */
export class Unauthorized extends Schema.TaggedError<Unauthorized>()("Unauthorized", problemFields, problem<Unauthorized>(401, "Missing, wrong, expired or revoked credentials.")) {}

/**
 * 403: signed in, but the role does not allow this operation (WSEC0006). Another organisation's
 * object is never 403: it is 404.
 *
 * @since 0.1.0
 * @category errors
 */
export class Forbidden extends Schema.TaggedError<Forbidden>()("Forbidden", problemFields, problem<Forbidden>(403, "Your role does not allow this operation.")) {}

/**
 * 404: the object does not exist, or belongs to another organisation.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotFound extends Schema.TaggedError<NotFound>()("NotFound", problemFields, problem<NotFound>(404, "Not found (or not yours).")) {}

/**
 * 405: the path is an operation's, but not under this method (WSEC0002); the `Allow` header lists
 * the methods it takes. No operation answers it: the server does, for any path.
 *
 * @since 0.1.2
 * @category errors
 */
export class MethodNotAllowed extends Schema.TaggedError<MethodNotAllowed>()(
  "MethodNotAllowed",
  problemFields,
  problem<MethodNotAllowed>(405, "The path takes other methods; the Allow header lists them.")
) {}

/**
 * 409: the request conflicts with the current state (stale version WSRC0013, duplicate learner
 * WSRC0021, achievement already in that state).
 *
 * @since 0.1.0
 * @category errors
 */
export class Conflict extends Schema.TaggedError<Conflict>()("Conflict", problemFields, problem<Conflict>(409, "Conflicts with the current state.")) {}

/**
 * 413: the body is over the size limit (SVC005), or the batch over its record limit (WSEC0046).
 *
 * @since 0.1.0
 * @category errors
 */
export class PayloadTooLarge extends Schema.TaggedError<PayloadTooLarge>()("PayloadTooLarge", problemFields, problem<PayloadTooLarge>(413, "Over the size or record limit.")) {}

/**
 * 415: the body is not in the media type the operation takes (WSEC0001, naming `Content-Type`):
 * `application/json`, or the file's type for an operation that takes a file (`text/csv`).
 *
 * @since 0.1.2
 * @category errors
 */
export class UnsupportedMediaType extends Schema.TaggedError<UnsupportedMediaType>()(
  "UnsupportedMediaType",
  problemFields,
  problem<UnsupportedMediaType>(415, "The body is not in the media type this operation takes; `errors` names Content-Type.")
) {}

/**
 * 422: well formed, but not acceptable (insufficient data WSRC0015, invalid ability-to-share change
 * WSRC0014, ownership, award-date rules, an idempotency key reused with another body).
 *
 * @since 0.1.0
 * @category errors
 */
export class Unprocessable extends Schema.TaggedError<Unprocessable>()("Unprocessable", problemFields, problem<Unprocessable>(422, "Well formed but breaks a rule.")) {}

/**
 * 429: too many requests; wait for `Retry-After` seconds.
 *
 * @since 0.1.0
 * @category errors
 */
export class TooManyRequests extends Schema.TaggedError<TooManyRequests>()("TooManyRequests", problemFields, problem<TooManyRequests>(429, "Rate limit reached; retry after the Retry-After header.")) {}

/**
 * 503: maintenance window (WSEC0004) or the database is not reachable.
 *
 * @since 0.1.0
 * @category errors
 */
export class ServiceUnavailable extends Schema.TaggedError<ServiceUnavailable>()("ServiceUnavailable", problemFields, problem<ServiceUnavailable>(503, "The service is unavailable; retry later.")) {}

/**
 * 500: an unexpected error (WSEC0999). Never carries a stack trace or SQL.
 *
 * @since 0.1.0
 * @category errors
 */
export class InternalError extends Schema.TaggedError<InternalError>()("InternalError", problemFields, problem<InternalError>(500, "Unexpected error; quote the requestId.")) {}

/**
 * Every problem class.
 *
 * @since 0.1.0
 * @category models
 */
export type Problem =
  | BadRequest
  | Unauthorized
  | Forbidden
  | NotFound
  | MethodNotAllowed
  | Conflict
  | PayloadTooLarge
  | UnsupportedMediaType
  | Unprocessable
  | TooManyRequests
  | ServiceUnavailable
  | InternalError
