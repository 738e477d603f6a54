/**
 * LRS administration (CONTRACT §4.7): organisations and the qualification register. LRS admins
 * only; everyone else gets 403 WSEC0006. A super user for a new organisation is created with
 * `users.create`, the LRS admin passing the organisation's id.
 *
 * @since 0.1.0
 */
import { HttpApiEndpoint, HttpApiGroup, HttpApiSchema, OpenApi } from "@effect/platform"
import { Access, Fields, QualificationNumber, QualificationRegister, Ukprn } from "@learner-records/core"
import { Schema } from "effect"
import { Limit } from "./AchievementsApi.js"
import { strict } from "./internal/strict.js"
import { BadRequest, Conflict, Forbidden, NotFound, PayloadTooLarge, Unprocessable } from "./Problem.js"
import { Authentication, Authorization, Operation } from "./Security.js"

/**
 * An organisation using the service.
 *
 * @since 0.1.0
 * @category schemas
 */
export class Organisation extends Schema.Class<Organisation>("Organisation")({
  id: Schema.String.annotations({ description: "The organisation's id." }),
  name: Schema.String.annotations({ description: "The organisation's name." }),
  ukprn: Schema.NullOr(Ukprn.Ukprn).annotations({ description: "The organisation's UKPRN; null when it has none." }),
  kinds: Schema.Array(Access.OrganisationKind).annotations({ description: "LRB (learner registration body), AO (awarding organisation), or both; LRS for the service's own organisation." }),
  olass: Schema.Boolean.annotations({ description: "An OLASS (offender learning) LRB: may use learner plans." }),
  createdAt: Schema.String.annotations({ description: "When the organisation was created (ISO 8601 timestamp)." })
}, { description: "An organisation using the service." }) {}

/**
 * An organisation's details, on create and on update.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrganisationRequest = strict(Schema.Struct({
  name: Fields.nonBlankText(255, "OrganisationName", "The organisation's name (max 255)."),
  ukprn: Schema.optional(Ukprn.Ukprn.annotations({ description: "The organisation's UKPRN, when it has one; unique (409 SVC007 when another organisation has it)." })),
  kinds: Schema.NonEmptyArray(Access.OrganisationKind).annotations({
    description: "LRB, AO, or both; at least one. LRS only for the service's own organisation, whose kinds stay [\"LRS\"] (400 WSEC0001 otherwise)."
  }),
  olass: Schema.optional(Schema.Boolean.annotations({ description: "An OLASS (offender learning) LRB (default false); only on an LRB (400 WSEC0001 otherwise).", default: false }))
}).annotations({ identifier: "OrganisationRequest", description: "An organisation's details." }))

/**
 * The path of one organisation.
 *
 * @since 0.1.0
 * @category schemas
 */
export const OrganisationIdPath = Schema.Struct({
  id: Schema.String.annotations({ description: "The organisation's id." })
})

/**
 * The filter and page of the qualification register.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ListQualificationsParams = Schema.Struct({
  owner: Schema.optional(Ukprn.Ukprn.annotations({ description: "Only subjects owned by this awarding organisation (UKPRN)." })),
  cursor: Schema.optional(Schema.String.annotations({ description: "The nextCursor of the previous page; the first page when not given." })),
  limit: Schema.optional(Limit)
})

/**
 * A page of the qualification register.
 *
 * @since 0.1.0
 * @category schemas
 */
export class QualificationPage extends Schema.Class<QualificationPage>("QualificationPage")({
  qualifications: Schema.Array(QualificationRegister.RegisteredSubject).annotations({ description: "The subjects of this page, by subject code." }),
  nextCursor: Schema.NullOr(Schema.String).annotations({ description: "Pass as cursor for the next page; null on the last page." })
}, { description: "A page of the qualification register." }) {}

// A path segment: a subject code has slashes, so the client sends it URL-encoded (601%2F2977%2F3);
// the router gives the handler the decoded segment, which decoding again leaves as it is.
const UriComponent = Schema.transform(Schema.String, Schema.String, {
  strict: true,
  decode: (s) => {
    try {
      return decodeURIComponent(s)
    } catch {
      return s
    }
  },
  encode: (s) => encodeURIComponent(s)
})

/**
 * The path of one subject of the register.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SubjectCodePath = Schema.Struct({
  subjectCode: Schema.compose(UriComponent, QualificationNumber.SubjectCode).annotations({
    description: "The subject code (QAN or unit reference), URL-encoded since it has slashes (601%2F2977%2F3); must equal the body's subjectCode."
  })
})

/**
 * A subject to add to, or replace on, the register (core `QualificationRegister.SubjectEntry`, the
 * rules a register file's lines are checked by too).
 *
 * @since 0.1.0
 * @category schemas
 */
export const PutQualificationRequest = strict(QualificationRegister.SubjectEntry.annotations({ identifier: "PutQualificationRequest" }))

/**
 * A register file: CSV with the heading line `SubjectCode,Title,Level,QualificationType,OwnerUkprn,Availability,AllowedUkprns,OperationalStartDate`
 * (core `QualificationRegister.CSV_COLUMNS`), then one subject per line.
 *
 * @since 0.1.0
 * @category schemas
 */
export const ImportQualificationsRequest = HttpApiSchema.Text({ contentType: "text/csv" }).annotations({
  identifier: "ImportQualificationsRequest",
  description: `CSV (text/csv, UTF-8) with the heading line ${QualificationRegister.CSV_COLUMNS.join(",")}, then one subject per line (Availability Private, Shared or Restricted; AllowedUkprns separated by spaces or semicolons, Restricted only; OperationalStartDate YYYY-MM-DD or empty). Every line has all ${QualificationRegister.CSV_COLUMNS.length} columns, and its values follow the rules of a put.`
})

/**
 * One line of a register file that could not be loaded.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ImportProblem extends Schema.Class<ImportProblem>("ImportProblem")({
  row: Schema.Int.annotations({ description: "Line number in the file (1 is the heading line)." }),
  field: Schema.NullOr(Schema.String).annotations({ description: "The column at fault (a CSV_COLUMNS heading), or null when the problem is with the whole line." }),
  message: Schema.String.annotations({ description: "What is wrong, in words." })
}, { description: "A line of a register file that could not be loaded." }) {}

/**
 * The outcome of an import.
 *
 * @since 0.1.0
 * @category schemas
 */
export class ImportQualificationsResponse extends Schema.Class<ImportQualificationsResponse>("ImportQualificationsResponse")({
  imported: Schema.Int.pipe(Schema.nonNegative()).annotations({ description: "How many subjects were added or replaced." }),
  problems: Schema.Array(ImportProblem).annotations({ description: "Always empty on success: an import is all or nothing, and any bad line answers 422 instead." })
}, { description: "The outcome of a register import." }) {}

/**
 * LRS administration endpoints.
 *
 * @since 0.1.0
 * @category groups
 */
export class AdminApi extends HttpApiGroup.make("admin")
  .add(HttpApiEndpoint.get("listOrganisations", "/admin/organisations").annotate(Operation, "admin.organisations").addSuccess(Schema.Array(Organisation))
    .addError(Forbidden)
    .annotate(OpenApi.Summary, "List organisations")
    .annotate(OpenApi.Description, "Every organisation, by name. 200; 403 WSEC0006 unless LRS admin."))
  .add(HttpApiEndpoint.post("createOrganisation", "/admin/organisations").annotate(Operation, "admin.organisations").setPayload(OrganisationRequest).addSuccess(Organisation, { status: 201 })
    .addError(BadRequest).addError(Forbidden).addError(Conflict)
    .annotate(OpenApi.Summary, "Create an organisation")
    .annotate(OpenApi.Description, "Creates an LRB, an AO, or both (OLASS is a flag on an LRB): 201 with the organisation. Then create its super user with users.create, passing organisationId. 409 SVC007 when another organisation has the UKPRN; 400 WSEC0001 malformed; 403 WSEC0006 unless LRS admin."))
  .add(HttpApiEndpoint.get("getOrganisation", "/admin/organisations/:id").annotate(Operation, "admin.organisations").setPath(OrganisationIdPath).addSuccess(Organisation)
    .addError(Forbidden).addError(NotFound)
    .annotate(OpenApi.Summary, "Get an organisation")
    .annotate(OpenApi.Description, "200 with the organisation; 404 SVC004 unknown id; 403 WSEC0006 unless LRS admin."))
  .add(HttpApiEndpoint.put("updateOrganisation", "/admin/organisations/:id").annotate(Operation, "admin.organisations").setPath(OrganisationIdPath).setPayload(OrganisationRequest).addSuccess(Organisation)
    .addError(BadRequest).addError(Forbidden).addError(NotFound).addError(Conflict).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Update an organisation")
    .annotate(OpenApi.Description, "Replaces the organisation's name, UKPRN, kinds and OLASS flag (olass false when not given): 200 with the organisation. 422 SVC008 when its users or API keys hold roles the new kinds or flag would not allow; 422 SVC015 when it would stop being an AO while subjects on the qualification register name it as owner or allowed (the detail names the first few and how many); 409 SVC013 when its UKPRN would change while achievements or subjects on the register carry it; 409 SVC007 when another organisation has the UKPRN; 404 SVC004 unknown id; 400 WSEC0001 malformed; 403 WSEC0006 unless LRS admin."))
  .add(HttpApiEndpoint.get("listQualifications", "/admin/qualifications").annotate(Operation, "admin.qualifications").setUrlParams(ListQualificationsParams).addSuccess(QualificationPage)
    .addError(BadRequest).addError(Forbidden)
    .annotate(OpenApi.Summary, "List the qualification register")
    .annotate(OpenApi.Description, "The subjects on the register by subject code, optionally only one owner's, in pages of `limit` (1–500, default 100) with `nextCursor`, null on the last page. 200; 400 WSEC0001 bad filter or cursor; 403 WSEC0006 unless LRS admin."))
  .add(HttpApiEndpoint.put("putQualification", "/admin/qualifications/:subjectCode").annotate(Operation, "admin.qualifications").setPath(SubjectCodePath).setPayload(PutQualificationRequest)
    .addSuccess(QualificationRegister.RegisteredSubject)
    .addError(BadRequest).addError(Forbidden).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Add or replace a subject on the register")
    .annotate(OpenApi.Description, "Adds the subject, or replaces it when the subject code is on the register: 200 with the subject. Title, level and type are stored without surrounding spaces and must then be non-blank single lines (no control characters, line breaks or tabs) of at most 255, 50 and 100 characters. A Restricted subject's allowed list names at least one awarding organisation, each once, and not the owner (who may always award it). Each broken rule is a 400 WSEC0001 error naming its field (availability.allowed[<i>] for an entry of the list, availability.allowed for an empty one), all of them at once. Achievements already awarded keep the title, level and type they were created with. The owner and every UKPRN of a Restricted subject's allowed list must be an organisation that is an awarding organisation (AO): otherwise 422 SVC015 whose errors name each (owner, availability.allowed[<i>]) and say why (\"is not a registered organisation\", \"is not an awarding organisation\"). 400 WSEC0001 malformed, or when the subject code in the path differs from the body's; 403 WSEC0006 unless LRS admin."))
  .add(HttpApiEndpoint.post("importQualifications", "/admin/qualifications/import").annotate(Operation, "admin.qualifications").setPayload(ImportQualificationsRequest).addSuccess(ImportQualificationsResponse)
    .addError(BadRequest).addError(Forbidden).addError(PayloadTooLarge).addError(Unprocessable)
    .annotate(OpenApi.Summary, "Import the qualification register from CSV")
    .annotate(OpenApi.Description, `Loads a register file (text/csv, heading ${QualificationRegister.CSV_COLUMNS.join(",")}): every subject is added, or replaced when its code is on the register; 200 with the number imported. All or nothing: when any line is bad nothing is imported and the answer is 422 SVC012 whose errors name each line and column as rows[<line>].<Column> (rows[<line>] for the whole line). Each fault of a line is its own error: a value that breaks the rule of its column (those of a put: rows[<line>].AllowedUkprns for a UKPRN listed twice or the owner listed, or an empty list on a Restricted subject), a subject code listed twice, an OwnerUkprn or AllowedUkprns that is not a registered organisation or not an awarding organisation. A line with more or fewer fields than the ${QualificationRegister.CSV_COLUMNS.length} columns, or with bad CSV quoting, is one error on the line. 400 WSEC0001 when the file is not UTF-8 text (a spreadsheet saved as plain CSV in Latin-1), naming the first such line as rows[<line>] and the byte of the line; 413 SVC005 over the size limit; 415 WSEC0001 not text/csv (UTF-8); 403 WSEC0006 unless LRS admin.`))
  .middleware(Authorization)
  .middleware(Authentication)
  .annotate(OpenApi.Title, "Administration")
  .annotate(OpenApi.Description, "Organisations and the qualification register; LRS admins only.")
{}
