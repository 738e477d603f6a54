/**
 * ULN management and verification (CONTRACT §4.1, §4.2). The learner's access log is
 * `plr.accessLog` (PlrApi).
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Fields, Learner, Matching, Uln, Verification } from "@learner-records/core"
import { Schema } from "effect"
import { strict } from "./internal/strict.js"
import { BadRequest, Conflict, Forbidden, NotFound, Unprocessable } from "./Problem.js"
import { Authentication, Authorization, Operation } from "./Security.js"

/**
 * Find a learner by ULN: the ULN and the learner's names.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FindByUlnRequest = strict(Schema.Struct({
  uln: Uln.Uln,
  givenName: Fields.GivenName,
  familyName: Fields.FamilyName
}).annotations({ identifier: "FindByUlnRequest" }))

/**
 * The outcome of a find by ULN: WSRC0004 exact, WSRC0022 linked (the master is returned and the
 * ULN searched for is in its `linkedUlns`), WSRC0001 none.
 *
 * @since 0.1.0
 * @category schemas
 */
export class FindByUlnResponse extends Schema.Class<FindByUlnResponse>("FindByUlnResponse")({
  responseCode: Schema.Literal("WSRC0001", "WSRC0004", "WSRC0022").annotations({
    description: "WSRC0004 the learner of this ULN; WSRC0022 the ULN is linked and its master learner is returned; WSRC0001 no learner with this ULN and these names."
  }),
  searchedUln: Uln.Uln,
  learner: Schema.NullOr(Learner.Learner).annotations({ description: "The learner found (the master for WSRC0022), or null for WSRC0001." })
}) {}

/**
 * Find a learner by the five mandatory demographics, refined by the optional ones.
 *
 * @since 0.1.0
 * @category schemas
 */
export const FindByDemographicsRequest = strict(Matching.Search)

/**
 * How one field of a candidate compares with the search, e.g. `exact`, `similar`, `phonetic`,
 * `sector`, `different`, `missing` (see docs/matching.md for every level).
 *
 * @since 0.1.0
 * @category schemas
 */
export const FieldAgreement = Schema.Record({ key: Schema.String, value: Schema.String }).annotations({
  identifier: "FieldAgreement",
  description: "Per-field comparison level, keyed by field name."
})

/**
 * A candidate learner with its score.
 *
 * @since 0.1.0
 * @category schemas
 */
export class LearnerMatch extends Schema.Class<LearnerMatch>("LearnerMatch")({
  learner: Learner.Learner,
  score: Schema.Number.pipe(Schema.between(0, 1)).annotations({ description: "1 is an exact match." }),
  agreement: FieldAgreement
}) {}

/**
 * The outcome of a find by demographics: WSRC0004 one exact match; WSRC0003 1–10 possible matches,
 * best first; WSRC0002 more than 10 (none returned); WSRC0001 none.
 *
 * @since 0.1.0
 * @category schemas
 */
export class FindByDemographicsResponse extends Schema.Class<FindByDemographicsResponse>("FindByDemographicsResponse")({
  responseCode: Schema.Literal("WSRC0001", "WSRC0002", "WSRC0003", "WSRC0004", "WSRC0022").annotations({
    description: "WSRC0004 one exact match; WSRC0022 one exact match on a linked learner, answered with its master; WSRC0003 1–10 possible matches; WSRC0002 more than 10 (none returned: search with more details); WSRC0001 none."
  }),
  learners: Schema.Array(LearnerMatch).annotations({ description: "The matches, best first: one for WSRC0004/WSRC0022, 1–10 for WSRC0003, none otherwise." })
}) {}

/**
 * A new learner's details.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegisterLearnerRequest = strict(Learner.LearnerDetails)

/**
 * A registered learner: WSRC0005 and the new ULN.
 *
 * @since 0.1.0
 * @category schemas
 */
export class RegisterLearnerResponse extends Schema.Class<RegisterLearnerResponse>("RegisterLearnerResponse")({
  responseCode: Schema.Literal("WSRC0005").annotations({ description: "WSRC0005: the learner was registered and a new ULN allocated." }),
  uln: Uln.Uln,
  learner: Learner.Learner
}) {}

/**
 * A registration held for a person to decide: the details are close to existing learners (possible
 * matches), so no ULN was allocated and a registration exception was raised (WSRC0003).
 *
 * @since 0.1.0
 * @category schemas
 */
export class RegistrationHeld extends Schema.Class<RegistrationHeld>("RegistrationHeld")({
  responseCode: Schema.Literal("WSRC0003").annotations({ description: "WSRC0003: possible matches; no ULN was allocated." }),
  exceptionId: Schema.String.annotations({ description: "The registration exception raised; resolve it with registrationExceptions.resolve." }),
  possibleMatches: Schema.Array(LearnerMatch).annotations({ description: "The existing learners the details are close to, best first." })
}, { description: "202: the registration is held as a registration exception (WSRC0003)." }) {}

/**
 * A learner's full new details and the version they were read at.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UpdateLearnerRequest = strict(Schema.Struct({
  ...Learner.LearnerDetails.fields,
  versionNumber: Schema.Int.pipe(Schema.nonNegative()).annotations({ description: "The versionNumber you read; WSRC0013 when someone changed the learner since." })
}).annotations({ identifier: "UpdateLearnerRequest" }))

/**
 * The outcome of an update: WSRC0006 updated, WSRC0020 nothing changed.
 *
 * @since 0.1.0
 * @category schemas
 */
export class UpdateLearnerResponse extends Schema.Class<UpdateLearnerResponse>("UpdateLearnerResponse")({
  responseCode: Schema.Literal("WSRC0006", "WSRC0020").annotations({
    description: "WSRC0006 the details were updated; WSRC0020 they were the same as those held, nothing changed."
  }),
  learner: Learner.Learner
}) {}

/**
 * Verify a ULN against a learner's details (VLD).
 *
 * @since 0.1.0
 * @category schemas
 */
export const VerifyLearnerRequest = strict(Verification.Request)

/**
 * The verification outcome WSVRC001–006 and the failure flags VRF1–VRF8.
 *
 * @since 0.1.0
 * @category schemas
 */
export class VerifyLearnerResponse extends Schema.Class<VerifyLearnerResponse>("VerifyLearnerResponse")({
  responseCode: Schema.Literal("WSVRC001", "WSVRC002", "WSVRC003", "WSVRC004", "WSVRC005", "WSVRC006").annotations({
    description: "WSVRC001 every field matches the learner held; WSVRC002 the same for a linked ULN (its master); WSVRC003 names similar, not exact; WSVRC004 the same for a linked ULN; WSVRC005 the ULN is held but the details do not match; WSVRC006 no learner holds this ULN."
  }),
  searchedUln: Uln.Uln,
  uln: Schema.NullOr(Uln.Uln).annotations({ description: "The ULN of the learner held (the master's when the ULN searched is linked)." }),
  failureFlags: Schema.Array(Schema.Literal("VRF1", "VRF2", "VRF3", "VRF4", "VRF5", "VRF6", "VRF7", "VRF8")).annotations({
    description: "Which comparisons failed: VRF1 given name vs held given name, VRF2 given vs family, VRF3 given vs previous family, VRF4 family vs given, VRF5 family vs family, VRF6 family vs previous family, VRF7 date of birth, VRF8 gender. Empty for WSVRC001/002 and WSVRC006."
  })
}) {}

const UlnPath = Schema.Struct({ uln: Uln.Uln })

/**
 * Learner endpoints.
 *
 * @since 0.1.0
 * @category groups
 */
export class LearnersApi extends HttpApiGroup.make("learners")
  .add(HttpApiEndpoint.post("findByUln", "/learners/find-by-uln").annotate(Operation, "learners.findByUln").setPayload(FindByUlnRequest).addSuccess(FindByUlnResponse)
    .addError(BadRequest).addError(Forbidden)
    .annotate(OpenApi.Summary, "Find a learner by ULN")
    .annotate(OpenApi.Description, "Returns the learner when the ULN exists and the names verify against it (WSRC0004); the master learner when the ULN is linked (WSRC0022); otherwise WSRC0001. Every learner returned is written to its access log."))
  .add(HttpApiEndpoint.post("findByDemographics", "/learners/find-by-demographics").annotate(Operation, "learners.findByDemographics").setPayload(FindByDemographicsRequest).addSuccess(FindByDemographicsResponse)
    .addError(BadRequest).addError(Forbidden)
    .annotate(OpenApi.Summary, "Find a learner by demographics")
    .annotate(OpenApi.Description, "WSRC0004: one exact match on all five mandatory fields; WSRC0003: 1–10 possible matches, best first with a score and per-field agreement; WSRC0002: more than 10 (none returned); WSRC0001: none. The rules are in docs/matching.md."))
  .add(HttpApiEndpoint.post("register", "/learners").annotate(Operation, "learners.register").setPayload(RegisterLearnerRequest)
    .addSuccess(RegisterLearnerResponse, { status: 201 }).addSuccess(RegistrationHeld, { status: 202 })
    .addError(BadRequest).addError(Forbidden).addError(Conflict).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Register a learner")
    .annotate(OpenApi.Description, "201 WSRC0005: a new ULN was allocated. 202 WSRC0003: the details are close to existing learners (possible matches), so no ULN was allocated; a registration exception was raised (exceptionId) for a user to resolve with registrationExceptions.resolve. 409 WSRC0021 when a learner with the same mandatory details exists; 422 WSRC0015 when the data is insufficient; 400 WSEC0001 malformed; 403 WSEC0006. Send an Idempotency-Key to retry safely."))
  .add(HttpApiEndpoint.put("update", "/learners/:uln").annotate(Operation, "learners.update").setPath(UlnPath).setPayload(UpdateLearnerRequest).addSuccess(UpdateLearnerResponse)
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Conflict).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Update a learner")
    .annotate(
      OpenApi.Description,
      "Replaces the learner's details. WSRC0006 updated; WSRC0020 nothing changed; 409 WSRC0013 when versionNumber is stale; 409 WSRC0021 when a change to the given name, family name, date of birth, gender or postcode would give the learner the same five fields as another learner (not one linked to it), naming that ULN; 404 WSRC0019 unknown ULN; 422 WSRC0014 invalid change of ability to share; 422 WSRC0015 insufficient data, including a changed date of birth outside ages 13–110 (a date of birth kept as held is not checked for age)."
    ))
  .add(HttpApiEndpoint.post("verify", "/learners/verify").annotate(Operation, "learners.verify").setPayload(VerifyLearnerRequest).addSuccess(VerifyLearnerResponse)
    .addError(BadRequest).addError(Forbidden)
    .annotate(OpenApi.Summary, "Verify a learner (VLD)")
    .annotate(OpenApi.Description, "Checks a ULN against a learner's details: WSVRC001–006 with failure flags VRF1–VRF8 (docs/matching.md)."))
  .middleware(Authorization)
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Learners")
{}
