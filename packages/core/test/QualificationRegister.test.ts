import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import { type Access, Csv, QualificationRegister } from "../src/index.js"

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
  it("a line with more fields than the columns is a problem on that line saying how many are expected", () => {
    const text = [
      HEADING,
      "601/2977/3,GCSE Maths,Level 2,GCSE,10000002,Shared,,",
      // an unquoted comma in the title shifts every column after it
      "600/1166/X,Maths, Level 3,Level 3,GCE A Level,10000002,Private,,",
      "600/1166/8,Trailing,Level 3,GCE,10000002,Private,,,",
      // fewer fields than the columns: the empty ones at the end may be left out
      "K/501/5773,Unit,Level 1,QCF unit,10000002,Shared"
    ].join("\n")
    const { lines, problems, subjects } = QualificationRegister.parseCsv(text)
    expect(subjects.map((s) => s.subjectCode)).toEqual(["601/2977/3", "K/501/5773"])
    expect(lines).toEqual([2, 5])
    expect(problems).toEqual([
      { line: 3, message: "the line has 9 fields; a register line has 8 (" + HEADING + "): put a value that holds a comma in double quotes" },
      { line: 4, message: "the line has 9 fields; a register line has 8 (" + HEADING + "): put a value that holds a comma in double quotes" }
    ])
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
  const text = (unit: fc.Arbitrary<string>, blank: boolean) =>
    fc.string({ unit, maxLength: 12 }).filter((s) => s === s.trim() && (blank || s !== ""))
  // values with everything that needs quoting: commas, quotes, line breaks, inner spaces
  const rich = fc.constantFrom("a", "B", "1", " ", ",", "\"", "é", "😀", "\n", "\r\n", "\r", "'")
  // values written as they are
  const plain = fc.constantFrom("a", "B", "1", " ", "é", "-", "'")
  const lineOf = (unit: fc.Arbitrary<string>) =>
    fc.record({
      title: text(unit, false),
      level: text(unit, true),
      type: text(unit, true),
      owner: fc.constantFrom("10000002", "10012345"),
      availability: fc.constantFrom("Private" as const, "Shared" as const, "Restricted" as const),
      allowed: fc.array(fc.constantFrom("10000003", "10099999"), { maxLength: 3 }),
      start: fc.option(fc.constantFrom("2016-09-01", "2020-02-29"), { nil: undefined })
    }).map((l): Omit<Line, "code"> => ({ ...l, allowed: l.availability === "Restricted" ? l.allowed : [] }))
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
      expect(parsed.problems).toEqual([])
      expect(parsed.subjects).toEqual(register.map(subjectOf))
      expect(parsed.lines).toEqual(starts)
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
      expect(parsed.problems).toEqual([
        { line: starts[k], field: QualificationRegister.CSV_COLUMNS[c], message: `${QualificationRegister.CSV_COLUMNS[c]} has a quote inside a value that does not start with one: ${rule}` }
      ])
      expect(parsed.subjects).toEqual(register.filter((_, i) => i !== k).map(subjectOf))
      expect(parsed.lines).toEqual(starts.filter((_, i) => i !== k))
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
        { line: starts[k], field: name, message: Csv.describeProblem({ kind: "UnterminatedQuote", field: c, line: starts[k]! }, name) }
      ])
      expect(parsed.problems[0]!.message).toMatch(new RegExp(`^the quoted value in ${name} that starts on line ${starts[k]} is never closed`))
      expect(parsed.subjects).toEqual(before.map(subjectOf))
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
