/**
 * `@learner-records/core`: the rules of the UK Learning Records Service as pure code.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Access from "./Access.js"
/** @since 0.1.0 */
export * as Achievement from "./Achievement.js"
/** @since 0.1.0 */
export * as AchievementLifecycle from "./AchievementLifecycle.js"
/** @since 0.1.0 */
export * as AchievementPolicy from "./AchievementPolicy.js"
/** @since 0.1.0 */
export * as BatchFile from "./BatchFile.js"
/** @since 0.1.0 */
export * as BatchOutput from "./BatchOutput.js"
/** @since 0.1.0 */
export * as BatchProblem from "./BatchProblem.js"
/** @since 0.1.0 */
export * as BatchRow from "./BatchRow.js"
/** @since 0.1.0 */
export * as Csv from "./Csv.js"
/** @since 0.1.0 */
export * as Fields from "./Fields.js"
/** @since 0.1.2 */
export * as FieldIssues from "./FieldIssues.js"
/** @since 0.1.0 */
export * as Learner from "./Learner.js"
/** @since 0.1.0 */
export * as Postcode from "./Postcode.js"
/** @since 0.1.0 */
export * as QualificationNumber from "./QualificationNumber.js"
/** @since 0.1.0 */
export * as QualificationRegister from "./QualificationRegister.js"
/** @since 0.1.0 */
export * as ResponseCode from "./ResponseCode.js"
/** @since 0.1.2 */
export * as ServiceDate from "./ServiceDate.js"
/** @since 0.1.0 */
export * as Ukprn from "./Ukprn.js"
/** @since 0.1.0 */
export * as Uln from "./Uln.js"
/** @since 0.1.0 */
export * as Blocking from "./Blocking.js"
/** @since 0.1.0 */
export * as Comparison from "./Comparison.js"
/** @since 0.1.0 */
export * as LearnerIndex from "./LearnerIndex.js"
/** @since 0.1.0 */
export * as Matching from "./Matching.js"
/** @since 0.1.0 */
export * as Normalise from "./Normalise.js"
/** @since 0.1.0 */
export * as Verification from "./Verification.js"
/** @since 0.1.0 */
export * as Xml from "./Xml.js"
/** @since 0.1.0 */
export * as SyntheticLearners from "./SyntheticLearners.js"
