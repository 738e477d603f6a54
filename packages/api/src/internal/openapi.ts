/**
 * The platform adds its own `HttpApiDecodeError` (plain `application/json`) to every operation's
 * 400. The server answers a request that does not decode with the `BadRequest` problem instead
 * (WSEC0001, WSEC0136), so the document shows what is really sent: every 400 is the `BadRequest`
 * problem as `application/problem+json`, and the platform's schemas it no longer uses are dropped.
 */
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
