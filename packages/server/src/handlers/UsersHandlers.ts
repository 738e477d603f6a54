/**
 * Handlers of the `users` group (placeholder).
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import { LearnerRecordsApi as Contract, type Security } from "@learner-records/api"
import { Effect, type Layer } from "effect"

const todo = Effect.dieMessage("not implemented yet")

/**
 * Handlers of the `users` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<HttpApiGroup.ApiGroup<"learner-records", "users">, never, Security.Authentication> = HttpApiBuilder.group(Contract.LearnerRecordsApi, "users", (handlers) =>
  handlers.handle("list", () => todo).handle("create", () => todo).handle("update", () => todo).handle("revoke", () => todo)
    .handle("resetPassword", () => todo).handle("listApiKeys", () => todo).handle("createApiKey", () => todo).handle("revokeApiKey", () => todo))
