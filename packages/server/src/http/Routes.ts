/**
 * Which route a request is for, answered as the server's router answers it. The metrics label a
 * request with its route, the idempotency middleware asks whether the route takes a key, and a
 * path that exists under another method is 405 with `Allow` — each before (or without) the router
 * running, so each needs the router's own answer. `Routes` builds the same router as the platform
 * (find-my-way-ts, with the router configuration the api is served with) over the same routes,
 * so every one of them agrees with it on every path: a trailing slash, `//`, letter case, a query,
 * `%`-escapes, an over-long parameter, HEAD served by GET.
 *
 * @since 0.1.2
 */
import { HttpApi, HttpApiBuilder, type HttpMethod, HttpMiddleware, HttpRouter, HttpServerError, HttpServerResponse } from "@effect/platform"
import { Problem } from "@learner-records/api"
import { Effect, FiberRef, type Layer } from "effect"
import * as FindMyWay from "find-my-way-ts"
import { toResponse } from "./Problems.js"
import { currentRequestId } from "./RequestId.js"

/**
 * What a router is made of, as far as matching goes (`HttpRouter.HttpRouter` is one).
 *
 * @since 0.1.2
 * @category models
 */
export interface RouteSource {
  readonly routes: Iterable<{ readonly method: string; readonly path: string }>
  readonly mounts: Iterable<readonly [prefix: string, ...rest: ReadonlyArray<unknown>]>
}

/**
 * The methods a route can be asked for by: the platform's, in the order an `Allow` header lists them.
 *
 * @since 0.1.2
 * @category constants
 */
export const methods: ReadonlyArray<HttpMethod.HttpMethod> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

/**
 * The route a request reaches: its path template, and its path parameters and query as the router
 * decodes them (two ways of writing the same request, `/API/v1/users/` and `/api/v1//users`, give
 * the same).
 *
 * @since 0.1.2
 * @category models
 */
export interface Matched {
  readonly template: string
  readonly params: Readonly<Record<string, string | undefined>>
  readonly searchParams: Readonly<Record<string, string | ReadonlyArray<string>>>
}

/**
 * A set of routes, matched as the platform's router matches them.
 *
 * @since 0.1.2
 * @category models
 */
export class Routes {
  private readonly router: FindMyWay.Router<string>
  private readonly prefixes: ReadonlyArray<string>

  /**
   * `routes` by method and path template (`*` as the method: any), `mounts` the prefixes of apps
   * mounted beside them, `config` the router configuration they are served with.
   */
  constructor(
    routes: Iterable<{ readonly method: string; readonly path: string }>,
    mounts: Iterable<string> = [],
    config: Partial<FindMyWay.RouterConfig> = {}
  ) {
    this.router = FindMyWay.make<string>(config)
    for (const route of routes) {
      const path = route.path as FindMyWay.PathInput
      if (route.method === "*") this.router.all(path, route.path)
      else this.router.on(route.method, path, route.path)
    }
    this.prefixes = Array.from(mounts)
  }

  /** The routes of a router (an `HttpRouter.HttpRouter`), its mounted apps as `<prefix>/*`. */
  static fromRouter(router: RouteSource, config: Partial<FindMyWay.RouterConfig> = {}): Routes {
    return new Routes(router.routes, Array.from(router.mounts, ([prefix]) => prefix), config)
  }

  /**
   * The route `method` and `url` (as in the request line: a path with its query) reach, as the
   * platform routes them: a mounted app first (template `<prefix>/*`), then the router, HEAD
   * falling back to GET; with the path parameters and the query as the router decodes them.
   * `undefined` when none.
   */
  find(method: string, url: string): Matched | undefined {
    if (this.prefixes.length > 0) {
      const query = url.indexOf("?")
      const path = query === -1 ? url : url.slice(0, query)
      for (const prefix of this.prefixes) {
        if (path === prefix || path.startsWith(`${prefix}/`)) return { template: `${prefix}/*`, params: {}, searchParams: {} }
      }
    }
    const found = this.router.find(method, url) ?? (method === "HEAD" ? this.router.find("GET", url) : undefined)
    return found === undefined ? undefined : { template: found.handler, params: found.params, searchParams: found.searchParams }
  }

  /** The template of the route `method` and `url` reach (see {@link Routes.find}), or `undefined`. */
  match(method: string, url: string): string | undefined {
    return this.find(method, url)?.template
  }

  /** The methods some route takes at `url`, in {@link methods}' order; empty when the path has none. */
  allowed(url: string): ReadonlyArray<HttpMethod.HttpMethod> {
    return methods.filter((method) => this.match(method, url) !== undefined)
  }
}

/**
 * The routes of an `HttpApi`'s endpoints, by method and path template.
 *
 * @since 0.1.2
 * @category constructors
 */
export const ofApi = (api: HttpApi.HttpApi.Any): ReadonlyArray<{ readonly method: string; readonly path: string }> => {
  const routes: Array<{ readonly method: string; readonly path: string }> = []
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) => void routes.push({ method: endpoint.method, path: endpoint.path })
  })
  return routes
}

const none = new Routes([])

/**
 * The routes of the server's router, read from it once the api is built (routes registered after
 * {@link RouteTable.readFrom} count too: the router is read again when it changes).
 *
 * @since 0.1.2
 * @category models
 */
export class RouteTable {
  private source: { readonly router: Effect.Effect<RouteSource>; readonly config: Partial<FindMyWay.RouterConfig> } | undefined
  private compiled: { readonly from: RouteSource; readonly routes: Routes } | undefined

  /** Takes routes from `router`, served with `config`. Until then no path has a route. */
  readFrom(router: Effect.Effect<RouteSource>, config: Partial<FindMyWay.RouterConfig>): void {
    this.source = { router, config }
  }

  /** The current routes, compiled once per router value. */
  get routes(): Effect.Effect<Routes> {
    const source = this.source
    if (source === undefined) return Effect.succeed(none)
    return Effect.map(source.router, (from) => {
      if (this.compiled?.from !== from) this.compiled = { from, routes: Routes.fromRouter(from, source.config) }
      return this.compiled.routes
    })
  }
}

/**
 * Fills `table` with the routes of the api's router (`HttpApiBuilder.Router`: the api's endpoints
 * and the routes beside them) and the router configuration they are served with. Provide it to
 * `HttpApiBuilder.serve`, under `HttpRouter.setRouterConfig`.
 *
 * @since 0.1.2
 * @category layers
 */
export const readInto = (table: RouteTable): Layer.Layer<never> =>
  HttpApiBuilder.Router.use((router) =>
    Effect.map(FiberRef.get(HttpRouter.currentRouterConfig), (config) => table.readFrom(router.router, config))
  )

/**
 * The middleware that answers a request whose path has routes, but not for its method: 405 with
 * `Allow` listing them (WSEC0002), where the router's answer is a 404 "no operation". Goes inside
 * the problems middleware (it turns the router's failure into a response first).
 *
 * @since 0.1.2
 * @category middleware
 */
export const methodNotAllowed = (table: RouteTable) =>
  HttpMiddleware.make((app) =>
    Effect.catchAll(app, (error) => {
      if (!(HttpServerError.isServerError(error) && error._tag === "RouteNotFound")) return Effect.fail(error)
      const request = error.request
      return Effect.gen(function*() {
        const allowed = (yield* table.routes).allowed(request.url)
        if (allowed.length === 0) return yield* Effect.fail(error)
        const requestId = yield* FiberRef.get(currentRequestId)
        const list = allowed.join(", ")
        const problem = new Problem.MethodNotAllowed({
          code: "WSEC0002",
          title: "Method not allowed",
          detail: `${request.method} is not an operation at this path; it takes ${list}.`,
          errors: [],
          requestId
        })
        return HttpServerResponse.setHeader(toResponse(problem), "allow", list)
      })
    })
  )
