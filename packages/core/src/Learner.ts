/**
 * The learner record of the ULN register with every LRS field and its length (DOMAIN §2.4).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as F from "./Fields.js"
import * as Normalise from "./Normalise.js"
import { Postcode } from "./Postcode.js"
import { Uln } from "./Uln.js"

const name35 = (identifier: string, description: string) => F.nonBlankText(35, identifier, description)

/**
 * The fields a learner registration body supplies when registering or updating a learner (the
 * LRS `LearnerToRegister`). Given name, family name, postcode, date of birth, gender, ability to
 * share and verification type are mandatory; unknown properties are rejected by the API.
 *
 * @since 0.1.0
 * @category schemas
 */
export class LearnerDetails extends Schema.Class<LearnerDetails>("LearnerDetails")({
  title: Schema.optional(F.boundedText(35, "Title", "Title, e.g. Mr, Ms, Dr (max 35).")),
  givenName: F.GivenName,
  preferredGivenName: Schema.optional(name35("PreferredGivenName", "Preferred given name (max 35).")),
  middleOtherName: Schema.optional(name35("MiddleOtherName", "Middle or other names (max 35).")),
  familyName: F.FamilyName,
  previousFamilyName: Schema.optional(name35("PreviousFamilyName", "Previous family name, e.g. before marriage (max 35).")),
  familyNameAtAge16: Schema.optional(name35("FamilyNameAtAge16", "Family name at age 16 (max 35).")),
  schoolAtAge16: Schema.optional(F.boundedText(254, "SchoolAtAge16", "School attended at age 16 (max 254).")),
  lastKnownAddressLine1: Schema.optional(F.boundedText(50, "AddressLine", "Address line (max 50).")),
  lastKnownAddressLine2: Schema.optional(F.boundedText(50, "AddressLine", "Address line (max 50).")),
  lastKnownAddressTown: Schema.optional(F.boundedText(50, "AddressTown", "Town (max 50).")),
  lastKnownAddressCountyOrCity: Schema.optional(F.boundedText(50, "AddressCountyOrCity", "County or city (max 50).")),
  lastKnownPostCode: Postcode,
  dateOfAddressCapture: Schema.optional(F.IsoDate),
  dateOfBirth: F.DateOfBirth,
  placeOfBirth: Schema.optional(F.boundedText(35, "PlaceOfBirth", "Place of birth (max 35).")),
  emailAddress: Schema.optional(F.EmailAddress),
  gender: F.Gender,
  nationality: Schema.optional(F.Nationality),
  scottishCandidateNumber: Schema.optional(F.ScottishCandidateNumber),
  abilityToShare: F.AbilityToShare,
  verificationType: F.VerificationType,
  otherVerificationDescription: Schema.optional(F.boundedText(255, "OtherVerificationDescription", "How identity was verified when verificationType is 999 (max 255).")),
  notes: Schema.optional(F.boundedText(4000, "Notes", "Free-text notes (max 4000)."))
}, {
  description: "A learner's details as registered with the LRS."
}) {}

/**
 * A learner held on the register: the details plus the ULN, the version for optimistic
 * concurrency, timestamps and any ULNs linked to this (master) learner by a merge.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Learner extends Schema.Class<Learner>("Learner")({
  ...LearnerDetails.fields,
  uln: Uln,
  versionNumber: Schema.Int.pipe(Schema.nonNegative()).annotations({ description: "Incremented on every change; send it back on update (WSRC0013 when stale)." }),
  createdAt: Schema.String.annotations({ description: "When the learner was registered (ISO 8601)." }),
  updatedAt: Schema.String.annotations({ description: "When the learner was last changed (ISO 8601)." }),
  linkedUlns: Schema.Array(Uln).annotations({ description: "ULNs merged into this master learner." }),
  masterSubstituted: Schema.Boolean.annotations({ description: "true when the ULN asked for was a linked ULN and this master record was returned instead." })
}, {
  description: "A learner on the ULN register."
}) {}

/**
 * A rule a learner's details break, naming the field (a JSON property of {@link LearnerDetails}).
 *
 * @since 0.1.0
 * @category models
 */
export interface DetailProblem {
  readonly field: string
  readonly message: string
}

/**
 * The youngest and oldest learner the LRS registers (DOMAIN §1.1, return code RC013).
 *
 * @since 0.1.0
 * @category constants
 */
export const AGE_RANGE = { min: 13, max: 110 } as const

const addYears = (date: string, years: number): string => String(Number(date.slice(0, 4)) + years).padStart(4, "0") + date.slice(4)

// at least one letter or digit, of any script, once punctuation, marks and spacing are gone
const hasNameContent = (s: string): boolean => Normalise.nameKey(s) !== ""

/**
 * Why well-formed details are still not enough to register a learner (WSRC0015, batch RC006), or
 * an empty list. The schema has already checked each field's form; this adds what a ULN needs:
 * - the given and family names must hold at least one letter or digit, in any script (`"Иван"` and
 *   `"李"` are names; `"-"` or `"."` is not: matching could never find the learner again);
 * - the date of birth must not be after `today` and the learner must be 13 to 110 years old on
 *   `today` ({@link AGE_RANGE});
 * - verification type 999 ("other") needs `otherVerificationDescription`.
 *
 * `ageRange: false` skips the age check (an update of a learner registered long ago) but still
 * rejects a date of birth after today.
 *
 * @since 0.1.0
 * @category validation
 */
export const insufficientData = (
  details: Pick<LearnerDetails, "givenName" | "familyName" | "dateOfBirth" | "verificationType" | "otherVerificationDescription">,
  today: string,
  options: { readonly ageRange?: boolean } = {}
): ReadonlyArray<DetailProblem> => {
  const problems: Array<DetailProblem> = []
  if (!hasNameContent(details.givenName)) problems.push({ field: "givenName", message: "the given name must contain at least one letter or digit" })
  if (!hasNameContent(details.familyName)) problems.push({ field: "familyName", message: "the family name must contain at least one letter or digit" })
  const dob = details.dateOfBirth
  if (dob > today) {
    problems.push({ field: "dateOfBirth", message: `the date of birth ${dob} is after today (${today})` })
  } else if (options.ageRange === false) {
    // an existing learner keeps their ULN whatever their age now
  } else if (addYears(dob, AGE_RANGE.min) > today) {
    problems.push({ field: "dateOfBirth", message: `the learner is under ${AGE_RANGE.min} (born ${dob}); the LRS registers learners aged ${AGE_RANGE.min} to ${AGE_RANGE.max}` })
  } else if (addYears(dob, AGE_RANGE.max + 1) <= today) {
    problems.push({ field: "dateOfBirth", message: `the learner is over ${AGE_RANGE.max} (born ${dob}); the LRS registers learners aged ${AGE_RANGE.min} to ${AGE_RANGE.max}` })
  }
  if (details.verificationType === 999 && (details.otherVerificationDescription ?? "").trim() === "") {
    problems.push({ field: "otherVerificationDescription", message: "required when verificationType is 999 (other): say how identity was verified" })
  }
  return problems
}

/**
 * Why an update's details are not enough to keep the learner (WSRC0015), or an empty list: the
 * rules of {@link insufficientData}, with the 13–110 age range applied only when the update changes
 * the date of birth. A date of birth being entered now is checked as at registration (a correction
 * to 1850-01-01, or to today, is refused); a learner whose date of birth stays as held keeps their
 * ULN whatever their age now (someone registered at 100 can still have their address changed at
 * 111). A date of birth after today is always refused.
 *
 * @since 0.1.2
 * @category validation
 */
export const insufficientForUpdate = (
  held: Pick<LearnerDetails, "dateOfBirth">,
  details: Pick<LearnerDetails, "givenName" | "familyName" | "dateOfBirth" | "verificationType" | "otherVerificationDescription">,
  today: string
): ReadonlyArray<DetailProblem> => insufficientData(details, today, { ageRange: details.dateOfBirth !== held.dateOfBirth })

/**
 * Why a change of ability to share is not allowed (WSRC0014), or `undefined` when it is. Once the
 * learner has seen the privacy notice (1 agrees, 2 does not agree) they cannot go back to 0 "notice
 * not seen"; moving between 1 and 2 (the learner changed their mind) and any move from 0 are allowed.
 *
 * @since 0.1.0
 * @category validation
 */
export const abilityToShareChange = (from: F.AbilityToShare, to: F.AbilityToShare): string | undefined =>
  from !== 0 && to === 0
    ? `ability to share cannot go back from ${from} (${from === 1 ? "agrees to share" : "does not agree to share"}) to 0 (privacy notice not seen): the learner has seen the notice`
    : undefined

/**
 * `true` when the learner's learning events may be shown to an organisation reading their Personal
 * Learning Record: only ability to share 1 (privacy notice seen, agrees to share). 0 (notice not
 * seen) and 2 (seen, does not agree) withhold them (WSEC0206). DOMAIN §2.4 names the values only
 * [I] (`FPNNotSeen`, `FPNSeenShareData`, `FPNSeenUnableShareData`); this project reads "not seen"
 * as "not agreed", since sharing needs the learner's informed agreement.
 *
 * @since 0.1.0
 * @category predicates
 */
export const agreesToShare = (abilityToShare: F.AbilityToShare): boolean => abilityToShare === 1

const encodeDetails = Schema.encodeSync(LearnerDetails)
const detailKeys = Object.keys(LearnerDetails.fields) as ReadonlyArray<keyof typeof LearnerDetails.Encoded>

/**
 * The details part of a held learner (drops the ULN, version, timestamps and links).
 *
 * @since 0.1.0
 * @category constructors
 */
export const detailsOf = (learner: Learner): LearnerDetails => {
  const { createdAt: _createdAt, linkedUlns: _linkedUlns, masterSubstituted: _masterSubstituted, uln: _uln, updatedAt: _updatedAt, versionNumber: _versionNumber, ...details } = learner
  return LearnerDetails.make(details)
}

/**
 * `true` when two sets of details hold the same values (compared encoded, field by field; an
 * absent optional field equals only an absent one). Used to answer "no change" (WSRC0020).
 *
 * @since 0.1.0
 * @category equivalence
 */
export const sameDetails = (a: LearnerDetails, b: LearnerDetails): boolean => {
  const x = encodeDetails(a)
  const y = encodeDetails(b)
  return detailKeys.every((key) => x[key] === y[key])
}
