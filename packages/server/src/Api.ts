/**
 * The reference server's HTTP application: the `HttpApi` of `@learner-records/api` with every
 * group's handlers, the authentication middleware, problem+json errors, and beside the api the
 * service routes — `/healthz`, `/readyz`, `/metrics`, `/api/openapi.json` and the docs at `/docs`.
 * Every request passes, outermost first: request id, metrics, request body (size, media type, JSON
 * depth) and path limits, rate limit, idempotency keys.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, HttpApiSwagger, HttpMiddleware, HttpServerRequest, HttpServerResponse, OpenApi } from "@effect/platform"
import type * as HttpApp from "@effect/platform/HttpApp"
import * as HttpRouter from "@effect/platform/HttpRouter"
import type * as HttpServer from "@effect/platform/HttpServer"
import * as SqlClient from "@effect/sql/SqlClient"
import { LearnerRecordsApi as Contract, Problem } from "@learner-records/api"
import { Config, type ConfigError, Context, Effect, Layer, Option } from "effect"
import { AccessLog } from "./AccessLog.js"
import { Achievements } from "./Achievements.js"
import { Accounts } from "./Accounts.js"
import * as Authorization from "./Authorization.js"
import * as Demo from "./Demo.js"
import * as AchievementsHandlers from "./handlers/AchievementsHandlers.js"
import * as AdminHandlers from "./handlers/AdminHandlers.js"
import * as AuthHandlers from "./handlers/AuthHandlers.js"
import * as LearnersHandlers from "./handlers/LearnersHandlers.js"
import * as PlrHandlers from "./handlers/PlrHandlers.js"
import * as RegistrationExceptionsHandlers from "./handlers/RegistrationExceptionsHandlers.js"
import * as ServiceHandlers from "./handlers/ServiceHandlers.js"
import * as UsersHandlers from "./handlers/UsersHandlers.js"
import * as Authentication from "./http/Authentication.js"
import * as ClientAddress from "./http/ClientAddress.js"
import * as Idempotency from "./http/Idempotency.js"
import * as Metrics from "./http/Metrics.js"
import * as Problems from "./http/Problems.js"
import * as RateLimit from "./http/RateLimit.js"
import * as RequestBody from "./http/RequestBody.js"
import * as RequestId from "./http/RequestId.js"
import * as Routes from "./http/Routes.js"
import * as SecurityHeaders from "./http/SecurityHeaders.js"
import * as Health from "./Health.js"
import { Learners } from "./Learners.js"
import { Organisations } from "./Organisations.js"
import { Qualifications } from "./Qualifications.js"
import { RegistrationExceptions } from "./RegistrationExceptions.js"

/**
 * The largest JSON body accepted (`LRS_MAX_BODY_BYTES`, default 1 MiB); larger bodies get 413 SVC005.
 *
 * @since 0.1.0
 * @category config
 */
export const MaxBodyBytes = Config.integer("LRS_MAX_BODY_BYTES").pipe(Config.withDefault(1024 * 1024))

/**
 * The largest file upload accepted by the file endpoints (the qualification register import, and
 * batch files later): `LRS_MAX_FILE_BYTES`, default 50 MiB.
 *
 * @since 0.1.0
 * @category config
 */
export const MaxFileBytes = Config.integer("LRS_MAX_FILE_BYTES").pipe(Config.withDefault(50 * 1024 * 1024))

/**
 * The longest part of a request's path (between two `/`, as sent) accepted: 1,000 characters.
 * The router is given the same limit for a path parameter, so any id up to it reaches its
 * operation, which then finds it or refuses it by its own rules (an unknown achievement 404
 * ACH013, a ULN that is not one 400 WSEC0136) — the router's default of 100 answered longer ids
 * "No operation" (404 WSEC0002). A longer part is 400 WSEC0001 naming `path`: the body-size limit
 * does not cover the URL, and no id of this service comes near it.
 *
 * @since 0.1.2
 * @category config
 */
export const MaxPathSegmentLength = 1000

const pathLimit = HttpMiddleware.make((app) =>
  Effect.flatMap(HttpServerRequest.HttpServerRequest, (request) => {
    const path = request.url.split("?", 1)[0] ?? ""
    const longest = path.split("/").reduce((max, part) => Math.max(max, part.length), 0)
    if (longest <= MaxPathSegmentLength) return app
    const message = `must have no part longer than ${MaxPathSegmentLength} characters (one has ${longest})`
    return Effect.map(Problems.make("BadRequest", {
      code: "WSEC0001",
      title: "Invalid request",
      detail: `path: ${message}.`,
      errors: [new Problem.FieldError({ field: "path", message })]
    }), (problem) => Problems.toResponse(problem))
  })
)

/**
 * Every group's handlers, with the repositories they use (needs `SqlClient`).
 *
 * @since 0.1.0
 * @category layers
 */
export const HandlersLive = Layer.mergeAll(
  ServiceHandlers.layer,
  AuthHandlers.authLayer,
  AuthHandlers.sessionLayer,
  UsersHandlers.layer,
  AchievementsHandlers.layer,
  PlrHandlers.layer,
  AdminHandlers.layer,
  LearnersHandlers.layer,
  RegistrationExceptionsHandlers.layer
).pipe(
  Layer.provide(Authentication.layer),
  Layer.provide(Authorization.layer(Contract.LearnerRecordsApi)),
  Layer.provide(Authentication.TokenCache.Default),
  Layer.provide([Achievements.Default, Qualifications.Default, Organisations.Default]),
  Layer.provide([Accounts.Default, Learners.Default, AccessLog.Default, RegistrationExceptions.Default])
)

/** The api with its handlers, for the contract as documented here (`annotate` keeps its groups). */
const apiLive = (api: typeof Contract.LearnerRecordsApi) => HttpApiBuilder.api(api).pipe(Layer.provide(HandlersLive))

/**
 * The api with its handlers.
 *
 * @since 0.1.0
 * @category layers
 */
export const ApiLive = apiLive(Contract.LearnerRecordsApi)

/**
 * The contract as this server documents it (`/api/openapi.json`, `/docs`): with the demo data's
 * requests as examples when the database holds the demo data set.
 */
const documented = (demo: Option.Option<Demo.DemoData>) => {
  const api = Contract.LearnerRecordsApi
  if (Option.isNone(demo)) return api
  const own = Context.getOption(api.annotations, OpenApi.Transform)
  const examples = Demo.openApiExamples(demo.value)
  return api.annotate(OpenApi.Transform, (spec) => examples(Option.isSome(own) ? own.value(spec) : spec))
}

const serviceRoutes = (registry: Metrics.Registry) => HttpApiBuilder.Router.use((router) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* router.get("/healthz", Health.healthz)
    yield* router.get("/readyz", Effect.provideService(Health.readyz, SqlClient.SqlClient, sql))
    yield* router.get("/metrics", Effect.sync(() => HttpServerResponse.text(registry.render(), { contentType: "text/plain; version=0.0.4" })))
    yield* router.get("/", Effect.succeed(HttpServerResponse.redirect("/docs", { status: 302 })))
    // browsers ask for it on every page, /docs included: no icon, and no 404 in their consoles
    yield* router.get("/favicon.ico", Effect.succeed(HttpServerResponse.empty({ status: 204 })))
  })
)

/**
 * The whole HTTP application served on whatever `HttpServer` is provided.
 *
 * @since 0.1.0
 * @category layers
 */
export const HttpLive: Layer.Layer<
  never,
  ConfigError.ConfigError,
  HttpServer.HttpServer | HttpRouter.HttpRouter.DefaultServices | SqlClient.SqlClient
> = Layer.unwrapEffect(
  Effect.gen(function*() {
    const rateLimit = yield* Effect.orDie(RateLimit.RateLimitConfig)
    const maxBody = yield* Effect.orDie(MaxBodyBytes)
    const maxFile = yield* Effect.orDie(MaxFileBytes)
    // the server's routes, as its router matches them: for the metrics' labels, the idempotency
    // keys and the 405 answers
    const table = new Routes.RouteTable()
    const registry = new Metrics.Registry(table)
    const sql = yield* SqlClient.SqlClient
    const accounts = yield* Effect.provide(Accounts, Accounts.Default)
    // the docs' examples are not worth failing to start for: a database not yet migrated (which
    // /readyz reports) or not answering simply gives the document without the demo's examples
    const api = documented(yield* Effect.orElseSucceed(Demo.stored, () => Option.none()))
    const idempotency = Idempotency.middleware(sql, Authentication.authenticateRequest(accounts), Idempotency.keyedOperations(api), table, Authorization.routeAuthorizer(api))
    // the handlers' token cache (the same layer, so built once): sign-out must reach the rate limit's look-ups
    const limit = RateLimit.middleware(
      rateLimit,
      Authentication.cachedAuthenticator(accounts, yield* Authentication.TokenCache).both,
      yield* ClientAddress.TrustedProxies,
      table
    )
    const observe = Metrics.middleware(registry)
    const size = RequestBody.middleware({ json: maxBody, file: maxFile }, api, table)
    // response-shaping middleware goes on the app (the server's own middleware runs after the
    // response is written); outermost first
    const middleware = (app: HttpApp.Default): HttpApp.Default =>
      SecurityHeaders.middleware(table)(RequestId.middleware(observe(size(pathLimit(limit(idempotency(Problems.middleware(Routes.methodNotAllowed(table)(app)))))))))
    return HttpApiBuilder.serve().pipe(
      Layer.provide(HttpApiBuilder.middleware(middleware)),
      Layer.provide(HttpApiSwagger.layer({ path: "/docs" })),
      Layer.provide(HttpApiBuilder.middlewareOpenApi({ path: "/api/openapi.json" })),
      Layer.provide(serviceRoutes(registry)),
      // the route table reads the router, as it is built (see MaxPathSegmentLength)
      Layer.provide(Routes.readInto(table)),
      Layer.provide(apiLive(api)),
      // the router is built with this configuration (see MaxPathSegmentLength)
      Layer.provide(HttpRouter.setRouterConfig({ maxParamLength: MaxPathSegmentLength }))
    )
  })
).pipe(Layer.provide(Authentication.TokenCache.Default))
