/**
 * The HTTP conventions every operation shares beside its own schemas (CONTRACT §4.8): the request
 * id, the `Idempotency-Key` of POSTs that change something, and the headers that answer them. The
 * server enforces them, the client follows them and the OpenAPI document describes them, all from
 * the rules here.
 *
 * @since 0.1.0
 */

/**
 * A caller's `X-Request-ID` that the server echoes: 1–128 letters, digits, `.`, `_`, `:` or `-`.
 * Any other value (or none) gets a new UUID instead, so the id is always safe to log and quote.
 *
 * @since 0.1.0
 * @category request id
 */
export const requestIdPattern: RegExp = /^[A-Za-z0-9._:-]{1,128}$/

/**
 * An acceptable `Idempotency-Key`: 1–255 visible ASCII characters (a UUID is ideal). Any other
 * value is refused with 400 WSEC0001.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const idempotencyKeyPattern: RegExp = /^[\x21-\x7e]{1,255}$/

/**
 * How long the server keeps the first response to an `Idempotency-Key`; after that the key may
 * be used again.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const idempotencyKeyHours = 24

/**
 * Whether the response to a request with an `Idempotency-Key` is kept and replayed: successes, and
 * client errors other than 401 (the credential may be fixed), 409 (the state may change) and 429
 * (the limit passes). Anything else frees the key for a retry.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const isReplayedStatus = (status: number): boolean =>
  (status >= 200 && status < 300) || (status >= 400 && status < 500 && status !== 401 && status !== 409 && status !== 429)

/**
 * POSTs that only read, by the name of the operation: `find…`, `get…`, `list…`, `search…`,
 * `lookup…`, `verify…`, `validate…`, `check…`, `preview…`, `count…` (such as
 * `learners.findByUln` or `plr.get`). They are safe to send again whatever happened the first
 * time, so they need no idempotency key.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const readOperationName: RegExp = /^(find|get|list|search|lookup|verify|validate|check|preview|count)(?![a-z])/

/**
 * Whether an operation is a POST that changes something (`learners.register`,
 * `achievements.create`, `auth.logout`…): the operations that take an `Idempotency-Key`, so that a
 * retry after a lost answer does not do the work twice. `name` is the endpoint's name without its
 * group.
 *
 * @since 0.1.0
 * @category idempotency
 */
export const takesIdempotencyKey = (method: string, name: string): boolean =>
  method.toUpperCase() === "POST" && !readOperationName.test(name)
