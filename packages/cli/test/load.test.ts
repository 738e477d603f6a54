import { describe, expect, it } from "@effect/vitest"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import { checksOf, targets } from "../src/bench/api.js"
import * as Load from "../src/bench/load.js"

describe("bench load generator", () => {
  it("percentile: nearest rank over sorted values", () => {
    const hundred = Float64Array.from({ length: 100 }, (_, i) => i + 1)
    expect(Load.percentile(hundred, 50)).toBe(50)
    expect(Load.percentile(hundred, 95)).toBe(95)
    expect(Load.percentile(hundred, 99)).toBe(99)
    expect(Load.percentile(hundred, 100)).toBe(100)
    expect(Load.percentile(hundred, 0.1)).toBe(1)
    // ten values: p95 and p99 are the largest one, p50 the fifth
    const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    expect(Load.percentile(ten, 50)).toBe(5)
    expect(Load.percentile(ten, 95)).toBe(10)
    expect(Load.percentile(ten, 99)).toBe(10)
    expect(Load.percentile([42], 99)).toBe(42)
    expect(Load.percentile([], 50)).toBeNaN()
  })

  it("summarise: sorts, then min, p50/p95/p99, max and mean", () => {
    const shuffled = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) + 1)
    expect(Load.summarise(shuffled)).toEqual({ min: 1, p50: 500, p95: 950, p99: 990, max: 1000, mean: 500.5 })
    const empty = Load.summarise([])
    expect(empty.min).toBeNaN()
    expect(empty.p99).toBeNaN()
    expect(empty.mean).toBeNaN()
  })

  it("run: closed-loop workers on keep-alive sockets; non-2xx answers are errors, not latencies", async () => {
    let served = 0
    const sockets = new Set<unknown>()
    const server = http.createServer((req, res) => {
      sockets.add(req.socket)
      let body = ""
      req.on("data", (c: Buffer) => (body += c.toString("utf8")))
      req.on("end", () => {
        served++
        const bad = JSON.parse(body).n % 4 === 0
        res.writeHead(bad ? 500 : 200, { "content-type": "application/json" })
        res.end(bad ? "{}" : "{\"ok\":true}")
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      let n = 0
      const report = await Load.run({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        connections: 3,
        warmupSeconds: 0.1,
        seconds: 0.4,
        next: () => ({ path: "/x", body: JSON.stringify({ n: ++n }) })
      })
      expect(report.requests).toBeGreaterThan(20)
      expect(report.requests).toBeLessThanOrEqual(served)
      expect(report.statuses["200"]! + report.statuses["500"]!).toBe(report.requests)
      expect(report.errors).toBe(report.statuses["500"])
      expect(report.errors).toBeGreaterThan(0)
      expect(report.throughput).toBeCloseTo(report.statuses["200"]! / 0.4, 5)
      expect(report.latency.p50).toBeLessThanOrEqual(report.latency.p99)
      // three workers, three keep-alive sockets for the whole run
      expect(sockets.size).toBe(3)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it("runAtRate: sends on schedule whatever the answers, and charges a slow answer from when it was due", async () => {
    const arrivals: Array<number> = []
    // every 10th request takes 300 ms; the others answer at once
    const server = http.createServer((req, res) => {
      let body = ""
      req.on("data", (c: Buffer) => (body += c.toString("utf8")))
      req.on("end", () => {
        arrivals.push(performance.now())
        const slow = JSON.parse(body).n % 10 === 0
        setTimeout(() => res.end("{}"), slow ? 300 : 0)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      let n = 0
      const report = await Load.runAtRate({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        rate: 100,
        warmupSeconds: 0.2,
        seconds: 1,
        next: () => ({ path: "/x", body: JSON.stringify({ n: ++n }) })
      })
      // 100 due in the window, all answered; a closed loop of one connection would have sent far fewer
      expect(report.requests).toBeGreaterThanOrEqual(98)
      expect(report.requests).toBeLessThanOrEqual(101)
      expect(report.errors).toBe(0)
      expect(report.throughput).toBeCloseTo(report.requests, 5)
      // the slow tenth shows in the tail, the rest are fast
      expect(report.latency.p50).toBeLessThan(100)
      expect(report.latency.p99).toBeGreaterThanOrEqual(300)
      // the sends kept to the schedule while slow answers were outstanding: ~10 ms apart
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]!)
      expect(Load.percentile(Float64Array.from(gaps).sort(), 95)).toBeLessThan(40)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it("runAtRate: never charges a request less than its own round trip, even when sent a little before it was due", async () => {
    // an instant server and a 1 ms schedule: the generator's timers often fire a fraction of a
    // millisecond early, and a latency counted from the due time would then come out below zero
    const server = http.createServer((req, res) => {
      req.resume()
      req.on("end", () => res.end("{}"))
    })
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const report = await Load.runAtRate({
        baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        rate: 1000,
        warmupSeconds: 0.1,
        seconds: 0.5,
        next: () => ({ path: "/x", body: "{}" })
      })
      expect(report.errors).toBe(0)
      expect(report.requests).toBeGreaterThan(400)
      expect(report.latency.min).toBeGreaterThan(0)
    } finally {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    }
  })

  it("runInterleaved: the servers take turns, round by round, and each report covers all its parts", async () => {
    const arrivals: Array<{ readonly server: number; readonly at: number }> = []
    const servers = [0, 1].map((server) =>
      http.createServer((req, res) => {
        req.resume()
        req.on("end", () => {
          arrivals.push({ server, at: performance.now() })
          res.end("{}")
        })
      })
    )
    for (const server of servers) await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    try {
      const [a, b] = await Load.runInterleaved(
        servers.map((server) => ({
          baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
          connections: 2,
          warmupSeconds: 0.05,
          seconds: 0.6,
          next: () => ({ path: "/x", body: "{}" })
        })),
        3
      )
      for (const r of [a!, b!]) {
        expect(r.seconds).toBeCloseTo(0.6, 9)
        expect(r.errors).toBe(0)
        expect(r.requests).toBeGreaterThan(10)
        expect(r.throughput).toBeCloseTo(r.statuses["200"]! / 0.6, 5)
      }
      // the order of arrivals switches server A → B → A → B → A → B: five switches for three rounds
      let switches = 0
      for (let i = 1; i < arrivals.length; i++) if (arrivals[i]!.server !== arrivals[i - 1]!.server) switches++
      expect(switches).toBe(5)
      expect(arrivals[0]!.server).toBe(0)
      expect(arrivals.at(-1)!.server).toBe(1)
    } finally {
      for (const server of servers) {
        server.closeAllConnections()
        await new Promise<void>((resolve) => server.close(() => resolve()))
      }
    }
  })

  it("checksOf: PASS/FAIL against the CONTRACT §7 targets", () => {
    const pass = checksOf({ bulkPerSecond: 60_000, ratio: 0.75, ulnP99: 12, demographicsP95: 9, errors: 0 })
    expect(pass.every((c) => c.pass)).toBe(true)
    const fail = checksOf({ bulkPerSecond: targets.bulkPerSecond - 1, ratio: 0.69, ulnP99: 20, demographicsP95: 15, errors: 1 })
    expect(fail.map((c) => c.pass)).toEqual([false, false, false, false, false])
  })
})
