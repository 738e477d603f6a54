import { OpenApi } from "@effect/platform"
import * as HttpClient from "@effect/platform/HttpClient"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Examples, LearnerRecordsApi } from "@learner-records/api"
import { assert, expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Api from "../src/Api.js"
import * as Demo from "../src/Demo.js"
import { call, countRows, describeHttp, signIn, testConfig } from "./http.js"

type Json = Record<string, unknown>

/** An operation of a document, by id. */
const operationOf = (spec: unknown, operationId: string): Json => {
  for (const item of Object.values((spec as { paths: Record<string, Record<string, Json>> }).paths)) {
    for (const op of Object.values(item)) if (op.operationId === operationId) return op
  }
  throw new Error(`no operation ${operationId}`)
}

/** One parameter of an operation in a document. */
const parameterOf = (spec: unknown, operationId: string, name: string): Json => {
  const found = (operationOf(spec, operationId).parameters as Array<Json>).find((p) => p.name === name)
  if (found === undefined) throw new Error(`no parameter ${name} on ${operationId}`)
  return found
}

/** The request body's media type of an operation in a document. */
const mediaOf = (spec: unknown, operationId: string): Json =>
  (operationOf(spec, operationId) as { requestBody: { content: Record<string, Json> } }).requestBody.content["application/json"]!

describeHttp("Demo data", (it) => {
  it.effect("every scenario gives the outcome it announces, through HTTP, with the demo sign-ins", () =>
    Effect.gen(function*() {
      const data = yield* Demo.seed
      expect(data.logins.map((l) => l.role)).toEqual(expect.arrayContaining([
        "LrsAdmin", "SuperUser", "OnlineUser", "BatchUser", "ViewLearnerOnly", "AwardingBodyUser", "LearnerPlanUser"
      ]))
      const tokens = new Map<string, string>()
      for (const scenario of data.scenarios) {
        if (!tokens.has(scenario.signInAs)) tokens.set(scenario.signInAs, yield* signIn(scenario.signInAs, "lrs-demo-password"))
        const [method, path] = scenario.route.split(" ") as ["POST", string]
        const reply = yield* call(method, path, { token: tokens.get(scenario.signInAs), body: scenario.body })
        const body = reply.body as { responseCode?: string; code?: string }
        expect({ scenario: scenario.outcome, status: reply.status, code: body.responseCode ?? body.code }).toEqual({
          scenario: scenario.outcome,
          status: scenario.status,
          code: scenario.code
        })
      }
      // every find and verify outcome is covered
      const codes = new Set(data.scenarios.map((s) => s.code))
      for (const code of ["WSRC0001", "WSRC0002", "WSRC0003", "WSRC0004", "WSRC0022", "WSVRC001", "WSVRC002", "WSVRC003", "WSVRC005", "WSVRC006"]) {
        assert(codes.has(code), code)
      }
    }))

  it.effect("seeding again changes nothing and returns the same data", () =>
    Effect.gen(function*() {
      const first = yield* Demo.seed
      const learners = yield* countRows("learners")
      const users = yield* countRows("users")
      const again = yield* Demo.seed
      expect(again).toEqual(first)
      expect(yield* countRows("learners")).toBe(learners)
      expect(yield* countRows("users")).toBe(users)
    }))

  it.effect("a server on a database with the demo data offers its requests as examples in /api/openapi.json and /docs", () =>
    Effect.gen(function*() {
      const data = yield* Demo.seed
      // a server started on this database now (the file's own server started before the seed)
      const { docs, document } = yield* Effect.gen(function*() {
        const client = yield* HttpClient.HttpClient
        const document = yield* Effect.flatMap(client.get("/api/openapi.json"), (r) => r.json)
        const docs = yield* Effect.flatMap(client.get("/docs"), (r) => r.text)
        return { docs, document }
      }).pipe(Effect.scoped, Effect.provide(Api.HttpLive.pipe(Layer.provideMerge(NodeHttpServer.layerTest))), Effect.withConfigProvider(testConfig()))

      for (const operation of new Set(data.scenarios.map((s) => s.operation))) {
        const media = mediaOf(document, operation)
        const examples = Object.values(media.examples as Record<string, { summary: string; value: unknown }>)
        const scenarios = data.scenarios.filter((s) => s.operation === operation)
        // the demo's requests first, in the banner's order, then the api's own example; no `example` beside them
        expect(examples.map((e) => e.value), operation).toEqual([...scenarios.map((s) => s.body), (Examples.requestBodies as Json)[operation]])
        expect(examples[0]!.summary, operation).toBe(`${scenarios[0]!.outcome} (as ${scenarios[0]!.signInAs})`)
        expect(media.example, operation).toBeUndefined()
      }
      // every demo user but the admin can sign in from the examples
      const logins = Object.values(mediaOf(document, "auth.login").examples as Record<string, { value: { username: string; password: string } }>)
      expect(logins.slice(0, -1).map((e) => e.value)).toEqual(
        data.logins.filter((l) => l.role !== "LrsAdmin").map((l) => ({ username: l.username, password: "lrs-demo-password" }))
      )
      for (const { value } of logins.slice(0, 3)) expect((yield* call("POST", "/api/v1/auth/login", { body: value })).status, value.username).toBe(200)
      // an operation without demo requests keeps the api's example
      expect(mediaOf(document, "users.resetPassword").example).toEqual(Examples.requestBodies["users.resetPassword"])
      // the path parameters of the demo's requests are examples of those parameters
      const pathValues: ReadonlyArray<readonly [operation: string, name: string, value: string]> = [
        ...data.scenarios.flatMap((s) => {
          const id = /^POST \/api\/v1\/registration-exceptions\/([^/]+)\/resolve$/.exec(s.route)?.[1]
          return id === undefined ? [] : [[s.operation, "id", id] as const]
        }),
        ["achievements.update", "id", "demo-ach-4"],
        ["achievements.reinstate", "id", "demo-ach-4"],
        ...data.scenarios.flatMap((s) => s.operation === "learners.update" ? [[s.operation, "uln", s.route.split("/").at(-1)!] as const] : [])
      ]
      expect(pathValues.map(([operation]) => operation)).toEqual(["registrationExceptions.resolve", "achievements.update", "achievements.reinstate", "learners.update"])
      for (const [operation, name, value] of pathValues) {
        const parameter = parameterOf(document, operation, name)
        expect(Object.values(parameter.examples as Record<string, { value: string }>).map((e) => e.value), `${operation} ${name}`).toContain(value)
        const scenario = data.scenarios.find((s) => s.operation === operation)!
        expect(scenario.route, scenario.outcome).toContain(`/${value}`)
      }
      expect(Object.keys(parameterOf(document, "achievements.withdraw", "id").examples as Json)).toEqual(["demo-ach-4"])
      expect(parameterOf(document, "achievements.list", "uln").examples).toBeUndefined()
      // the docs page embeds the same document
      const summary = `${data.scenarios[0]!.outcome} (as ${data.scenarios[0]!.signInAs})`
      expect(docs.includes(summary), summary).toBe(true)
    }))

  it("offers no sign-in examples when the demo password is not the public default", () => {
    const spec = OpenApi.fromApi(LearnerRecordsApi.LearnerRecordsApi)
    const data: Demo.DemoData = {
      logins: [{ username: "college.super", role: "SuperUser", organisation: "Demo College" }],
      scenarios: [{ operation: "learners.findByUln", route: "POST /api/v1/learners/find-by-uln", signInAs: "college.super", outcome: "WSRC0001 no learner", status: 200, code: "WSRC0001", body: { uln: "9276308686", givenName: "A", familyName: "B" } }]
    }
    const documented = Demo.openApiExamples(data)(spec)
    expect(mediaOf(documented, "auth.login")).toEqual(mediaOf(spec, "auth.login"))
    expect(Object.keys(mediaOf(documented, "learners.findByUln").examples as Json)).toEqual(["WSRC0001", "not-in-the-demo-data"])
    // a path parameter's value is read from the route, where the document's path has the parameter
    const withdraw = { operation: "achievements.withdraw", signInAs: "awards.user", outcome: "200 ACH003", status: 200, code: "ACH003", body: { reason: "r" } }
    const withRoutes = Demo.openApiExamples({
      ...data,
      scenarios: [{ ...withdraw, route: "POST /api/v1/achievements/ach%2F7/withdraw" }, { ...withdraw, route: "POST /api/v1/achievements/withdraw" }]
    })(spec)
    expect(parameterOf(withRoutes, "achievements.withdraw", "id").examples).toEqual({ "ach/7": { summary: "ach/7: 200 ACH003", value: "ach/7" } })
    const withPassword = Demo.openApiExamples({ ...data, password: "lrs-demo-password" })(spec)
    expect(Object.keys(mediaOf(withPassword, "auth.login").examples as Json)).toEqual(["college.super", "not-in-the-demo-data"])
  })
})
