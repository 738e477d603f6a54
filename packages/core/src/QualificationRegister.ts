/**
 * The qualification register (Ofqual-like, CONTRACT §3): each subject — a qualification (QAN) or a
 * unit — with its owning awarding organisation and its availability, and the rule that says which
 * awarding organisations may award it (DOMAIN §5, NDAQ private / shared / restricted units).
 *
 * @since 0.1.0
 */
import { Either, ParseResult, Schema, SchemaAST as AST } from "effect"
import type { OrganisationKind } from "./Access.js"
import * as Csv from "./Csv.js"
import * as FieldIssues from "./FieldIssues.js"
import * as F from "./Fields.js"
import type { Chunk } from "./internal/text.js"
import { SubjectCode } from "./QualificationNumber.js"
import { explain as explainUkprn, Ukprn } from "./Ukprn.js"

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
 * A subject on the register, as stored and shown. What a put or a register file may add is the
 * stricter {@link SubjectEntry}; a subject is read back as this, since subjects stored before its
 * rules (a blank level, a repeated allowed UKPRN) must still be shown, and replaced.
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

// control characters (Unicode category Cc: C0 with tab, line feed, carriage return and escape,
// DEL, C1), named as a person would know them
const CONTROL = /\p{Cc}/u
const controlNames: Readonly<Record<number, string>> = { 0x09: "tab", 0x0a: "line feed", 0x0d: "carriage return", 0x1b: "escape", 0x7f: "delete" }

/**
 * Why a subject's title, level or type holds a control character, or `undefined` when it holds
 * none: names the first, e.g. `must not contain control characters (line breaks, tabs and the
 * like); it has U+000A (line feed)`.
 *
 * @since 0.1.2
 * @category validation
 */
export const explainControl = (text: string): string | undefined => {
  const at = text.search(CONTROL)
  if (at < 0) return undefined
  const code = text.charCodeAt(at)
  const name = controlNames[code]
  return `must not contain control characters (line breaks, tabs and the like); it has U+${code.toString(16).toUpperCase().padStart(4, "0")}${
    name === undefined ? "" : ` (${name})`
  }`
}

// A title, level or type as the register takes it: surrounding spaces are not part of it (a
// spreadsheet pads cells, a form keeps a stray space), so they are dropped before the rules and
// never stored; then not blank, at most `max` characters, storable, one line without control
// characters. The same for a put and for a line of a register file.
const entryText = (max: number, description: string) =>
  Schema.transform(
    Schema.String,
    F.StorableText.pipe(
      Schema.filter((s) => s.length > 0 || "must not be blank", { jsonSchema: {} }),
      Schema.filter((s) => s.length <= max || `must be at most ${max} characters (got ${s.length})`, { jsonSchema: {} }),
      Schema.filter((s) => explainControl(s) ?? true, { jsonSchema: {} })
    ),
    { strict: true, decode: (s) => s.trim(), encode: (s) => s }
  ).annotations({ description, jsonSchema: { type: "string", minLength: 1, maxLength: max, description } })

/**
 * The message for a Restricted subject whose `allowed` list is empty.
 *
 * @since 0.1.2
 * @category messages
 */
export const emptyRestrictedMessage = "must list at least one awarding organisation besides the owner: a Restricted subject open to none is Private"

/**
 * A subject's availability as a put or a register file gives it: {@link SubjectAvailability},
 * where a Restricted subject's `allowed` list names at least one awarding organisation (each
 * once and not the owner, which {@link SubjectEntry} checks, knowing the owner).
 *
 * @since 0.1.2
 * @category schemas
 */
export const SubjectAvailabilityEntry = Schema.Union(
  Schema.TaggedStruct("Private", {}),
  Schema.TaggedStruct("Shared", {}),
  Schema.TaggedStruct("Restricted", {
    allowed: Schema.Array(Ukprn).annotations({ jsonSchema: { uniqueItems: true } }).pipe(
      Schema.minItems(1, { message: () => emptyRestrictedMessage })
    ).annotations({
      description: "UKPRNs of the awarding organisations that may award this subject besides its owner: at least one, each once, not the owner."
    })
  })
).annotations({
  identifier: "SubjectAvailabilityEntry",
  description: "Private (owner only), Shared (every awarding organisation) or Restricted (owner and a list of at least one other)."
})

const entryFields = Schema.Struct({
  subjectCode: SubjectCode,
  title: entryText(255, "Title of the qualification or unit: not blank, at most 255 characters, one line; surrounding spaces are dropped."),
  level: entryText(50, "Level, e.g. \"Level 2\", \"Entry Level\": not blank, at most 50 characters, one line; surrounding spaces are dropped."),
  qualificationType: entryText(100, "Type, e.g. \"GCSE (9 to 1)\": not blank, at most 100 characters, one line; surrounding spaces are dropped."),
  owner: Ukprn.annotations({ description: "UKPRN of the awarding organisation that owns the subject." }),
  availability: SubjectAvailabilityEntry,
  operationalStartDate: Schema.optional(F.IsoDate.annotations({
    description: "First day the subject could be awarded; an award before it is rejected."
  }))
})

const isUkprn = (u: unknown): u is string => typeof u === "string" && explainUkprn(u) === undefined

/**
 * What is wrong with a Restricted subject's `allowed` list beside its owner, as sent: each UKPRN
 * listed again after its first place, and the owner wherever it is listed (the owner may always
 * award its subject, so listing it says nothing, and a list of only the owner hides a Private
 * subject). Anything that is not a UKPRN is left to the UKPRN rule.
 *
 * @since 0.1.2
 * @category validation
 */
export const allowedListProblems = (input: unknown): ReadonlyArray<{ readonly index: number; readonly message: string }> => {
  if (typeof input !== "object" || input === null || !("availability" in input)) return []
  const { availability } = input
  const owner = "owner" in input && isUkprn(input.owner) ? input.owner : undefined
  if (typeof availability !== "object" || availability === null || !("_tag" in availability) || availability._tag !== "Restricted") return []
  if (!("allowed" in availability) || !Array.isArray(availability.allowed)) return []
  const seen = new Set<string>()
  const problems: Array<{ readonly index: number; readonly message: string }> = []
  availability.allowed.forEach((u: unknown, index: number) => {
    if (!isUkprn(u)) return
    if (u === owner) {
      problems.push({ index, message: `UKPRN ${u} is the owner, who may always award the subject: list only the other awarding organisations` })
    } else if (seen.has(u)) {
      problems.push({ index, message: `UKPRN ${u} is already in the list: list each awarding organisation once` })
    }
    seen.add(u)
  })
  return problems
}

/**
 * A subject as the LRS admin puts it on the register, one at a time or as a line of a register
 * file ({@link parseCsv}): the one rule set of both. Title, level and type are trimmed, then must
 * not be blank, be at most 255, 50 and 100 characters, and hold no control character (line
 * breaks and tabs included: each is one line of text, shown and copied into achievements as it
 * is). A Restricted subject's `allowed` list names at least one awarding organisation, each once,
 * and not the owner ({@link allowedListProblems}). Every fault is told, those of the list beside
 * those of the other fields. A subject that decodes is a {@link RegisteredSubject}; the register's
 * stored subjects are read as that, since some were stored before these rules.
 *
 * @since 0.1.2
 * @category schemas
 */
export const SubjectEntry = Schema.transformOrFail(Schema.Unknown, Schema.typeSchema(entryFields), {
  strict: true,
  // the list rules look at the subject as sent, so that they are told even when another field
  // is wrong too (a filter on the decoded subject would never see it)
  decode: (input, options, ast) => {
    const fields = ParseResult.decodeUnknownEither(entryFields)(input, options)
    const [first, ...rest] = allowedListProblems(input).map((p) =>
      new ParseResult.Pointer(["availability", "allowed", p.index], input, new ParseResult.Type(ast, input, p.message))
    )
    if (first === undefined) return Either.isLeft(fields) ? Either.left(new ParseResult.Composite(ast, input, fields.left)) : fields
    return Either.left(new ParseResult.Composite(ast, input, Either.isLeft(fields) ? [fields.left, first, ...rest] : [first, ...rest]))
  },
  encode: (subject, options) => ParseResult.encodeUnknown(entryFields)(subject, options)
}).annotations({
  identifier: "SubjectEntry",
  description: "A qualification or unit to put on the qualification register.",
  // the document shows the fields, not the list rules' wrapper
  [AST.SurrogateAnnotationId]: entryFields.ast
})

/**
 * @since 0.1.2
 * @category models
 */
export type SubjectEntry = typeof SubjectEntry.Type

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
 * The kinds of the organisation that has a UKPRN, or `undefined` when no organisation has it: what
 * {@link awarderProblems} needs to know of the organisations a subject names.
 *
 * @since 0.1.2
 * @category ownership
 */
export type OrganisationKindsOf = (ukprn: string) => ReadonlyArray<OrganisationKind> | undefined

/**
 * `true` when an organisation of these kinds may own a subject on the register or be allowed to
 * award one: an awarding organisation (DOMAIN §5). An LRB registers learners and awards nothing,
 * and a subject owned by a UKPRN no organisation has could never be awarded by its owner.
 *
 * @since 0.1.2
 * @category ownership
 */
export const mayHoldSubjects = (kinds: ReadonlyArray<OrganisationKind>): boolean => kinds.includes("AO")

/**
 * A UKPRN a subject names — its owner, or one its availability allows — that is not an awarding
 * organisation: `NotRegistered` when no organisation has it, `NotAwardingOrganisation` when its
 * organisation is not an AO.
 *
 * @since 0.1.2
 * @category models
 */
export interface AwarderProblem {
  /** Where the UKPRN is in the subject: `["owner"]` or `["availability", "allowed", index]`. */
  readonly path: readonly ["owner"] | readonly ["availability", "allowed", number]
  readonly ukprn: string
  readonly reason: "NotRegistered" | "NotAwardingOrganisation"
  readonly message: string
}

// what an organisation that may not award is, in words
const notAnAo = (kinds: ReadonlyArray<OrganisationKind>): string =>
  kinds.includes("LRS") ? "it is the LRS organisation" : kinds.includes("LRB") ? "its organisation is an LRB only" : "its organisation has no kind that awards"

const awarderProblem = (path: AwarderProblem["path"], ukprn: string, kindsOf: OrganisationKindsOf): ReadonlyArray<AwarderProblem> => {
  const kinds = kindsOf(ukprn)
  if (kinds === undefined) return [{ path, ukprn, reason: "NotRegistered", message: `UKPRN ${ukprn} is not a registered organisation` }]
  if (mayHoldSubjects(kinds)) return []
  return [{ path, ukprn, reason: "NotAwardingOrganisation", message: `UKPRN ${ukprn} is not an awarding organisation (${notAnAo(kinds)})` }]
}

/**
 * Every UKPRN `subject` names that is not an awarding organisation (see {@link mayHoldSubjects}):
 * its owner first, then each of a Restricted subject's `allowed` list in order; empty when all are.
 *
 * @since 0.1.2
 * @category ownership
 */
export const awarderProblems = (subject: RegisteredSubject, kindsOf: OrganisationKindsOf): ReadonlyArray<AwarderProblem> => [
  ...awarderProblem(["owner"], subject.owner, kindsOf),
  ...(subject.availability._tag === "Restricted"
    ? subject.availability.allowed.flatMap((ukprn, i) => awarderProblem(["availability", "allowed", i], ukprn, kindsOf))
    : [])
]

/**
 * Every UKPRN the subjects name, as owner or allowed, each once: the organisations to look up for
 * {@link awarderProblems}.
 *
 * @since 0.1.2
 * @category ownership
 */
export const namedUkprns = (subjects: Iterable<RegisteredSubject>): ReadonlyArray<string> => {
  const named = new Set<string>()
  for (const s of subjects) {
    named.add(s.owner)
    if (s.availability._tag === "Restricted") for (const u of s.availability.allowed) named.add(u)
  }
  return [...named]
}

/**
 * The subjects on the register that name an organisation's UKPRN, as owner or allowed: how many,
 * and the first few by subject code.
 *
 * @since 0.1.2
 * @category models
 */
export interface NamedSubjects {
  readonly total: number
  readonly first: ReadonlyArray<string>
}

/**
 * How many subjects {@link NamedSubjects} names, in words: `2 subjects (601/2977/3, K/501/5773)`,
 * or `7 subjects (…, … and 2 more)` when `first` holds fewer than all.
 *
 * @since 0.1.2
 * @category ownership
 */
export const describeNamed = (named: NamedSubjects): string => {
  const more = named.total - named.first.length
  const list = named.first.join(", ") + (more > 0 ? ` and ${more} more` : "")
  return `${named.total} subject${named.total === 1 ? "" : "s"} (${list})`
}

/**
 * Why an organisation the register names in `named` may not take these kinds, or `undefined`:
 * it stays an awarding organisation while it owns or is allowed subjects, or they would name an
 * organisation that may not award them.
 *
 * @since 0.1.2
 * @category ownership
 */
export const kindsChangeProblem = (named: NamedSubjects, kinds: ReadonlyArray<OrganisationKind>): string | undefined =>
  named.total === 0 || mayHoldSubjects(kinds)
    ? undefined
    : `the qualification register names the organisation as owner or allowed on ${describeNamed(named)}: it stays an awarding organisation (AO) until they are given another owner or availability`

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

// the column of each SubjectEntry property, to name the field of a decoding problem
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
 * The UKPRNs a line left out of a read register names, as owner and as allowed (those written as
 * UKPRNs, each once, the owner not among the allowed): {@link checkAwarders} checks them too, so
 * that an owner that is not an awarding organisation is told beside the line's other faults.
 *
 * @since 0.1.2
 * @category loading
 */
export interface LineAwarders {
  readonly line: number
  readonly owner: string | undefined
  readonly allowed: ReadonlyArray<string>
}

/**
 * A register file as read: its subjects, the line of each, and a problem for each fault of each
 * line that could not be loaded.
 *
 * @since 0.1.2
 * @category loading
 */
export interface ParsedRegister {
  readonly subjects: Array<RegisteredSubject>
  /** The line of each of `subjects`, in the same order. */
  readonly lines: Array<number>
  readonly problems: Array<RegisterProblem>
  /** The awarders that lines left out name, still to be checked ({@link checkAwarders} does). */
  readonly uncheckedAwarders: Array<LineAwarders>
}

const decodeEntry = Schema.decodeUnknownEither(SubjectEntry, { errors: "all" })
const decodeCode = Schema.decodeUnknownEither(SubjectCode)

// the place of a column, to give a line's problems in the order of its columns (the line itself first)
const columnIndex = (field: string | undefined): number => field === undefined ? -1 : CSV_COLUMNS.indexOf(field)
const byLineAndColumn = (a: RegisterProblem, b: RegisterProblem): number => a.line - b.line || columnIndex(a.field) - columnIndex(b.field)

const fieldCount = (n: number): string => `${n} field${n === 1 ? "" : "s"}`

/**
 * Reads a register file: a heading line of {@link CSV_COLUMNS}, then one subject per line. Every
 * good line gives a subject; every bad one a problem for each of its faults, on its line and
 * column, each value checked by {@link SubjectEntry} — the rules of a put — and by the file's own
 * (`Availability` one of three words, `AllowedUkprns` only on a Restricted subject, a subject
 * code once in the file). Some faults are the whole line's, and its one problem: a line with more
 * or fewer fields than the columns (an unquoted comma in a title shifts the columns after it; a
 * line short of some leaves a value out, and values shifted either way would be told in the wrong
 * columns), and a line whose quoting is wrong, in its column, in the words of
 * `Csv.describeProblem` (a stray quote would otherwise be kept as text; a quote never closed takes
 * the rest of the file with it, and is told once, on its line, naming the line it opens on).
 * Never throws.
 *
 * @since 0.1.0
 * @category loading
 */
export const parseCsv = (source: Chunk | Iterable<Chunk>): ParsedRegister => {
  const subjects: Array<RegisteredSubject> = []
  const lines: Array<number> = []
  const problems: Array<RegisterProblem> = []
  const uncheckedAwarders: Array<LineAwarders> = []
  // each subject code and the first line it is on, bad lines too: a code twice is a fault of the file
  const seen = new Map<string, number>()
  let headings = false
  for (const r of Csv.records(source)) {
    // a line of too many fields is told by the count below, with the columns it should have
    const quoting = r.problem?.kind === "TooManyFields" ? undefined : r.problem
    // before the blank-line skip: a lone quote opening a value that runs to the end looks blank
    if (quoting === undefined && r.fields.every((f) => f.trim() === "")) continue
    if (!headings) {
      headings = true
      if (quoting !== undefined) {
        problems.push({ line: r.line, message: Csv.describeProblem(quoting) })
        break
      }
      if (r.fields.map((f) => f.trim()).join(",") !== CSV_COLUMNS.join(",")) {
        problems.push({ line: r.line, message: `the first line must be ${CSV_COLUMNS.join(",")}` })
        break
      }
      continue
    }
    if (quoting !== undefined) {
      // the value is not what the file meant to say (and a quote never closed holds every line
      // after it: this is the file's last record, so it is told once)
      const column = CSV_COLUMNS[quoting.field]
      problems.push({ line: r.line, field: column, message: Csv.describeProblem(quoting, column) })
      continue
    }
    if (r.fields.length !== CSV_COLUMNS.length) {
      const more = r.fields.length > CSV_COLUMNS.length
      const count = r.problem?.kind === "TooManyFields" ? `more than ${fieldCount(r.fields.length)}` : fieldCount(r.fields.length)
      problems.push({
        line: r.line,
        message: `the line has ${count}; a register line has ${CSV_COLUMNS.length} (${CSV_COLUMNS.join(",")}): ${
          more ? "put a value that holds a comma in double quotes" : "write every column, an empty value as nothing between its commas"
        }`
      })
      continue
    }
    const [subjectCode = "", title = "", level = "", qualificationType = "", owner = "", availability = "", allowed = "", start = ""] = r.fields.map((f) => f.trim())
    const found: Array<RegisterProblem> = []
    const tag = ({ private: "Private", shared: "Shared", restricted: "Restricted" } as const)[availability.toLowerCase()]
    if (tag === undefined) {
      found.push({ line: r.line, field: "Availability", message: `Availability must be Private, Shared or Restricted; got ${JSON.stringify(availability)}` })
    }
    const list = allowed.split(/[\s;]+/).filter((u) => u !== "")
    if (tag !== undefined && tag !== "Restricted" && list.length > 0) {
      found.push({ line: r.line, field: "AllowedUkprns", message: "AllowedUkprns is only for a Restricted subject" })
    }
    // a list beside an Availability that is not one of the words is checked as a Restricted one's:
    // what is wrong with it is wrong whichever the subject is
    const restricted = tag === "Restricted" || (tag === undefined && list.length > 0)
    const entry = {
      subjectCode,
      title,
      level,
      qualificationType,
      owner,
      availability: restricted ? { _tag: "Restricted", allowed: list } : { _tag: tag ?? "Shared" },
      ...(start === "" ? {} : { operationalStartDate: start })
    }
    const decoded = decodeEntry(entry)
    if (Either.isLeft(decoded)) {
      // every fault, in the words of the column's rule (a UKPRN is 8 digits…)
      for (const issue of FieldIssues.fromParseError(decoded.left)) {
        const key = issue.path[0]
        found.push({ line: r.line, field: typeof key === "string" ? columnOf[key] : undefined, message: issue.message })
      }
    }
    const code = decodeCode(subjectCode)
    if (Either.isRight(code)) {
      const first = seen.get(code.right)
      if (first === undefined) seen.set(code.right, r.line)
      else found.push({ line: r.line, field: "SubjectCode", message: `subject ${code.right} is listed twice (first on line ${first})` })
    }
    if (found.length === 0 && Either.isRight(decoded)) {
      subjects.push(decoded.right)
      lines.push(r.line)
      continue
    }
    problems.push(...found.sort(byLineAndColumn))
    const ownerUkprn = explainUkprn(owner) === undefined ? owner : undefined
    uncheckedAwarders.push({
      line: r.line,
      owner: ownerUkprn,
      allowed: restricted ? [...new Set(list.filter((u) => u !== ownerUkprn && explainUkprn(u) === undefined))] : []
    })
  }
  if (!headings) problems.push({ line: 1, message: `the file is empty: the first line must be ${CSV_COLUMNS.join(",")}` })
  return { subjects, lines, problems, uncheckedAwarders }
}

// the column of a UKPRN an awarder problem names
const awarderColumn = (problem: AwarderProblem): string => problem.path[0] === "owner" ? "OwnerUkprn" : "AllowedUkprns"

/**
 * Every UKPRN a read register file names, as owner or allowed, on the lines it loaded and on
 * those it left out, each once: the organisations to look up for {@link checkAwarders}.
 *
 * @since 0.1.2
 * @category loading
 */
export const fileUkprns = (parsed: ParsedRegister): ReadonlyArray<string> => {
  const named = new Set(namedUkprns(parsed.subjects))
  for (const l of parsed.uncheckedAwarders) {
    if (l.owner !== undefined) named.add(l.owner)
    for (const u of l.allowed) named.add(u)
  }
  return [...named]
}

/**
 * A read register file with {@link awarderProblems} applied to each subject, and to the UKPRNs the
 * lines left out name: a subject naming a UKPRN that is not an awarding organisation leaves
 * `subjects`, and each such UKPRN gives a problem on its line, in its column (`OwnerUkprn`,
 * `AllowedUkprns`), beside the line's other faults. Problems come by line, then column.
 *
 * @since 0.1.2
 * @category loading
 */
export const checkAwarders = (parsed: ParsedRegister, kindsOf: OrganisationKindsOf): ParsedRegister => {
  const subjects: Array<RegisteredSubject> = []
  const lines: Array<number> = []
  const problems: Array<RegisterProblem> = [...parsed.problems]
  const told = (line: number, found: ReadonlyArray<AwarderProblem>) => {
    for (const p of found) problems.push({ line, field: awarderColumn(p), message: p.message })
  }
  parsed.subjects.forEach((subject, i) => {
    const line = parsed.lines[i]!
    const found = awarderProblems(subject, kindsOf)
    if (found.length === 0) {
      subjects.push(subject)
      lines.push(line)
    } else {
      told(line, found)
    }
  })
  for (const l of parsed.uncheckedAwarders) {
    told(l.line, [
      ...(l.owner === undefined ? [] : awarderProblem(["owner"], l.owner, kindsOf)),
      ...l.allowed.flatMap((u, i) => awarderProblem(["availability", "allowed", i], u, kindsOf))
    ])
  }
  // stable: a column's own problems keep their order
  problems.sort(byLineAndColumn)
  return { subjects, lines, problems, uncheckedAwarders: [] }
}

const REPLACEMENT = "\uFFFD"

// bytes of the UTF-8 encoding of `text` (a lone surrogate, which UTF-8 cannot hold, as U+FFFD's 3)
const utf8Length = (text: string): number => {
  let bytes = 0
  for (const ch of text) {
    const cp = ch.codePointAt(0)!
    bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4
  }
  return bytes
}

/**
 * The first place a register file's text is not UTF-8, as a problem on its line (no field), or
 * `undefined` when it is all UTF-8. The text comes decoded, and a decoder turns bytes that are not
 * UTF-8 (Latin-1's "é", 0xE9, from a spreadsheet saved as plain "CSV") into U+FFFD, the
 * replacement character: so U+FFFD is what is looked for, and the message gives the byte of the
 * line where it stands (the text before it on the line was UTF-8, so its bytes are counted
 * exactly) and what precedes it. A U+FFFD the file really held is refused too: it is never a
 * character of a title, but the trace of text that was decoded wrongly before.
 *
 * @since 0.1.2
 * @category loading
 */
export const encodingProblem = (text: string): RegisterProblem | undefined => {
  const at = text.indexOf(REPLACEMENT)
  if (at < 0) return undefined
  // lines as the CSV reader counts them: LF, CRLF or a lone CR ends one
  let line = 1
  let start = 0
  for (let i = 0; i < at; i++) {
    const c = text.charCodeAt(i)
    if (c === 0x0a || (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a)) {
      line++
      start = i + 1
    }
  }
  const before = text.slice(start, at)
  const shown = Array.from(before).slice(-20).join("")
  const where = before === "" ? "at the start of the line" : `after ${JSON.stringify(shown)}`
  return {
    line,
    message: `is not UTF-8 text: byte ${utf8Length(before) + 1} of the line, ${where}, starts bytes that are not UTF-8; save the file as "CSV UTF-8" and send it again`
  }
}
