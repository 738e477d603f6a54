/**
 * Authentication: a bearer token from `POST /auth/login`, or an API key in `X-API-Key` for
 * system-to-system callers. Either way the handler sees the {@link Caller}.
 *
 * @since 0.1.0
 */
import { HttpApiMiddleware, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Access, Ukprn } from "@learner-records/core"
import { Context, Schema } from "effect"
import { Forbidden, Unauthorized } from "./Problem.js"

/**
 * Who is calling: the user (or API key), their organisation and roles.
 *
 * @since 0.1.0
 * @category models
 */
export class Caller extends Schema.Class<Caller>("Caller")({
  userId: Schema.String.annotations({ description: "The user's id (for an API key, the id of the user who created it)." }),
  username: Schema.String.annotations({ description: "The user name the caller signed in with (for an API key, its creator's)." }),
  organisationId: Schema.String.annotations({ description: "The id of the caller's organisation." }),
  organisationName: Schema.String.annotations({ description: "The name of the caller's organisation." }),
  ukprn: Schema.NullOr(Ukprn.Ukprn).annotations({ description: "The organisation's UKPRN, when it has one." }),
  organisationKinds: Schema.Array(Access.OrganisationKind).annotations({ description: "What the organisation is: LRB (learning provider), AO (awarding organisation), LRS (the service itself)." }),
  olass: Schema.Boolean.annotations({ description: "The organisation is an OLASS (offender learning) LRB." }),
  roles: Schema.Array(Access.Role).annotations({ description: "The caller's roles; they decide which operations it may call." }),
  via: Schema.Literal("token", "apiKey").annotations({ description: "How the caller authenticated." })
}, { description: "The authenticated caller." }) {}

/**
 * The caller of the current request, provided by {@link Authentication}.
 *
 * @since 0.1.0
 * @category context
 */
export class CurrentCaller extends Context.Tag("@learner-records/api/CurrentCaller")<CurrentCaller, Caller>() {}

/**
 * Bearer token security scheme.
 *
 * @since 0.1.0
 * @category security
 */
export const bearer = HttpApiSecurity.bearer.pipe(
  HttpApiSecurity.annotate(OpenApi.Description, "A token from POST /api/v1/auth/login: `Authorization: Bearer <token>`.")
)

/**
 * API key security scheme, for system-to-system callers.
 *
 * @since 0.1.0
 * @category security
 */
export const apiKey = HttpApiSecurity.apiKey({ in: "header", key: "X-API-Key" }).pipe(
  HttpApiSecurity.annotate(OpenApi.Description, "An API key created by a super user: `X-API-Key: <key>`. Shown once when created.")
)

/**
 * The authentication middleware: every operation except login and the service endpoints uses it.
 *
 * @since 0.1.0
 * @category middleware
 */
export class Authentication extends HttpApiMiddleware.Tag<Authentication>()("@learner-records/api/Authentication", {
  failure: Unauthorized,
  provides: CurrentCaller,
  security: { bearer, apiKey }
}) {}

/**
 * The access operation an endpoint is (core `Access.permissions`: the roles and organisation kinds
 * that may call it), as an endpoint annotation. The {@link Authorization} middleware checks it
 * before the request is decoded, so a caller without the role is told 403 whatever they sent.
 *
 * @since 0.1.2
 * @category annotations
 */
export class Operation extends Context.Tag("@learner-records/api/Operation")<Operation, Access.Operation>() {}

/**
 * The authorization middleware: 403 WSEC0006 when the caller's roles and organisation may not call
 * the endpoint's {@link Operation}, before its path, query or body is decoded (a 400 would tell a
 * caller without the role how to shape a request they may not send). Listed before
 * {@link Authentication} on a group, so that it runs after it.
 *
 * @since 0.1.2
 * @category middleware
 */
export class Authorization extends HttpApiMiddleware.Tag<Authorization>()("@learner-records/api/Authorization", {
  failure: Forbidden
}) {}
