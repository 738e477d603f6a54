/**
 * How the SDK treats each operation, derived from the api definition alone (no list of
 * operations is kept by hand): which parts a request has, whether it may be repeated, and whether
 * it gets an `Idempotency-Key`.
 */
import { HttpApi, type HttpApiGroup } from "@effect/platform"
import { Protocol } from "@learner-records/api"
import { Option } from "effect"

/** The parts of a request, in the order the Promise facade documents them. */
export type Part = "path" | "urlParams" | "payload" | "headers"

export interface EndpointPolicy {
  /** `group.endpoint`, e.g. `learners.findByUln` (just `endpoint` for a top-level group). */
  readonly operation: string
  readonly group: string
  readonly name: string
  readonly topLevel: boolean
  readonly method: string
  readonly parts: ReadonlyArray<Part>
  /** Safe to send twice whatever happened the first time: idempotent methods and read POSTs. */
  readonly repeatable: boolean
  /** A POST that changes something: it gets an `Idempotency-Key`, generated once per call. */
  readonly idempotencyKey: boolean
}

const IDEMPOTENT_METHODS = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE"])

/**
 * The policy of an endpoint given its method and name; which POSTs only read, and so which take an
 * idempotency key, is the api's rule (`Protocol`), the one its OpenAPI document states.
 */
export const classify = (method: string, name: string): Pick<EndpointPolicy, "repeatable" | "idempotencyKey"> => {
  if (IDEMPOTENT_METHODS.has(method)) return { repeatable: true, idempotencyKey: false }
  return { repeatable: Protocol.readOperationName.test(name), idempotencyKey: Protocol.takesIdempotencyKey(method, name) }
}

/** Every endpoint of an api with its policy. */
export const policies = <Id extends string, Groups extends HttpApiGroup.HttpApiGroup.Any, E, R>(
  api: HttpApi.HttpApi<Id, Groups, E, R>
): ReadonlyArray<EndpointPolicy> => {
  const out: Array<EndpointPolicy> = []
  HttpApi.reflect(api, {
    onGroup() {},
    onEndpoint({ endpoint, group }) {
      const parts: Array<Part> = []
      if (Option.isSome(endpoint.pathSchema)) parts.push("path")
      if (Option.isSome(endpoint.urlParamsSchema)) parts.push("urlParams")
      if (Option.isSome(endpoint.payloadSchema)) parts.push("payload")
      if (Option.isSome(endpoint.headersSchema)) parts.push("headers")
      out.push({
        operation: group.topLevel ? endpoint.name : `${group.identifier}.${endpoint.name}`,
        group: group.identifier,
        name: endpoint.name,
        topLevel: group.topLevel,
        method: endpoint.method,
        parts,
        ...classify(endpoint.method, endpoint.name)
      })
    }
  })
  return out
}
