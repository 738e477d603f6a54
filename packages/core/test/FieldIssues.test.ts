import { describe, expect, it } from "@effect/vitest"
import { Either, Option, Schema, SchemaAST as AST } from "effect"
import * as fc from "fast-check"
import { Access, FieldIssues, Fields, QualificationRegister, Uln } from "../src/index.js"

const issuesOf = <A, I>(schema: Schema.Schema<A, I>, input: unknown): Array<FieldIssues.FieldIssue> => {
  const result = Schema.decodeUnknownEither(schema)(input)
  if (Either.isRight(result)) throw new Error(`expected ${JSON.stringify(input)} to be rejected`)
  return FieldIssues.fromParseError(result.left)
}
const said = <A, I>(schema: Schema.Schema<A, I>, input: unknown) =>
  issuesOf(schema, input).map((i) => `${FieldIssues.formatPath(i.path) || "body"}: ${i.message}`)

// as the api's request bodies are: unknown properties refused, every fault reported
const strict = <S extends Schema.Schema.Any>(schema: S): S =>
  schema.annotations({ parseOptions: { onExcessProperty: "error", errors: "all" } }) as S

const Request = strict(Schema.Struct({
  uln: Uln.Uln,
  givenName: Fields.GivenName,
  dateOfBirth: Schema.optional(Fields.DateOfBirth.annotations({ description: "When the learner was born, a sentence nobody should read back." })),
  gender: Fields.Gender,
  email: Schema.optional(Schema.NullOr(Fields.EmailAddress).annotations({ description: "The new e-mail address; null removes it." })),
  roles: Schema.NonEmptyArray(Access.Role).annotations({ description: "The new roles, at least one; they replace the old ones." }),
  username: Fields.StorableText.pipe(Schema.minLength(1), Schema.maxLength(35)).annotations({ description: "User name (1–35 characters)." }),
  count: Schema.optional(Schema.Int.pipe(Schema.between(1, 10)))
}).annotations({ identifier: "Request", description: "The achievement and the learner details its ULN must verify against." }))

const valid = {
  uln: "9276308686",
  givenName: "Priya",
  dateOfBirth: "2007-02-11",
  gender: 2,
  email: null,
  roles: ["OnlineUser"],
  username: "priya",
  count: 3
}

class Nested extends Schema.Class<Nested>("Nested")({
  learner: Schema.Struct({ dateOfBirth: Fields.DateOfBirth, tags: Schema.Array(Schema.Literal("a", "b")) }),
  subject: QualificationRegister.RegisteredSubject
}) {}

// what Effect's own formatters show when a schema has no message: its description, a
// TypeScript-like rendering of its type, the tree's drawing, the absent member of an optional
const UNCLEAR = /Expected |readonly|Brand<|filter|└─|is missing|is unexpected|actual |undefined|absent|\{ /

const descriptions = (ast: AST.AST, seen = new Set<AST.AST>()): Array<string> => {
  if (seen.has(ast)) return []
  seen.add(ast)
  const own = Option.toArray(AST.getDescriptionAnnotation(ast))
  const inner = (() => {
    switch (ast._tag) {
      case "TypeLiteral":
        return ast.propertySignatures.flatMap((p) => [...Option.toArray(AST.getDescriptionAnnotation(p)), ...descriptions(p.type, seen)])
      case "TupleType":
        return [...ast.elements.map((e) => e.type), ...ast.rest.map((r) => r.type)].flatMap((t) => descriptions(t, seen))
      case "Union":
        return ast.types.flatMap((t) => descriptions(t, seen))
      case "Refinement":
        return descriptions(ast.from, seen)
      case "Transformation":
        return [...descriptions(ast.from, seen), ...descriptions(ast.to, seen)]
      case "Suspend":
        return descriptions(ast.f(), seen)
      default:
        return []
    }
  })()
  // Effect's own filters describe themselves in words ("a string at least 1 character(s) long"): only the project's sentences count
  return [...own, ...inner].filter((d) => d.length > 12 && !d.startsWith("a ") && !d.startsWith("an "))
}

const at = (input: unknown, path: ReadonlyArray<PropertyKey>): { readonly found: boolean; readonly value?: unknown } => {
  let value = input
  for (const key of path) {
    if (typeof value !== "object" || value === null || !Object.prototype.hasOwnProperty.call(value, key)) return { found: false }
    value = (value as Record<PropertyKey, unknown>)[key]
  }
  return { found: true, value }
}

describe("FieldIssues", () => {
  it("a body that is not an object is refused whole", () => {
    for (const body of [[], "x", null, 42, true]) expect(said(Request, body)).toEqual(["body: must be a JSON object"])
  })

  it("names a missing field, an unknown one and a wrong one, each once", () => {
    const { givenName: _, ...noName } = valid
    expect(issuesOf(Request, noName)).toEqual([{ path: ["givenName"], kind: "Missing", message: "is required" }])
    expect(issuesOf(Request, { ...valid, role: "LrsAdmin" })).toEqual([{ path: ["role"], kind: "Unexpected", message: "is not allowed" }])
    expect(said(Request, { ...valid, givenName: 7, zz: 1 })).toEqual(["zz: is not allowed", "givenName: must be a string"])
  })

  it("an optional field reports its own rule, never the absent member's", () => {
    expect(said(Request, { ...valid, dateOfBirth: "2020-13-01" })).toEqual(["dateOfBirth: there is no month 13"])
    expect(said(Request, { ...valid, dateOfBirth: 20200101 })).toEqual(["dateOfBirth: must be a date written YYYY-MM-DD"])
    expect(said(Request, { ...valid, count: 11 })).toEqual(["count: must be a number at least 1 and at most 10"])
    expect(said(Request, { ...valid, count: 1.5 })).toEqual(["count: must be a whole number"])
  })

  it("a nullable field says what it takes, or its rule when the value is of the kind", () => {
    expect(said(Request, { ...valid, email: 5 })).toEqual(["email: must be an e-mail address or null"])
    expect(said(Request, { ...valid, email: "nobody" })).toEqual([`email: not an e-mail address: expected name@domain.tld; got "nobody"`])
  })

  it("a list says how long it must be and what of; an item names its index", () => {
    for (const roles of ["x", [], null, {}]) expect(said(Request, { ...valid, roles })).toEqual(["roles: must be a list of at least one role"])
    expect(said(Request, { ...valid, roles: ["OnlineUser", "Boss"] })).toEqual([
      `roles[1]: must be one of "SuperUser", "OnlineUser", "BatchUser", "ViewLearnerOnly", "AwardingBodyUser", "LearnerPlanUser" or "LrsAdmin"`
    ])
  })

  it("uses the schema's own message, else the rule of Effect's filter in words", () => {
    expect(said(Request, { ...valid, gender: 3 })).toEqual(["gender: gender must be 0 (not known), 1 (male), 2 (female) or 9 (not specified)"])
    expect(said(Request, { ...valid, uln: "123" })[0]).toMatch(/^uln: a ULN is exactly 10 digits/)
    expect(said(Request, { ...valid, uln: 123 })).toEqual(["uln: must be a string (ULN)"])
    expect(said(Request, { ...valid, username: "" })).toEqual(["username: must not be empty"])
    expect(said(Request, { ...valid, username: "x".repeat(36) })).toEqual(["username: must be at most 35 characters"])
    expect(said(Request, { ...valid, givenName: " " })).toEqual(["givenName: must not be blank"])
  })

  it("paths reach into nested objects, classes and tagged unions", () => {
    const subject = { subjectCode: "600/2345/4", title: "T", level: "L", qualificationType: "Q", owner: "10009999", availability: { _tag: "Shared" } }
    const nested = { learner: { dateOfBirth: "2001-02-29", tags: ["a", "c"] }, subject: { ...subject, availability: { _tag: "Open" } } }
    expect(said(Nested, nested)).toEqual(["learner.dateOfBirth: 2001-02-29 is not a calendar date (02/2001 has 28 days)"])
    expect(said(strict(Nested), nested)).toEqual([
      "learner.dateOfBirth: 2001-02-29 is not a calendar date (02/2001 has 28 days)",
      `learner.tags[1]: must be one of "a" or "b"`,
      `subject.availability._tag: must be one of "Private", "Shared" or "Restricted"`
    ])
    expect(said(Nested, { learner: { dateOfBirth: "2001-02-28", tags: [] }, subject: { ...subject, availability: { _tag: "Restricted", allowed: ["1"] } } }))
      .toEqual([`subject.availability.allowed[0]: a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1"`])
    expect(said(Nested, { learner: { dateOfBirth: "2001-02-28", tags: [] }, subject: { ...subject, availability: [] } })).toEqual(["subject.availability: must be a JSON object"])
    expect(said(Nested, { learner: { dateOfBirth: "2001-02-28", tags: [] }, subject: { ...subject, availability: {} } })).toEqual(["subject.availability._tag: is required"])
  })

  const subject = { subjectCode: "600/2345/4", title: "T", level: "L", qualificationType: "Q", owner: "10009999", availability: { _tag: "Restricted", allowed: ["10000001"] }, operationalStartDate: "2015-09-01" }
  // each schema with a body it takes
  const cases = [
    [Request, valid],
    [strict(Nested), { learner: { dateOfBirth: "2001-02-28", tags: ["a"] }, subject }],
    [QualificationRegister.RegisteredSubject, subject]
  ] as const
  const pathsOf = (value: unknown, at: ReadonlyArray<PropertyKey> = []): Array<ReadonlyArray<PropertyKey>> =>
    typeof value === "object" && value !== null
      ? [at, ...Object.entries(value).flatMap(([k, v]) => pathsOf(v, [...at, Array.isArray(value) ? Number(k) : k]))]
      : [at]
  const replaced = (value: unknown, path: ReadonlyArray<PropertyKey>, by: unknown): unknown => {
    const [head, ...rest] = path
    if (head === undefined) return by
    const drop = rest.length === 0 && by === undefined
    if (Array.isArray(value)) {
      const copy: Array<unknown> = [...value]
      if (drop) copy.splice(Number(head), 1)
      else copy[Number(head)] = replaced(copy[Number(head)], rest, by)
      return copy
    }
    const copy: Record<PropertyKey, unknown> = { ...(value as object) }
    if (drop) delete copy[head]
    else copy[head] = replaced(copy[head], rest, by)
    return copy
  }
  // a body one field of which, at any depth, is replaced by any JSON, dropped, or given a sibling it
  // should not have; or any JSON at all
  const inputs = fc.oneof(
    fc.constantFrom(...cases).chain(([schema, body]) =>
      fc.tuple(fc.constantFrom(...pathsOf(body)), fc.option(fc.jsonValue({ maxDepth: 3 }), { nil: undefined }), fc.boolean()).map(([path, value, extra]) => {
        const changed = extra && typeof path.at(-1) === "string" ? replaced(body, [...path.slice(0, -1), "zz"], value ?? 1) : replaced(body, path, value)
        return [schema, changed] as const
      })
    ),
    fc.tuple(fc.constantFrom(...cases.map(([schema]) => schema)), fc.jsonValue({ maxDepth: 4 }))
  )

  it("property: every fault names a field the input has (or lacks, when required) and says its rule without the schema's text", () => {
    fc.assert(
      fc.property(inputs, ([schema, input]) => {
        const result = Schema.decodeUnknownEither(schema as Schema.Schema<unknown>)(input)
        if (Either.isRight(result)) return
        const issues = FieldIssues.fromParseError(result.left)
        expect(issues.length).toBeGreaterThan(0)
        // one rule per field: a union's members that did not apply say nothing
        const fields = issues.map((i) => FieldIssues.formatPath(i.path))
        expect(new Set(fields).size).toBe(fields.length)
        const sentences = descriptions(schema.ast)
        for (const issue of issues) {
          expect(issue.message).not.toMatch(UNCLEAR)
          for (const sentence of sentences) expect(issue.message).not.toContain(sentence)
          const where = at(input, issue.path)
          if (issue.kind === "Missing") {
            // a property an object lacks (a list that is too short is said of the list)
            const parent = at(input, issue.path.slice(0, -1))
            expect(where.found).toBe(false)
            expect(parent.found && typeof parent.value === "object" && parent.value !== null && !Array.isArray(parent.value)).toBe(true)
          } else {
            expect(where.found).toBe(true)
          }
          if (issue.kind === "Unexpected" && schema === Request && issue.path.length === 1) expect(Object.keys(valid)).not.toContain(issue.path[0])
        }
      }),
      { numRuns: 500 }
    )
  })
})
