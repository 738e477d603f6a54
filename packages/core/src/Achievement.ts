/**
 * An achievement: the learning event an awarding organisation (AO) puts on a learner's Personal
 * Learning Record (CONTRACT §3, DOMAIN §5) — what the AO supplies ({@link AchievementDetails}), the
 * record held ({@link Achievement}) with its append-only history, and the award-date bounds.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import { type AchievementPolicy, defaultPolicy } from "./AchievementPolicy.js"
import * as F from "./Fields.js"
import { SubjectCode, subjectKind } from "./QualificationNumber.js"
import { Ukprn } from "./Ukprn.js"
import { Uln } from "./Uln.js"

/**
 * Final or provisional: a provisional result may still change (DOMAIN §5; the PLR shows `F`/`P`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AchievementStatus = Schema.Literal("Final", "Provisional").annotations({
  identifier: "AchievementStatus",
  description: "Final, or Provisional (may still change)."
})

/**
 * @since 0.1.0
 * @category models
 */
export type AchievementStatus = typeof AchievementStatus.Type

/**
 * The one-letter status of batch files and the PLR: `F` final, `P` provisional.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StatusLetter = Schema.Literal("F", "P").annotations({
  identifier: "StatusLetter",
  description: "F final, P provisional.",
  message: () => ({ message: "status must be F (final) or P (provisional)", override: true })
})

/**
 * The status a batch letter stands for.
 *
 * @since 0.1.0
 * @category conversions
 */
export const statusFromLetter = (letter: "F" | "P"): AchievementStatus => (letter === "F" ? "Final" : "Provisional")

/**
 * The batch letter of a status.
 *
 * @since 0.1.0
 * @category conversions
 */
export const statusLetter = (status: AchievementStatus): "F" | "P" => (status === "Final" ? "F" : "P")

// Surrounding spaces are not part of an AO's free text: " Pass " is stored, compared and shown as
// "Pass", as the subject code is trimmed, so a retried create that differs only in spaces is the
// same achievement (ACH005), not other details (ACH014). The length is checked as sent.
const trimmedText = (max: number, identifier: string, description: string) => {
  const text = F.nonBlankText(max, identifier, description)
  return Schema.transform(text, Schema.typeSchema(text), { strict: true, decode: (s) => s.trim(), encode: (s) => s })
}

/**
 * The grade awarded, e.g. `Pass`, `A*`, `DM`, `7`, `U` (at most 50 characters, not blank),
 * trimmed of surrounding spaces.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Grade = trimmedText(defaultPolicy.maxGradeLength, "Grade", "Grade awarded, e.g. Pass, A*, DM, 7, U (max 50).")

/**
 * Credits awarded: a whole number from 0 to 999.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Credits = Schema.Int.pipe(
  Schema.between(0, defaultPolicy.maxCredits, { message: () => `credits must be a whole number from 0 to ${defaultPolicy.maxCredits}` })
).annotations({ identifier: "Credits", description: "Credit value awarded, 0 to 999." })

/**
 * The language the learner was assessed in, e.g. `English`, `Welsh` (at most 50 characters),
 * trimmed of surrounding spaces.
 *
 * @since 0.1.0
 * @category schemas
 */
export const LanguageForAssessment = trimmedText(defaultPolicy.maxLanguageLength, "LanguageForAssessment", "Language of assessment, e.g. English, Welsh (max 50).")

/**
 * The awarding organisation's own reference for the learner (at most 128 characters, as the
 * LRB's MISIdentifier), trimmed of surrounding spaces.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AoLearnerRef = trimmedText(defaultPolicy.maxLearnerRefLength, "AoLearnerRef", "The awarding organisation's own learner reference (max 128).")

/**
 * What an awarding organisation supplies for an achievement, on create and on update.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AchievementDetails = Schema.Struct({
  uln: Uln,
  subjectCode: SubjectCode,
  awardDate: F.IsoDate,
  grade: Grade,
  credits: Schema.optional(Credits),
  languageForAssessment: Schema.optional(LanguageForAssessment),
  status: AchievementStatus,
  centreUkprn: Schema.optional(Ukprn.annotations({ description: "UKPRN of the centre (provider) where the learner was assessed." })),
  aoLearnerRef: Schema.optional(AoLearnerRef)
}).annotations({ identifier: "AchievementDetails", description: "An achievement as an awarding organisation supplies it." })

/**
 * @since 0.1.0
 * @category models
 */
export type AchievementDetails = typeof AchievementDetails.Type

/**
 * Whether the achievement shows on the learner's record: `Active`, or `Withdrawn` (kept with its
 * history, off the PLR).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Lifecycle = Schema.Literal("Active", "Withdrawn").annotations({ identifier: "AchievementLifecycleState" })

/**
 * @since 0.1.0
 * @category models
 */
export type Lifecycle = typeof Lifecycle.Type

/**
 * Where a learning event came from. Achievements from awarding organisations are `AO`, or `QCFU`
 * for unit credit (DOMAIN §5, §6).
 *
 * @since 0.1.0
 * @category schemas
 */
export const Source = Schema.Literal("AO", "QCFU").annotations({ identifier: "AchievementSource" })

/**
 * @since 0.1.0
 * @category models
 */
export type Source = typeof Source.Type

/**
 * The source of an achievement of this subject: `QCFU` for a unit, `AO` for a qualification.
 *
 * @since 0.1.0
 * @category getters
 */
export const sourceOf = (subjectCode: string): Source => (subjectKind(subjectCode) === "unit" ? "QCFU" : "AO")

/**
 * What happened in one step of an achievement's life.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HistoryAction = Schema.Literal("Created", "Updated", "Withdrawn", "Reinstated", "DataChallengeRaised", "DataChallengeResolved")
  .annotations({ identifier: "AchievementHistoryAction" })

/**
 * @since 0.1.0
 * @category models
 */
export type HistoryAction = typeof HistoryAction.Type

/**
 * One entry of an achievement's history: who did what, when, and the achievement as it was after.
 * Entries are only ever appended; `sequence` counts from 1.
 *
 * @since 0.1.0
 * @category schemas
 */
export const HistoryEntry = Schema.Struct({
  sequence: Schema.Int.pipe(Schema.positive()).annotations({ description: "Position in the history, 1 for the creation." }),
  at: Schema.String.annotations({ description: "When (ISO 8601 timestamp)." }),
  by: Ukprn.annotations({ description: "The organisation that did it." }),
  action: HistoryAction,
  reason: Schema.optional(Schema.String.annotations({ description: "Why, as the awarding organisation gave it (required to withdraw)." })),
  details: AchievementDetails,
  lifecycle: Lifecycle,
  underDataChallenge: Schema.Boolean.annotations({ description: "Whether the achievement was under a data challenge after this step." })
}).annotations({ identifier: "AchievementHistoryEntry" })

/**
 * @since 0.1.0
 * @category models
 */
export type HistoryEntry = typeof HistoryEntry.Type

/**
 * An achievement as the LRS holds it: the details, the subject's title, level and type copied from
 * the register when created, the awarding organisation that created it (its only owner), the
 * lifecycle state, the data-challenge flag and the history.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Achievement = Schema.Struct({
  id: Schema.NonEmptyTrimmedString.annotations({ description: "The achievement's id (learning event id)." }),
  awardingOrganisation: Ukprn.annotations({ description: "UKPRN of the awarding organisation that created, and alone may change, the achievement." }),
  source: Source,
  subject: Schema.String.annotations({ description: "Title of the qualification or unit." }),
  level: Schema.String.annotations({ description: "Level of the subject, copied from the qualification register when created." }),
  qualificationType: Schema.String.annotations({ description: "Type of the qualification, copied from the qualification register when created." }),
  ...AchievementDetails.fields,
  lifecycle: Lifecycle,
  underDataChallenge: Schema.Boolean.annotations({
    description: "A data challenge is open against it: it cannot be updated, withdrawn or reinstated until the challenge is resolved."
  }),
  createdAt: Schema.String.annotations({ description: "When it was created (ISO 8601 timestamp)." }),
  updatedAt: Schema.String.annotations({ description: "When it last changed (ISO 8601 timestamp)." }),
  history: Schema.Array(HistoryEntry).annotations({ description: "Every change, oldest first: creation, updates, withdrawals, reinstatements." })
}).annotations({ identifier: "Achievement", description: "A learning event from an awarding organisation." })

/**
 * @since 0.1.0
 * @category models
 */
export type Achievement = typeof Achievement.Type

/**
 * The details part of an achievement.
 *
 * @since 0.1.0
 * @category getters
 */
export const details = (a: AchievementDetails): AchievementDetails => {
  const out: { -readonly [K in keyof AchievementDetails]: AchievementDetails[K] } = {
    uln: a.uln,
    subjectCode: a.subjectCode,
    awardDate: a.awardDate,
    grade: a.grade,
    status: a.status
  }
  if (a.credits !== undefined) out.credits = a.credits
  if (a.languageForAssessment !== undefined) out.languageForAssessment = a.languageForAssessment
  if (a.centreUkprn !== undefined) out.centreUkprn = a.centreUkprn
  if (a.aoLearnerRef !== undefined) out.aoLearnerRef = a.aoLearnerRef
  return out
}

/**
 * `true` when two sets of details are the same.
 *
 * @since 0.1.0
 * @category getters
 */
export const sameDetails = (a: AchievementDetails, b: AchievementDetails): boolean =>
  a.uln === b.uln && a.subjectCode === b.subjectCode && a.awardDate === b.awardDate && a.grade === b.grade &&
  a.credits === b.credits && a.languageForAssessment === b.languageForAssessment && a.status === b.status &&
  a.centreUkprn === b.centreUkprn && a.aoLearnerRef === b.aoLearnerRef

/**
 * An achievement as a learning event on the learner's record (the PLR), for any organisation that
 * may read it: its history (`full`) without the awarding organisation's free-text reasons, or no
 * history. A reason is the AO's note to itself and the LRS ("issued to the wrong learner: meant for
 * ULN …") and may name other people; the PLR's reader gets the events, not the AO's notes.
 *
 * @since 0.1.2
 * @category getters
 */
export const asLearningEvent = (a: Achievement, full: boolean): Achievement => ({
  ...a,
  history: full ? a.history.map(({ reason: _reason, ...entry }) => entry) : []
})

/**
 * `true` when the achievement shows on the learner's record: withdrawn achievements never do.
 *
 * @since 0.1.0
 * @category getters
 */
export const isOnPlr = (a: Achievement): boolean => a.lifecycle === "Active"

/**
 * The achievements of a learner that show on their Personal Learning Record.
 *
 * @since 0.1.0
 * @category getters
 */
export const plr = (achievements: Iterable<Achievement>): Array<Achievement> => {
  const out: Array<Achievement> = []
  for (const a of achievements) if (isOnPlr(a)) out.push(a)
  return out
}

/**
 * The award date is after today.
 *
 * @since 0.1.0
 * @category errors
 */
export class AwardDateInFuture extends Schema.TaggedError<AwardDateInFuture>()("AwardDateInFuture", {
  awardDate: Schema.String,
  today: Schema.String
}) {
  /** The response code (ACH021). */
  get code(): "ACH021" {
    return "ACH021"
  }
  override get message(): string {
    return `the award date ${this.awardDate} is in the future (today is ${this.today})`
  }
}

/**
 * The award date is before the learner could plausibly have sat the subject.
 *
 * @since 0.1.0
 * @category errors
 */
export class AwardDateTooEarly extends Schema.TaggedError<AwardDateTooEarly>()("AwardDateTooEarly", {
  awardDate: Schema.String,
  earliest: Schema.String,
  because: Schema.Literal("MinimumAge", "EarliestAwardDate", "OperationalStartDate"),
  minimumAge: Schema.optional(Schema.Number)
}) {
  /** The response code (ACH022). */
  get code(): "ACH022" {
    return "ACH022"
  }
  override get message(): string {
    switch (this.because) {
      case "MinimumAge":
        return `the award date ${this.awardDate} is before the learner turned ${this.minimumAge ?? ""} (on ${this.earliest}); check the award date and the date of birth`
      case "EarliestAwardDate":
        return `the award date ${this.awardDate} is before ${this.earliest}, the earliest award date accepted; it looks like a placeholder date`
      case "OperationalStartDate":
        return `the award date ${this.awardDate} is before ${this.earliest}, when the subject could first be awarded`
    }
  }
}

/**
 * The date `years` whole years after a `YYYY-MM-DD` date, as a string that compares correctly with
 * other dates: 29 February plus a year gives `YYYY-02-29`, which sorts between 28 February and
 * 1 March, so the birthday counts as reached on 1 March in a common year.
 *
 * @since 0.1.0
 * @category dates
 */
export const addYears = (date: string, years: number): string =>
  String(Number(date.slice(0, 4)) + years).padStart(4, "0") + date.slice(4)

/**
 * What the award-date bounds need to know.
 *
 * @since 0.1.0
 * @category models
 */
export interface AwardDateContext {
  /** Today (`YYYY-MM-DD`). */
  readonly today: string
  /** The learner's date of birth when known (`YYYY-MM-DD`). */
  readonly dateOfBirth?: string | undefined
  /** The first day the subject could be awarded, from the register, when known. */
  readonly operationalStartDate?: string | undefined
  readonly policy?: AchievementPolicy | undefined
}

/**
 * The award-date bounds: not after today; not before the policy's earliest award date, the
 * subject's operational start date, or the learner's birthday of the policy's minimum age.
 * Dates must already be valid `YYYY-MM-DD` (they compare as strings).
 *
 * @since 0.1.0
 * @category validation
 */
export const checkAwardDate = (awardDate: string, context: AwardDateContext): AwardDateInFuture | AwardDateTooEarly | undefined => {
  const policy = context.policy ?? defaultPolicy
  if (awardDate > context.today) return new AwardDateInFuture({ awardDate, today: context.today })
  if (awardDate < policy.earliestAwardDate) {
    return new AwardDateTooEarly({ awardDate, earliest: policy.earliestAwardDate, because: "EarliestAwardDate" })
  }
  if (context.operationalStartDate !== undefined && awardDate < context.operationalStartDate) {
    return new AwardDateTooEarly({ awardDate, earliest: context.operationalStartDate, because: "OperationalStartDate" })
  }
  if (context.dateOfBirth !== undefined) {
    const earliest = addYears(context.dateOfBirth, policy.minimumAgeAtAward)
    if (awardDate < earliest) {
      return new AwardDateTooEarly({ awardDate, earliest, because: "MinimumAge", minimumAge: policy.minimumAgeAtAward })
    }
  }
  return undefined
}
