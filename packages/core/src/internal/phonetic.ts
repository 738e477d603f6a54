import { doubleMetaphone as dm } from "double-metaphone"
import { memoizeByString } from "./memo.js"

/**
 * The Double Metaphone primary and alternate codes of a normalised name key (Philips 2000), from
 * the `double-metaphone` package (MIT; the same codes as PostgreSQL's `dmetaphone`).
 */
export const doubleMetaphone: (key: string) => readonly [string, string] = memoizeByString(
  (key) => key === "" ? (["", ""] as const) : dm(key),
  200_000
)
