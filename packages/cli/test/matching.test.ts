import { describe, expect, it } from "@effect/vitest"
import { Csv, Uln } from "@learner-records/core"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { lrs } from "./run.js"

// Three spawns in all (about 2 s each): seed, match, verify; the rules are tested in core.
describe("lrs seed / match / verify", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lrs-match-"))
  const registry = path.join(dir, "registry.csv")
  const queries = path.join(dir, "queries.csv")

  it("seed writes a deterministic registry and queries with ground truth; match answers each query in order, bad rows included", () => {
    const seeded = lrs(["seed", "--learners", "500", "--seed", "t", "--out", registry, "--queries", "30", "--queries-out", queries])
    expect(seeded.status).toBe(0)
    const rows = fs.readFileSync(registry, "utf8").trim().split("\n")
    expect(rows[0]).toBe("uln,givenName,familyName,dateOfBirth,gender,postcode,previousFamilyName,masterUln")
    expect(rows).toHaveLength(501)
    for (const r of rows.slice(1)) expect(Uln.isValid(r.split(",")[0]!)).toBe(true)

    fs.appendFileSync(queries, "bad,Jo,Smith,31/12/2001,1,M1 1AE,,,\n")
    const out = lrs(["match", "--registry", registry, "--queries", queries])
    expect(out.status).toBe(1)
    const lines = out.stdout.trim().split("\n").map((l) => JSON.parse(l) as { id: string; responseCode: string; learners: Array<{ uln: string; score: number }> })
    expect(lines.map((l) => l.id)).toEqual([...Array.from({ length: 30 }, (_, i) => `q${i + 1}`), "bad"])
    const truth = fs.readFileSync(queries, "utf8").trim().split("\n").slice(1, 31).map((l) => l.split(",")[7])
    lines.slice(0, 30).forEach((l, i) => {
      expect(["WSRC0001", "WSRC0002", "WSRC0003", "WSRC0004", "WSRC0022"]).toContain(l.responseCode)
      if (l.responseCode === "WSRC0004") expect(l.learners[0]!.uln).toBe(truth[i])
    })
    expect(lines[30]).toMatchObject({ id: "bad", responseCode: "WSEC0001", learners: [] })
    expect(out.stderr).toMatch(/queries\.csv line 32: dateOfBirth: dates must be written YYYY-MM-DD/)
  })

  it("verify answers WSVRC codes with failure flags and the ULN found; an invalid ULN gets WSEC0136", () => {
    const [, first] = fs.readFileSync(registry, "utf8").trim().split("\n")
    const [uln, given, family, dob, gender] = first!.split(",")
    const verifyQueries = path.join(dir, "verify.csv")
    fs.writeFileSync(verifyQueries, [
      "id,uln,givenName,familyName,dateOfBirth,gender",
      `a,${uln},${given!.toUpperCase()},${family},${dob},${gender}`,
      `b,${uln},${given},${family},1900-01-01,`,
      "c,1000000043,Jo,Smith,,",
      "d,1000000042,Jo,Smith,,",
      `e,${uln},Jo "JJ" Smith,${family},,`
    ].join("\n"))
    const out = lrs(["verify", "--registry", registry, "--queries", verifyQueries])
    expect(out.status).toBe(1)
    const lines = out.stdout.trim().split("\n").map((l) => JSON.parse(l))
    expect(lines[0]).toEqual({ id: "a", responseCode: "WSVRC001", failureFlags: [], uln })
    expect(lines[1]).toMatchObject({ id: "b", responseCode: "WSVRC005", uln })
    expect(lines[1].failureFlags).toContain("VRF7")
    expect(lines[2]).toEqual({ id: "c", responseCode: "WSVRC006", failureFlags: [], uln: null })
    expect(lines[3]).toMatchObject({ id: "d", responseCode: "WSEC0136", uln: null })
    expect(out.stderr).toMatch(/verify\.csv line 5: uln: the check digit is wrong/)
    // quoting in core's words, as batch files and the register import say it
    expect(out.stderr).toContain(`verify.csv line 6: givenName has a quote inside a value that does not start with one: ${Csv.QUOTING_RULE}`)
  })
})
