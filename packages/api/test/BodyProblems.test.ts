import { OpenApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { LearnerRecordsApi } from "../src/index.js"

const spec = OpenApi.fromApi(LearnerRecordsApi.LearnerRecordsApi)

const methods = ["get", "put", "post", "delete", "patch"] as const

describe("the problems of a request body", () => {
  it("413 and 415 are documented on every operation that takes a body, and on no other", () => {
    let withBody = 0
    for (const [path, item] of Object.entries(spec.paths)) {
      for (const method of methods) {
        const op = item[method]
        if (op === undefined) continue
        const statuses = Object.keys(op.responses ?? {})
        const context = `${method} ${path}`
        if (op.requestBody === undefined) {
          expect(statuses, context).not.toContain("413")
          expect(statuses, context).not.toContain("415")
          continue
        }
        withBody++
        for (const [status, schema] of [["413", "PayloadTooLarge"], ["415", "UnsupportedMediaType"]] as const) {
          const content: Record<string, unknown> = { ...op.responses?.[status]?.content }
          expect(Object.keys(content), `${context} ${status}`).toEqual(["application/problem+json"])
          expect(JSON.stringify(content), `${context} ${status}`).toContain(`#/components/schemas/${schema}`)
        }
      }
    }
    expect(withBody).toBeGreaterThan(15)
    expect(spec.components.schemas).toHaveProperty("UnsupportedMediaType")
  })
})
