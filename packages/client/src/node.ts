/**
 * `@learner-records/client/node`: everything in the main entry, plus a layer over Node's own HTTP
 * stack (undici through `@effect/platform-node`, an optional peer dependency of this package).
 * The main entry works on Node ≥ 20 too (over its built-in `fetch`); use this one when you want
 * `NodeHttpClient`, e.g. to configure the undici dispatcher.
 *
 * @since 0.1.0
 */
import * as NodeHttpClient from "@effect/platform-node/NodeHttpClient"
import { type ClientConfig, LearnerRecordsClient } from "@learner-records/client"
import { Layer } from "effect"

// by the package's own name, so that both entries share one copy of the code (and of the error
// classes, for `instanceof`) in every module format
export * from "@learner-records/client"

/**
 * The client over `NodeHttpClient.layerUndici`.
 *
 * ```ts
 * import { layerNode } from "@learner-records/client/node"
 * program.pipe(Effect.provide(layerNode({ baseUrl: "http://localhost:8080", credentials: { apiKey } })))
 * ```
 *
 * @since 0.1.0
 * @category layers
 */
export const layerNode = (config: ClientConfig): Layer.Layer<LearnerRecordsClient> =>
  LearnerRecordsClient.layer(config).pipe(Layer.provide(NodeHttpClient.layerUndici))
