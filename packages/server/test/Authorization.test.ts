/**
 * The role check comes before the request is decoded: a caller who may not call an operation is
 * answered 403 WSEC0006 whatever they sent (a 400 naming fields told them how to shape a request
 * they may not make), and nothing is written.
 */
import { HttpApi, HttpApiSchema } from "@effect/platform"
import { describe, expect, it as unit } from "@effect/vitest"
import { LearnerRecordsApi as Contract, Security } from "@learner-records/api"
import { Access } from "@learner-records/core"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import { operationsOf } from "../src/Authorization.js"
import { call, countRows, describeHttp, organisationWith } from "./http.js"

interface Endpoint {
  readonly name: string
  readonly method: "GET" | "POST" | "PUT" | "DELETE"
  readonly path: string
  readonly operation: Access.Operation | undefined
  /** The body it takes: JSON, text (the register import's CSV) or none. */
  readonly body: "json" | "text" | undefined
}

const endpoints: ReadonlyArray<Endpoint> = (() => {
  const all: Array<Endpoint> = []
  HttpApi.reflect(Contract.LearnerRecordsApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group }) =>
      void all.push({
        name: `${group.identifier}.${endpoint.name}`,
        method: endpoint.method as Endpoint["method"],
        path: endpoint.path,
        operation: Context.getOption(endpoint.annotations, Security.Operation).pipe((o) => o._tag === "Some" ? o.value : undefined),
        body: endpoint.payloadSchema._tag === "Some" && endpoint.method !== "GET"
          ? (HttpApiSchema.getEncoding(endpoint.payloadSchema.value.ast).kind === "Json" ? "json" : "text")
          : undefined
      })
  })
  return all
})()

describe("Security.Operation", () => {
  unit("every endpoint behind authentication, but signing out and who-am-I, names its operation; the server reads them all", () => {
    const open = new Set(["auth.login", "session.logout", "session.me", "service.status"])
    for (const e of endpoints) {
      if (open.has(e.name)) expect(e.operation, e.name).toBeUndefined()
      else expect(e.operation, e.name).toBeDefined()
    }
    expect(operationsOf(Contract.LearnerRecordsApi).size).toBe(endpoints.filter((e) => e.operation !== undefined).length)
  })
})

describeHttp("Authorization before decoding", (it) => {
  it.effect("a caller without the role gets 403 WSEC0006, not 400, for a malformed body or path, on every operation; nothing is written", () =>
    Effect.gen(function*() {
      const lrb = yield* organisationWith(["LRB"], ["OnlineUser", "BatchUser"])
      const ao = yield* organisationWith(["AO"], ["AwardingBodyUser"])
      const callers = [
        { token: lrb.tokens.OnlineUser!, roles: ["OnlineUser"], organisationKinds: ["LRB"] },
        { token: ao.tokens.AwardingBodyUser!, roles: ["AwardingBodyUser"], organisationKinds: ["AO"] },
        { token: lrb.tokens.BatchUser!, roles: ["BatchUser"], organisationKinds: ["LRB"] }
      ] as const
      const before = { learners: yield* countRows("learners"), achievements: yield* countRows("achievements"), users: yield* countRows("users") }
      let checked = 0
      for (const e of endpoints) {
        if (e.operation === undefined) continue
        const operation = e.operation
        const caller = callers.find((c) => !Access.mayCall(operation, { roles: [...c.roles], organisationKinds: [...c.organisationKinds] }))
        expect(caller, `a caller who may not call ${operation}`).toBeDefined()
        // a path parameter no operation accepts (a ULN of letters) and a body of the wrong shape
        const path = e.path.replace(/:[a-zA-Z]+/g, "not-a-valid-id!")
        const reply = yield* call(e.method, path, {
          token: caller!.token,
          ...(e.body === "json" ? { body: { notAField: [1, 2, 3] } } : {}),
          // a file in the media type it takes (another is 415 before anything, as for any caller)
          ...(e.body === "text" ? { text: { body: "not,a\nregister\"file", contentType: "text/csv" } } : {})
        })
        expect(reply.status, `${e.name} (${e.method} ${path}): ${reply.text}`).toBe(403)
        expect(reply.body, e.name).toMatchObject({ code: "WSEC0006", detail: expect.stringContaining(operation) })
        checked++
      }
      expect(checked).toBeGreaterThanOrEqual(20)
      expect({ learners: yield* countRows("learners"), achievements: yield* countRows("achievements"), users: yield* countRows("users") }).toEqual(before)
    }))

  it.effect("a caller with the role still gets the 400 naming the field", () =>
    Effect.gen(function*() {
      const lrb = yield* organisationWith(["LRB"], ["OnlineUser"])
      const reply = yield* call("POST", "/api/v1/learners/find-by-uln", { token: lrb.tokens.OnlineUser!, body: { notAField: 1 } })
      expect(reply.status).toBe(400)
      expect(reply.body).toMatchObject({ code: "WSEC0001" })
      const noCredential = yield* call("POST", "/api/v1/learners/find-by-uln", { body: { notAField: 1 } })
      expect(noCredential.status).toBe(401)
    }))
})
