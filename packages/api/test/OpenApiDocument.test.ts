import { describe, expect, it } from "@effect/vitest"
import { OpenApiDocument } from "../src/index.js"

describe("OpenApiDocument", () => {
  it("maps every operation of every path, with its method and path, and leaves the rest as it was", () => {
    const spec = {
      openapi: "3.1.0",
      paths: {
        "/a": { get: { operationId: "a.get" }, post: { operationId: "a.post" }, summary: "not an operation" },
        "/b": { put: { operationId: "b.put" } },
        "/odd": null
      },
      components: { schemas: {} }
    }
    const seen: Array<string> = []
    const out = OpenApiDocument.mapOperations(spec, (op, method, path) => {
      seen.push(`${method} ${path}`)
      return { ...op, marked: true }
    })
    expect(seen).toEqual(["get /a", "post /a", "put /b"])
    expect(out).toEqual({
      openapi: "3.1.0",
      paths: {
        "/a": { get: { operationId: "a.get", marked: true }, post: { operationId: "a.post", marked: true }, summary: "not an operation" },
        "/b": { put: { operationId: "b.put", marked: true } },
        "/odd": null
      },
      components: { schemas: {} }
    })
    // the input is not changed
    expect(spec.paths["/a"].get).toEqual({ operationId: "a.get" })
    expect(OpenApiDocument.mapOperations({ openapi: "3.1.0" }, (op) => op)).toEqual({ openapi: "3.1.0", paths: {} })
  })

  it("tells JSON objects from arrays, null and scalars", () => {
    expect([{}, { a: 1 }].map(OpenApiDocument.isJson)).toEqual([true, true])
    expect([[], null, undefined, "x", 1].map(OpenApiDocument.isJson)).toEqual([false, false, false, false, false])
    expect(OpenApiDocument.objectAt({ a: { b: 1 }, c: [1], d: "x" }, "a")).toEqual({ b: 1 })
    expect(["c", "d", "missing"].map((k) => OpenApiDocument.objectAt({ c: [1], d: "x" }, k))).toEqual([{}, {}, {}])
  })
})
