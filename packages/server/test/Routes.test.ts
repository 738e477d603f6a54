import { HttpRouter, HttpServerRequest, HttpServerResponse } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { LearnerRecordsApi as Contract } from "@learner-records/api"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as fc from "fast-check"
import { MaxPathSegmentLength } from "../src/Api.js"
import { keyedOperations } from "../src/http/Idempotency.js"
import { Routes, ofApi } from "../src/http/Routes.js"
import { ADMIN_PASSWORD, call, describeHttp, signIn } from "./http.js"

const table = [
  { method: "POST", path: "/api/v1/achievements" },
  { method: "GET", path: "/api/v1/achievements" },
  { method: "PUT", path: "/api/v1/achievements/:id" },
  { method: "POST", path: "/api/v1/achievements/:id/withdraw" },
  { method: "GET", path: "/api/v1/learners/:uln" },
  { method: "GET", path: "/api/v1/learners/search" },
  { method: "GET", path: "/healthz" },
  { method: "GET", path: "/" },
  { method: "GET", path: "/files/*" }
] as const
const config = { maxParamLength: 1_000 }
const routes = new Routes(table, [], config)

/**
 * The platform's own router over the same routes, each answering with its template: what a
 * request really reaches, to hold `Routes` against.
 */
const platform = (() => {
  const router = table.reduce(
    (r, route) => HttpRouter.route(route.method)(route.path, Effect.succeed(HttpServerResponse.text(route.path)))(r),
    HttpRouter.empty as HttpRouter.HttpRouter<never, never>
  )
  const app = Effect.runSync(HttpRouter.toHttpApp(router).pipe(Effect.locally(HttpRouter.currentRouterConfig, config)))
  return (method: string, url: string): string | undefined => {
    const request = HttpServerRequest.fromWeb(new Request("http://localhost/", { method })).modify({ url })
    const exit = Effect.runSyncExit(Effect.flatMap(
      Effect.provideService(app, HttpServerRequest.HttpServerRequest, request),
      (response) => response.body._tag === "Uint8Array" ? Effect.succeed(new TextDecoder().decode(response.body.body)) : Effect.die("no body")
    ))
    return Exit.isSuccess(exit) ? exit.value : undefined
  }
})()

describe("Routes", () => {
  it("a request reaches the template of its route, whatever its id, query, case, trailing or doubled slash", () => {
    expect(routes.match("POST", "/api/v1/achievements/demo-ach-1/withdraw")).toBe("/api/v1/achievements/:id/withdraw")
    expect(routes.match("PUT", "/api/v1/achievements/q\"uote\\back}")).toBe("/api/v1/achievements/:id")
    expect(routes.match("PUT", "/api/v1/achievements/a%2Fb?x=1")).toBe("/api/v1/achievements/:id")
    expect(routes.match("PUT", `/api/v1/achievements/${"x".repeat(1_000)}`)).toBe("/api/v1/achievements/:id")
    expect(routes.match("GET", "/api/v1/learners/1234567890")).toBe("/api/v1/learners/:uln")
    expect(routes.match("GET", "/api/v1/learners/search?name=x")).toBe("/api/v1/learners/search")
    expect(routes.match("GET", "/")).toBe("/")
    expect(routes.match("GET", "/files/a/b/c")).toBe("/files/*")
    expect(routes.match("HEAD", "/healthz")).toBe("/healthz")
    expect(routes.match("GET", "/healthz/")).toBe("/healthz")
    expect(routes.match("GET", "/HEALTHZ")).toBe("/healthz")
    expect(routes.match("POST", "/api/v1//achievements")).toBe("/api/v1/achievements")
  })

  it("a path or method no route has reaches none", () => {
    expect(routes.match("GET", "/q\"uote\\back}")).toBeUndefined()
    expect(routes.match("DELETE", "/api/v1/achievements/x")).toBeUndefined()
    expect(routes.match("POST", "/api/v1/achievements/x/withdraw/more")).toBeUndefined()
    // the doubled slash is one: there is no empty id
    expect(routes.match("POST", "/api/v1/achievements//withdraw")).toBeUndefined()
    expect(routes.match("PUT", `/api/v1/achievements/${"x".repeat(1_001)}`)).toBeUndefined()
    expect(routes.match("GET", "/%zz")).toBeUndefined()
    expect(routes.match("PROPFIND", "/healthz")).toBeUndefined()
  })

  it("a mounted app takes every path under its prefix", () => {
    const mounted = new Routes(table, ["/docs"], config)
    expect(mounted.match("GET", "/docs")).toBe("/docs/*")
    expect(mounted.match("POST", "/docs/a/b?c")).toBe("/docs/*")
    expect(mounted.match("GET", "/docsx")).toBeUndefined()
  })

  it("allowed lists the methods a path takes, HEAD with GET", () => {
    expect(routes.allowed("/api/v1/achievements")).toEqual(["GET", "HEAD", "POST"])
    expect(routes.allowed("/api/v1/achievements/x")).toEqual(["PUT"])
    expect(routes.allowed("/api/v1/achievements/x/withdraw/")).toEqual(["POST"])
    expect(routes.allowed("/nothing")).toEqual([])
  })

  it("property: every request reaches the route the platform's router gives it", () => {
    const segment = fc.oneof(
      fc.constantFrom("api", "v1", "achievements", "ACHIEVEMENTS", "withdraw", "learners", "search", "files", "healthz", "", "%41", "%zz", "?q=1", "x".repeat(101)),
      fc.string()
    )
    const url = fc.oneof(fc.string().map((s) => `/${s}`), fc.array(segment, { maxLength: 6 }).map((parts) => `/${parts.join("/")}`))
    fc.assert(fc.property(fc.constantFrom("GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "PROPFIND"), url, (method, u) => {
      expect(routes.match(method, u)).toBe(platform(method, u))
    }), { numRuns: 2_000 })
  })
})

describe("keyedOperations", () => {
  const keyed = keyedOperations(Contract.LearnerRecordsApi)
  const api = new Routes(ofApi(Contract.LearnerRecordsApi), [], { maxParamLength: MaxPathSegmentLength })
  const isKeyed = (method: string, url: string) => {
    const template = api.match(method, url)
    return template !== undefined && keyed(method, template)
  }

  it("names the POSTs that change something, however the path is written", () => {
    expect(isKeyed("POST", "/api/v1/learners")).toBe(true)
    expect(isKeyed("POST", "/api/v1/learners/")).toBe(true)
    expect(isKeyed("POST", "/API/V1/Learners")).toBe(true)
    expect(isKeyed("POST", "/api/v1/achievements/ach-1/withdraw")).toBe(true)
    expect(isKeyed("POST", `/api/v1/achievements/${"a".repeat(500)}/withdraw`)).toBe(true)
    expect(isKeyed("POST", "/api/v1/achievements/ach-1/withdraw?x=1")).toBe(true)
    expect(isKeyed("POST", "/api/v1/registration-exceptions/4f1c/resolve")).toBe(true)
  })

  it("not the reads sent as POSTs, other methods, an empty path parameter or an unknown route", () => {
    for (const read of ["/api/v1/learners/find-by-uln", "/api/v1/learners/find-by-demographics", "/api/v1/learners/verify", "/api/v1/plr"]) {
      expect(isKeyed("POST", read)).toBe(false)
    }
    expect(isKeyed("PUT", "/api/v1/achievements/ach-1")).toBe(false)
    expect(isKeyed("POST", "/api/v1/achievements//withdraw")).toBe(false)
    expect(isKeyed("POST", "/api/v1/nothing-here")).toBe(false)
  })
})

describeHttp("Method not allowed", (it) => {
  it.effect("a known path under another method is 405 with Allow, as problem+json; an unknown path stays 404", () =>
    Effect.gen(function*() {
      const wrong = yield* call("GET", "/api/v1/plr")
      expect(wrong.status).toBe(405)
      expect(wrong.headers["allow"]).toBe("POST")
      expect(wrong.headers["content-type"]).toContain("application/problem+json")
      expect(wrong.body).toMatchObject({ code: "WSEC0002", title: "Method not allowed" })
      expect(String((wrong.body as { detail: string }).detail)).toContain("POST")
      expect(wrong.headers["x-request-id"]).toBeTruthy()

      // the router's answer: find-by-uln is also a ULN to PUT to
      const find = yield* call("GET", "/api/v1/learners/find-by-uln")
      expect(find.status).toBe(405)
      expect(find.headers["allow"]).toBe("POST, PUT")

      const put = yield* call("DELETE", "/api/v1/achievements/some-id/")
      expect(put.status).toBe(405)
      expect(put.headers["allow"]).toBe("PUT")

      const both = yield* call("DELETE", "/api/v1/users")
      expect(both.status).toBe(405)
      expect(both.headers["allow"]).toBe("GET, HEAD, POST")

      const post = yield* call("POST", "/healthz")
      expect(post.status).toBe(405)
      expect(post.headers["allow"]).toBe("GET, HEAD")

      const unknown = yield* call("GET", "/api/v1/nothing-here")
      expect(unknown.status).toBe(404)
      expect(unknown.headers["allow"]).toBeUndefined()
    }))

  it.effect("the right method at that path still works, signed in or not", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      expect((yield* call("GET", "/api/v1/me/", { token })).status).toBe(200)
      expect((yield* call("POST", "/api/v1/learners/find-by-uln", { body: {} })).status).toBe(401)
    }))
})
