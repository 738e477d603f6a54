/**
 * Normalisation of the details a search compares: names (case, diacritics, apostrophes, hyphens,
 * spacing), postcodes (CONTRACT §3) and dates of birth. Two values that normalise to the same text
 * are the same for exact matching.
 *
 * @since 0.1.0
 */
import * as Option from "effect/Option"
import { memoizeByString } from "./internal/memo.js"
import * as Postcode from "./Postcode.js"

// Letters that Unicode decomposition does not split into a base letter and a mark.
const FOLD: Readonly<Record<string, string>> = {
  "ß": "SS", "Æ": "AE", "æ": "AE", "Ø": "O", "ø": "O", "Œ": "OE", "œ": "OE", "Ł": "L", "ł": "L",
  "Đ": "D", "đ": "D", "Ð": "D", "ð": "D", "Þ": "TH", "þ": "TH", "ı": "I", "ĸ": "K"
}
const FOLDABLE = /[ßÆæØøŒœŁłĐđÐðÞþıĸ]/g
const MARKS = /[\u0300-\u036f]/g
// Apostrophes and similar marks vanish (O'Brien = OBrien); other separators become a space
// (Smith-Jones = Smith Jones, St. John = St John).
const APOSTROPHES = /['’‘`´ʼʻ]/g
const SEPARATORS = /[^A-Z0-9]+/g
// names seen lately, with their normal forms (a million learners have about 19,000 distinct names)
const NAME_CACHE = 50_000

/**
 * A name as matching sees it: upper case, diacritics removed (`Zoë` → `ZOE`), apostrophes removed
 * (`O'Brien` → `OBRIEN`), hyphens and other punctuation turned into one space
 * (`Smith-Jones` → `SMITH JONES`), no leading, trailing or repeated spaces.
 *
 * @since 0.1.0
 * @category names
 */
export const name: (input: string) => string = memoizeByString((input) =>
  input
    .normalize("NFKD")
    .replace(MARKS, "")
    .replace(FOLDABLE, (c) => FOLD[c] ?? c)
    .replace(APOSTROPHES, "")
    .toUpperCase()
    .replace(SEPARATORS, " ")
    .trim(), NAME_CACHE)

/**
 * The comparison key of a name: {@link name} without spaces, so `Mc Donald`, `McDonald` and
 * `MCDONALD` agree, as do `Smith-Jones` and `Smith Jones`.
 *
 * @since 0.1.0
 * @category names
 */
export const nameKey: (input: string) => string = memoizeByString((input) => name(input).replace(/ /g, ""), NAME_CACHE)

/**
 * The words of a normalised name (`Smith-Jones` → `["SMITH", "JONES"]`).
 *
 * @since 0.1.0
 * @category names
 */
export const nameTokens = (input: string): ReadonlyArray<string> => {
  const n = name(input)
  return n === "" ? [] : n.split(" ")
}

/**
 * A postcode's comparison key: upper case without spaces (`cv4 9ee` → `CV49EE`), as the LRS compares
 * them (DOMAIN §4). Invalid postcodes still get a key, so they can agree with themselves.
 *
 * @since 0.1.0
 * @category postcodes
 */
export const postcodeKey = (input: string): string => input.toUpperCase().replace(/\s+/g, "")

/**
 * The parts of a postcode that matching compares (area, district, sector), or `None` when invalid.
 *
 * @since 0.1.0
 * @category postcodes
 */
export const postcode = (input: string): Option.Option<Postcode.PostcodeParts> => Postcode.parse(input)

/**
 * An e-mail address's comparison key: trimmed and lower case.
 *
 * @since 0.1.0
 * @category other fields
 */
export const emailKey = (input: string): string => input.trim().toLowerCase()

/**
 * Free text (school at 16, place of birth) for comparison: normalised like a name.
 *
 * @since 0.1.0
 * @category other fields
 */
export const textKey = (input: string): string => name(input)
