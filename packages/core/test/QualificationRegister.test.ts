import { describe, expect, it } from "@effect/vitest"
import { Either, Schema } from "effect"
import * as fc from "fast-check"
import { type Access, Csv, FieldIssues, QualificationRegister } from "../src/index.js"

type Kinds = ReadonlyArray<Access.OrganisationKind>

const subject = (owner: string, availability: typeof QualificationRegister.SubjectAvailability.Encoded = { _tag: "Private" }) =>
  Schema.decodeUnknownSync(QualificationRegister.RegisteredSubject)({
    subjectCode: "601/2977/3",
    title: "GCSE Maths",
    level: "Level 2",
    qualificationType: "GCSE (9 to 1)",
    owner,
    availability
  })

// 10000001 an LRB, 10000002 an AO, 10000003 both, 10000004 the LRS; no other UKPRN is an organisation
const organisations: ReadonlyMap<string, Kinds> = new Map<string, Kinds>([
  ["10000001", ["LRB"]],
  ["10000002", ["AO"]],
  ["10000003", ["LRB", "AO"]],
  ["10000004", ["LRS"]]
])
const kindsOf = (ukprn: string) => organisations.get(ukprn)

const HEADING = QualificationRegister.CSV_COLUMNS.join(",")

describe("QualificationRegister.awarderProblems", () => {
  it("names an owner and each allowed UKPRN that is no organisation, or no awarding organisation, and says which", () => {
    expect(QualificationRegister.awarderProblems(subject("10000002"), kindsOf)).toEqual([])
    expect(QualificationRegister.awarderProblems(subject("10000003", { _tag: "Restricted", allowed: ["10000002", "10000003"] }), kindsOf)).toEqual([])
    expect(QualificationRegister.awarderProblems(subject("10009999"), kindsOf)).toEqual([
      { path: ["owner"], ukprn: "10009999", reason: "NotRegistered", message: "UKPRN 10009999 is not a registered organisation" }
    ])
    expect(QualificationRegister.awarderProblems(subject("10000001", { _tag: "Shared" }), kindsOf)).toEqual([
      { path: ["owner"], ukprn: "10000001", reason: "NotAwardingOrganisation", message: "UKPRN 10000001 is not an awarding organisation (its organisation is an LRB only)" }
    ])
    const restricted = subject("10000002", { _tag: "Restricted", allowed: ["10000003", "10000001", "10000004", "10008888"] })
    expect(QualificationRegister.awarderProblems(restricted, kindsOf).map((p) => [p.path, p.reason, p.message])).toEqual([
      [["availability", "allowed", 1], "NotAwardingOrganisation", "UKPRN 10000001 is not an awarding organisation (its organisation is an LRB only)"],
      [["availability", "allowed", 2], "NotAwardingOrganisation", "UKPRN 10000004 is not an awarding organisation (it is the LRS organisation)"],
      [["availability", "allowed", 3], "NotRegistered", "UKPRN 10008888 is not a registered organisation"]
    ])
  })

  it("is empty exactly when every UKPRN the subject names is an AO's", () => {
    const ukprn = fc.constantFrom("10000001", "10000002", "10000003", "10000004", "10009999")
    fc.assert(fc.property(ukprn, fc.option(fc.array(ukprn, { maxLength: 6 }), { nil: undefined }), (owner, allowed) => {
      const s = subject(owner, allowed === undefined ? { _tag: "Shared" } : { _tag: "Restricted", allowed })
      const named = QualificationRegister.namedUkprns([s])
      const problems = QualificationRegister.awarderProblems(s, kindsOf)
      expect(problems.length === 0).toBe(named.every((u) => organisations.get(u)?.includes("AO") === true))
      // one problem for each place a bad UKPRN stands, and only those
      expect(problems.map((p) => p.ukprn)).toEqual([owner, ...(allowed ?? [])].filter((u) => organisations.get(u)?.includes("AO") !== true))
      expect(new Set(named)).toEqual(new Set([owner, ...(allowed ?? [])]))
    }))
  })
})

describe("QualificationRegister.kindsChangeProblem", () => {
  it("keeps an organisation the register names an AO, naming the first subjects and how many", () => {
    const named = { total: 7, first: ["600/0001/1", "600/0002/X", "600/0003/8", "600/0004/6", "K/501/5773"] }
    expect(QualificationRegister.kindsChangeProblem(named, ["AO"])).toBeUndefined()
    expect(QualificationRegister.kindsChangeProblem(named, ["LRB", "AO"])).toBeUndefined()
    expect(QualificationRegister.kindsChangeProblem({ total: 0, first: [] }, ["LRB"])).toBeUndefined()
    expect(QualificationRegister.kindsChangeProblem(named, ["LRB"])).toBe(
      "the qualification register names the organisation as owner or allowed on 7 subjects (600/0001/1, 600/0002/X, 600/0003/8, 600/0004/6, K/501/5773 and 2 more): it stays an awarding organisation (AO) until they are given another owner or availability"
    )
    expect(QualificationRegister.describeNamed({ total: 1, first: ["600/0001/1"] })).toBe("1 subject (600/0001/1)")
  })
})

describe("QualificationRegister.parseCsv: fields", () => {
  const tooMany = (n: number) => `the line has ${n} fields; a register line has 8 (${HEADING}): put a value that holds a comma in double quotes`
  const tooFew = (n: string) => `the line has ${n}; a register line has 8 (${HEADING}): write every column, an empty value as nothing between its commas`

  it("a line with more or fewer fields than the columns is one problem on that line saying how many it has and needs", () => {
    const text = [
      HEADING,
      "601/2977/3,GCSE Maths,Level 2,GCSE,10000002,Shared,,",
      // an unquoted comma in the title shifts every column after it
      "600/1166/X,Maths, Level 3,Level 3,GCE A Level,10000002,Private,,",
      "600/1166/8,Trailing,Level 3,GCE,10000002,Private,,,",
      // fewer: a value left out shifts the columns after it just the same, so none is checked
      "K/501/5773,Unit,Level 1,QCF unit,10000002,Shared",
      "x",
      "nonsense,,Level 1,QCF unit,1,Shared,",
      "K/501/5774,Unit,Level 1,QCF unit,10000002,Shared,,"
    ].join("\n")
    const { lines, problems, subjects } = QualificationRegister.parseCsv(text)
    expect(subjects.map((s) => s.subjectCode)).toEqual(["601/2977/3", "K/501/5774"])
    expect(lines).toEqual([2, 8])
    expect(problems).toEqual([
      { line: 3, message: tooMany(9) },
      { line: 4, message: tooMany(9) },
      { line: 5, message: tooFew("6 fields") },
      { line: 6, message: tooFew("1 field") },
      { line: 7, message: tooFew("7 fields") }
    ])
  })

  it("any number of fields short of the columns, empty or not, is one problem", () => {
    const value = fc.string({ maxLength: 5 }).map((s) => s.replace(/[",\r\n]/g, ""))
    fc.assert(fc.property(fc.array(value, { minLength: 1, maxLength: 7 }), (fields) => {
      fc.pre(fields.some((f) => f.trim() !== ""))
      const { problems, subjects } = QualificationRegister.parseCsv(`${HEADING}\n${fields.join(",")}`)
      expect(subjects).toEqual([])
      expect(problems).toEqual([{ line: 2, message: tooFew(`${fields.length} field${fields.length === 1 ? "" : "s"}`) }])
    }))
  })

  it("any number of extra fields, empty or not, is refused; a quoted comma is no extra field", () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 5 }).map((s) => s.replace(/[",\r\n]/g, "")), { minLength: 1, maxLength: 20 }), (extra) => {
      const line = `601/2977/3,"Maths, Level 2",Level 2,GCSE,10000002,Shared,,,${extra.join(",")}`
      const { problems, subjects } = QualificationRegister.parseCsv(`${HEADING}\n${line}`)
      expect(subjects).toEqual([])
      expect(problems).toEqual([{ line: 2, message: expect.stringMatching(new RegExp(`^the line has ${8 + extra.length} fields; a register line has 8 `)) }])
    }))
  })
})

describe("QualificationRegister.parseCsv: quoting", () => {
  const rule = "a value that holds a comma or a quote goes in double quotes, with each quote inside doubled, as in \"12\"\" ruler, boxed\""

  it("a stray quote, text after a closing quote or a quote never closed is a problem on its line and column, in plain words", () => {
    const text = [
      HEADING,
      "601/2977/3,Good,Level 2,GCSE,10000002,Shared,,",
      "600/1166/X,12\" ruler,Level 3,GCE,10000002,Private,,",
      "600/1166/8,\"Maths\" advanced,Level 3,GCE,10000002,Private,,",
      "K/501/5773,Unit,Level 1,QCF unit,10000002,Shared,,",
      // the quote opens on line 7, in the line that starts on 6, and holds the rest of the file,
      // bad lines and all: told once
      "K/501/5774,\"Two\nlines\",Level 1,\"QCF unit,10000002,Shared,,",
      "K/501/5775,Swallowed,Level 1,QCF unit,10000002,Open,,",
      "nonsense,Swallowed,Level 1,QCF unit,10000002,Shared,,"
    ].join("\r\n")
    const { lines, problems, subjects } = QualificationRegister.parseCsv(text)
    expect(subjects.map((s) => s.subjectCode)).toEqual(["601/2977/3", "K/501/5773"])
    expect(lines).toEqual([2, 5])
    expect(problems).toEqual([
      { line: 3, field: "Title", message: `Title has a quote inside a value that does not start with one: ${rule}` },
      { line: 4, field: "Title", message: `Title has text after the quote that closes its value: ${rule}` },
      {
        line: 6,
        field: "QualificationType",
        message: `the quoted value in QualificationType that starts on line 7 is never closed, so the rest of the file cannot be read: end it with a quote; ${rule}`
      }
    ])
  })

  it("a quote never closed that holds only blanks is no blank line; one on the heading line is told, not a wrong heading", () => {
    expect(QualificationRegister.parseCsv(`${HEADING}\n601/2977/3,Good,Level 2,GCSE,10000002,Shared,,\n"\n\n`).problems).toEqual([
      { line: 3, field: "SubjectCode", message: expect.stringMatching(/^the quoted value in SubjectCode that starts on line 3 is never closed/) }
    ])
    expect(QualificationRegister.parseCsv(`"${HEADING}\n601/2977/3,Good,Level 2,GCSE,10000002,Shared,,`).problems).toEqual([
      { line: 1, message: expect.stringMatching(/^the quoted value in field 1 that starts on line 1 is never closed/) }
    ])
    // a stray quote past the eighth column: the line, without a column
    expect(QualificationRegister.parseCsv(`${HEADING}\n601/2977/3,Good,Level 2,GCSE,10000002,Shared,,,x"`).problems).toEqual([
      { line: 2, field: undefined, message: `field 9 has a quote inside a value that does not start with one: ${rule}` }
    ])
  })

  it("says what batch files say of the same quoting", () => {
    const problem = { kind: "QuoteInUnquotedField", field: 1, line: 3 } as const
    expect(Csv.describeProblem(problem, "Title")).toBe(`Title has a quote inside a value that does not start with one: ${Csv.QUOTING_RULE}`)
    expect(Csv.QUOTING_RULE).toBe(rule)
  })

  // a register line as values, and as the subject it should load as
  interface Line {
    readonly code: string
    readonly title: string
    readonly level: string
    readonly type: string
    readonly owner: string
    readonly availability: "Private" | "Shared" | "Restricted"
    readonly allowed: ReadonlyArray<string>
    readonly start: string | undefined
  }
  const fieldsOf = (l: Line): Array<string> => [l.code, l.title, l.level, l.type, l.owner, l.availability, l.allowed.join(";"), l.start ?? ""]
  const subjectOf = (l: Line) => ({
    subjectCode: l.code,
    title: l.title,
    level: l.level,
    qualificationType: l.type,
    owner: l.owner,
    availability: l.availability === "Restricted" ? { _tag: l.availability, allowed: l.allowed } : { _tag: l.availability },
    ...(l.start === undefined ? {} : { operationalStartDate: l.start })
  })
  const text = (unit: fc.Arbitrary<string>) => fc.string({ unit, maxLength: 12 }).filter((s) => s === s.trim() && s !== "")
  // values with everything that needs quoting: commas, quotes, line breaks, inner spaces
  const rich = fc.constantFrom("a", "B", "1", " ", ",", "\"", "é", "😀", "\n", "\r\n", "\r", "'")
  // values written as they are
  const plain = fc.constantFrom("a", "B", "1", " ", "é", "-", "'")
  const lineOf = (unit: fc.Arbitrary<string>) =>
    fc.record({
      title: text(unit),
      level: text(unit),
      type: text(unit),
      owner: fc.constantFrom("10000002", "10012345"),
      availability: fc.constantFrom("Private" as const, "Shared" as const, "Restricted" as const),
      // a Restricted subject's list: one or more, each once, never the owner
      allowed: fc.uniqueArray(fc.constantFrom("10000003", "10099999", "10000004"), { minLength: 1, maxLength: 3 }),
      start: fc.option(fc.constantFrom("2016-09-01", "2020-02-29"), { nil: undefined })
    }).map((l): Omit<Line, "code"> => ({ ...l, allowed: l.availability === "Restricted" ? l.allowed : [] }))
  // a line break in a title, level or type is refused: the line's problems, none when it loads
  const textColumns = [["title", "Title"], ["level", "Level"], ["type", "QualificationType"]] as const
  const faultsOf = (l: Line, line: number) =>
    textColumns.flatMap(([key, field]) =>
      /[\r\n]/.test(l[key]) ? [{ line, field, message: expect.stringMatching(/^must not contain control characters .* \((line feed|carriage return)\)$/) }] : []
    )
  const loads = (l: Line) => faultsOf(l, 0).length === 0
  // unique unit references, in order
  const coded = (ls: ReadonlyArray<Omit<Line, "code">>, from = 0): Array<Line> => ls.map((l, i) => ({ ...l, code: `K/501/${String(1000 + from + i)}` }))
  const ending = fc.constantFrom("\n", "\r\n", "\r")
  // the file, and the line each register line starts on
  const file = (written: ReadonlyArray<string>, end: string) => {
    let body = HEADING
    const starts: Array<number> = []
    for (const w of written) {
      body += end
      starts.push(1 + (body.match(/\r\n|\r|\n/g)?.length ?? 0))
      body += w
    }
    return { body, starts }
  }

  it("any register written with correct quoting reads back as the same subjects, with no problem", () => {
    fc.assert(fc.property(fc.array(lineOf(rich), { minLength: 1, maxLength: 6 }), ending, fc.boolean(), (ls, end, last) => {
      const register = coded(ls)
      const { body, starts } = file(register.map((l) => Csv.formatRecord(fieldsOf(l))), end)
      const parsed = QualificationRegister.parseCsv(last ? body + end : body)
      expect(parsed.problems).toEqual(register.flatMap((l, i) => faultsOf(l, starts[i]!)))
      expect(parsed.subjects).toEqual(register.filter(loads).map(subjectOf))
      expect(parsed.lines).toEqual(starts.filter((_, i) => loads(register[i]!)))
    }), { numRuns: 300 })
  })

  it("one stray quote inside a value written without quotes is always told, on its line and in its column, and only that line is left out", () => {
    const input = fc.tuple(fc.array(lineOf(rich), { maxLength: 4 }), lineOf(plain), fc.array(lineOf(rich), { maxLength: 4 }))
    fc.assert(fc.property(input, fc.nat(), fc.nat(), ending, (parts, column, at, end) => {
      const register = coded([...parts[0], parts[1], ...parts[2]])
      const k = parts[0].length
      const written = register.map((l) => fieldsOf(l).map(Csv.formatField))
      // a value of the line written as it is, and a place in it after its first character
      const unquoted = written[k]!.flatMap((f, c) => (f === "" || f.startsWith("\"") ? [] : [c]))
      const c = unquoted[column % unquoted.length]!
      const value = written[k]![c]!
      const p = 1 + (at % value.length)
      written[k]![c] = value.slice(0, p) + "\"" + value.slice(p)
      const { body, starts } = file(written.map((w) => w.join(",")), end)
      const parsed = QualificationRegister.parseCsv(body)
      expect(parsed.problems).toEqual(register.flatMap((l, i): Array<unknown> =>
        i === k
          ? [{ line: starts[k], field: QualificationRegister.CSV_COLUMNS[c], message: `${QualificationRegister.CSV_COLUMNS[c]} has a quote inside a value that does not start with one: ${rule}` }]
          : faultsOf(l, starts[i]!)
      ))
      const kept = register.flatMap((l, i) => i !== k && loads(l) ? [i] : [])
      expect(parsed.subjects).toEqual(kept.map((i) => subjectOf(register[i]!)))
      expect(parsed.lines).toEqual(kept.map((i) => starts[i]))
    }), { numRuns: 300 })
  })

  it("a quote never closed is told once, on the line it opens, naming its column; the lines before it load", () => {
    const input = fc.tuple(fc.array(lineOf(rich), { maxLength: 4 }), fc.array(lineOf(plain), { minLength: 1, maxLength: 4 }))
    fc.assert(fc.property(input, fc.nat(), ending, fc.boolean(), (parts, column, end, last) => {
      const before = coded(parts[0])
      const after = coded(parts[1], before.length)
      const written = [...before, ...after].map((l) => fieldsOf(l).map(Csv.formatField))
      const k = before.length
      const c = column % QualificationRegister.CSV_COLUMNS.length
      written[k]![c] = "\"" + written[k]![c]!
      const { body, starts } = file(written.map((w) => w.join(",")), end)
      const parsed = QualificationRegister.parseCsv(last ? body + end : body)
      const name = QualificationRegister.CSV_COLUMNS[c]
      expect(parsed.problems).toEqual([
        ...before.flatMap((l, i) => faultsOf(l, starts[i]!)),
        { line: starts[k], field: name, message: Csv.describeProblem({ kind: "UnterminatedQuote", field: c, line: starts[k]! }, name) }
      ])
      expect(parsed.problems.at(-1)!.message).toMatch(new RegExp(`^the quoted value in ${name} that starts on line ${starts[k]} is never closed`))
      expect(parsed.subjects).toEqual(before.filter(loads).map(subjectOf))
    }), { numRuns: 300 })
  })
})

describe("QualificationRegister.checkAwarders", () => {
  it("takes a subject naming a UKPRN that is not an AO's out, with a problem on its line in its column; problems by line", () => {
    const text = [
      HEADING,
      "601/2977/3,Good,Level 2,GCSE,10000002,Shared,,",
      "600/1166/X,LRB owner,Level 3,GCE,10000001,Private,,",
      "600/1166/8,Bad line,Level 3,GCE,1234,Private,,",
      "K/501/5773,Unit,Level 1,QCF unit,10009999,Restricted,10000003;10000004,"
    ].join("\r\n")
    const checked = QualificationRegister.checkAwarders(QualificationRegister.parseCsv(text), kindsOf)
    expect(checked.subjects.map((s) => s.subjectCode)).toEqual(["601/2977/3"])
    expect(checked.lines).toEqual([2])
    expect(checked.problems).toEqual([
      { line: 3, field: "OwnerUkprn", message: "UKPRN 10000001 is not an awarding organisation (its organisation is an LRB only)" },
      { line: 4, field: "OwnerUkprn", message: expect.stringContaining("8 digits") },
      { line: 5, field: "OwnerUkprn", message: "UKPRN 10009999 is not a registered organisation" },
      { line: 5, field: "AllowedUkprns", message: "UKPRN 10000004 is not an awarding organisation (it is the LRS organisation)" }
    ])
  })
})

describe("QualificationRegister.encodingProblem", () => {
  const decoded = (bytes: Uint8Array) => new TextDecoder("utf-8").decode(bytes)
  const latin1 = (text: string) => Uint8Array.from(Array.from(text, (c) => c.charCodeAt(0)))

  it("names the line and the byte of a Latin-1 é (0xE9), and what comes before it", () => {
    const file = latin1(`${HEADING}\r\n601/2977/3,Maths,Level 2,GCSE,10000002,Shared,,\r\n600/1166/X,Caf\u00e9 skills,Level 1,Other,10000002,Shared,,\r\n`)
    expect(QualificationRegister.encodingProblem(decoded(file))).toEqual({
      line: 3,
      message: `is not UTF-8 text: byte 15 of the line, after "600/1166/X,Caf", starts bytes that are not UTF-8; save the file as "CSV UTF-8" and send it again`
    })
    expect(QualificationRegister.encodingProblem(decoded(latin1("\u00e9")))?.message).toContain("byte 1 of the line, at the start of the line")
  })

  it("finds nothing in UTF-8 text, whatever its script", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme" }), (text) => {
      fc.pre(!text.includes("\uFFFD"))
      expect(QualificationRegister.encodingProblem(decoded(new TextEncoder().encode(text)))).toBeUndefined()
    }))
  })

  it("finds the first byte that is not UTF-8 on the line it is on, counting the bytes of the line before it", () => {
    // no BOM: the decoder drops one that starts the file, so its bytes would not be counted
    const lineText = fc.string({ unit: "grapheme", maxLength: 12 }).map((s) => s.replace(/[\r\n\uFFFD\uFEFF]/g, ""))
    const ending = fc.constantFrom("\n", "\r\n", "\r")
    fc.assert(fc.property(fc.array(fc.tuple(lineText, ending), { minLength: 1, maxLength: 6 }), fc.nat(), fc.nat(), (lines, pick, cut) => {
      // a CR ending one line and an empty line ending in LF are one CRLF, one line end, not two
      fc.pre(lines.every(([, e], i) => e !== "\r" || lines[i + 1]?.[0] !== "" || !lines[i + 1]![1].startsWith("\n")))
      const at = pick % lines.length
      const [text] = lines[at]!
      const chars = Array.from(text)
      const prefix = chars.slice(0, cut % (chars.length + 1)).join("")
      const encoder = new TextEncoder()
      const before = encoder.encode(lines.slice(0, at).map(([t, e]) => t + e).join("") + prefix)
      const after = encoder.encode(text.slice(prefix.length) + lines[at]![1] + lines.slice(at + 1).map(([t, e]) => t + e).join(""))
      // 0xFF is never part of UTF-8
      const file = new Uint8Array([...before, 0xff, ...after])
      const problem = QualificationRegister.encodingProblem(decoded(file))
      expect(problem?.line).toBe(at + 1)
      expect(problem?.message).toContain(`byte ${encoder.encode(prefix).length + 1} of the line`)
    }))
  })
})

// what a put says: each fault as a field path and its message
const entryFaults = (input: unknown): Array<string> => {
  const decoded = Schema.decodeUnknownEither(QualificationRegister.SubjectEntry, { errors: "all", onExcessProperty: "error" })(input)
  return Either.isRight(decoded) ? [] : FieldIssues.fromParseError(decoded.left).map((i) => `${FieldIssues.formatPath(i.path)}: ${i.message}`)
}

describe("QualificationRegister.SubjectEntry", () => {
  const entry = {
    subjectCode: "601/2977/3",
    title: "GCSE Maths",
    level: "Level 2",
    qualificationType: "GCSE (9 to 1)",
    owner: "10000002",
    availability: { _tag: "Restricted", allowed: ["10000003", "10000004"] }
  }
  const control = (code: string, name?: string) =>
    `must not contain control characters (line breaks, tabs and the like); it has U+${code}${name === undefined ? "" : ` (${name})`}`

  it("takes a title, level and type without their surrounding spaces", () => {
    const decoded = Schema.decodeUnknownSync(QualificationRegister.SubjectEntry)({ ...entry, title: "  GCSE Maths \t", level: " Level 2", qualificationType: "GCSE (9 to 1)\n" })
    expect(decoded).toEqual({ ...entry, title: "GCSE Maths", level: "Level 2", qualificationType: "GCSE (9 to 1)" })
    // the limits count what is kept
    expect(entryFaults({ ...entry, title: ` ${"x".repeat(255)} ` })).toEqual([])
    expect(entryFaults({ ...entry, title: "x".repeat(256) })).toEqual(["title: must be at most 255 characters (got 256)"])
  })

  it("refuses a blank title, level or type, and control characters in them, naming the field in plain words", () => {
    expect(entryFaults({ ...entry, title: "  ", level: "", qualificationType: " \t " })).toEqual([
      "title: must not be blank",
      "level: must not be blank",
      "qualificationType: must not be blank"
    ])
    expect(entryFaults({ ...entry, title: "Maths\u0001", level: "Level\u001b[2", qualificationType: "GCSE\r\n(9 to 1)" })).toEqual([
      `title: ${control("0001")}`,
      `level: ${control("001B", "escape")}`,
      `qualificationType: ${control("000D", "carriage return")}`
    ])
    expect(entryFaults({ ...entry, title: "two\nlines", level: "tab\there", qualificationType: "C1\u0085" })).toEqual([
      `title: ${control("000A", "line feed")}`,
      `level: ${control("0009", "tab")}`,
      `qualificationType: ${control("0085")}`
    ])
    expect(entryFaults({ ...entry, level: "L".repeat(51), qualificationType: "T".repeat(101) })).toEqual([
      "level: must be at most 50 characters (got 51)",
      "qualificationType: must be at most 100 characters (got 101)"
    ])
    // text in other scripts, and inner spaces, are text
    expect(entryFaults({ ...entry, title: "Cymraeg — Lefel 2 ✓ 数学", level: "Entry Level 3" })).toEqual([])
  })

  it("refuses a UKPRN listed twice, the owner listed, and a Restricted list that names no one, naming the entry", () => {
    const restricted = (allowed: ReadonlyArray<string>) => ({ ...entry, availability: { _tag: "Restricted", allowed } })
    expect(entryFaults(restricted(["10000004", "10000004"]))).toEqual([
      "availability.allowed[1]: UKPRN 10000004 is already in the list: list each awarding organisation once"
    ])
    expect(entryFaults(restricted(["10000003", "10000002"]))).toEqual([
      "availability.allowed[1]: UKPRN 10000002 is the owner, who may always award the subject: list only the other awarding organisations"
    ])
    expect(entryFaults(restricted([]))).toEqual([`availability.allowed: ${QualificationRegister.emptyRestrictedMessage}`])
    expect(entryFaults(restricted(["10000002"]))).toEqual([
      "availability.allowed[0]: UKPRN 10000002 is the owner, who may always award the subject: list only the other awarding organisations"
    ])
    // Private and Shared have no list
    expect(entryFaults({ ...entry, availability: { _tag: "Shared" } })).toEqual([])
  })

  it("tells every fault at once, those of the list beside those of the other fields", () => {
    expect(entryFaults({
      ...entry,
      subjectCode: "nonsense",
      title: "",
      level: 5,
      owner: "10000002",
      availability: { _tag: "Restricted", allowed: ["1", "10000004", "10000002", "10000004"] },
      operationalStartDate: "2020-13-01",
      extra: true
    })).toEqual([
      "extra: is not allowed",
      expect.stringMatching(/^subjectCode: a subject code is a qualification number/),
      "title: must not be blank",
      "level: must be a string",
      `availability.allowed[0]: a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1"`,
      "operationalStartDate: there is no month 13",
      "availability.allowed[2]: UKPRN 10000002 is the owner, who may always award the subject: list only the other awarding organisations",
      "availability.allowed[3]: UKPRN 10000004 is already in the list: list each awarding organisation once"
    ])
    expect(entryFaults(null)).toEqual([": must be a JSON object"])
  })

  it("a subject it takes is a RegisteredSubject, and encodes as it was taken", () => {
    const taken = Schema.decodeUnknownSync(QualificationRegister.SubjectEntry)({ ...entry, title: " GCSE Maths " })
    expect(Schema.decodeUnknownSync(QualificationRegister.RegisteredSubject)(Schema.encodeSync(QualificationRegister.RegisteredSubject)(taken))).toEqual(taken)
    expect(Schema.encodeSync(QualificationRegister.SubjectEntry)(taken)).toEqual({ ...entry, title: "GCSE Maths" })
  })
})

describe("QualificationRegister.parseCsv: every fault of a line", () => {
  const COLUMNS = ["SubjectCode", "Title", "Level", "QualificationType", "OwnerUkprn", "Availability", "AllowedUkprns", "OperationalStartDate"] as const
  type Column = (typeof COLUMNS)[number]
  it("has the register's columns", () => expect(COLUMNS).toEqual(QualificationRegister.CSV_COLUMNS))
  const good: Readonly<Record<Column, string>> = {
    SubjectCode: "601/2977/3",
    Title: "GCSE Maths",
    Level: "Level 2",
    QualificationType: "GCSE (9 to 1)",
    OwnerUkprn: "10000002",
    Availability: "Restricted",
    AllowedUkprns: "10000003;10000004",
    OperationalStartDate: "2016-09-01"
  }
  // one fault each, whatever the rest of the line
  const faults: Readonly<Record<Exclude<Column, "AllowedUkprns">, ReadonlyArray<string>>> = {
    SubjectCode: ["nonsense", "601/2977", "", "K/501"],
    Title: ["", "   ", "Maths\u0001", "x".repeat(256), "two\nlines", "tab\there", "\u001b[1mbold", "nul\u0000"],
    Level: ["", " ", "L".repeat(51), "Level\u007f2", "Level\r\n2"],
    QualificationType: ["", "\t", "T".repeat(101), "GCSE\r(9 to 1)"],
    OwnerUkprn: ["", "123", "20000000", "1000000X"],
    Availability: ["Nope", "Open", "Restricted-ish"],
    OperationalStartDate: ["2020-13-01", "31/12/2001", "2019-02-30", "1700-01-01"]
  }

  // the line with the faults in `faulty` (a fault picked by each number), and the columns at fault
  const lineWith = (faulty: ReadonlyMap<Column, number>, variant: number): Record<Column, string> => {
    const values: Record<Column, string> = { ...good }
    for (const [column, pick] of faulty) {
      if (column !== "AllowedUkprns") values[column] = faults[column][pick % faults[column].length]!
    }
    const availabilityBad = faulty.has("Availability")
    const ownerGood = !faulty.has("OwnerUkprn")
    const allowed = faulty.get("AllowedUkprns")
    if (allowed === undefined) {
      // a good list: Restricted's, or none for Private and Shared (or beside a bad Availability)
      if (variant % 2 === 1) {
        values.AllowedUkprns = ""
        if (!availabilityBad) values.Availability = variant % 4 === 1 ? "shared" : "Private"
      }
    } else {
      // faults of the list whatever the availability; those only a known availability shows
      const lists = [
        "10000003;10000003",
        " 10000004 ; 1 ",
        ...(ownerGood ? [`10000003;${good.OwnerUkprn}`] : []),
        ...(availabilityBad ? [] : ["", "only-for-restricted"])
      ]
      const list = lists[allowed % lists.length]!
      if (list === "only-for-restricted") {
        values.Availability = variant % 2 === 0 ? "Shared" : "private"
        values.AllowedUkprns = "10000003"
      } else {
        values.AllowedUkprns = list
      }
    }
    return values
  }

  it("a line with k faulty columns has exactly k problems, one in each of those columns, in column order", () => {
    const faulty = fc.subarray([...COLUMNS]).chain((columns) =>
      fc.tuple(...columns.map((c) => fc.tuple(fc.constant(c), fc.nat()))).map((pairs) => new Map<Column, number>(pairs))
    )
    fc.assert(fc.property(faulty, fc.nat(), fc.constantFrom("\n", "\r\n"), (chosen, variant, end) => {
      const values = lineWith(chosen, variant)
      const parsed = QualificationRegister.parseCsv([HEADING, Csv.formatRecord(COLUMNS.map((c) => values[c]))].join(end))
      expect(parsed.problems.map((p) => [p.line, p.field])).toEqual(COLUMNS.filter((c) => chosen.has(c)).map((c) => [2, c]))
      expect(parsed.subjects).toHaveLength(chosen.size === 0 ? 1 : 0)
    }), { numRuns: 1000 })
  })

  it("tells each fault of the tester's line, each in its column", () => {
    const { problems } = QualificationRegister.parseCsv(`${HEADING}\nbad,,L,Q,123,Nope,,2020-13-01`)
    expect(problems).toEqual([
      { line: 2, field: "SubjectCode", message: expect.stringMatching(/^a subject code is a qualification number .*; got "BAD"$/) },
      { line: 2, field: "Title", message: "must not be blank" },
      { line: 2, field: "OwnerUkprn", message: `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "123"` },
      { line: 2, field: "Availability", message: `Availability must be Private, Shared or Restricted; got "Nope"` },
      { line: 2, field: "OperationalStartDate", message: "there is no month 13" }
    ])
  })

  it("refuses a Restricted list with a UKPRN twice, the owner, or no one, in AllowedUkprns; a code twice, naming its first line", () => {
    const text = [
      HEADING,
      "601/2977/3,GCSE Maths,Level 2,GCSE,10000002,Restricted,10000004;10000004; 10000002 ,",
      "600/1166/X,GCE,Level 3,GCE,10000002,restricted,,",
      "K/501/5773,Unit,Level 1,QCF unit,10000002,Restricted,10000004 10000003,",
      "k/501/5773,Unit again,,QCF unit,10000002,Shared,,"
    ].join("\n")
    const { problems, subjects } = QualificationRegister.parseCsv(text)
    expect(subjects.map((s) => s.availability)).toEqual([{ _tag: "Restricted", allowed: ["10000004", "10000003"] }])
    expect(problems).toEqual([
      { line: 2, field: "AllowedUkprns", message: "UKPRN 10000004 is already in the list: list each awarding organisation once" },
      { line: 2, field: "AllowedUkprns", message: "UKPRN 10000002 is the owner, who may always award the subject: list only the other awarding organisations" },
      { line: 3, field: "AllowedUkprns", message: QualificationRegister.emptyRestrictedMessage },
      { line: 5, field: "SubjectCode", message: "subject K/501/5773 is listed twice (first on line 4)" },
      { line: 5, field: "Level", message: "must not be blank" }
    ])
  })

  // a line's values, good and bad, with an Availability the file's own rules take
  const pick = <A>(...values: ReadonlyArray<A>) => fc.constantFrom(...values)
  const lineValues = fc.record({
    subjectCode: pick("601/2977/3", " k/501/5773 ", "nonsense"),
    title: pick("GCSE Maths", "  padded  ", "", " ", "x".repeat(256), "a\u0001b", "two\r\nlines", "\u001b"),
    level: pick("Level 2", "", "  ", "L".repeat(51), "L\t2"),
    qualificationType: pick("GCSE", "", "T".repeat(101), "ESC\u001b"),
    owner: pick("10000002", "123"),
    restricted: fc.boolean(),
    allowed: fc.array(pick("10000003", "10000004", "10000002", "1"), { maxLength: 4 }),
    start: pick("", "2016-09-01", "2020-13-01")
  })

  it("a line loads exactly when a put of its values would, as the same subject, and is refused with the put's words", () => {
    fc.assert(fc.property(lineValues, (v) => {
      const tag = v.restricted ? "Restricted" : "Shared"
      const allowed = v.restricted ? v.allowed : []
      const line = [v.subjectCode, v.title, v.level, v.qualificationType, v.owner, tag, allowed.join(";"), v.start]
      const parsed = QualificationRegister.parseCsv(`${HEADING}\n${Csv.formatRecord(line)}`)
      const put = {
        subjectCode: v.subjectCode,
        title: v.title,
        level: v.level,
        qualificationType: v.qualificationType,
        owner: v.owner,
        availability: v.restricted ? { _tag: tag, allowed } : { _tag: tag },
        ...(v.start === "" ? {} : { operationalStartDate: v.start })
      }
      const decoded = Schema.decodeUnknownEither(QualificationRegister.SubjectEntry, { errors: "all" })(put)
      if (Either.isRight(decoded)) {
        expect(parsed.problems).toEqual([])
        expect(parsed.subjects).toEqual([decoded.right])
      } else {
        const column = (key: PropertyKey | undefined) =>
          ({ subjectCode: "SubjectCode", title: "Title", level: "Level", qualificationType: "QualificationType", owner: "OwnerUkprn", availability: "AllowedUkprns", operationalStartDate: "OperationalStartDate" })[String(key)]
        const said = FieldIssues.fromParseError(decoded.left).map((i) => ({ line: 2, field: column(i.path[0]), message: i.message }))
        const order = (field: string | undefined) => COLUMNS.indexOf(field as Column)
        expect(parsed.subjects).toEqual([])
        expect(parsed.problems).toEqual([...said].sort((a, b) => order(a.field) - order(b.field)))
      }
    }), { numRuns: 500 })
  })
})

describe("QualificationRegister.checkAwarders: lines left out", () => {
  it("tells an owner or an allowed UKPRN that is not an AO's beside the line's other faults", () => {
    const text = [
      HEADING,
      "601/2977/3,,Level 2,GCSE,10000001,Restricted,10000004;10000002;10000004;10009999;1,",
      "600/1166/X,Bad date,Level 3,GCE,10009999,Nope,10000003,2020-13-01",
      "600/1166/8,Bad owner,Level 3,GCE,1234,Restricted,10000001,"
    ].join("\n")
    const parsed = QualificationRegister.parseCsv(text)
    expect(QualificationRegister.fileUkprns(parsed)).toEqual(["10000001", "10000004", "10000002", "10009999", "10000003"])
    const checked = QualificationRegister.checkAwarders(parsed, kindsOf)
    expect(checked.subjects).toEqual([])
    expect(checked.uncheckedAwarders).toEqual([])
    expect(checked.problems.map((p) => [p.line, p.field, p.message])).toEqual([
      [2, "Title", "must not be blank"],
      [2, "OwnerUkprn", "UKPRN 10000001 is not an awarding organisation (its organisation is an LRB only)"],
      [2, "AllowedUkprns", `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1"`],
      [2, "AllowedUkprns", "UKPRN 10000004 is already in the list: list each awarding organisation once"],
      // once each, though listed twice
      [2, "AllowedUkprns", "UKPRN 10000004 is not an awarding organisation (it is the LRS organisation)"],
      [2, "AllowedUkprns", "UKPRN 10009999 is not a registered organisation"],
      [3, "OwnerUkprn", "UKPRN 10009999 is not a registered organisation"],
      [3, "Availability", `Availability must be Private, Shared or Restricted; got "Nope"`],
      [3, "OperationalStartDate", "there is no month 13"],
      [4, "OwnerUkprn", `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1234"`],
      [4, "AllowedUkprns", "UKPRN 10000001 is not an awarding organisation (its organisation is an LRB only)"]
    ])
  })
})
