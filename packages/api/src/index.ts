/**
 * `@learner-records/api`: the HTTP contract of the Learning Records Service as one Effect `HttpApi`.
 * It only describes; the server implements it and the client is derived from it.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as AchievementsApi from "./AchievementsApi.js"
/** @since 0.1.0 */
export * as AdminApi from "./AdminApi.js"
/** @since 0.1.0 */
export * as AuthApi from "./AuthApi.js"
/** @since 0.1.0 */
export * as Examples from "./Examples.js"
/** @since 0.1.0 */
export * as LearnerRecordsApi from "./LearnerRecordsApi.js"
/** @since 0.1.0 */
export * as LearnersApi from "./LearnersApi.js"
/** @since 0.1.0 */
export * as OpenApiDocument from "./OpenApiDocument.js"
/** @since 0.1.0 */
export * as PlrApi from "./PlrApi.js"
/** @since 0.1.0 */
export * as Problem from "./Problem.js"
/** @since 0.1.0 */
export * as Protocol from "./Protocol.js"
/** @since 0.1.0 */
export * as RegistrationExceptionsApi from "./RegistrationExceptionsApi.js"
/** @since 0.1.0 */
export * as Security from "./Security.js"
/** @since 0.1.0 */
export * as ServiceApi from "./ServiceApi.js"
/** @since 0.1.0 */
export * as UsersApi from "./UsersApi.js"
