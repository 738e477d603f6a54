/** The result of {@link measure}. */
export interface Measurement {
  readonly opsPerSecond: number
  readonly runs: number
}

/**
 * Runs `body` repeatedly for about `seconds` after a warm-up and reports operations per second
 * of the best third of runs (the rest are mostly GC and JIT noise).
 */
export const measure = (seconds: number, body: () => { readonly ops: number; readonly sink: number }): Measurement => {
  let sink = 0
  const warmUntil = performance.now() + Math.min(500, seconds * 250)
  while (performance.now() < warmUntil) sink += body().sink
  const rates: Array<number> = []
  const until = performance.now() + seconds * 1000
  while (performance.now() < until || rates.length < 3) {
    const t0 = performance.now()
    const r = body()
    const dt = performance.now() - t0
    sink += r.sink
    rates.push(r.ops / (dt / 1000))
  }
  rates.sort((a, b) => b - a)
  const best = rates.slice(0, Math.max(1, Math.floor(rates.length / 3)))
  if (sink === -1) throw new Error("unreachable")
  return { opsPerSecond: best.reduce((a, b) => a + b, 0) / best.length, runs: rates.length }
}

/** `21.3 M/s`-style rate. */
export const formatRate = (perSecond: number): string =>
  perSecond >= 1e6 ? `${(perSecond / 1e6).toFixed(1)} M/s` : perSecond >= 1e3 ? `${(perSecond / 1e3).toFixed(1)} k/s` : `${perSecond.toFixed(0)} /s`

/** The median of a list of numbers (0 for an empty list). */
export const median = (xs: ReadonlyArray<number>): number => {
  if (xs.length === 0) return 0
  const s = [...xs].sort((a, b) => a - b)
  const m = s.length >> 1
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2
}
