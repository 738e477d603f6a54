/**
 * The Effect client: every operation of `LearnerRecordsApi`, derived with `HttpApiClient`, so it
 * can never drift from the server. On top of the derived client it adds what a good API client
 * does: a request id on every call, credentials, an `Idempotency-Key` on POSTs that change
 * something, per-attempt timeouts, and retries with backoff that honour `Retry-After`.
 *
 * The rules, all derived from each endpoint's method and name (nothing is listed by hand):
 * - `X-Request-ID`: a new UUID per call, the same on every retry of that call.
 * - `Idempotency-Key`: every POST that is not a read gets a new UUID per call, sent again on every
 *   retry, so a retried create (register, users.create, achievements.create, …) or action
 *   (withdraw, reinstate, resolve, revoke, …) is done once and its first answer replayed.
 *   Reads (`find…`, `get…`, `list…`, `search…`, `lookup…`, `verify…`, `validate…`, `check…`,
 *   `preview…`, `count…`) get none: they are safe to repeat and the server need not store them.
 * - Retries: see {@link RetryOptions}.
 *
 * @since 0.1.0
 */
import { FetchHttpClient, type HttpApi, HttpApiClient, type HttpClient } from "@effect/platform"
import { type AuthApi, LearnerRecordsApi } from "@learner-records/api"
import { type Config, type ConfigError, Context, Duration, Effect, FiberRef, Layer, Ref } from "effect"
import { type EndpointPolicy, policies } from "./internal/policy.js"
import {
  type CallContext,
  type Credentials as Credentials_,
  currentCall,
  RequestTimeout as RequestTimeout_,
  type RetrySettings,
  transport
} from "./internal/transport.js"
import { uuid } from "./internal/uuid.js"

/**
 * How to authenticate: a bearer token (from `auth.login`, or the client's own `login`, which
 * keeps it) or an API key (`X-API-Key`). Leave it out to call only the operations that need no
 * credentials (service status, login).
 *
 * @since 0.1.0
 * @category models
 */
export type Credentials = Credentials_

/**
 * The cause of a `RequestError` (reason `Transport`) when an attempt got no complete response in
 * time. Test for it with {@link isTimeout}.
 *
 * @since 0.1.0
 * @category errors
 */
export const RequestTimeout = RequestTimeout_

/**
 * @since 0.1.0
 * @category errors
 */
export type RequestTimeout = RequestTimeout_

/**
 * `true` when `error` is an `HttpClientError` caused by a timeout.
 *
 * @since 0.1.0
 * @category errors
 */
export const isTimeout = (error: unknown): boolean =>
  typeof error === "object" && error !== null && "cause" in error && error.cause instanceof RequestTimeout_

/**
 * Retries: how many, and the backoff. A number is milliseconds. The wait before retry n is a
 * step of `baseDelay × 2^(n-1)`, capped at `maxDelay`, of which half is fixed and half random
 * (jitter). A `Retry-After` from the server replaces the backoff (never retried sooner); when it
 * asks for longer than `maxDelay` the client gives up at once and fails with the 429/503.
 *
 * What is retried: 429 always (the server refused before doing any work); 503, network faults and
 * timeouts only when the request is safe to repeat — GET, PUT, DELETE, POSTs that only read
 * (named `find…`, `get…`, `list…`, `search…`, `lookup…`, `verify…`, `validate…`, `check…`,
 * `preview…`, `count…`), and POSTs sent with an `Idempotency-Key` and credentials (the server
 * scopes keys to the credential); and a 409 with `Retry-After` to a POST with an idempotency key
 * (the first request with that key is still being processed).
 *
 * @since 0.1.0
 * @category models
 */
export interface RetryOptions {
  /** Retries after the first attempt (default 3; 0 turns retries off). */
  readonly maxRetries?: number | undefined
  /** First backoff step (default 200 ms). */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** Longest single wait, for a backoff step or a `Retry-After` (default 20 seconds). */
  readonly maxDelay?: Duration.DurationInput | undefined
}

/**
 * What the client needs.
 *
 * @since 0.1.0
 * @category models
 */
export interface ClientConfig {
  /**
   * Where the server is, e.g. `https://lrs.example.org` (the operations' paths already start with
   * `/api/v1`). A path is kept, for a server behind a reverse proxy under a prefix.
   */
  readonly baseUrl: string | URL
  readonly credentials?: Credentials | undefined
  /** `false` turns retries off. */
  readonly retry?: RetryOptions | false | undefined
  /** Per attempt, from sending the request to the last byte of the response (default 30 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
}

/**
 * Options for the calls made inside an effect, set with {@link LearnerRecordsClient.withRequestOptions}.
 *
 * @since 0.1.0
 * @category models
 */
export interface RequestOptions {
  /** The `X-Request-ID` to send (default: a new UUID per call, the same for all its retries). */
  readonly requestId?: string | undefined
  /**
   * The `Idempotency-Key` to send. POSTs that change something get a new UUID per call by
   * default; set your own to make retries of your own (across restarts, say) safe. Give each
   * logical call its own key: the server refuses a key reused for a different request (422 SVC002).
   */
  readonly idempotencyKey?: string | undefined
  readonly retry?: RetryOptions | false | undefined
  readonly timeout?: Duration.DurationInput | undefined
}

type Api = typeof LearnerRecordsApi.LearnerRecordsApi

/**
 * The groups of `LearnerRecordsApi`.
 *
 * @since 0.1.0
 * @category models
 */
export type Groups = Api extends HttpApi.HttpApi<infer _Id, infer G, infer _E, infer _R> ? G : never

/**
 * The errors every operation may fail with, whatever its group.
 *
 * @since 0.1.0
 * @category models
 */
export type ApiError = Api extends HttpApi.HttpApi<infer _Id, infer _G, infer E, infer _R> ? E : never

/**
 * Every operation, by group and name: `client.learners.findByUln({ payload })`, exactly as
 * `HttpApiClient` derives them from the api.
 *
 * @since 0.1.0
 * @category models
 */
export type Operations = HttpApiClient.Client<Groups, ApiError, never>

type LoginEffect = ReturnType<Operations["auth"]["login"]>

/**
 * Conveniences beside the operations.
 *
 * @since 0.1.0
 * @category models
 */
export interface SessionMethods {
  /** Sign in (`auth.login`) and use the token for every later call. */
  readonly login: (
    username: string,
    password: string
  ) => Effect.Effect<AuthApi.LoginResponse, Effect.Effect.Error<LoginEffect>>
  /** Replace the credentials (`undefined`: none) for every later call. */
  readonly setCredentials: (credentials: Credentials | undefined) => Effect.Effect<void>
  /** The credentials in use. */
  readonly credentials: Effect.Effect<Credentials | undefined>
}

/**
 * Names used by {@link SessionMethods}; no group of the api may take one of them.
 *
 * @since 0.1.0
 * @category models
 */
export type ReservedName = keyof SessionMethods

/**
 * The client: every operation plus {@link SessionMethods}.
 *
 * @since 0.1.0
 * @category models
 */
export type Service = Operations & SessionMethods

const DEFAULT_TIMEOUT = Duration.seconds(30)

const retrySettings = (options: RetryOptions | false | undefined): RetrySettings | false =>
  options === false
    ? false
    : {
      maxRetries: Math.max(0, Math.floor(options?.maxRetries ?? 3)),
      baseDelay: Duration.decode(options?.baseDelay ?? 200),
      maxDelay: Duration.decode(options?.maxDelay ?? Duration.seconds(20))
    }

const currentRequestOptions: FiberRef.FiberRef<RequestOptions> = FiberRef.unsafeMake<RequestOptions>({})

/**
 * Sees each call's context as it starts (used by the Promise facade to report request ids,
 * statuses and `Retry-After`).
 *
 * @internal
 */
export const currentCallObserver: FiberRef.FiberRef<((call: CallContext) => void) | undefined> = FiberRef.unsafeMake<
  ((call: CallContext) => void) | undefined
>(undefined)

const withCall = (policy: EndpointPolicy) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.flatMap(
    Effect.zip(FiberRef.get(currentRequestOptions), FiberRef.get(currentCallObserver)),
    ([options, observe]) => {
      const call: CallContext = {
        operation: policy.operation,
        repeatable: policy.repeatable,
        requestId: options.requestId ?? uuid(),
        idempotencyKey: options.idempotencyKey ?? (policy.idempotencyKey ? uuid() : undefined),
        retry: options.retry === undefined ? undefined : retrySettings(options.retry),
        timeout: options.timeout === undefined ? undefined : Duration.decode(options.timeout),
        attempts: 0,
        response: undefined
      }
      observe?.(call)
      return Effect.locally(effect, currentCall, call)
    }
  )

type AnyMethod = (request: unknown) => Effect.Effect<unknown, unknown>

const wrapOperations = (operations: Operations): Operations => {
  const source = operations as unknown as Record<string, AnyMethod | Record<string, AnyMethod>>
  const out: Record<string, AnyMethod | Record<string, AnyMethod>> = {}
  for (const policy of policies(LearnerRecordsApi.LearnerRecordsApi)) {
    const holder = policy.topLevel ? source : source[policy.group]
    const method = typeof holder === "object" ? holder[policy.name] : undefined
    if (typeof method !== "function") continue
    const wrapped: AnyMethod = (request) => withCall(policy)(method(request))
    if (policy.topLevel) {
      out[policy.name] = wrapped
    } else {
      const group = out[policy.group]
      if (typeof group === "object") group[policy.name] = wrapped
      else out[policy.group] = { [policy.name]: wrapped }
    }
  }
  return out as unknown as Operations
}

const make = (config: ClientConfig): Effect.Effect<Service, never, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const credentials = yield* Ref.make<Credentials | undefined>(config.credentials)
    const settings = {
      retry: retrySettings(config.retry),
      timeout: config.timeout === undefined ? DEFAULT_TIMEOUT : Duration.decode(config.timeout)
    }
    const derived = yield* HttpApiClient.make(LearnerRecordsApi.LearnerRecordsApi, {
      baseUrl: config.baseUrl,
      transformClient: transport(settings, credentials)
    })
    const operations = wrapOperations(derived)
    const session: SessionMethods = {
      login: (username, password) =>
        operations.auth.login({ payload: { username, password } }).pipe(
          Effect.tap((response) => Ref.set(credentials, { token: response.token }))
        ),
      setCredentials: (next) => Ref.set(credentials, next),
      credentials: Ref.get(credentials)
    }
    return { ...operations, ...session }
  })

const layer = (config: ClientConfig): Layer.Layer<LearnerRecordsClient, never, HttpClient.HttpClient> =>
  Layer.effect(LearnerRecordsClient, make(config))

const layerConfig = (
  config: Config.Config<ClientConfig>
): Layer.Layer<LearnerRecordsClient, ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(LearnerRecordsClient, Effect.flatMap(config, make))

const layerFetch = (config: ClientConfig): Layer.Layer<LearnerRecordsClient> =>
  layer(config).pipe(Layer.provide(FetchHttpClient.layer))

const withRequestOptions = (options: RequestOptions) => <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, currentRequestOptions, (current) => ({ ...current, ...options }))

/**
 * The client as an Effect service.
 *
 * ```ts
 * import { LearnerRecordsClient } from "@learner-records/client"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const lrs = yield* LearnerRecordsClient
 *   const found = yield* lrs.learners.findByUln({ payload: { uln, givenName: "Ada", familyName: "Lovelace" } })
 * })
 * program.pipe(Effect.provide(LearnerRecordsClient.layerFetch({ baseUrl, credentials: { apiKey } })))
 * ```
 *
 * @since 0.1.0
 * @category services
 */
export class LearnerRecordsClient extends Context.Tag("@learner-records/client/LearnerRecordsClient")<
  LearnerRecordsClient,
  Service
>() {
  /**
   * Build a client over the `HttpClient` in context.
   *
   * @since 0.1.0
   */
  static readonly make: (config: ClientConfig) => Effect.Effect<Service, never, HttpClient.HttpClient> = make

  /**
   * The client as a layer over the `HttpClient` in context (provide `FetchHttpClient.layer`, or
   * `NodeHttpClient.layerUndici`, or your own).
   *
   * @since 0.1.0
   */
  static readonly layer: (config: ClientConfig) => Layer.Layer<LearnerRecordsClient, never, HttpClient.HttpClient> =
    layer

  /**
   * The client from an Effect `Config` (environment variables, say).
   *
   * @since 0.1.0
   */
  static readonly layerConfig: (
    config: Config.Config<ClientConfig>
  ) => Layer.Layer<LearnerRecordsClient, ConfigError.ConfigError, HttpClient.HttpClient> = layerConfig

  /**
   * The client over `fetch`: browsers, Node ≥ 20, Deno, Bun, workers. For Node's own HTTP stack
   * use `layerNode` from `@learner-records/client/node`.
   *
   * @since 0.1.0
   */
  static readonly layerFetch: (config: ClientConfig) => Layer.Layer<LearnerRecordsClient> = layerFetch

  /**
   * Set the request id, idempotency key, retries or timeout of the calls made inside an effect.
   *
   * ```ts
   * lrs.achievements.create({ payload }).pipe(
   *   LearnerRecordsClient.withRequestOptions({ idempotencyKey: row.id, timeout: "10 seconds" })
   * )
   * ```
   *
   * @since 0.1.0
   */
  static readonly withRequestOptions: (
    options: RequestOptions
  ) => <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R> = withRequestOptions
}
