/**
 * Reading and rewriting an OpenAPI document as plain JSON, for the rewrites the api applies to the
 * document the platform generates (`OpenApi.Transform`) and for a server's own (the demo's
 * examples). The document is untyped JSON at that point, so every step checks what it finds.
 *
 * @since 0.1.0
 */

/**
 * A JSON object.
 *
 * @since 0.1.0
 * @category models
 */
export type Json = { readonly [key: string]: unknown }

/**
 * Whether a value is a JSON object (not an array, not null).
 *
 * @since 0.1.0
 * @category guards
 */
export const isJson = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

/**
 * `value[key]` when it is an object, else an empty object.
 *
 * @since 0.1.0
 * @category getters
 */
export const objectAt = (value: Json, key: string): Json => {
  const found = value[key]
  return isJson(found) ? found : {}
}

/**
 * The document with every operation (`paths.<path>.<method>`) replaced by what `f` makes of it.
 *
 * @since 0.1.0
 * @category combinators
 */
export const mapOperations = (spec: Json, f: (operation: Json, method: string, path: string) => Json): Json => ({
  ...spec,
  paths: Object.fromEntries(Object.entries(objectAt(spec, "paths")).map(([path, item]) => [
    path,
    isJson(item) ? Object.fromEntries(Object.entries(item).map(([method, op]) => [method, isJson(op) ? f(op, method, path) : op])) : item
  ]))
})
