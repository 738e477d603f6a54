/**
 * The rows of the three kinds of batch file: their columns, in order; the typed row each decodes
 * to; the rules each field and row must meet; the return code a rejected row gets; and, for
 * achievement rows, the lifecycle command a row stands for.
 *
 * The validators are plain functions over the row's text fields (a 10,000-row file is validated in
 * a few tens of milliseconds); they give the same verdict and messages as the row Schemas, which
 * decode the same rows sent as JSON.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as Achievement from "./Achievement.js"
import type * as AchievementLifecycle from "./AchievementLifecycle.js"
import { type AchievementPolicy, defaultPolicy } from "./AchievementPolicy.js"
import * as BatchProblem from "./BatchProblem.js"
import type { Problem, ProblemCode } from "./BatchProblem.js"
import * as F from "./Fields.js"
import * as P from "./internal/batchFields.js"
import { LearnerDetails } from "./Learner.js"
import * as QualificationNumber from "./QualificationNumber.js"
import { SubjectCode } from "./QualificationNumber.js"
import { Ukprn } from "./Ukprn.js"
import { Uln } from "./Uln.js"

/**
 * The three kinds of batch file.
 *
 * @since 0.1.0
 * @category schemas
 */
export const BatchKind = Schema.Literal("registration", "verification", "achievement").annotations({
  identifier: "BatchKind",
  description: "registration (learner registration, max 200), verification (max 200) or achievement (max 10,000)."
})

/**
 * @since 0.1.0
 * @category models
 */
export type BatchKind = typeof BatchKind.Type

/**
 * Every kind, in a fixed order.
 *
 * @since 0.1.0
 * @category constants
 */
export const kinds: ReadonlyArray<BatchKind> = ["registration", "verification", "achievement"]

interface ColumnSpec {
  readonly name: string
  readonly key: string
  readonly required: boolean
  readonly parse: P.Parse
}

const col = (name: string, key: string, required: boolean, parse: P.Parse): ColumnSpec => ({ name, key, required, parse })
const name35 = P.text(35)
const GENDER = P.oneOf({ "0": 0, "1": 1, "2": 2, "9": 9 }, "gender must be 0 (not known), 1 (male), 2 (female) or 9 (not specified)")

const REGISTRATION: ReadonlyArray<ColumnSpec> = [
  col("ULN", "uln", false, P.uln),
  col("MISIdentifier", "misIdentifier", false, P.text(128)),
  col("Title", "title", false, name35),
  col("GivenName", "givenName", true, name35),
  col("PreferredGivenName", "preferredGivenName", false, name35),
  col("MiddleOtherName", "middleOtherName", false, name35),
  col("FamilyName", "familyName", true, name35),
  col("PreviousFamilyName", "previousFamilyName", false, name35),
  col("FamilyNameAtAge16", "familyNameAtAge16", false, name35),
  col("SchoolAtAge16", "schoolAtAge16", false, P.text(254)),
  col("LastKnownAddressLine1", "lastKnownAddressLine1", false, P.text(50)),
  col("LastKnownAddressLine2", "lastKnownAddressLine2", false, P.text(50)),
  col("LastKnownAddressTown", "lastKnownAddressTown", false, P.text(50)),
  col("LastKnownAddressCountyOrCity", "lastKnownAddressCountyOrCity", false, P.text(50)),
  col("LastKnownPostCode", "lastKnownPostCode", true, P.postcode),
  col("DateOfAddressCapture", "dateOfAddressCapture", false, P.date),
  col("DateOfBirth", "dateOfBirth", true, P.date),
  col("PlaceOfBirth", "placeOfBirth", false, name35),
  col("EmailAddress", "emailAddress", false, P.email),
  col("Gender", "gender", true, GENDER),
  col("Nationality", "nationality", false, P.pattern(/^[A-Za-z0-9]{1,3}$/, "a nationality code has 1 to 3 letters or digits")),
  col("ScottishCandidateNumber", "scottishCandidateNumber", false, P.pattern(/^[0-9]{9}$/, "a Scottish candidate number is 9 digits")),
  col("AbilityToShare", "abilityToShare", true, P.oneOf({ "0": 0, "1": 1, "2": 2 }, "ability to share must be 0 (notice not seen), 1 (agrees to share) or 2 (does not agree)")),
  col(
    "VerificationType",
    "verificationType",
    true,
    P.oneOf({ "0": 0, "1": 1, "2": 2, "3": 3, "4": 4, "5": 5, "6": 6, "7": 7, "999": 999 }, "verification type must be one of 0, 1, 2, 3, 4, 5, 6, 7 or 999")
  ),
  col("OtherVerificationDescription", "otherVerificationDescription", false, P.text(255)),
  col("Notes", "notes", false, P.text(4000))
]

const VERIFICATION: ReadonlyArray<ColumnSpec> = [
  col("MISIdentifier", "misIdentifier", false, P.text(128)),
  col("ULN", "uln", true, P.uln),
  col("FamilyName", "familyName", true, name35),
  col("GivenName", "givenName", true, name35),
  col("DateOfBirth", "dateOfBirth", false, P.date),
  col("Gender", "gender", false, GENDER)
]

const ACHIEVEMENT: ReadonlyArray<ColumnSpec> = [
  col("Action", "action", true, P.oneOf({ Create: "Create", Update: "Update", Withdraw: "Withdraw", Reinstate: "Reinstate" }, "action must be Create, Update, Withdraw or Reinstate")),
  col("ULN", "uln", true, P.uln),
  col("GivenName", "givenName", true, name35),
  col("FamilyName", "familyName", true, name35),
  col("DateOfBirth", "dateOfBirth", false, P.date),
  col("Gender", "gender", false, GENDER),
  col("AoLearnerRef", "aoLearnerRef", false, P.text(defaultPolicy.maxLearnerRefLength)),
  col("SubjectCode", "subjectCode", true, P.subjectCode),
  // required for Create and Update rows only: checked with the row
  col("AwardDate", "awardDate", false, P.date),
  col("Grade", "grade", false, P.text(defaultPolicy.maxGradeLength)),
  col("Credits", "credits", false, P.wholeNumber(defaultPolicy.maxCredits, "credits")),
  col("LanguageForAssessment", "languageForAssessment", false, P.text(defaultPolicy.maxLanguageLength)),
  col("Status", "status", false, P.oneOf({ F: "Final", P: "Provisional" }, "status must be F (final) or P (provisional)")),
  col("CentreUkprn", "centreUkprn", false, P.ukprn)
]

/**
 * The column headings of each kind, in order. Registration follows the LRS `BatchLearner` fields
 * (DOMAIN §8); verification the LRS `MIAPBatchLearnerToVerify`; achievement this project's list.
 *
 * @since 0.1.0
 * @category constants
 */
export const columns: Readonly<Record<BatchKind, ReadonlyArray<string>>> = {
  registration: REGISTRATION.map((c) => c.name),
  verification: VERIFICATION.map((c) => c.name),
  achievement: ACHIEVEMENT.map((c) => c.name)
}

/**
 * The learner registration body's own reference for a learner, echoed in outputs (max 128).
 *
 * @since 0.1.0
 * @category schemas
 */
export const MisIdentifier = F.nonBlankText(128, "MISIdentifier", "The submitter's own reference for the learner, echoed in the output (max 128).")

/**
 * A learner registration row: the learner's details, and a ULN when the submitter believes the
 * learner has one.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegistrationRow = Schema.Struct({
  uln: Schema.optional(Uln),
  misIdentifier: Schema.optional(MisIdentifier),
  ...LearnerDetails.fields
}).annotations({ identifier: "RegistrationRow" })

/**
 * @since 0.1.0
 * @category models
 */
export type RegistrationRow = typeof RegistrationRow.Type

/**
 * A verification row: the ULN and the details to check against it.
 *
 * @since 0.1.0
 * @category schemas
 */
export const VerificationRow = Schema.Struct({
  misIdentifier: Schema.optional(MisIdentifier),
  uln: Uln,
  familyName: F.FamilyName,
  givenName: F.GivenName,
  dateOfBirth: Schema.optional(F.DateOfBirth),
  gender: Schema.optional(F.Gender)
}).annotations({ identifier: "VerificationRow" })

/**
 * @since 0.1.0
 * @category models
 */
export type VerificationRow = typeof VerificationRow.Type

/**
 * Status as batch files write it (`F` or `P`), decoded to `Final` or `Provisional`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const StatusFromLetter = Schema.transform(Achievement.StatusLetter, Achievement.AchievementStatus, {
  strict: true,
  decode: Achievement.statusFromLetter,
  encode: Achievement.statusLetter
})

const achievementLearner = {
  uln: Uln,
  givenName: F.GivenName,
  familyName: F.FamilyName,
  dateOfBirth: Schema.optional(F.DateOfBirth),
  gender: Schema.optional(F.Gender),
  aoLearnerRef: Schema.optional(Achievement.AoLearnerRef),
  subjectCode: SubjectCode,
  credits: Schema.optional(Achievement.Credits),
  languageForAssessment: Schema.optional(Achievement.LanguageForAssessment),
  centreUkprn: Schema.optional(Ukprn)
}

/**
 * A Create or Update row: the award in full.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AwardRow = Schema.Struct({
  action: Schema.Literal("Create", "Update"),
  ...achievementLearner,
  awardDate: F.IsoDate,
  grade: Achievement.Grade,
  status: StatusFromLetter
}).annotations({ identifier: "AchievementAwardRow" })

/**
 * A Withdraw or Reinstate row: the learner and subject (and the award date, to tell apart two
 * achievements of the same subject).
 *
 * @since 0.1.0
 * @category schemas
 */
export const StateRow = Schema.Struct({
  action: Schema.Literal("Withdraw", "Reinstate"),
  ...achievementLearner,
  awardDate: Schema.optional(F.IsoDate),
  grade: Schema.optional(Achievement.Grade),
  status: Schema.optional(StatusFromLetter)
}).annotations({ identifier: "AchievementStateRow" })

/**
 * An achievement row: one action on one learner's achievement of one subject.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AchievementRow = Schema.Union(AwardRow, StateRow).annotations({ identifier: "AchievementRow" })

/**
 * @since 0.1.0
 * @category models
 */
export type AchievementRow = typeof AchievementRow.Type

/**
 * The typed row of each kind.
 *
 * @since 0.1.0
 * @category models
 */
export interface RowOf {
  readonly registration: RegistrationRow
  readonly verification: VerificationRow
  readonly achievement: AchievementRow
}

/**
 * Where a row is and what the rules need to know.
 *
 * @since 0.1.0
 * @category models
 */
export interface RowContext {
  /** The row's number: the file's records counted from 1. */
  readonly row: number
  /** The line the record starts on, if the format has lines. */
  readonly line?: number | undefined
  /** Today (`YYYY-MM-DD`); without it no date is checked against today. */
  readonly today?: string | undefined
  readonly policy?: AchievementPolicy | undefined
}

/**
 * A validated row: the typed row when it has no problems, the problems (each rejecting the row)
 * and the warnings.
 *
 * @since 0.1.0
 * @category models
 */
export interface RowResult<A> {
  readonly value: A | undefined
  readonly problems: ReadonlyArray<Problem>
  readonly warnings: ReadonlyArray<Problem>
}

const problem = (ctx: RowContext, field: string, code: ProblemCode, message: string): Problem =>
  ctx.line === undefined ? { row: ctx.row, field, code, message } : { row: ctx.row, line: ctx.line, field, code, message }

const NONE: ReadonlyArray<Problem> = []

// Runs the field parsers; returns the typed fields, pushing a problem for each bad one.
const fields = (
  specs: ReadonlyArray<ColumnSpec>,
  values: ReadonlyArray<string>,
  ctx: RowContext,
  problems: Array<Problem>
): Record<string, unknown> => {
  const out: Record<string, unknown> = {}
  for (let i = 0; i < specs.length; i++) {
    const spec = specs[i]!
    const raw = (values[i] ?? "").trim()
    if (raw.length === 0) {
      if (spec.required) problems.push(problem(ctx, spec.name, "Required", `${spec.name} is required`))
      continue
    }
    const bad = P.badCharacters(raw)
    if (bad !== undefined) {
      problems.push(problem(ctx, spec.name, bad.code, bad.message))
      continue
    }
    const v = spec.parse(raw)
    if (v instanceof P.Fault) problems.push(problem(ctx, spec.name, v.code, v.message))
    else out[spec.key] = v
  }
  return out
}

// Extra fields are tolerated only when empty (spreadsheets add trailing commas).
const fieldCount = (specs: ReadonlyArray<ColumnSpec>, values: ReadonlyArray<string>, ctx: RowContext): Problem | undefined => {
  if (values.length === specs.length) return undefined
  if (values.length > specs.length) {
    let extra = false
    for (let i = specs.length; i < values.length; i++) if (values[i]!.trim() !== "") extra = true
    if (!extra) return undefined
  }
  return problem(
    ctx,
    "(row)",
    "WrongFieldCount",
    `the row has ${values.length} fields but this kind of file has ${specs.length} columns; check for a missing or extra comma, or an unquoted comma inside a value`
  )
}

const result = <A>(value: Record<string, unknown>, problems: ReadonlyArray<Problem>, warnings: ReadonlyArray<Problem>): RowResult<A> => ({
  value: problems.length === 0 ? (value as A) : undefined,
  problems,
  warnings
})

const wrongCount = <A>(p: Problem): RowResult<A> => ({ value: undefined, problems: [p], warnings: NONE })

const notAfterToday = (ctx: RowContext, field: string, value: unknown, what: string, problems: Array<Problem>): boolean => {
  if (ctx.today === undefined || typeof value !== "string" || value <= ctx.today) return true
  problems.push(problem(ctx, field, "DateInFuture", `${what} ${value} is after today (${ctx.today})`))
  return false
}

/**
 * Validates a learner registration row.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateRegistration = (values: ReadonlyArray<string>, ctx: RowContext): RowResult<RegistrationRow> => {
  const count = fieldCount(REGISTRATION, values, ctx)
  if (count !== undefined) return wrongCount(count)
  const problems: Array<Problem> = []
  const v = fields(REGISTRATION, values, ctx, problems)
  if (v.dateOfBirth !== undefined && notAfterToday(ctx, "DateOfBirth", v.dateOfBirth, "the date of birth", problems) && ctx.today !== undefined) {
    // the LRS registers learners aged 13 to 110 (RC013, DOMAIN §1.1)
    const dob = v.dateOfBirth as string
    if (Achievement.addYears(dob, 13) > ctx.today) {
      problems.push(problem(ctx, "DateOfBirth", "AgeOutOfRange", `the learner is under 13 (born ${dob}); the LRS registers learners aged 13 to 110`))
    } else if (Achievement.addYears(dob, 111) <= ctx.today) {
      problems.push(problem(ctx, "DateOfBirth", "AgeOutOfRange", `the learner is over 110 (born ${dob}); the LRS registers learners aged 13 to 110`))
    }
  }
  notAfterToday(ctx, "DateOfAddressCapture", v.dateOfAddressCapture, "the date of address capture", problems)
  if (v.verificationType === 999 && v.otherVerificationDescription === undefined) {
    problems.push(problem(ctx, "OtherVerificationDescription", "Required", "OtherVerificationDescription is required when VerificationType is 999 (other)"))
  }
  return result(v, problems, NONE)
}

/**
 * Validates a verification row.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateVerification = (values: ReadonlyArray<string>, ctx: RowContext): RowResult<VerificationRow> => {
  const count = fieldCount(VERIFICATION, values, ctx)
  if (count !== undefined) return wrongCount(count)
  const problems: Array<Problem> = []
  const v = fields(VERIFICATION, values, ctx, problems)
  notAfterToday(ctx, "DateOfBirth", v.dateOfBirth, "the date of birth", problems)
  return result(v, problems, NONE)
}

const FAR_FUTURE = "9999-12-31"

/**
 * Validates an achievement row: the fields, the fields a Create or Update needs, and the award
 * date's bounds (with the row's date of birth when given). Whether the subject is the awarding
 * organisation's to award, and whether the learner verifies, need the register and are the
 * server's to check.
 *
 * @since 0.1.0
 * @category validation
 */
export const validateAchievement = (values: ReadonlyArray<string>, ctx: RowContext): RowResult<AchievementRow> => {
  const count = fieldCount(ACHIEVEMENT, values, ctx)
  if (count !== undefined) return wrongCount(count)
  const problems: Array<Problem> = []
  let warnings = NONE
  const v = fields(ACHIEVEMENT, values, ctx, problems)
  if (v.action === "Create" || v.action === "Update") {
    for (const [name, key] of [["AwardDate", "awardDate"], ["Grade", "grade"], ["Status", "status"]] as const) {
      if (v[key] === undefined && (values[ACHIEVEMENT.findIndex((c) => c.key === key)] ?? "").trim() === "") {
        problems.push(problem(ctx, name, "Required", `${name} is required for a ${v.action} row`))
      }
    }
  }
  const dobOk = notAfterToday(ctx, "DateOfBirth", v.dateOfBirth, "the date of birth", problems)
  if (typeof v.awardDate === "string") {
    const fault = Achievement.checkAwardDate(v.awardDate, {
      today: ctx.today ?? FAR_FUTURE,
      dateOfBirth: dobOk ? (v.dateOfBirth as string | undefined) : undefined,
      policy: ctx.policy
    })
    if (fault !== undefined) problems.push(problem(ctx, "AwardDate", fault._tag, fault.message))
  }
  if (typeof v.subjectCode === "string" && QualificationNumber.subjectKind(v.subjectCode) === "qualification") {
    const w = QualificationNumber.warnings(v.subjectCode)
    if (w.length > 0) warnings = w.map((message) => problem(ctx, "SubjectCode", "QanCheckCharacter", message))
  }
  return result(v, problems, warnings)
}

/**
 * Validates a row of the given kind.
 *
 * @since 0.1.0
 * @category validation
 */
export const validate = <K extends BatchKind>(kind: K, values: ReadonlyArray<string>, ctx: RowContext): RowResult<RowOf[K]> =>
  (kind === "registration"
    ? validateRegistration(values, ctx)
    : kind === "verification"
    ? validateVerification(values, ctx)
    : validateAchievement(values, ctx)) as RowResult<RowOf[K]>

/**
 * The return code of a rejected row: the code of its problems when they all share one (RC006
 * insufficient data, RC013 age, RC012 duplicate, ACH021/ACH022 award date), otherwise RC011,
 * "incorrect format (combination of exceptions)". Warnings do not count.
 *
 * @since 0.1.0
 * @category return codes
 */
export const returnCode = (kind: BatchKind, problems: ReadonlyArray<Problem>): string | undefined => {
  let code: string | undefined
  for (const p of problems) {
    const c = BatchProblem.rowReturnCode(kind, p.code)
    if (code !== undefined && code !== c) return "RC011"
    code = c
  }
  return code
}

/**
 * The achievement details of a Create or Update row.
 *
 * @since 0.1.0
 * @category achievements
 */
export const achievementDetails = (row: typeof AwardRow.Type): Achievement.AchievementDetails =>
  Achievement.details({
    uln: row.uln,
    subjectCode: row.subjectCode,
    awardDate: row.awardDate,
    grade: row.grade,
    status: row.status,
    ...(row.credits === undefined ? {} : { credits: row.credits }),
    ...(row.languageForAssessment === undefined ? {} : { languageForAssessment: row.languageForAssessment }),
    ...(row.centreUkprn === undefined ? {} : { centreUkprn: row.centreUkprn }),
    ...(row.aoLearnerRef === undefined ? {} : { aoLearnerRef: row.aoLearnerRef })
  })

/**
 * The lifecycle command an achievement row stands for. `id` is used by a Create; `reason` is the
 * withdrawal reason written in the history (a batch file has no column for it).
 *
 * @since 0.1.0
 * @category achievements
 */
export const achievementCommand = (
  row: AchievementRow,
  options: { readonly id: string; readonly reason?: string }
): AchievementLifecycle.Command => {
  switch (row.action) {
    case "Create":
      return { _tag: "Create", id: options.id, details: achievementDetails(row) }
    case "Update":
      return { _tag: "Update", details: achievementDetails(row) }
    case "Withdraw":
      return { _tag: "Withdraw", reason: options.reason ?? "Withdrawn by achievement batch" }
    case "Reinstate":
      return options.reason === undefined ? { _tag: "Reinstate" } : { _tag: "Reinstate", reason: options.reason }
  }
}

/**
 * Picks the achievement a Withdraw, Reinstate or Update row acts on among the awarding
 * organisation's achievements for the row's ULN and subject: the only one, or the one with the
 * row's award date. `Ambiguous` (ACH024) when several match; `NotFound` (ACH013) when none does.
 *
 * @since 0.1.0
 * @category achievements
 */
export const selectTarget = <A extends { readonly awardDate: string }>(
  candidates: ReadonlyArray<A>,
  awardDate: string | undefined
): { readonly _tag: "Found"; readonly achievement: A } | { readonly _tag: "NotFound" } | { readonly _tag: "Ambiguous" } => {
  const matching = awardDate === undefined ? candidates : candidates.filter((c) => c.awardDate === awardDate)
  if (matching.length === 1) return { _tag: "Found", achievement: matching[0]! }
  if (matching.length === 0) {
    // an Update may move the award date: with one candidate, it is that one
    return awardDate !== undefined && candidates.length === 1 ? { _tag: "Found", achievement: candidates[0]! } : { _tag: "NotFound" }
  }
  return { _tag: "Ambiguous" }
}
