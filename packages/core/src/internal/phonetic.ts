import { doubleMetaphone as dm } from "double-metaphone"

// Names repeat a great deal; remembering their codes keeps a search from recomputing them.
const cache = new Map<string, readonly [string, string]>()
const LIMIT = 200_000

/**
 * The Double Metaphone primary and alternate codes of a normalised name key (Philips 2000), from
 * the `double-metaphone` package (MIT; the same codes as PostgreSQL's `dmetaphone`).
 */
export const doubleMetaphone = (key: string): readonly [string, string] => {
  const hit = cache.get(key)
  if (hit !== undefined) return hit
  const codes = key === "" ? (["", ""] as const) : dm(key)
  if (cache.size >= LIMIT) cache.clear()
  cache.set(key, codes)
  return codes
}
