/**
 * Prometheus metrics: requests by method, route and status, and a latency histogram, served as
 * text at `/metrics`.
 *
 * @since 0.1.0
 */
import { HttpMiddleware, HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/**
 * An in-process registry of request counters and latency histograms.
 *
 * @since 0.1.0
 * @category models
 */
export class Registry {
  private readonly requests = new Map<string, number>()
  private readonly latency = new Map<string, { counts: Array<number>; sum: number; count: number }>()
  private readonly started = Date.now()

  /** Records one request. */
  observe(method: string, route: string, status: number, seconds: number): void {
    const key = `method="${method}",route="${route}",status="${status}"`
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1)
    const lkey = `method="${method}",route="${route}"`
    const h = this.latency.get(lkey) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++
    h.sum += seconds
    h.count++
    this.latency.set(lkey, h)
  }

  /** The Prometheus text exposition. */
  render(): string {
    const lines = [
      "# HELP lrs_http_requests_total HTTP requests served.",
      "# TYPE lrs_http_requests_total counter"
    ]
    for (const [labels, n] of this.requests) lines.push(`lrs_http_requests_total{${labels}} ${n}`)
    lines.push("# HELP lrs_http_request_duration_seconds Time to answer an HTTP request.", "# TYPE lrs_http_request_duration_seconds histogram")
    for (const [labels, h] of this.latency) {
      BUCKETS.forEach((le, i) => lines.push(`lrs_http_request_duration_seconds_bucket{${labels},le="${le}"} ${h.counts[i]}`))
      lines.push(`lrs_http_request_duration_seconds_bucket{${labels},le="+Inf"} ${h.count}`)
      lines.push(`lrs_http_request_duration_seconds_sum{${labels}} ${h.sum}`)
      lines.push(`lrs_http_request_duration_seconds_count{${labels}} ${h.count}`)
    }
    lines.push("# HELP lrs_process_uptime_seconds Seconds since the server started.", "# TYPE lrs_process_uptime_seconds gauge")
    lines.push(`lrs_process_uptime_seconds ${(Date.now() - this.started) / 1000}`)
    return lines.join("\n") + "\n"
  }
}

// ULNs and ids in paths would make one series per learner: replace them by placeholders.
const routeOf = (url: string): string =>
  (url.split("?")[0] ?? url).replace(/\/[0-9]{10}(?=\/|$)/g, "/{uln}").replace(/\/[0-9a-f]{8}-[0-9a-f-]{27,}(?=\/|$)/gi, "/{id}")

/**
 * The middleware that records every request into `registry`.
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = (registry: Registry) =>
  HttpMiddleware.make((app) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const t0 = performance.now()
      return Effect.map(app, (response) => {
        registry.observe(request.method, routeOf(request.url), response.status, (performance.now() - t0) / 1000)
        return response
      })
    })
  )
