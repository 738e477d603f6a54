/**
 * The learner record of the ULN register with every LRS field and its length (DOMAIN §2.4).
 *
 * @since 0.1.0
 */
import { Schema } from "effect"
import * as F from "./Fields.js"
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
