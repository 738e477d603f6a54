/**
 * The qualification register (Ofqual-like, CONTRACT §3): each subject — a qualification (QAN) or a
 * unit — with its owning awarding organisation and its availability, and the rule that says which
 * awarding organisations may award it (DOMAIN §5, NDAQ private / shared / restricted units).
 *
 * @since 0.1.0
 */
import { Either, Schema } from "effect"
import * as Csv from "./Csv.js"
import * as FieldIssues from "./FieldIssues.js"
import * as F from "./Fields.js"
import type { Chunk } from "./internal/text.js"
import { SubjectCode } from "./QualificationNumber.js"
import { Ukprn } from "./Ukprn.js"

/**
 * Who may award a subject besides its owner:
 *
 * - `Private`: only the owning awarding organisation.
 * - `Shared`: every awarding organisation.
 * - `Restricted`: the owner and the awarding organisations listed in `allowed`.
 *
 * @since 0.1.0
 * @category schemas
 */
export const SubjectAvailability = Schema.Union(
  Schema.TaggedStruct("Private", {}),
  Schema.TaggedStruct("Shared", {}),
  Schema.TaggedStruct("Restricted", {
    allowed: Schema.Array(Ukprn).annotations({ description: "UKPRNs of the awarding organisations that may award this subject besides its owner." })
  })
).annotations({
  identifier: "SubjectAvailability",
  description: "Private (owner only), Shared (every awarding organisation) or Restricted (owner and a list)."
})

/**
 * @since 0.1.0
 * @category models
 */
export type SubjectAvailability = typeof SubjectAvailability.Type

/**
 * A subject on the register.
 *
 * @since 0.1.0
 * @category schemas
 */
export const RegisteredSubject = Schema.Struct({
  subjectCode: SubjectCode,
  title: F.nonBlankText(255, "SubjectTitle", "Title of the qualification or unit (max 255)."),
  level: F.boundedText(50, "SubjectLevel", "Level, e.g. \"Level 2\", \"Entry Level\" (max 50)."),
  qualificationType: F.boundedText(100, "QualificationType", "Type, e.g. \"GCSE (9 to 1)\" (max 100)."),
  owner: Ukprn.annotations({ description: "UKPRN of the awarding organisation that owns the subject." }),
  availability: SubjectAvailability,
  operationalStartDate: Schema.optional(F.IsoDate.annotations({
    description: "First day the subject could be awarded; an award before it is rejected."
  }))
}).annotations({ identifier: "RegisteredSubject", description: "A qualification or unit on the qualification register." })

/**
 * @since 0.1.0
 * @category models
 */
export type RegisteredSubject = typeof RegisteredSubject.Type

/**
 * The subject code is not on the qualification register.
 *
 * @since 0.1.0
 * @category errors
 */
export class SubjectNotOnRegister extends Schema.TaggedError<SubjectNotOnRegister>()("SubjectNotOnRegister", {
  subjectCode: Schema.String
}) {
  /** The response code (ACH010). */
  get code(): "ACH010" {
    return "ACH010"
  }
  override get message(): string {
    return `subject ${this.subjectCode} is not on the qualification register`
  }
}

/**
 * The subject is on the register but the awarding organisation may not award it.
 *
 * @since 0.1.0
 * @category errors
 */
export class SubjectNotAvailable extends Schema.TaggedError<SubjectNotAvailable>()("SubjectNotAvailable", {
  subjectCode: Schema.String,
  awardingOrganisation: Schema.String,
  availability: Schema.Literal("Private", "Restricted")
}) {
  /** The response code (ACH011). */
  get code(): "ACH011" {
    return "ACH011"
  }
  override get message(): string {
    return this.availability === "Private"
      ? `subject ${this.subjectCode} is private to the awarding organisation that owns it; ${this.awardingOrganisation} may not award it`
      : `subject ${this.subjectCode} is restricted to a list of awarding organisations that does not include ${this.awardingOrganisation}`
  }
}

/**
 * How an awarding organisation comes to be allowed to award a subject, or `undefined` when it is not.
 *
 * @since 0.1.0
 * @category models
 */
export type Entitlement = "owner" | "shared" | "restricted-list"

/**
 * Why `awardingOrganisation` may award `subject`, or `undefined` when it may not. The owner may
 * always award its own subjects, whatever their availability.
 *
 * @since 0.1.0
 * @category ownership
 */
export const entitlement = (subject: RegisteredSubject, awardingOrganisation: string): Entitlement | undefined => {
  if (subject.owner === awardingOrganisation) return "owner"
  switch (subject.availability._tag) {
    case "Private":
      return undefined
    case "Shared":
      return "shared"
    case "Restricted":
      return subject.availability.allowed.includes(awardingOrganisation as Ukprn) ? "restricted-list" : undefined
  }
}

/**
 * `true` when `awardingOrganisation` may award `subject`.
 *
 * @since 0.1.0
 * @category ownership
 */
export const canAward = (subject: RegisteredSubject, awardingOrganisation: string): boolean =>
  entitlement(subject, awardingOrganisation) !== undefined

/**
 * The ownership rule as a check: the register entry for `subjectCode` (or `undefined` when the
 * register has none) must exist, be that subject, and be available to `awardingOrganisation`.
 *
 * @since 0.1.0
 * @category ownership
 */
export const checkAward = (
  subjectCode: string,
  subject: RegisteredSubject | undefined,
  awardingOrganisation: string
): Either.Either<RegisteredSubject, SubjectNotOnRegister | SubjectNotAvailable> => {
  // a register entry for another code is the caller's mistake, but never grounds to award
  if (subject === undefined || subject.subjectCode !== subjectCode) return Either.left(new SubjectNotOnRegister({ subjectCode }))
  if (canAward(subject, awardingOrganisation)) return Either.right(subject)
  return Either.left(
    new SubjectNotAvailable({
      subjectCode,
      awardingOrganisation,
      availability: subject.availability._tag === "Restricted" ? "Restricted" : "Private"
    })
  )
}

/**
 * The columns of the register file the LRS admin loads (CONTRACT §3), in order. `Availability` is
 * `Private`, `Shared` or `Restricted`; `AllowedUkprns` lists the UKPRNs a restricted subject is
 * open to, separated by spaces or semicolons; `OperationalStartDate` may be empty.
 *
 * @since 0.1.0
 * @category loading
 */
export const CSV_COLUMNS: ReadonlyArray<string> = ["SubjectCode", "Title", "Level", "QualificationType", "OwnerUkprn", "Availability", "AllowedUkprns", "OperationalStartDate"]

/**
 * A line of a register file that could not be loaded.
 *
 * @since 0.1.0
 * @category loading
 */
export interface RegisterProblem {
  readonly line: number
  /** The column at fault (a {@link CSV_COLUMNS} heading); absent when the whole line is. */
  readonly field?: string | undefined
  readonly message: string
}

// the column of each RegisteredSubject property, to name the field of a decoding problem
const columnOf: Readonly<Record<string, string>> = {
  subjectCode: "SubjectCode",
  title: "Title",
  level: "Level",
  qualificationType: "QualificationType",
  owner: "OwnerUkprn",
  availability: "AllowedUkprns",
  operationalStartDate: "OperationalStartDate"
}

/**
 * Reads a register file: a heading line of {@link CSV_COLUMNS}, then one subject per line. Every
 * good line gives a subject; every bad one a problem with its line. Never throws.
 *
 * @since 0.1.0
 * @category loading
 */
export const parseCsv = (source: Chunk | Iterable<Chunk>): { readonly subjects: Array<RegisteredSubject>; readonly problems: Array<RegisterProblem> } => {
  const subjects: Array<RegisteredSubject> = []
  const problems: Array<RegisterProblem> = []
  const seen = new Set<string>()
  const decode = Schema.decodeUnknownEither(RegisteredSubject)
  let headings = false
  for (const r of Csv.records(source)) {
    if (r.fields.every((f) => f.trim() === "")) continue
    if (!headings) {
      headings = true
      if (r.fields.map((f) => f.trim()).join(",") !== CSV_COLUMNS.join(",")) {
        problems.push({ line: r.line, message: `the first line must be ${CSV_COLUMNS.join(",")}` })
        break
      }
      continue
    }
    const [subjectCode = "", title = "", level = "", qualificationType = "", owner = "", availability = "", allowed = "", start = ""] = r.fields.map((f) => f.trim())
    const tag = { private: "Private", shared: "Shared", restricted: "Restricted" }[availability.toLowerCase()]
    if (tag === undefined) {
      problems.push({ line: r.line, field: "Availability", message: `Availability must be Private, Shared or Restricted; got ${JSON.stringify(availability)}` })
      continue
    }
    const list = allowed.split(/[\s;]+/).filter((u) => u !== "")
    if (tag !== "Restricted" && list.length > 0) {
      problems.push({ line: r.line, field: "AllowedUkprns", message: "AllowedUkprns is only for a Restricted subject" })
      continue
    }
    const decoded = decode({
      subjectCode,
      title,
      level,
      qualificationType,
      owner,
      availability: tag === "Restricted" ? { _tag: tag, allowed: list } : { _tag: tag },
      ...(start === "" ? {} : { operationalStartDate: start })
    })
    if (Either.isLeft(decoded)) {
      // the first fault, in the words of the column's rule (a UKPRN is 8 digits…)
      const first = FieldIssues.fromParseError(decoded.left)[0]
      const key = first?.path[0]
      problems.push({
        line: r.line,
        field: typeof key === "string" ? columnOf[key] : undefined,
        message: first?.message ?? "the line cannot be loaded"
      })
      continue
    }
    if (seen.has(decoded.right.subjectCode)) {
      problems.push({ line: r.line, field: "SubjectCode", message: `subject ${decoded.right.subjectCode} is listed twice` })
      continue
    }
    seen.add(decoded.right.subjectCode)
    subjects.push(decoded.right)
  }
  if (!headings) problems.push({ line: 1, message: `the file is empty: the first line must be ${CSV_COLUMNS.join(",")}` })
  return { subjects, problems }
}
