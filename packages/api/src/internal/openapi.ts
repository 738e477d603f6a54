/**
 * Rewrites of the document the platform generates, each described where it is defined.
 *
 * The platform adds its own `HttpApiDecodeError` (plain `application/json`) to every operation's
 * 400. The server answers a request that does not decode with the `BadRequest` problem instead
 * (WSEC0001, WSEC0136), so the document shows what is really sent: every 400 is the `BadRequest`
 * problem as `application/problem+json`, and the platform's schemas it no longer uses are dropped.
 */
import { requestBodies } from "../Examples.js"
import { isJson, type Json, mapOperations, objectAt } from "../OpenApiDocument.js"
import { idempotencyKeyHours, idempotencyKeyPattern, isReplayedStatus, requestIdPattern, takesIdempotencyKey } from "../Protocol.js"

const decodeErrorRef = "#/components/schemas/HttpApiDecodeError"

const badRequestDescription = "The request is malformed; `errors` names each field."

const withoutDecodeError = (schema: unknown): unknown => {
  if (!isJson(schema) || !Array.isArray(schema.anyOf)) return schema
  const rest = schema.anyOf.filter((s: unknown) => !(isJson(s) && s.$ref === decodeErrorRef))
  return rest.length === 1 ? rest[0] : { ...schema, anyOf: rest }
}

const fixResponse = (response: unknown): unknown => {
  if (!isJson(response)) return response
  const { "application/json": json, ...content } = objectAt(response, "content")
  if (!isJson(json) || !JSON.stringify(json).includes(decodeErrorRef)) return response
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
  const fixed = mapOperations(spec, (op) =>
    isJson(op.responses)
      ? { ...op, responses: Object.fromEntries(Object.entries(op.responses).map(([status, r]) => [status, Number(status) >= 400 ? fixResponse(r) : r])) }
      : op)
  const components = objectAt(fixed, "components")
  const schemas: Record<string, unknown> = { ...objectAt(components, "schemas") }
  const out: Json = { ...fixed, components: { ...components, schemas } }
  // one at a time: the decode error's schema is what refers to the others
  for (const name of ["HttpApiDecodeError", "Issue", "PropertyKey"]) {
    if (name in schemas && unused(out, name)) delete schemas[name]
  }
  return out
}

const bodyStatuses: ReadonlySet<string> = new Set(["413", "415"])

/**
 * A body can be refused before it is read: 413 over the size limit (SVC005), 415 not in the media
 * type the operation takes (WSEC0001 naming Content-Type). The api declares both for every
 * operation (so that their schemas are in the document once); this keeps them on the operations
 * that take a body only.
 */
export const bodyProblems = (spec: Json): Json =>
  mapOperations(spec, (op) =>
    isJson(op.requestBody) || !isJson(op.responses)
      ? op
      : { ...op, responses: Object.fromEntries(Object.entries(op.responses).filter(([status]) => !bodyStatuses.has(status))) })

/** What each tag of a tagged schema means, where the tag is all there is to say. */
const tagMeanings: Record<string, string> = {
  Private: "Private: only the owning awarding organisation may award the subject.",
  Shared: "Shared: every awarding organisation may award the subject.",
  Restricted: "Restricted: the owner and the awarding organisations in `allowed` may award the subject."
}

const isProblem = (schema: Json): boolean => {
  const properties = schema.properties
  return isJson(properties) && ["code", "title", "detail", "requestId"].every((k) => k in properties)
}

const describeTag = (tag: unknown, problem: boolean): unknown => {
  if (!isJson(tag) || typeof tag.description === "string" || !Array.isArray(tag.enum) || tag.enum.length !== 1) return tag
  const value = String(tag.enum[0])
  const description = problem
    ? `Always "${value}": the kind of problem, one per HTTP status, for clients to tell problems apart.`
    : tagMeanings[value]
  return description === undefined ? tag : { ...tag, description }
}

const describeTags = (schema: unknown): unknown => {
  if (!isJson(schema)) return schema
  const out: Record<string, unknown> = { ...schema }
  const properties = schema.properties
  if (isJson(properties) && isJson(properties._tag)) {
    out.properties = { ...properties, _tag: describeTag(properties._tag, isProblem(schema)) }
  }
  for (const key of ["anyOf", "oneOf", "allOf"]) {
    const members = schema[key]
    if (Array.isArray(members)) out[key] = members.map(describeTags)
  }
  return out
}

/**
 * The `_tag` of a tagged schema (a problem's kind, a subject's availability) cannot carry an
 * annotation of its own: this gives each one in the document's components its description.
 */
export const tagDescriptions = (spec: Json): Json => {
  const components = objectAt(spec, "components")
  return {
    ...spec,
    components: { ...components, schemas: Object.fromEntries(Object.entries(objectAt(components, "schemas")).map(([name, schema]) => [name, describeTags(schema)])) }
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

const withHeaders = (response: unknown, names: ReadonlyArray<string>): unknown =>
  isJson(response)
    ? { ...response, headers: { ...objectAt(response, "headers"), ...Object.fromEntries(names.map((name) => [name, headerRef(name)])) } }
    : response

/** A response as documented, with `more` added to its description; a new problem response when there is none. */
const alsoMeaning = (response: unknown, more: string, problem: string): Json =>
  isJson(response) ? { ...response, description: `${String(response.description)} Or: ${more}` } : problemResponse(more, problem)

const withIdempotency = (responses: Json): Json => ({
  ...responses,
  "409": alsoMeaning(responses["409"], "A request with this Idempotency-Key is still being processed (SVC003); retry after Retry-After.", "Conflict"),
  "422": alsoMeaning(responses["422"], "This Idempotency-Key was already used for a different request (SVC002).", "Unprocessable")
})

/**
 * The headers of the protocol (`Protocol`) on every operation: the optional `X-Request-ID`
 * parameter and response header everywhere, `Retry-After` on 429s, and on the POSTs that change
 * something the `Idempotency-Key` parameter with its 409 and 422 outcomes and
 * `Idempotent-Replayed`. The server handles these in middleware, outside any one endpoint's
 * schemas, so they are added to the document here.
 */
export const protocolHeaders = (spec: Json): Json => {
  const out = mapOperations(spec, (op, method) => {
    if (!isJson(op.responses)) return op
    const name = String(op.operationId ?? "").split(".").at(-1) ?? ""
    // only an authenticated request's key is honoured: the key is scoped to its credential
    const keyed = takesIdempotencyKey(method, name) && Array.isArray(op.security) && op.security.length > 0
    const responses = keyed ? withIdempotency(op.responses) : op.responses
    return {
      ...op,
      parameters: [...(Array.isArray(op.parameters) ? op.parameters : []), requestIdParameter, ...(keyed ? [idempotencyKeyParameter] : [])],
      responses: Object.fromEntries(Object.entries(responses).map(([status, response]) => {
        const code = Number(status)
        return [status, withHeaders(response, [
          "X-Request-ID",
          ...(code === 429 || (keyed && code === 409) ? ["Retry-After"] : []),
          ...(keyed && isReplayedStatus(code) ? ["Idempotent-Replayed"] : [])
        ])]
      }))
    }
  })
  const components = objectAt(out, "components")
  return { ...out, components: { ...components, headers: { ...objectAt(components, "headers"), ...responseHeaders } } }
}

const examples: Json = requestBodies

/**
 * Each request body's `example` (`Examples.requestBodies`), on the body's one media type: the
 * interactive docs start from it instead of placeholders drawn from the schema.
 */
export const requestExamples = (spec: Json): Json =>
  mapOperations(spec, (op) => {
    const example = typeof op.operationId === "string" ? examples[op.operationId] : undefined
    if (example === undefined || !isJson(op.requestBody)) return op
    const content = objectAt(op.requestBody, "content")
    return {
      ...op,
      requestBody: { ...op.requestBody, content: Object.fromEntries(Object.entries(content).map(([type, media]) => [type, isJson(media) ? { ...media, example } : media])) }
    }
  })

const isNull = (schema: unknown): boolean => isJson(schema) && schema.type === "null" && Object.keys(schema).length === 1

/** The schema a `$ref` names in the document's components, else the schema itself. */
const resolved = (spec: Json, schema: unknown): unknown => {
  if (!isJson(schema) || typeof schema.$ref !== "string") return schema
  return objectAt(objectAt(spec, "components"), "schemas")[schema.$ref.replace("#/components/schemas/", "")]
}

const hasRequiredField = (schema: unknown): boolean =>
  isJson(schema) && Array.isArray(schema.required) && schema.required.length > 0

/**
 * A body that may be left out (`absentAsEmpty`, ./absentBody.ts) is generated as
 * `anyOf [body, null]`, always required: this shows the body itself, and `required: false` when
 * none of its fields is required — a POST without it is then the same as `{}`. (A body with a
 * required field stays required; without it the request is refused naming the field.)
 */
export const absentBodies = (spec: Json): Json =>
  mapOperations(spec, (op) => {
    if (!isJson(op.requestBody)) return op
    const content = objectAt(op.requestBody, "content")
    const json = content["application/json"]
    if (!isJson(json) || !isJson(json.schema) || !Array.isArray(json.schema.anyOf)) return op
    const members: ReadonlyArray<unknown> = json.schema.anyOf
    const body = members.filter((member) => !isNull(member))
    if (body.length !== 1 || body.length === members.length) return op
    return {
      ...op,
      requestBody: {
        ...op.requestBody,
        content: { ...content, "application/json": { ...json, schema: body[0] } },
        required: hasRequiredField(resolved(spec, body[0]))
      }
    }
  })
