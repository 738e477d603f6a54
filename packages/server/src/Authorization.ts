/**
 * The function check of every operation: the caller's roles and organisation kinds against core's
 * `Access.permissions`. Object-level checks (whose record) are the repositories' business and
 * answer 404.
 *
 * @since 0.1.0
 */
import { HttpApi, HttpRouter } from "@effect/platform"
import { type Problem, Security } from "@learner-records/api"
import { Access } from "@learner-records/core"
import { Context, Effect, Layer, Option } from "effect"
import * as Problems from "./http/Problems.js"

const forbidden = (operation: Access.Operation) =>
  Problems.fail("Forbidden", {
    code: "WSEC0006",
    title: "Insufficient access",
    detail: `${operation} needs one of the roles ${Access.permissions[operation].roles.join(", ")} in an organisation that is ${Access.permissions[operation].organisation.join(" or ")}.`
  })

/**
 * The current caller when they may call `operation`, else 403 WSEC0006.
 *
 * @since 0.1.0
 * @category authorization
 */
export const authorize = (operation: Access.Operation): Effect.Effect<Security.Caller, Problem.Forbidden, Security.CurrentCaller> =>
  Effect.flatMap(Security.CurrentCaller, (caller) => Access.mayCall(operation, caller) ? Effect.succeed(caller) : forbidden(operation))

/**
 * The operation of each endpoint of `api` that has one (`Security.Operation`), by method and path
 * template as the router has them.
 *
 * @since 0.1.2
 * @category authorization
 */
export const operationsOf = (api: HttpApi.HttpApi.Any): ReadonlyMap<string, Access.Operation> => {
  const operations = new Map<string, Access.Operation>()
  HttpApi.reflect(api as HttpApi.HttpApi.AnyWithProps, {
    onGroup: () => {},
    onEndpoint: ({ endpoint }) =>
      Option.map(Context.getOption(endpoint.annotations, Security.Operation), (operation) => operations.set(`${endpoint.method} ${endpoint.path}`, operation))
  })
  return operations
}

/**
 * The role check of the route a request reaches (by method and path template) for a caller: 403
 * WSEC0006 when the caller may not call the route's operation; nothing for a route without one.
 *
 * @since 0.1.2
 * @category authorization
 */
export type RouteAuthorizer = (method: string, template: string, caller: Security.Caller) => Effect.Effect<void, Problem.Forbidden>

/**
 * The {@link RouteAuthorizer} of `api`'s operations (`Security.Operation`).
 *
 * @since 0.1.2
 * @category authorization
 */
export const routeAuthorizer = (api: HttpApi.HttpApi.Any): RouteAuthorizer => {
  const operations = operationsOf(api)
  return (method, template, caller) => {
    const operation = operations.get(`${method} ${template}`)
    return operation === undefined || Access.mayCall(operation, caller) ? Effect.void : forbidden(operation)
  }
}

/**
 * The `Security.Authorization` middleware for `api`: the caller (already authenticated) against the
 * operation of the route reached, before anything of the request is decoded. A route with no
 * operation, or no caller, passes: authentication answers for those.
 *
 * @since 0.1.2
 * @category layers
 */
export const layer = (api: HttpApi.HttpApi.Any): Layer.Layer<Security.Authorization> => {
  const authorizeRoute = routeAuthorizer(api)
  return Layer.succeed(
    Security.Authorization,
    Effect.flatMap(HttpRouter.RouteContext, ({ route }) =>
      Effect.flatMap(Effect.serviceOption(Security.CurrentCaller), (caller) =>
        Option.isNone(caller) ? Effect.void : authorizeRoute(route.method, route.path, caller.value)))
  )
}

/**
 * A 404 problem for an object that does not exist or belongs to another organisation: the two are
 * answered the same, so a caller learns nothing about other organisations' objects.
 *
 * @since 0.1.0
 * @category authorization
 */
export const notFound = (what: string, code: string = "SVC004"): Effect.Effect<never, Problem.NotFound> =>
  Problems.fail("NotFound", { code, title: "Not found", detail: `${what} does not exist, or is not yours.` })
