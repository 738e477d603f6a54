/**
 * What a request's body must be before any operation reads it (CONTRACT §6), as QA found it
 * against `lrs serve --demo`: a body in another media type is 415 naming Content-Type (a malformed
 * multipart body was 500 on every operation, a well-formed one taken as JSON); JSON nested deeper
 * than `RequestBody.MaxJsonDepth` is 400 before decoding (5,000 levels were 500); a body sent
 * without a Content-Length (chunked) over the limit is 413 (the connection was reset); and no
 * problem repeats a huge value, or a password, back.
 */
import { HttpApi, HttpApiSchema } from "@effect/platform"
import * as HttpClient from "@effect/platform/HttpClient"
import { Examples, LearnerRecordsApi } from "@learner-records/api"
import { QualificationRegister } from "@learner-records/core"
import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as fc from "fast-check"
import * as http from "node:http"
import * as net from "node:net"
import * as RequestBody from "../src/http/RequestBody.js"
import { ADMIN_PASSWORD, call, describeHttp, organisationWith, type Reply, signIn, testConfig } from "./http.js"

interface Problem {
  readonly code: string
  readonly title: string
  readonly detail: string
  readonly errors: ReadonlyArray<{ readonly field: string; readonly message: string }>
}

interface Operation {
  readonly id: string
  readonly method: "POST" | "PUT"
  readonly path: string
  readonly mediaType: string
}

// the body is judged before the path parameters are, so any value reaches the operation
const operations: ReadonlyArray<Operation> = (() => {
  const found: Array<Operation> = []
  HttpApi.reflect(LearnerRecordsApi.LearnerRecordsApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group }) => {
      if (Option.isNone(endpoint.payloadSchema) || (endpoint.method !== "POST" && endpoint.method !== "PUT")) return
      found.push({
        id: `${group.identifier}.${endpoint.name}`,
        method: endpoint.method,
        path: endpoint.path.replace(/:(\w+)/g, "x"),
        mediaType: HttpApiSchema.getEncoding(endpoint.payloadSchema.value.ast).contentType
      })
    }
  })
  return found
})()

const LOGIN = "/api/v1/auth/login"
const IMPORT = "/api/v1/admin/qualifications/import"
const FIND = "/api/v1/learners/find-by-uln"

const multipartForm = [
  "--zzz",
  `Content-Disposition: form-data; name="username"`,
  "",
  "admin",
  "--zzz",
  `Content-Disposition: form-data; name="password"`,
  "",
  ADMIN_PASSWORD,
  "--zzz--",
  ""
].join("\r\n")

/** A 415 naming Content-Type and what the operation takes; the connection closed behind it. */
const unsupported = (reply: Reply, mediaType: string, context: string) => {
  expect(reply.status, `${context}: ${reply.text}`).toBe(415)
  expect(reply.headers["content-type"], context).toContain("application/problem+json")
  expect(reply.headers["connection"], context).toBe("close")
  const problem = reply.body as Problem
  expect(problem.code, context).toBe("WSEC0001")
  expect(problem.title, context).toBe("Unsupported media type")
  expect(problem.errors, context).toEqual([{ field: "Content-Type", message: expect.stringMatching(new RegExp(`^must be ${mediaType}\\b`)) }])
  expect(problem.detail, context).toMatch(new RegExp(`^Content-Type: must be ${mediaType}\\b`))
}

/** A 400 naming the body and the depth rule. */
const tooDeep = (reply: Reply, context: string) => {
  expect(reply.status, `${context}: ${reply.text.slice(0, 300)}`).toBe(400)
  expect(reply.headers["content-type"], context).toContain("application/problem+json")
  const message = `must not be nested more than ${RequestBody.MaxJsonDepth} levels deep (arrays and objects inside one another)`
  expect(reply.body, context).toMatchObject({ code: "WSEC0001", detail: `body: ${message}`, errors: [{ field: "body", message }] })
}

const json = (body: string) => ({ text: { body, contentType: "application/json" } })

const nested = (depth: number, inner = "1") => "[".repeat(depth) + inner + "]".repeat(depth)

/** The test server's port, as its client addresses it. */
const serverPort = Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.get("/healthz")
  return Number(new URL(response.request.url).port)
}).pipe(Effect.scoped, Effect.orDie)

interface Answer {
  readonly status: number
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
}

/** POSTs `body` with node's client, in 16 KiB writes and without a Content-Length (chunked). */
const chunked = (port: number, path: string, body: string | Buffer, headers: Record<string, string>) =>
  Effect.async<Answer, Error>((resume) => {
    const request = http.request({ host: "127.0.0.1", port, method: "POST", path, headers, agent: false }, (response) => {
      let text = ""
      response.setEncoding("utf8")
      response.on("data", (chunk: string) => text += chunk)
      response.on("end", () => resume(Effect.succeed({ status: response.statusCode ?? 0, headers: response.headers, body: text })))
      response.on("error", (error) => resume(Effect.fail(error)))
    })
    request.on("error", (error) => resume(Effect.fail(error)))
    const bytes = typeof body === "string" ? Buffer.from(body, "utf8") : body
    for (let i = 0; i < bytes.length; i += 16384) request.write(bytes.subarray(i, i + 16384))
    request.end()
    return Effect.sync(() => request.destroy())
  })

/**
 * Over a raw socket: the head of a chunked POST, then 64 KiB chunks every few milliseconds, for as
 * long as the server reads them (up to 4 MiB); all that comes back until the connection closes.
 */
const rawChunked = (port: number, head: string) =>
  Effect.async<string, Error>((resume) => {
    const socket = net.connect(port, "127.0.0.1")
    const received: Array<Buffer> = []
    const chunk = "a".repeat(65536)
    let sent = 0
    let timer: ReturnType<typeof setInterval> | undefined
    const send = () => {
      if (socket.destroyed || !socket.writable) return clearInterval(timer)
      if (sent >= 4 * 1024 * 1024) {
        clearInterval(timer)
        return void socket.end("0\r\n\r\n")
      }
      socket.write(`${chunk.length.toString(16)}\r\n${chunk}\r\n`)
      sent += chunk.length
    }
    socket.on("connect", () => {
      socket.write(head)
      timer = setInterval(send, 5)
    })
    socket.on("data", (data) => received.push(data))
    // the server closes the connection; the client may see it as a reset while still sending
    socket.on("error", () => {})
    socket.on("close", () => {
      clearInterval(timer)
      resume(Effect.succeed(Buffer.concat(received).toString("utf8")))
    })
    return Effect.sync(() => {
      clearInterval(timer)
      socket.destroy()
    })
  })

describe("RequestBody.jsonDepth", () => {
  const depthOf = (value: unknown): number =>
    Array.isArray(value)
      ? 1 + Math.max(0, ...value.map(depthOf))
      : typeof value === "object" && value !== null
      ? 1 + Math.max(0, ...Object.values(value).map(depthOf))
      : 0

  it("counts arrays and objects inside one another, not brackets in strings", () => {
    expect(RequestBody.jsonDepth("1")).toBe(0)
    expect(RequestBody.jsonDepth("{}")).toBe(1)
    expect(RequestBody.jsonDepth(`{"a":[{"b":[]}],"c":{}}`)).toBe(4)
    expect(RequestBody.jsonDepth(`["[[[", "\\"[[", "\\\\", [1]]`)).toBe(2)
    expect(RequestBody.jsonDepth(nested(5000))).toBe(5000)
  })

  it("property: the depth of any JSON value's text is the value's depth", () => {
    fc.assert(fc.property(fc.jsonValue({ maxDepth: 8 }), (value) => {
      expect(RequestBody.jsonDepth(JSON.stringify(value))).toBe(depthOf(value))
    }))
  })

  it("property: strings of any characters add nothing", () => {
    fc.assert(fc.property(fc.array(fc.string({ unit: "binary" }), { maxLength: 5 }), fc.nat({ max: 40 }), (strings, depth) => {
      expect(RequestBody.jsonDepth(nested(depth, JSON.stringify(strings)))).toBe(depth + 1)
    }))
  })
})

/** The token of an online user of an LRB: one who may call find by ULN and find by demographics. */
const finder = Effect.map(organisationWith(["LRB"], ["OnlineUser"]), (org) => org.tokens.OnlineUser!)

describeHttp("Request bodies", (it) => {
  it.effect("a body in a media type the operation does not take → 415 naming Content-Type, on every operation, signed in or not", () =>
    Effect.gen(function*() {
      expect(operations.length).toBeGreaterThanOrEqual(Object.keys(Examples.requestBodies).length - 1)
      expect(operations.map((o) => o.mediaType)).toContain("text/csv")
      for (const operation of operations) {
        const other = operation.mediaType === "application/json" ? "text/csv" : "application/json"
        const sent: ReadonlyArray<readonly [string, string]> = [
          ["multipart/form-data", "garbage"],
          ["multipart/form-data; boundary=zzz", "garbage"],
          ["multipart/form-data; boundary=zzz", multipartForm],
          ["application/x-www-form-urlencoded", "username=admin&password=x"],
          ["application/xml", "<login><username>admin</username></login>"],
          ["text/plain", JSON.stringify(Examples.requestBodies[operation.id as Examples.OperationWithBody] ?? {})],
          [other, other === "text/csv" ? "a,b\n1,2" : "{}"],
          [`${operation.mediaType}; charset=iso-8859-1`, "{}"]
        ]
        for (const [contentType, body] of sent) {
          const reply = yield* call(operation.method, operation.path, { text: { body, contentType } })
          unsupported(reply, operation.mediaType, `${operation.id} as ${contentType}`)
        }
      }
    }))

  it.effect("QA's requests: a multipart sign-in, malformed or not, is 415; JSON as text/plain is 415; the register import takes text/csv only", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      for (const contentType of ["multipart/form-data", "multipart/form-data; boundary=zzz"]) {
        const reply = yield* call("POST", LOGIN, { text: { body: "garbage", contentType } })
        unsupported(reply, "application/json", contentType)
        expect((reply.body as Problem).detail).toBe(`Content-Type: must be application/json; got ${contentType}.`)
      }
      // a well-formed form was taken as if it were JSON
      unsupported(yield* call("POST", LOGIN, { text: { body: multipartForm, contentType: "multipart/form-data; boundary=zzz" } }), "application/json", "a form")
      unsupported(yield* call("POST", FIND, { token, text: { body: JSON.stringify(Examples.requestBodies["learners.findByUln"]), contentType: "text/plain" } }), "application/json", "text/plain")
      unsupported(yield* call("POST", IMPORT, { token, body: { rows: [] } }), "text/csv", "JSON to the import")
      // no Content-Type is JSON's, as the platform reads it
      const noType = yield* chunked(yield* serverPort, IMPORT, "a,b", { authorization: `Bearer ${token}` })
      expect(noType.status, noType.body).toBe(415)
      expect(JSON.parse(noType.body)).toMatchObject({ detail: "Content-Type: must be text/csv; none was sent." })
    }))

  it.effect("the media types an operation takes are taken, with parameters, in any case, or (JSON) with no Content-Type", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      const login = JSON.stringify({ username: "admin", password: ADMIN_PASSWORD })
      for (const contentType of ["application/json", "application/json; charset=utf-8", "Application/JSON; Charset=\"UTF-8\""]) {
        const reply = yield* call("POST", LOGIN, { text: { body: login, contentType } })
        expect(reply.status, `${contentType}: ${reply.text}`).toBe(200)
      }
      const port = yield* serverPort
      const bare = yield* chunked(port, LOGIN, login, {})
      expect(bare.status, bare.body).toBe(200)
      const file = `${QualificationRegister.CSV_COLUMNS.join(",")}\n`
      for (const contentType of ["text/csv", "text/csv; charset=utf-8", "TEXT/CSV; header=present"]) {
        const reply = yield* call("POST", IMPORT, { token, text: { body: file, contentType } })
        // an empty register is refused by its own rule, past the media type
        expect(reply.status, `${contentType}: ${reply.text}`).not.toBe(415)
        expect(reply.status, `${contentType}: ${reply.text}`).toBeLessThan(500)
      }
    }))

  it.effect("JSON nested deeper than 32 levels → 400 naming the body, before decoding, signed in or not; 32 levels are decoded", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      tooDeep(yield* call("POST", LOGIN, json(nested(5000))), "5,000 deep")
      tooDeep(yield* call("POST", LOGIN, json(`{"username":${nested(5000)},"password":"x"}`)), "5,000 deep username")
      tooDeep(yield* call("POST", LOGIN, json(`{"username":${nested(1000)},"password":"x"}`)), "1,000 deep username")
      tooDeep(yield* call("POST", FIND, { token, ...json(`{"uln":${nested(5000)},"givenName":"a","familyName":"b"}`) }), "find-by-uln")
      tooDeep(yield* call("POST", LOGIN, json(`{"username":${nested(32)},"password":"x"}`)), "33 levels")
      // not even valid JSON: the depth is judged first
      tooDeep(yield* call("POST", LOGIN, json("{".repeat(40))), "unclosed")
      const deepest = yield* call("POST", LOGIN, json(`{"username":${nested(31)},"password":"x"}`))
      expect(deepest.status).toBe(400)
      expect(deepest.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "username", message: "must be a string" }] })
      // brackets in a string are text
      const inString = yield* call("POST", LOGIN, { body: { username: "[".repeat(5000), password: "x" } })
      expect(inString.status).toBe(400)
      expect((inString.body as Problem).errors).toEqual([{ field: "username", message: expect.stringMatching(/^must be at most 35 characters/) }])
    }))

  it.effect("a JSON body that is not UTF-8 (Latin-1 é) → 400 naming the body, before decoding; nothing is stored as U+FFFD", () =>
    Effect.gen(function*() {
      const port = yield* serverPort
      const latin1 = Buffer.from(`{"username":"caf\u00e9-user","password":"whatever-password"}`, "latin1")
      const refused = yield* chunked(port, LOGIN, latin1, { "content-type": "application/json" })
      expect(refused.status, refused.body).toBe(400)
      expect(JSON.parse(refused.body)).toMatchObject({ code: "WSEC0001", errors: [{ field: "body", message: expect.stringMatching(/^must be UTF-8 text/) }] })
      // the same text in UTF-8 is read (and is a wrong sign-in)
      const utf8 = yield* chunked(port, LOGIN, latin1.toString("latin1"), { "content-type": "application/json" })
      expect(utf8.status, utf8.body).toBe(401)
    }))

  it.effect("the checks hold however the path is written: /API/V1/…, a trailing or doubled slash reach the same operation and its checks", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      for (const path of ["/API/V1/Learners/Find-By-Uln", "/api/v1/learners/find-by-uln/", "/api/v1//learners/find-by-uln"]) {
        // 5,000 levels overflowed the parser's stack (500) when the path was not written as the template
        tooDeep(yield* call("POST", path, { token, ...json(`{"uln":${nested(5000)},"givenName":"a","familyName":"b"}`) }), path)
        unsupported(yield* call("POST", path, { token, text: { body: multipartForm, contentType: "multipart/form-data; boundary=zzz" } }), "application/json", path)
      }
      unsupported(yield* call("POST", "/API/V1/Admin/Qualifications/Import/", { token, body: { rows: [] } }), "text/csv", "JSON to the import")
    }))

  it.effect("no problem repeats a huge value: a 5,000-element list or a 200,000-character string in a field, a long unknown property", () =>
    Effect.gen(function*() {
      // a caller who may find learners: anyone else is answered 403 before the body is decoded
      const token = yield* finder
      const list = Array.from({ length: 5000 }, (_, i) => i)
      const short = (reply: Reply, context: string) => {
        expect(reply.status, context).toBe(400)
        expect(reply.text.length, `${context}: ${reply.text.slice(0, 300)}`).toBeLessThan(1500)
        expect(reply.text, context).not.toMatch(/1{100}|k{300}|0,1,2,3,4,5/)
        return reply.body as Problem
      }
      expect(short(yield* call("POST", LOGIN, { body: { username: list, password: "x" } }), "list").errors)
        .toEqual([{ field: "username", message: "must be a string" }])
      const uln = short(yield* call("POST", FIND, { token, body: { ...Examples.requestBodies["learners.findByUln"], uln: "1".repeat(200000) } }), "ULN")
      expect(uln.code).toBe("WSEC0136")
      expect(uln.errors).toEqual([{ field: "uln", message: expect.stringMatching(/^a ULN is exactly 10 digits \(0-9\); got "1{30,40}…" \(200000 characters\)$/) }])
      const dob = short(yield* call("POST", "/api/v1/learners/find-by-demographics", { token, body: { ...Examples.requestBodies["learners.findByDemographics"], dateOfBirth: "1".repeat(200000) } }), "date")
      expect(dob.errors).toEqual([{ field: "dateOfBirth", message: expect.stringContaining("(200000 characters)") }])
      const key = "k".repeat(5000)
      const unknown = short(yield* call("POST", FIND, { token, body: { ...Examples.requestBodies["learners.findByUln"], [key]: 1 } }), "property")
      expect(unknown.errors).toEqual([{ field: expect.stringMatching(/^k{100,200}…$/), message: "is not allowed" }])
      expect(unknown.detail).toMatch(/^k{100,200}…: is not allowed$/)
    }))

  it.effect("no problem repeats a password: too long, with NUL or half an emoji, too short, of the wrong kind", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      const mark = "Zq7Xj"
      const passwords = [`${mark}-${"p".repeat(300)}`, `${mark}\u0000secret-password`, `${mark}\ud800secret-password`, `${mark}-short`]
      const replies: Array<readonly [string, Reply]> = []
      // a user name nobody has: a password of the right shape is a failed sign-in (401), and the
      // admin's account is not locked by it
      for (const password of passwords) {
        replies.push(["login", yield* call("POST", LOGIN, { body: { username: "no.such.user", password } })])
        replies.push(["create", yield* call("POST", "/api/v1/users", { token, body: { ...Examples.requestBodies["users.create"], password } })])
        replies.push(["reset", yield* call("POST", "/api/v1/users/00000000-0000-4000-8000-000000000000/reset-password", { token, body: { password } })])
      }
      replies.push(["a list", yield* call("POST", LOGIN, { body: { username: "no.such.user", password: [mark] } })])
      replies.push(["an object", yield* call("POST", LOGIN, { body: { username: "no.such.user", password: { [mark]: mark } } })])
      for (const [what, reply] of replies) {
        expect(reply.text, what).not.toContain(mark)
        if (reply.status === 401) continue
        expect(reply.status, `${what}: ${reply.text.slice(0, 300)}`).toBe(400)
        expect((reply.body as Problem).errors.map((e) => e.field), what).toContain("password")
      }
      expect(replies.filter(([, reply]) => reply.status === 401)).toHaveLength(1)
      const long = replies[0]![1].body as Problem
      expect(long.errors).toEqual([{ field: "password", message: "must be at most 256 characters" }])
    }))
})

describeHttp("Request bodies over the limit", (it) => {
  const tooLarge = (status: number, headers: http.IncomingHttpHeaders | Readonly<Record<string, string>>, body: string) => {
    expect(status, body.slice(0, 300)).toBe(413)
    expect(headers["content-type"]).toContain("application/problem+json")
    expect(headers["connection"]).toBe("close")
    expect(JSON.parse(body)).toMatchObject({ code: "SVC005", title: "Request too large", _tag: "PayloadTooLarge" })
  }

  it.effect("a chunked JSON body over the limit → 413 SVC005, the connection closed after it; under the limit it is read", () =>
    Effect.gen(function*() {
      const token = yield* finder
      const port = yield* serverPort
      const headers = { "content-type": "application/json", authorization: `Bearer ${token}` }
      const body = (pad: number) => JSON.stringify({ ...Examples.requestBodies["learners.findByUln"], pad: "x".repeat(pad) })
      for (const size of [70_000, 1_100_000]) {
        const answer = yield* chunked(port, FIND, body(size), headers)
        tooLarge(answer.status, answer.headers, answer.body)
        expect(JSON.parse(answer.body)).toMatchObject({ detail: "The request body is more than 65536 bytes, the limit." })
      }
      // under the limit the body reaches the operation, which names the unknown property
      const under = yield* chunked(port, FIND, body(1000), headers)
      expect(under.status, under.body).toBe(400)
      expect(JSON.parse(under.body)).toMatchObject({ code: "WSEC0001", errors: [{ field: "pad", message: "is not allowed" }] })
      // signed out too
      const login = yield* chunked(port, LOGIN, JSON.stringify({ username: "admin", password: "x".repeat(100_000) }), { "content-type": "application/json" })
      tooLarge(login.status, login.headers, login.body)
    }))

  it.effect("over a raw socket, a chunked body that does not end gets the 413 before the connection closes", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      const port = yield* serverPort
      for (const [path, type] of [[FIND, "application/json"], [IMPORT, "text/csv"]] as const) {
        const head = `POST ${path} HTTP/1.1\r\nHost: x\r\nContent-Type: ${type}\r\nAuthorization: Bearer ${token}\r\nTransfer-Encoding: chunked\r\n\r\n`
        const received = yield* rawChunked(port, head)
        expect(received, path).toMatch(/^HTTP\/1\.1 413 /)
        expect(received, path).toMatch(/\r\nconnection: close\r\n/i)
        expect(received, path).toContain(`"code":"SVC005"`)
      }
    }))

  it.effect("a Content-Length over the limit → 413 before reading, the connection closed after it", () =>
    Effect.gen(function*() {
      const reply = yield* call("POST", LOGIN, { body: { username: "admin", password: "x".repeat(100_000) } })
      tooLarge(reply.status, reply.headers, reply.text)
      expect(reply.body).toMatchObject({ detail: expect.stringMatching(/^The request body is \d+ bytes; the limit is 65536 bytes\.$/) })
    }))
}, { config: testConfig([["LRS_MAX_BODY_BYTES", "65536"], ["LRS_MAX_FILE_BYTES", "262144"]]) })
