/**
 * The life of an achievement as a small state machine. Commands — Create, Update, Withdraw,
 * Reinstate, and raising and resolving a data challenge — are decided by one pure function,
 * {@link decide}: the current achievement (or none), the command and who sends it, the subject's
 * register entry, the learner's date of birth when known, and today, give the new achievement and
 * the history entry it appends, or a typed error with its own ACH code.
 *
 * The rules (docs/achievements.md has the full transition table):
 *
 * - Only the awarding organisation that created an achievement may update, withdraw or reinstate
 *   it, or resolve a challenge to it; the subject must be on the register and available to it.
 * - Withdraw keeps the record and its history but takes it off the PLR; reinstate puts it back with
 *   the details and status it had. Withdrawing a withdrawn, or reinstating an active, achievement
 *   is an error; so is updating a withdrawn one (reinstate it first).
 * - Under data challenge an achievement cannot change except by resolving the challenge.
 * - History is append-only: every change adds one entry; errors and no-ops add none.
 *
 * @since 0.1.0
 */
import { Either, Option, Schema } from "effect"
import {
  type Achievement,
  AchievementDetails,
  type AwardDateInFuture,
  type AwardDateTooEarly,
  checkAwardDate,
  details as detailsOf,
  type HistoryAction,
  type HistoryEntry,
  type Lifecycle,
  sameDetails,
  sourceOf
} from "./Achievement.js"
import { type AchievementPolicy, defaultPolicy } from "./AchievementPolicy.js"
import * as F from "./Fields.js"
import { checkAward, type RegisteredSubject, type SubjectNotAvailable, type SubjectNotOnRegister } from "./QualificationRegister.js"
import type { Ukprn } from "./Ukprn.js"

const Reason = F.nonBlankText(defaultPolicy.maxReasonLength, "Reason", "Why (max 1000 characters).")

/**
 * Put a new achievement on a learner's record. `id` is the id the caller allocates for it.
 *
 * @since 0.1.0
 * @category commands
 */
export const Create = Schema.TaggedStruct("Create", {
  id: Schema.NonEmptyTrimmedString,
  details: AchievementDetails
})

/**
 * Replace an achievement's details (its ULN and subject code cannot change).
 *
 * @since 0.1.0
 * @category commands
 */
export const Update = Schema.TaggedStruct("Update", { details: AchievementDetails })

/**
 * Take an achievement off the learner's record, keeping it and its history.
 *
 * @since 0.1.0
 * @category commands
 */
export const Withdraw = Schema.TaggedStruct("Withdraw", { reason: Reason })

/**
 * Put a withdrawn achievement back, as it was.
 *
 * @since 0.1.0
 * @category commands
 */
export const Reinstate = Schema.TaggedStruct("Reinstate", { reason: Schema.optional(Reason) })

/**
 * A learning event data challenge was raised against the achievement (by a learner registration
 * body); until it is resolved the achievement cannot change.
 *
 * @since 0.1.0
 * @category commands
 */
export const RaiseDataChallenge = Schema.TaggedStruct("RaiseDataChallenge", { reason: Schema.optional(Reason) })

/**
 * The owning awarding organisation resolves the open data challenge: `Amended` applies the
 * amendment (checked like an update), `Rejected` leaves the details as they are.
 *
 * @since 0.1.0
 * @category commands
 */
export const ResolveDataChallenge = Schema.TaggedStruct("ResolveDataChallenge", {
  outcome: Schema.Literal("Amended", "Rejected"),
  note: Schema.optional(Reason),
  amendment: Schema.optional(AchievementDetails)
}).pipe(Schema.filter((c) => c.outcome === "Rejected" || c.amendment !== undefined || "an Amended outcome needs the amendment"))

/**
 * Every command.
 *
 * @since 0.1.0
 * @category commands
 */
export const Command = Schema.Union(Create, Update, Withdraw, Reinstate, RaiseDataChallenge, ResolveDataChallenge)
  .annotations({ identifier: "AchievementCommand" })

/**
 * @since 0.1.0
 * @category commands
 */
export type Command = typeof Command.Type

/**
 * No achievement matches (an Update, Withdraw, Reinstate or challenge with nothing to act on).
 *
 * @since 0.1.0
 * @category errors
 */
export class AchievementNotFound extends Schema.TaggedError<AchievementNotFound>()("AchievementNotFound", {}) {
  /** The response code (ACH013). */
  get code(): "ACH013" {
    return "ACH013"
  }
  override get message(): string {
    return "no such achievement"
  }
}

/**
 * A Create for an achievement that exists with other details (a repeat with the same details is
 * not an error: it changes nothing), or that exists withdrawn (`withdrawn`), whatever its details.
 *
 * @since 0.1.0
 * @category errors
 */
export class AchievementAlreadyExists extends Schema.TaggedError<AchievementAlreadyExists>()("AchievementAlreadyExists", {
  achievementId: Schema.String,
  /** The achievement that exists is withdrawn: it is reinstated, not updated (an update is ACH017). @since 0.1.2 */
  withdrawn: Schema.optionalWith(Schema.Boolean, { default: () => false })
}) {
  /** The response code (ACH014). */
  get code(): "ACH014" {
    return "ACH014"
  }
  override get message(): string {
    return this.withdrawn
      ? `achievement ${this.achievementId} already exists for this learner, subject and award date, and is withdrawn; reinstate it instead (then update it if its details should change)`
      : `achievement ${this.achievementId} already exists for this learner, subject and award date with other details; update it instead`
  }
}

/**
 * The caller is not the awarding organisation that created the achievement. The server answers
 * it as not found (404), so as not to reveal another organisation's records.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotAchievementOwner extends Schema.TaggedError<NotAchievementOwner>()("NotAchievementOwner", {
  achievementId: Schema.String,
  caller: Schema.String
}) {
  /** The response code (ACH012). */
  get code(): "ACH012" {
    return "ACH012"
  }
  override get message(): string {
    return `only the awarding organisation that created achievement ${this.achievementId} may change it`
  }
}

/**
 * Withdrawing an achievement that is already withdrawn.
 *
 * @since 0.1.0
 * @category errors
 */
export class AlreadyWithdrawn extends Schema.TaggedError<AlreadyWithdrawn>()("AlreadyWithdrawn", { achievementId: Schema.String }) {
  /** The response code (ACH015). */
  get code(): "ACH015" {
    return "ACH015"
  }
  override get message(): string {
    return `achievement ${this.achievementId} is already withdrawn`
  }
}

/**
 * Reinstating an achievement that is not withdrawn.
 *
 * @since 0.1.0
 * @category errors
 */
export class NotWithdrawn extends Schema.TaggedError<NotWithdrawn>()("NotWithdrawn", { achievementId: Schema.String }) {
  /** The response code (ACH016). */
  get code(): "ACH016" {
    return "ACH016"
  }
  override get message(): string {
    return `achievement ${this.achievementId} is not withdrawn, so it cannot be reinstated`
  }
}

/**
 * Updating, or raising a challenge to, a withdrawn achievement.
 *
 * @since 0.1.0
 * @category errors
 */
export class AchievementIsWithdrawn extends Schema.TaggedError<AchievementIsWithdrawn>()("AchievementIsWithdrawn", {
  achievementId: Schema.String
}) {
  /** The response code (ACH017). */
  get code(): "ACH017" {
    return "ACH017"
  }
  override get message(): string {
    return `achievement ${this.achievementId} is withdrawn; reinstate it before changing it`
  }
}

/**
 * Changing an achievement under data challenge other than by resolving the challenge.
 *
 * @since 0.1.0
 * @category errors
 */
export class UnderDataChallenge extends Schema.TaggedError<UnderDataChallenge>()("UnderDataChallenge", {
  achievementId: Schema.String
}) {
  /** The response code (ACH018). */
  get code(): "ACH018" {
    return "ACH018"
  }
  override get message(): string {
    return `achievement ${this.achievementId} is under data challenge; resolve the challenge to change it`
  }
}

/**
 * Resolving a challenge that is not open.
 *
 * @since 0.1.0
 * @category errors
 */
export class NoDataChallenge extends Schema.TaggedError<NoDataChallenge>()("NoDataChallenge", { achievementId: Schema.String }) {
  /** The response code (ACH019). */
  get code(): "ACH019" {
    return "ACH019"
  }
  override get message(): string {
    return `achievement ${this.achievementId} has no open data challenge`
  }
}

/**
 * Raising a challenge while one is open.
 *
 * @since 0.1.0
 * @category errors
 */
export class DataChallengeAlreadyOpen extends Schema.TaggedError<DataChallengeAlreadyOpen>()("DataChallengeAlreadyOpen", {
  achievementId: Schema.String
}) {
  /** The response code (ACH020). */
  get code(): "ACH020" {
    return "ACH020"
  }
  override get message(): string {
    return `achievement ${this.achievementId} already has an open data challenge`
  }
}

/**
 * An update that would change the learner or the subject of an achievement.
 *
 * @since 0.1.0
 * @category errors
 */
export class FieldCannotChange extends Schema.TaggedError<FieldCannotChange>()("FieldCannotChange", {
  achievementId: Schema.String,
  field: Schema.Literal("uln", "subjectCode")
}) {
  /** The response code (ACH023). */
  get code(): "ACH023" {
    return "ACH023"
  }
  override get message(): string {
    return `the ${this.field === "uln" ? "ULN" : "subject code"} of achievement ${this.achievementId} cannot change; withdraw it and create a new one`
  }
}

/**
 * Every way a command can be refused.
 *
 * @since 0.1.0
 * @category errors
 */
export type AchievementError =
  | AchievementNotFound
  | AchievementAlreadyExists
  | NotAchievementOwner
  | AlreadyWithdrawn
  | NotWithdrawn
  | AchievementIsWithdrawn
  | UnderDataChallenge
  | NoDataChallenge
  | DataChallengeAlreadyOpen
  | FieldCannotChange
  | SubjectNotOnRegister
  | SubjectNotAvailable
  | AwardDateInFuture
  | AwardDateTooEarly

/**
 * What {@link decide} needs besides the achievement and the command.
 *
 * @since 0.1.0
 * @category models
 */
export interface Context {
  /** UKPRN of the organisation sending the command. */
  readonly caller: Ukprn | string
  /** The register entry for the subject code of the command's details (Create, Update, an amendment). */
  readonly subject?: RegisteredSubject | undefined
  /** The learner's date of birth when known (`YYYY-MM-DD`), for the minimum-age bound. */
  readonly learnerDateOfBirth?: string | undefined
  /** Today (`YYYY-MM-DD`): award dates after it are rejected. */
  readonly today: string
  /** The timestamp written in the history entry (ISO 8601). */
  readonly at: string
  readonly policy?: AchievementPolicy | undefined
}

/**
 * A decided command: the achievement after it, the history entry appended (none when nothing
 * changed), and the ACH code of the outcome.
 *
 * @since 0.1.0
 * @category models
 */
export interface Transition {
  readonly achievement: Achievement
  readonly entry: Option.Option<HistoryEntry>
  readonly code: "ACH001" | "ACH002" | "ACH003" | "ACH004" | "ACH005" | "ACH006" | "ACH007"
}

const unchanged = (achievement: Achievement): Either.Either<Transition, never> =>
  Either.right({ achievement, entry: Option.none(), code: "ACH005" })

/**
 * `current` with `details` in place of its own: new details replace the old whole, so an optional
 * detail they leave out (credits, language, centre, the AO's reference) is gone, not kept.
 */
const replacingDetails = (current: Achievement, details: AchievementDetails): Achievement => {
  const { aoLearnerRef: _ref, centreUkprn: _centre, credits: _credits, languageForAssessment: _language, ...kept } = current
  return { ...kept, ...detailsOf(details) }
}

const step = (
  current: Achievement,
  context: Context,
  action: HistoryAction,
  change: { readonly details?: AchievementDetails; readonly lifecycle?: Lifecycle; readonly underDataChallenge?: boolean },
  code: Transition["code"],
  reason: string | undefined
): Either.Either<Transition, never> => {
  const next: Achievement = {
    ...(change.details === undefined ? current : replacingDetails(current, change.details)),
    lifecycle: change.lifecycle ?? current.lifecycle,
    underDataChallenge: change.underDataChallenge ?? current.underDataChallenge,
    updatedAt: context.at
  }
  const entry = historyEntry(next, current.history.length + 1, context, action, reason)
  return Either.right({ achievement: { ...next, history: [...current.history, entry] }, entry: Option.some(entry), code })
}

const historyEntry = (
  a: Achievement,
  sequence: number,
  context: Context,
  action: HistoryAction,
  reason: string | undefined
): HistoryEntry => ({
  sequence,
  at: context.at,
  by: context.caller as Ukprn,
  action,
  ...(reason === undefined ? {} : { reason }),
  details: detailsOf(a),
  lifecycle: a.lifecycle,
  underDataChallenge: a.underDataChallenge
})

// The checks an AO's new details must pass: the subject is theirs to award, the date is plausible.
const checkDetails = (
  details: AchievementDetails,
  context: Context
): Either.Either<RegisteredSubject, SubjectNotOnRegister | SubjectNotAvailable | AwardDateInFuture | AwardDateTooEarly> =>
  Either.flatMap(checkAward(details.subjectCode, context.subject, context.caller), (subject) => {
    const dateError = checkAwardDate(details.awardDate, {
      today: context.today,
      dateOfBirth: context.learnerDateOfBirth,
      operationalStartDate: subject.operationalStartDate,
      policy: context.policy
    })
    return dateError === undefined ? Either.right(subject) : Either.left(dateError)
  })

// An amendment of an existing achievement: same learner, same subject, then the same checks as a create.
const checkAmendment = (
  current: Achievement,
  details: AchievementDetails,
  context: Context
): Either.Either<RegisteredSubject, AchievementError> => {
  if (details.uln !== current.uln) return Either.left(new FieldCannotChange({ achievementId: current.id, field: "uln" }))
  if (details.subjectCode !== current.subjectCode) {
    return Either.left(new FieldCannotChange({ achievementId: current.id, field: "subjectCode" }))
  }
  return checkDetails(details, context)
}

const create = (current: Option.Option<Achievement>, command: typeof Create.Type, context: Context): Either.Either<Transition, AchievementError> => {
  if (Option.isSome(current)) {
    const a = current.value
    // a repeated create (a retry, or the same batch row again) changes nothing
    if (a.awardingOrganisation === context.caller && a.lifecycle === "Active" && sameDetails(a, command.details)) return unchanged(a)
    return Either.left(new AchievementAlreadyExists({ achievementId: a.id, withdrawn: a.lifecycle === "Withdrawn" }))
  }
  return Either.map(checkDetails(command.details, context), (subject) => {
    const base: Achievement = {
      id: command.id,
      awardingOrganisation: context.caller as Ukprn,
      source: sourceOf(command.details.subjectCode),
      subject: subject.title,
      level: subject.level,
      qualificationType: subject.qualificationType,
      ...detailsOf(command.details),
      lifecycle: "Active",
      underDataChallenge: false,
      createdAt: context.at,
      updatedAt: context.at,
      history: []
    }
    const entry = historyEntry(base, 1, context, "Created", undefined)
    return { achievement: { ...base, history: [entry] }, entry: Option.some(entry), code: "ACH001" as const }
  })
}

/**
 * Decides a command: the achievement after it and the history entry it appends, or why it is
 * refused. Pure and total: it never throws and never changes its arguments.
 *
 * `current` is the achievement the command acts on (none for a first Create). For Create and
 * Update, and for an amended resolution, `context.subject` must be the register entry of the
 * details' subject code.
 *
 * @since 0.1.0
 * @category decisions
 */
export const decide = (
  current: Option.Option<Achievement>,
  command: Command,
  context: Context
): Either.Either<Transition, AchievementError> => {
  if (command._tag === "Create") return create(current, command, context)
  if (Option.isNone(current)) return Either.left(new AchievementNotFound())
  const a = current.value
  const id = a.id
  // raising a challenge is the one command another organisation (an LRB) sends
  if (command._tag !== "RaiseDataChallenge" && a.awardingOrganisation !== context.caller) {
    return Either.left(new NotAchievementOwner({ achievementId: id, caller: context.caller }))
  }
  switch (command._tag) {
    case "Update": {
      if (a.underDataChallenge) return Either.left(new UnderDataChallenge({ achievementId: id }))
      if (a.lifecycle === "Withdrawn") return Either.left(new AchievementIsWithdrawn({ achievementId: id }))
      return Either.flatMap(checkAmendment(a, command.details, context), () =>
        sameDetails(a, command.details) ? unchanged(a) : step(a, context, "Updated", { details: command.details }, "ACH002", undefined))
    }
    case "Withdraw": {
      if (a.underDataChallenge) return Either.left(new UnderDataChallenge({ achievementId: id }))
      if (a.lifecycle === "Withdrawn") return Either.left(new AlreadyWithdrawn({ achievementId: id }))
      return step(a, context, "Withdrawn", { lifecycle: "Withdrawn" }, "ACH003", command.reason)
    }
    case "Reinstate": {
      if (a.underDataChallenge) return Either.left(new UnderDataChallenge({ achievementId: id }))
      if (a.lifecycle === "Active") return Either.left(new NotWithdrawn({ achievementId: id }))
      // the details were frozen while withdrawn, so reinstating restores the status it had
      return step(a, context, "Reinstated", { lifecycle: "Active" }, "ACH004", command.reason)
    }
    case "RaiseDataChallenge": {
      // a withdrawn achievement is not on the PLR, so nobody can see it to challenge it
      if (a.lifecycle === "Withdrawn") return Either.left(new AchievementIsWithdrawn({ achievementId: id }))
      if (a.underDataChallenge) return Either.left(new DataChallengeAlreadyOpen({ achievementId: id }))
      return step(a, context, "DataChallengeRaised", { underDataChallenge: true }, "ACH006", command.reason)
    }
    case "ResolveDataChallenge": {
      if (!a.underDataChallenge) return Either.left(new NoDataChallenge({ achievementId: id }))
      if (command.outcome === "Rejected" || command.amendment === undefined) {
        return step(a, context, "DataChallengeResolved", { underDataChallenge: false }, "ACH007", command.note ?? "Rejected")
      }
      const amendment = command.amendment
      return Either.flatMap(checkAmendment(a, amendment, context), () =>
        step(a, context, "DataChallengeResolved", { details: amendment, underDataChallenge: false }, "ACH007", command.note ?? "Amended"))
    }
  }
}

/**
 * The ACH code of a refusal.
 *
 * @since 0.1.0
 * @category getters
 */
export const errorCode = (error: AchievementError): AchievementError["code"] => error.code
