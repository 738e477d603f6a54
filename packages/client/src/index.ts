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
