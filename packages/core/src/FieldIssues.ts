/**
 * What a failed decoding says, field by field, in plain words: each issue names where it is (a
 * path) and the rule broken ("is required", "is not allowed", "must be a JSON object", "must be a
 * list of at least one role", or the message the schema gives), never a schema's description or
 * a TypeScript-like rendering of its type — which is what Effect's own formatters fall back on.
 *
 * @since 0.1.2
 */
import { Effect, Option, ParseResult, SchemaAST as AST } from "effect"

/**
 * One field's fault: `Missing` a required property, `Unexpected` a property the schema does not
 * have, `Invalid` any other.
 *
 * @since 0.1.2
 * @category models
 */
export interface FieldIssue {
  readonly path: ReadonlyArray<PropertyKey>
  readonly kind: "Missing" | "Unexpected" | "Invalid"
  readonly message: string
}

/**
 * A path as a field name: `learner.dateOfBirth`, `roles[0]`; `""` for the whole value.
 *
 * @since 0.1.2
 * @category formatting
 */
export const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.reduce<string>((acc, key) => typeof key === "number" ? `${acc}[${key}]` : acc === "" ? String(key) : `${acc}.${String(key)}`, "")

/**
 * The faults of a decoding failure, one per field and rule, in the order found.
 *
 * @since 0.1.2
 * @category formatting
 */
export const fromParseError = (error: ParseResult.ParseError): Array<FieldIssue> => fromIssue(error.issue)

/**
 * The faults of a parse issue, one per field and rule, in the order found.
 *
 * @since 0.1.2
 * @category formatting
 */
export const fromIssue = (issue: ParseResult.ParseIssue): Array<FieldIssue> => {
  const found: Array<FieldIssue> = []
  const seen = new Set<string>()
  for (const one of walk(issue, [])) {
    const key = `${formatPath(one.path)}\u0000${one.message}`
    if (!seen.has(key)) {
      seen.add(key)
      found.push(one)
    }
  }
  return found
}

const invalid = (path: ReadonlyArray<PropertyKey>, message: string): Array<FieldIssue> => [{ path, kind: "Invalid", message }]

const walk = (issue: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>): Array<FieldIssue> => {
  const message = annotatedMessage(issue)
  if (message !== undefined) return invalid(path, message)
  switch (issue._tag) {
    case "Pointer":
      return walk(issue.issue, [...path, ...(Array.isArray(issue.path) ? issue.path : [issue.path])])
    case "Missing":
      return [{ path, kind: "Missing", message: missingMessage(issue) }]
    case "Unexpected":
      return [{ path, kind: "Unexpected", message: "is not allowed" }]
    case "Forbidden":
      return invalid(path, "could not be checked")
    case "Type":
      return invalid(path, typeMessage(issue))
    case "Refinement":
      // the predicate failed: the filter's own message, else the rule it stands for
      if (issue.kind === "Predicate") return failed(issue.ast, issue.issue, path)
      // not even the kind of value filtered: say what the whole schema takes (a date, not a string)
      return isWrongKind(issue.issue) ? invalid(path, `must be ${describe(issue.ast)}`) : walk(issue.issue, path)
    case "Transformation":
      // the decoding itself failed (not the encoded or the decoded side): as a predicate
      if (issue.kind === "Transformation") return failed(issue.ast, issue.issue, path)
      return issue.kind === "Encoded" && isWrongKind(issue.issue) ? invalid(path, `must be ${describe(issue.ast)}`) : walk(issue.issue, path)
    case "Composite":
      return composite(issue, path)
  }
}

// a filter or a decoding that failed: its message, else the rule it stands for; a filter may also
// point at a field of its own (`{ path, message }`), which is walked
const failed = (ast: AST.AST, inner: ParseResult.ParseIssue, path: ReadonlyArray<PropertyKey>): Array<FieldIssue> =>
  inner._tag === "Type" ? invalid(path, inner.message ?? annotatedMessage(inner) ?? ruleOf(ast)) : walk(inner, path)

const composite = (issue: ParseResult.Composite, path: ReadonlyArray<PropertyKey>): Array<FieldIssue> => {
  const issues = Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]
  if (AST.isUnion(issue.ast)) return union(issue.ast, issues, path)
  if (AST.isTupleType(issue.ast)) {
    // a missing element means the list is too short: say so of the list, not of an index past its end
    const short = issues.some((i) => i._tag === "Pointer" && i.issue._tag === "Missing")
    const rest = issues.filter((i) => !(i._tag === "Pointer" && i.issue._tag === "Missing"))
    return [...(short ? invalid(path, `must be ${describe(issue.ast)}`) : []), ...rest.flatMap((i) => walk(i, path))]
  }
  return issues.flatMap((i) => walk(i, path))
}

// A union reports one issue per member it tried. A member the value was not even the kind of
// (`undefined` for an optional property, `null` beside a text) says nothing: when some member
// got further, only those speak; when none did, the field must be one of the members.
const union = (ast: AST.Union, issues: ReadonlyArray<ParseResult.ParseIssue>, path: ReadonlyArray<PropertyKey>): Array<FieldIssue> => {
  const deep = issues.filter((i) => !isWrongKind(i))
  if (deep.length > 0) return deep.flatMap((i) => walk(i, path))
  return invalid(path, `must be ${describe(ast)}`)
}

const isWrongKind = (issue: ParseResult.ParseIssue): boolean => {
  if (annotatedMessage(issue) !== undefined) return false
  switch (issue._tag) {
    case "Type":
      return issue.message === undefined && !AST.isRefinement(issue.ast)
    case "Refinement":
      return issue.kind === "From" && isWrongKind(issue.issue)
    case "Transformation":
      return issue.kind === "Encoded" && isWrongKind(issue.issue)
    case "Composite":
      // Effect looks for a tagged member's tag in an array as in an object: an array is simply not one
      return !accepts(issue.ast, issue.actual) ||
        AST.isUnion(issue.ast) && (Array.isArray(issue.issues) ? issue.issues : [issue.issues as ParseResult.ParseIssue]).every(isWrongKind)
    default:
      return false
  }
}

// the schema's `message` annotation, with Effect's rule for when an inner message wins
const annotatedMessage = (issue: ParseResult.ParseIssue): string | undefined => {
  if (!("ast" in issue)) return undefined
  const annotation = AST.getMessageAnnotation(issue.ast)
  if (Option.isNone(annotation)) return undefined
  const given = annotation.value(issue)
  const current = typeof given === "string" || Effect.isEffect(given) ? { message: given, override: false } : given
  const useInner = !current.override && (
    issue._tag === "Composite" ||
    (issue._tag === "Refinement" && issue.kind === "From") ||
    (issue._tag === "Transformation" && issue.kind !== "Transformation")
  )
  if (useInner) return issue._tag === "Refinement" || issue._tag === "Transformation" ? annotatedMessage(issue.issue) : undefined
  if (typeof current.message === "string") return current.message
  // an effectful message (none in this project) is run if it can be at once
  const run = Effect.runSyncExit(current.message)
  return run._tag === "Success" ? run.value : undefined
}

const missingMessage = (issue: ParseResult.Missing): string => {
  const annotation = AST.getMissingMessageAnnotation(issue.ast)
  if (Option.isSome(annotation)) {
    const given = annotation.value()
    if (typeof given === "string") return given
    const run = Effect.runSyncExit(given)
    if (run._tag === "Success") return run.value
  }
  return issue.message ?? "is required"
}

const typeMessage = (issue: ParseResult.Type): string => {
  if (issue.message !== undefined) return issue.message
  if (AST.isRefinement(issue.ast)) return ruleOf(issue.ast)
  return `must be ${describe(issue.ast)}`
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`

/** The rule of a refinement that failed without a message: Effect's filters by their JSON Schema, others by name. */
const ruleOf = (ast: AST.AST): string => {
  const schema = Option.getOrUndefined(AST.getJSONSchemaAnnotation(ast)) as Record<string, unknown> | undefined
  const num = (key: string) => typeof schema?.[key] === "number" ? schema[key] : undefined
  const minLength = num("minLength"), maxLength = num("maxLength")
  if (minLength !== undefined && maxLength !== undefined) {
    return minLength === maxLength ? `must be exactly ${plural(minLength, "character")}` : `must be ${minLength} to ${plural(maxLength, "character")}`
  }
  if (minLength !== undefined) return minLength === 1 ? "must not be empty" : `must be at least ${plural(minLength, "character")}`
  if (maxLength !== undefined) return `must be at most ${plural(maxLength, "character")}`
  const minItems = num("minItems"), maxItems = num("maxItems")
  if (minItems !== undefined && maxItems !== undefined) return `must have ${minItems} to ${plural(maxItems, "item")}`
  if (minItems !== undefined) return `must have at least ${plural(minItems, "item")}`
  if (maxItems !== undefined) return `must have at most ${plural(maxItems, "item")}`
  const bounds = [
    num("minimum") !== undefined ? `at least ${num("minimum")}` : undefined,
    num("exclusiveMinimum") !== undefined ? `greater than ${num("exclusiveMinimum")}` : undefined,
    num("maximum") !== undefined ? `at most ${num("maximum")}` : undefined,
    num("exclusiveMaximum") !== undefined ? `less than ${num("exclusiveMaximum")}` : undefined
  ].filter((b) => b !== undefined)
  const integer = schema?.type === "integer"
  if (bounds.length > 0) return `must be ${integer ? "a whole number" : "a number"} ${bounds.join(" and ")}`
  if (integer) return "must be a whole number"
  if (typeof schema?.pattern === "string") return `must match the pattern ${schema.pattern}`
  const name = nameOf(ast)
  return name === undefined ? "is not valid" : `is not a valid ${name}`
}

// the project's name for a schema: its title, else its identifier; never a description (a
// sentence about the field) and never Effect's own titles, which read as code (`minLength(1)`)
const nameOf = (ast: AST.AST): string | undefined => {
  if (Option.isSome(AST.getSchemaIdAnnotation(ast))) return undefined
  return Option.getOrUndefined(Option.orElse(AST.getTitleAnnotation(ast), () => AST.getIdentifierAnnotation(ast)))
}

/** The noun of one item: a role, a UKPRN; none when the schema has no name. */
const nounOf = (ast: AST.AST): string | undefined => {
  const name = Option.getOrUndefined(Option.orElse(AST.getTitleAnnotation(ast), () => AST.getIdentifierAnnotation(ast)))
  if (name === undefined || Option.isSome(AST.getSchemaIdAnnotation(ast))) return undefined
  // `Role` → "role", `OrganisationKind` → "organisation kind"; acronyms (`UKPRN`) as they are
  return /^[A-Z0-9]+$/.test(name) ? name : name.replace(/([a-z0-9])([A-Z])/g, "$1 $2").toLowerCase()
}

const formatLiteral = (literal: AST.LiteralValue): string =>
  typeof literal === "bigint" ? `${literal}` : JSON.stringify(literal)

const oneOf = (items: ReadonlyArray<string>): string =>
  items.length === 1 ? items[0]! : `${items.slice(0, -1).join(", ")} or ${items.at(-1)}`

const literalsOf = (ast: AST.AST): ReadonlyArray<AST.LiteralValue> | undefined => {
  if (AST.isLiteral(ast)) return [ast.literal]
  if (AST.isUnion(ast)) {
    const all: Array<AST.LiteralValue> = []
    for (const member of ast.types) {
      if (AST.isUndefinedKeyword(member)) continue
      const inner = literalsOf(member)
      if (inner === undefined) return undefined
      all.push(...inner)
    }
    return all
  }
  if (AST.isEnums(ast)) return ast.enums.map(([, value]) => value)
  return undefined
}

/** The schema a value is sent as, without its filters and transformations. */
const encoded = (ast: AST.AST): AST.AST => AST.isRefinement(ast) || AST.isTransformation(ast) ? encoded(ast.from) : ast

/** Whether the schema takes values of the JSON kind of `actual` at all (not whether it takes `actual`). */
const accepts = (ast: AST.AST, actual: unknown): boolean => {
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return typeof actual === "string"
    case "NumberKeyword":
      return typeof actual === "number"
    case "BooleanKeyword":
      return typeof actual === "boolean"
    case "Literal":
      return ast.literal === null ? actual === null : typeof actual === typeof ast.literal
    case "UndefinedKeyword":
    case "VoidKeyword":
      return actual === undefined
    case "TypeLiteral":
      return typeof actual === "object" && actual !== null && !Array.isArray(actual)
    case "TupleType":
      return Array.isArray(actual)
    case "Union":
      return ast.types.some((t) => accepts(t, actual))
    case "Refinement":
    case "Transformation":
      return accepts(ast.from, actual)
    case "Suspend":
      return accepts(ast.f(), actual)
    case "Enums":
      return ast.enums.some(([, value]) => typeof value === typeof actual)
    default:
      return true
  }
}

// what the string of a refinement or a transformation is, from its JSON Schema format or its title
const FORMATS: Readonly<Record<string, string>> = {
  "date": "a date written YYYY-MM-DD",
  "date-time": "a date and time (ISO 8601)",
  "email": "an e-mail address"
}

/** What a value of the schema is, as a noun phrase: "a JSON object", "one of 0, 1 or 2". */
const describe = (ast: AST.AST): string => {
  const literals = literalsOf(ast)
  if (literals !== undefined) return literals.length === 1 ? formatLiteral(literals[0]!) : `one of ${oneOf(literals.map(formatLiteral))}`
  switch (ast._tag) {
    case "StringKeyword":
    case "TemplateLiteral":
      return "a string"
    case "NumberKeyword":
      return "a number"
    case "BooleanKeyword":
      return "true or false"
    case "BigIntKeyword":
      return "a whole number"
    case "TypeLiteral":
    case "ObjectKeyword":
      return "a JSON object"
    case "TupleType": {
      const required = ast.elements.filter((e) => !e.isOptional).length
      const item = ast.rest[0]?.type ?? ast.elements[0]?.type
      if (required === 0 || item === undefined) return "a list"
      const atLeast = ast.rest.length > 0 ? "at least " : ""
      const noun = nounOf(item)
      if (noun !== undefined) return `a list of ${atLeast}${required === 1 ? `one ${noun}` : plural(required, noun)}`
      // items without a name but from a short list: name the list
      const literals = literalsOf(item)
      const count = required === 1 ? "one" : `${required}`
      return literals === undefined
        ? `a list of ${atLeast}${count} item${required === 1 ? "" : "s"}`
        : `a list of ${atLeast}${count} of ${oneOf(literals.map(formatLiteral))}`
    }
    case "Union": {
      const members = ast.types.filter((t) => !AST.isUndefinedKeyword(t)).map(describe)
      return oneOf([...new Set(members)])
    }
    case "Refinement":
    case "Transformation": {
      // only the schema as the field has it speaks: the filters it is built of name their rules
      const schema = Option.getOrUndefined(AST.getJSONSchemaAnnotation(ast)) as Record<string, unknown> | undefined
      const format = typeof schema?.format === "string" ? FORMATS[schema.format] : undefined
      if (format !== undefined) return format
      const title = Option.isNone(AST.getSchemaIdAnnotation(ast)) ? Option.getOrUndefined(AST.getTitleAnnotation(ast)) : undefined
      const base = describe(encoded(ast))
      return title === undefined ? base : `${base} (${title})`
    }
    case "Suspend":
      return describe(ast.f())
    case "Declaration":
      return Option.match(Option.orElse(AST.getTitleAnnotation(ast), () => AST.getIdentifierAnnotation(ast)), {
        onNone: () => "a valid value",
        onSome: (name) => `a valid ${name}`
      })
    case "UndefinedKeyword":
    case "VoidKeyword":
    case "NeverKeyword":
      return "absent"
    default:
      return "a value"
  }
}
