/**
 * Find a learner by demographics (CONTRACT §4.1) and the duplicate guard of registration, as pure
 * functions over a search and the candidate learners its blocking keys fetched. The server fetches
 * candidates with SQL on the {@link Blocking} keys; {@link LearnerIndex} fetches them in memory;
 * both then call {@link find}, so every caller gets the same outcome for the same learners.
 *
 * Every rule and threshold is in `docs/matching.md`.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as C from "./Comparison.js"
import * as F from "./Fields.js"
import { jaroWinkler } from "./internal/jaroWinkler.js"
import * as Normalise from "./Normalise.js"
import { Postcode } from "./Postcode.js"
import { Uln } from "./Uln.js"

/**
 * A find-by-demographics search: the five mandatory demographics and the optional fields that
 * refine the score.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Search = Schema.Struct({
  givenName: F.GivenName,
  familyName: F.FamilyName,
  dateOfBirth: F.DateOfBirth,
  gender: F.Gender,
  postcode: Postcode,
  previousFamilyName: Schema.optional(F.PersonName),
  schoolAtAge16: Schema.optional(F.boundedText(254, "SchoolAtAge16", "School attended at age 16 (max 254).")),
  placeOfBirth: Schema.optional(F.boundedText(35, "PlaceOfBirth", "Place of birth (max 35).")),
  emailAddress: Schema.optional(F.EmailAddress)
}).annotations({ identifier: "DemographicSearch", description: "The details a find-by-demographics search compares." })

/**
 * @since 0.1.0
 * @category models
 */
export type Search = typeof Search.Type

/**
 * The details matching compares, as plain values (a decoded {@link Search} is one).
 *
 * @since 0.1.0
 * @category models
 */
export interface Details {
  readonly givenName: string
  readonly familyName: string
  readonly dateOfBirth: string
  readonly gender: number
  readonly postcode: string
  readonly previousFamilyName?: string | undefined
  readonly schoolAtAge16?: string | undefined
  readonly placeOfBirth?: string | undefined
  readonly emailAddress?: string | undefined
}

/**
 * A learner on the register as matching sees it. `masterUln` is set on a linked learner: one whose
 * ULN was merged into a master learner, who is answered instead.
 *
 * @since 0.1.0
 * @category models
 */
export interface Candidate extends Details {
  readonly uln: string
  readonly masterUln?: string | undefined
}

/**
 * A registered learner row (the registry CSV of `lrs match`, `lrs verify` and `lrs seed`).
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegisteredLearner = Schema.Struct({
  uln: Uln,
  givenName: F.GivenName,
  familyName: F.FamilyName,
  dateOfBirth: F.DateOfBirth,
  gender: F.Gender,
  postcode: Postcode,
  previousFamilyName: Schema.optional(F.PersonName),
  masterUln: Schema.optional(Uln)
}).annotations({ identifier: "RegisteredLearner", description: "A learner on the register, with the master ULN when linked." })

/**
 * @since 0.1.0
 * @category models
 */
export type RegisteredLearner = typeof RegisteredLearner.Type

/**
 * How each field of a candidate compared with the search.
 *
 * @since 0.1.0
 * @category models
 */
export interface Agreement {
  readonly givenName: C.NameLevel
  readonly familyName: C.NameLevel
  readonly dateOfBirth: C.DateOfBirthLevel
  readonly gender: C.GenderLevel
  readonly postcode: C.PostcodeLevel
  /** The search's given name was compared with the learner's family name and the other way round. */
  readonly namesTransposed: boolean
  /** The family names agreed through a previous family name (the search's or the learner's). */
  readonly viaPreviousFamilyName: boolean
}

/**
 * One learner in an outcome. `uln` is the ULN to use (the master's when the learner that matched is
 * linked); `matchedUln` is the learner whose details matched.
 *
 * @since 0.1.0
 * @category models
 */
export interface MatchedLearner {
  readonly uln: string
  readonly matchedUln: string
  readonly masterSubstituted: boolean
  readonly score: number
  readonly exact: boolean
  readonly agreement: Agreement
}

/**
 * The response codes of a find.
 *
 * @since 0.1.0
 * @category models
 */
export type FindCode = "WSRC0001" | "WSRC0002" | "WSRC0003" | "WSRC0004" | "WSRC0022"

/**
 * The outcome of a find: the code, the learners returned (best first) and how many learners passed
 * the possible-match threshold (the only count given with WSRC0002, which returns no learners).
 *
 * @since 0.1.0
 * @category models
 */
export interface FindOutcome {
  readonly responseCode: FindCode
  readonly learners: ReadonlyArray<MatchedLearner>
  readonly passed: number
}

/**
 * The points each mandatory field is worth; they add up to 100, and a score is points / 100.
 *
 * @since 0.1.0
 * @category constants
 */
export const fieldWeights = { givenName: 25, familyName: 25, dateOfBirth: 25, postcode: 15, gender: 10 } as const

/**
 * A learner is a possible match when its score is at least this.
 *
 * @since 0.1.0
 * @category constants
 */
export const POSSIBLE_THRESHOLD = 0.65

/**
 * At most this many possible matches are returned; more gives WSRC0002.
 *
 * @since 0.1.0
 * @category constants
 */
export const MAX_POSSIBLE_MATCHES = 10

/**
 * What the optional fields add to or take from a score, when both the search and the learner have
 * them. Unsupplied fields change nothing.
 *
 * @since 0.1.0
 * @category constants
 */
export const refinements = {
  previousFamilyName: { agree: 0.05, disagree: -0.05 },
  schoolAtAge16: { agree: 0.03, similar: 0.015, disagree: -0.03 },
  placeOfBirth: { agree: 0.03, similar: 0.015, disagree: -0.03 },
  emailAddress: { agree: 0.05, disagree: -0.02 }
} as const

// A name's family-name penalty when it agreed only through a previous family name, and the
// penalty on both names when they agreed only transposed: a real but weaker sign of the same person.
const VIA_PREVIOUS = 0.9
const TRANSPOSED = 0.9

/**
 * A search made ready for scoring (normalised once, compared with many candidates).
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedSearch {
  readonly details: Details
  readonly given: C.PreparedName
  readonly family: C.PreparedName
  readonly previous: C.PreparedName | undefined
  readonly postcode: C.PreparedPostcode
  readonly school: string | undefined
  readonly place: string | undefined
  readonly email: string | undefined
  /** The most the optional fields could add. */
  readonly maxRefinement: number
}

/**
 * A candidate made ready for scoring. {@link LearnerIndex} keeps these, so a search compares
 * without normalising the register again.
 *
 * @since 0.1.0
 * @category models
 */
export interface PreparedCandidate {
  readonly candidate: Candidate
  readonly given: C.PreparedName
  readonly family: C.PreparedName
  readonly previous: C.PreparedName | undefined
  readonly postcode: C.PreparedPostcode
  readonly school: string | undefined
  readonly place: string | undefined
  readonly email: string | undefined
}

const optionalName = (s: string | undefined): C.PreparedName | undefined => {
  if (s === undefined) return undefined
  const p = C.prepareName(s)
  return p.key === "" ? undefined : p
}
const optionalText = (s: string | undefined): string | undefined => {
  if (s === undefined) return undefined
  const t = Normalise.textKey(s)
  return t === "" ? undefined : t
}
const optionalEmail = (s: string | undefined): string | undefined => {
  if (s === undefined) return undefined
  const t = Normalise.emailKey(s)
  return t === "" ? undefined : t
}

/**
 * Normalises a search once for scoring.
 *
 * @since 0.1.0
 * @category preparing
 */
export const prepareSearch = (details: Details): PreparedSearch => {
  const previous = optionalName(details.previousFamilyName)
  const school = optionalText(details.schoolAtAge16)
  const place = optionalText(details.placeOfBirth)
  const email = optionalEmail(details.emailAddress)
  return {
    details,
    given: C.prepareName(details.givenName),
    family: C.prepareName(details.familyName),
    previous,
    postcode: C.preparePostcode(details.postcode),
    school,
    place,
    email,
    maxRefinement: (previous ? refinements.previousFamilyName.agree : 0) + (school ? refinements.schoolAtAge16.agree : 0) +
      (place ? refinements.placeOfBirth.agree : 0) + (email ? refinements.emailAddress.agree : 0)
  }
}

/**
 * Normalises a candidate once for scoring.
 *
 * @since 0.1.0
 * @category preparing
 */
export const prepareCandidate = (candidate: Candidate): PreparedCandidate => ({
  candidate,
  given: C.prepareName(candidate.givenName),
  family: C.prepareName(candidate.familyName),
  previous: optionalName(candidate.previousFamilyName),
  postcode: C.preparePostcode(candidate.postcode),
  school: optionalText(candidate.schoolAtAge16),
  place: optionalText(candidate.placeOfBirth),
  email: optionalEmail(candidate.emailAddress)
})

const P = C.levelPoints
const W = fieldWeights

const textRefinement = (
  a: string | undefined,
  b: string | undefined,
  r: { readonly agree: number; readonly similar: number; readonly disagree: number }
): number => (a === undefined || b === undefined ? 0 : a === b ? r.agree : jaroWinkler(a, b) >= 0.88 ? r.similar : r.disagree)

/**
 * Scores one prepared candidate against a prepared search: the points of each field's level over
 * 100, plus the optional-field refinements, within 0 to 1. Returns `undefined` without comparing the
 * names when even exact names could not lift the candidate to `threshold` (the hot-path shortcut).
 *
 * @since 0.1.0
 * @category scoring
 */
export const scorePrepared = (
  search: PreparedSearch,
  c: PreparedCandidate,
  threshold: number = POSSIBLE_THRESHOLD
): MatchedLearner | undefined => {
  const d = search.details
  const cand = c.candidate
  const dateOfBirth = C.compareDatesOfBirth(d.dateOfBirth, cand.dateOfBirth)
  const postcode = C.comparePreparedPostcodes(search.postcode, c.postcode)
  const gender = C.compareGenders(d.gender, cand.gender)
  const cheap = W.dateOfBirth * P.dateOfBirth[dateOfBirth] + W.postcode * P.postcode[postcode] + W.gender * P.gender[gender]
  // points the names must bring for the candidate to reach the threshold (exact matches always do)
  const need = (threshold - search.maxRefinement) * 100 - cheap
  if (need > W.givenName + W.familyName) return undefined

  let givenName = C.comparePreparedNames(search.given, c.given)
  const transposable = need <= (W.givenName + W.familyName) * TRANSPOSED
  if (W.givenName * P.name[givenName] + W.familyName < need && !transposable) return undefined
  let familyName = C.comparePreparedNames(search.family, c.family)
  let familyPoints: number = P.name[familyName]
  let viaPreviousFamilyName = false
  if (familyName !== "Exact") {
    // a change of family name: the search may give the old name, or give the old one as previous
    if (c.previous !== undefined) {
      const level = C.comparePreparedNames(search.family, c.previous)
      if (P.name[level] * VIA_PREVIOUS > familyPoints) {
        familyName = level
        familyPoints = P.name[level] * VIA_PREVIOUS
        viaPreviousFamilyName = true
      }
    }
    if (search.previous !== undefined) {
      const level = C.comparePreparedNames(search.previous, c.family)
      if (P.name[level] * VIA_PREVIOUS > familyPoints) {
        familyName = level
        familyPoints = P.name[level] * VIA_PREVIOUS
        viaPreviousFamilyName = true
      }
    }
  }
  let names = W.givenName * P.name[givenName] + W.familyName * familyPoints
  let namesTransposed = false
  if (transposable && (!C.isSimilarName(givenName) || !C.isSimilarName(familyName))) {
    const tg = C.comparePreparedNames(search.given, c.family)
    if ((W.givenName * P.name[tg] + W.familyName) * TRANSPOSED > names) {
      const tf = C.comparePreparedNames(search.family, c.given)
      const transposed = (W.givenName * P.name[tg] + W.familyName * P.name[tf]) * TRANSPOSED
      if (transposed > names) {
        names = transposed
        givenName = tg
        familyName = tf
        namesTransposed = true
        viaPreviousFamilyName = false
      }
    }
  }
  if (names < need && !(search.given.key === c.given.key && search.family.key === c.family.key)) return undefined

  let refine = 0
  if (search.previous !== undefined && c.previous !== undefined) {
    refine += search.previous.key === c.previous.key
      ? refinements.previousFamilyName.agree
      : C.comparePreparedNames(search.previous, c.previous) === "Different"
      ? refinements.previousFamilyName.disagree
      : 0
  }
  refine += textRefinement(search.school, c.school, refinements.schoolAtAge16)
  refine += textRefinement(search.place, c.place, refinements.placeOfBirth)
  if (search.email !== undefined && c.email !== undefined) {
    refine += search.email === c.email ? refinements.emailAddress.agree : refinements.emailAddress.disagree
  }

  const exact = !namesTransposed && search.given.key === c.given.key && search.family.key === c.family.key &&
    d.dateOfBirth === cand.dateOfBirth && d.gender === cand.gender && search.postcode.key === c.postcode.key
  const raw = (cheap + names) / 100 + refine
  const score = Math.round(Math.min(1, Math.max(0, raw)) * 10_000) / 10_000
  if (!exact && score < threshold) return undefined
  const master = cand.masterUln
  return {
    uln: master ?? cand.uln,
    matchedUln: cand.uln,
    masterSubstituted: master !== undefined && master !== cand.uln,
    score,
    exact,
    agreement: { givenName, familyName, dateOfBirth, gender, postcode, namesTransposed, viaPreviousFamilyName }
  }
}

/**
 * Scores one candidate against a search as entered; `undefined` when it does not reach `threshold`
 * (pass 0 to always get the score).
 *
 * @since 0.1.0
 * @category scoring
 */
export const score = (search: Details, candidate: Candidate, threshold: number = POSSIBLE_THRESHOLD): MatchedLearner | undefined =>
  scorePrepared(prepareSearch(search), prepareCandidate(candidate), threshold)

const byScore = (a: MatchedLearner, b: MatchedLearner): number =>
  b.score - a.score || (a.exact === b.exact ? 0 : a.exact ? -1 : 1) || (a.uln < b.uln ? -1 : a.uln > b.uln ? 1 : 0)

// One entry per ULN answered: a master found both directly and through a linked learner counts once,
// with its best score (its own record first on a tie).
const distinctByUln = (matches: ReadonlyArray<MatchedLearner>): Array<MatchedLearner> => {
  const best = new Map<string, MatchedLearner>()
  for (const m of matches) {
    const seen = best.get(m.uln)
    if (
      seen === undefined || m.score > seen.score ||
      (m.score === seen.score && ((m.exact && !seen.exact) || (m.exact === seen.exact && seen.masterSubstituted && !m.masterSubstituted)))
    ) best.set(m.uln, m)
  }
  return [...best.values()].sort(byScore)
}

/**
 * Classifies scored candidates into the find outcome:
 * - exactly one learner (after linked learners are replaced by their master) agrees exactly on all
 *   five mandatory fields → WSRC0004 with that learner, or WSRC0022 when it was reached through a
 *   linked learner (the master is answered);
 * - otherwise the learners at or above {@link POSSIBLE_THRESHOLD}: none → WSRC0001; 1 to
 *   {@link MAX_POSSIBLE_MATCHES} → WSRC0003, best first; more → WSRC0002 with no learners.
 *
 * @since 0.1.0
 * @category finding
 */
export const classify = (matches: ReadonlyArray<MatchedLearner>): FindOutcome => {
  const distinct = distinctByUln(matches)
  const exact = distinct.filter((m) => m.exact)
  if (exact.length === 1) {
    const only = exact[0]!
    return { responseCode: only.masterSubstituted ? "WSRC0022" : "WSRC0004", learners: [only], passed: distinct.length }
  }
  if (distinct.length === 0) return { responseCode: "WSRC0001", learners: [], passed: 0 }
  if (distinct.length > MAX_POSSIBLE_MATCHES) return { responseCode: "WSRC0002", learners: [], passed: distinct.length }
  return { responseCode: "WSRC0003", learners: distinct, passed: distinct.length }
}

/**
 * Finds by demographics over prepared candidates (what {@link LearnerIndex} calls).
 *
 * @since 0.1.0
 * @category finding
 */
export const findPrepared = (search: PreparedSearch, candidates: Iterable<PreparedCandidate>): FindOutcome => {
  const matches: Array<MatchedLearner> = []
  for (const c of candidates) {
    const m = scorePrepared(search, c)
    if (m !== undefined) matches.push(m)
  }
  return classify(matches)
}

/**
 * Finds by demographics: the outcome of a search over the candidate learners fetched for it (by the
 * {@link Blocking} keys, or all learners). Pure: the same search and candidates give the same outcome.
 *
 * @since 0.1.0
 * @category finding
 */
export const find = (search: Details, candidates: Iterable<Candidate>): FindOutcome => {
  const prepared: Array<PreparedCandidate> = []
  for (const c of candidates) prepared.push(prepareCandidate(c))
  return findPrepared(prepareSearch(search), prepared)
}

/**
 * The duplicate guard of registration, from the same engine as {@link find}:
 * - `Duplicate` (WSRC0021): a learner already agrees exactly on all five mandatory fields; the new
 *   learner must not be registered, and `existing` names the ULNs to use instead;
 * - `PossibleDuplicates`: no exact agreement, but learners reach the possible-match threshold (a
 *   registration exception for a person to resolve, or a batch RC007);
 * - `Clear`: nobody close; register.
 *
 * @since 0.1.0
 * @category models
 */
export type DuplicateCheck =
  | { readonly _tag: "Duplicate"; readonly responseCode: "WSRC0021"; readonly existing: ReadonlyArray<MatchedLearner> }
  | { readonly _tag: "PossibleDuplicates"; readonly learners: ReadonlyArray<MatchedLearner> }
  | { readonly _tag: "Clear" }

/**
 * Checks prepared candidates for a learner about to be registered.
 *
 * @since 0.1.0
 * @category registering
 */
export const checkDuplicatePrepared = (details: PreparedSearch, candidates: Iterable<PreparedCandidate>): DuplicateCheck => {
  const matches: Array<MatchedLearner> = []
  for (const c of candidates) {
    const m = scorePrepared(details, c)
    if (m !== undefined) matches.push(m)
  }
  const distinct = distinctByUln(matches)
  const existing = distinct.filter((m) => m.exact)
  if (existing.length > 0) return { _tag: "Duplicate", responseCode: "WSRC0021", existing }
  if (distinct.length > 0) return { _tag: "PossibleDuplicates", learners: distinct.slice(0, MAX_POSSIBLE_MATCHES) }
  return { _tag: "Clear" }
}

/**
 * Checks the candidate learners fetched for a learner about to be registered (see {@link DuplicateCheck}).
 *
 * @since 0.1.0
 * @category registering
 */
export const checkDuplicate = (details: Details, candidates: Iterable<Candidate>): DuplicateCheck => {
  const prepared: Array<PreparedCandidate> = []
  for (const c of candidates) prepared.push(prepareCandidate(c))
  return checkDuplicatePrepared(prepareSearch(details), prepared)
}

/**
 * Whether an update changes any of the five mandatory fields matching compares (given name, family
 * name, date of birth, gender, postcode), as held: only such an update can make the learner a
 * duplicate of another, so only such an update is checked ({@link duplicatesOnUpdate}).
 *
 * @since 0.1.2
 * @category updating
 */
export const mandatoryChanged = (before: Details, after: Details): boolean =>
  before.givenName !== after.givenName || before.familyName !== after.familyName || before.dateOfBirth !== after.dateOfBirth ||
  before.gender !== after.gender || before.postcode !== after.postcode

/**
 * The duplicate guard of an update, the registration rule ({@link checkDuplicate}) applied to the
 * learner's new details: the other learners that already agree exactly on all five mandatory
 * fields (WSRC0021, the ULNs to use instead), or none. The learner's own record and every learner
 * that answers for the same person — linked to it, its master, or linked to the same master — are
 * not duplicates of it. Possible (inexact) matches do not stop an update.
 *
 * @since 0.1.2
 * @category updating
 */
export const duplicatesOnUpdate = (
  learner: { readonly uln: string; readonly masterUln?: string | undefined },
  details: Details,
  candidates: Iterable<Candidate>
): ReadonlyArray<MatchedLearner> => {
  const self = learner.masterUln ?? learner.uln
  const others: Array<Candidate> = []
  for (const c of candidates) if ((c.masterUln ?? c.uln) !== self) others.push(c)
  const check = checkDuplicate(details, others)
  return check._tag === "Duplicate" ? check.existing : []
}
