/**
 * The learner register (placeholder while the repository is written).
 *
 * @since 0.1.0
 */
import { Effect } from "effect"

/**
 * The learners repository.
 *
 * @since 0.1.0
 * @category services
 */
export class Learners extends Effect.Service<Learners>()("@learner-records/server/Learners", {
  succeed: {}
}) {}
