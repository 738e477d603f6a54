import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { AchievementPolicy, BatchFile, BatchProblem, ResponseCode } from "../src/index.js"

const read = (p: string) => readFileSync(new URL(`../../../${p}`, import.meta.url), "utf8")

describe("docs/batch-files.md", () => {
  const doc = read("docs/batch-files.md")
  it("lists every problem code as generated from the catalogue (BatchProblem.toMarkdown)", () => {
    expect(doc).toContain(BatchProblem.toMarkdown())
    for (const code of BatchProblem.codes) expect(doc).toContain(`| \`${code}\` |`)
  })
  it("lists every column of every kind, and each kind's version and limit", () => {
    for (const spec of Object.values(BatchFile.specs)) {
      for (const column of spec.columns) expect(doc).toContain(column)
      expect(doc).toContain(`\`${spec.fileVersion}\` | ${spec.maxRecords.toLocaleString("en-GB")} |`)
      expect(doc).toContain(`<${spec.xmlRoot}>`)
    }
  })
  it("shows the sample files as they are", () => {
    for (const sample of ["registration/LRB_10012345_310120241530.CSV", "verification/LRB_10012345_310120241530.CSV", "achievement/AO_10054321_310120241530.CSV", "verification/LRB_10012345_310120241530.XML"]) {
      const text = read(`examples/batch-files/${sample}`).replace(/^\uFEFF/, "").replaceAll("\r\n", "\n").trimEnd()
      expect(doc).toContain(text)
    }
  })
})

describe("docs/achievements.md", () => {
  const doc = read("docs/achievements.md")
  it("names every ACH code and the policy's numbers", () => {
    for (const code of ResponseCode.codesOf("ACH")) expect(doc).toContain(code)
    expect(doc).toContain(`(${AchievementPolicy.defaultPolicy.minimumAgeAtAward})`)
    expect(doc).toContain(AchievementPolicy.defaultPolicy.earliestAwardDate)
  })
})
