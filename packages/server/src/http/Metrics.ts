/**
 * Prometheus metrics: requests by method, route and status, and a latency histogram, served as
 * text at `/metrics`.
 *
 * Every label is drawn from a bounded set, so that no request, signed in or not, can add series:
 * the route is the template of the router's route the request's path matches
 * (`/api/v1/achievements/:id/withdraw`), or {@link Unmatched}; the method is one of the HTTP
 * methods the platform knows, or {@link OtherMethod}.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, HttpMethod, HttpMiddleware, HttpServerRequest } from "@effect/platform"
import { Effect, type Layer } from "effect"

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

/** What a router is made of, as far as labels go (`HttpRouter.HttpRouter` is one). */
interface RouteSource {
  readonly routes: Iterable<{ readonly method: string; readonly path: string }>
  readonly mounts: Iterable<readonly [prefix: string, ...rest: ReadonlyArray<unknown>]>
}

interface Node {
  readonly statics: Map<string, Node>
  param: Node | undefined
  /** Routes ending here, by method (`*` for any): their template. */
  readonly leaf: Map<string, string>
  /** Routes whose `*` matches the rest of the path from here, by method. */
  readonly rest: Map<string, string>
}

const makeNode = (): Node => ({ statics: new Map(), param: undefined, leaf: new Map(), rest: new Map() })

const byMethod = (routes: Map<string, string>, method: string): string | undefined => routes.get(method) ?? routes.get("*")

/**
 * The routes of a router, to label a request with the template of the route it matches. Matching
 * follows the router's (find-my-way) for the paths this server has: `/`-separated segments, a
 * static segment tried before a `:parameter` (which may be empty) before a `*` (the rest of the
 * path), backtracking when a branch has no route for the method; the path ends at the first `?`,
 * `;` or `#`, is percent-decoded as `decodeURI` does, and a HEAD request falls back to GET.
 *
 * @since 0.1.2
 * @category models
 */
export class Routes {
  private readonly root = makeNode()
  private readonly prefixes: ReadonlyArray<string>

  constructor(
    routes: Iterable<{ readonly method: string; readonly path: string }>,
    mounts: Iterable<string> = []
  ) {
    for (const route of routes) {
      // a path of `*` alone is the router's catch-all
      const segments = route.path === "*" ? ["*"] : route.path.split("/").slice(1)
      this.add(route.method, route.path, segments)
      // an optional last parameter (`/:id?`) is the route without it too, as the router has it
      const last = segments.at(-1)
      if (last !== undefined && last.startsWith(":") && last.endsWith("?")) this.add(route.method, route.path, segments.slice(0, -1))
    }
    this.prefixes = Array.from(mounts)
  }

  /** The routes of a router (an `HttpRouter.HttpRouter`), its mounted apps as `<prefix>/*`. */
  static fromRouter(router: RouteSource): Routes {
    return new Routes(router.routes, Array.from(router.mounts, ([prefix]) => prefix))
  }

  private add(method: string, template: string, segments: ReadonlyArray<string>): void {
    let node = this.root
    for (const [i, segment] of segments.entries()) {
      if (segment === "*" && i === segments.length - 1) {
        node.rest.set(method, template)
        return
      }
      // `::` is an escaped colon; any other `:` makes the segment (or its end) a parameter
      if (segment.includes(":") && !segment.startsWith("::")) node = node.param ??= makeNode()
      else {
        const name = segment.replace(/::/g, ":")
        let next = node.statics.get(name)
        if (next === undefined) node.statics.set(name, next = makeNode())
        node = next
      }
    }
    node.leaf.set(method, template)
  }

  private find(node: Node, segments: ReadonlyArray<string>, i: number, method: string): string | undefined {
    if (i === segments.length) return byMethod(node.leaf, method)
    const next = node.statics.get(segments[i]!)
    const found = (next === undefined ? undefined : this.find(next, segments, i + 1, method)) ??
      (node.param === undefined ? undefined : this.find(node.param, segments, i + 1, method))
    return found ?? byMethod(node.rest, method)
  }

  /**
   * The template of the route `method` and `url` (as in the request line: a path with its query,
   * or an absolute URL) match, or {@link Unmatched}.
   */
  label(method: string, url: string): string {
    let path = url.startsWith("/") ? url : url.replace(/^https?:\/\/.*?\//, "/")
    const end = path.slice(1).search(/[?;#]/)
    if (end !== -1) path = path.slice(0, end + 1)
    for (const prefix of this.prefixes) {
      if (path === prefix || path.startsWith(`${prefix}/`)) return `${prefix}/*`
    }
    if (path.includes("%")) {
      try {
        path = decodeURI(path)
      } catch {
        // the router matches no malformed path either
        return Unmatched
      }
    }
    const segments = path.split("/").slice(1)
    return this.find(this.root, segments, 0, method) ??
      (method === "HEAD" ? this.find(this.root, segments, 0, "GET") : undefined) ??
      Unmatched
  }
}

const noRoutes = new Routes([])

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
  private source: Effect.Effect<RouteSource> | undefined
  private compiled: { readonly from: RouteSource; readonly routes: Routes } | undefined

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
   * Takes route labels from `router` (read at each request, so routes registered after this call
   * count too). Until then every request is {@link Unmatched}.
   */
  labelRoutesOf(router: Effect.Effect<RouteSource>): void {
    this.source = router
  }

  /** The routes requests are labelled with: the router's, compiled once per router value. */
  get routes(): Effect.Effect<Routes> {
    const source = this.source
    if (source === undefined) return Effect.succeed(noRoutes)
    return Effect.map(source, (from) => {
      if (this.compiled?.from !== from) this.compiled = { from, routes: Routes.fromRouter(from) }
      return this.compiled.routes
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
 * Labels `registry`'s requests with the routes of the api's router (`HttpApiBuilder.Router`: the
 * api's endpoints and the routes beside it). Provide it to `HttpApiBuilder.serve`.
 *
 * @since 0.1.2
 * @category layers
 */
export const routes = (registry: Registry): Layer.Layer<never> =>
  HttpApiBuilder.Router.use((router) => Effect.sync(() => registry.labelRoutesOf(router.router)))

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
        Effect.map(registry.routes, (routes) => {
          const method = HttpMethod.isHttpMethod(request.method) ? request.method : OtherMethod
          registry.observe(method, routes.label(request.method, request.url), response.status, (performance.now() - t0) / 1000)
          return response
        }))
    })
  )
