/**
 * The load generators of `lrs bench api`:
 * - {@link run}, closed loop: `connections` workers on keep-alive sockets, each sending its next
 *   request as soon as the previous answer has been read, first for a warm-up, then for a timed
 *   window. Only requests that start and finish inside the window count, so the throughput is
 *   completed requests per second of the window: what the server sustains when it is saturated.
 *   Its latencies are those of a saturated server, mostly queueing (Little's law: connections ÷
 *   throughput).
 * - {@link runAtRate}, open loop: requests sent on a fixed schedule (`rate` per second) whatever
 *   the answers, each latency counted from the moment the request was *due*, so a server (or a
 *   generator) that falls behind is charged for it (no coordinated omission): the latency a
 *   client sees at that load. A request whose timer fired a little early is counted from when it
 *   was sent, so no latency is shorter than its own round trip.
 *
 * Plain promises over `node:http`: the generator shares the machine with the servers it measures,
 * so it does as little per request as it can (no JSON parsing of answers; a status check only).
 *
 * @since 0.1.0
 */
import * as http from "node:http"

/**
 * The `p`-th percentile (0 < p ≤ 100) of ascending `sorted` values by the nearest-rank method: the
 * smallest value with at least p % of the values at or below it. `NaN` for no values.
 *
 * @since 0.1.0
 * @category maths
 */
export const percentile = (sorted: ArrayLike<number>, p: number): number => {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.ceil((p / 100) * sorted.length)
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!
}

/**
 * Latency figures in milliseconds.
 *
 * @since 0.1.0
 * @category models
 */
export interface LatencySummary {
  readonly min: number
  readonly p50: number
  readonly p95: number
  readonly p99: number
  readonly max: number
  readonly mean: number
}

/**
 * Summarises latencies (milliseconds, any order).
 *
 * @since 0.1.0
 * @category maths
 */
export const summarise = (latencies: ArrayLike<number>): LatencySummary => {
  const sorted = Float64Array.from(latencies).sort()
  let sum = 0
  for (let i = 0; i < sorted.length; i++) sum += sorted[i]!
  return {
    min: sorted.length === 0 ? Number.NaN : sorted[0]!,
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: sorted.length === 0 ? Number.NaN : sorted[sorted.length - 1]!,
    mean: sorted.length === 0 ? Number.NaN : sum / sorted.length
  }
}

/**
 * One request to send: the body is JSON text.
 *
 * @since 0.1.0
 * @category models
 */
export interface Request {
  readonly path: string
  readonly body: string
}

/**
 * What to run.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoadOptions {
  /** `http://host:port` of the server. */
  readonly baseUrl: string
  /** Concurrent workers, one keep-alive socket each. */
  readonly connections: number
  readonly warmupSeconds: number
  readonly seconds: number
  /** The next request to send (called once per request). */
  readonly next: () => Request
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** Abandon a request after this long (default 10 s); it counts as an error. */
  readonly timeoutMs?: number | undefined
}

/**
 * What a run measured.
 *
 * @since 0.1.0
 * @category models
 */
export interface LoadReport {
  /** Requests completed inside the timed window (errors included). */
  readonly requests: number
  /** Of those, answers that were not 2xx, timeouts and socket errors. */
  readonly errors: number
  /** The window's length in seconds. */
  readonly seconds: number
  /** Successful requests per second of the window. */
  readonly throughput: number
  /** Latencies of the successful requests in the window. */
  readonly latency: LatencySummary
  /** How many answers had each status in the window (0: no answer). */
  readonly statuses: Readonly<Record<string, number>>
}

interface Outcome {
  readonly status: number
  readonly started: number
  readonly finished: number
}

const sender = (
  baseUrl: string,
  agent: http.Agent,
  extraHeaders: Readonly<Record<string, string>> | undefined,
  timeout: number
) => {
  const url = new URL(baseUrl)
  const headers = { "content-type": "application/json", ...extraHeaders }
  return (request: Request): Promise<Outcome> =>
    new Promise((resolve) => {
      const started = performance.now()
      const body = Buffer.from(request.body, "utf8")
      const req = http.request({
        agent,
        host: url.hostname,
        port: url.port,
        method: "POST",
        path: request.path,
        headers: { ...headers, "content-length": body.length }
      }, (res) => {
        // read the answer to the end (the socket goes back to the pool only then)
        res.on("data", () => undefined)
        res.on("end", () => resolve({ status: res.statusCode ?? 0, started, finished: performance.now() }))
        res.on("error", () => resolve({ status: 0, started, finished: performance.now() }))
      })
      req.setTimeout(timeout, () => req.destroy(new Error("timeout")))
      req.on("error", () => resolve({ status: 0, started, finished: performance.now() }))
      req.end(body)
    })
}

/**
 * Runs a closed-loop load against `baseUrl` and reports the timed window.
 *
 * @since 0.1.0
 * @category running
 */
export const run = async (options: LoadOptions): Promise<LoadReport> => report(await timedWindow(options))

/** One timed window's raw results. */
interface Window {
  readonly requests: number
  readonly errors: number
  readonly seconds: number
  readonly latencies: ReadonlyArray<number>
  readonly statuses: Readonly<Record<string, number>>
}

const report = (w: Window): LoadReport => ({
  requests: w.requests,
  errors: w.errors,
  seconds: w.seconds,
  throughput: w.latencies.length / w.seconds,
  latency: summarise(w.latencies),
  statuses: w.statuses
})

const timedWindow = async (options: LoadOptions): Promise<Window> => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.connections, maxFreeSockets: options.connections })
  const send = sender(options.baseUrl, agent, options.headers, options.timeoutMs ?? 10_000)

  const warmupEnd = performance.now() + options.warmupSeconds * 1000
  const windowStart = warmupEnd
  const windowEnd = windowStart + options.seconds * 1000
  const latencies: Array<number> = []
  const statuses: Record<string, number> = {}
  let requests = 0
  let errors = 0

  const worker = async (): Promise<void> => {
    while (performance.now() < windowEnd) {
      const outcome = await send(options.next())
      if (outcome.started < windowStart || outcome.finished > windowEnd) continue
      requests++
      const key = String(outcome.status)
      statuses[key] = (statuses[key] ?? 0) + 1
      if (outcome.status >= 200 && outcome.status < 300) latencies.push(outcome.finished - outcome.started)
      else errors++
    }
  }

  try {
    await Promise.all(Array.from({ length: options.connections }, worker))
  } finally {
    agent.destroy()
  }
  return { requests, errors, seconds: options.seconds, latencies, statuses }
}

/**
 * Closed loops against several servers in turn, `rounds` times: each server's timed window is cut
 * into `rounds` parts, and the parts take turns (A B C A B C …), so a machine that speeds up or
 * slows down over the minutes of a run weighs on every server alike. Each part warms up first —
 * for `warmupSeconds` in the first round, for at most half a second after that (the servers are
 * warm by then; the connections are new). One report per server, over all its parts.
 *
 * @since 0.1.0
 * @category running
 */
export const runInterleaved = async (targets: ReadonlyArray<LoadOptions>, rounds: number): Promise<Array<LoadReport>> => {
  if (!Number.isInteger(rounds) || rounds < 1) throw new RangeError("runInterleaved: rounds must be a positive integer")
  const parts: Array<Array<Window>> = targets.map(() => [])
  for (let round = 0; round < rounds; round++) {
    for (const [i, target] of targets.entries()) {
      parts[i]!.push(
        await timedWindow({
          ...target,
          seconds: target.seconds / rounds,
          warmupSeconds: round === 0 ? target.warmupSeconds : Math.min(target.warmupSeconds, 0.5)
        })
      )
    }
  }
  return parts.map((windows) => {
    const statuses: Record<string, number> = {}
    for (const w of windows) for (const [status, n] of Object.entries(w.statuses)) statuses[status] = (statuses[status] ?? 0) + n
    return report({
      requests: windows.reduce((n, w) => n + w.requests, 0),
      errors: windows.reduce((n, w) => n + w.errors, 0),
      seconds: windows.reduce((n, w) => n + w.seconds, 0),
      latencies: windows.flatMap((w) => w.latencies),
      statuses
    })
  })
}

/**
 * What to run at a fixed rate.
 *
 * @since 0.1.0
 * @category models
 */
export interface RateOptions {
  /** `http://host:port` of the server. */
  readonly baseUrl: string
  /** Requests per second, sent on schedule whatever the answers. */
  readonly rate: number
  readonly warmupSeconds: number
  readonly seconds: number
  readonly next: () => Request
  readonly headers?: Readonly<Record<string, string>> | undefined
  /** At most this many requests in flight (sockets); a request due beyond it counts as an error. Default 256. */
  readonly maxInFlight?: number | undefined
  /** Abandon a request after this long (default 10 s); it counts as an error. */
  readonly timeoutMs?: number | undefined
}

/**
 * Runs an open-loop load: request `i` is due at `start + i / rate`, sent then (or as soon as the
 * generator gets to it), and its latency runs from when it was due to the last byte of its answer.
 * Requests due inside the timed window count; the throughput is their successes per second.
 *
 * @since 0.1.0
 * @category running
 */
export const runAtRate = async (options: RateOptions): Promise<LoadReport> => {
  if (!(options.rate > 0)) throw new RangeError("runAtRate: rate must be above 0")
  const maxInFlight = options.maxInFlight ?? 256
  const agent = new http.Agent({ keepAlive: true, maxSockets: maxInFlight, maxFreeSockets: maxInFlight })
  const send = sender(options.baseUrl, agent, options.headers, options.timeoutMs ?? 10_000)
  const interval = 1000 / options.rate
  const start = performance.now()
  const windowStart = start + options.warmupSeconds * 1000
  const windowEnd = windowStart + options.seconds * 1000
  const latencies: Array<number> = []
  const statuses: Record<string, number> = {}
  const inFlight = new Set<Promise<void>>()
  let requests = 0
  let errors = 0
  let due = 0

  const count = (scheduled: number, status: number, finished: number, from: number = scheduled) => {
    if (scheduled < windowStart) return
    requests++
    const key = String(status)
    statuses[key] = (statuses[key] ?? 0) + 1
    if (status >= 200 && status < 300) latencies.push(finished - from)
    else errors++
  }

  try {
    for (;;) {
      const scheduled = start + due * interval
      if (scheduled >= windowEnd) break
      const wait = scheduled - performance.now()
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
      due++
      if (inFlight.size >= maxInFlight) {
        // the server is this far behind: the request is refused rather than queued without bound
        count(scheduled, 0, performance.now())
        continue
      }
      const pending: Promise<void> = send(options.next()).then((outcome) => {
        inFlight.delete(pending)
        // from when it was due, or from when it went out if the timer fired a little early
        count(scheduled, outcome.status, outcome.finished, Math.min(scheduled, outcome.started))
      })
      inFlight.add(pending)
    }
    await Promise.all(inFlight)
  } finally {
    agent.destroy()
  }
  return {
    requests,
    errors,
    seconds: options.seconds,
    throughput: latencies.length / options.seconds,
    latency: summarise(latencies),
    statuses
  }
}
