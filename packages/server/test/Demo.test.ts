import { assert, expect } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Demo from "../src/Demo.js"
import { call, countRows, describeHttp, signIn } from "./http.js"

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
})
