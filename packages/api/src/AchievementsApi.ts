/**
 * Achievement management by awarding organisations (CONTRACT §4.3): create, update, withdraw,
 * reinstate and list the achievements an awarding organisation (AO) puts on learners' records. The
 * rules are core's `AchievementLifecycle` (docs/achievements.md); the outcome codes are the ACH
 * family of docs/response-codes.md.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Achievement, AchievementLifecycle, Fields, QualificationNumber, Uln, Verification } from "@learner-records/core"
import { Schema } from "effect"
import { absentAsEmpty } from "./internal/absentBody.js"
import { strict } from "./internal/strict.js"
import { BadRequest, Conflict, Forbidden, NotFound, Unprocessable } from "./Problem.js"
import { Authentication, Authorization, Operation } from "./Security.js"

/**
 * An achievement as an awarding organisation supplies it (core `Achievement.AchievementDetails`)
 * with the learner's names, and optionally date of birth and gender, that the ULN must verify
 * against (core `Verification.Request`, WSVRC001–004) before the achievement is accepted.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AchievementRequest = Schema.Struct({
  ...Verification.Request.fields,
  ...Achievement.AchievementDetails.fields
}).annotations({
  identifier: "AchievementRequest",
  description: "The achievement (core AchievementDetails) and the learner details its ULN must verify against (WSVRC001–004; otherwise 422 ACH025)."
})

/**
 * Create an achievement: the award and the learner it is for.
 *
 * @since 0.1.0
 * @category schemas
 */
export const CreateAchievementRequest = strict(AchievementRequest.annotations({ identifier: "CreateAchievementRequest" }))

/**
 * Replace an achievement's details: the same fields as a create; the ULN and the subject code
 * cannot change (ACH023).
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateAchievementRequest = strict(AchievementRequest.annotations({ identifier: "UpdateAchievementRequest" }))

/**
 * Withdraw an achievement: why. The reason is required, so the body is too; a POST without one is
 * refused naming `reason` (400 WSEC0001), as `{}` is.
 *
 * @since 0.1.0
 * @category schemas
 */
export const WithdrawAchievementRequest = absentAsEmpty(strict(Schema.Struct({
  reason: AchievementLifecycle.Withdraw.fields.reason
}).annotations({ identifier: "WithdrawAchievementRequest", description: "Why the achievement is withdrawn (max 1000 characters); kept in its history." })))

/**
 * Reinstate a withdrawn achievement, optionally saying why: the body may be left out (CONTRACT
 * §4.3), which is the same as `{}`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ReinstateAchievementRequest = absentAsEmpty(strict(Schema.Struct({
  reason: AchievementLifecycle.Reinstate.fields.reason
}).annotations({ identifier: "ReinstateAchievementRequest", description: "Optionally, why the achievement is reinstated (max 1000 characters); kept in its history." })))

const achievementField = Achievement.Achievement.annotations({ description: "The achievement as held now, with its whole history." })

/**
 * A new achievement: ACH001.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AchievementCreated extends Schema.Class<AchievementCreated>("AchievementCreated")({
  responseCode: Schema.Literal("ACH001").annotations({ description: "ACH001: the achievement was created and is on the learner's record." }),
  achievement: achievementField
}, { description: "201: the achievement was created (ACH001)." }) {}

/**
 * Nothing changed: the achievement already holds exactly these details (ACH005), e.g. a create
 * repeated for the same (awarding organisation, master ULN, subject code, award date).
 *
 * @since 0.1.0
 * @category schemas
 */
export class AchievementUnchanged extends Schema.Class<AchievementUnchanged>("AchievementUnchanged")({
  responseCode: Schema.Literal("ACH005").annotations({ description: "ACH005: the achievement already holds exactly these details; nothing was changed." }),
  achievement: achievementField
}, { description: "200: nothing changed (ACH005)." }) {}

/**
 * The outcome of an update: ACH002 updated, ACH005 nothing changed.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AchievementUpdated extends Schema.Class<AchievementUpdated>("AchievementUpdated")({
  responseCode: Schema.Literal("ACH002", "ACH005").annotations({ description: "ACH002 updated; ACH005 the details were already these, nothing changed." }),
  achievement: achievementField
}, { description: "The outcome of an update (ACH002 or ACH005)." }) {}

/**
 * A withdrawn achievement: ACH003.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AchievementWithdrawn extends Schema.Class<AchievementWithdrawn>("AchievementWithdrawn")({
  responseCode: Schema.Literal("ACH003").annotations({ description: "ACH003: withdrawn; it keeps its history but no longer shows on the learner's record." }),
  achievement: achievementField
}, { description: "The achievement was withdrawn (ACH003)." }) {}

/**
 * A reinstated achievement: ACH004.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AchievementReinstated extends Schema.Class<AchievementReinstated>("AchievementReinstated")({
  responseCode: Schema.Literal("ACH004").annotations({ description: "ACH004: reinstated with the details and status it had." }),
  achievement: achievementField
}, { description: "The achievement was reinstated (ACH004)." }) {}

const limitRule = "must be a whole number from 1 to 500"

/**
 * The page size of a list: a whole number from 1 to 500, 100 when not given.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Limit = Schema.compose(
  // the query parameter as OpenAPI shows it (a number's own JSON schema would say only "a string
  // to be decoded into a number")
  Schema.String.annotations({ description: "How many to return, 1 to 500 (default 100).", default: "100", examples: ["100"] }),
  // one rule in plain words, whatever was sent ("abc" got Effect's "Unable to decode … into a number")
  Schema.NumberFromString.annotations({ message: () => limitRule })
).pipe(
  Schema.int({ message: () => limitRule }),
  Schema.between(1, 500, { message: () => limitRule })
).annotations({ description: "How many to return, 1 to 500 (default 100).", default: 100 })

/**
 * The page size when a list is not given a `limit`. Defaults are applied by the server, not by
 * the schema, so clients may leave the field out (a schema default would make it required in the
 * decoded type, which is what an `HttpApiClient` takes).
 *
 * @since 0.1.0
 * @category constants
 */
export const DefaultLimit = 100

/**
 * The filters and page of a list of the caller's achievements.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListAchievementsParams = Schema.Struct({
  uln: Schema.optional(Uln.Uln.annotations({ description: "Only this learner's achievements (a linked ULN finds its master's)." })),
  subjectCode: Schema.optional(QualificationNumber.SubjectCode.annotations({ description: "Only achievements of this qualification or unit." })),
  status: Schema.optional(Achievement.AchievementStatus.annotations({ description: "Only Final, or only Provisional, achievements." })),
  lifecycle: Schema.optional(Achievement.Lifecycle.annotations({ description: "Only Active, or only Withdrawn, achievements; both when not given." })),
  cursor: Schema.optional(Schema.String.annotations({ description: "The nextCursor of the previous page; the first page when not given." })),
  limit: Schema.optional(Limit)
})

/**
 * A page of the caller's achievements.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AchievementPage extends Schema.Class<AchievementPage>("AchievementPage")({
  achievements: Schema.Array(Achievement.Achievement).annotations({ description: "The achievements of this page, each with its history." }),
  nextCursor: Schema.NullOr(Schema.String).annotations({ description: "Pass as cursor for the next page; null on the last page." })
}, { description: "A page of the caller's achievements." }) {}

/**
 * The path of one achievement.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AchievementIdPath = Schema.Struct({
  id: Fields.StorableText.annotations({ description: "The achievement's id." })
})

const notFound = "404 ACH013 when there is no such achievement — also when it belongs to another awarding organisation, so nothing is revealed about other organisations' records"

/**
 * Achievement endpoints (awarding organisations).
 *
 * @since 0.1.0
 * @category groups
 */
export class AchievementsApi extends HttpApiGroup.make("achievements")
  .add(HttpApiEndpoint.post("create", "/achievements").annotate(Operation, "achievements.create").setPayload(CreateAchievementRequest)
    .addSuccess(AchievementCreated, { status: 201 }).addSuccess(AchievementUnchanged)
    .addError(BadRequest).addError(Forbidden).addError(Conflict).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Create an achievement")
    .annotate(OpenApi.Description, "Puts an achievement on a learner's record: 201 ACH001 with the achievement and its history. Idempotent on (awarding organisation, master ULN, subject code, award date): the same achievement again answers 200 ACH005 and changes nothing; other details for the same key are 409 ACH014 (update it instead), as is any create of a withdrawn achievement's key (reinstate it instead). The ULN must verify against the names (and date of birth and gender when given), WSVRC001–004; otherwise 422 ACH025 with the WSVRC code in the detail. 422 ACH010 subject not on the qualification register, ACH011 subject not available to your organisation, ACH021 award date in the future, ACH022 award date too early. 400 WSEC0001 malformed, WSEC0136 invalid ULN; 403 WSEC0006 without the AwardingBodyUser role."))
  .add(HttpApiEndpoint.put("update", "/achievements/:id").annotate(Operation, "achievements.update").setPath(AchievementIdPath).setPayload(UpdateAchievementRequest).addSuccess(AchievementUpdated)
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Conflict).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Update an achievement")
    .annotate(OpenApi.Description, `Replaces the achievement's details: 200 ACH002 updated, or ACH005 when they were already these (no history entry). Owning awarding organisation only: ${notFound}. 409 ACH017 withdrawn (reinstate it first), ACH018 under data challenge. 422 ACH023 the ULN or subject code differs, ACH025 the learner does not verify (WSVRC005/006), ACH010, ACH011, ACH021, ACH022 as for create. 400 WSEC0001; 403 WSEC0006.`))
  .add(HttpApiEndpoint.post("withdraw", "/achievements/:id/withdraw").annotate(Operation, "achievements.withdraw").setPath(AchievementIdPath).setPayload(WithdrawAchievementRequest).addSuccess(AchievementWithdrawn)
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Conflict)
    .annotate(OpenApi.Summary, "Withdraw an achievement")
    .annotate(OpenApi.Description, `Takes the achievement off the learner's record, keeping it and its history: 200 ACH003. 409 ACH015 already withdrawn, ACH018 under data challenge. ${notFound}. 400 WSEC0001 (a reason is required); 403 WSEC0006.`))
  .add(HttpApiEndpoint.post("reinstate", "/achievements/:id/reinstate").annotate(Operation, "achievements.reinstate").setPath(AchievementIdPath).setPayload(ReinstateAchievementRequest).addSuccess(AchievementReinstated)
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Conflict)
    .annotate(OpenApi.Summary, "Reinstate an achievement")
    .annotate(OpenApi.Description, `Puts a withdrawn achievement back on the learner's record with the details and status it had: 200 ACH004. The body, an optional reason, may be left out. 409 ACH016 not withdrawn, ACH018 under data challenge. ${notFound}. 400 WSEC0001; 403 WSEC0006.`))
  .add(HttpApiEndpoint.get("list", "/achievements").annotate(Operation, "achievements.list").setUrlParams(ListAchievementsParams).addSuccess(AchievementPage)
    .addError(BadRequest).addError(Forbidden)
    .annotate(OpenApi.Summary, "List your achievements")
    .annotate(OpenApi.Description, "The caller's organisation's achievements, active and withdrawn, each with its history, filtered by ULN, subject code, status (Final or Provisional) and lifecycle (Active or Withdrawn); pages of `limit` (1–500, default 100) with `nextCursor`, null on the last page. 200; 400 WSEC0001 bad filter or cursor, WSEC0136 invalid ULN; 403 WSEC0006."))
  .middleware(Authorization)
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Achievements")
  .annotate(OpenApi.Description, "Awarding organisations' achievements. Outcome codes: ACH001 created, ACH002 updated, ACH003 withdrawn, ACH004 reinstated, ACH005 no change. Refusals: ACH010 subject not on the register, ACH011 subject not available, ACH013 not found (also for another organisation's achievement), ACH014 already exists (with other details, or withdrawn), ACH015 already withdrawn, ACH016 not withdrawn, ACH017 withdrawn, ACH018 under data challenge, ACH021 award date in the future, ACH022 award date too early, ACH023 ULN or subject cannot change, ACH025 learner not verified.")
{}
