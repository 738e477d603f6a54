import { Command, Options } from "@effect/cli"
import { BatchFile, BatchRow, Csv, Uln } from "@learner-records/core"
import { Console, Effect } from "effect"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import { median } from "./measure.js"

const SUBJECTS = ["601/2977/3", "600/1166/X", "100/2508/X", "K/501/5773", "603/1234/8"]
const GRADES = ["Pass", "Merit", "Distinction", "A*", "B", "7", "4", "U"]
const NAMES = ["Amelia", "Oliver", "Priya", "Sam", "Zoë", "Mohammed", "Niamh", "Dylan"]
const FAMILY = ["Hughes", "O'Brien", "Shah", "Taylor", "Ward-Jones", "Nowak", "Evans", "Smith, Jr"]

/**
 * A realistic achievement file of `rows` Create rows (every row valid; a quoted name now and then),
 * as the bytes an awarding organisation would upload.
 */
export const achievementCsv = (rows: number): Uint8Array => {
  const ulns = Uln.generator({ seed: "bench-validate" })
  const lines = [
    Csv.formatRecord(BatchFile.HEADER_FIELDS),
    "1A,AO_10054321_310120241530.CSV,10054321,results@awarding.example.org",
    Csv.formatRecord(BatchRow.columns.achievement)
  ]
  for (let i = 0; i < rows; i++) {
    const year = 2000 + (i % 9)
    const dob = `${year}-${String(1 + (i % 12)).padStart(2, "0")}-${String(1 + (i % 28)).padStart(2, "0")}`
    lines.push(Csv.formatRecord([
      "Create", ulns(), NAMES[i % NAMES.length]!, FAMILY[(i >> 3) % FAMILY.length]!, dob, String([1, 2, 0, 9][i % 4]), `CAND-${i}`,
      SUBJECTS[i % SUBJECTS.length]!, `${year + 17}-08-${String(10 + (i % 18))}`, GRADES[i % GRADES.length]!, i % 3 === 0 ? "12" : "",
      "English", i % 5 === 0 ? "P" : "F", "10012345"
    ]))
  }
  return new TextEncoder().encode(lines.join("\r\n") + "\r\n")
}

const time = (runs: number, body: () => number): { readonly median: number; readonly best: number } => {
  let sink = 0
  for (let i = 0; i < 3; i++) sink += body() // warm-up: JIT and caches
  const times: Array<number> = []
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now()
    sink += body()
    times.push(performance.now() - t0)
  }
  if (sink === -1) throw new Error("unreachable")
  return { median: median(times), best: Math.min(...times) }
}

const ms = (x: number) => `${x.toFixed(1).padStart(7)} ms`

/** `lrs bench validate`: validating a 10,000-row achievement CSV, against merely reading and splitting it. */
export const benchValidate = Command.make("validate", {
  rows: Options.integer("rows").pipe(Options.withDefault(10_000), Options.withDescription("Rows in the achievement file")),
  runs: Options.integer("runs").pipe(Options.withDefault(20), Options.withDescription("Timed runs of each (after 3 warm-up runs)"))
}, ({ rows, runs }) =>
  Effect.gen(function*() {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "lrs-bench-"))
    const file = path.join(dir, "AO_10054321_310120241530.CSV")
    fs.writeFileSync(file, achievementCsv(rows))
    const size = fs.statSync(file).size
    const options = { fileName: path.basename(file), today: "2026-01-01" }
    try {
      // the least any validator must do: read the bytes, decode them, cut them into lines and fields
      const baseline = time(runs, () => {
        const text = new TextDecoder().decode(fs.readFileSync(file))
        let fields = 0
        for (const line of text.split("\r\n")) fields += line.split(",").length
        return fields
      })
      const whole = time(runs, () => {
        const report = BatchFile.validate(fs.readFileSync(file), options)
        if (!report.ok) throw new Error(`the generated file should be valid: ${JSON.stringify(report.errors.slice(0, 3))}`)
        return report.records
      })
      // the same through 64 KiB chunks, as `lrs validate` and the server read it
      const streamed = time(runs, () => {
        const fd = fs.openSync(file, "r")
        const buffer = new Uint8Array(64 * 1024)
        const reader = BatchFile.reader(options)
        let rowsSeen = 0
        try {
          for (let n = fs.readSync(fd, buffer); n > 0; n = fs.readSync(fd, buffer)) {
            for (const e of reader.push(buffer.subarray(0, n))) if (e._tag === "Row") rowsSeen++
          }
          for (const e of reader.end()) if (e._tag === "Row") rowsSeen++
        } finally {
          fs.closeSync(fd)
        }
        return rowsSeen
      })
      yield* Console.log([
        `lrs bench validate — ${rows.toLocaleString("en-GB")}-row achievement CSV (${(size / 1024 / 1024).toFixed(2)} MB), ${runs} runs, median (best)`,
        `  read + decode + split lines and fields (baseline)  ${ms(baseline.median)} (${baseline.best.toFixed(1)})`,
        `  BatchFile.validate, whole file                      ${ms(whole.median)} (${whole.best.toFixed(1)})`,
        `  BatchFile.reader, 64 KiB chunks                     ${ms(streamed.median)} (${streamed.best.toFixed(1)})`,
        `  ratio validate / baseline                           ${(whole.median / baseline.median).toFixed(1).padStart(7)} ×`,
        `  target: validate < 200 ms  →  ${whole.median < 200 ? "met" : "NOT met"}`
      ].join("\n"))
    } finally {
      fs.rmSync(dir, { recursive: true, force: true })
    }
  })).pipe(Command.withDescription("Validate a 10,000-row achievement CSV, against merely reading and splitting the same file"))
