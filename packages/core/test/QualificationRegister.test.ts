import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import * as fc from "fast-check"
import { type Access, QualificationRegister } from "../src/index.js"

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
