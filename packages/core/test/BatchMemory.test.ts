import { describe, expect, it } from "@effect/vitest"
import { setFlagsFromString } from "node:v8"
import { runInNewContext } from "node:vm"
import { BatchFile, BatchRow, Csv, Uln } from "../src/index.js"

setFlagsFromString("--expose-gc")
const gc = runInNewContext("gc") as () => void

const header = Csv.format([BatchFile.HEADER_FIELDS, ["1A", "batch", "10012345", "a@b.org"], BatchRow.columns.achievement])

// feeds a 10,000-row achievement file to a reader chunk by chunk (the file is never whole in memory)
// and samples the heap, after a full collection, every 1,000 rows
const heapWhileReading = (keep: (event: BatchFile.BatchEvent) => void): Array<number> => {
  const ulns = Uln.generator({ seed: "memory" })
  const reader = BatchFile.reader({ today: "2024-06-30" })
  const samples: Array<number> = []
  reader.push(header)
  for (let i = 0; i < 10_000; i++) {
    const line = Csv.formatRecord(["Create", ulns(), "Ada", "Lovelace", "2006-12-10", "2", `CAND-${i}`, "601/2977/3", "2023-08-24", "Pass", "", "English", "F", "10012345"])
    for (const e of reader.push(line + "\r\n")) keep(e)
    if (i % 1000 === 999) {
      gc()
      samples.push(process.memoryUsage().heapUsed)
    }
  }
  for (const e of reader.end()) keep(e)
  return samples
}

describe("memory while reading a 10,000-row file", () => {
  it("stays flat: the reader holds only the record being read (and a hash per row for duplicates)", () => {
    let rows = 0
    const flat = heapWhileReading((e) => void (e._tag === "Row" && rows++))
    expect(rows).toBe(10_000)
    const growth = flat.at(-1)! - flat[0]!
    // a control that keeps every event shows what holding the rows would cost
    const kept: Array<BatchFile.BatchEvent> = []
    const holding = heapWhileReading((e) => void kept.push(e))
    const held = holding.at(-1)! - holding[0]!
    expect(kept.length).toBeGreaterThan(10_000)
    expect(held).toBeGreaterThan(5 * 1024 * 1024)
    expect(growth).toBeLessThan(held / 5)
    expect(growth).toBeLessThan(1.5 * 1024 * 1024)
  })
})
