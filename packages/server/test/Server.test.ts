import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpServer from "@effect/platform/HttpServer"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import { assert, expect, layer } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Api from "../src/Api.js"
import * as Health from "../src/Health.js"
import * as Migrations from "../src/Migrations.js"
import * as Server from "../src/Server.js"
import { rawRequest, testConfig } from "./http.js"
import { PgliteTest } from "./utils.js"

const get = (path: string) =>
  Effect.gen(function*() {
    const response = yield* HttpClient.get(path)
    return { status: response.status, body: yield* response.json }
  }).pipe(Effect.scoped)

// the routes on a random port, over one in-memory PGlite for the whole file
const TestServer = Api.HttpLive.pipe(
  Layer.provideMerge(NodeHttpServer.layerTest),
  Layer.provideMerge(PgliteTest),
  Layer.provideMerge(Layer.succeed(Health.ReadinessTimeout, Duration.millis(300))),
  Layer.provide(Layer.setConfigProvider(testConfig()))
)

layer(TestServer, { timeout: "60 seconds", excludeTestServices: true })("Server on PGlite", (it) => {
  it.effect("GET /healthz → 200 ok", () =>
    Effect.gen(function*() {
      expect(yield* get("/healthz")).toEqual({ status: 200, body: { status: "ok" } })
    }))

  it.effect("GET /readyz → 503 until the migrations are applied, then 200", () =>
    Effect.gen(function*() {
      expect(yield* get("/readyz")).toEqual({
        status: 503,
        body: { status: "unavailable", reason: "migrations-pending", migration: 0, latestMigration: Migrations.latestId }
      })
      yield* Migrations.run
      expect(yield* get("/readyz")).toEqual({ status: 200, body: { status: "ready" } })
    }))

  it.effect("GET /readyz → 503 when the database does not answer", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      // hold the only PGlite session longer than the readiness timeout
      const blocker = yield* Effect.fork(sql.withTransaction(Effect.sleep("1 second")))
      yield* Effect.sleep("50 millis")
      const answer = yield* get("/readyz")
      yield* blocker.await
      expect(answer).toEqual({ status: 503, body: { status: "unavailable", reason: "database-unreachable" } })
    }), 15_000)

  it.effect("unknown routes → 404", () =>
    Effect.gen(function*() {
      const response = yield* HttpClient.get("/nope")
      expect(response.status).toBe(404)
    }).pipe(Effect.scoped))
})

layer(Layer.empty, { excludeTestServices: true })("Server.serve", (it) => {
  it.effect("migrates, listens on the requested port and stops with its scope", () =>
    Effect.gen(function*() {
      const address = yield* Effect.scoped(Effect.gen(function*() {
        const { address, started } = yield* Server.serve({ port: 0, database: PgliteTest })
        // an empty database: the admin account was created with a generated password
        assert(started.admin._tag === "Created")
        expect(started.admin.username).toBe("admin")
        expect(Option.getOrThrow(started.admin.password).length).toBeGreaterThanOrEqual(20)
        assert(address._tag === "TcpAddress")
        expect(address.hostname).toBe("127.0.0.1")
        const url = `http://127.0.0.1:${address.port}`
        const ready = yield* HttpClient.get(`${url}/readyz`).pipe(
          Effect.flatMap(HttpClientResponse.schemaBodyJson(Health.ReadinessJson)),
          Effect.scoped
        )
        expect(ready.status).toBe("ready")
        return address
      }))
      // the scope is closed: the port no longer answers
      const after = yield* Effect.either(HttpClient.get(`http://127.0.0.1:${address.port}/healthz`))
      expect(after._tag).toBe("Left")
      expect(HttpServer.formatAddress(address)).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    }).pipe(Effect.provide(FetchHttpClient.layer)), 60_000)

  it.effect("a request node cannot parse (a malformed header, headers over 16 KiB) gets a problem with a request id, not node's bare status line", () =>
    Effect.scoped(Effect.gen(function*() {
      const { address } = yield* Server.serve({ port: 0, database: PgliteTest })
      assert(address._tag === "TcpAddress")
      const answerOf = (raw: string) => {
        const [head = "", body = ""] = raw.split("\r\n\r\n", 2)
        const headers = new Map(head.split("\r\n").slice(1).map((line) => {
          const colon = line.indexOf(":")
          return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as const
        }))
        return { statusLine: head.split("\r\n", 1)[0], headers, body: JSON.parse(body) as { requestId: string; code: string; title: string } }
      }
      const malformed = answerOf(yield* rawRequest(address.port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nthis is not a header\r\n\r\n"))
      expect(malformed.statusLine).toBe("HTTP/1.1 400 Bad Request")
      expect(malformed.headers.get("content-type")).toBe("application/problem+json")
      expect(malformed.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/)
      expect(malformed.body).toMatchObject({ code: "WSEC0001", title: "Invalid request", errors: [], requestId: malformed.headers.get("x-request-id") })
      const huge = answerOf(yield* rawRequest(address.port, `GET /healthz HTTP/1.1\r\nHost: localhost\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`))
      expect(huge.statusLine).toBe("HTTP/1.1 431 Request Header Fields Too Large")
      expect(huge.body).toMatchObject({ code: "WSEC0001", title: "Request header fields too large", requestId: huge.headers.get("x-request-id") })
      // a CONNECT (node answers none: the socket closed with nothing said)
      const connect = answerOf(yield* rawRequest(address.port, "CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n"))
      expect(connect.statusLine).toBe("HTTP/1.1 501 Not Implemented")
      expect(connect.body).toMatchObject({ code: "WSEC0001", requestId: connect.headers.get("x-request-id") })
      // the server goes on answering
      expect(yield* rawRequest(address.port, "GET /healthz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")).toMatch(/^HTTP\/1\.1 200 /)
    })), 60_000)

  it.effect("ServerConfig reads PORT and HOST with defaults 3000 and 127.0.0.1", () =>
    Effect.gen(function*() {
      const read = (env: ReadonlyArray<readonly [string, string]>) =>
        Effect.withConfigProvider(Server.ServerConfig, ConfigProvider.fromMap(new Map(env)))
      expect(yield* read([])).toEqual({ port: 3000, host: "127.0.0.1" })
      expect(yield* read([["PORT", "8080"], ["HOST", "0.0.0.0"]])).toEqual({ port: 8080, host: "0.0.0.0" })
      expect(yield* Effect.flip(read([["PORT", "http"]]))).toBeDefined()
    }))
})
