/**
 * Who may do what: the LRS portal roles (DOMAIN §7, CONTRACT §4.7), the kinds of organisation, and
 * the table of operations each role may call. The server checks every request against this table;
 * object-level checks (whose achievement, whose user) come on top and answer 404.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"

/**
 * A user's role.
 *
 * - `SuperUser`: manages the organisation's users and API keys; may also do what `OnlineUser` does.
 * - `OnlineUser`: single-learner operations (find, register, update, verify, PLR).
 * - `BatchUser`: batch files.
 * - `ViewLearnerOnly`: find and read learners and PLRs, no changes.
 * - `AwardingBodyUser`: verification and achievements, for an awarding organisation.
 * - `LearnerPlanUser`: OLASS learner plans.
 * - `LrsAdmin`: the LRS operations team: organisations, qualification register, merges, reports.
 *
 * @since 0.1.0
 * @category models
 */
export const Role = Schema.Literal("SuperUser", "OnlineUser", "BatchUser", "ViewLearnerOnly", "AwardingBodyUser", "LearnerPlanUser", "LrsAdmin")
  .annotations({ identifier: "Role", description: "A user's role (CONTRACT §4.7)." })

/**
 * @since 0.1.0
 * @category models
 */
export type Role = typeof Role.Type

/**
 * What an organisation is to the LRS: a learner registration body (LRB), an awarding organisation
 * (AO), or the LRS itself. An organisation may be both LRB and AO; OLASS is a flag on an LRB.
 *
 * @since 0.1.0
 * @category models
 */
export const OrganisationKind = Schema.Literal("LRB", "AO", "LRS").annotations({ identifier: "OrganisationKind" })

/**
 * @since 0.1.0
 * @category models
 */
export type OrganisationKind = typeof OrganisationKind.Type

/**
 * Every operation that is access-controlled, named as the SDK names it.
 *
 * @since 0.1.0
 * @category models
 */
export type Operation =
  | "learners.findByUln"
  | "learners.findByDemographics"
  | "learners.register"
  | "learners.update"
  | "learners.verify"
  | "registrationExceptions.list"
  | "registrationExceptions.resolve"
  | "achievements.create"
  | "achievements.update"
  | "achievements.withdraw"
  | "achievements.reinstate"
  | "achievements.list"
  | "plr.get"
  | "plr.accessLog"
  | "users.manage"
  | "apiKeys.manage"
  | "admin.organisations"
  | "admin.qualifications"
  | "admin.merges"
  | "batches.submit"
  | "batches.read"

const LRB_ONLINE: ReadonlyArray<Role> = ["SuperUser", "OnlineUser"]

/**
 * The roles that may call each operation, and the organisation kinds the caller's organisation
 * must have.
 *
 * @since 0.1.0
 * @category constants
 */
export const permissions: Readonly<Record<Operation, { readonly roles: ReadonlyArray<Role>; readonly organisation: ReadonlyArray<OrganisationKind> }>> = {
  "learners.findByUln": { roles: [...LRB_ONLINE, "ViewLearnerOnly", "BatchUser"], organisation: ["LRB"] },
  "learners.findByDemographics": { roles: [...LRB_ONLINE, "ViewLearnerOnly", "BatchUser"], organisation: ["LRB"] },
  "learners.register": { roles: LRB_ONLINE, organisation: ["LRB"] },
  "learners.update": { roles: LRB_ONLINE, organisation: ["LRB"] },
  "learners.verify": { roles: [...LRB_ONLINE, "AwardingBodyUser", "ViewLearnerOnly"], organisation: ["LRB", "AO"] },
  "registrationExceptions.list": { roles: [...LRB_ONLINE, "BatchUser"], organisation: ["LRB"] },
  "registrationExceptions.resolve": { roles: [...LRB_ONLINE, "BatchUser"], organisation: ["LRB"] },
  "achievements.create": { roles: ["AwardingBodyUser"], organisation: ["AO"] },
  "achievements.update": { roles: ["AwardingBodyUser"], organisation: ["AO"] },
  "achievements.withdraw": { roles: ["AwardingBodyUser"], organisation: ["AO"] },
  "achievements.reinstate": { roles: ["AwardingBodyUser"], organisation: ["AO"] },
  "achievements.list": { roles: ["AwardingBodyUser"], organisation: ["AO"] },
  "plr.get": { roles: [...LRB_ONLINE, "ViewLearnerOnly"], organisation: ["LRB"] },
  "plr.accessLog": { roles: ["SuperUser", "LrsAdmin"], organisation: ["LRB", "LRS"] },
  "users.manage": { roles: ["SuperUser", "LrsAdmin"], organisation: ["LRB", "AO", "LRS"] },
  "apiKeys.manage": { roles: ["SuperUser", "LrsAdmin"], organisation: ["LRB", "AO", "LRS"] },
  "admin.organisations": { roles: ["LrsAdmin"], organisation: ["LRS"] },
  "admin.qualifications": { roles: ["LrsAdmin"], organisation: ["LRS"] },
  "admin.merges": { roles: ["LrsAdmin"], organisation: ["LRS"] },
  "batches.submit": { roles: ["BatchUser", "SuperUser", "AwardingBodyUser"], organisation: ["LRB", "AO"] },
  "batches.read": { roles: ["BatchUser", "SuperUser", "AwardingBodyUser"], organisation: ["LRB", "AO"] }
}

/**
 * `true` when a caller with these roles, in an organisation of these kinds, may call the operation.
 *
 * @since 0.1.0
 * @category predicates
 */
export const mayCall = (
  operation: Operation,
  caller: { readonly roles: ReadonlyArray<Role>; readonly organisationKinds: ReadonlyArray<OrganisationKind> }
): boolean => {
  const rule = permissions[operation]
  return caller.roles.some((r) => rule.roles.includes(r)) &&
    caller.organisationKinds.some((k) => rule.organisation.includes(k))
}

/**
 * What an organisation is, as far as granting roles goes: its kinds and the OLASS flag.
 *
 * @since 0.1.0
 * @category models
 */
export interface OrganisationProfile {
  readonly kinds: ReadonlyArray<OrganisationKind>
  readonly olass: boolean
}

/**
 * Who may hold a role: a user, or an API key (a system calling on the organisation's behalf).
 *
 * @since 0.1.0
 * @category models
 */
export type Holder = "user" | "apiKey"

/**
 * Where each role may be granted: the organisation kinds it belongs to, and whether the
 * organisation must be an OLASS LRB. A role outside its kinds would either do nothing (an
 * `OnlineUser` in an AO) or hand out powers the organisation must not have (`LrsAdmin` in a
 * provider).
 *
 * @since 0.1.0
 * @category constants
 */
export const roleScopes: Readonly<Record<Role, { readonly organisation: ReadonlyArray<OrganisationKind>; readonly olassOnly: boolean }>> = {
  SuperUser: { organisation: ["LRB", "AO", "LRS"], olassOnly: false },
  OnlineUser: { organisation: ["LRB"], olassOnly: false },
  BatchUser: { organisation: ["LRB", "AO"], olassOnly: false },
  ViewLearnerOnly: { organisation: ["LRB"], olassOnly: false },
  AwardingBodyUser: { organisation: ["AO"], olassOnly: false },
  LearnerPlanUser: { organisation: ["LRB"], olassOnly: true },
  LrsAdmin: { organisation: ["LRS"], olassOnly: false }
}

/**
 * Roles only a person may hold, never an API key: they manage accounts or the service, and a key
 * is for system-to-system calls.
 *
 * @since 0.1.0
 * @category constants
 */
export const personalRoles: ReadonlyArray<Role> = ["SuperUser", "LrsAdmin"]

const kindNames: Record<OrganisationKind, string> = {
  LRB: "a learner registration body (LRB)",
  AO: "an awarding organisation (AO)",
  LRS: "the LRS organisation"
}

/**
 * Why `role` cannot be granted to this holder in this organisation, or `undefined` when it can.
 *
 * @since 0.1.0
 * @category rules
 */
export const grantProblem = (role: Role, organisation: OrganisationProfile, holder: Holder = "user"): string | undefined => {
  if (holder === "apiKey" && personalRoles.includes(role)) {
    return `an API key cannot have the role ${role}: keys are for system-to-system calls, not for managing accounts`
  }
  const scope = roleScopes[role]
  const kinds = scope.organisation.map((k) => kindNames[k]).join(" or ")
  if (!organisation.kinds.some((k) => scope.organisation.includes(k))) return `${role} can only be granted in ${kinds}`
  if (scope.olassOnly && !(organisation.olass && organisation.kinds.includes("LRB"))) return `${role} can only be granted in an OLASS LRB`
  return undefined
}

/**
 * The roles that may be granted to this holder in this organisation, in {@link Role} order.
 *
 * @since 0.1.0
 * @category rules
 */
export const grantableRoles = (organisation: OrganisationProfile, holder: Holder = "user"): ReadonlyArray<Role> =>
  Role.literals.filter((role) => grantProblem(role, organisation, holder) === undefined)

/**
 * One role of a requested list that cannot be granted, with its position in the list.
 *
 * @since 0.1.0
 * @category models
 */
export interface RoleProblem {
  readonly index: number
  readonly role: Role
  readonly message: string
}

/**
 * Every role of `roles` that cannot be granted to this holder in this organisation; empty when all can.
 *
 * @since 0.1.0
 * @category rules
 */
export const roleProblems = (roles: ReadonlyArray<Role>, organisation: OrganisationProfile, holder: Holder = "user"): ReadonlyArray<RoleProblem> =>
  roles.flatMap((role, index) => {
    const message = grantProblem(role, organisation, holder)
    return message === undefined ? [] : [{ index, role, message }]
  })

/**
 * What is wrong with an organisation's kinds and OLASS flag, field by field.
 *
 * @since 0.1.2
 * @category models
 */
export interface OrganisationProblem {
  readonly field: "kinds" | "olass"
  readonly message: string
}

/**
 * Why an organisation may not become `next` (from `current`, or when it is created), or an empty
 * list. `LRS` marks the service's own organisation, created with the first admin: no other
 * organisation becomes LRS, and the LRS organisation stays LRS alone (removing it would leave
 * nobody able to run the service, and its LRS admins cannot act as a provider or an AO). OLASS
 * is a flag on an LRB (CONTRACT §4.7).
 *
 * @since 0.1.2
 * @category rules
 */
export const organisationProblems = (current: OrganisationProfile | undefined, next: OrganisationProfile): ReadonlyArray<OrganisationProblem> => {
  const problems: Array<OrganisationProblem> = []
  const wasLrs = current?.kinds.includes("LRS") ?? false
  if (wasLrs && (next.kinds.length !== 1 || next.kinds[0] !== "LRS")) {
    problems.push({ field: "kinds", message: "the LRS organisation is the service's own: its kinds stay [\"LRS\"]" })
  } else if (!wasLrs && next.kinds.includes("LRS")) {
    problems.push({ field: "kinds", message: "only the service's own organisation is LRS; an organisation is an LRB, an AO, or both" })
  }
  if (next.olass && !next.kinds.includes("LRB")) problems.push({ field: "olass", message: "OLASS is a flag on an LRB: the organisation must be an LRB" })
  return problems
}

/**
 * Roles that only their own holders may grant, and whose holders only their peers may manage
 * (change, revoke, reset the password of): the running of the service itself. A super user of the
 * LRS organisation manages its accounts, but cannot make anyone an LRS admin, or take over an LRS
 * admin's account by resetting its password.
 *
 * @since 0.1.2
 * @category constants
 */
export const reservedRoles: ReadonlyArray<Role> = ["LrsAdmin"]

/**
 * Every role of `roles` that a caller holding `callerRoles` may not grant, because it is reserved
 * (see {@link reservedRoles}) and the caller does not hold it; empty when the caller may grant them all.
 *
 * @since 0.1.2
 * @category rules
 */
export const reservedRoleProblems = (callerRoles: ReadonlyArray<Role>, roles: ReadonlyArray<Role>): ReadonlyArray<RoleProblem> =>
  roles.flatMap((role, index) =>
    reservedRoles.includes(role) && !callerRoles.includes(role)
      ? [{ index, role, message: `only a holder of ${role} may grant ${role}` }]
      : []
  )

/**
 * The reserved role a user holds and the caller does not, which puts the user's account out of the
 * caller's reach; `undefined` when the caller may manage it.
 *
 * @since 0.1.2
 * @category rules
 */
export const reservedAgainst = (callerRoles: ReadonlyArray<Role>, userRoles: ReadonlyArray<Role>): Role | undefined =>
  reservedRoles.find((role) => userRoles.includes(role) && !callerRoles.includes(role))

/**
 * `true` for an LRS admin, who manages the accounts of every organisation; a super user manages
 * only their own organisation's.
 *
 * @since 0.1.0
 * @category predicates
 */
export const managesAllOrganisations = (caller: { readonly roles: ReadonlyArray<Role>; readonly organisationKinds: ReadonlyArray<OrganisationKind> }): boolean =>
  caller.roles.includes("LrsAdmin") && caller.organisationKinds.includes("LRS")

/**
 * Whether the API keys a user created keep working once their roles are `next`, in an organisation
 * of `organisationKinds`: only while the user may still manage API keys.
 * A key acts with the authority of the super user who made it; a super user demoted (as when
 * revoked) takes their keys with them, so nobody keeps through a key what was taken from them.
 *
 * @since 0.1.2
 * @category rules
 */
export const keepsApiKeys = (next: ReadonlyArray<Role>, organisationKinds: ReadonlyArray<OrganisationKind>): boolean =>
  mayCall("apiKeys.manage", { roles: next, organisationKinds })

/**
 * The account-management role a user would take away from themselves by changing their roles from
 * `current` to `next`, or `undefined`. Nobody demotes themselves: another super user or the LRS
 * admin must, so an organisation is never left without anyone who can manage it by accident.
 *
 * @since 0.1.0
 * @category rules
 */
export const selfDemotion = (current: ReadonlyArray<Role>, next: ReadonlyArray<Role>): Role | undefined =>
  personalRoles.find((role) => current.includes(role) && !next.includes(role))
