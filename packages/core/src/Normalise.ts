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

// Latin letters that Unicode decomposition does not split into a base letter and a mark (Ħ and Ŧ
// carry a stroke, as Đ and Ł do).
const FOLD: Readonly<Record<string, string>> = {
  "ß": "SS", "Æ": "AE", "æ": "AE", "Ø": "O", "ø": "O", "Œ": "OE", "œ": "OE", "Ł": "L", "ł": "L",
  "Đ": "D", "đ": "D", "Ð": "D", "ð": "D", "Þ": "TH", "þ": "TH", "ı": "I", "ĸ": "K",
  "Ħ": "H", "ħ": "H", "Ŧ": "T", "ŧ": "T"
}
const FOLDABLE = /[ßÆæØøŒœŁłĐđÐðÞþıĸĦħŦŧ]/g
// A run of combining marks and the character they sit on.
const MARK_RUN = /(^|\P{M})(\p{M}+)/gu
// Marks stay on a letter of any script but Latin: there they are often part of the letter (Й is
// not И; a Devanagari vowel sign is the vowel), and dropping them would make different names equal.
const KEEPS_MARKS = /^[^\P{L}\p{Script=Latin}]$/u
const dropLatinMarks = (_: string, base: string, marks: string): string => KEEPS_MARKS.test(base) ? base + marks : base
// Apostrophes and similar marks vanish (O'Brien = OBrien), as do the spacing modifier letters of
// transliteration (ʼ ʻ ʾ ʿ ʹ) and the Arabic tatweel, which only stretches a word; other separators
// become a space (Smith-Jones = Smith Jones, St. John = St John).
const IGNORED = /['’‘`´\u02B0-\u02FF\u0640]/g
// What is left that is neither a letter, a digit nor a mark kept above, of any script.
const SEPARATORS = /[^\p{L}\p{N}\p{M}]+/gu
// The same for a name in ASCII, the usual case: no decomposition, no marks, letters are A-Z.
const ASCII = /^[\x00-\x7f]*$/
const ASCII_IGNORED = /['`]/g
const ASCII_SEPARATORS = /[^A-Z0-9]+/g
// names seen lately, with their normal forms (a million learners have about 19,000 distinct names)
const NAME_CACHE = 50_000

/**
 * A name as matching sees it: upper case, Latin diacritics removed (`Zoë` → `ZOE`, `Łukasz` →
 * `LUKASZ`), apostrophes removed (`O'Brien` → `OBRIEN`), hyphens and other punctuation turned into
 * one space (`Smith-Jones` → `SMITH JONES`), no leading, trailing or repeated spaces. Letters and
 * digits of every other script are kept with their marks (`Anna Мария` → `ANNA МАРИЯ`, `Йовић` →
 * `ЙОВИЋ`, `李` → `李`), in composed form (NFC), so names that differ in such a letter never
 * normalise alike.
 *
 * @since 0.1.0
 * @category names
 */
export const name: (input: string) => string = memoizeByString((input) =>
  ASCII.test(input)
    ? input.replace(ASCII_IGNORED, "").toUpperCase().replace(ASCII_SEPARATORS, " ").trim()
    : input
      .normalize("NFKD")
      // first, so that a mark on a tatweel stays with the letter before it
      .replace(IGNORED, "")
      .replace(MARK_RUN, dropLatinMarks)
      .replace(FOLDABLE, (c) => FOLD[c] ?? c)
      .toUpperCase()
      .replace(SEPARATORS, " ")
      .trim()
      .normalize("NFC"), NAME_CACHE)

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
