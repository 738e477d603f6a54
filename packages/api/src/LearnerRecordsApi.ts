/**
 * The whole HTTP contract of the reference server as one `HttpApi` (CONTRACT §4), under `/api/v1`.
 *
 * @since 0.1.0
 */
import { HttpApi, OpenApi } from "@effect/platform"
import { AchievementsApi } from "./AchievementsApi.js"
import { AdminApi } from "./AdminApi.js"
import { AuthApi, SessionApi } from "./AuthApi.js"
import { absentBodies, bodyProblems, problemResponses, protocolHeaders, requestExamples, tagDescriptions } from "./internal/openapi.js"
import { LearnersApi } from "./LearnersApi.js"
import { PlrApi } from "./PlrApi.js"
import { BadRequest, InternalError, PayloadTooLarge, ServiceUnavailable, TooManyRequests, UnsupportedMediaType } from "./Problem.js"
import { RegistrationExceptionsApi } from "./RegistrationExceptionsApi.js"
import { ServiceApi } from "./ServiceApi.js"
import { UsersApi } from "./UsersApi.js"

/**
 * The Learning Records Service API.
 *
 * @since 0.1.0
 * @category api
 */
export class LearnerRecordsApi extends HttpApi.make("learner-records")
  .add(ServiceApi)
  .add(AuthApi)
  .add(SessionApi)
  .add(UsersApi)
  .add(LearnersApi)
  .add(RegistrationExceptionsApi)
  .add(AchievementsApi)
  .add(PlrApi)
  .add(AdminApi)
  .addError(BadRequest)
  // documented only where there is a body (`bodyProblems`)
  .addError(PayloadTooLarge)
  .addError(UnsupportedMediaType)
  .addError(TooManyRequests)
  .addError(ServiceUnavailable)
  .addError(InternalError)
  .prefix("/api/v1")
  .annotate(OpenApi.Title, "Learning Records Service (reference implementation)")
  .annotate(OpenApi.Version, "0.1.0")
  .annotate(OpenApi.Description, "ULN register, learner matching and verification, achievements and Personal Learning Records. Errors are application/problem+json with an LRS code; every response carries X-Request-ID. The order of refusals is: 401 credentials, 403 role (before the request is decoded), then 400 and the operation's own codes. A path that has operations, but not under the method sent, is 405 WSEC0002 with an Allow header; an unknown path is 404 WSEC0002.")
  .annotate(OpenApi.Transform, (spec) => requestExamples(protocolHeaders(tagDescriptions(absentBodies(problemResponses(bodyProblems(spec)))))))
{}
