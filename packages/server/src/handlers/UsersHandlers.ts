/**
 * Handlers of the `users` group (CONTRACT §4.7): a super user manages their own organisation's
 * users and API keys; an LRS admin manages every organisation's. Which roles may be granted where
 * is core's rule (`Access.roleProblems`); another organisation's user or key is answered 404,
 * exactly like an unknown one.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { LearnerRecordsApi as Contract, Problem, Security, UsersApi } from "@learner-records/api"
import { Access, ResponseCode } from "@learner-records/core"
import { Effect, type Layer, Option } from "effect"
import { type AccountScope, Accounts, type ApiKeyRow, type UserRow } from "../Accounts.js"
import { authorize, notFound } from "../Authorization.js"
import { TokenCache } from "../http/Authentication.js"
import * as Problems from "../http/Problems.js"
import { orDieSql } from "../internal/sql.js"
import * as Passwords from "../Passwords.js"

/**
 * Whose accounts the caller manages: every organisation's for an LRS admin, else their own.
 *
 * @since 0.1.0
 * @category authorization
 */
export const scopeOf = (caller: Security.Caller): AccountScope =>
  Access.managesAllOrganisations(caller) ? undefined : caller.organisationId

const toUser = (row: UserRow): UsersApi.User =>
  UsersApi.User.make({
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    organisationId: row.organisationId,
    roles: row.roles as ReadonlyArray<Access.Role>,
    status: row.status,
    createdAt: row.createdAt.toISOString()
  })

const toApiKey = (row: ApiKeyRow): UsersApi.ApiKey =>
  UsersApi.ApiKey.make({
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    roles: row.roles as ReadonlyArray<Access.Role>,
    createdAt: row.createdAt.toISOString(),
    revokedAt: row.revokedAt === null ? null : row.revokedAt.toISOString()
  })

// the same role twice is one grant, not an error
const distinct = <A>(values: ReadonlyArray<A>): ReadonlyArray<A> => Array.from(new Set(values))

/**
 * 422 SVC008 naming each role (`roles[i]`) that cannot be granted; succeeds when there is none.
 *
 * @since 0.1.0
 * @category validation
 */
export const requireGrantable = (roles: ReadonlyArray<Access.Role>, organisation: Access.OrganisationProfile, holder: Access.Holder) => {
  const problems = Access.roleProblems(roles, organisation, holder)
  return problems.length === 0 ? Effect.void : Problems.fail("Unprocessable", {
    code: "SVC008",
    title: ResponseCode.catalogue.SVC008.title,
    detail: problems.length === 1
      ? `roles[${problems[0]!.index}]: ${problems[0]!.message}.`
      : `${problems.length} roles cannot be granted; see errors. Allowed here: ${Access.grantableRoles(organisation, holder).join(", ") || "none"}.`,
    errors: problems.map((p) => new Problem.FieldError({ field: `roles[${p.index}]`, message: p.message }))
  })
}

const notOnYourself = (detail: string, field?: string) =>
  Problems.fail("Unprocessable", {
    code: "SVC009",
    title: ResponseCode.catalogue.SVC009.title,
    detail,
    errors: field === undefined ? [] : [new Problem.FieldError({ field, message: detail })]
  })

const revoked = (user: UserRow) =>
  Problems.fail("Unprocessable", {
    code: "SVC010",
    title: ResponseCode.catalogue.SVC010.title,
    detail: `The user ${user.username} is revoked; a revoked account cannot be changed. Register a new user instead.`
  })

/**
 * 403 WSEC0006 naming each role (`roles[i]`) the caller may not grant because it is reserved to its
 * own holders (core `Access.reservedRoleProblems`); succeeds when there is none.
 *
 * @since 0.1.2
 * @category validation
 */
export const requireMayGrant = (caller: Security.Caller, roles: ReadonlyArray<Access.Role>) => {
  const problems = Access.reservedRoleProblems(caller.roles, roles)
  return problems.length === 0 ? Effect.void : Problems.fail("Forbidden", {
    code: "WSEC0006",
    title: ResponseCode.catalogue.WSEC0006.title,
    detail: `roles[${problems[0]!.index}]: ${problems[0]!.message}.`,
    errors: problems.map((p) => new Problem.FieldError({ field: `roles[${p.index}]`, message: p.message }))
  })
}

/**
 * 403 WSEC0006 when the user holds a reserved role the caller does not (core
 * `Access.reservedAgainst`): an LRS admin's account is changed, revoked or reset only by an LRS admin.
 *
 * @since 0.1.2
 * @category validation
 */
export const requireMayManage = (caller: Security.Caller, user: UserRow) => {
  const reserved = Access.reservedAgainst(caller.roles, user.roles as ReadonlyArray<Access.Role>)
  return reserved === undefined ? Effect.void : Problems.fail("Forbidden", {
    code: "WSEC0006",
    title: ResponseCode.catalogue.WSEC0006.title,
    detail: `The user ${user.username} holds ${reserved}: only a holder of ${reserved} may change, revoke or reset that account.`
  })
}

const profileOf = (organisation: { readonly kinds: ReadonlyArray<string>; readonly olass: boolean }): Access.OrganisationProfile => ({
  kinds: organisation.kinds as ReadonlyArray<Access.OrganisationKind>,
  olass: organisation.olass
})

/**
 * Handlers of the `users` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"learner-records", "users">,
  never,
  Security.Authentication | Security.Authorization | SqlClient.SqlClient | Accounts | TokenCache
> = HttpApiBuilder.group(Contract.LearnerRecordsApi, "users", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const accounts = yield* Accounts
    const tokens = yield* TokenCache
    const transaction = <A, E, R>(self: Effect.Effect<A, E, R>) => orDieSql(sql.withTransaction(self))
    // once committed, the user's cached sessions go, so a revocation or a new role holds at once
    const committed = <E, R>(self: Effect.Effect<UsersApi.User, E, R>) => Effect.tap(transaction(self), (user) => tokens.forgetUser(user.id))

    /** The user the caller may manage, locked for the transaction; 404 otherwise. */
    const managedUser = (caller: Security.Caller, id: string) =>
      Effect.flatMap(accounts.findUser(id, scopeOf(caller)), Option.match({
        onNone: () => notFound(`The user ${id}`),
        onSome: Effect.succeed
      }))

    return handlers
      .handle("list", () =>
        Effect.gen(function*() {
          const caller = yield* authorize("users.manage")
          const rows = yield* orDieSql(accounts.listUsers(scopeOf(caller)))
          return rows.map(toUser)
        }))
      .handle("create", ({ payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("users.manage")
          const organisationId = payload.organisationId ?? caller.organisationId
          if (organisationId !== caller.organisationId && !Access.managesAllOrganisations(caller)) {
            return yield* Problems.fail("Forbidden", {
              code: "WSEC0006",
              title: ResponseCode.catalogue.WSEC0006.title,
              detail: "Only an LRS admin may register a user in another organisation; leave organisationId out.",
              errors: [new Problem.FieldError({ field: "organisationId", message: "only an LRS admin may name another organisation" })]
            })
          }
          const organisation = yield* orDieSql(accounts.organisationProfile(organisationId))
          if (Option.isNone(organisation)) return yield* notFound(`The organisation ${organisationId}`)
          const roles = distinct(payload.roles)
          yield* requireGrantable(roles, profileOf(organisation.value), "user")
          yield* requireMayGrant(caller, roles)
          // hashing is deliberately slow: do it before taking any lock
          const passwordHash = yield* Passwords.hash(payload.password)
          const created = yield* orDieSql(accounts.createUser({
            organisationId,
            username: payload.username,
            displayName: payload.displayName,
            email: payload.email ?? null,
            roles,
            passwordHash
          }))
          if (Option.isNone(created)) {
            return yield* Problems.fail("Conflict", {
              code: "SVC007",
              title: ResponseCode.catalogue.SVC007.title,
              detail: `The user name ${payload.username} is taken (user names are unique whatever their case).`,
              errors: [new Problem.FieldError({ field: "username", message: "already taken" })]
            })
          }
          return toUser(created.value)
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("users.manage")
          return yield* committed(Effect.gen(function*() {
            const user = yield* managedUser(caller, path.id)
            yield* requireMayManage(caller, user)
            if (user.status === "revoked") return yield* revoked(user)
            const roles = payload.roles === undefined ? undefined : distinct(payload.roles)
            if (roles !== undefined) {
              yield* requireGrantable(roles, profileOf({ kinds: user.organisationKinds, olass: user.olass }), "user")
              yield* requireMayGrant(caller, roles)
              const dropped = user.id === caller.userId ? Access.selfDemotion(user.roles as ReadonlyArray<Access.Role>, roles) : undefined
              if (dropped !== undefined) {
                return yield* notOnYourself(`You cannot take ${dropped} away from yourself; another super user or the LRS admin must.`, "roles")
              }
            }
            const updated = yield* accounts.updateUser(user.id, { displayName: payload.displayName, email: payload.email, roles })
            // a super user demoted takes the API keys they made with them (core Access.keepsApiKeys)
            if (roles !== undefined && !Access.keepsApiKeys(roles, user.organisationKinds as ReadonlyArray<Access.OrganisationKind>)) {
              yield* accounts.revokeApiKeysOf(user.id)
            }
            return toUser(updated)
          }))
        }))
      .handle("revoke", ({ path }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("users.manage")
          return yield* committed(Effect.gen(function*() {
            const user = yield* managedUser(caller, path.id)
            yield* requireMayManage(caller, user)
            if (user.id === caller.userId) return yield* notOnYourself("You cannot revoke your own account; another super user or the LRS admin must.")
            // revoking twice answers the same, and keeps the first revocation's effects
            return toUser(user.status === "revoked" ? user : yield* accounts.revokeUser(user.id))
          }))
        }))
      .handle("resetPassword", ({ path, payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("users.manage")
          const passwordHash = yield* Passwords.hash(payload.password)
          return yield* committed(Effect.gen(function*() {
            const user = yield* managedUser(caller, path.id)
            yield* requireMayManage(caller, user)
            if (user.status === "revoked") return yield* revoked(user)
            return toUser(yield* accounts.resetPassword(user.id, passwordHash))
          }))
        }))
      .handle("listApiKeys", () =>
        Effect.gen(function*() {
          const caller = yield* authorize("apiKeys.manage")
          const rows = yield* orDieSql(accounts.listApiKeys(scopeOf(caller)))
          return rows.map(toApiKey)
        }))
      .handle("createApiKey", ({ payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("apiKeys.manage")
          const roles = distinct(payload.roles)
          // a key acts for the caller's own organisation, so its roles must suit that organisation
          yield* requireGrantable(roles, { kinds: caller.organisationKinds, olass: caller.olass }, "apiKey")
          const created = yield* orDieSql(accounts.createApiKey({
            organisationId: caller.organisationId,
            createdBy: caller.userId,
            name: payload.name,
            roles
          }))
          return UsersApi.CreatedApiKey.make({ apiKey: toApiKey(created.apiKey), key: created.secret })
        }))
      .handle("revokeApiKey", ({ path }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("apiKeys.manage")
          const revokedKey = yield* orDieSql(accounts.revokeApiKey(path.id, scopeOf(caller)))
          if (Option.isNone(revokedKey)) return yield* notFound(`The API key ${path.id}`)
          return toApiKey(revokedKey.value)
        }))
  }))
