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
