import { doubleMetaphone as dm } from "double-metaphone"
import { memoizeByString } from "./memo.js"

const NONE = ["", ""] as const
// Double Metaphone reads English spelling and skips any letter it does not know, so `ANNAМАРИЯ`
// and `ANNAОЛЬГА` would both code as `AN`: a key with a letter outside A-Z gets no code at all.
const CODED = /^[A-Z0-9]+$/

/**
 * The Double Metaphone primary and alternate codes of a normalised name key (Philips 2000), from
 * the `double-metaphone` package (MIT; the same codes as PostgreSQL's `dmetaphone`); empty for a
 * key with a letter outside A-Z (a name in another script).
 */
export const doubleMetaphone: (key: string) => readonly [string, string] = memoizeByString(
  (key) => CODED.test(key) ? dm(key) : NONE,
  200_000
)
