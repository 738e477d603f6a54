import { Uln } from "@learner-records/core"
import { describe, expect, it } from "@effect/vitest"
import { lrs } from "./run.js"

describe("lrs uln", () => {
  it("check: exit 0 only when every ULN is valid, with the reason for each invalid one", () => {
    const ok = lrs(["uln", "check", "1000000043", "9276308686"])
    expect(ok.status).toBe(0)
    expect(ok.stdout).toBe("1000000043\tvalid\n9276308686\tvalid\n")
    const bad = lrs(["uln", "check", "1000000043", "1000000042", "0123456789", "9999999999"])
    expect(bad.status).toBe(1)
    const lines = bad.stdout.trim().split("\n")
    expect(lines[1]).toMatch(/^1000000042\tinvalid\tWrongCheckDigit: .*must be 3/)
    expect(lines[2]).toMatch(/^0123456789\tinvalid\tLeadingZero/)
    expect(lines[3]).toMatch(/^9999999999\tinvalid\tNotKnown/)
  })
  it("check -: reads one ULN per line from standard input", () => {
    const r = lrs(["uln", "check", "-"], "9276308686\r\n\n1748529631\n")
    expect(r.status).toBe(1)
    expect(r.stdout).toMatch(/^9276308686\tvalid\n1748529631\tinvalid\tWrongCheckDigit/)
  })
  it("generate: N valid ULNs, reproducible with --seed", () => {
    const a = lrs(["uln", "generate", "--count", "500", "--seed", "abc"])
    expect(a.status).toBe(0)
    const ulns = a.stdout.trim().split("\n")
    expect(ulns).toHaveLength(500)
    for (const u of ulns) expect(Uln.isValid(u)).toBe(true)
    expect(lrs(["uln", "generate", "--count", "500", "--seed", "abc"]).stdout).toBe(a.stdout)
    expect(lrs(["uln", "generate", "--count", "5"]).stdout).not.toBe(lrs(["uln", "generate", "--count", "5"]).stdout)
  })
})
