/**
 * Authentication: a bearer token from `POST /auth/login`, or an API key in `X-API-Key` for
 * system-to-system callers. Either way the handler sees the {@link Caller}.
 *
 * @since 0.1.0
 */
import { HttpApiMiddleware, HttpApiSecurity, OpenApi } from "@effect/platform"
import { Access, Ukprn } from "@learner-records/core"
import { Context, Schema } from "effect"
import { Unauthorized } from "./Problem.js"

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
