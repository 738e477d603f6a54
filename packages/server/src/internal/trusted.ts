/**
 * Learners read back from our own database, without decoding them again.
 *
 * Every learner row is written from a decoded {@link Learner.LearnerDetails} (its encoded form,
 * through `Learners.insert`/`update` or `BulkLoad`), so a stored row is already valid and
 * normalised: decoding it again on every read only repeats the checks of the write. These helpers
 * build the same values the schemas would — the same fields, in the schema's order, optional ones
 * left out when absent — at a fraction of the cost. The tests check them against the schemas.
 *
 * @internal
 */
import { Learner } from "@learner-records/core"

/** The properties of {@link Learner.LearnerDetails}, in the order the schema declares them. */
const detailKeys: ReadonlyArray<string> = Object.keys(Learner.LearnerDetails.fields)

/**
 * The {@link Learner.Learner} of stored (encoded) details plus the register's own fields, without
 * validation; unknown properties of `details` are dropped, as decoding would.
 *
 * @since 0.1.0
 */
export const learner = (
  details: Readonly<Record<string, unknown>>,
  fields: Pick<Learner.Learner, "uln" | "versionNumber" | "createdAt" | "updatedAt" | "linkedUlns" | "masterSubstituted">
): Learner.Learner => {
  const props: Record<string, unknown> = {}
  for (const key of detailKeys) {
    const value = details[key]
    if (value !== undefined) props[key] = value
  }
  props["uln"] = fields.uln
  props["versionNumber"] = fields.versionNumber
  props["createdAt"] = fields.createdAt
  props["updatedAt"] = fields.updatedAt
  props["linkedUlns"] = fields.linkedUlns
  props["masterSubstituted"] = fields.masterSubstituted
  return new Learner.Learner(props as unknown as Learner.Learner, true)
}
