/**
 * The catalogue of LRS response codes — WSRC (find / register / update / batch), WSVRC (verify),
 * VRF (verification failure flags), WSEC (errors) and RC (batch row return codes) — with their
 * meanings and how sure we are of each (DOMAIN §3). One source for the server, the SDK and the docs.
 * The ACH and SVC families are this project's own: achievement outcomes, and HTTP-level service
 * problems (rate limits, idempotency keys, unknown objects), that the LRS publishes no codes for.
 *
 * @since 0.1.0
 */

/**
 * The family a code belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export type Family = "WSRC" | "WSVRC" | "VRF" | "WSEC" | "RC" | "ACH" | "SVC"

/**
 * Where a meaning comes from: `confirmed` by a public source, `inferred` from sources, or the
 * `project`'s own choice where the real service's wording is not published.
 *
 * @since 0.1.0
 * @category models
 */
export type Provenance = "confirmed" | "inferred" | "project"

/**
 * One entry of the catalogue.
 *
 * @since 0.1.0
 * @category models
 */
export interface Entry {
  readonly family: Family
  readonly title: string
  readonly meaning: string
  readonly provenance: Provenance
}

// generic in the family so that each entry keeps its literal family and `CodeOf` can select by it
const e = <F extends Family>(family: F, title: string, meaning: string, provenance: Provenance = "confirmed"): Entry & { readonly family: F } => ({
  family,
  title,
  meaning,
  provenance
})

/**
 * Every response code, keyed by code.
 *
 * @since 0.1.0
 * @category constants
 */
export const catalogue = {
  WSRC0001: e("WSRC", "No match", "No learner matches the details supplied."),
  WSRC0002: e("WSRC", "Too many matches", "More than 10 learners could match; no learners are returned. Supply more details."),
  WSRC0003: e("WSRC", "Possible matches", "Between 1 and 10 learners could match; they are returned best first with a score."),
  WSRC0004: e("WSRC", "Exact match", "Exactly one learner matches every detail supplied; that learner is returned."),
  WSRC0005: e("WSRC", "Learner registered", "The learner was registered and a new ULN allocated."),
  WSRC0006: e("WSRC", "Learner updated", "The learner's details were updated."),
  WSRC0007: e("WSRC", "Batch submitted", "The batch was accepted for processing; poll the job for its outcome."),
  WSRC0008: e("WSRC", "Batch incomplete", "The batch has not finished processing."),
  WSRC0009: e("WSRC", "Batch successful", "The batch finished; every row has a return code."),
  WSRC0010: e("WSRC", "Batch failed", "The batch could not be processed."),
  WSRC0013: e("WSRC", "Version conflict", "The learner has been updated since you last obtained the details; fetch it again and reapply your change."),
  WSRC0014: e("WSRC", "Invalid ability-to-share change", "This change of ability to share is not allowed (a learner who has seen the privacy notice cannot go back to 'not seen')."),
  WSRC0015: e("WSRC", "Insufficient data", "Not enough valid data to register the learner."),
  WSRC0017: e("WSRC", "Record count incorrect", "The record count stated does not match the number of records sent."),
  WSRC0018: e("WSRC", "Unknown job", "No batch job with this id exists for your organisation."),
  WSRC0019: e("WSRC", "ULN not found", "The ULN to update does not exist."),
  WSRC0020: e("WSRC", "No changes", "The details sent are the same as those held; nothing was updated."),
  WSRC0021: e("WSRC", "Learner already exists", "A learner with the same mandatory details already exists; use the existing ULN."),
  WSRC0022: e("WSRC", "Master substituted", "The ULN searched for is linked to a master learner; the master is returned and the ULN searched for is in linkedUlns."),
  WSRC0023: e("WSRC", "Report ULNs not found", "The ULNs asked for in the report were not found."),
  WSRC0024: e("WSRC", "No ULNs for report", "The report has no ULNs for the period asked."),
  WSRC0030: e("WSRC", "Verification record count incorrect", "The record count of a verification batch does not match the records sent."),
  WSRC0043: e("WSRC", "AO not configured for batches", "The awarding organisation is not configured to submit achievement batches."),

  WSVRC001: e("WSVRC", "Successful match", "Every detail supplied matches the learner held for this ULN exactly."),
  WSVRC002: e("WSVRC", "Successful linked match", "As WSVRC001, but the ULN is linked to a master learner."),
  WSVRC003: e("WSVRC", "Similar match", "The ULN was found and the names are similar to, but not the same as, those held."),
  WSVRC004: e("WSVRC", "Similar linked match", "As WSVRC003, but the ULN is linked to a master learner."),
  WSVRC005: e("WSVRC", "Learner does not match", "The ULN was found but the other details do not match, nor meet the similar-match criteria."),
  WSVRC006: e("WSVRC", "ULN not found", "The ULN supplied does not exist on the register."),

  VRF1: e("VRF", "Given name vs given name", "The given name supplied does not match the learner's given name."),
  VRF2: e("VRF", "Given name vs family name", "The given name supplied does not match the learner's family name."),
  VRF3: e("VRF", "Given name vs previous family name", "The given name supplied does not match the learner's previous family name."),
  VRF4: e("VRF", "Family name vs given name", "The family name supplied does not match the learner's given name."),
  VRF5: e("VRF", "Family name vs family name", "The family name supplied does not match the learner's family name."),
  VRF6: e("VRF", "Family name vs previous family name", "The family name supplied does not match the learner's previous family name."),
  VRF7: e("VRF", "Date of birth", "The date of birth supplied does not match the learner's date of birth."),
  VRF8: e("VRF", "Gender", "The gender supplied does not match the learner's gender."),

  WSEC0001: e("WSEC", "Invalid request", "The request is badly formed: a mandatory field is missing, or a value has the wrong type or a prohibited value."),
  WSEC0002: e("WSEC", "Unknown request", "The operation is not supported."),
  WSEC0003: e("WSEC", "Unknown organisation", "The organisation is not recognised or not authorised."),
  WSEC0004: e("WSEC", "Out of hours", "The service is outside its operational hours (maintenance window)."),
  WSEC0005: e("WSEC", "Incorrect credentials", "The user name or password is wrong, the account is locked, or the token has expired or been revoked."),
  WSEC0006: e("WSEC", "Insufficient access", "Your role does not allow this operation."),
  WSEC0044: e("WSEC", "Invalid e-mail address", "The e-mail address in the request is not valid."),
  WSEC0045: e("WSEC", "Invalid submission type", "The submission type in the request is not valid."),
  WSEC0046: e("WSEC", "Too many records", "The number of records exceeds the maximum permitted for this kind of batch."),
  WSEC0047: e("WSEC", "No records", "The request must contain at least one record."),
  WSEC0136: e("WSEC", "Invalid ULN", "The ULN supplied is not a valid ULN."),
  WSEC0206: e("WSEC", "Learner has not agreed to share", "The learner has not agreed to share their learning record; no learning events are returned."),
  WSEC0208: e("WSEC", "Learner not verified", "The learner's details do not verify against the ULN; the record is not returned."),
  WSEC0999: e("WSEC", "Unknown exception", "An unexpected error occurred; quote the request id to the service desk."),

  RC001: e("RC", "Registered", "A new learner was registered and a ULN allocated.", "project"),
  RC002: e("RC", "Exact match", "The learner already exists (exact match); the existing ULN is returned.", "project"),
  RC003: e("RC", "Updated", "The learner identified by the ULN supplied was updated.", "project"),
  RC004: e("RC", "Found, no change", "The learner identified by the ULN supplied already holds these details.", "project"),
  RC005: e("RC", "Linked learner", "The ULN supplied is linked to a master learner; the master ULN is returned.", "project"),
  RC006: e("RC", "Insufficient data", "Insufficient data to create a ULN (exception)."),
  RC007: e("RC", "Possible matches", "Possible matches were found; resolve the registration exception (exception).", "project"),
  RC008: e("RC", "Too many matches", "Too many possible matches were found; resolve the registration exception (exception).", "project"),
  RC009: e("RC", "ULN does not match", "The ULN supplied was not found, or its learner's details do not match the row (exception).", "project"),
  RC010: e("RC", "Version conflict", "The learner was changed by someone else while the batch ran (exception).", "project"),
  RC011: e("RC", "Incorrect format", "The row has one or more fields in an incorrect format (exception)."),
  RC012: e("RC", "Duplicate row", "The row repeats an earlier row of the same file (exception).", "project"),
  RC013: e("RC", "Outside permitted age range", "The learner is outside the permitted age range of 13 to 110 (exception)."),

  // This project's own codes (not LRS codes): achievement outcomes, one per lifecycle result and
  // error, so a batch output row and an HTTP problem can say exactly what happened. See docs/achievements.md.
  ACH001: e("ACH", "Achievement created", "The achievement was created and is on the learner's record.", "project"),
  ACH002: e("ACH", "Achievement updated", "The achievement was updated.", "project"),
  ACH003: e("ACH", "Achievement withdrawn", "The achievement was withdrawn: it keeps its history but no longer shows on the learner's record.", "project"),
  ACH004: e("ACH", "Achievement reinstated", "The withdrawn achievement was reinstated with the details and status it had.", "project"),
  ACH005: e("ACH", "No change", "The achievement already holds exactly these details (a repeated create or update); nothing was changed.", "project"),
  ACH006: e("ACH", "Data challenge raised", "The achievement is now under data challenge; only resolving the challenge can change it.", "project"),
  ACH007: e("ACH", "Data challenge resolved", "The data challenge was resolved (amended or rejected) and the achievement can be changed again.", "project"),
  ACH010: e("ACH", "Subject not on the register", "The subject code is not on the qualification register.", "project"),
  ACH011: e("ACH", "Subject not available", "The subject is owned by another awarding organisation and is not shared with, or restricted to a list including, yours.", "project"),
  ACH012: e("ACH", "Not the owning organisation", "Only the awarding organisation that created an achievement may update, withdraw or reinstate it.", "project"),
  ACH013: e("ACH", "Achievement not found", "No achievement matches (for a batch row: this awarding organisation has none for this ULN and subject).", "project"),
  ACH014: e("ACH", "Achievement already exists", "This awarding organisation already holds an achievement for this learner, subject and award date: with other details (update it instead), or withdrawn (reinstate it instead).", "project"),
  ACH015: e("ACH", "Already withdrawn", "The achievement is already withdrawn.", "project"),
  ACH016: e("ACH", "Not withdrawn", "The achievement is not withdrawn, so it cannot be reinstated.", "project"),
  ACH017: e("ACH", "Achievement is withdrawn", "A withdrawn achievement cannot be updated or challenged; reinstate it first.", "project"),
  ACH018: e("ACH", "Under data challenge", "The achievement is under data challenge and cannot be changed except by resolving the challenge.", "project"),
  ACH019: e("ACH", "No open data challenge", "The achievement has no open data challenge to resolve.", "project"),
  ACH020: e("ACH", "Data challenge already open", "The achievement already has an open data challenge.", "project"),
  ACH021: e("ACH", "Award date in the future", "The award date is after today.", "project"),
  ACH022: e("ACH", "Award date too early", "The award date is before the learner could plausibly have sat the qualification (see docs/achievements.md).", "project"),
  ACH023: e("ACH", "Learner or subject cannot change", "An achievement's ULN and subject code are fixed; withdraw it and create a new one instead.", "project"),
  ACH024: e("ACH", "Ambiguous achievement", "This awarding organisation holds several achievements for this ULN and subject; give the award date to say which.", "project"),
  ACH025: e("ACH", "Learner not verified", "The ULN and names (and date of birth and gender when given) do not verify against the register (WSVRC005 or WSVRC006).", "project"),

  // This project's own service codes (not LRS codes): problems of the HTTP service itself.
  SVC001: e("SVC", "Too many requests", "This client has exceeded its rate limit; retry after the number of seconds in Retry-After.", "project"),
  SVC002: e("SVC", "Idempotency key reused", "The Idempotency-Key was already used for a different request; use a new key for a new request.", "project"),
  SVC003: e("SVC", "Request in progress", "A request with this Idempotency-Key is still being processed; retry shortly.", "project"),
  SVC004: e("SVC", "Not found", "No such object exists for your organisation.", "project"),
  SVC005: e("SVC", "Request too large", "The request body exceeds the size limit for this operation.", "project"),
  SVC006: e("SVC", "Account locked", "The account is locked after three failed sign-in attempts; a super user of your organisation must reset its password.", "project"),
  SVC007: e("SVC", "Already exists", "An object with the same unique identifier (e.g. user name or UKPRN) already exists.", "project"),
  SVC008: e("SVC", "Role not allowed", "A role cannot be granted here: it does not belong to this kind of organisation (AwardingBodyUser in an AO, LearnerPlanUser in an OLASS LRB, LrsAdmin in the LRS), or an API key asked for SuperUser or LrsAdmin.", "project"),
  SVC009: e("SVC", "Not on your own account", "Users cannot revoke their own account or take SuperUser or LrsAdmin away from themselves; another super user or the LRS admin must.", "project"),
  SVC010: e("SVC", "User revoked", "The user is revoked: a revoked account cannot be changed or have its password reset; register a new user instead.", "project"),
  SVC011: e("SVC", "Already resolved", "The registration exception has already been resolved (with an existing ULN or a new one); it cannot be resolved again.", "project"),
  SVC012: e("SVC", "Invalid register file", "The qualification register file has lines that cannot be loaded; nothing was imported. Each bad line and column is in errors.", "project"),
  SVC013: e("SVC", "UKPRN in use", "The organisation's UKPRN identifies achievements it has awarded, or subjects it owns or is allowed on the qualification register, so it cannot change.", "project"),
  SVC014: e("SVC", "Not a possible match", "The ULN given to resolve a registration exception is not one of its possible matches (nor linked to one); use one of them, or register a new learner.", "project"),
  SVC015: e("SVC", "Not an awarding organisation", "The qualification register names only awarding organisations: a subject's owner and each UKPRN a Restricted subject allows must be an organisation that is an AO, and an organisation the register names stays an AO.", "project")
} as const satisfies Record<string, Entry>

/**
 * Any code in the catalogue.
 *
 * @since 0.1.0
 * @category models
 */
export type ResponseCode = keyof typeof catalogue

/**
 * The codes of one family.
 *
 * @since 0.1.0
 * @category models
 */
export type CodeOf<F extends Family> = {
  [K in ResponseCode]: (typeof catalogue)[K]["family"] extends F ? K : never
}[ResponseCode]

/**
 * Find, register, update and batch codes.
 *
 * @since 0.1.0
 * @category models
 */
export type Wsrc = CodeOf<"WSRC">

/**
 * Verification outcome codes.
 *
 * @since 0.1.0
 * @category models
 */
export type Wsvrc = CodeOf<"WSVRC">

/**
 * Verification failure flags.
 *
 * @since 0.1.0
 * @category models
 */
export type Vrf = CodeOf<"VRF">

/**
 * Error codes.
 *
 * @since 0.1.0
 * @category models
 */
export type Wsec = CodeOf<"WSEC">

/**
 * Batch row return codes.
 *
 * @since 0.1.0
 * @category models
 */
export type Rc = CodeOf<"RC">

/**
 * This project's achievement outcome codes.
 *
 * @since 0.1.0
 * @category models
 */
export type Ach = CodeOf<"ACH">

/**
 * This project's service-level problem codes.
 *
 * @since 0.1.0
 * @category models
 */
export type Svc = CodeOf<"SVC">

/**
 * Every code, in catalogue order.
 *
 * @since 0.1.0
 * @category constants
 */
export const codes: ReadonlyArray<ResponseCode> = Object.keys(catalogue) as Array<ResponseCode>

/**
 * The codes of one family, in catalogue order.
 *
 * @since 0.1.0
 * @category constants
 */
export const codesOf = <F extends Family>(family: F): ReadonlyArray<CodeOf<F>> =>
  codes.filter((c) => catalogue[c].family === family) as Array<CodeOf<F>>

/**
 * `true` when `code` is in the catalogue.
 *
 * @since 0.1.0
 * @category guards
 */
export const isResponseCode = (code: string): code is ResponseCode => Object.hasOwn(catalogue, code)

/**
 * The catalogue entry of a code.
 *
 * @since 0.1.0
 * @category getters
 */
export const describe = (code: ResponseCode): Entry => catalogue[code]

const FAMILY_TITLES: Record<Family, string> = {
  WSRC: "Find, register, update and batch (WSRC)",
  WSVRC: "Verify learner (WSVRC)",
  VRF: "Verification failure flags (VRF)",
  WSEC: "Errors (WSEC)",
  RC: "Batch row return codes (RC)",
  ACH: "Achievement outcomes (ACH, this project's own codes, not the LRS's)",
  SVC: "Service problems (SVC, this project's own codes, not the LRS's)"
}

/**
 * The catalogue as a Markdown document (written to `docs/response-codes.md`).
 *
 * @since 0.1.0
 * @category rendering
 */
export const toMarkdown = (): string => {
  const lines = [
    "# Response codes",
    "",
    "Generated from `packages/core/src/ResponseCode.ts` by `pnpm docs`; do not edit by hand.",
    "",
    "Provenance: **confirmed** by a public source on the real LRS, **inferred** from such sources, or",
    "**project**: this implementation's choice where the real wording is not published (see `DOMAIN.md`).",
    ""
  ]
  for (const family of Object.keys(FAMILY_TITLES) as Array<Family>) {
    lines.push(`## ${FAMILY_TITLES[family]}`, "", "| Code | Title | Meaning | Provenance |", "|---|---|---|---|")
    for (const code of codesOf(family)) {
      const entry = catalogue[code]
      lines.push(`| ${code} | ${entry.title} | ${entry.meaning} | ${entry.provenance} |`)
    }
    lines.push("")
  }
  return lines.join("\n")
}
