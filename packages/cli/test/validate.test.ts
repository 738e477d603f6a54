import { BatchFile } from "@learner-records/core"
import { describe, expect, it } from "@effect/vitest"
import { achievementCsv } from "../src/bench/validate.js"
import { formatReport } from "../src/commands/validate.js"
import { lrs } from "./run.js"

const samples = "examples/batch-files"

describe("lrs validate (the real binary)", () => {
  it("a broken file: a summary and one line per problem, exit 1", () => {
    const r = lrs(["validate", `${samples}/registration/broken/LRB_10012345_310120241531.CSV`, "--today", "2024-06-30"])
    expect(r.status).toBe(1)
    const lines = r.stdout.trimEnd().split("\n")
    expect(lines[0]).toBe(`${samples}/registration/broken/LRB_10012345_310120241531.CSV: learner registration file (CSV), 5 records`)
    expect(lines[1]).toMatch(/^not accepted: 5 rows with errors \(11 errors\)/)
    expect(lines[2]).toBe("  row 1 (line 4)  GivenName  Required: GivenName is required")
    expect(lines[3]).toMatch(/^ {2}row 2 \(line 5\) {2}DateOfBirth {2}SpreadsheetDate: .*YYYY-MM-DD/)
    expect(lines).toHaveLength(2 + 11)
  })
  it("--json: the report's shape; --kind checked against the file; exit 0 when accepted", () => {
    const ok = lrs(["validate", `${samples}/achievement/AO_10054321_310120241530.XML`, "--json", "--kind", "achievement"])
    expect(ok.status).toBe(0)
    expect(JSON.parse(ok.stdout)).toEqual({ ok: true, kind: "achievement", format: "xml", records: 2, errors: [], warnings: [] })
    const wrong = lrs(["validate", `${samples}/verification/LRB_10012345_310120241530.CSV`, "--json", "--kind", "registration"])
    expect(wrong.status).toBe(1)
    expect(JSON.parse(wrong.stdout)).toMatchObject({ ok: false, kind: null, format: "csv", records: 0, errors: [{ row: 0, field: "(headings)", code: "WrongHeadings" }] })
  })
  it("a file that cannot be read: exit 2 and a message", () => {
    const r = lrs(["validate", `${samples}/no-such-file.CSV`])
    expect(r.status).toBe(2)
    expect(r.stderr).toContain("cannot read")
    expect(r.stdout).toBe("")
  })
})

describe("lrs validate output (in process)", () => {
  it("accepted with warnings; rejected whole; row errors with the count of rows that would stand", () => {
    const ok = BatchFile.validate("FileVersion,FileName,Ukprn,UserEmail\n1A,x,10012345,a@b.org\n" + BatchFile.specs.achievement.columns.join(",") + "\nCreate,1000000043,Ada,Lovelace,,,,601/2977/4,2023-08-24,Pass,,,F,\n", { today: "2024-06-30" })
    expect(formatReport("f.CSV", ok)).toBe([
      "f.CSV: achievement file (CSV), 1 record",
      "accepted; 1 warning",
      "  warning: row 1 (line 4)  SubjectCode  QanCheckCharacter: the check character of 601/2977/4 is usually 3; check the number against the Ofqual register",
      ""
    ].join("\n"))
    const head = "FileVersion,FileName,Ukprn,UserEmail\n1A,x,10012345,a@b.org\n" + BatchFile.specs.achievement.columns.join(",") + "\n"
    const rows = BatchFile.validate(head + "Create,1000000043,Ada,Lovelace,,,,601/2977/3,2023-08-24,Pass,,,F,\nCreate,1000000042,Ada,Lovelace,,,,601/2977/3,2023-08-24,,,,F,\n", { today: "2024-06-30" })
    expect(formatReport("f.CSV", rows).split("\n").slice(1, 4)).toEqual([
      "not accepted: 1 row with errors (2 errors); uploaded as it is, only the 1 valid row would be processed",
      "  row 2 (line 5)  ULN  InvalidUln: the check digit is wrong: for 100000004 it must be 3, not 2",
      "  row 2 (line 5)  Grade  Required: Grade is required for a Create row"
    ])
    const rejected = BatchFile.validate("hello")
    expect(formatReport("f.CSV", rejected)).toBe([
      "f.CSV: CSV file of unknown kind",
      "not accepted: the file is rejected as a whole (1 error)",
      "  file (line 1)  (file)  NotCsvOrXml: this is not an LRS batch file: a CSV batch file starts with the line FileVersion,FileName,Ukprn,UserEmail, an XML one with <",
      ""
    ].join("\n"))
  })
})

describe("lrs bench validate's file", () => {
  it("is a valid 10,000-row achievement file", () => {
    const r = BatchFile.validate(achievementCsv(10_000), { today: "2026-01-01", fileName: "AO_10054321_310120241530.CSV" })
    expect(r).toMatchObject({ ok: true, kind: "achievement", records: 10_000, validRecords: 10_000, warnings: [] })
  })
})
