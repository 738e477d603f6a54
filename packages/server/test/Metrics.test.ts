import { HttpApi } from "@effect/platform"
import * as HttpClient from "@effect/platform/HttpClient"
import { describe, expect, it } from "@effect/vitest"
import { LearnerRecordsApi as Contract } from "@learner-records/api"
import * as Effect from "effect/Effect"
import * as fc from "fast-check"
import * as Metrics from "../src/http/Metrics.js"
import { call, describeHttp, rawRequest, unique } from "./http.js"

// --- the text exposition format (Prometheus 0.0.4), as a scraper reads it -------------------------

interface Sample {
  readonly name: string
  readonly labels: ReadonlyMap<string, string>
  readonly value: string
}

const metricName = /^[a-zA-Z_:][a-zA-Z0-9_:]*/
const labelName = /^[a-zA-Z_][a-zA-Z0-9_]*/
const value = /^(?:NaN|[+-]?Inf|[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$/

/**
 * Parses one sample line: `name{label="value",...} value [timestamp]`, a label value between double
 * quotes with `\\`, `\"` and `\n` as its only escapes and no raw `"`, `\` or line feed. Undefined
 * when the line is not one.
 */
const parseSample = (line: string): Sample | undefined => {
  const name = metricName.exec(line)?.[0]
  if (name === undefined) return undefined
  let i = name.length
  const labels = new Map<string, string>()
  if (line[i] === "{") {
    i++
    while (line[i] !== "}") {
      const label = labelName.exec(line.slice(i))?.[0]
      if (label === undefined || line[i + label.length] !== "=" || line[i + label.length + 1] !== "\"") return undefined
      i += label.length + 2
      let text = ""
      for (;;) {
        const c = line[i]
        if (c === undefined || c === "\n") return undefined
        if (c === "\"") break
        if (c === "\\") {
          const escaped = line[i + 1]
          if (escaped === "\\" || escaped === "\"") text += escaped
          else if (escaped === "n") text += "\n"
          else return undefined
          i += 2
        } else {
          text += c
          i++
        }
      }
      if (labels.has(label)) return undefined
      labels.set(label, text)
      i++
      if (line[i] === ",") i++
      else if (line[i] !== "}") return undefined
    }
    i++
  }
  if (line[i] !== " ") return undefined
  const [sample, timestamp, ...more] = line.slice(i + 1).split(" ")
  if (sample === undefined || !value.test(sample) || more.length > 0) return undefined
  if (timestamp !== undefined && !/^-?\d+$/.test(timestamp)) return undefined
  return { name, labels, value: sample }
}

const comment = /^# (?:HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (?:counter|gauge|histogram|summary|untyped))$/

/** The page's lines, each checked against the format (the page ends with a line feed). */
const parsePage = (page: string): ReadonlyArray<Sample> => {
  expect(page.endsWith("\n")).toBe(true)
  const samples: Array<Sample> = []
  for (const line of page.slice(0, -1).split("\n")) {
    if (line.startsWith("#")) {
      expect(line, "a comment line of the exposition format").toMatch(comment)
      continue
    }
    const sample = parseSample(line)
    expect(sample, `a sample line of the exposition format: ${JSON.stringify(line)}`).toBeDefined()
    samples.push(sample!)
  }
  return samples
}

const requestsOf = (samples: ReadonlyArray<Sample>) => samples.filter((s) => s.name === "lrs_http_requests_total")

// --- unit ------------------------------------------------------------------------------------------

describe("Metrics.Registry", () => {
  it("a label value with a double quote, a backslash or a line feed is escaped as the format says", () => {
    const registry = new Metrics.Registry()
    registry.observe("GET", "/q\"uote\\back}\nnext", 404, 0.002)
    const page = registry.render()
    expect(page).toContain(`lrs_http_requests_total{method="GET",route="/q\\"uote\\\\back}\\nnext",status="404"} 1`)
    const [sample] = requestsOf(parsePage(page))
    expect(sample?.labels.get("route")).toBe("/q\"uote\\back}\nnext")
  })

  it("property: whatever the method and route, every line of the page parses and gives back the same label values", () => {
    const awkward = fc.string({ unit: fc.constantFrom("\"", "\\", "\n", "n", "}", "{", ",", "=", " ", "/", "é", "\r", "\u2028") })
    const text = fc.oneof(awkward, fc.string({ unit: "binary" }))
    fc.assert(
      fc.property(text, text, fc.integer({ min: 100, max: 599 }), (method, route, status) => {
        const registry = new Metrics.Registry()
        registry.observe(method, route, status, 0.01)
        const samples = parsePage(registry.render())
        const [request] = requestsOf(samples)
        expect(Object.fromEntries(request!.labels)).toEqual({ method, route, status: String(status) })
        const buckets = samples.filter((s) => s.name === "lrs_http_request_duration_seconds_bucket")
        expect(buckets).toHaveLength(13)
        for (const bucket of buckets) {
          expect(bucket.labels.get("method")).toBe(method)
          expect(bucket.labels.get("route")).toBe(route)
        }
      }),
      { numRuns: 300 }
    )
  })
})

// --- over HTTP -------------------------------------------------------------------------------------

/** The test server's port, as its client addresses it. */
const serverPort = Effect.gen(function*() {
  const client = yield* HttpClient.HttpClient
  const response = yield* client.get("/healthz")
  return Number(new URL(response.request.url).port)
}).pipe(Effect.scoped, Effect.orDie)

/** Every route the server has: the api's endpoints and the service routes beside them. */
const templates = (() => {
  const paths = new Set<string>([Metrics.Unmatched, "/healthz", "/readyz", "/metrics", "/", "/favicon.ico", "/docs", "/api/openapi.json"])
  HttpApi.reflect(Contract.LearnerRecordsApi, { onGroup: () => {}, onEndpoint: ({ endpoint }) => void paths.add(endpoint.path) })
  return paths
})()

/** The `/metrics` page, checked line by line against the format and for labels from bounded sets. */
const metricsPage = Effect.gen(function*() {
  const page = yield* call("GET", "/metrics")
  expect(page.status).toBe(200)
  const samples = parsePage(page.text)
  const labelled = samples.filter((s) => s.labels.has("route"))
  expect(labelled.length).toBeGreaterThan(0)
  for (const sample of labelled) {
    expect(templates.has(sample.labels.get("route")!), `route label ${sample.labels.get("route")}`).toBe(true)
    expect(["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", Metrics.OtherMethod]).toContain(sample.labels.get("method"))
  }
  return { text: page.text, requests: requestsOf(samples).map((s) => Object.fromEntries(s.labels)) }
})

describeHttp("Metrics", (it) => {
  it.effect("a raw request to an odd path (quote, backslash) and one with an unknown method are labelled unmatched and OTHER; the page still parses", () =>
    Effect.gen(function*() {
      const port = yield* serverPort
      const odd = yield* rawRequest(port, "GET /q\"uote\\back} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
      expect(odd).toMatch(/^HTTP\/1\.1 404 /)
      const other = yield* rawRequest(port, `PROPFIND /${unique()} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`)
      expect(other).toMatch(/^HTTP\/1\.1 \d{3} /)
      const page = yield* metricsPage
      expect(page.text).not.toContain("uote")
      expect(page.requests).toContainEqual({ method: "GET", route: Metrics.Unmatched, status: "404" })
      expect(page.requests.some((r) => r.method === Metrics.OtherMethod && r.route === Metrics.Unmatched)).toBe(true)
    }))

  it.effect("requests to an achievement by id are labelled with the route's template, not the id", () =>
    Effect.gen(function*() {
      const id = `qa-${unique()}`
      expect((yield* call("PUT", `/api/v1/achievements/${id}`, { body: {} })).status).toBe(401)
      expect((yield* call("POST", `/api/v1/achievements/${id}/withdraw`, { body: {} })).status).toBe(401)
      const page = yield* metricsPage
      expect(page.text).not.toContain(id)
      expect(page.requests).toContainEqual({ method: "PUT", route: "/api/v1/achievements/:id", status: "401" })
      expect(page.requests).toContainEqual({ method: "POST", route: "/api/v1/achievements/:id/withdraw", status: "401" })
    }))

  it.effect("a 405 is labelled with the route of its path, not unmatched", () =>
    Effect.gen(function*() {
      expect((yield* call("GET", "/api/v1/plr")).status).toBe(405)
      const page = yield* metricsPage
      expect(page.requests).toContainEqual({ method: "GET", route: "/api/v1/plr", status: "405" })
    }))
})
