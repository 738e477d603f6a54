import { OpenApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { LearnerRecordsApi, LearnersApi } from "../src/index.js"

const spec = OpenApi.fromApi(LearnerRecordsApi.LearnerRecordsApi)

describe("LearnerRecordsApi", () => {
  it("is OpenAPI 3.1 under /api/v1, every operation summarised and described", () => {
    expect(spec.openapi).toBe("3.1.0")
    const paths = Object.keys(spec.paths)
    expect(paths).toContain("/api/v1/learners/find-by-demographics")
    expect(paths).toContain("/api/v1/learners/{uln}")
    for (const path of paths) {
      for (const op of Object.values(spec.paths[path]!)) {
        if (typeof op !== "object" || op === null || !("operationId" in op)) continue
        expect(op.summary, `${path} summary`).toBeTruthy()
      }
    }
  })
  it("documents errors as application/problem+json", () => {
    const register = spec.paths["/api/v1/learners"]?.post
    const conflict: Record<string, unknown> = { ...register?.responses?.["409"]?.content }
    expect(conflict["application/problem+json"]).toBeDefined()
    expect(register?.responses?.["201"]?.content?.["application/json"]).toBeDefined()
  })
  it("rejects unknown properties in request bodies (no mass assignment)", () => {
    const decode = Schema.decodeUnknownEither(LearnersApi.VerifyLearnerRequest)
    const base = { uln: "1000000043", givenName: "Ada", familyName: "Lovelace" }
    expect(decode(base)._tag).toBe("Right")
    expect(decode({ ...base, owner: "someone" })._tag).toBe("Left")
    expect(Schema.decodeUnknownEither(LearnersApi.RegisterLearnerRequest)({
      givenName: "Ada", familyName: "Lovelace", lastKnownPostCode: "SW1A 2AA", dateOfBirth: "2008-01-01", gender: 2,
      abilityToShare: 1, verificationType: 1, uln: "1000000043"
    })._tag).toBe("Left")
  })
})
