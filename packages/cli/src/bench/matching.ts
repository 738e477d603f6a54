import { Command, Options } from "@effect/cli"
import { LearnerIndex, Matching, SyntheticLearners } from "@learner-records/core"
import { Console, Effect } from "effect"
import { formatRate, median } from "./measure.js"

/** Counts for one group of searches (one corruption kind, or all). */
export interface BandCounts {
  searches: number
  /** WSRC0004/0022 answers, and how many named the right learner. */
  exact: number
  exactCorrect: number
  /** WSRC0003 answers, the learners they returned, and how many contained the right one. */
  possible: number
  possibleLearners: number
  possibleCorrect: number
  tooMany: number
  none: number
  /** Searches for people on the register. */
  present: number
}

const emptyCounts = (): BandCounts => ({
  searches: 0, exact: 0, exactCorrect: 0, possible: 0, possibleLearners: 0, possibleCorrect: 0, tooMany: 0, none: 0, present: 0
})

/** The benchmark's findings. */
export interface MatchingReport {
  readonly learners: number
  readonly searches: number
  readonly groups: ReadonlyArray<readonly [string, BandCounts]>
  readonly falseExact: number
  readonly oneErrorFound: number
  readonly oneErrorSearches: number
  readonly searchesPerSecond: number
  readonly medianScoreMicros: number
  readonly p95ScoreMicros: number
  readonly medianBlock: number
  readonly p95Block: number
  readonly buildSeconds: number
}

const tally = (c: BandCounts, truth: string | undefined, out: Matching.FindOutcome): void => {
  c.searches++
  if (truth !== undefined) c.present++
  switch (out.responseCode) {
    case "WSRC0004":
    case "WSRC0022":
      c.exact++
      if (out.learners[0]?.uln === truth) c.exactCorrect++
      break
    case "WSRC0003":
      c.possible++
      c.possibleLearners += out.learners.length
      if (truth !== undefined && out.learners.some((l) => l.uln === truth)) c.possibleCorrect++
      break
    case "WSRC0002":
      c.tooMany++
      break
    case "WSRC0001":
      c.none++
  }
}

/** Generates the register and the searches, runs every search, and times it. Pure apart from the clock. */
export const runMatchingBench = (options: { readonly learners: number; readonly searches: number; readonly seed: string }): MatchingReport => {
  const t0 = performance.now()
  const registry = SyntheticLearners.generate({ learners: options.learners, seed: options.seed })
  const index = LearnerIndex.make(registry)
  const queries = SyntheticLearners.searches(registry, { count: options.searches, seed: options.seed })
  const buildSeconds = (performance.now() - t0) / 1000

  const groups = new Map<string, BandCounts>()
  const all = emptyCounts()
  let falseExact = 0
  let oneErrorFound = 0
  let oneErrorSearches = 0
  const outcomes: Array<Matching.FindOutcome> = []
  // end to end: blocking keys, index look-up, scoring and classification
  const t1 = performance.now()
  for (const q of queries) outcomes.push(index.find(q.search))
  const searchesPerSecond = queries.length / ((performance.now() - t1) / 1000)

  queries.forEach((q, i) => {
    const out = outcomes[i]!
    const group = q.truth === undefined ? "not on register" : q.corruptions.length === 0 ? "no error" : q.corruptions.length === 2 ? "two errors" : q.corruptions[0]!
    const c = groups.get(group) ?? emptyCounts()
    groups.set(group, c)
    tally(c, q.truth, out)
    tally(all, q.truth, out)
    if ((out.responseCode === "WSRC0004" || out.responseCode === "WSRC0022") && out.learners[0]?.uln !== q.truth) falseExact++
    if (q.truth !== undefined && q.corruptions.length === 1) {
      oneErrorSearches++
      if (out.learners.some((l) => l.uln === q.truth)) oneErrorFound++
    }
  })

  // scoring one search against its block, candidates already fetched: repeat to beat timer resolution
  const micros: Array<number> = []
  const blocks: Array<number> = []
  const sample = queries.slice(0, Math.min(queries.length, 5_000))
  let sink = 0
  for (const q of sample) {
    const block = index.candidates(q.search)
    blocks.push(block.length)
    const reps = 20
    const t = performance.now()
    for (let r = 0; r < reps; r++) sink += Matching.findPrepared(Matching.prepareSearch(q.search), block).passed
    micros.push(((performance.now() - t) * 1000) / reps)
  }
  if (sink < 0) throw new Error("unreachable")
  const sorted = [...micros].sort((a, b) => a - b)
  const sortedBlocks = [...blocks].sort((a, b) => a - b)
  const order = [
    "no error", ...SyntheticLearners.corruptions, "two errors", "not on register"
  ]
  return {
    learners: registry.length,
    searches: queries.length,
    groups: [...order.filter((g) => groups.has(g)).map((g) => [g, groups.get(g)!] as const), ["all", all] as const],
    falseExact,
    oneErrorFound,
    oneErrorSearches,
    searchesPerSecond,
    medianScoreMicros: median(micros),
    p95ScoreMicros: sorted[Math.floor(sorted.length * 0.95)] ?? 0,
    medianBlock: median(blocks),
    p95Block: sortedBlocks[Math.floor(sortedBlocks.length * 0.95)] ?? 0,
    buildSeconds
  }
}

const pct = (n: number, d: number): string => (d === 0 ? "    –" : `${((100 * n) / d).toFixed(1).padStart(5)}%`)

/** The report as the Markdown table printed by `lrs bench matching`. */
export const formatReport = (r: MatchingReport, seed: string): string => {
  const lines = [
    `lrs bench matching — ${r.learners.toLocaleString("en-GB")} learners, ${r.searches.toLocaleString("en-GB")} searches, seed ${JSON.stringify(seed)} (built in ${r.buildSeconds.toFixed(1)} s)`,
    "",
    "exact band = WSRC0004/0022; possible band = WSRC0003. Exact precision: right learner / exact answers. Exact recall:",
    "right exact answers / searches for registered people. Possible precision: right learner / learners returned;",
    "possible recall: WSRC0003 answers containing the right learner / searches for registered people.",
    "Found = right learner returned (exact or possible).",
    "",
    "| searches | n | exact precision | exact recall | possible precision | possible recall | found | WSRC0002 | WSRC0001 |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  ]
  for (const [name, c] of r.groups) {
    lines.push(`| ${name} | ${c.searches} | ${pct(c.exactCorrect, c.exact)} | ${pct(c.exactCorrect, c.present)} | ${pct(c.possibleCorrect, c.possibleLearners)} | ${pct(c.possibleCorrect, c.present)} | ${pct(c.exactCorrect + c.possibleCorrect, c.present)} | ${pct(c.tooMany, c.searches)} | ${pct(c.none, c.searches)} |`)
  }
  const oneError = r.oneErrorSearches === 0 ? 0 : r.oneErrorFound / r.oneErrorSearches
  lines.push(
    "",
    `false exact matches           ${r.falseExact}   (target 0)`,
    `one-error searches found       ${(100 * oneError).toFixed(2)}% of ${r.oneErrorSearches}   (target ≥ 98%)`,
    `score one search vs its block  median ${r.medianScoreMicros.toFixed(1)} µs, p95 ${r.p95ScoreMicros.toFixed(1)} µs   (target median < 50 µs)`,
    `block size                     median ${r.medianBlock}, p95 ${r.p95Block} candidates`,
    `end to end (keys, look-up, score, classify)  ${formatRate(r.searchesPerSecond)} searches on 1 core`
  )
  return lines.join("\n")
}

/** `lrs bench matching`: precision and recall per corruption kind, and speed. */
export const benchMatching = Command.make("matching", {
  learners: Options.integer("learners").pipe(Options.withDefault(100_000), Options.withDescription("Learners on the synthetic register")),
  searches: Options.integer("searches").pipe(Options.withDefault(10_000), Options.withDescription("Corrupted searches with ground truth")),
  seed: Options.text("seed").pipe(Options.withDefault("bench"), Options.withDescription("Seed for the register and the searches"))
}, ({ learners, searches, seed }) =>
  Effect.gen(function*() {
    const report = runMatchingBench({ learners, searches, seed })
    yield* Console.log(formatReport(report, seed))
  })).pipe(Command.withDescription("Find-by-demographics quality (precision/recall per corruption kind) and speed on synthetic learners"))
