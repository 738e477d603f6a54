import { describe, expect, it } from "@effect/vitest"
import { Effect } from "effect"
import {
  createClient,
  type CreateClientOptions,
  LrsAbortError,
  LrsBadRequest,
  LrsError,
  LrsInvalidRequest,
  LrsNetworkError,
  LrsNotFound,
  LrsTimeoutError,
  LrsTooManyRequests,
  LrsUnexpectedResponse,
  LrsUnprocessable
} from "../src/index.js"
import { problem, type ScriptServer, scriptServer, type Seen, type Step } from "./scriptServer.js"

const caller = {
  userId: "u1",
  username: "ada",
  organisationId: "o1",
  organisationName: "Example College",
  ukprn: null,
  organisationKinds: ["LRB"],
  olass: false,
  roles: ["SuperUser"],
  via: "token"
}

const user = {
  id: "u2",
  username: "grace",
  displayName: "Grace Hopper",
  email: null,
  organisationId: "o1",
  roles: ["OnlineUser"],
  status: "active",
  createdAt: "2026-01-01T00:00:00.000Z"
}

const search = { givenName: "Ada", familyName: "Lovelace", dateOfBirth: "1990-12-10", gender: 2, postcode: "SW1A 1AA" } as const

/**
 * Runs `f` with a Promise client over a script server (closed afterwards), inside an effect so
 * the server lives in the test's scope.
 */
const withClient = <A>(
  steps: ReadonlyArray<Step>,
  f: (lrs: ReturnType<typeof createClient>, seen: ReadonlyArray<Seen>, server: () => ScriptServer) => Promise<A>,
  options: Omit<CreateClientOptions, "baseUrl"> = {}
) =>
  Effect.gen(function*() {
    const server = yield* scriptServer(steps)
    const lrs = createClient({ baseUrl: server.url, retry: { baseDelay: 10 }, ...options })
    return yield* Effect.promise(() => f(lrs, server.seen, () => server))
  })

/** The error a promise rejects with (fails the test when it resolves). */
const rejection = async (promise: Promise<unknown>): Promise<unknown> => {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error("expected the call to fail")
}

describe("createClient", () => {
  it.scopedLive("takes a body as the only argument and resolves with plain data and its request id", () =>
    withClient([{ body: { responseCode: "WSRC0001", learners: [] } }], async (lrs, seen) => {
      const result = await lrs.learners.findByDemographics(search)
      expect(result.responseCode).toBe("WSRC0001")
      expect(Object.getPrototypeOf(result)).toBe(Object.prototype)
      expect(result.requestId).toBe(seen[0]!.headers["x-request-id"])
      expect(lrs.lastRequestId).toBe(result.requestId)
      expect(JSON.stringify(result)).toBe(`{"responseCode":"WSRC0001","learners":[]}`)
      expect(seen[0]!.method).toBe("POST")
      expect(seen[0]!.url).toBe("/api/v1/learners/find-by-demographics")
      expect(JSON.parse(seen[0]!.body)).toEqual(search)
    }, { apiKey: "key" }))

  it.scopedLive("takes nothing, a path alone, query parameters alone, or { path, payload }", () =>
    withClient(
      [{ body: caller }, { body: user }, { body: user }, { body: { achievements: [], nextCursor: null } }],
      async (lrs, seen) => {
        const me = await lrs.session.me()
        expect(me.roles).toEqual(["SuperUser"])
        const revoked = await lrs.users.revoke({ id: "u2" })
        expect(revoked.displayName).toBe("Grace Hopper")
        await lrs.users.resetPassword({ path: { id: "u2" }, payload: { password: "a long new password" } })
        const page = await lrs.achievements.list({ uln: "1000000043", limit: 10 })
        expect(page.achievements).toEqual([])
        expect(seen.map((s) => `${s.method} ${s.url}`)).toEqual([
          "GET /api/v1/me",
          "POST /api/v1/users/u2/revoke",
          "POST /api/v1/users/u2/reset-password",
          "GET /api/v1/achievements?uln=1000000043&limit=10"
        ])
        expect(JSON.parse(seen[2]!.body)).toEqual({ password: "a long new password" })
      },
      { token: "t" }
    ))

  it.scopedLive("throws the problem as the class of its status, with code, field errors and request id", () =>
    withClient(
      [{
        status: 404,
        body: { ...problem("NotFound", "SVC004", "rid-1"), errors: [{ field: "id", message: "no such user" }] }
      }],
      async (lrs) => {
        const e = await rejection(lrs.users.revoke({ id: "nope" }))
        expect(e).toBeInstanceOf(LrsNotFound)
        expect(e).toBeInstanceOf(LrsError)
        expect(e).toBeInstanceOf(Error)
        if (!(e instanceof LrsError)) throw e
        expect(e.code).toBe("SVC004")
        expect(e.status).toBe(404)
        expect(e.title).toBe("NotFound")
        expect(e.detail).toBe("NotFound (SVC004)")
        expect(e.errors).toEqual([{ field: "id", message: "no such user" }])
        expect(e.requestId).toBe("rid-1")
        expect(e.operation).toBe("users.revoke")
        expect(e.name).toBe("LrsNotFound")
      },
      { token: "t" }
    ))

  it.scopedLive("reads a problem the operation does not declare by its status", () =>
    withClient([{ status: 422, body: problem("Unprocessable", "SVC002") }], async (lrs) => {
      const e = await rejection(lrs.session.logout())
      expect(e).toBeInstanceOf(LrsUnprocessable)
      expect(e instanceof LrsError && e.code === "SVC002").toBe(true)
    }, { token: "t" }))

  it.scopedLive("throws LrsUnexpectedResponse for an answer that is no problem", () =>
    withClient([{ status: 502, headers: { "content-type": "text/html" }, body: "<html>bad gateway</html>" }], async (lrs) => {
      const e = await rejection(lrs.service.status())
      expect(e).toBeInstanceOf(LrsUnexpectedResponse)
      expect(e instanceof LrsError && e.status).toBe(502)
      expect(e instanceof LrsError && e.code).toBe("UNEXPECTED_RESPONSE")
    }))

  it.scopedLive("validates the request before sending it", () =>
    withClient([], async (lrs, seen) => {
      const e = await rejection(lrs.learners.findByUln({ uln: "123", givenName: "Ada", familyName: "Lovelace" }))
      expect(e).toBeInstanceOf(LrsInvalidRequest)
      expect(e).toBeInstanceOf(LrsBadRequest)
      if (!(e instanceof LrsError)) throw e
      expect(e.code).toBe("WSEC0001")
      expect(e.status).toBe(400)
      expect(e.errors.map((f) => f.field)).toEqual(["uln"])
      expect(seen).toHaveLength(0)
    }))

  it.scopedLive("throws LrsNetworkError and LrsTimeoutError", () =>
    withClient([{ drop: true }, { delay: 1000, body: {} }], async (lrs) => {
      const dropped = await rejection(lrs.service.status({ retry: false }))
      expect(dropped).toBeInstanceOf(LrsNetworkError)
      expect(dropped instanceof LrsError && dropped.code).toBe("NETWORK")
      const slow = await rejection(lrs.service.status({ retry: false, timeout: 100 }))
      expect(slow).toBeInstanceOf(LrsTimeoutError)
      expect(slow).toBeInstanceOf(LrsNetworkError)
      expect(slow instanceof LrsError && slow.code).toBe("TIMEOUT")
    }))

  it.scopedLive("aborts a call through its signal, closing its request", () =>
    withClient([{ delay: 2000, body: {} }], async (lrs, seen, server) => {
      const controller = new AbortController()
      const started = Date.now()
      const pending = rejection(lrs.service.status({ signal: controller.signal }))
      setTimeout(() => controller.abort(), 100)
      const e = await pending
      expect(Date.now() - started).toBeLessThan(1500)
      expect(e).toBeInstanceOf(LrsAbortError)
      expect(e instanceof Error && e.name).toBe("AbortError")
      await new Promise((resolve) => setTimeout(resolve, 100))
      expect(server().abandoned()).toBe(1)
      const before = seen.length
      const already = await rejection(lrs.service.status({ signal: AbortSignal.abort() }))
      expect(already).toBeInstanceOf(LrsAbortError)
      expect(seen.length).toBe(before)
    }))

  it.scopedLive("an abort while waiting to retry stops the retries", () =>
    withClient(
      [{ status: 503, headers: { "retry-after": "3" }, body: problem("ServiceUnavailable", "WSEC0004") }, { body: {} }],
      async (lrs, seen) => {
        const started = Date.now()
        const e = await rejection(lrs.service.status({ signal: AbortSignal.timeout(150) }))
        expect(e).toBeInstanceOf(LrsAbortError)
        expect(Date.now() - started).toBeLessThan(2000)
        expect(seen).toHaveLength(1)
      }
    ))

  it.scopedLive("retries 429 then throws LrsTooManyRequests with Retry-After", () =>
    withClient(
      [
        { status: 429, headers: { "retry-after": "0" }, body: problem("TooManyRequests", "SVC001") },
        { status: 429, headers: { "retry-after": "7" }, body: problem("TooManyRequests", "SVC001") }
      ],
      async (lrs, seen) => {
        const e = await rejection(lrs.service.status({ retry: { maxRetries: 1, maxDelay: 1000 } }))
        expect(e).toBeInstanceOf(LrsTooManyRequests)
        expect(e instanceof LrsTooManyRequests && e.retryAfter).toBe(7)
        expect(seen).toHaveLength(2)
        expect(seen[0]!.headers["x-request-id"]).toBe(seen[1]!.headers["x-request-id"])
      }
    ))

  it.scopedLive("sends the request id and idempotency key given per call", () =>
    withClient([{ status: 503 }, { status: 204 }], async (lrs, seen) => {
      const result = await lrs.session.logout({ requestId: "rid-7", idempotencyKey: "key-7" })
      expect(result).toBeUndefined()
      expect(lrs.lastRequestId).toBe("rid-7")
      expect(seen.map((s) => [s.headers["x-request-id"], s.headers["idempotency-key"]])).toEqual([
        ["rid-7", "key-7"],
        ["rid-7", "key-7"]
      ])
    }, { token: "t" }))

  it.scopedLive("login stores the token for later calls", () =>
    withClient(
      [
        { body: { token: "tok-9", tokenType: "Bearer", expiresAt: "2026-01-01T08:00:00Z", expiresIn: 28800, user: caller } },
        { body: caller }
      ],
      async (lrs, seen) => {
        const login = await lrs.login("ada", "a long password")
        expect(login.user.username).toBe("ada")
        expect(lrs.credentials).toEqual({ token: "tok-9" })
        await lrs.session.me()
        expect(seen[0]!.headers["authorization"]).toBeUndefined()
        expect(JSON.parse(seen[0]!.body)).toEqual({ username: "ada", password: "a long password" })
        expect(seen[1]!.headers["authorization"]).toBe("Bearer tok-9")
        lrs.setCredentials({ apiKey: "k" })
        expect(lrs.credentials).toEqual({ apiKey: "k" })
      }
    ))

  it.scopedLive("uses the fetch it is given", () =>
    Effect.gen(function*() {
      const server = yield* scriptServer([{ body: caller }])
      const urls: Array<string> = []
      const lrs = createClient({
        baseUrl: server.url,
        apiKey: "k",
        fetch: (input, init) => {
          urls.push(String(input))
          return fetch(input, init)
        }
      })
      yield* Effect.promise(() => lrs.session.me())
      expect(urls).toEqual([`${server.url}/api/v1/me`])
    }))

  it("refuses both an API key and a token", () => {
    expect(() => createClient({ baseUrl: "http://localhost", apiKey: "k", token: "t" })).toThrow(TypeError)
  })
})
