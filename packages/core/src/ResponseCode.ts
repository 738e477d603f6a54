/**
 * The catalogue of LRS response codes — WSRC (find / register / update / batch), WSVRC (verify),
 * VRF (verification failure flags), WSEC (errors) and RC (batch row return codes) — with their
 * meanings and how sure we are of each (DOMAIN §3). One source for the server, the SDK and the docs.
 *
 * @since 0.1.0
 */

/**
 * The family a code belongs to.
 *
 * @since 0.1.0
 * @category models
 */
export type Family = "WSRC" | "WSVRC" | "VRF" | "WSEC" | "RC"

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

const e = (family: Family, title: string, meaning: string, provenance: Provenance = "confirmed"): Entry => ({
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
  RC013: e("RC", "Outside permitted age range", "The learner is outside the permitted age range of 13 to 110 (exception).")
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
  RC: "Batch row return codes (RC)"
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
