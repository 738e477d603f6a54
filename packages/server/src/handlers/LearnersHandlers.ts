/**
 * Handlers of the `learners` group (placeholder).
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import { LearnerRecordsApi as Contract, type Security } from "@learner-records/api"
import { Effect, type Layer } from "effect"

const todo = Effect.dieMessage("not implemented yet")

/**
 * Handlers of the `learners` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpApiGroup.ApiGroup<"learner-records", "learners">, never, Security.Authentication> = HttpApiBuilder.group(Contract.LearnerRecordsApi, "learners", (handlers) =>
  handlers.handle("findByUln", () => todo).handle("findByDemographics", () => todo).handle("register", () => todo)
    .handle("update", () => todo).handle("verify", () => todo).handle("accessLog", () => todo))
