/**
 * Turns every failure of the api into an `application/problem+json` problem with the request id:
 * request decoding errors become 400 WSEC0001 with one entry per field, unknown routes 404,
 * text the database cannot store (U+0000) 400 WSEC0001 naming where it was, other defects 500
 * WSEC0999 — logged with their cause, never shown to the client.
 *
 * @since 0.1.0
 */
import { HttpApiError, HttpMiddleware, HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { SqlError } from "@effect/sql/SqlError"
import { Problem } from "@learner-records/api"
import { Fields } from "@learner-records/core"
import { Cause, Effect, FiberRef, Option, Schema } from "effect"
import { currentRequestId } from "./RequestId.js"

type AnyProblem = Problem.Problem

const constructors = {
  BadRequest: Problem.BadRequest,
  Unauthorized: Problem.Unauthorized,
  Forbidden: Problem.Forbidden,
  NotFound: Problem.NotFound,
  Conflict: Problem.Conflict,
  PayloadTooLarge: Problem.PayloadTooLarge,
  Unprocessable: Problem.Unprocessable,
  TooManyRequests: Problem.TooManyRequests,
  ServiceUnavailable: Problem.ServiceUnavailable,
  InternalError: Problem.InternalError
} as const

const isProblem = (u: unknown): u is AnyProblem =>
  typeof u === "object" && u !== null && "_tag" in u && typeof u._tag === "string" && u._tag in constructors

/**
 * Builds a problem of the given kind with the current request id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const make = <K extends keyof typeof constructors>(
  kind: K,
  fields: { readonly code: string; readonly title: string; readonly detail: string; readonly errors?: ReadonlyArray<Problem.FieldError> }
): Effect.Effect<InstanceType<(typeof constructors)[K]>> =>
  Effect.map(FiberRef.get(currentRequestId), (requestId) => {
    const Ctor = constructors[kind] as unknown as new(args: Problem.ProblemShape) => InstanceType<(typeof constructors)[K]>
    return new Ctor({ code: fields.code, title: fields.title, detail: fields.detail, errors: fields.errors ?? [], requestId })
  })

const status: Record<AnyProblem["_tag"], number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  Conflict: 409,
  PayloadTooLarge: 413,
  Unprocessable: 422,
  TooManyRequests: 429,
  ServiceUnavailable: 503,
  InternalError: 500
}

const encodeProblem = Schema.encodeSync(Schema.Union(...Object.values(constructors)))

/**
 * The HTTP response of a problem: its status, `application/problem+json`, and `Retry-After` for 429/503.
 *
 * @since 0.1.0
 * @category mapping
 */
export const toResponse = (problem: AnyProblem, retryAfterSeconds?: number): HttpServerResponse.HttpServerResponse => {
  const response = HttpServerResponse.unsafeJson(encodeProblem(problem), {
    status: status[problem._tag],
    contentType: "application/problem+json"
  })
  return retryAfterSeconds !== undefined ? HttpServerResponse.setHeader(response, "retry-after", String(retryAfterSeconds)) : response
}

const withRequestId = (problem: AnyProblem, requestId: string): AnyProblem => {
  if (problem.requestId === requestId) return problem
  const Ctor = constructors[problem._tag] as unknown as new(args: Problem.ProblemShape) => AnyProblem
  return new Ctor({ code: problem.code, title: problem.title, detail: problem.detail, errors: problem.errors, requestId })
}

const fieldPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`, "")

const isInvalidUln = (error: HttpApiError.HttpApiDecodeError): boolean =>
  error.issues.length > 0 && error.issues.every((issue) => issue.path.at(-1) === "uln" && issue._tag !== "Missing" && issue._tag !== "Unexpected")

/**
 * A 400 problem from a request that did not decode (WSEC0136 when the only fault is an invalid ULN): one field error per issue.
 *
 * @since 0.1.0
 * @category mapping
 */
export const fromDecodeError = (error: HttpApiError.HttpApiDecodeError, requestId: string): Problem.BadRequest => {
  const errors = fieldErrors(error.issues)
  return new Problem.BadRequest({
    // a ULN that is there but not valid has its own LRS code
    ...(isInvalidUln(error) ? { code: "WSEC0136", title: "Invalid ULN" } : { code: "WSEC0001", title: "Invalid request" }),
    detail: errors.length === 1
      ? `${errors[0]!.field}: ${errors[0]!.message}`
      : `The request has ${errors.length} invalid fields; see errors.`,
    errors,
    requestId
  })
}

// A union (an optional field, a literal list) reports one issue per member it tried: keep one
// entry per field, drop the "Expected undefined" of the optional's absent member, and join the
// literal alternatives into one message.
const fieldErrors = (issues: HttpApiError.HttpApiDecodeError["issues"]): Array<Problem.FieldError> => {
  const byField = new Map<string, Array<string>>()
  for (const issue of issues) {
    const field = fieldPath(issue.path) || "body"
    const messages = byField.get(field) ?? []
    if (!messages.includes(issue.message)) messages.push(issue.message)
    byField.set(field, messages)
  }
  return [...byField].map(([field, all]) => {
    const useful = all.length > 1 ? all.filter((m) => !/^Expected undefined\b/.test(m)) : all
    const literals = useful.map((m) => /^Expected (.+?), actual (.+)$/.exec(m))
    const message = useful.length > 1 && literals.every((m) => m !== null && m[2] === literals[0]![2])
      ? `Expected one of ${literals.map((m) => m![1]).join(", ")}, actual ${literals[0]![2]}`
      : useful.join("; ")
    return new Problem.FieldError({ field, message })
  })
}

// PostgreSQL (and PGlite) store no U+0000 in any text value: a parameter holding one fails with
// SQLSTATE 22021 ("invalid byte sequence for encoding UTF8: 0x00"), and a jsonb document holding
// "\u0000" with 22P05 ("unsupported Unicode escape sequence"); either way the transaction rolls
// back. Text fields refuse it when decoded (core's `Fields.StorableText`); this answers one that
// reaches the database anyway, through a field without that rule, as the client's error rather
// than a 500, at no cost to other requests, and logs it so that the field can be given the rule.
const UNSTORABLE_TEXT: ReadonlySet<unknown> = new Set(["22021", "22P05"])

const isUnstorableText = (defect: unknown): boolean =>
  defect instanceof SqlError && typeof defect.cause === "object" && defect.cause !== null &&
  "code" in defect.cause && UNSTORABLE_TEXT.has(defect.cause.code)

const NUL = "\u0000"

const safeDecode = (part: string): string => {
  try {
    return decodeURIComponent(part)
  } catch {
    return part
  }
}

/** Where the request holds U+0000: JSON fields by their path, else the path, a query parameter or the body. */
const nulFields = (request: HttpServerRequest.HttpServerRequest, body: string): Array<Problem.FieldError> => {
  const found: Array<Problem.FieldError> = []
  const message = Fields.nulMessage
  const [path = "", query = ""] = request.url.split("?", 2)
  if (path.split("/").some((segment) => safeDecode(segment).includes(NUL))) found.push(new Problem.FieldError({ field: "path", message }))
  for (const [name, value] of new URLSearchParams(query)) {
    if (name.includes(NUL) || value.includes(NUL)) found.push(new Problem.FieldError({ field: name.replaceAll(NUL, ""), message }))
  }
  const walk = (value: unknown, at: ReadonlyArray<PropertyKey>): void => {
    if (typeof value === "string") {
      if (value.includes(NUL)) found.push(new Problem.FieldError({ field: fieldPath(at) || "body", message }))
    } else if (Array.isArray(value)) {
      value.forEach((item, i) => walk(item, [...at, i]))
    } else if (typeof value === "object" && value !== null) {
      for (const [key, item] of Object.entries(value)) walk(item, [...at, key.replaceAll(NUL, "")])
    }
  }
  try {
    walk(JSON.parse(body), [])
  } catch {
    if (body.includes(NUL)) found.push(new Problem.FieldError({ field: "body", message }))
  }
  return found.length > 0 ? found : [new Problem.FieldError({ field: "body", message })]
}

const unstorableText = (requestId: string) =>
  Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    // the body was read (and kept) when the request was decoded
    const body = yield* Effect.orElseSucceed(request.text, () => "")
    const errors = nulFields(request, body)
    yield* Effect.logWarning("U+0000 reached the database: give these fields Fields.StorableText").pipe(
      Effect.annotateLogs({ requestId, fields: errors.map((e) => e.field).join(", ") })
    )
    return toResponse(new Problem.BadRequest({
      code: "WSEC0001",
      title: "Invalid request",
      detail: `${errors.map((e) => e.field).join(", ")}: ${Fields.nulMessage}, which no record can store.`,
      errors,
      requestId
    }))
  })

/**
 * The middleware that maps every failure to a problem (see the module comment); applied as part of
 * the api-level middleware, so it also covers the routes beside the api.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = HttpMiddleware.make((app) =>
  app.pipe(
    Effect.catchAllCause((cause) =>
      Effect.gen(function*() {
        const requestId = yield* FiberRef.get(currentRequestId)
        // the platform dies (rather than fails) when the body cannot be read or parsed
        const failure = Option.orElse(
          Cause.failureOption(cause),
          () => Option.filter(Cause.dieOption(cause), (d) => HttpServerError.isServerError(d) && d._tag === "RequestError")
        )
        if (failure._tag === "Some") {
          const error: unknown = failure.value
          if (isProblem(error)) return toResponse(withRequestId(error, requestId))
          if (error instanceof HttpApiError.HttpApiDecodeError) return toResponse(fromDecodeError(error, requestId))
          if (HttpServerError.isServerError(error) && error._tag === "RouteNotFound") {
            return toResponse(new Problem.NotFound({ code: "WSEC0002", title: "Unknown request", detail: `No operation at ${error.request.method} ${error.request.url}.`, errors: [], requestId }))
          }
          if (HttpServerError.isServerError(error) && error._tag === "RequestError") {
            return toResponse(new Problem.BadRequest({ code: "WSEC0001", title: "Invalid request", detail: "The request body could not be read: it is not valid JSON, or not in the content type sent.", errors: [new Problem.FieldError({ field: "body", message: "not valid JSON" })], requestId }))
          }
        }
        if (Option.exists(Cause.dieOption(cause), isUnstorableText)) return yield* unstorableText(requestId)
        if (Cause.isInterruptedOnly(cause)) return yield* Effect.failCause(cause)
        yield* Effect.logError("unexpected failure", cause).pipe(Effect.annotateLogs("requestId", requestId))
        return toResponse(new Problem.InternalError({ code: "WSEC0999", title: "Unknown exception", detail: "An unexpected error occurred. Quote the requestId to the service desk.", errors: [], requestId }))
      })
    )
  )
)

/**
 * Fails with a problem of the given kind carrying the current request id.
 *
 * @since 0.1.0
 * @category constructors
 */
export const fail = <K extends keyof typeof constructors>(
  kind: K,
  fields: { readonly code: string; readonly title: string; readonly detail: string; readonly errors?: ReadonlyArray<Problem.FieldError> }
): Effect.Effect<never, InstanceType<(typeof constructors)[K]>> => Effect.flatMap(make(kind, fields), Effect.fail)
