/**
 * Turns every failure of the api into an `application/problem+json` problem with the request id:
 * request decoding errors become 400 WSEC0001 with one entry per field in plain words (core's
 * `FieldIssues`), unknown routes 404 (a known path under another method is 405, see `Routes`),
 * text the database cannot store (U+0000) 400 WSEC0001 naming where it was, other defects 500
 * WSEC0999 — logged with their cause, never shown to the client.
 *
 * @since 0.1.0
 */
import { HttpApi, HttpApiError, HttpMethod, HttpMiddleware, HttpServerError, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { SqlError } from "@effect/sql/SqlError"
import { Problem } from "@learner-records/api"
import { FieldIssues, Fields } from "@learner-records/core"
import { Cause, Effect, FiberRef, Option, ParseResult, Schema, type SchemaAST } from "effect"
import { currentRequestId } from "./RequestId.js"

type AnyProblem = Problem.Problem

const constructors = {
  BadRequest: Problem.BadRequest,
  Unauthorized: Problem.Unauthorized,
  Forbidden: Problem.Forbidden,
  NotFound: Problem.NotFound,
  MethodNotAllowed: Problem.MethodNotAllowed,
  Conflict: Problem.Conflict,
  PayloadTooLarge: Problem.PayloadTooLarge,
  UnsupportedMediaType: Problem.UnsupportedMediaType,
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
  MethodNotAllowed: 405,
  Conflict: 409,
  PayloadTooLarge: 413,
  UnsupportedMediaType: 415,
  Unprocessable: 422,
  TooManyRequests: 429,
  ServiceUnavailable: 503,
  InternalError: 500
}

const encodeProblem = Schema.encodeSync(Schema.Union(...Object.values(constructors)))

// A problem repeats what was sent only in short: a value quoted in a message is cut to its start
// and its length (a ULN of 200,000 digits came back whole, in the detail and again in errors), and
// no text runs on for pages (an unknown property's name is the client's own text too). A path id,
// up to `Api.MaxPathSegmentLength` (1,000) characters, is still named whole.
const MAX_QUOTED = 40
const MAX_TEXT = 2000
const MAX_FIELD = 200

const cut = (text: string, max: number): string => {
  if (text.length <= max) return text
  // not between the halves of a surrogate pair
  const end = /[\uD800-\uDBFF]/.test(text.charAt(max - 2)) ? max - 2 : max - 1
  return `${text.slice(0, end)}…`
}

const quotedLength = (quoted: string): number => {
  try {
    const value: unknown = JSON.parse(quoted)
    return typeof value === "string" ? value.length : quoted.length - 2
  } catch {
    return quoted.length - 2
  }
}

const shortened = (text: string): string =>
  cut(
    text.length <= MAX_QUOTED ? text : text.replace(/"(?:[^"\\]|\\.)*"/g, (quoted) =>
      quoted.length <= MAX_QUOTED + 2 ? quoted : `${cut(quoted, MAX_QUOTED)}" (${quotedLength(quoted)} characters)`),
    MAX_TEXT
  )

const bounded = (problem: AnyProblem): AnyProblem => {
  const long = problem.detail.length > MAX_QUOTED ||
    problem.errors.some((e) => e.message.length > MAX_QUOTED || e.field.length > MAX_FIELD)
  if (!long) return problem
  const Ctor = constructors[problem._tag] as unknown as new(args: Problem.ProblemShape) => AnyProblem
  // a long field name in the detail as in errors, so that the detail still says what is wrong with it
  const detail = problem.errors.reduce(
    (text, e) => e.field.length > MAX_FIELD ? text.split(e.field).join(cut(e.field, MAX_FIELD)) : text,
    problem.detail
  )
  return new Ctor({
    code: problem.code,
    title: problem.title,
    detail: shortened(detail),
    errors: problem.errors.map((e) =>
      e.message.length > MAX_QUOTED || e.field.length > MAX_FIELD
        ? new Problem.FieldError({ field: cut(e.field, MAX_FIELD), message: shortened(e.message) })
        : e
    ),
    requestId: problem.requestId
  })
}

/**
 * The HTTP response of a problem: its status, `application/problem+json`, and `Retry-After` for
 * 429/503. A value the client sent is repeated only in short (its start and its length).
 *
 * @since 0.1.0
 * @category mapping
 */
export const toResponse = (problem: AnyProblem, retryAfterSeconds?: number): HttpServerResponse.HttpServerResponse => {
  const response = HttpServerResponse.unsafeJson(encodeProblem(bounded(problem)), {
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

const fieldPath = (path: ReadonlyArray<PropertyKey>): string => FieldIssues.formatPath(path)

/**
 * A 400 problem from a request that did not decode (WSEC0136 when the only fault is an invalid
 * ULN): one field error per field and rule. `issues` are the faults in plain words, from the
 * request's own parse issue (see {@link middleware}); without them, the decode error's
 * own list is cleaned of Effect's wording as well as it can be.
 *
 * @since 0.1.0
 * @category mapping
 */
export const fromDecodeError = (
  error: HttpApiError.HttpApiDecodeError,
  requestId: string,
  issues: ReadonlyArray<FieldIssues.FieldIssue> = fromFormatted(error.issues)
): Problem.BadRequest => {
  const errors = fieldErrors(issues)
  // a ULN that is there but not valid has its own LRS code
  const invalidUln = issues.length > 0 && issues.every((issue) => issue.path.at(-1) === "uln" && issue.kind === "Invalid")
  return new Problem.BadRequest({
    ...(invalidUln ? { code: "WSEC0136", title: "Invalid ULN" } : { code: "WSEC0001", title: "Invalid request" }),
    detail: errors.length === 1
      ? `${errors[0]!.field}: ${errors[0]!.message}`
      : `The request has ${errors.length} invalid fields; see errors.`,
    errors,
    requestId
  })
}

// one entry per field: a field's several rules (errors "all") in one message
const fieldErrors = (issues: ReadonlyArray<FieldIssues.FieldIssue>): Array<Problem.FieldError> => {
  const byField = new Map<string, Array<string>>()
  for (const issue of issues) {
    const field = fieldPath(issue.path) || "body"
    const messages = byField.get(field) ?? []
    if (!messages.includes(issue.message)) messages.push(issue.message)
    byField.set(field, messages)
  }
  return [...byField].map(([field, messages]) => new Problem.FieldError({ field, message: messages.join("; ") }))
}

/**
 * The faults of a decode error from its flattened list alone, for when the request's parse issue
 * cannot be had again: Effect's default wording ("Expected <type>, actual <value>", "is
 * unexpected, expected: …") is replaced, and the "Expected undefined" of an optional field's absent
 * member dropped beside the field's real fault.
 */
const fromFormatted = (issues: HttpApiError.HttpApiDecodeError["issues"]): Array<FieldIssues.FieldIssue> => {
  const all = issues.map((issue): FieldIssues.FieldIssue & { readonly absent: boolean } => ({
    path: issue.path,
    kind: issue._tag === "Missing" ? "Missing" : issue._tag === "Unexpected" ? "Unexpected" : "Invalid",
    message: issue._tag === "Missing" && issue.message === "is missing"
      ? "is required"
      : issue._tag === "Unexpected"
      ? "is not allowed"
      : /^Expected .*, actual /s.test(issue.message)
      ? "is not valid"
      : issue.message,
    absent: /^Expected undefined, actual /.test(issue.message)
  }))
  return all.filter((issue) => !issue.absent || !all.some((other) => !other.absent && fieldPath(other.path) === fieldPath(issue.path)))
    .map(({ kind, message, path }) => ({ path, kind, message }))
}

// The platform turns the ParseError of a request into an HttpApiDecodeError that keeps only Effect's
// wording of it (which falls back on a schema's description or a TypeScript-like rendering of its
// type), so the issue is had again by decoding the request once more, as the platform did: its
// operation found by method and path, then its path parameters, body, headers and query decoded in
// that order. Only a failure that formats exactly as the decode error did is used, so a fault
// raised anywhere else (a handler's own decoding) is never mistaken for the request's.

interface Endpoint {
  readonly method: string
  readonly path: string
  readonly pathSchema: Option.Option<SchemaAST.AST>
  readonly payloadSchema: Option.Option<SchemaAST.AST>
  readonly headersSchema: Option.Option<SchemaAST.AST>
  readonly urlParamsSchema: Option.Option<SchemaAST.AST>
}

const endpointsOf = (api: HttpApi.HttpApi.Any): ReadonlyArray<Endpoint> => {
  const endpoints: Array<Endpoint> = []
  const ast = (schema: Option.Option<{ readonly ast: SchemaAST.AST }>) => Option.map(schema, (s) => s.ast)
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) =>
      endpoints.push({
        method: endpoint.method,
        path: endpoint.path,
        pathSchema: ast(endpoint.pathSchema),
        payloadSchema: ast(endpoint.payloadSchema),
        headersSchema: ast(endpoint.headersSchema),
        urlParamsSchema: ast(endpoint.urlParamsSchema)
      })
  })
  return endpoints
}

const endpointsCache = new WeakMap<object, ReadonlyArray<Endpoint>>()

const segmentsOf = (path: string): ReadonlyArray<string> => path.replace(/\/+$/, "").split("/")

/** The operation at `method` and `url`, with its path parameters; a static segment beats a parameter. */
const route = (endpoints: ReadonlyArray<Endpoint>, method: string, url: string) => {
  const segments = segmentsOf(url.split("?", 1)[0]!)
  let best: { readonly endpoint: Endpoint; readonly params: Record<string, string>; readonly statics: number } | undefined
  for (const endpoint of endpoints) {
    const template = segmentsOf(endpoint.path)
    if (endpoint.method !== method || template.length !== segments.length) continue
    const params: Record<string, string> = {}
    let statics = 0
    const matches = template.every((part, i) => {
      if (part.startsWith(":")) {
        params[part.slice(1).replace(/\?$/, "")] = safeDecode(segments[i]!)
        return segments[i] !== ""
      }
      statics++
      return part === segments[i]
    })
    if (matches && (best === undefined || statics > best.statics)) best = { endpoint, params, statics }
  }
  return best
}

const queryParams = (url: string): Record<string, string | Array<string>> => {
  const out: Record<string, string | Array<string>> = {}
  for (const [name, value] of new URLSearchParams(url.split("?", 2)[1] ?? "")) {
    const before = out[name]
    out[name] = before === undefined ? value : Array.isArray(before) ? [...before, value] : [before, value]
  }
  return out
}

/** The body as the platform reads it for the decoding; none for a body it streams or stores as files. */
const bodyOf = (request: HttpServerRequest.HttpServerRequest): Effect.Effect<Option.Option<unknown>> => {
  const contentType = (request.headers["content-type"] ?? "application/json").toLowerCase().trim()
  // the text was read (and kept) when the request was decoded
  if (contentType.includes("application/json")) return Effect.option(request.json)
  if (contentType.startsWith("text/")) return Effect.option(request.text)
  return Effect.succeed(Option.none())
}

const failureOf = (ast: SchemaAST.AST, input: unknown): Effect.Effect<Option.Option<ParseResult.ParseIssue>> =>
  Schema.decodeUnknown(Schema.make<unknown>(ast))(input).pipe(
    Effect.match({ onFailure: (e) => Option.some(e.issue), onSuccess: () => Option.none() })
  )

const requestIssue = (error: HttpApiError.HttpApiDecodeError): Effect.Effect<Option.Option<ReadonlyArray<FieldIssues.FieldIssue>>> =>
  Effect.gen(function*() {
    const api = yield* Effect.serviceOption(HttpApi.Api)
    const request = yield* Effect.serviceOption(HttpServerRequest.HttpServerRequest)
    if (Option.isNone(api) || Option.isNone(request)) return Option.none()
    let endpoints = endpointsCache.get(api.value.api)
    if (endpoints === undefined) {
      endpoints = endpointsOf(api.value.api)
      endpointsCache.set(api.value.api, endpoints)
    }
    const found = route(endpoints, request.value.method, request.value.url)
    if (found === undefined) return Option.none()
    const { endpoint, params } = found
    const payload = Option.filter(endpoint.payloadSchema, () => HttpMethod.hasBody(request.value.method))
    const parts: ReadonlyArray<readonly [Option.Option<SchemaAST.AST>, Effect.Effect<Option.Option<unknown>>]> = [
      [endpoint.pathSchema, Effect.succeedSome(params)],
      [payload, bodyOf(request.value)],
      [endpoint.headersSchema, Effect.succeedSome(request.value.headers)],
      [endpoint.urlParamsSchema, Effect.succeedSome(queryParams(request.value.url))]
    ]
    for (const [schema, input] of parts) {
      if (Option.isNone(schema)) continue
      const value = yield* input
      // a body that cannot be read again cannot be decoded again
      if (Option.isNone(value)) return Option.none()
      const issue = yield* failureOf(schema.value, value.value)
      if (Option.isNone(issue)) continue
      const formatted = yield* ParseResult.ArrayFormatter.formatIssue(issue.value)
      if (!sameIssues(formatted, error.issues)) return Option.none()
      return Option.some(FieldIssues.fromIssue(issue.value))
    }
    return Option.none()
  })

const sameIssues = (a: ReadonlyArray<ParseResult.ArrayFormatterIssue>, b: HttpApiError.HttpApiDecodeError["issues"]): boolean =>
  a.length === b.length && a.every((issue, i) =>
    issue._tag === b[i]!._tag && issue.message === b[i]!.message && fieldPath(issue.path) === fieldPath(b[i]!.path)
  )

/**
 * The 400 problem of a request that did not decode, its faults worded from the request's own
 * parse issue when it can be had again.
 *
 * @since 0.1.2
 * @category mapping
 */
export const decodeProblem = (error: HttpApiError.HttpApiDecodeError, requestId: string): Effect.Effect<Problem.BadRequest> =>
  Effect.map(requestIssue(error), (issues) => fromDecodeError(error, requestId, Option.getOrUndefined(issues)))

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
          if (error instanceof HttpApiError.HttpApiDecodeError) return toResponse(yield* decodeProblem(error, requestId))
          if (HttpServerError.isServerError(error) && error._tag === "RouteNotFound") {
            return toResponse(new Problem.NotFound({ code: "WSEC0002", title: "Unknown request", detail: `No operation at ${error.request.method} ${error.request.url}.`, errors: [], requestId }))
          }
          if (HttpServerError.isServerError(error) && error._tag === "RequestError") {
            return toResponse(new Problem.BadRequest({ code: "WSEC0001", title: "Invalid request", detail: "body: not valid JSON", errors: [new Problem.FieldError({ field: "body", message: "not valid JSON" })], requestId }))
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
