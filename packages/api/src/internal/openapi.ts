/**
 * Rewrites of the document the platform generates, each described where it is defined.
 *
 * The platform adds its own `HttpApiDecodeError` (plain `application/json`) to every operation's
 * 400. The server answers a request that does not decode with the `BadRequest` problem instead
 * (WSEC0001, WSEC0136), so the document shows what is really sent: every 400 is the `BadRequest`
 * problem as `application/problem+json`, and the platform's schemas it no longer uses are dropped.
 */
import { requestBodies } from "../Examples.js"
import { idempotencyKeyHours, idempotencyKeyPattern, isReplayedStatus, requestIdPattern, takesIdempotencyKey } from "../Protocol.js"

type Json = Record<string, any>

const decodeErrorRef = "#/components/schemas/HttpApiDecodeError"

const badRequestDescription = "The request is malformed; `errors` names each field."

const withoutDecodeError = (schema: Json): Json => {
  if (!Array.isArray(schema.anyOf)) return schema
  const rest = (schema.anyOf as Array<Json>).filter((s) => s.$ref !== decodeErrorRef)
  return rest.length === 1 ? rest[0]! : { ...schema, anyOf: rest }
}

const fixResponse = (response: Json): Json => {
  const json: Json | undefined = response.content?.["application/json"]
  if (json === undefined || !JSON.stringify(json).includes(decodeErrorRef)) return response
  const { "application/json": _, ...content } = response.content as Json
  return {
    ...response,
    description: badRequestDescription,
    content: { ...content, "application/problem+json": { ...json, schema: withoutDecodeError(json.schema) } }
  }
}

const unused = (spec: Json, name: string): boolean => !JSON.stringify(spec).includes(`"#/components/schemas/${name}"`)

/**
 * Rewrites the 400 responses of an OpenAPI document as described above.
 */
export const problemResponses = (spec: Json): Json => {
  const paths: Json = {}
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    const fixed: Json = {}
    for (const [method, op] of Object.entries<Json>(item)) {
      fixed[method] = typeof op === "object" && op !== null && op.responses !== undefined
        ? { ...op, responses: Object.fromEntries(Object.entries<Json>(op.responses).map(([status, r]) => [status, Number(status) >= 400 ? fixResponse(r) : r])) }
        : op
    }
    paths[path] = fixed
  }
  const out: Json = { ...spec, paths, components: { ...spec.components, schemas: { ...spec.components?.schemas } } }
  const schemas: Json = out.components.schemas
  for (const name of ["HttpApiDecodeError", "Issue", "PropertyKey"]) {
    if (name in schemas && unused(out, name)) delete schemas[name]
  }
  return out
}

/** What each tag of a tagged schema means, where the tag is all there is to say. */
const tagMeanings: Record<string, string> = {
  Private: "Private: only the owning awarding organisation may award the subject.",
  Shared: "Shared: every awarding organisation may award the subject.",
  Restricted: "Restricted: the owner and the awarding organisations in `allowed` may award the subject."
}

const isProblem = (schema: Json): boolean =>
  typeof schema.properties === "object" && schema.properties !== null && ["code", "title", "detail", "requestId"].every((k) => k in schema.properties)

const describeTag = (tag: Json, problem: boolean): Json => {
  if (typeof tag.description === "string" || !Array.isArray(tag.enum) || tag.enum.length !== 1) return tag
  const value = String(tag.enum[0])
  const description = problem
    ? `Always "${value}": the kind of problem, one per HTTP status, for clients to tell problems apart.`
    : tagMeanings[value]
  return description === undefined ? tag : { ...tag, description }
}

const describeTags = (schema: Json): Json => {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema
  const out: Json = { ...schema }
  if (typeof out.properties === "object" && out.properties !== null && typeof out.properties._tag === "object") {
    out.properties = { ...out.properties, _tag: describeTag(out.properties._tag, isProblem(out)) }
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) if (Array.isArray(out[key])) out[key] = (out[key] as Array<Json>).map(describeTags)
  return out
}

/**
 * The `_tag` of a tagged schema (a problem's kind, a subject's availability) cannot carry an
 * annotation of its own: this gives each one in the document's components its description.
 */
export const tagDescriptions = (spec: Json): Json => {
  const schemas: Json = spec.components?.schemas ?? {}
  return {
    ...spec,
    components: { ...spec.components, schemas: Object.fromEntries(Object.entries<Json>(schemas).map(([name, schema]) => [name, describeTags(schema)])) }
  }
}

const idempotencyKeyParameter: Json = {
  name: "Idempotency-Key",
  in: "header",
  required: false,
  description: `Send a new unique value (a UUID) with each request, and the same value again when retrying it after a lost answer: the retry gets the first response (with \`Idempotent-Replayed: true\`) instead of doing the work twice. Kept ${idempotencyKeyHours} hours per credential. The same key with a different request is 422 SVC002; a retry while the first is still running is 409 SVC003.`,
  schema: { type: "string", pattern: idempotencyKeyPattern.source, minLength: 1, maxLength: 255 }
}

const requestIdParameter: Json = {
  name: "X-Request-ID",
  in: "header",
  required: false,
  description: "Your id for this request (1–128 letters, digits, `.`, `_`, `:` or `-`), echoed in the X-Request-ID response header, the problem's requestId and the access log; any other value, or none, gets a new UUID.",
  schema: { type: "string", pattern: requestIdPattern.source }
}

const responseHeaders: Json = {
  "X-Request-ID": {
    description: "The request's id: the caller's X-Request-ID when acceptable, else a new UUID. Quote it to the service desk.",
    schema: { type: "string" }
  },
  "Retry-After": {
    description: "Seconds to wait before sending the request again.",
    schema: { type: "integer", minimum: 1 }
  },
  "Idempotent-Replayed": {
    description: "`true` when this response is the stored first response to the request's Idempotency-Key, not a new one.",
    schema: { type: "string", enum: ["true"] }
  }
}

const headerRef = (name: string): Json => ({ $ref: `#/components/headers/${name}` })

const problemResponse = (description: string, schema: string): Json => ({
  description,
  content: { "application/problem+json": { schema: { $ref: `#/components/schemas/${schema}` } } }
})

const withHeaders = (response: Json, names: ReadonlyArray<string>): Json => ({
  ...response,
  headers: { ...response.headers, ...Object.fromEntries(names.map((name) => [name, headerRef(name)])) }
})

const withIdempotency = (responses: Json): Json => {
  const out: Json = { ...responses }
  const conflict = "A request with this Idempotency-Key is still being processed (SVC003); retry after Retry-After."
  const reused = "This Idempotency-Key was already used for a different request (SVC002)."
  out["409"] = out["409"] === undefined
    ? problemResponse(conflict, "Conflict")
    : { ...out["409"], description: `${out["409"].description} Or: ${conflict}` }
  out["422"] = out["422"] === undefined
    ? problemResponse(reused, "Unprocessable")
    : { ...out["422"], description: `${out["422"].description} Or: ${reused}` }
  return out
}

/**
 * The headers of the protocol (`Protocol`) on every operation: the optional `X-Request-ID`
 * parameter and response header everywhere, `Retry-After` on 429s, and on the POSTs that change
 * something the `Idempotency-Key` parameter with its 409 and 422 outcomes and
 * `Idempotent-Replayed`. The server handles these in middleware, outside any one endpoint's
 * schemas, so they are added to the document here.
 */
export const protocolHeaders = (spec: Json): Json => {
  const paths: Json = {}
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    const fixed: Json = {}
    for (const [method, op] of Object.entries<Json>(item)) {
      if (typeof op !== "object" || op === null || op.responses === undefined) {
        fixed[method] = op
        continue
      }
      const name = String(op.operationId ?? "").split(".").at(-1) ?? ""
      // only an authenticated request's key is honoured: the key is scoped to its credential
      const keyed = takesIdempotencyKey(method, name) && Array.isArray(op.security) && op.security.length > 0
      const responses = keyed ? withIdempotency(op.responses) : op.responses
      fixed[method] = {
        ...op,
        parameters: [...(op.parameters ?? []), requestIdParameter, ...(keyed ? [idempotencyKeyParameter] : [])],
        responses: Object.fromEntries(Object.entries<Json>(responses).map(([status, response]) => {
          const code = Number(status)
          return [status, withHeaders(response, [
            "X-Request-ID",
            ...(code === 429 || (keyed && code === 409) ? ["Retry-After"] : []),
            ...(keyed && isReplayedStatus(code) ? ["Idempotent-Replayed"] : [])
          ])]
        }))
      }
    }
    paths[path] = fixed
  }
  return { ...spec, paths, components: { ...spec.components, headers: { ...spec.components?.headers, ...responseHeaders } } }
}

/**
 * Each request body's `example` (`Examples.requestBodies`), on the body's one media type: the
 * interactive docs start from it instead of placeholders drawn from the schema.
 */
export const requestExamples = (spec: Json): Json => {
  const paths: Json = {}
  for (const [path, item] of Object.entries<Json>(spec.paths ?? {})) {
    const fixed: Json = {}
    for (const [method, op] of Object.entries<Json>(item)) {
      const example: unknown = typeof op === "object" && op !== null && typeof op.operationId === "string"
        ? (requestBodies as Record<string, unknown>)[op.operationId]
        : undefined
      const content: Json | undefined = op?.requestBody?.content
      fixed[method] = example === undefined || content === undefined ? op : {
        ...op,
        requestBody: {
          ...op.requestBody,
          content: Object.fromEntries(Object.entries<Json>(content).map(([type, media]) => [type, { ...media, example }]))
        }
      }
    }
    paths[path] = fixed
  }
  return { ...spec, paths }
}
