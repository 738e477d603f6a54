/**
 * Registration exceptions (CONTRACT §4.1): registrations whose details were close to existing
 * learners, held until a user of the registering organisation decides to use an existing ULN or
 * to register a new learner.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Learner, Uln } from "@learner-records/core"
import { Schema } from "effect"
import { strict } from "./internal/strict.js"
import { LearnerMatch } from "./LearnersApi.js"
import { BadRequest, Conflict, Forbidden, NotFound, Unprocessable } from "./Problem.js"
import { Authentication, Authorization, Operation } from "./Security.js"

/**
 * Whether an exception still waits for a decision.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegistrationExceptionStatus = Schema.Literal("open", "resolved").annotations({
  identifier: "RegistrationExceptionStatus",
  description: "open: waits for a decision; resolved: decided."
})

/**
 * How an exception was resolved.
 *
 * @since 0.1.0
 * @category schemas
 */
export class RegistrationResolution extends Schema.Class<RegistrationResolution>("RegistrationResolution")({
  action: Schema.Literal("use-existing", "register-new").annotations({ description: "use-existing: an existing learner's ULN was used; register-new: a new learner was registered." }),
  uln: Uln.Uln.annotations({ description: "The ULN used, or the new ULN allocated." }),
  resolvedAt: Schema.String.annotations({ description: "When (ISO 8601 timestamp)." }),
  resolvedBy: Schema.String.annotations({ description: "User name of the user who resolved it." })
}, { description: "How a registration exception was resolved." }) {}

/**
 * A registration held because its details were close to existing learners.
 *
 * @since 0.1.0
 * @category schemas
 */
export class RegistrationException extends Schema.Class<RegistrationException>("RegistrationException")({
  id: Schema.String.annotations({ description: "The exception's id." }),
  status: RegistrationExceptionStatus,
  raisedAt: Schema.String.annotations({ description: "When the registration was held (ISO 8601 timestamp)." }),
  raisedBy: Schema.String.annotations({ description: "User name of the user whose registration was held." }),
  source: Schema.Literal("single", "batch").annotations({ description: "single: learners.register; batch: a row of a registration batch." }),
  details: Learner.LearnerDetails.annotations({ description: "The details sent for registration." }),
  possibleMatches: Schema.Array(LearnerMatch).annotations({ description: "The existing learners the details are close to, best first." }),
  resolution: Schema.NullOr(RegistrationResolution).annotations({ description: "How it was resolved; null while open." })
}, { description: "A registration held for a user to decide." }) {}

/**
 * The filter of a list of registration exceptions.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListRegistrationExceptionsParams = Schema.Struct({
  status: Schema.optional(RegistrationExceptionStatus.annotations({ description: "Only open, or only resolved, exceptions; all when not given." }))
})

/**
 * Use an existing learner's ULN for the held registration.
 *
 * @since 0.1.0
 * @category schemas
 */
export const UseExisting = Schema.Struct({
  action: Schema.Literal("use-existing").annotations({ description: "Use an existing learner." }),
  uln: Uln.Uln.annotations({ description: "The ULN of the existing learner: one of the possible matches, or a ULN linked to one (its master is used)." })
}).annotations({ identifier: "UseExistingLearner" })

/**
 * Register the held details as a new learner.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegisterNew = Schema.Struct({
  action: Schema.Literal("register-new").annotations({ description: "Register a new learner with the held details." })
}).annotations({ identifier: "RegisterNewLearner" })

/**
 * The decision on a registration exception, tagged by `action`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ResolveRegistrationExceptionRequest = strict(Schema.Union(UseExisting, RegisterNew).annotations({
  identifier: "ResolveRegistrationExceptionRequest",
  description: "use-existing with the ULN to use, or register-new."
}))

/**
 * A resolved exception: WSRC0004 an existing ULN is used, WSRC0022 the ULN given is linked and its
 * master's is used, WSRC0005 a new ULN was allocated.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ResolveRegistrationExceptionResponse extends Schema.Class<ResolveRegistrationExceptionResponse>("ResolveRegistrationExceptionResponse")({
  responseCode: Schema.Literal("WSRC0004", "WSRC0005", "WSRC0022").annotations({
    description: "WSRC0004 use-existing: the existing learner's ULN; WSRC0022 use-existing with a linked ULN: its master's ULN; WSRC0005 register-new: a new ULN was allocated."
  }),
  uln: Uln.Uln.annotations({ description: "The learner's ULN." }),
  exception: RegistrationException.annotations({ description: "The exception, now resolved." })
}, { description: "The outcome of resolving a registration exception." }) {}

/**
 * The path of one registration exception.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegistrationExceptionIdPath = Schema.Struct({
  id: Schema.String.annotations({ description: "The exception's id." })
})

/**
 * Registration exception endpoints.
 *
 * @since 0.1.0
 * @category groups
 */
export class RegistrationExceptionsApi extends HttpApiGroup.make("registrationExceptions")
  .add(HttpApiEndpoint.get("list", "/registration-exceptions").annotate(Operation, "registrationExceptions.list").setUrlParams(ListRegistrationExceptionsParams).addSuccess(Schema.Array(RegistrationException))
    .addError(BadRequest).addError(Forbidden)
    .annotate(OpenApi.Summary, "List registration exceptions")
    .annotate(OpenApi.Description, "The caller's organisation's registration exceptions (registrations held with possible matches, WSRC0003), open ones first, oldest first, optionally only open or only resolved ones. 200; 400 WSEC0001 bad filter; 403 WSEC0006."))
  .add(HttpApiEndpoint.post("resolve", "/registration-exceptions/:id/resolve").annotate(Operation, "registrationExceptions.resolve").setPath(RegistrationExceptionIdPath).setPayload(ResolveRegistrationExceptionRequest)
    .addSuccess(ResolveRegistrationExceptionResponse)
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Conflict).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Resolve a registration exception")
    .annotate(
      OpenApi.Description,
      "Decides a held registration: use-existing with the ULN of one of the possible matches answers 200 WSRC0004 with that ULN, or 200 WSRC0022 with the master's ULN when the ULN given is linked (to one of them, or as one of them); register-new registers the held details and answers 200 WSRC0005 with the new ULN. 404 SVC004 when the exception does not exist or belongs to another organisation, WSRC0001 when the ULN to use does not exist; 422 SVC014 when the ULN to use is not one of the possible matches nor linked to one; 409 SVC011 when the exception is already resolved, and 409 WSRC0021 when register-new now finds a learner with the same mandatory details (use-existing instead); 400 WSEC0001 malformed, WSEC0136 invalid ULN; 403 WSEC0006."
    ))
  .middleware(Authorization)
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Registration exceptions")
{}
