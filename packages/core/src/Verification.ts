/**
 * Verify a learner (VLD, DOMAIN §3.2): does the ULN exist, and do the details given belong to the
 * learner it identifies? A pure function of the details and the learner found by the ULN, so the
 * server, the CLI and vendors give the same answer.
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as C from "./Comparison.js"
import * as F from "./Fields.js"
import { Uln } from "./Uln.js"

/**
 * A verification request: a ULN, the given and family names, and optionally date of birth and gender.
 *
 * @since 0.1.0
 * @category schemas
 */
export const Request = Schema.Struct({
  uln: Uln,
  givenName: F.GivenName,
  familyName: F.FamilyName,
  dateOfBirth: Schema.optional(F.DateOfBirth),
  gender: Schema.optional(F.Gender)
}).annotations({ identifier: "VerifyLearnerRequest", description: "A ULN and the learner details to verify against it." })

/**
 * @since 0.1.0
 * @category models
 */
export type Request = typeof Request.Type

/**
 * The details to verify, as plain values (a decoded {@link Request} is one).
 *
 * @since 0.1.0
 * @category models
 */
export interface Details {
  readonly givenName: string
  readonly familyName: string
  readonly dateOfBirth?: string | undefined
  readonly gender?: number | undefined
}

/**
 * What verification reads from the learner the ULN identifies (the master when the ULN is linked).
 *
 * @since 0.1.0
 * @category models
 */
export interface Held {
  readonly uln: string
  readonly givenName: string
  readonly familyName: string
  readonly previousFamilyName?: string | undefined
  readonly dateOfBirth: string
  readonly gender: number
}

/**
 * The verification outcome codes (DOMAIN §3.2).
 *
 * @since 0.1.0
 * @category models
 */
export type Code = "WSVRC001" | "WSVRC002" | "WSVRC003" | "WSVRC004" | "WSVRC005" | "WSVRC006"

/**
 * The failure flags (DOMAIN §3.2): VRF1–VRF3 the given name against the learner's given, family and
 * previous family name; VRF4–VRF6 the family name against the same three; VRF7 date of birth;
 * VRF8 gender.
 *
 * @since 0.1.0
 * @category models
 */
export type FailureFlag = "VRF1" | "VRF2" | "VRF3" | "VRF4" | "VRF5" | "VRF6" | "VRF7" | "VRF8"

/**
 * The outcome: the WSVRC code, the failure flags in order (none on WSVRC001/002/006), and the ULN of
 * the learner found (the master's when the ULN given was linked).
 *
 * @since 0.1.0
 * @category models
 */
export interface Outcome {
  readonly responseCode: Code
  readonly failureFlags: ReadonlyArray<FailureFlag>
  readonly uln: string | undefined
}

/**
 * Verifies details against the learner found by the ULN (`undefined` when the ULN does not exist).
 * `linked` says the ULN given was a linked ULN and `held` is its master.
 *
 * Names are compared with {@link C.compareNames}; a comparison is satisfied at any level from
 * `Exact` to `Phonetic` ({@link C.isSimilarName}). Then:
 * - WSVRC001 (WSVRC002 when linked): the given name equals the given name and the family name the
 *   family name after normalisation, and the date of birth and gender, when given, are equal;
 * - WSVRC003 (WSVRC004 when linked): not that, but the names are satisfied (given vs given and family
 *   vs family or previous family; or transposed: given vs family or previous family and family vs
 *   given), and the date of birth and gender, when given, are equal;
 * - WSVRC005: otherwise; WSVRC006: no learner has the ULN.
 *
 * Each flag VRF1–VRF8 is raised when its comparison is not satisfied (VRF3/VRF6 also when the learner
 * has no previous family name; VRF7/VRF8 only when a date of birth / gender was given), and the flags
 * are returned with WSVRC003, 004 and 005.
 *
 * @since 0.1.0
 * @category verifying
 */
export const verify = (details: Details, held: Held | undefined, options: { readonly linked?: boolean } = {}): Outcome => {
  if (held === undefined) return { responseCode: "WSVRC006", failureFlags: [], uln: undefined }
  const linked = options.linked === true
  const given = C.prepareName(details.givenName)
  const family = C.prepareName(details.familyName)
  const heldGiven = C.prepareName(held.givenName)
  const heldFamily = C.prepareName(held.familyName)
  const heldPrevious = held.previousFamilyName === undefined ? undefined : C.prepareName(held.previousFamilyName)
  const level = (a: C.PreparedName, b: C.PreparedName | undefined): C.NameLevel =>
    b === undefined ? "Different" : C.comparePreparedNames(a, b)

  const givenGiven = level(given, heldGiven)
  const givenFamily = level(given, heldFamily)
  const givenPrevious = level(given, heldPrevious)
  const familyGiven = level(family, heldGiven)
  const familyFamily = level(family, heldFamily)
  const familyPrevious = level(family, heldPrevious)
  const ok = C.isSimilarName
  const dateFails = details.dateOfBirth !== undefined && details.dateOfBirth !== held.dateOfBirth
  const genderFails = details.gender !== undefined && details.gender !== held.gender

  const flags: Array<FailureFlag> = []
  if (!ok(givenGiven)) flags.push("VRF1")
  if (!ok(givenFamily)) flags.push("VRF2")
  if (!ok(givenPrevious)) flags.push("VRF3")
  if (!ok(familyGiven)) flags.push("VRF4")
  if (!ok(familyFamily)) flags.push("VRF5")
  if (!ok(familyPrevious)) flags.push("VRF6")
  if (dateFails) flags.push("VRF7")
  if (genderFails) flags.push("VRF8")

  const uln = held.uln
  if (givenGiven === "Exact" && familyFamily === "Exact" && !dateFails && !genderFails) {
    return { responseCode: linked ? "WSVRC002" : "WSVRC001", failureFlags: [], uln }
  }
  const namesSatisfied = (ok(givenGiven) && (ok(familyFamily) || ok(familyPrevious))) ||
    ((ok(givenFamily) || ok(givenPrevious)) && ok(familyGiven))
  if (namesSatisfied && !dateFails && !genderFails) {
    return { responseCode: linked ? "WSVRC004" : "WSVRC003", failureFlags: flags, uln }
  }
  return { responseCode: "WSVRC005", failureFlags: flags, uln }
}
