/**
 * The Personal Learning Record (CONTRACT §4.5): a learner's record with its learning events, and
 * the access log of who read it.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, OpenApi } from "@effect/platform"
import { Achievement, Fields, Learner, Uln, Verification } from "@learner-records/core"
import { Schema } from "effect"
import { Limit } from "./AchievementsApi.js"
import { strict } from "./internal/strict.js"
import { BadRequest, Forbidden, NotFound } from "./Problem.js"
import { Authentication, Authorization, Operation } from "./Security.js"

/**
 * How much of each learning event to return: `FULL` with its history (without the awarding
 * organisations' reasons), `BRIEF` without (the `history` array is empty).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PlrView = Schema.Literal("FULL", "BRIEF").annotations({
  identifier: "PlrView",
  description: "FULL (default): each learning event with its history (without the awarding organisations' free-text reasons, which are their own notes); BRIEF: the same fields with an empty history."
})

/**
 * Get a learner's record: the ULN and the details it must verify against (core
 * `Verification.Request`), and the view.
 *
 * @since 0.1.0
 * @category schemas
 */
export const GetPlrRequest = strict(Schema.Struct({
  ...Verification.Request.fields,
  view: Schema.optional(PlrView.annotations({ default: "FULL" }))
}).annotations({ identifier: "GetPlrRequest", description: "A ULN, the learner details to verify against it, and the view (FULL when not given)." }))

/**
 * A learner's record. Like the LRS, "not shared" (WSEC0206) and "not verified" (WSEC0208) are
 * normal answers in this body, not errors.
 *
 * @since 0.1.0
 * @category schemas
 */
export class PlrResponse extends Schema.Class<PlrResponse>("PlrResponse")({
  responseCode: Schema.Literal("WSRC0004", "WSRC0022", "WSEC0206", "WSEC0208").annotations({
    description: "WSRC0004 the learner's record; WSRC0022 the ULN is linked, the master's record is returned; WSEC0206 the learner has not agreed to share (no learning events); WSEC0208 the details do not verify against the ULN (no learner, no learning events)."
  }),
  incomingUln: Uln.Uln.annotations({ description: "The ULN asked for." }),
  foundUln: Schema.NullOr(Uln.Uln).annotations({ description: "The ULN of the record returned (the master's for WSRC0022); null for WSEC0208." }),
  learner: Schema.NullOr(Learner.Learner).annotations({ description: "The learner; null for WSEC0208." }),
  learningEvents: Schema.Array(Achievement.Achievement).annotations({
    description: "The achievements on the learner's record (withdrawn ones never), with their history in the FULL view and an empty history in the BRIEF view; empty for WSEC0206 and WSEC0208."
  })
}, { description: "A learner's Personal Learning Record." }) {}

/**
 * One read of a learner's record.
 *
 * @since 0.1.0
 * @category schemas
 */
export class AccessLogEntry extends Schema.Class<AccessLogEntry>("AccessLogEntry")({
  at: Schema.String.annotations({ description: "When (ISO 8601 timestamp)." }),
  uln: Uln.Uln.annotations({ description: "The learner whose record was read." }),
  operation: Schema.String.annotations({ description: "The operation that returned or read the learner, e.g. plr.get, learners.findByDemographics." }),
  userId: Schema.String.annotations({ description: "The user (for an API key, the user who created it)." }),
  username: Schema.String.annotations({ description: "The user's user name." }),
  organisationId: Schema.String.annotations({ description: "The user's organisation." }),
  organisationName: Schema.String.annotations({ description: "The organisation's name." }),
  requestId: Schema.String.annotations({ description: "The X-Request-ID of the request that read the record." })
}, { description: "One read of a learner's record." }) {}

/**
 * The path of a learner's access log.
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessLogPath = Schema.Struct({
  uln: Uln.Uln.annotations({ description: "The learner's ULN." })
})

/**
 * The period and page of an access log. `from` must not be after `to` (the server answers 400
 * naming both).
 *
 * @since 0.1.0
 * @category schemas
 */
export const AccessLogParams = Schema.Struct({
  from: Schema.optional(Fields.IsoDate.annotations({ description: "Reads on or after this date (YYYY-MM-DD); not after `to`." })),
  to: Schema.optional(Fields.IsoDate.annotations({ description: "Reads on or before this date (YYYY-MM-DD); not before `from`." })),
  cursor: Schema.optional(Schema.String.annotations({ description: "The nextCursor of the previous page; the first page when not given." })),
  limit: Schema.optional(Limit)
})

/**
 * A page of a learner's access log, newest first.
 *
 * @since 0.1.2
 * @category schemas
 */
export class AccessLogPage extends Schema.Class<AccessLogPage>("AccessLogPage")({
  entries: Schema.Array(AccessLogEntry).annotations({ description: "The reads of this page, newest first." }),
  nextCursor: Schema.NullOr(Schema.String).annotations({ description: "Pass as cursor for the next page (with the same from and to); null on the last page." })
}, { description: "A page of a learner's access log." }) {}

/**
 * Personal Learning Record endpoints.
 *
 * @since 0.1.0
 * @category groups
 */
export class PlrApi extends HttpApiGroup.make("plr")
  .add(HttpApiEndpoint.post("get", "/plr").annotate(Operation, "plr.get").setPayload(GetPlrRequest).addSuccess(PlrResponse)
    .addError(BadRequest).addError(Forbidden).addError(NotFound)
    .annotate(OpenApi.Summary, "Get a learner's record (PLR)")
    .annotate(OpenApi.Description, "Verifies the details against the ULN and returns the learner and their learning events, in the normal 200 body: WSRC0004 the record; WSRC0022 the ULN is linked and the master's record is returned (incomingUln is the ULN asked for, foundUln the master's); WSEC0206 the learner has not agreed to share, so no learning events; WSEC0208 the details do not verify, so no learner and no learning events. view FULL (default) gives each learning event's history, BRIEF an empty history. Withdrawn achievements never show. Every record returned is written to the learner's access log. 404 WSRC0001 unknown ULN; 400 WSEC0001 malformed, WSEC0136 invalid ULN; 403 WSEC0006."))
  .add(HttpApiEndpoint.get("accessLog", "/learners/:uln/access-log").annotate(Operation, "plr.accessLog").setPath(AccessLogPath).setUrlParams(AccessLogParams).addSuccess(AccessLogPage)
    .addError(BadRequest).addError(Forbidden).addError(NotFound)
    .annotate(OpenApi.Summary, "Access log of a learner's record")
    .annotate(OpenApi.Description, "Who read this learner's record or received it in a search, when, and with which operation, newest first, from `from` to `to` (inclusive dates), in pages of `limit` (1–500, default 100) with `nextCursor`, null on the last page. LRB super users see their own organisation's reads; LRS admins see all. 200; 404 WSRC0001 unknown ULN; 400 WSEC0001 malformed, `from` after `to` or a bad cursor, WSEC0136 invalid ULN; 403 WSEC0006."))
  .middleware(Authorization)
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Personal Learning Record")
{}
