import { describe, expect, it } from "@effect/vitest"
import { Chunk, Effect, Schema, Stream } from "effect"
import * as fc from "fast-check"
import { readdirSync, readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { BatchFile, BatchOutput, BatchProblem, BatchRow, Csv, Uln } from "../src/index.js"

const TODAY = "2024-06-30"
const samples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../examples/batch-files")

type Kind = BatchRow.BatchKind
const VERSION: Record<Kind, string> = { registration: "2A", verification: "2A", achievement: "1A" }

const csvFile = (kind: Kind, rows: ReadonlyArray<ReadonlyArray<string>>, header: Partial<BatchFile.BatchHeader> = {}): string =>
  Csv.format([
    BatchFile.HEADER_FIELDS,
    [header.fileVersion ?? VERSION[kind], header.fileName ?? "batch", header.ukprn ?? "10012345", header.userEmail ?? "mis@example.ac.uk"],
    BatchFile.specs[kind].columns,
    ...rows
  ])

const ach = (o: Record<string, string> = {}): Array<string> =>
  BatchRow.columns.achievement.map((c) => o[c] ?? ({ Action: "Create", ULN: "1000000043", GivenName: "Ada", FamilyName: "Lovelace", SubjectCode: "601/2977/3", AwardDate: "2023-08-24", Grade: "Pass", Status: "F" } as Record<string, string>)[c] ?? "")
const reg = (o: Record<string, string> = {}): Array<string> =>
  BatchRow.columns.registration.map((c) => o[c] ?? ({ GivenName: "Ada", FamilyName: "Lovelace", LastKnownPostCode: "LS1 4AP", DateOfBirth: "2007-12-10", Gender: "2", AbilityToShare: "1", VerificationType: "2" } as Record<string, string>)[c] ?? "")
const ver = (o: Record<string, string> = {}): Array<string> =>
  BatchRow.columns.verification.map((c) => o[c] ?? ({ ULN: "1000000043", FamilyName: "Lovelace", GivenName: "Ada" } as Record<string, string>)[c] ?? "")

const validate = (text: string | Uint8Array, options: BatchFile.ReadOptions = {}) => BatchFile.validate(text, { today: TODAY, ...options })
const codes = (r: BatchFile.Report) => r.errors.map((e) => e.code)

describe("the sample files in examples/batch-files", () => {
  const files = readdirSync(samples, { recursive: true }).map(String).filter((f) => /\.(CSV|XML)$/.test(f)).sort()
  const expected: Record<string, { ok: boolean; rejected: boolean; codes: ReadonlyArray<string> }> = {
    "achievement/AO_10054321_310120241530.CSV": { ok: true, rejected: false, codes: [] },
    "achievement/AO_10054321_310120241530.XML": { ok: true, rejected: false, codes: [] },
    "achievement/broken/AO_10054321_310120241531.CSV": {
      ok: false,
      rejected: false,
      codes: ["SpreadsheetDate", "SpreadsheetDate", "InvalidCode", "Required", "InvalidCode", "AwardDateTooEarly", "AwardDateInFuture", "InvalidFormat", "InvalidUkprn", "MalformedQuotes", "WrongFieldCount"]
    },
    "achievement/broken/AO_10054321_310120241532.CSV": { ok: false, rejected: true, codes: ["WrongHeadings"] },
    "achievement/broken/AO_10054321_310120241533.XML": { ok: false, rejected: true, codes: ["UnknownElement", "Required", "MalformedXml"] },
    "registration/LRB_10012345_310120241530.CSV": { ok: true, rejected: false, codes: [] },
    "registration/LRB_10012345_310120241530.XML": { ok: true, rejected: false, codes: [] },
    "registration/broken/LRB_10012345_310120241531.CSV": {
      ok: false,
      rejected: false,
      codes: ["Required", "SpreadsheetDate", "InvalidUln", "InvalidEmail", "InvalidCode", "AgeOutOfRange", "InvalidPostcode", "InvalidDate", "InvalidCode", "Required", "WrongFieldCount"]
    },
    "registration/broken/LRB_10012345_310120241532.CSV": { ok: false, rejected: true, codes: ["WrongHeadings"] },
    "verification/LRB_10012345_310120241530.CSV": { ok: true, rejected: false, codes: [] },
    "verification/LRB_10012345_310120241530.XML": { ok: true, rejected: false, codes: [] },
    "verification/broken/AO_10054321_310120241531.CSV": { ok: false, rejected: true, codes: ["InvalidUserEmail", "InvalidUln", "SpreadsheetNumber", "InvalidCode", "WrongFieldCount"] }
  }
  it("are all listed here", () => {
    expect(files).toEqual(Object.keys(expected).sort())
  })
  it.each(files)("%s", (file) => {
    const bytes = readFileSync(path.join(samples, file))
    const r = validate(bytes, { fileName: path.basename(file) })
    expect({ ok: r.ok, rejected: r.rejected, codes: codes(r) }).toEqual(expected[file])
    expect(r.format).toBe(file.endsWith(".XML") ? "xml" : "csv")
    if (!r.rejected) expect(r.kind).toBe(file.split("/")[0])
  })
})

describe("structural faults reject the whole file", () => {
  const fault = (text: string | Uint8Array, options: BatchFile.ReadOptions = {}) => {
    const r = validate(text, options)
    expect(r.rejected).toBe(true)
    expect(r.ok).toBe(false)
    return r.errors.filter((e) => e.row === 0)
  }
  it("not a batch file at all: empty, binary, other CSV, other XML", () => {
    expect(fault("")[0]?.code).toBe("NotCsvOrXml")
    expect(fault("   \r\n\n")[0]?.code).toBe("NotCsvOrXml")
    expect(fault(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))[0]?.code).toBe("NotCsvOrXml")
    expect(fault("name,age\nAda,36\n")[0]).toMatchObject({ code: "NotCsvOrXml", message: expect.stringContaining("FileVersion,FileName,Ukprn,UserEmail") })
    expect(fault("<html><body>hi</body></html>")[0]).toMatchObject({ code: "UnknownKind", message: expect.stringContaining("<AchievementBatch>") })
    expect(fault("<<<>>>")[0]?.code).toBe("NotCsvOrXml")
  })
  it("the header lines", () => {
    const headings = BatchFile.specs.achievement.columns.join(",")
    expect(fault(`${headings}\n${ach().join(",")}\n`)[0]).toMatchObject({ code: "MissingHeader", message: expect.stringContaining("starts with the column headings") })
    expect(fault(`FileVersion,Filename,Ukprn,UserEmail\n1A,x,10012345,a@b.org\n${headings}\n`)[0]).toMatchObject({ code: "MissingHeader", message: expect.stringContaining("case-sensitive") })
    expect(fault(`FileVersion,FileName,Ukprn,UserEmail\n${headings}\n${ach().join(",")}\n`)[0]?.code).toBe("MissingHeader")
    expect(fault("FileVersion,FileName,Ukprn,UserEmail\n")[0]?.code).toBe("MissingHeader")
    expect(fault("FileVersion,FileName,Ukprn,UserEmail\n1A,x,10012345,a@b.org\n")[0]?.code).toBe("MissingHeadings")
  })
  it("the header values: version, UKPRN (and whose), e-mail, file name", () => {
    expect(codes(validate(csvFile("achievement", [ach()], { fileVersion: "2A" })))).toEqual(["WrongFileVersion"])
    expect(codes(validate(csvFile("registration", [reg()], { fileVersion: "1A" })))).toEqual(["WrongFileVersion"])
    expect(codes(validate(csvFile("achievement", [ach()], { ukprn: "00012345" })))).toEqual(["InvalidHeaderUkprn"])
    expect(codes(validate(csvFile("achievement", [ach()]), { ukprn: "10099999" }))).toEqual(["UkprnNotYours"])
    expect(codes(validate(csvFile("achievement", [ach()], { userEmail: "nobody" })))).toEqual(["InvalidUserEmail"])
    expect(codes(validate(csvFile("achievement", [ach()], { fileName: "", userEmail: "" })))).toEqual(["MissingHeaderValue", "MissingHeaderValue"])
    // header problems do not stop the rows from being checked: one run shows every problem
    const r = validate(csvFile("achievement", [ach(), ach({ ULN: "1" })], { fileVersion: "9Z" }))
    expect(codes(r)).toEqual(["WrongFileVersion", "InvalidUln"])
    expect(r.records).toBe(2)
  })
  it("the column headings: exact, in order, case-sensitive; the kind is taken from them or checked against --kind", () => {
    const text = csvFile("verification", [ver()])
    expect(validate(text).kind).toBe("verification")
    expect(fault(text, { kind: "achievement" })[0]).toMatchObject({ code: "WrongHeadings", message: expect.stringContaining("column 1 is \"MISIdentifier\" where Action is expected") })
    const swapped = text.replace("FamilyName,GivenName", "GivenName,FamilyName")
    expect(fault(swapped)[0]).toMatchObject({ code: "WrongHeadings", message: expect.stringContaining("column 3 is \"GivenName\" where FamilyName is expected") })
    expect(fault(text.replace("MISIdentifier,ULN,FamilyName,GivenName,DateOfBirth,Gender", "Foo,Bar"))[0]?.code).toBe("UnknownKind")
    // spreadsheets add empty headings after the last column: harmless
    expect(validate(text.replace("GivenName,DateOfBirth,Gender", "GivenName,DateOfBirth,Gender,,")).ok).toBe(true)
  })
  it("too many records (the limit of each kind) and none at all", () => {
    expect(validate(csvFile("registration", Array.from({ length: 200 }, (_, i) => reg({ MISIdentifier: `S${i}` })))).ok).toBe(true)
    const over = validate(csvFile("registration", Array.from({ length: 203 }, (_, i) => reg({ MISIdentifier: `S${i}` }))))
    expect(codes(over)).toEqual(["TooManyRecords"])
    expect(over.records).toBe(203)
    expect(over.validRecords).toBe(200)
    const ulns = Uln.generator({ seed: 1 })
    const many = Array.from({ length: 10_001 }, () => ach({ ULN: ulns() }))
    expect(codes(validate(csvFile("achievement", many.slice(0, 10_000))))).toEqual([])
    expect(codes(validate(csvFile("achievement", many)))).toEqual(["TooManyRecords"])
    expect(fault(csvFile("verification", []))[0]?.code).toBe("NoRecords")
    expect(fault(csvFile("verification", [["", "", ""], []]))[0]?.code).toBe("NoRecords")
  })
  it("a quote that is never closed swallows the rest of the file", () => {
    const text = csvFile("verification", [ver()]) + "S2,1000000043,\"Lovelace,Ada\n" + ver().join(",") + "\n"
    expect(fault(text).map((e) => [e.code, e.line])).toEqual([["UnterminatedQuote", 5]])
  })
  it("quoting is told in the words of the register import (core's Csv.describeProblem): the column, what is wrong, how to quote", () => {
    const rule = "a value that holds a comma or a quote goes in double quotes, with each quote inside doubled, as in \"12\"\" ruler, boxed\""
    // joined as they are, not quoted
    const text = csvFile("verification", [ver()]) + ver({ FamilyName: "Love\"lace" }).join(",") + "\n" + ver({ FamilyName: "\"Love\"ly" }).join(",") + "\n"
    expect(validate(text).errors.map((e) => [e.row, e.line, e.field, e.code, e.message])).toEqual([
      [2, 5, "FamilyName", "MalformedQuotes", `FamilyName has a quote inside a value that does not start with one: ${rule}`],
      [3, 6, "FamilyName", "MalformedQuotes", `FamilyName has text after the quote that closes its value: ${rule}`]
    ])
    // the line the quote opens on, past a quoted line break of the same record
    const open = csvFile("verification", [ver()]) + ver({ FamilyName: "\"Love\nlace\"", GivenName: "\"Ada" }).join(",") + "\n" + ver().join(",") + "\n"
    expect(fault(open).map((e) => [e.code, e.line, e.message])).toEqual([
      ["UnterminatedQuote", 5, `the quoted value in GivenName that starts on line 6 is never closed, so the rest of the file cannot be read: end it with a quote; ${rule}`]
    ])
  })
  describe("the file name, when known", () => {
    const name = (fileName: string, kind: Kind = "achievement", ukprn = "10012345") =>
      validate(csvFile(kind, [kind === "achievement" ? ach() : kind === "registration" ? reg() : ver()], { ukprn, fileName }), { fileName }).errors
    it.each([
      ["AO_10012345_310120241530.CSV", "achievement", []],
      ["LRB_10012345_310120241530.CSV", "registration", []],
      ["AO_10012345_310120241530.CSV", "verification", []],
      ["LRB_10012345_310120241530.CSV", "achievement", ["file name starts AO_"]],
      ["AO_10012345_310120241530.CSV", "registration", ["file name starts LRB_"]],
      ["AO_10012345_310120241530.csv", "achievement", ["upper case: .CSV"]],
      ["AO_10012345_310120241530.XML", "achievement", ["named .XML but holds CSV"]],
      ["AO_10012345_320120241530.CSV", "achievement", ["not a date and time"]],
      ["AO_10012345_310120242460.CSV", "achievement", ["not a date and time"]],
      ["AO_10099999_310120241530.CSV", "achievement", ["the file name has UKPRN 10099999 but the header has 10012345"]],
      ["results.csv", "achievement", ["AO_<UKPRN>_<DDMMYYYYHHMM>.CSV or .XML"]]
    ] as const)("%s for a %s file", (fileName, kind, messages) => {
      const errors = name(fileName, kind)
      expect(errors.map((e) => e.message)).toEqual(messages.map((m) => expect.stringContaining(m)))
      for (const e of errors) expect(e.code).toMatch(/^FileName/)
    })
    it("a header FileName other than the file's own name is only a warning", () => {
      const r = validate(csvFile("achievement", [ach()], { fileName: "internal-ref-42" }), { fileName: "AO_10012345_310120241530.CSV" })
      expect(r.ok).toBe(true)
      expect(r.warnings.map((w) => w.code)).toEqual(["FileNameDiffers"])
    })
  })
})

describe("row faults are reported per row; valid rows stand", () => {
  it("row number, line, field, code and message; the other rows are valid", () => {
    const text = csvFile("achievement", [ach(), ach({ ULN: "1000000042", AwardDate: "24/08/2023" }), ach({ GivenName: "Ada\nMary" })])
    const r = validate(text)
    expect(r.rejected).toBe(false)
    expect(r.records).toBe(3)
    expect(r.validRecords).toBe(2)
    expect(r.errors).toEqual([
      { row: 2, line: 5, field: "ULN", code: "InvalidUln", message: "the check digit is wrong: for 100000004 it must be 3, not 2" },
      { row: 2, line: 5, field: "AwardDate", code: "SpreadsheetDate", message: expect.stringContaining("YYYY-MM-DD") }
    ])
  })
  it("Excel's date reformatting gets a message naming YYYY-MM-DD", () => {
    for (const d of ["24/08/2023", "8/24/2023", "24.08.23", "2023-08-24 00:00:00", "45162"]) {
      const [e] = validate(csvFile("achievement", [ach({ AwardDate: d })])).errors
      expect(e).toMatchObject({ field: "AwardDate", code: "SpreadsheetDate", message: expect.stringContaining("YYYY-MM-DD") })
    }
    expect(validate(csvFile("achievement", [ach({ AwardDate: "24th August" })])).errors[0]).toMatchObject({ code: "InvalidDate", message: expect.stringContaining("YYYY-MM-DD") })
  })
  it("quoting, embedded commas and line breaks, BOM, CRLF, trailing empty columns and blank lines", () => {
    const rows = [ach({ GivenName: "Ada, Countess", FamilyName: "O'Brien \"Lovelace\"", AoLearnerRef: "line1\nline2" }), ach({ ULN: "9276308686" })]
    const text = "\uFEFF" + csvFile("achievement", rows).replace(/\r\n$/, ",,\r\n") + "\r\n\r\n,,,\r\n"
    const r = validate(text)
    expect(r).toMatchObject({ ok: true, records: 2, validRecords: 2 })
    const events = [...BatchFile.events(text)].filter((e) => e._tag === "Row")
    expect(events.map((e) => e._tag === "Row" && [e.row, e.line])).toEqual([[1, 4], [2, 6]])
    const first = events[0]!
    expect(first._tag === "Row" && first.kind === "achievement" && first.value).toMatchObject({ givenName: "Ada, Countess", familyName: "O'Brien \"Lovelace\"", aoLearnerRef: "line1\nline2", status: "Final" })
  })
  it("not UTF-8 (a Windows-1252 file from Excel) is a row fault naming the field", () => {
    const bytes = new TextEncoder().encode(csvFile("achievement", [ach({ GivenName: "ZOE" })]))
    const at = bytes.indexOf(0x4f, bytes.indexOf(0x5a, 200)) // the O of ZOE in the record
    bytes[at] = 0xcb // Ë in Windows-1252, not UTF-8
    expect(validate(bytes).errors).toEqual([expect.objectContaining({ row: 1, field: "GivenName", code: "InvalidCharacters", message: expect.stringContaining("CSV UTF-8") })])
  })
  it("a row repeating an earlier one is a duplicate", () => {
    expect(validate(csvFile("verification", [ver(), ver({ MISIdentifier: "x" }), ver()])).errors).toEqual([
      { row: 3, line: 6, field: "(row)", code: "DuplicateRow", message: "the row repeats row 1" }
    ])
  })
  it("Create and Update rows need the award; Withdraw and Reinstate rows need only the learner and subject", () => {
    const bare = { AwardDate: "", Grade: "", Status: "" }
    expect(codes(validate(csvFile("achievement", [ach({ ...bare, Action: "Update" })])))).toEqual(["Required", "Required", "Required"])
    expect(codes(validate(csvFile("achievement", [ach({ ...bare, Action: "Withdraw" }), ach({ ...bare, Action: "Reinstate" })])))).toEqual([])
  })
  it("registration: age 13 to 110 today, dates not in the future, 999 needs its description", () => {
    const r = (o: Record<string, string>) => codes(validate(csvFile("registration", [reg(o)])))
    expect(r({ DateOfBirth: "2011-06-30" })).toEqual([])
    expect(r({ DateOfBirth: "2011-07-01" })).toEqual(["AgeOutOfRange"])
    expect(r({ DateOfBirth: "1913-07-01" })).toEqual([])
    expect(r({ DateOfBirth: "1913-06-30" })).toEqual(["AgeOutOfRange"])
    expect(r({ DateOfBirth: "2025-01-01" })).toEqual(["DateInFuture"])
    expect(r({ DateOfAddressCapture: "2024-07-01" })).toEqual(["DateInFuture"])
    expect(r({ VerificationType: "999" })).toEqual(["Required"])
    expect(r({ VerificationType: "999", OtherVerificationDescription: "Seen by tutor" })).toEqual([])
  })
})

describe("XML batch files", () => {
  const xml = (kind: Kind, records: ReadonlyArray<Record<string, string>>, header: Partial<Record<string, string>> = {}) => {
    const spec = BatchFile.specs[kind]
    const h = { FileVersion: VERSION[kind], FileName: "batch", Ukprn: "10012345", UserEmail: "mis@example.ac.uk", ...header }
    return `<?xml version="1.0" encoding="UTF-8"?>\n<${spec.xmlRoot}>\n<Header>${Object.entries(h).map(([k, v]) => `<${k}>${v}</${k}>`).join("")}</Header>\n` +
      records.map((r) => `<${spec.xmlRecord}>${Object.entries(r).map(([k, v]) => `<${k}>${v}</${k}>`).join("")}</${spec.xmlRecord}>\n`).join("") +
      `</${spec.xmlRoot}>\n`
  }
  const record = (values: ReadonlyArray<string>, kind: Kind): Record<string, string> =>
    Object.fromEntries(BatchFile.specs[kind].columns.map((c, i) => [c, values[i]!]).filter(([, v]) => v !== ""))
  it("reads the same rows as the CSV, in any element order", () => {
    const rows = [ach({ GivenName: "Ada &amp; Co" }), ach({ ULN: "9276308686" })]
    const r = validate(xml("achievement", rows.map((v) => record(v, "achievement"))))
    expect(r).toMatchObject({ ok: true, kind: "achievement", format: "xml", records: 2 })
    const reversed: Record<string, string> = Object.fromEntries(Object.entries(record(ach(), "achievement")).reverse())
    expect(validate(xml("achievement", [reversed])).ok).toBe(true)
  })
  it("unknown and repeated elements, and elements inside a field, are row faults", () => {
    const r = validate(xml("verification", [{ ...record(ver(), "verification"), Nickname: "Addy" }]).replace("<ULN>", "<ULN>1</ULN><ULN>").replace("<GivenName>Ada", "<GivenName><b>Ada</b>"))
    // one problem per field: the first ULN is not checked once the element is repeated
    expect(r.errors.map((e) => [e.field, e.code])).toEqual([["ULN", "RepeatedElement"], ["GivenName", "UnknownElement"], ["Nickname", "UnknownElement"]])
  })
  it("structure: root per kind, Header first with its four values, nothing else at the top", () => {
    expect(codes(validate(xml("verification", [record(ver(), "verification")]), { kind: "registration" }))).toEqual(["WrongHeadings"])
    expect(codes(validate(xml("verification", [record(ver(), "verification")]).replace(/<Header>.*<\/Header>/, "")))).toEqual(["MissingHeader"])
    expect(codes(validate(xml("verification", [record(ver(), "verification")]).replace("<Header>", "<Header><Extra>1</Extra>")))).toEqual(["UnexpectedElement"])
    expect(codes(validate(xml("verification", [record(ver(), "verification")]).replace("</Header>", "</Header><Footer/>")))).toEqual(["UnexpectedElement"])
    expect(codes(validate(xml("achievement", [record(ach(), "achievement")], { FileVersion: "2A" })))).toEqual(["WrongFileVersion"])
    expect(codes(validate(xml("achievement", [])))).toEqual(["NoRecords"])
    expect(codes(validate(xml("achievement", [record(ach(), "achievement")]).replace("</AchievementBatch>", "")))).toEqual(["MalformedXml"])
  })
})

describe("the row validators agree with the row Schemas", () => {
  const text = fc.string({ unit: fc.constantFrom("a", "B", " ", "'", "-", "é", "1", "/", "@", ".", "x") , maxLength: 40 })
  it("every row the validator accepts decodes with the kind's Schema to the same typed row", () => {
    const columnValue = fc.constantFrom("", "1000000043", "9276308686", "2007-12-10", "1990-01-01", "2023-08-24", "LS1 4AP", "601/2977/3", "K/501/5773", "F", "P", "Create", "Withdraw", "Update", "1", "2", "999", "10012345", "a@b.org")
    fc.assert(fc.property(fc.constantFrom<Kind>("registration", "verification", "achievement"), fc.array(fc.oneof(columnValue, text), { minLength: 26, maxLength: 26 }), (kind, all) => {
      const values = all.slice(0, BatchFile.specs[kind].columns.length)
      const r = BatchRow.validate(kind, values, { row: 1, today: TODAY })
      if (r.value === undefined) return
      const schema: Schema.Schema<unknown, unknown> = (kind === "registration" ? BatchRow.RegistrationRow : kind === "verification" ? BatchRow.VerificationRow : BatchRow.AchievementRow) as never
      expect(Schema.is(schema)(r.value)).toBe(true)
    }), { numRuns: 3000 })
  })
  it("field by field: a name is refused by both, with the same message", () => {
    fc.assert(fc.property(fc.string({ maxLength: 50 }).filter((s) => s.trim() === s), (name) => {
      const r = BatchRow.validate("verification", ver({ GivenName: name }), { row: 1 })
      const schema = Schema.decodeUnknownEither(BatchRow.VerificationRow.fields.givenName)(name)
      const fieldProblem = r.problems.find((p) => p.field === "GivenName")
      expect(fieldProblem === undefined).toBe(schema._tag === "Right")
      if (fieldProblem !== undefined && fieldProblem.code === "TooLong" && schema._tag === "Left") expect(schema.left.message).toContain(fieldProblem.message)
    }), { numRuns: 500 })
  })
  it("generated valid files are accepted whole", () => {
    const ulnArb = fc.integer().map((seed) => Uln.generate({ seed }))
    const name = fc.stringMatching(/^[A-Z][a-z]{1,12}(?:[-' ][A-Z][a-z]{1,10})?$/)
    const date = fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2024, 5, 30) }).map((t) => new Date(t).toISOString().slice(0, 10))
    const row = fc.record({ ULN: ulnArb, GivenName: name, FamilyName: name, AwardDate: date, SubjectCode: fc.constantFrom("601/2977/3", "600/1166/X", "K/501/5773"), Status: fc.constantFrom("F", "P"), Grade: fc.constantFrom("Pass", "A*", "DM", "7") })
    fc.assert(fc.property(fc.uniqueArray(row, { minLength: 1, maxLength: 30, selector: (r) => r.ULN }), (rows) => {
      const r = validate(csvFile("achievement", rows.map((o) => ach(o))))
      expect(r.errors).toEqual([])
      expect(r.validRecords).toBe(rows.length)
    }), { numRuns: 200 })
  })
})

describe("never throws, streams, and gives the same verdict however the file is cut", () => {
  const valid = readFileSync(path.join(samples, "achievement/AO_10054321_310120241530.CSV"))
  const validXml = readFileSync(path.join(samples, "registration/LRB_10012345_310120241530.XML"))
  // a valid file with random bytes changed, inserted or removed: near misses find more paths than noise
  const mutated = fc.tuple(fc.constantFrom(valid, validXml), fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.constantFrom("set", "insert", "delete")), { maxLength: 6 }))
    .map(([base, edits]) => {
      const bytes = [...base]
      for (const [at, b, op] of edits) {
        const i = at % (bytes.length + 1)
        if (op === "set" && i < bytes.length) bytes[i] = b
        else if (op === "insert") bytes.splice(i, 0, b)
        else bytes.splice(i, 1)
      }
      return Uint8Array.from(bytes)
    })
  const cut = (bytes: Uint8Array, cuts: ReadonlyArray<number>) => {
    const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b)
    const out: Array<Uint8Array> = []
    let at = 0
    for (const p of [...points, bytes.length]) {
      out.push(bytes.slice(at, p))
      at = p
    }
    return out
  }
  it("any bytes, in any chunks, as CSV, XML or noise", () => {
    fc.assert(fc.property(fc.oneof(mutated, fc.uint8Array({ maxLength: 400 })), fc.array(fc.nat(), { maxLength: 5 }), fc.constantFrom<Kind | undefined>(undefined, "achievement", "registration"), (bytes, cuts, kind) => {
      const options = { today: TODAY, kind, fileName: "AO_10054321_310120241530.CSV" }
      const whole = BatchFile.validate(bytes, options)
      expect(BatchFile.validate(cut(bytes, cuts), options)).toEqual(whole)
      expect(whole.ok).toBe(whole.errors.length === 0)
      for (const e of [...whole.errors, ...whole.warnings]) expect(BatchProblem.codes).toContain(e.code)
    }), { numRuns: 1500 })
  })
  it("any text, including every Unicode plane", () => {
    fc.assert(fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
      expect(() => BatchFile.validate(s)).not.toThrow()
      expect(() => BatchFile.validate("FileVersion,FileName,Ukprn,UserEmail\n1A,x,10012345,a@b.org\n" + BatchFile.specs.achievement.columns.join(",") + "\n" + s)).not.toThrow()
    }), { numRuns: 1000 })
  })
  it("rows come out as their chunks arrive, before the file ends", () => {
    const r = BatchFile.reader({ today: TODAY })
    const head = csvFile("verification", [])
    expect(r.push(head).map((e) => e._tag)).toEqual(["Start"])
    expect(r.push(ver().join(",") + "\n" + ver({ ULN: "9276308686" }).join(",") + "\n").map((e) => e._tag)).toEqual(["Row", "Row"])
    expect(r.push(ver({ ULN: "1748529632" }).join(",")).map((e) => e._tag)).toEqual([]) // the record may go on
    expect(r.end().map((e) => e._tag)).toEqual(["Row", "End"])
  })
  it.effect("validates a 10,000-row file streamed from a generator without holding it", () =>
    Effect.gen(function*() {
      const ulns = Uln.generator({ seed: "stream" })
      function* chunks() {
        yield csvFile("achievement", [])
        for (let i = 0; i < 10_000; i++) yield Csv.formatRecord(ach({ ULN: ulns(), AoLearnerRef: `C${i}` })) + "\r\n"
      }
      const report = yield* BatchFile.validateStream(Stream.fromIterable(chunks()), { today: TODAY })
      expect(report).toMatchObject({ ok: true, records: 10_000, validRecords: 10_000 })
      const async = yield* Effect.promise(() => BatchFile.validateAsync((async function*() { yield* chunks() })(), { today: TODAY }))
      expect(async.records).toBe(10_000)
      const events = yield* Stream.runCollect(BatchFile.eventsStream(Stream.make(csvFile("verification", [ver()])), {}))
      expect(Chunk.toArray(events).map((e) => e._tag)).toEqual(["Start", "Row", "End"])
    }))
})

describe("return codes of rejected rows", () => {
  const rc = (kind: Kind, values: ReadonlyArray<string>) => BatchRow.returnCode(kind, BatchRow.validate(kind, values, { row: 1, today: TODAY }).problems)
  it("one kind of problem gives its own code; a mix gives RC011", () => {
    expect(rc("registration", reg())).toBeUndefined()
    expect(rc("registration", reg({ GivenName: "", FamilyName: "" }))).toBe("RC006")
    expect(rc("registration", reg({ DateOfBirth: "2020-01-01" }))).toBe("RC013")
    expect(rc("registration", reg({ LastKnownPostCode: "XX" }))).toBe("RC011")
    expect(rc("registration", reg({ GivenName: "", DateOfBirth: "2020-01-01" }))).toBe("RC011")
    expect(rc("verification", ver({ ULN: "" }))).toBe("RC011")
    expect(rc("achievement", ach({ AwardDate: "2030-01-01" }))).toBe("ACH021")
    expect(rc("achievement", ach({ AwardDate: "1980-01-01" }))).toBe("ACH022")
    expect(rc("achievement", ach({ Grade: "" }))).toBe("RC011")
  })
})

describe("achievement rows as lifecycle commands", () => {
  const row = (o: Record<string, string>) => BatchRow.validateAchievement(ach(o), { row: 1, today: TODAY }).value!
  it("Create and Update carry the details; Withdraw a reason; Reinstate nothing", () => {
    expect(BatchRow.achievementCommand(row({ Credits: "12", CentreUkprn: "10012345" }), { id: "a1" })).toEqual({
      _tag: "Create",
      id: "a1",
      details: { uln: "1000000043", subjectCode: "601/2977/3", awardDate: "2023-08-24", grade: "Pass", status: "Final", credits: 12, centreUkprn: "10012345" }
    })
    expect(BatchRow.achievementCommand(row({ Action: "Update", Status: "P" }), { id: "a1" })).toMatchObject({ _tag: "Update", details: { status: "Provisional" } })
    expect(BatchRow.achievementCommand(row({ Action: "Withdraw" }), { id: "a1" })).toEqual({ _tag: "Withdraw", reason: "Withdrawn by achievement batch" })
    expect(BatchRow.achievementCommand(row({ Action: "Reinstate" }), { id: "a1" })).toEqual({ _tag: "Reinstate" })
  })
  it("selectTarget: the only one, or the one with the award date", () => {
    const a = { awardDate: "2022-06-30" }
    const b = { awardDate: "2023-06-30" }
    expect(BatchRow.selectTarget([a], undefined)).toEqual({ _tag: "Found", achievement: a })
    expect(BatchRow.selectTarget([a], "2024-01-01")).toEqual({ _tag: "Found", achievement: a })
    expect(BatchRow.selectTarget([a, b], "2023-06-30")).toEqual({ _tag: "Found", achievement: b })
    expect(BatchRow.selectTarget([a, b], undefined)).toEqual({ _tag: "Ambiguous" })
    expect(BatchRow.selectTarget([a, b], "2024-01-01")).toEqual({ _tag: "NotFound" })
    expect(BatchRow.selectTarget([], undefined)).toEqual({ _tag: "NotFound" })
  })
})

describe("output files", () => {
  const header: BatchFile.BatchHeader = { fileVersion: "1A", fileName: "AO_10012345_310120241530.CSV", ukprn: "10012345", userEmail: "a@b.org" }
  const value = fc.string({ unit: fc.constantFrom("a", "Z", ",", "\"", "\n", "\r\n", " ", "é", "😀", "<", "&", ">", "'"), maxLength: 12 })
  const rows = fc.array(fc.record({
    values: fc.array(value, { minLength: 14, maxLength: 14 }),
    returnCode: fc.constantFrom("ACH001", "ACH005", "ACH011", "RC011", "ACH021"),
    message: value
  }), { maxLength: 10 })
  it.each(["csv", "xml"] as const)("every row with its return code reads back the same (%s)", (format) => {
    fc.assert(fc.property(rows, (rs) => {
      const text = BatchOutput.write(format, "achievement", header, rs)
      expect(BatchOutput.read(text)).toEqual({ format, kind: "achievement", header, rows: rs })
      const errors = BatchOutput.read(BatchOutput.write(format, "achievement", header, rs, { errorsOnly: true }))
      expect(typeof errors !== "string" && errors.rows).toEqual(rs.filter((r) => BatchOutput.isFailure(r.returnCode)))
    }), { numRuns: 300 })
  })
  it("the CSV output keeps the input's header lines and adds ReturnCode and Message", () => {
    const text = BatchOutput.write("csv", "verification", { ...header, fileVersion: "2A" }, [{ values: ver(), returnCode: "WSVRC001", message: "" }, { values: ver({ ULN: "" }), returnCode: "RC011", message: "ULN: ULN is required" }])
    expect(text.split("\r\n")).toEqual([
      "FileVersion,FileName,Ukprn,UserEmail",
      "2A,AO_10012345_310120241530.CSV,10012345,a@b.org",
      "MISIdentifier,ULN,FamilyName,GivenName,DateOfBirth,Gender,ReturnCode,Message",
      ",1000000043,Lovelace,Ada,,,WSVRC001,",
      ",,Lovelace,Ada,,,RC011,ULN: ULN is required",
      ""
    ])
  })
  it("which codes are failures", () => {
    expect(["RC001", "RC005", "ACH001", "ACH007", "WSVRC001", "WSVRC004"].map(BatchOutput.isFailure)).toEqual([false, false, false, false, false, false])
    expect(["RC006", "RC011", "RC013", "ACH010", "ACH025", "WSVRC005", "WSVRC006", "WSEC0136"].map(BatchOutput.isFailure)).toEqual([true, true, true, true, true, true, true, true])
  })
  it("a validated file becomes an output with each row's return code", () => {
    const events = [...BatchFile.events(csvFile("achievement", [ach(), ach({ Grade: "" })]), { today: TODAY })]
    const out = events.flatMap((e) => e._tag === "Row" ? [{ values: e.values, returnCode: BatchRow.returnCode(e.kind, e.problems) ?? "ACH001", message: BatchOutput.problemsMessage(e.problems) }] : [])
    expect(out.map((r) => [r.returnCode, r.message])).toEqual([["ACH001", ""], ["RC011", "Grade: Grade is required for a Create row"]])
  })
})
