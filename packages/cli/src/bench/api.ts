/**
 * `lrs bench api`: the speed figures of CONTRACT §7 for the reference server over HTTP.
 *
 * 1. A PostgreSQL server: `DATABASE_URL`, else a throwaway cluster from the local `initdb`/`pg_ctl`.
 * 2. A fresh database on it, migrated; N synthetic learners bulk-loaded (learners per second); an
 *    LRB with an OnlineUser to sign in as.
 * 3. Two child processes on loopback: the LRS server (`lrs serve`, rate limit off) and the baseline
 *    (`lrs bench baseline`: bare node:http + pg, the same SQL as `Learners.resolve`).
 * 4. Throughput at saturation: a closed-loop load generator (this process) against each, find by
 *    ULN on both and find by demographics on the LRS server; the LRS/baseline ratio.
 * 5. Latency at a stated load: an open-loop generator at a fixed rate — by default half the
 *    throughput the LRS server sustained for that operation in step 4 (50 % utilisation), or
 *    `--rate` — each latency counted from when its request was due. The latency targets are
 *    checked here: at saturation a closed loop measures queueing (connections ÷ throughput: at 32
 *    connections even the baseline's p99 is above 20 ms), not how fast the server answers.
 *
 * The choice of load for the latency targets is ours (CONTRACT §7 names none); it is made here
 * only, and the report prints the rate used and the saturated latencies beside it.
 *
 * @since 0.1.0
 */
import { Command, Options } from "@effect/cli"
import { SyntheticLearners } from "@learner-records/core"
import { Baseline, BulkLoad, Database, LocalPostgres, Migrations, StackBaseline } from "@learner-records/server"
import { Console, Effect, Layer, Option } from "effect"
import { type ChildProcess, spawn } from "node:child_process"
import { randomBytes } from "node:crypto"
import { ExitCode } from "../internal/io.js"
import * as Load from "./load.js"

/**
 * The CONTRACT §7 targets this benchmark checks.
 *
 * @since 0.1.0
 * @category constants
 */
export const targets = {
  bulkPerSecond: 50_000,
  ulnRatio: 0.7,
  ulnP99Ms: 20,
  demographicsP95Ms: 15
} as const

/**
 * One measured run.
 *
 * @since 0.1.0
 * @category models
 */
export interface Run {
  readonly name: string
  readonly report: Load.LoadReport
}

/**
 * Everything `lrs bench api` measured.
 *
 * @since 0.1.0
 * @category models
 */
export interface ApiBenchReport {
  readonly postgres: string
  readonly database: "DATABASE_URL" | "throwaway cluster"
  readonly learners: number
  readonly connections: number
  readonly poolMax: number
  readonly seconds: number
  readonly warmupSeconds: number
  /** The find-by-ULN windows' interleaved rounds. */
  readonly rounds: number
  readonly bulk: BulkLoad.LoadResult
  readonly baselineUln: Load.LoadReport
  /** The stack baseline (`StackBaseline`): the same query as one HttpApi endpoint on @effect/sql-pg, nothing else. */
  readonly stackBaselineUln: Load.LoadReport
  readonly lrsUln: Load.LoadReport
  readonly lrsDemographics: Load.LoadReport
  /** How the latency runs' rates were chosen. */
  readonly rateRule: "half the saturated throughput" | "fixed (--rate)"
  readonly baselineUlnAtRate: Load.LoadReport
  readonly lrsUlnAtRate: Load.LoadReport
  readonly lrsDemographicsAtRate: Load.LoadReport
  /** The open-loop rates, requests per second. */
  readonly rates: { readonly uln: number; readonly demographics: number }
  readonly ratio: number
  /** Stack baseline ÷ baseline, find by ULN: the most the LRS server could reach on its stack. */
  readonly stackRatio: number
  readonly checks: ReadonlyArray<Check>
}

/**
 * One target: what was measured against what was wanted.
 *
 * @since 0.1.0
 * @category models
 */
export interface Check {
  readonly target: string
  readonly measured: string
  readonly pass: boolean
}

/**
 * The PASS/FAIL checks of a report's figures.
 *
 * @since 0.1.0
 * @category checks
 */
export const checksOf = (figures: {
  readonly bulkPerSecond: number
  readonly ratio: number
  readonly ulnP99: number
  readonly demographicsP95: number
  readonly errors: number
}): ReadonlyArray<Check> => [
  {
    target: `bulk load ≥ ${targets.bulkPerSecond.toLocaleString("en-GB")} learners/s`,
    measured: `${Math.round(figures.bulkPerSecond).toLocaleString("en-GB")}/s`,
    pass: figures.bulkPerSecond >= targets.bulkPerSecond
  },
  {
    target: `find by ULN ≥ ${targets.ulnRatio * 100} % of the baseline's throughput`,
    measured: `${(figures.ratio * 100).toFixed(1)} %`,
    pass: figures.ratio >= targets.ulnRatio
  },
  { target: `find by ULN p99 < ${targets.ulnP99Ms} ms (at rate)`, measured: `${figures.ulnP99.toFixed(2)} ms`, pass: figures.ulnP99 < targets.ulnP99Ms },
  {
    target: `find by demographics p95 < ${targets.demographicsP95Ms} ms (at rate)`,
    measured: `${figures.demographicsP95.toFixed(2)} ms`,
    pass: figures.demographicsP95 < targets.demographicsP95Ms
  },
  { target: "no failed requests", measured: `${figures.errors}`, pass: figures.errors === 0 }
]

const fixed = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : "–")

/**
 * The report as printed: a header, the bulk load, a table of runs, the ratio and the checks.
 *
 * @since 0.1.0
 * @category formatting
 */
export const formatReport = (r: ApiBenchReport): string => {
  const row = (name: string, x: Load.LoadReport) =>
    `| ${name} | ${Math.round(x.throughput).toLocaleString("en-GB")} | ${fixed(x.latency.p50)} | ${fixed(x.latency.p95)} | ${fixed(x.latency.p99)} | ${fixed(x.latency.max)} | ${x.errors} |`
  const rateRow = (name: string, rate: number, x: Load.LoadReport) =>
    `| ${name} | ${Math.round(rate).toLocaleString("en-GB")} | ${fixed(x.latency.p50)} | ${fixed(x.latency.p95)} | ${fixed(x.latency.p99)} | ${fixed(x.latency.max)} | ${x.errors} |`
  return [
    `lrs bench api — ${r.learners.toLocaleString("en-GB")} learners, ${r.postgres} (${r.database}), ${r.connections} connections,`,
    `pool ${r.poolMax} per server, ${r.seconds} s windows after ${r.warmupSeconds} s warm-up, everything on this machine's loopback`,
    "",
    `bulk load   ${r.bulk.inserted.toLocaleString("en-GB")} learners in ${r.bulk.seconds.toFixed(1)} s = ${
      Math.round(r.bulk.perSecond).toLocaleString("en-GB")
    } learners/s (${r.bulk.method === "copy" ? "COPY" : "INSERT … unnest"}${r.bulk.rebuilt ? ", indexes and foreign keys rebuilt after" : ""})`,
    "",
    `saturated: ${r.connections} closed-loop connections; find by ULN on the three servers in ${r.rounds} interleaved rounds of ${
      fixed(r.seconds / r.rounds, 1)
    } s each`,
    "",
    "| run | req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
    "|---|---:|---:|---:|---:|---:|---:|",
    row("find by ULN — baseline (node:http + pg)", r.baselineUln),
    row("find by ULN — stack baseline (HttpApi + sql-pg, the query only)", r.stackBaselineUln),
    row("find by ULN — LRS server", r.lrsUln),
    row("find by demographics — LRS server", r.lrsDemographics),
    "",
    `at rate: open loop, latency from when each request was due; rate = ${r.rateRule}`,
    "",
    "| run | rate req/s | p50 ms | p95 ms | p99 ms | max ms | errors |",
    "|---|---:|---:|---:|---:|---:|---:|",
    rateRow("find by ULN — baseline (node:http + pg)", r.rates.uln, r.baselineUlnAtRate),
    rateRow("find by ULN — LRS server", r.rates.uln, r.lrsUlnAtRate),
    rateRow("find by demographics — LRS server", r.rates.demographics, r.lrsDemographicsAtRate),
    "",
    `ratio LRS / baseline, find by ULN: ${r.ratio.toFixed(3)}`,
    `ratio stack baseline / baseline, find by ULN: ${r.stackRatio.toFixed(3)} (the ceiling of the LRS server's stack; not a target)`,
    "",
    ...r.checks.map((c) => `${c.pass ? "PASS" : "FAIL"}  ${c.target.padEnd(48)} ${c.measured}`)
  ].join("\n")
}

const fail = (message: string, code = 2) => new ExitCode({ code, message })

/** The PostgreSQL server to use: `DATABASE_URL`, else a throwaway cluster, else an explanation. */
const postgresServer = Effect.gen(function*() {
  const url = process.env["DATABASE_URL"]
  if (url !== undefined && url.trim() !== "") return { url, source: "DATABASE_URL" as const }
  const bin = LocalPostgres.findBin()
  if (bin === undefined) {
    return yield* fail(
      "lrs bench api needs PostgreSQL: set DATABASE_URL to a server whose role may CREATE DATABASE, or install " +
        "PostgreSQL (initdb and pg_ctl on PATH or in /usr/lib/postgresql/<version>/bin; apt-get install -y postgresql) " +
        "so the bench can start a throwaway cluster."
    )
  }
  // the shared buffers hold the whole 1M-learner table and its indexes, for both servers alike
  const cluster = yield* LocalPostgres.scoped(bin, { settings: ["shared_buffers = '512MB'", "max_wal_size = '4GB'"] }).pipe(
    Effect.mapError((e) => fail(e.message))
  )
  return { url: cluster.url, source: "throwaway cluster" as const }
})

const freePort = Effect.promise(() => LocalPostgres.freePort())

/** Output kept from a child, for the error message when it dies. */
const tail = (lines: Array<string>) => lines.join("").split("\n").slice(-30).join("\n")

/**
 * Starts `lrs <args>` in a child process (the same node flags and entry as this one) and waits
 * until `readyUrl` answers 200; SIGTERM (then SIGKILL) when the scope closes.
 */
const child = (
  name: string,
  args: ReadonlyArray<string>,
  env: Readonly<Record<string, string>>,
  readyUrl: string,
  nodeArgs: ReadonlyArray<string>
) =>
  Effect.gen(function*() {
    const output: Array<string> = []
    const proc = yield* Effect.acquireRelease(
      Effect.sync(() => {
        const p = spawn(process.execPath, [...process.execArgv, ...nodeArgs, process.argv[1]!, ...args], {
          env: { ...process.env, ...env },
          stdio: ["ignore", "pipe", "pipe"]
        })
        const keep = (chunk: Buffer) => {
          output.push(chunk.toString("utf8"))
          if (output.length > 200) output.splice(0, output.length - 200)
        }
        p.stdout?.on("data", keep)
        p.stderr?.on("data", keep)
        return p
      }),
      (p) => Effect.promise(() => stop(p))
    )
    const deadline = Date.now() + 120_000
    for (;;) {
      if (proc.exitCode !== null || proc.signalCode !== null) {
        return yield* fail(`the ${name} exited before it was ready (${proc.exitCode ?? proc.signalCode}):\n${tail(output)}`)
      }
      const ok = yield* Effect.promise(() => fetch(readyUrl).then((r) => r.ok, () => false))
      if (ok) return proc
      if (Date.now() > deadline) return yield* fail(`the ${name} was not ready after 120 s:\n${tail(output)}`)
      yield* Effect.sleep("200 millis")
    }
  })

const stop = (p: ChildProcess): Promise<void> =>
  new Promise((resolve) => {
    if (p.exitCode !== null || p.signalCode !== null) return resolve()
    const kill = setTimeout(() => p.kill("SIGKILL"), 10_000)
    p.once("exit", () => {
      clearTimeout(kill)
      resolve()
    })
    p.kill("SIGTERM")
  })

const postJson = (url: string, body: unknown, headers: Readonly<Record<string, string>> = {}) =>
  Effect.promise(async () => {
    const response = await fetch(url, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) })
    const text = await response.text()
    let json: unknown = undefined
    try {
      json = JSON.parse(text)
    } catch {
      json = undefined
    }
    return { status: response.status, json, text }
  })

const responseCodeOf = (json: unknown): unknown =>
  typeof json === "object" && json !== null && "responseCode" in json ? json.responseCode : undefined

const learnerOf = (json: unknown): unknown => (typeof json === "object" && json !== null && "learner" in json ? json.learner : undefined)

/** JSON with object keys sorted (jsonb does not keep the order keys were written in). */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    typeof v === "object" && v !== null && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v)

/** A random element (the requests are drawn with replacement). */
const randomOf = <A>(xs: ReadonlyArray<A>): A => xs[Math.floor(Math.random() * xs.length)]!

/**
 * Runs the whole benchmark and returns its report.
 *
 * @since 0.1.0
 * @category running
 */
export const runApiBench = (options: {
  readonly learners: number
  readonly seconds: number
  readonly warmupSeconds: number
  /** Find by ULN on the three servers: each window cut into this many parts, taking turns (default 3). */
  readonly rounds?: number | undefined
  readonly connections: number
  readonly poolMax: number
  readonly seed: string
  /** The open-loop rate of the latency runs (req/s); default: half the saturated throughput of each operation. */
  readonly rate?: number | undefined
  /** Write V8 CPU profiles of both servers to this folder (`.cpuprofile`, open in Chrome DevTools). */
  readonly profileDir?: string | undefined
  readonly log: (line: string) => Effect.Effect<void>
}) =>
  Effect.scoped(Effect.gen(function*() {
    const { log } = options
    const server = yield* postgresServer
    yield* log(`PostgreSQL: ${server.source === "DATABASE_URL" ? "DATABASE_URL" : "throwaway cluster started"}`)
    const database = yield* LocalPostgres.freshDatabase(server.url, "lrs_bench").pipe(Effect.mapError((e) => fail(`cannot create the bench database: ${e.message}`)))

    const password = randomBytes(12).toString("base64url")
    const username = `bench.online.${randomBytes(3).toString("hex")}`
    // the synthetic registry (a million objects) is reachable only inside this step: the load
    // generator runs in this process, and a heap that still held it would make each of its major
    // garbage collections mark it all, pausing the generator and adding to every latency it measures
    const { bulk, demographicBodies, demographicProbeBody, probeBody, ulnBodies } = yield* Effect.gen(function*() {
      yield* log(`generating ${options.learners.toLocaleString("en-GB")} synthetic learners (seed ${JSON.stringify(options.seed)})`)
      const registry = SyntheticLearners.generate({ learners: options.learners, seed: options.seed })
      yield* Migrations.run
      const loader = yield* BulkLoad.BulkLoad
      yield* log("bulk loading")
      const bulk = yield* loader.learners(registry)
      yield* log(`bulk load: ${Math.round(bulk.perSecond).toLocaleString("en-GB")} learners/s`)
      yield* loader.caller({
        organisationName: "Bench LRB",
        ukprn: "10000001",
        kinds: ["LRB"],
        username,
        password,
        roles: ["OnlineUser"]
      })
      // the requests: random learners with the names of the learner that answers (a linked ULN answers with its master)
      const byUln = new Map<string, SyntheticLearners.SyntheticLearner>()
      for (const l of registry) if (l.masterUln === undefined) byUln.set(l.uln, l)
      const ulnBodies = Array.from({ length: Math.min(20_000, registry.length) }, () => {
        const l = randomOf(registry)
        const answering = l.masterUln === undefined ? l : byUln.get(l.masterUln) ?? l
        return JSON.stringify({ uln: l.uln, givenName: answering.givenName, familyName: answering.familyName })
      })
      const searches = SyntheticLearners.searches(registry, { count: 5_000, seed: options.seed, cleanShare: 0.5, doubleShare: 0, absentShare: 0 })
      const demographicBodies = searches.map((q) => JSON.stringify(q.search))

      const probe = registry.find((l) => l.masterUln === undefined)!
      const probeBody = { uln: probe.uln, givenName: probe.givenName, familyName: probe.familyName }
      return { bulk, ulnBodies, demographicBodies, probeBody, demographicProbeBody: searches[0]!.search }
    }).pipe(
      Effect.provide(BulkLoad.BulkLoad.Default.pipe(Layer.provideMerge(Database.layerPg(database.url, { maxConnections: 2 })))),
      Effect.mapError((e) => fail(`preparing the database failed: ${e.message}`))
    )

    const [lrsPort, baselinePort, stackPort] = [yield* freePort, yield* freePort, yield* freePort]
    const env = {
      DATABASE_URL: database.url,
      DATABASE_POOL_MAX: String(options.poolMax),
      LRS_RATE_LIMIT: "0",
      LRS_ADMIN_PASSWORD: randomBytes(12).toString("base64url")
    }
    const nodeArgs = options.profileDir === undefined ? [] : ["--cpu-prof", "--cpu-prof-dir", options.profileDir]
    yield* log("starting the LRS server and the baseline")
    yield* child("LRS server", ["serve", "--port", String(lrsPort), "--host", "127.0.0.1"], env, `http://127.0.0.1:${lrsPort}/readyz`, nodeArgs)
    yield* child("baseline", ["bench", "baseline", "--port", String(baselinePort), "--pool", String(options.poolMax)], env, `http://127.0.0.1:${baselinePort}/healthz`, nodeArgs)
    yield* child(
      "stack baseline",
      ["bench", "baseline", "--stack", "--port", String(stackPort), "--pool", String(options.poolMax)],
      env,
      `http://127.0.0.1:${stackPort}/healthz`,
      nodeArgs
    )
    const lrsUrl = `http://127.0.0.1:${lrsPort}`
    const baselineUrl = `http://127.0.0.1:${baselinePort}`
    const stackUrl = `http://127.0.0.1:${stackPort}`

    const login = yield* postJson(`${lrsUrl}/api/v1/auth/login`, { username, password })
    const token = typeof login.json === "object" && login.json !== null && "token" in login.json ? String(login.json.token) : undefined
    if (login.status !== 200 || token === undefined) return yield* fail(`sign-in on the LRS server failed: ${login.status} ${login.text}`)
    const auth = { authorization: `Bearer ${token}` }

    // both servers must answer the same learner before their speed is compared
    const fromLrs = yield* postJson(`${lrsUrl}/api/v1/learners/find-by-uln`, probeBody, auth)
    const fromBaseline = yield* postJson(`${baselineUrl}/learners/find-by-uln`, probeBody)
    const fromStack = yield* postJson(`${stackUrl}/learners/find-by-uln`, probeBody)
    if (fromLrs.status !== 200 || responseCodeOf(fromLrs.json) !== "WSRC0004") {
      return yield* fail(`the LRS server does not find a loaded learner by ULN: ${fromLrs.status} ${fromLrs.text.slice(0, 500)}`)
    }
    if (canonical(learnerOf(fromLrs.json)) !== canonical(learnerOf(fromBaseline.json))) {
      return yield* fail(`the baseline and the LRS server answer differently:\n  LRS      ${fromLrs.text}\n  baseline ${fromBaseline.text}`)
    }
    if (canonical(learnerOf(fromLrs.json)) !== canonical(learnerOf(fromStack.json))) {
      return yield* fail(`the stack baseline and the LRS server answer differently:\n  LRS            ${fromLrs.text}\n  stack baseline ${fromStack.text}`)
    }
    const demographicProbe = yield* postJson(`${lrsUrl}/api/v1/learners/find-by-demographics`, demographicProbeBody, auth)
    if (demographicProbe.status !== 200) {
      return yield* fail(`the LRS server does not answer a find by demographics: ${demographicProbe.status} ${demographicProbe.text.slice(0, 500)}`)
    }

    /** A closed loop of the bench's settings against one server, each request a random one of `bodies`. */
    const closedLoop = (baseUrl: string, path: string, bodies: ReadonlyArray<string>, headers: Readonly<Record<string, string>>): Load.LoadOptions => ({
      baseUrl,
      connections: options.connections,
      warmupSeconds: options.warmupSeconds,
      seconds: options.seconds,
      headers,
      next: () => ({ path, body: randomOf(bodies) })
    })
    const measure = (name: string, baseUrl: string, path: string, bodies: ReadonlyArray<string>, headers: Readonly<Record<string, string>>) =>
      Effect.zipRight(log(`measuring ${name}`), Effect.promise(() => Load.run(closedLoop(baseUrl, path, bodies, headers))))
    // the three find-by-ULN windows take turns, so that the machine's drift weighs on each alike
    const rounds = options.rounds ?? 3
    yield* log(`measuring find by ULN on the baseline, the stack baseline and the LRS server, in ${rounds} interleaved rounds`)
    const [baselineUln, stackBaselineUln, lrsUln] = yield* Effect.promise(() =>
      Load.runInterleaved([
        closedLoop(baselineUrl, "/learners/find-by-uln", ulnBodies, {}),
        closedLoop(stackUrl, "/learners/find-by-uln", ulnBodies, {}),
        closedLoop(lrsUrl, "/api/v1/learners/find-by-uln", ulnBodies, auth)
      ], rounds)
    )
    if (baselineUln === undefined || stackBaselineUln === undefined || lrsUln === undefined) {
      return yield* fail("the interleaved find-by-ULN runs returned fewer reports than servers")
    }
    const lrsDemographics = yield* measure("find by demographics on the LRS server", lrsUrl, "/api/v1/learners/find-by-demographics", demographicBodies, auth)

    const ratio = baselineUln.throughput > 0 ? lrsUln.throughput / baselineUln.throughput : 0
    const stackRatio = baselineUln.throughput > 0 ? stackBaselineUln.throughput / baselineUln.throughput : 0

    const atRate = (name: string, rate: number, baseUrl: string, path: string, bodies: ReadonlyArray<string>, headers: Readonly<Record<string, string>>) =>
      Effect.gen(function*() {
        yield* log(`measuring ${name} at ${Math.round(rate).toLocaleString("en-GB")} req/s`)
        return yield* Effect.promise(() =>
          Load.runAtRate({
            baseUrl,
            rate,
            warmupSeconds: options.warmupSeconds,
            seconds: options.seconds,
            headers,
            next: () => ({ path, body: randomOf(bodies) })
          })
        )
      })
    const rates = {
      uln: options.rate ?? Math.max(1, lrsUln.throughput / 2),
      demographics: options.rate ?? Math.max(1, lrsDemographics.throughput / 2)
    }
    const baselineUlnAtRate = yield* atRate("find by ULN on the baseline", rates.uln, baselineUrl, "/learners/find-by-uln", ulnBodies, {})
    const lrsUlnAtRate = yield* atRate("find by ULN on the LRS server", rates.uln, lrsUrl, "/api/v1/learners/find-by-uln", ulnBodies, auth)
    const lrsDemographicsAtRate = yield* atRate(
      "find by demographics on the LRS server",
      rates.demographics,
      lrsUrl,
      "/api/v1/learners/find-by-demographics",
      demographicBodies,
      auth
    )
    return {
      postgres: database.version.split(" on ")[0]!.split(",")[0]!,
      database: server.source,
      learners: options.learners,
      connections: options.connections,
      poolMax: options.poolMax,
      seconds: options.seconds,
      warmupSeconds: options.warmupSeconds,
      rounds,
      bulk,
      baselineUln,
      stackBaselineUln,
      lrsUln,
      lrsDemographics,
      rateRule: options.rate === undefined ? "half the saturated throughput" : "fixed (--rate)",
      baselineUlnAtRate,
      lrsUlnAtRate,
      lrsDemographicsAtRate,
      rates,
      ratio,
      stackRatio,
      checks: checksOf({
        bulkPerSecond: bulk.perSecond,
        ratio,
        ulnP99: lrsUlnAtRate.latency.p99,
        demographicsP95: lrsDemographicsAtRate.latency.p95,
        errors: baselineUln.errors + stackBaselineUln.errors + lrsUln.errors + lrsDemographics.errors + baselineUlnAtRate.errors + lrsUlnAtRate.errors +
          lrsDemographicsAtRate.errors
      })
    } satisfies ApiBenchReport
  }))

/**
 * `lrs bench api`: exit 0 when every target passes, 1 when one fails, 2 when it cannot run.
 *
 * @since 0.1.0
 * @category commands
 */
export const benchApi = Command.make("api", {
  learners: Options.integer("learners").pipe(Options.withDefault(1_000_000), Options.withDescription("Synthetic learners to bulk-load")),
  seconds: Options.float("seconds").pipe(Options.withDefault(10), Options.withDescription("Length of each timed window")),
  warmup: Options.float("warmup").pipe(Options.withDefault(2), Options.withDescription("Warm-up before each window (not counted)")),
  connections: Options.integer("connections").pipe(Options.withDefault(32), Options.withDescription("Concurrent closed-loop workers (keep-alive connections)")),
  pool: Options.integer("pool").pipe(Options.withDefault(10), Options.withDescription("Database pool size of each server (DATABASE_POOL_MAX)")),
  rate: Options.float("rate").pipe(
    Options.optional,
    Options.withDescription("Open-loop rate (req/s) of the latency runs; default: half the saturated throughput of each operation")
  ),
  seed: Options.text("seed").pipe(Options.withDefault("bench"), Options.withDescription("Seed of the synthetic learners and searches")),
  rounds: Options.integer("rounds").pipe(
    Options.withDefault(3),
    Options.withDescription("Find by ULN: cut each server's window into this many parts, taken in turns")
  ),
  json: Options.boolean("json").pipe(Options.withDescription("Print the report as JSON")),
  profile: Options.directory("profile").pipe(
    Options.optional,
    Options.withDescription("Write CPU profiles of both servers (.cpuprofile) to this folder")
  )
}, ({ connections, json, learners, pool, profile, rate, rounds, seconds, seed, warmup }) =>
  Effect.gen(function*() {
    const report = yield* runApiBench({
      learners,
      seconds,
      warmupSeconds: warmup,
      rounds,
      connections,
      poolMax: pool,
      seed,
      rate: Option.getOrUndefined(rate),
      profileDir: Option.getOrUndefined(profile),
      // progress goes to stderr, so --json output stays clean
      log: (line) => Console.error(`… ${line}`)
    })
    yield* Console.log(json ? JSON.stringify(report, null, 2) : formatReport(report))
    if (report.checks.some((c) => !c.pass)) return yield* Effect.fail(new ExitCode({ code: 1 }))
  })).pipe(Command.withDescription("Find by ULN and by demographics over HTTP on 1M learners, against a bare node:http + pg baseline (CONTRACT §7)"))

/**
 * `lrs bench baseline --port N`: serves the baseline of `lrs bench api` on `DATABASE_URL` until
 * stopped (`bench api` starts it as a child process).
 *
 * @since 0.1.0
 * @category commands
 */
export const benchBaseline = Command.make("baseline", {
  port: Options.integer("port").pipe(Options.withDefault(0), Options.withDescription("Port to listen on (0: any)")),
  pool: Options.integer("pool").pipe(Options.withDefault(10), Options.withDescription("Database pool size")),
  stack: Options.boolean("stack").pipe(
    Options.withDescription("Serve the stack baseline instead: the same query as one HttpApi endpoint on @effect/sql-pg")
  )
}, ({ pool, port, stack }) =>
  Effect.gen(function*() {
    const url = Option.fromNullable(process.env["DATABASE_URL"]).pipe(Option.filter((u) => u.trim() !== ""))
    if (Option.isNone(url)) return yield* fail("lrs bench baseline needs DATABASE_URL")
    if (stack) {
      const served = yield* StackBaseline.listen({ url: url.value, port, poolMax: pool }).pipe(
        Effect.mapError((e) => fail(`cannot start the stack baseline: ${e.message}`))
      )
      yield* Console.log(`stack baseline (HttpApi + @effect/sql-pg) listening on http://127.0.0.1:${served.port}`)
      return yield* Effect.never
    }
    const server = yield* Effect.acquireRelease(
      Effect.tryPromise({ try: () => Baseline.listen({ url: url.value, port, poolMax: pool }), catch: (e) => fail(`cannot start the baseline: ${String(e)}`) }),
      (s) => Effect.promise(() => s.close())
    )
    yield* Console.log(`baseline (node:http + pg) listening on http://127.0.0.1:${server.port}`)
    return yield* Effect.never
  }).pipe(Effect.scoped)).pipe(Command.withDescription("Serve the bare node:http + pg baseline of `bench api` on DATABASE_URL (with --stack: the stack baseline)"))
