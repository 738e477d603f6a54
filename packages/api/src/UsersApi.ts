/**
 * Users and API keys of an organisation, managed by its super users (CONTRACT §4.7).
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Access, Fields } from "@learner-records/core"
import { Schema } from "effect"
import { strict } from "./internal/strict.js"
import { BadRequest, Conflict, Forbidden, NotFound, Unprocessable } from "./Problem.js"
import { Authentication, Authorization, Operation } from "./Security.js"

const Username = Schema.String.pipe(
  Schema.pattern(/^[A-Za-z0-9._@-]{3,35}$/, { message: () => "a user name has 3 to 35 letters, digits, dots, dashes, underscores or @" })
).annotations({ identifier: "Username", description: "3–35 letters, digits, `.`, `_`, `-`, `@`." })

// characters are counted as Unicode code points, not UTF-16 units (six emoji are six characters);
// NUL is refused because scrypt pads a short key with zeros (so "secret\u0000" would equal "secret"),
// and an unpaired surrogate because it cannot be encoded (every one would hash alike)
const codePoints = (s: string): number => [...s].length
const Password = Fields.StorableText.pipe(
  Schema.minLength(12, { message: () => "a password has at least 12 characters" }),
  Schema.maxLength(256, { message: () => "a password has at most 256 characters" }),
  Schema.filter((s) => codePoints(s) >= 12 || "a password has at least 12 characters", { jsonSchema: {} }),
  Schema.filter((s) => s.trim() !== "" || "a password cannot be only spaces", { jsonSchema: {} })
).annotations({ identifier: "Password", description: "At least 12 characters (not only spaces), at most 256." })

/**
 * A user as a super user sees them (never their password).
 *
 * @since 0.1.0
 * @category schemas
 */
export class User extends Schema.Class<User>("User")({
  id: Schema.String.annotations({ description: "The user's id, used in the paths of /users/{id}." }),
  username: Schema.String.annotations({ description: "The name the user signs in with; unique." }),
  displayName: Schema.String.annotations({ description: "The user's name as shown to others." }),
  email: Schema.NullOr(Schema.String).annotations({ description: "The user's e-mail address, or null when none was given." }),
  organisationId: Schema.String.annotations({ description: "The id of the organisation the user belongs to." }),
  roles: Schema.Array(Access.Role).annotations({ description: "The user's roles in that organisation." }),
  status: Schema.Literal("active", "locked", "revoked").annotations({ description: "locked after three failed sign-ins; revoked users cannot sign in." }),
  createdAt: Schema.String.annotations({ description: "When the user was created (ISO 8601)." })
}) {}

/**
 * Register a user in the caller's organisation (an LRS admin may name another organisation).
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateUserRequest = strict(Schema.Struct({
  username: Username,
  displayName: Fields.nonBlankText(70, "DisplayName", "The user's name as shown to others."),
  email: Schema.optional(Fields.EmailAddress),
  roles: Schema.NonEmptyArray(Access.Role).annotations({ description: "At least one role." }),
  password: Password,
  organisationId: Schema.optional(Schema.String.annotations({
    description: "LRS admin only: the organisation to register the user in, e.g. the first super user of a new organisation (admin.createOrganisation). Others leave it out (403 WSEC0006 when it names another organisation); the caller's own organisation when not given."
  }))
}).annotations({ identifier: "CreateUserRequest" }))

/**
 * Change a user's name, e-mail or roles.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateUserRequest = strict(Schema.Struct({
  displayName: Schema.optional(Fields.nonBlankText(70, "DisplayName", "The user's name as shown to others.")),
  email: Schema.optional(Schema.NullOr(Fields.EmailAddress).annotations({ description: "The new e-mail address; null removes it." })),
  roles: Schema.optional(Schema.NonEmptyArray(Access.Role).annotations({ description: "The new roles, at least one; they replace the old ones." }))
}).annotations({ identifier: "UpdateUserRequest" }))

/**
 * Set a new password (also unlocks a locked account).
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResetPasswordRequest = strict(Schema.Struct({ password: Password }).annotations({ identifier: "ResetPasswordRequest" }))

/**
 * An API key's public details.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ApiKey extends Schema.Class<ApiKey>("ApiKey")({
  id: Schema.String.annotations({ description: "The key's id, used in the path of /api-keys/{id}/revoke (not the secret)." }),
  name: Schema.String.annotations({ description: "What the key is for, e.g. the MIS that uses it." }),
  prefix: Schema.String.annotations({ description: "The first characters of the key, to recognise it." }),
  roles: Schema.Array(Access.Role).annotations({ description: "The roles the key acts with." }),
  createdAt: Schema.String.annotations({ description: "When the key was created (ISO 8601)." }),
  revokedAt: Schema.NullOr(Schema.String).annotations({ description: "When the key was revoked (ISO 8601), or null while it works." })
}) {}

/**
 * A new API key with its secret, shown this once.
 *
 * @since 0.1.0
 * @category schemas
 */
export class CreatedApiKey extends Schema.Class<CreatedApiKey>("CreatedApiKey")({
  apiKey: ApiKey,
  key: Schema.String.annotations({ description: "The secret key. It is stored hashed and never shown again." })
}) {}

/**
 * Create an API key.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateApiKeyRequest = strict(Schema.Struct({
  name: Fields.nonBlankText(70, "ApiKeyName", "What the key is for, e.g. the MIS that uses it."),
  roles: Schema.NonEmptyArray(Access.Role).annotations({ description: "Roles the key acts with: roles valid for the organisation, never SuperUser or LrsAdmin (422 SVC008)." })
}).annotations({ identifier: "CreateApiKeyRequest" }))

const IdPath = Schema.Struct({ id: Schema.String.annotations({ description: "The id of the user or API key." }) })

/**
 * User accounts.
 *
 * @since 0.1.0
 * @category groups
 */
export class UsersApi extends HttpApiGroup.make("users")
  .add(HttpApiEndpoint.get("list", "/users").annotate(Operation, "users.manage").addSuccess(Schema.Array(User)).addError(Forbidden)
    .annotate(OpenApi.Summary, "List users").annotate(OpenApi.Description, "The users of the caller's organisation (an LRS admin sees all)."))
  .add(HttpApiEndpoint.post("create", "/users").annotate(Operation, "users.manage").setPayload(CreateUserRequest).addSuccess(User, { status: 201 })
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Conflict).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Register a user").annotate(OpenApi.Description, "A super user registers a user in their own organisation with roles; an LRS admin may pass organisationId to register a user (e.g. the first super user) in any organisation. 201 with the user; 409 when the user name is taken; 404 unknown organisationId; 422 when the request breaks a rule; 400 WSEC0001 malformed; 403 WSEC0006, also when a role is LrsAdmin and the caller is not an LRS admin."))
  .add(HttpApiEndpoint.put("update", "/users/:id").annotate(Operation, "users.manage").setPath(IdPath).setPayload(UpdateUserRequest).addSuccess(User)
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Update a user").annotate(OpenApi.Description, "Changes the user's name, e-mail or roles: 200 with the user. Taking SuperUser away revokes the API keys the user created. 422 SVC008 a role the organisation cannot have, SVC009 taking SuperUser or LrsAdmin away from yourself, SVC010 a revoked user; 404 unknown user or another organisation's; 400 WSEC0001 malformed; 403 WSEC0006, also when the user holds LrsAdmin, or a role is LrsAdmin, and the caller is not an LRS admin."))
  .add(HttpApiEndpoint.post("revoke", "/users/:id/revoke").annotate(Operation, "users.manage").setPath(IdPath).addSuccess(User)
    .addError(Forbidden).addError(NotFound).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Revoke a user").annotate(OpenApi.Description, "The user can no longer sign in; their tokens and the API keys they created are revoked at once. 200 with the user (again for a user already revoked); 422 SVC009 for your own account; 404 unknown user or another organisation's; 403 WSEC0006, also when the user holds LrsAdmin and the caller is not an LRS admin."))
  .add(HttpApiEndpoint.post("resetPassword", "/users/:id/reset-password").annotate(Operation, "users.manage").setPath(IdPath).setPayload(ResetPasswordRequest).addSuccess(User)
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Reset a password").annotate(OpenApi.Description, "Sets a new password, unlocks a locked account and signs the user out everywhere (their tokens are revoked). 200 with the user; 422 SVC010 for a revoked user; 404 unknown user or another organisation's; 400 WSEC0001 malformed; 403 WSEC0006, also when the user holds LrsAdmin and the caller is not an LRS admin."))
  .add(HttpApiEndpoint.get("listApiKeys", "/api-keys").annotate(Operation, "apiKeys.manage").addSuccess(Schema.Array(ApiKey)).addError(Forbidden)
    .annotate(OpenApi.Summary, "List API keys").annotate(OpenApi.Description, "The caller's organisation's API keys, without their secrets: 200; 403 WSEC0006."))
  .add(HttpApiEndpoint.post("createApiKey", "/api-keys").annotate(Operation, "apiKeys.manage").setPayload(CreateApiKeyRequest).addSuccess(CreatedApiKey, { status: 201 })
    .addError(BadRequest).addError(Forbidden).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Create an API key").annotate(OpenApi.Description, "The key is returned once and stored hashed."))
  .add(HttpApiEndpoint.post("revokeApiKey", "/api-keys/:id/revoke").annotate(Operation, "apiKeys.manage").setPath(IdPath).addSuccess(ApiKey)
    .addError(Forbidden).addError(NotFound)
    .annotate(OpenApi.Summary, "Revoke an API key").annotate(OpenApi.Description, "The key stops working at once: 200 with the key. 404 unknown key or another organisation's; 403 WSEC0006."))
  .middleware(Authorization)
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Users and API keys")
{}
