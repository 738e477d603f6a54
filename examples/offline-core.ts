/**
 * Embed `@learner-records/core` to check data before sending it — no server, no network: validate
 * a ULN (check digit) and a whole batch file (naming rule, header, every row).
 *
 *   node --conditions=source --import tsx examples/offline-core.ts [batch file …]
 *
 * Without arguments it checks the sample files in examples/batch-files/.
 */
import { BatchFile, Uln } from "@learner-records/core"
import { readFileSync } from "node:fs"
import * as path from "node:path"
import { fileURLToPath, pathToFileURL } from "node:url"

const here = path.dirname(fileURLToPath(import.meta.url))

export const samples: ReadonlyArray<string> = [
  path.join(here, "batch-files/registration/LRB_10012345_310120241530.CSV"),
  path.join(here, "batch-files/registration/LRB_10012345_310120241530.XML"),
  path.join(here, "batch-files/registration/broken/LRB_10012345_310120241531.CSV")
]

export const checkUln = (candidate: string): string => {
  const result = Uln.validate(candidate)
  return result.valid ? `${candidate}: valid` : `${candidate}: invalid (${result.reason})`
}

export const checkFile = (file: string): { readonly ok: boolean; readonly summary: string } => {
  const report = BatchFile.validate(readFileSync(file, "utf8"), { fileName: path.basename(file) })
  const problems = report.errors.slice(0, 3).map((p) => `row ${p.row} ${p.field} ${p.code}: ${p.message}`)
  return {
    ok: report.ok,
    summary: `${path.basename(file)}: ${report.kind ?? "?"} ${report.format ?? "?"}, ${report.validRecords}/${report.records} valid` +
      (problems.length === 0 ? "" : `\n  ${problems.join("\n  ")}`)
  }
}

/** `baseUrl` is not used: everything here runs offline. */
export const main = async (_baseUrl?: string, files: ReadonlyArray<string> = samples): Promise<ReadonlyArray<string>> => [
  checkUln(Uln.generate()),
  checkUln("1234567890"),
  ...files.map((file) => checkFile(file).summary)
]

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const files = process.argv.slice(2)
  for (const line of await main(undefined, files.length === 0 ? samples : files)) console.log(line)
}
