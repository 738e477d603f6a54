/**
 * Sign in and out, and who am I (CONTRACT §4.7).
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Fields } from "@learner-records/core"
import { Schema } from "effect"
import { strict } from "./internal/strict.js"
import { BadRequest, TooManyRequests, Unauthorized } from "./Problem.js"
import { Authentication, Caller } from "./Security.js"

/**
 * Username and password.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LoginRequest = strict(Schema.Struct({
  username: Fields.StorableText.pipe(Schema.minLength(1), Schema.maxLength(35)).annotations({ description: "User name (1–35 characters)." }),
  // no NUL: scrypt pads a short key with zeros, so "secret\u0000" would sign in as "secret"
  password: Fields.StorableText.pipe(Schema.minLength(1), Schema.maxLength(256)).annotations({ description: "Password." })
}).annotations({ identifier: "LoginRequest" }))

/**
 * A bearer token and when it expires.
 *
 * @since 0.1.0
 * @category schemas
 */
export class LoginResponse extends Schema.Class<LoginResponse>("LoginResponse")({
  token: Schema.String.annotations({ description: "Send as `Authorization: Bearer <token>`." }),
  tokenType: Schema.Literal("Bearer").annotations({ description: "Always Bearer." }),
  expiresAt: Schema.String.annotations({ description: "ISO 8601 time after which the token is refused." }),
  expiresIn: Schema.Int.annotations({ description: "Seconds until expiry." }),
  user: Caller
}) {}

/**
 * Endpoints that need no credentials.
 *
 * @since 0.1.0
 * @category groups
 */
export class AuthApi extends HttpApiGroup.make("auth")
  .add(
    HttpApiEndpoint.post("login", "/auth/login")
      .setPayload(LoginRequest)
      .addSuccess(LoginResponse)
      .addError(Unauthorized)
      .addError(BadRequest)
      .addError(TooManyRequests)
      .annotate(OpenApi.Summary, "Sign in")
      .annotate(OpenApi.Description, "Exchanges a user name and password for a bearer token. Three failed attempts in a row lock the account until a super user unlocks it (WSEC0005).")
  )
  .annotate(OpenApi.Title, "Authentication")
{}

/**
 * Endpoints about the signed-in caller.
 *
 * @since 0.1.0
 * @category groups
 */
export class SessionApi extends HttpApiGroup.make("session")
  .add(
    HttpApiEndpoint.post("logout", "/auth/logout")
      .addSuccess(Schema.Void, { status: 204 })
      .annotate(OpenApi.Summary, "Sign out")
      .annotate(OpenApi.Description, "Revokes the bearer token used for this request. An API key has no session to end: sent with one, this is 400 WSEC0001 (a super user revokes the key instead, POST /api-keys/{id}/revoke).")
  )
  .add(
    HttpApiEndpoint.get("me", "/me")
      .addSuccess(Caller)
      .annotate(OpenApi.Summary, "Who am I")
      .annotate(OpenApi.Description, "The signed-in user (or API key), their organisation and roles.")
  )
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Session")
{}
