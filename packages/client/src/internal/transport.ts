/**
 * The transport under the derived client: request id, credentials and idempotency key headers,
 * per-attempt timeouts, and retries with exponential backoff and jitter that honour
 * `Retry-After`. It is an `HttpClient` transformation, so it sees every raw response before the
 * client decodes it.
 */
import { HttpClient, HttpClientError, HttpClientRequest, HttpClientResponse } from "@effect/platform"
import { Clock, Data, Duration, Effect, Either, FiberRef, Random, Ref } from "effect"
import { uuid } from "./uuid.js"

/**
 * How to authenticate: a bearer token (from `auth.login`) or an API key.
 */
export type Credentials =
  | { readonly token: string; readonly apiKey?: undefined }
  | { readonly apiKey: string; readonly token?: undefined }

export interface RetrySettings {
  readonly maxRetries: number
  readonly baseDelay: Duration.Duration
  readonly maxDelay: Duration.Duration
}

export interface Settings {
  readonly retry: RetrySettings | false
  readonly timeout: Duration.Duration
}

/** What one logical call carries across its attempts. Mutable fields are written by the transport. */
export interface CallContext {
  readonly operation: string
  readonly repeatable: boolean
  readonly requestId: string
  readonly idempotencyKey: string | undefined
  readonly retry: RetrySettings | false | undefined
  readonly timeout: Duration.Duration | undefined
  attempts: number
  response: { readonly status: number; readonly headers: Readonly<Record<string, string>> } | undefined
}

/** The call being made by the current fiber, set by the client's method wrappers. */
export const currentCall: FiberRef.FiberRef<CallContext | undefined> = FiberRef.unsafeMake<CallContext | undefined>(undefined)

/**
 * The cause of a `RequestError` when an attempt took longer than the timeout.
 */
export class RequestTimeout extends Data.TaggedError("RequestTimeout")<{ readonly timeout: Duration.Duration }> {
  override get message(): string {
    return `no response within ${Duration.format(this.timeout)}`
  }
}

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])

const NULL_BODY_STATUSES = new Set([101, 204, 205, 304])

const hasCredentials = (request: HttpClientRequest.HttpClientRequest): boolean =>
  request.headers["authorization"] !== undefined || request.headers["x-api-key"] !== undefined

/**
 * A request may be repeated when it is idempotent by method, a read, or a POST whose
 * `Idempotency-Key` the server will honour (keys are scoped to the credential, so one is needed).
 */
export const isRepeatable = (request: HttpClientRequest.HttpClientRequest, call: CallContext | undefined): boolean =>
  (call !== undefined ? call.repeatable : IDEMPOTENT_METHODS.has(request.method)) ||
  (request.headers["idempotency-key"] !== undefined && hasCredentials(request))

/**
 * `Retry-After` as a delay: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 */
export const parseRetryAfter = (value: string | undefined, now: number): Duration.Duration | undefined => {
  if (value === undefined) return undefined
  const text = value.trim()
  if (/^\d+$/.test(text)) return Duration.seconds(Number(text))
  // every HTTP date format starts with the day's name ("Sun, 06 Nov 1994 08:49:37 GMT")
  if (!/^[A-Za-z]{3}/.test(text)) return undefined
  const at = Date.parse(text)
  return Number.isNaN(at) ? undefined : Duration.millis(Math.max(0, at - now))
}

/** Exponential backoff with "equal jitter": half the step, plus a random part of the other half. */
const backoff = (settings: RetrySettings, retry: number) =>
  Effect.map(Random.next, (r) => {
    const step = Math.min(Duration.toMillis(settings.maxDelay), Duration.toMillis(settings.baseDelay) * 2 ** (retry - 1))
    return Duration.millis(step / 2 + r * (step / 2))
  })

const addHeaders = (credentials: Ref.Ref<Credentials | undefined>) =>
(request: HttpClientRequest.HttpClientRequest) =>
  Effect.gen(function*() {
    const call = yield* FiberRef.get(currentCall)
    const creds = yield* Ref.get(credentials)
    const headers: Record<string, string> = {}
    if (request.headers["x-request-id"] === undefined) headers["x-request-id"] = call?.requestId ?? uuid()
    if (!hasCredentials(request) && creds !== undefined) {
      if (creds.token !== undefined) headers["authorization"] = `Bearer ${creds.token}`
      else headers["x-api-key"] = creds.apiKey
    }
    if (call?.idempotencyKey !== undefined && request.headers["idempotency-key"] === undefined) {
      headers["idempotency-key"] = call.idempotencyKey
    }
    return Object.keys(headers).length === 0 ? request : HttpClientRequest.setHeaders(request, headers)
  })

/**
 * Read the whole body inside the attempt, so the timeout covers it and a connection dropped
 * mid-body counts as a network fault (and may be retried), then hand the client a response it can
 * read again.
 */
const buffered = (request: HttpClientRequest.HttpClientRequest, response: HttpClientResponse.HttpClientResponse) =>
  Effect.map(
    Effect.mapError(response.arrayBuffer, (cause) =>
      new HttpClientError.RequestError({
        request,
        reason: "Transport",
        cause,
        description: "the connection failed while reading the response"
      })),
    (body) => {
      try {
        return HttpClientResponse.fromWeb(
          request,
          new Response(NULL_BODY_STATUSES.has(response.status) ? null : body, {
            status: response.status,
            headers: Object.entries(response.headers)
          })
        )
      } catch {
        return response
      }
    }
  )

/** The delay before retrying after a response, or `undefined` to return it as it is. */
const delayAfter = (
  response: HttpClientResponse.HttpClientResponse,
  request: HttpClientRequest.HttpClientRequest,
  repeatable: boolean,
  settings: RetrySettings,
  retry: number
) =>
  Effect.gen(function*() {
    const status = response.status
    const retryAfter = parseRetryAfter(response.headers["retry-after"], yield* Clock.currentTimeMillis)
    const retryable =
      // a rate-limited request was refused before any work was done: always safe to send again
      status === 429 ||
      (status === 503 && repeatable) ||
      // the first request with this idempotency key is still being processed (SVC003)
      (status === 409 && retryAfter !== undefined && request.headers["idempotency-key"] !== undefined)
    if (!retryable) return undefined
    if (retryAfter !== undefined) {
      // honour it, never sooner; give up when the server asks for longer than we are willing to wait
      return Duration.greaterThan(retryAfter, settings.maxDelay) ? undefined : retryAfter
    }
    return yield* backoff(settings, retry)
  })

/**
 * The transformation given to `HttpApiClient.make({ transformClient })`.
 */
export const transport = (settings: Settings, credentials: Ref.Ref<Credentials | undefined>) =>
(client: HttpClient.HttpClient): HttpClient.HttpClient =>
  client.pipe(
    HttpClient.mapRequestEffect(addHeaders(credentials)),
    HttpClient.transform((send, request) =>
      Effect.gen(function*() {
        const call = yield* FiberRef.get(currentCall)
        const retry = call?.retry ?? settings.retry
        const timeout = call?.timeout ?? settings.timeout
        const repeatable = isRepeatable(request, call)
        const attempt = send.pipe(
          Effect.flatMap((response) => buffered(request, response)),
          Effect.timeoutFail({
            duration: timeout,
            onTimeout: () =>
              new HttpClientError.RequestError({
                request,
                reason: "Transport",
                cause: new RequestTimeout({ timeout }),
                description: `no response within ${Duration.format(timeout)}`
              })
          })
        )
        let retries = 0
        while (true) {
          if (call !== undefined) call.attempts++
          const result = yield* Effect.either(attempt)
          if (Either.isRight(result)) {
            const response = result.right
            if (call !== undefined) call.response = { status: response.status, headers: response.headers }
            const delay = retry === false || retries >= retry.maxRetries
              ? undefined
              : yield* delayAfter(response, request, repeatable, retry, retries + 1)
            if (delay === undefined) return response
            retries++
            yield* Effect.sleep(delay)
            continue
          }
          const error = result.left
          const transient = error._tag === "RequestError" && error.reason === "Transport"
          if (!transient || !repeatable || retry === false || retries >= retry.maxRetries) return yield* Effect.fail(error)
          retries++
          yield* Effect.sleep(yield* backoff(retry, retries))
        }
      })
    )
  )
