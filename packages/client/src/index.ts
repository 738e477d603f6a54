/**
 * `@learner-records/client`: typed access to every operation of the Learning Records Service,
 * as an Effect service ({@link LearnerRecordsClient}) and as a Promise client
 * ({@link createClient}). This entry runs anywhere `fetch` does; `@learner-records/client/node`
 * adds a layer over Node's own HTTP stack.
 *
 * @since 0.1.0
 */

export {
  /** @since 0.1.0 */
  type ApiError,
  /** @since 0.1.0 */
  type ClientConfig,
  /** @since 0.1.0 */
  type Credentials,
  /** @since 0.1.0 */
  type Groups,
  /** @since 0.1.0 */
  isTimeout,
  /** @since 0.1.0 */
  LearnerRecordsClient,
  /** @since 0.1.0 */
  type Operations,
  /** @since 0.1.0 */
  type RequestOptions,
  /** @since 0.1.0 */
  RequestTimeout,
  /** @since 0.1.0 */
  type ReservedName,
  /** @since 0.1.0 */
  type RetryOptions,
  /** @since 0.1.0 */
  type Service,
  /** @since 0.1.0 */
  type SessionMethods
} from "./LearnerRecordsClient.js"

export {
  /** @since 0.1.0 */
  classForStatus,
  /** @since 0.1.0 */
  type ClientErrorCode,
  /** @since 0.1.0 */
  LrsAbortError,
  /** @since 0.1.0 */
  LrsBadRequest,
  /** @since 0.1.0 */
  LrsConflict,
  /** @since 0.1.0 */
  LrsError,
  /** @since 0.1.0 */
  type LrsErrorCode,
  /** @since 0.1.0 */
  type LrsErrorFields,
  /** @since 0.1.0 */
  type LrsFieldError,
  /** @since 0.1.0 */
  LrsForbidden,
  /** @since 0.1.0 */
  LrsInternalError,
  /** @since 0.1.0 */
  LrsInvalidRequest,
  /** @since 0.1.0 */
  LrsNetworkError,
  /** @since 0.1.0 */
  LrsNotFound,
  /** @since 0.1.0 */
  LrsPayloadTooLarge,
  /** @since 0.1.0 */
  LrsServiceUnavailable,
  /** @since 0.1.0 */
  LrsTimeoutError,
  /** @since 0.1.0 */
  LrsTooManyRequests,
  /** @since 0.1.0 */
  LrsUnauthorized,
  /** @since 0.1.0 */
  LrsUnexpectedResponse,
  /** @since 0.1.0 */
  LrsUnprocessable
} from "./LrsError.js"

export {
  /** @since 0.1.0 */
  type CallOptions,
  /** @since 0.1.0 */
  createClient,
  /** @since 0.1.0 */
  type CreateClientOptions,
  /** @since 0.1.0 */
  type Group as PromiseGroup,
  /** @since 0.1.0 */
  type LrsClient,
  /** @since 0.1.0 */
  type Method as PromiseMethod,
  /** @since 0.1.0 */
  type Operations as PromiseOperations,
  /** @since 0.1.0 */
  type Plain,
  /** @since 0.1.0 */
  type ResponseMeta,
  /** @since 0.1.0 */
  type Result,
  /** @since 0.1.0 */
  type RetryOptions as PromiseRetryOptions,
  /** @since 0.1.0 */
  type SessionMethods as PromiseSessionMethods
} from "./PromiseClient.js"
