/**
 * The Promise client, for code that does not use Effect: the same operations under the same names
 * as the Effect client, plain objects in and out, errors thrown as {@link LrsError} classes.
 *
 * ```ts
 * import { createClient, LrsError } from "@learner-records/client"
 *
 * const lrs = createClient({ baseUrl: "https://lrs.example.org", apiKey: process.env.LRS_API_KEY })
 * const found = await lrs.learners.findByDemographics({ givenName: "Ada", familyName: "Lovelace", dateOfBirth: "1990-12-10", gender: 2, postcode: "SW1A 1AA" })
 * await lrs.achievements.withdraw({ path: { id }, payload: { reason: "Awarded in error" } })
 * ```
 *
 * How a method is called depends only on what the operation takes:
 * - nothing: `lrs.session.me()`;
 * - one part — a body, a path or query parameters: that part itself,
 *   `lrs.learners.findByUln({ uln, givenName, familyName })`, `lrs.users.revoke({ id })`,
 *   `lrs.achievements.list({ uln, limit: 50 })`;
 * - several parts: `{ path, urlParams, payload }` as in the Effect client,
 *   `lrs.learners.update({ path: { uln }, payload: { ...details, versionNumber } })`.
 *
 * The last argument is always optional {@link CallOptions} (`signal`, `requestId`,
 * `idempotencyKey`, `timeout`, `retry`).
 *
 * @since 0.1.0
 */
import {
  FetchHttpClient,
  type HttpApiEndpoint,
  type HttpApiGroup,
  type HttpApiSchema,
  type HttpClientError
} from "@effect/platform"
import type { AuthApi } from "@learner-records/api"
import { LearnerRecordsApi } from "@learner-records/api"
import { Cause, Duration, Effect, Exit, Layer, Option, ParseResult } from "effect"
import type { Brand } from "effect/Brand"
import type { Simplify } from "effect/Types"
import { policies } from "./internal/policy.js"
import type { CallContext } from "./internal/transport.js"
import { parseRetryAfter, RequestTimeout } from "./internal/transport.js"
import { uuid } from "./internal/uuid.js"
import { type Credentials, currentCallObserver, type Groups, LearnerRecordsClient } from "./LearnerRecordsClient.js"
import {
  classForStatus,
  LrsAbortError,
  LrsError,
  type LrsErrorCode,
  type LrsFieldError,
  LrsInvalidRequest,
  LrsNetworkError,
  LrsTimeoutError,
  LrsUnexpectedResponse
} from "./LrsError.js"

type Primitive = string | number | boolean | bigint | symbol | null | undefined

/**
 * A schema type as plain data: brands dropped (a `Uln` is a `string`), class instances as plain
 * objects, methods and symbol keys left out, everything read-only.
 *
 * @since 0.1.0
 * @category models
 */
export type Plain<A> = A extends Brand<infer _K> ? Brand.Unbranded<A>
  : A extends Primitive ? A
  : A extends (...args: ReadonlyArray<never>) => unknown ? never
  : A extends ReadonlyArray<unknown> ? { readonly [K in keyof A]: Plain<A[K]> }
  : A extends object ? {
      readonly [K in keyof A as K extends string ? (A[K] extends (...args: ReadonlyArray<never>) => unknown ? never : K) : never]:
        Plain<A[K]>
    }
  : A

/**
 * Retries, in milliseconds (see the Effect client's `RetryOptions`).
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 turns them off). */
  readonly maxRetries?: number | undefined
  /** First backoff step in ms (default 200). */
  readonly baseDelay?: number | undefined
  /** Longest single wait in ms, for a backoff step or a `Retry-After` (default 20,000). */
  readonly maxDelay?: number | undefined
}

/**
 * Options of {@link createClient}.
 *
 * @since 0.1.0
 * @category models
 */
export interface CreateClientOptions {
  /** Where the server is, e.g. `https://lrs.example.org` (paths already start with `/api/v1`). */
  readonly baseUrl: string | URL
  /** An API key (sent as `X-API-Key`). Give this or `token`, not both. */
  readonly apiKey?: string | undefined
  /** A bearer token from a previous sign-in. {@link LrsClient.login} sets one. */
  readonly token?: string | undefined
  /** The `fetch` to use (default: the global one). */
  readonly fetch?: typeof globalThis.fetch | undefined
  /** `false` turns retries off. */
  readonly retry?: RetryOptions | false | undefined
  /** Per attempt, in ms, from sending the request to the last byte of the answer (default 30,000). */
  readonly timeout?: number | undefined
}

/**
 * Options of one call (the last argument of every method).
 *
 * @since 0.1.0
 * @category models
 */
export interface CallOptions {
  /** Abort the call: the promise rejects with {@link LrsAbortError}. */
  readonly signal?: AbortSignal | undefined
  /** The `X-Request-ID` to send (default: a new UUID, the same for all the call's retries). */
  readonly requestId?: string | undefined
  /**
   * The `Idempotency-Key` to send. POSTs that change something get a new UUID per call by default;
   * pass your own to make your own retries safe (one key per logical call).
   */
  readonly idempotencyKey?: string | undefined
  /** This call's timeout per attempt, in ms. */
  readonly timeout?: number | undefined
  /** This call's retries; `false`: none. */
  readonly retry?: RetryOptions | false | undefined
}

/**
 * What a result carries besides its data: the call's request id, as a non-enumerable property
 * (left out of `JSON.stringify` and spreads).
 *
 * @since 0.1.0
 * @category models
 */
export interface ResponseMeta {
  readonly requestId: string
}

/**
 * The value a method resolves with: the operation's success as plain data, with
 * {@link ResponseMeta} when it is an object or an array.
 *
 * @since 0.1.0
 * @category models
 */
export type Result<S> = [S] extends [void] ? void
  : Plain<S> extends object ? Plain<S> & ResponseMeta
  : Plain<S>

type Payload<B> = B extends Brand<HttpApiSchema.MultipartTypeId> | Brand<HttpApiSchema.MultipartStreamTypeId> ? FormData
  : Plain<B>

type Parts<P, U, B, H> =
  & ([P] extends [void] ? {} : { readonly path: Plain<P> })
  // query parameters that are all optional may be left out with their object
  & ([U] extends [never] ? {} : {} extends Plain<U> ? { readonly urlParams?: Plain<U> } : { readonly urlParams: Plain<U> })
  & ([B] extends [never] ? {} : { readonly payload: Payload<B> })
  & ([H] extends [never] ? {} : { readonly headers: Plain<H> })

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never

type MethodFor<Req, S> = [keyof Req] extends [never] ? (options?: CallOptions) => Promise<Result<S>>
  : true extends IsUnion<keyof Req> ? (request: Simplify<Req>, options?: CallOptions) => Promise<Result<S>>
  : {} extends Req[keyof Req] ? (input?: Req[keyof Req], options?: CallOptions) => Promise<Result<S>>
  : (input: Req[keyof Req], options?: CallOptions) => Promise<Result<S>>

/**
 * The Promise method of an endpoint.
 *
 * @since 0.1.0
 * @category models
 */
export type Method<Endpoint> = [Endpoint] extends [
  HttpApiEndpoint.HttpApiEndpoint<
    infer _Name,
    infer _Method,
    infer P,
    infer U,
    infer B,
    infer H,
    infer S,
    infer _E,
    infer _R,
    infer _RE
  >
] ? MethodFor<Parts<P, U, B, H>, S>
  : never

/**
 * The Promise methods of a group.
 *
 * @since 0.1.0
 * @category models
 */
export type Group<G> = [G] extends [HttpApiGroup.HttpApiGroup<infer _Id, infer Endpoints, infer _E, infer _R, infer _T>] ? {
    readonly [E in Endpoints as HttpApiEndpoint.HttpApiEndpoint.Name<E>]: Method<E>
  }
  : never

type TopLevel<G> = [G] extends [HttpApiGroup.HttpApiGroup<infer _Id, infer Endpoints, infer _E, infer _R, infer _T>] ? {
    readonly [E in Endpoints as HttpApiEndpoint.HttpApiEndpoint.Name<E>]: Method<E>
  }
  : never

/**
 * Every operation of the api as a Promise method, by group and name.
 *
 * @since 0.1.0
 * @category models
 */
export type Operations = Simplify<
  & {
    readonly [G in Extract<Groups, { readonly topLevel: false }> as HttpApiGroup.HttpApiGroup.Name<G>]: Group<G>
  }
  & TopLevel<Extract<Groups, { readonly topLevel: true }>>
>

/**
 * Conveniences beside the operations.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionMethods {
  /** Sign in (`auth.login`) and use the token for every later call. */
  readonly login: (username: string, password: string, options?: CallOptions) => Promise<Result<AuthApi.LoginResponse>>
  /** Replace the credentials (`undefined`: none) for every later call. */
  readonly setCredentials: (credentials: Credentials | undefined) => void
  /** The credentials in use. */
  readonly credentials: Credentials | undefined
  /**
   * The request id of the call started last. Prefer the `requestId` of a result or an error, which
   * belongs to its own call whatever else runs at the same time.
   */
  readonly lastRequestId: string | undefined
}

/**
 * The Promise client.
 *
 * @since 0.1.0
 * @category models
 */
export type LrsClient = Operations & SessionMethods

type Observed = { call: CallContext | undefined }

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>(
    (out, key) => typeof key === "number" ? `${out}[${key}]` : out === "" ? String(key) : `${out}.${String(key)}`,
    ""
  )

const isObject = (u: unknown): u is Record<string, unknown> => typeof u === "object" && u !== null

const asProblem = (u: unknown): {
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly errors: ReadonlyArray<LrsFieldError>
  readonly requestId: string | undefined
} | undefined => {
  if (!isObject(u) || typeof u.code !== "string" || typeof u.title !== "string") return undefined
  const errors = Array.isArray(u.errors)
    ? u.errors.flatMap((e): Array<LrsFieldError> =>
      isObject(e) && typeof e.field === "string" && typeof e.message === "string" ? [{ field: e.field, message: e.message }] : []
    )
    : []
  return {
    code: u.code,
    title: u.title,
    detail: typeof u.detail === "string" ? u.detail : "",
    errors,
    requestId: typeof u.requestId === "string" ? u.requestId : undefined
  }
}

const retryAfterSeconds = (call: CallContext | undefined): number | undefined => {
  const value = call?.response?.headers["retry-after"]
  if (value === undefined) return undefined
  const delay = parseRetryAfter(value, Date.now())
  return delay === undefined ? undefined : Math.ceil(Duration.toSeconds(delay))
}

const isHttpClientError = (u: unknown): u is HttpClientError.HttpClientError =>
  isObject(u) && (u._tag === "RequestError" || u._tag === "ResponseError") && "request" in u

/** The `LrsError` for a failure of the Effect client. */
const toLrsError = (
  error: unknown,
  operation: string,
  requestId: string,
  observed: Observed
): Effect.Effect<LrsError> =>
  Effect.gen(function*() {
    const call = observed.call
    const status = call?.response?.status ?? 0
    const retryAfter = retryAfterSeconds(call)
    const base = { operation, requestId, cause: error, retryAfter }
    if (ParseResult.isParseError(error)) {
      const errors = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) => ({
        field: formatPath(issue.path),
        message: issue.message
      }))
      if (call === undefined || call.attempts === 0) {
        return new LrsInvalidRequest({
          ...base,
          code: "WSEC0001",
          status: 400,
          title: "Invalid request",
          detail: `The request does not match the operation's schema, so it was not sent: ${error.message}`,
          errors
        })
      }
      return new LrsUnexpectedResponse({
        ...base,
        code: "UNEXPECTED_RESPONSE",
        status,
        title: "Unexpected response",
        detail: `The answer (HTTP ${status}) does not match the operation's schema: ${error.message}`,
        errors
      })
    }
    if (isHttpClientError(error)) {
      if (error._tag === "RequestError") {
        if (error.cause instanceof RequestTimeout) {
          return new LrsTimeoutError({ ...base, code: "TIMEOUT", status: 0, title: "Timed out", detail: error.message })
        }
        if (error.reason === "Encode") {
          return new LrsInvalidRequest({ ...base, code: "WSEC0001", status: 400, title: "Invalid request", detail: error.message })
        }
        return new LrsNetworkError({ ...base, code: "NETWORK", status: 0, title: "Network error", detail: error.message })
      }
      // an answer the operation does not describe: a problem body still tells what happened
      const responseStatus = error.response.status
      const body = yield* Effect.orElseSucceed(error.response.json, () => undefined)
      const problem = asProblem(body)
      if (problem !== undefined) {
        const Class = classForStatus(responseStatus)
        return new Class({
          ...base,
          code: problem.code as LrsErrorCode,
          status: responseStatus,
          title: problem.title,
          detail: problem.detail,
          errors: problem.errors,
          requestId: problem.requestId ?? requestId
        })
      }
      return new LrsUnexpectedResponse({
        ...base,
        code: "UNEXPECTED_RESPONSE",
        status: responseStatus,
        title: "Unexpected response",
        detail: `HTTP ${responseStatus} is not an answer this operation describes`
      })
    }
    // a problem of the api (BadRequest, Conflict, …) or the platform's HttpApiDecodeError
    if (isObject(error) && error._tag === "HttpApiDecodeError") {
      const issues = Array.isArray(error.issues) ? error.issues : []
      return new LrsError({
        ...base,
        code: "WSEC0001",
        status: 400,
        title: "Invalid request",
        detail: typeof error.message === "string" ? error.message : "The server could not decode the request",
        errors: issues.flatMap((i): Array<LrsFieldError> =>
          isObject(i) && Array.isArray(i.path) && typeof i.message === "string"
            ? [{ field: formatPath(i.path as ReadonlyArray<PropertyKey>), message: i.message }]
            : []
        )
      })
    }
    const problem = asProblem(error)
    if (problem !== undefined) {
      const Class = classForStatus(status)
      return new Class({
        ...base,
        code: problem.code as LrsErrorCode,
        status,
        title: problem.title,
        detail: problem.detail,
        errors: problem.errors,
        requestId: problem.requestId ?? requestId
      })
    }
    return new LrsUnexpectedResponse({
      ...base,
      code: "UNEXPECTED_RESPONSE",
      status,
      title: "Unexpected error",
      detail: String(error)
    })
  })

/** Deep copy without prototypes: schema class instances become plain objects. */
const toPlain = (u: unknown): unknown => {
  if (Array.isArray(u)) return u.map(toPlain)
  if (!isObject(u) || u instanceof Date || ArrayBuffer.isView(u) || u instanceof ArrayBuffer) return u
  const out: Record<string, unknown> = {}
  for (const key of Object.keys(u)) out[key] = toPlain(u[key])
  return out
}

const withRequestId = (value: unknown, requestId: string): unknown => {
  if (isObject(value) && !Object.prototype.hasOwnProperty.call(value, "requestId")) {
    Object.defineProperty(value, "requestId", { value: requestId, enumerable: false })
  }
  return value
}

type AnyMethod = (request: unknown) => Effect.Effect<unknown, unknown>

/**
 * Make a Promise client.
 *
 * ```ts
 * const lrs = createClient({ baseUrl: "http://localhost:8080" })
 * await lrs.login("ada", "a long password")
 * const me = await lrs.session.me()
 * console.log(me.organisationName, me.requestId)
 * ```
 *
 * @since 0.1.0
 * @category constructors
 */
export const createClient = (options: CreateClientOptions): LrsClient => {
  if (options.apiKey !== undefined && options.token !== undefined) {
    throw new TypeError("createClient: give apiKey or token, not both")
  }
  const credentials: Credentials | undefined = options.apiKey !== undefined
    ? { apiKey: options.apiKey }
    : options.token !== undefined
    ? { token: options.token }
    : undefined
  const httpClient = options.fetch === undefined
    ? FetchHttpClient.layer
    : Layer.merge(FetchHttpClient.layer, Layer.succeed(FetchHttpClient.Fetch, options.fetch))
  const service = Effect.runSync(
    LearnerRecordsClient.make({
      baseUrl: options.baseUrl,
      credentials,
      retry: options.retry,
      timeout: options.timeout
    }).pipe(Effect.provide(httpClient))
  )

  let current = credentials
  let lastRequestId: string | undefined

  const run = <A>(
    operation: string,
    effect: Effect.Effect<A, unknown>,
    call: CallOptions | undefined
  ): Promise<unknown> => {
    const requestId = call?.requestId ?? uuid()
    lastRequestId = requestId
    const observed: Observed = { call: undefined }
    const program = effect.pipe(
      LearnerRecordsClient.withRequestOptions({
        requestId,
        idempotencyKey: call?.idempotencyKey,
        timeout: call?.timeout,
        retry: call?.retry
      }),
      Effect.locally(currentCallObserver, (c: CallContext) => {
        observed.call = c
      }),
      Effect.map((value) => withRequestId(toPlain(value), requestId)),
      Effect.catchAll((error) => Effect.flatMap(toLrsError(error, operation, requestId, observed), Effect.fail))
    )
    return Effect.runPromiseExit(program, call?.signal === undefined ? undefined : { signal: call.signal }).then((exit) => {
      if (Exit.isSuccess(exit)) return exit.value
      const failure = Cause.failureOption(exit.cause)
      if (Option.isSome(failure)) throw failure.value
      if (Cause.isInterruptedOnly(exit.cause)) {
        throw new LrsAbortError({
          code: "ABORTED",
          status: 0,
          title: "Aborted",
          detail: "The call was aborted",
          requestId,
          operation,
          cause: call?.signal?.reason
        })
      }
      throw Cause.squash(exit.cause)
    })
  }

  const source = service as unknown as Record<string, AnyMethod | Record<string, AnyMethod>>
  const out: Record<string, unknown> = {}
  for (const policy of policies(LearnerRecordsApi.LearnerRecordsApi)) {
    const holder = policy.topLevel ? source : source[policy.group]
    const method = typeof holder === "object" ? holder[policy.name] : undefined
    if (typeof method !== "function") continue
    const [single] = policy.parts
    const promiseMethod = (...args: ReadonlyArray<unknown>): Promise<unknown> => {
      const [input, call] = policy.parts.length === 0 ? [undefined, args[0]] : [args[0], args[1]]
      const request = policy.parts.length === 0
        ? {}
        : policy.parts.length === 1 && single !== undefined
        ? { [single]: input ?? {} }
        : policy.parts.includes("urlParams") && isObject(input) && input["urlParams"] === undefined
        ? { ...input, urlParams: {} }
        : input
      return run(policy.operation, Effect.suspend(() => method(request)), call as CallOptions | undefined)
    }
    if (policy.topLevel) {
      out[policy.name] = promiseMethod
    } else {
      const group = out[policy.group]
      if (isObject(group)) group[policy.name] = promiseMethod
      else out[policy.group] = { [policy.name]: promiseMethod }
    }
  }

  const session: SessionMethods = {
    login: (username, password, call) =>
      run("auth.login", service.login(username, password), call).then((result) => {
        current = { token: (result as AuthApi.LoginResponse).token }
        return result as Result<AuthApi.LoginResponse>
      }),
    setCredentials: (next) => {
      current = next
      Effect.runSync(service.setCredentials(next))
    },
    get credentials() {
      return current
    },
    get lastRequestId() {
      return lastRequestId
    }
  }
  Object.defineProperties(out, Object.getOwnPropertyDescriptors(session))
  return out as unknown as LrsClient
}
