/**
 * The errors the Promise client throws: one class per HTTP status the service answers with, each
 * carrying the LRS `code`, the `status`, `title`, `detail`, the field `errors` and the `requestId`;
 * and classes for what happens before an answer (invalid request, network fault, timeout, abort).
 *
 * ```ts
 * try {
 *   await lrs.learners.update({ path: { uln }, payload })
 * } catch (e) {
 *   if (e instanceof LrsConflict && e.code === "WSRC0013") reloadAndRetry()
 *   else if (e instanceof LrsError) show(e.title, e.errors, e.requestId)
 *   else throw e
 * }
 * ```
 *
 * @since 0.1.0
 */
import type { ResponseCode } from "@learner-records/core"

/**
 * Codes of the errors that happen in the client, before or instead of an answer.
 *
 * @since 0.1.0
 * @category models
 */
export type ClientErrorCode = "NETWORK" | "TIMEOUT" | "ABORTED" | "UNEXPECTED_RESPONSE"

/**
 * Every code an {@link LrsError} can carry: the LRS catalogue (WSEC…, WSRC…, SVC…, ACH…; see
 * docs/response-codes.md) and {@link ClientErrorCode}.
 *
 * @since 0.1.0
 * @category models
 */
export type LrsErrorCode = ResponseCode.ResponseCode | ClientErrorCode

/**
 * One field-level problem: the path of the field (e.g. `dateOfBirth`, `learners[3].uln`) and what
 * is wrong with it.
 *
 * @since 0.1.0
 * @category models
 */
export interface LrsFieldError {
  readonly field: string
  readonly message: string
}

/**
 * What an {@link LrsError} is made from.
 *
 * @since 0.1.0
 * @category models
 */
export interface LrsErrorFields {
  readonly code: LrsErrorCode
  /** The HTTP status; 0 when there was no answer (network fault, timeout, abort). */
  readonly status: number
  readonly title: string
  readonly detail: string
  readonly errors?: ReadonlyArray<LrsFieldError> | undefined
  /** The `X-Request-ID` of the call: quote it to the service desk. */
  readonly requestId: string
  /** The operation called, e.g. `learners.findByUln`. */
  readonly operation?: string | undefined
  /** For 429 and 503: the server's `Retry-After`, in seconds, when it sent one. */
  readonly retryAfter?: number | undefined
  readonly cause?: unknown
}

/**
 * The base class of every error the Promise client throws.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsError extends Error {
  override name = "LrsError"
  /** The LRS code, e.g. `WSRC0013`, or a {@link ClientErrorCode}. */
  readonly code: LrsErrorCode
  /** The HTTP status; 0 when there was no answer. */
  readonly status: number
  /** Short, fixed summary of the problem. */
  readonly title: string
  /** What happened in this case. */
  readonly detail: string
  /** Field-level problems; empty when none. */
  readonly errors: ReadonlyArray<LrsFieldError>
  /** The call's `X-Request-ID`. */
  readonly requestId: string
  /** The operation called, e.g. `learners.findByUln` (empty when unknown). */
  readonly operation: string

  constructor(fields: LrsErrorFields) {
    super(fields.detail === "" ? fields.title : fields.detail, fields.cause === undefined ? undefined : { cause: fields.cause })
    this.code = fields.code
    this.status = fields.status
    this.title = fields.title
    this.detail = fields.detail
    this.errors = fields.errors ?? []
    this.requestId = fields.requestId
    this.operation = fields.operation ?? ""
  }
}

/**
 * 400: the request is malformed (WSEC0001) or names an invalid ULN (WSEC0136); `errors` names each
 * field.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsBadRequest extends LrsError {
  override name = "LrsBadRequest"
}

/**
 * 400 found by the client: the request does not match the operation's schema, so it was not sent.
 * Code WSEC0001, with `errors` naming each field, like the server's own answer.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsInvalidRequest extends LrsBadRequest {
  override name = "LrsInvalidRequest"
}

/**
 * 401: not signed in, wrong credentials, locked account, expired or revoked token (WSEC0005).
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsUnauthorized extends LrsError {
  override name = "LrsUnauthorized"
}

/**
 * 403: the caller's role does not allow the operation (WSEC0006).
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsForbidden extends LrsError {
  override name = "LrsForbidden"
}

/**
 * 404: the object does not exist, or belongs to another organisation.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsNotFound extends LrsError {
  override name = "LrsNotFound"
}

/**
 * 409: conflicts with the current state (stale version WSRC0013, duplicate learner WSRC0021, …).
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsConflict extends LrsError {
  override name = "LrsConflict"
}

/**
 * 413: the body or the batch is over its limit (WSEC0046).
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsPayloadTooLarge extends LrsError {
  override name = "LrsPayloadTooLarge"
}

/**
 * 422: well formed but breaks a rule (WSRC0015, WSRC0014, SVC…, ACH…).
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsUnprocessable extends LrsError {
  override name = "LrsUnprocessable"
}

/**
 * 429: too many requests, after the client's own retries; wait `retryAfter` seconds.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsTooManyRequests extends LrsError {
  override name = "LrsTooManyRequests"
  /** Seconds the server asked to wait, when it said. */
  readonly retryAfter: number | undefined
  constructor(fields: LrsErrorFields) {
    super(fields)
    this.retryAfter = fields.retryAfter
  }
}

/**
 * 500: an unexpected error in the service (WSEC0999); quote the `requestId`.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsInternalError extends LrsError {
  override name = "LrsInternalError"
}

/**
 * 503: maintenance (WSEC0004) or the database is unreachable, after the client's own retries.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsServiceUnavailable extends LrsError {
  override name = "LrsServiceUnavailable"
  /** Seconds the server asked to wait, when it said. */
  readonly retryAfter: number | undefined
  constructor(fields: LrsErrorFields) {
    super(fields)
    this.retryAfter = fields.retryAfter
  }
}

/**
 * An answer the operation does not describe (a proxy's HTML error page, an undocumented status,
 * a body that does not match the schema). `status` is the HTTP status received.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsUnexpectedResponse extends LrsError {
  override name = "LrsUnexpectedResponse"
}

/**
 * No answer: the connection could not be made or was lost (code `NETWORK`, status 0), after the
 * client's own retries when the request was safe to repeat.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsNetworkError extends LrsError {
  override name = "LrsNetworkError"
}

/**
 * No complete answer within the timeout (code `TIMEOUT`, status 0). A network error, so
 * `instanceof LrsNetworkError` catches it too.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsTimeoutError extends LrsNetworkError {
  override name = "LrsTimeoutError"
}

/**
 * The call was aborted through its `signal` (code `ABORTED`, status 0). Its `name` is
 * `AbortError`, as with `fetch`; `cause` is the signal's reason.
 *
 * @since 0.1.0
 * @category errors
 */
export class LrsAbortError extends LrsError {
  override name = "AbortError"
}

/**
 * The class for an HTTP status (the base class for a status without its own).
 *
 * @since 0.1.0
 * @category constructors
 */
export const classForStatus = (status: number): new(fields: LrsErrorFields) => LrsError => {
  switch (status) {
    case 400:
      return LrsBadRequest
    case 401:
      return LrsUnauthorized
    case 403:
      return LrsForbidden
    case 404:
      return LrsNotFound
    case 409:
      return LrsConflict
    case 413:
      return LrsPayloadTooLarge
    case 422:
      return LrsUnprocessable
    case 429:
      return LrsTooManyRequests
    case 500:
      return LrsInternalError
    case 503:
      return LrsServiceUnavailable
    default:
      return LrsError
  }
}
