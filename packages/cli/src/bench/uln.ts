import { Command, Options } from "@effect/cli"
import { Uln } from "@learner-records/core"
import { Console, Effect } from "effect"
import { formatRate, measure } from "./measure.js"

// A plain inline mod-11 loop over the same inputs: the fastest a validity check can be here,
// without the typed reason that Uln.validate gives.
const baselineValid = (s: string): boolean => {
  if (s.length !== 10 || s.charCodeAt(0) === 48) return false
  let sum = 0
  for (let i = 0; i < 10; i++) {
    const d = s.charCodeAt(i) - 48
    if (d < 0 || d > 9) return false
    sum += (10 - i) * d
  }
  return sum % 11 === 10
}

/** The inputs: mostly valid ULNs, with each kind of invalid one mixed in. */
export const ulnInputs = (size: number): Array<string> => {
  const next = Uln.generator({ seed: "bench-uln" })
  const out: Array<string> = []
  for (let i = 0; i < size; i++) {
    const v = next()
    switch (i % 10) {
      case 7: out.push(v.slice(0, 9) + ((Number(v[9]) + 1) % 10)); break // wrong check digit
      case 8: out.push("0" + v.slice(1)); break
      case 9: out.push(i % 20 === 9 ? "9999999999" : v.slice(0, 9)); break
      default: out.push(v)
    }
  }
  return out
}

/** `lrs bench uln`: ULN validations per second against the inline baseline, as a ratio. */
export const benchUln = Command.make("uln", {
  size: Options.integer("inputs").pipe(Options.withDefault(1_000_000), Options.withDescription("Distinct inputs in the working set")),
  seconds: Options.float("seconds").pipe(Options.withDefault(2), Options.withDescription("Time per measurement"))
}, ({ seconds, size }) =>
  Effect.gen(function*() {
    const inputs = ulnInputs(size)
    const baseline = measure(seconds, () => {
      let n = 0
      for (let i = 0; i < inputs.length; i++) if (baselineValid(inputs[i]!)) n++
      return { ops: inputs.length, sink: n }
    })
    const subject = measure(seconds, () => {
      let n = 0
      for (let i = 0; i < inputs.length; i++) if (Uln.validate(inputs[i]!).valid) n++
      return { ops: inputs.length, sink: n }
    })
    const ratio = subject.opsPerSecond / baseline.opsPerSecond
    yield* Console.log([
      `lrs bench uln — ${size.toLocaleString("en-GB")} inputs (80% valid), ${seconds}s per run, 1 core`,
      `  baseline (inline mod-11 loop)   ${formatRate(baseline.opsPerSecond)}`,
      `  Uln.validate (typed reason)      ${formatRate(subject.opsPerSecond)}`,
      `  ratio                           ${ratio.toFixed(2)}   (target ≥ 0.50; validate target ≥ 20 M/s)`
    ].join("\n"))
  })).pipe(Command.withDescription("ULN validations per second, against a plain-loop baseline in the same process"))
