import { describe, expect, it } from "@effect/vitest"
import { readFileSync } from "node:fs"
import { ResponseCode } from "../src/index.js"

describe("docs/response-codes.md", () => {
  it("is the catalogue as generated (run `pnpm docs` after changing ResponseCode.ts)", () => {
    const doc = readFileSync(new URL("../../../docs/response-codes.md", import.meta.url), "utf8")
    expect(doc).toBe(ResponseCode.toMarkdown() + "\n")
    for (const code of ResponseCode.codes) expect(doc).toContain(`| ${code} |`)
  })
})
