/**
 * What a request's body must be before anything reads it (CONTRACT §6: limits are enforced before
 * work is done). In this order, each refusal a problem+json:
 *
 * - no larger than the limit (413 SVC005): the JSON limit, or the file limit for an operation that
 *   takes a file (a body that is not JSON); by its `Content-Length` before reading, and while
 *   reading a body sent without one (chunked);
 * - in the media type its operation takes (415 WSEC0001 naming `Content-Type`): `application/json`
 *   (also taken when no `Content-Type` is sent, as the platform does), or the file's type
 *   (`text/csv`), with no charset but UTF-8;
 * - a JSON body nested at most {@link MaxJsonDepth} levels deep (400 WSEC0001 naming `body`).
 *
 * The body is read here, once, up to the limit, and what follows (the rate limit, idempotency
 * keys, the operation) is given the bytes read. A refusal given before the body is read to its
 * end closes the connection (`Connection: close`): otherwise node would read, and throw away, all
 * that the client still sends, however much that is.
 *
 * @since 0.1.2
 */
import { HttpApi, HttpApiSchema, HttpMethod, HttpMiddleware, HttpServerError, HttpServerRequest, HttpServerResponse, UrlParams } from "@effect/platform"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Problem } from "@learner-records/api"
import { Effect, Option, Stream } from "effect"
import { isUtf8 } from "node:buffer"
import * as Http from "node:http"
import * as Problems from "./Problems.js"
import type { RouteTable } from "./Routes.js"

/**
 * The deepest a JSON body may nest arrays and objects inside one another: 32 levels (the body's
 * own object is the first). No request of the api comes near it; a deeper body is refused before
 * it is decoded (5,000 levels overflowed the stack while the platform formatted its decode error).
 *
 * @since 0.1.2
 * @category config
 */
export const MaxJsonDepth = 32

/**
 * The largest bodies accepted, in bytes: `json` for every operation that takes JSON (and for a
 * body sent where no operation takes one), `file` for the operations that take a file.
 *
 * @since 0.1.2
 * @category models
 */
export interface Limits {
  readonly json: number
  readonly file: number
}

/**
 * How deeply the JSON text `text` nests arrays and objects (0 for a scalar, 1 for `{}` or `[1]`),
 * by one pass over the text, brackets inside strings (and escaped quotes) not counted. It does not
 * check that the text is JSON: the decoding does, once the depth is known to be safe.
 *
 * @since 0.1.2
 * @category rules
 */
export const jsonDepth = (text: string): number => {
  let depth = 0
  let deepest = 0
  let inString = false
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (inString) {
      if (c === BACKSLASH) i++
      else if (c === QUOTE) inString = false
    } else if (c === QUOTE) {
      inString = true
    } else if (c === OPEN_ARRAY || c === OPEN_OBJECT) {
      depth++
      if (depth > deepest) deepest = depth
    } else if (c === CLOSE_ARRAY || c === CLOSE_OBJECT) {
      depth--
    }
  }
  return deepest
}

const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d

/** What an operation's body must be. */
interface Takes {
  /** The media type of its body, lower case. */
  readonly mediaType: string
  readonly json: boolean
  /** A multipart body, which the platform streams to files itself: not read here. */
  readonly multipart: boolean
}

/**
 * What the body of each operation of `api` must be, by method and path template: none for an
 * operation that takes no body.
 */
const bodiesOf = (api: HttpApi.HttpApi.Any): ReadonlyMap<string, Option.Option<Takes>> => {
  const bodies = new Map<string, Option.Option<Takes>>()
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => {
      const takes = Option.map(endpoint.payloadSchema, ({ ast }): Takes => {
        const encoding = HttpApiSchema.getEncoding(ast)
        const multipart = HttpApiSchema.getMultipart(ast) !== undefined || HttpApiSchema.getMultipartStream(ast) !== undefined
        return {
          mediaType: multipart ? "multipart/form-data" : encoding.contentType.toLowerCase(),
          json: !multipart && encoding.kind === "Json",
          multipart
        }
      })
      bodies.set(`${endpoint.method} ${endpoint.path}`, takes)
    }
  })
  return bodies
}

const UTF8: ReadonlySet<string> = new Set(["utf-8", "utf8"])

/** Why a `Content-Type` is not what the operation takes, in words; undefined when it is. */
const mediaTypeFault = (header: string | undefined, takes: Takes): string | undefined => {
  // the platform reads a body sent without a Content-Type as JSON
  if (header === undefined) return takes.json ? undefined : `must be ${takes.mediaType}`
  const [type = "", ...parameters] = header.split(";").map((part) => part.trim())
  if (type.toLowerCase() !== takes.mediaType) return `must be ${takes.mediaType}`
  const charset = parameters.find((p) => /^charset\s*=/i.test(p))?.replace(/^charset\s*=\s*/i, "").replace(/^"|"$/g, "").toLowerCase()
  return charset === undefined || UTF8.has(charset) ? undefined : `must be ${takes.mediaType} in UTF-8 (charset=utf-8, or none)`
}

// the media type sent, when it looks like one and is short enough to repeat
const shown = (header: string | undefined): string => {
  if (header === undefined) return "none was sent"
  const type = header.split(";", 1)[0]!.trim()
  return /^[\w.+-]{1,40}\/[\w.+-]{1,40}$/.test(type) ? `got ${header.length > 100 ? type : header.trim()}` : "got another"
}

// node reads, and throws away, a body nobody read before it reuses the connection: closing it
// instead stops a client that sends without end from keeping the server reading
const closing = (response: HttpServerResponse.HttpServerResponse) => HttpServerResponse.setHeader(response, "connection", "close")

const tooLarge = (limit: number, length: Option.Option<number>) =>
  Effect.map(Problems.make("PayloadTooLarge", {
    code: "SVC005",
    title: "Request too large",
    detail: Option.match(length, {
      onNone: () => `The request body is more than ${limit} bytes, the limit.`,
      onSome: (bytes) => `The request body is ${bytes} bytes; the limit is ${limit} bytes.`
    })
  }), (problem) => closing(Problems.toResponse(problem)))

const unsupported = (header: string | undefined, message: string) =>
  Effect.map(Problems.make("UnsupportedMediaType", {
    code: "WSEC0001",
    title: "Unsupported media type",
    detail: `Content-Type: ${message}; ${shown(header)}.`,
    errors: [new Problem.FieldError({ field: "Content-Type", message })]
  }), (problem) => closing(Problems.toResponse(problem)))

const tooDeepMessage = `must not be nested more than ${MaxJsonDepth} levels deep (arrays and objects inside one another)`

const tooDeep = Effect.map(Problems.make("BadRequest", {
  code: "WSEC0001",
  title: "Invalid request",
  detail: `body: ${tooDeepMessage}`,
  errors: [new Problem.FieldError({ field: "body", message: tooDeepMessage })]
}), (problem) => Problems.toResponse(problem))

const notUtf8Message = "must be UTF-8 text (JSON is always UTF-8, RFC 8259 §8.1)"

// bytes that are not UTF-8 would be read as U+FFFD and stored so ("Café" sent in Latin-1 became "Caf\uFFFD")
const notUtf8 = Effect.map(Problems.make("BadRequest", {
  code: "WSEC0001",
  title: "Invalid request",
  detail: `body: ${notUtf8Message}`,
  errors: [new Problem.FieldError({ field: "body", message: notUtf8Message })]
}), (problem) => Problems.toResponse(problem))

type Read = { readonly _tag: "Body"; readonly bytes: Buffer } | { readonly _tag: "TooLarge" }

/**
 * Reads `source` to its end, or until it has sent more than `limit` bytes: then it stops reading
 * (what is left stays unread until the connection is closed). A client that goes away interrupts.
 */
const readUpTo = (source: Http.IncomingMessage, limit: number) =>
  Effect.async<Read>((resume) => {
    const chunks: Array<Buffer> = []
    let size = 0
    const done = (read: Effect.Effect<Read>) => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onGone)
      source.off("close", onGone)
      resume(read)
    }
    const onData = (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) return void chunks.push(chunk)
      source.pause()
      done(Effect.succeed({ _tag: "TooLarge" }))
    }
    const onEnd = () => done(Effect.succeed({ _tag: "Body", bytes: Buffer.concat(chunks, size) }))
    const onGone = () => done(Effect.interrupt)
    source.on("data", onData)
    source.once("end", onEnd)
    source.once("error", onGone)
    source.once("close", onGone)
    return Effect.sync(() => {
      source.off("data", onData)
      source.off("end", onEnd)
      source.off("error", onGone)
      source.off("close", onGone)
    })
  })

/**
 * `request` with its body already read: `bytes` (`text` in UTF-8, as the platform decodes it),
 * given to whatever reads it as text, JSON, URL parameters, bytes or a stream; the rest of the
 * request unchanged.
 */
const withBody = (request: HttpServerRequest.HttpServerRequest, bytes: Buffer, text: string): HttpServerRequest.HttpServerRequest => {
  // as the platform's own reading fails: the api answers it 400 naming the body
  const unreadable = (cause: unknown) => new HttpServerError.RequestError({ request, reason: "Decode", cause })
  const read: Partial<HttpServerRequest.HttpServerRequest> = {
    text: Effect.succeed(text),
    json: Effect.try({ try: (): unknown => text === "" ? null : JSON.parse(text), catch: unreadable }),
    urlParamsBody: Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(text)), catch: unreadable }),
    arrayBuffer: Effect.sync(() => Uint8Array.from(bytes).buffer),
    stream: Stream.succeed(Uint8Array.from(bytes)),
    modify: (options) => withBody(request.modify(options), bytes, text)
  }
  return new Proxy(request, {
    get: (target, key): unknown => Object.hasOwn(read, key) ? read[key as keyof typeof read] : Reflect.get(target, key)
  })
}

const contentLength = (request: HttpServerRequest.HttpServerRequest): Option.Option<number> => {
  const header = request.headers["content-length"]
  return header === undefined ? Option.none() : Option.some(Number(header))
}

/**
 * The middleware (see the module comment) for the operations of `api`, with the size `limits`.
 *
 * @since 0.1.2
 * @category middleware
 */
export const middleware = (limits: Limits, api: HttpApi.HttpApi.Any, table: RouteTable) => {
  const bodies = bodiesOf(api)
  // the operation a request reaches, as the router will route it (`/API/V1/learners/` too)
  const takesOf = (request: HttpServerRequest.HttpServerRequest) =>
    Effect.map(table.routes, (routes): Option.Option<Takes> => {
      if (!HttpMethod.hasBody(request.method)) return Option.none()
      const template = routes.match(request.method, request.url)
      return template === undefined ? Option.none() : bodies.get(`${request.method} ${template}`) ?? Option.none()
    })
  return HttpMiddleware.make((app) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const length = contentLength(request)
      const chunked = request.headers["transfer-encoding"] !== undefined
      if (!chunked && Option.getOrElse(length, () => 0) <= 0) return app
      return Effect.flatMap(takesOf(request), (takes) => {
        const limit = Option.exists(takes, (t) => !t.json) ? limits.file : limits.json
        if (Option.exists(length, (bytes) => bytes > limit)) return tooLarge(limit, length)
        if (Option.isSome(takes)) {
          const fault = mediaTypeFault(request.headers["content-type"], takes.value)
          if (fault !== undefined) return unsupported(request.headers["content-type"], fault)
        }
        const source = NodeHttpServerRequest.toIncomingMessage(request)
        // a multipart body is streamed by the platform, and a server other than node's reads its own
        if (Option.exists(takes, (t) => t.multipart) || !(source instanceof Http.IncomingMessage) || source.readableEnded) {
          return HttpIncomingMessage.withMaxBodySize(app, Option.some(limit))
        }
        return Effect.flatMap(readUpTo(source, limit), (read) => {
          if (read._tag === "TooLarge") return tooLarge(limit, Option.none())
          const json = Option.exists(takes, (t) => t.json)
          if (json && !isUtf8(read.bytes)) return notUtf8
          const text = read.bytes.toString("utf8")
          if (json && jsonDepth(text) > MaxJsonDepth) return tooDeep
          return Effect.provideService(app, HttpServerRequest.HttpServerRequest, withBody(request, read.bytes, text))
        })
      })
    })
  )
}
