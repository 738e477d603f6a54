/**
 * Every example in examples/ runs against the harness server (imported `main(baseUrl)`), and one
 * is run as a user would, as a script (`node --conditions=source --import tsx`).
 * `pnpm check` type-checks them (examples/tsconfig.json is referenced from the root).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"
import { type LrsHarness, startServer } from "./harness.js"

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), "../../..")

// imported by path: the examples are their own TypeScript project (examples/tsconfig.json)
const example = async <M>(file: string): Promise<M> => (await import(path.join(root, "examples", file))) as M
type Main<Args extends ReadonlyArray<unknown>, A> = { readonly main: (baseUrl: string, ...args: Args) => Promise<A> }
const registerAndVerify = await example<Main<[], string>>("register-and-verify.ts")
const findByDemographics = await example<Main<[search: unknown], string>>("find-by-demographics.ts")
const achievements = await example<Main<[award: Record<string, string>], ReadonlyArray<string>>>("achievements.ts")
const offlineCore = await example<{ readonly main: () => Promise<ReadonlyArray<string>> }>("offline-core.ts")

let lrs: LrsHarness
beforeAll(async () => {
  lrs = await startServer()
})
afterAll(() => lrs?.close())

describe("examples/", () => {
  it("register-and-verify.ts registers a learner and verifies the new ULN", async () => {
    expect(await registerAndVerify.main(lrs.baseUrl)).toMatch(/^registered \d{10} \(WSRC0005\); verify: WSVRC001$/)
  })

  it("find-by-demographics.ts handles each outcome", async () => {
    const outcomes = []
    for (const code of ["WSRC0004", "WSRC0003", "WSRC0002", "WSRC0001"]) {
      outcomes.push(await findByDemographics.main(lrs.baseUrl, lrs.scenario("learners.findByDemographics", code)))
    }
    expect(outcomes[0]).toMatch(/^WSRC0004 found \d{10}$/)
    expect(outcomes[1]).toMatch(/^WSRC0003 possible: \d{10} \(\d\.\d\d\), \d{10}/)
    expect(outcomes[2]).toBe("WSRC0002 too many matches, refine the search")
    expect(outcomes[3]).toBe("WSRC0001 no match, register the learner")
  })

  it("achievements.ts creates, withdraws and reinstates as an AO", async () => {
    const body = lrs.scenario("achievements.create", "201") as Record<string, string>
    const log = await achievements.main(lrs.baseUrl, {
      uln: body["uln"]!,
      givenName: body["givenName"]!,
      familyName: body["familyName"]!,
      subjectCode: body["subjectCode"]!,
      awardDate: "2024-04-30"
    })
    expect(log).toEqual([expect.stringMatching(/^ACH001 /), "ACH003 Withdrawn", expect.stringMatching(/^409 /), "ACH004 Active"])
  })

  it("offline-core.ts validates ULNs and batch files without a server", async () => {
    const lines = await offlineCore.main()
    expect(lines[0]).toMatch(/^\d{10}: valid$/)
    expect(lines[1]).toMatch(/^1234567890: invalid/)
    expect(lines[2]).toMatch(/LRB_10012345_310120241530\.CSV: registration csv, (\d+)\/\1 valid$/)
    expect(lines[4]).toMatch(/\n {2}row /)
  })

  it("an example runs as a script", async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ["--conditions=source", "--import", "tsx", "examples/find-by-demographics.ts"],
      { cwd: root, env: { ...process.env, LRS_URL: lrs.baseUrl }, timeout: 60_000 }
    )
    expect(stdout.trim()).toMatch(/^WSRC0004 found \d{10}$/)
  })
})
