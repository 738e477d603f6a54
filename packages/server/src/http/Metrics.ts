/**
 * Prometheus metrics: requests by method, route and status, and a latency histogram, served as
 * text at `/metrics`.
 *
 * Every label is drawn from a bounded set, so that no request, signed in or not, can add series:
 * the route is the template of the router's route the request reaches, as the router matches it
 * (`/api/v1/achievements/:id/withdraw`; see {@link RouteTable}), or {@link Unmatched}; the method is one of the HTTP
 * methods the platform knows, or {@link OtherMethod}.
 *
 * @since 0.1.0
 */
import { HttpMethod, HttpMiddleware, HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import { RouteTable } from "./Routes.js"

const BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5]

/**
 * The route label of a request whose path matches no route of the router.
 *
 * @since 0.1.2
 * @category labels
 */
export const Unmatched = "unmatched"

/**
 * The method label of a request whose method is none of `HttpMethod.all` (GET, POST, PUT, DELETE,
 * PATCH, HEAD, OPTIONS).
 *
 * @since 0.1.2
 * @category labels
 */
export const OtherMethod = "OTHER"

/**
 * A label value as the text exposition format writes it between double quotes: backslash, double
 * quote and line feed escaped as `\\`, `\"` and `\n`.
 *
 * @since 0.1.2
 * @category labels
 */
export const escapeLabelValue = (value: string): string =>
  value.replace(/[\\"\n]/g, (c) => (c === "\n" ? "\\n" : `\\${c}`))

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

  /** `table`: the routes requests are labelled with (none: every request is {@link Unmatched}). */
  constructor(private readonly table: RouteTable = new RouteTable()) {}

  /** Records one request (label values are escaped here, so any string is safe). */
  observe(method: string, route: string, status: number, seconds: number): void {
    const lkey = `method="${escapeLabelValue(method)}",route="${escapeLabelValue(route)}"`
    const key = `${lkey},status="${status}"`
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1)
    const h = this.latency.get(lkey) ?? { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }
    for (let i = 0; i < BUCKETS.length; i++) if (seconds <= BUCKETS[i]!) h.counts[i]!++
    h.sum += seconds
    h.count++
    this.latency.set(lkey, h)
  }

  /**
   * The label of a request's route: its template; for a path whose routes take other methods (a
   * 405), theirs; else {@link Unmatched}.
   */
  label(method: string, url: string): Effect.Effect<string> {
    return Effect.map(this.table.routes, (routes) => {
      const own = routes.match(method, url)
      if (own !== undefined) return own
      const other = routes.allowed(url)[0]
      return (other === undefined ? undefined : routes.match(other, url)) ?? Unmatched
    })
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

/**
 * The middleware that records every request into `registry`. A request is labelled with the route
 * its path matches even when it is answered before reaching the router (a rate limit, a body too
 * large, an idempotent replay).
 *
 * @since 0.1.0
 * @category middleware
 */
export const middleware = (registry: Registry) =>
  HttpMiddleware.make((app) =>
    Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
      const t0 = performance.now()
      return Effect.flatMap(app, (response) =>
        Effect.map(registry.label(request.method, request.url), (route) => {
          const method = HttpMethod.isHttpMethod(request.method) ? request.method : OtherMethod
          registry.observe(method, route, response.status, (performance.now() - t0) / 1000)
          return response
        }))
    })
  )
