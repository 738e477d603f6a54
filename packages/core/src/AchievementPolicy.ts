/**
 * Every choice this project makes where the LRS rules for achievements are not published
 * (DOMAIN §5 marks them [U]), in one place. `docs/achievements.md` explains each one; change them
 * here and nowhere else.
 *
 * @since 0.1.0
 */

/**
 * The tunable rules of achievements.
 *
 * @since 0.1.0
 * @category models
 */
export interface AchievementPolicy {
  /**
   * The youngest age, in whole years, at which a learner can plausibly be awarded anything. With a
   * known date of birth an award date before the learner's birthday of this age is rejected.
   */
  readonly minimumAgeAtAward: number
  /**
   * The earliest award date accepted at all, whatever the learner's age. Catches placeholder dates
   * (1900-01-01, Excel's 1899-12-30, SQL Server's 1753-01-01) and predates every QAN.
   */
  readonly earliestAwardDate: string
  /** Longest grade accepted (characters). */
  readonly maxGradeLength: number
  /** Largest credit value accepted. */
  readonly maxCredits: number
  /** Longest language-for-assessment text accepted (characters). */
  readonly maxLanguageLength: number
  /** Longest awarding-organisation learner reference accepted (characters; as MISIdentifier). */
  readonly maxLearnerRefLength: number
  /** Longest withdrawal reason or data-challenge note accepted (characters). */
  readonly maxReasonLength: number
}

/**
 * The policy the server, the CLI and the validator use.
 *
 * @since 0.1.0
 * @category constants
 */
export const defaultPolicy: AchievementPolicy = Object.freeze({
  // compulsory school age in England; music grades and entry-level awards go to very young children
  minimumAgeAtAward: 5,
  earliestAwardDate: "1990-01-01",
  maxGradeLength: 50,
  maxCredits: 999,
  maxLanguageLength: 50,
  maxLearnerRefLength: 128,
  maxReasonLength: 1000
})
