import { describe, expect, it } from "@effect/vitest"
import type { ChildProcess } from "node:child_process"
import * as fs from "node:fs"
import * as http from "node:http"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { spawnLrs, spawnPnpmLrs } from "./run.js"

// the server starts from source on PGlite: slow on a busy machine
const slow = 300_000

interface Running {
  readonly child: ChildProcess
  readonly port: number
  /** Resolves with the exit code and when it exited (`performance.now()`). */
  readonly exited: Promise<{ readonly code: number | null; readonly signal: NodeJS.Signals | null; readonly at: number }>
  readonly output: () => string
}

/**
 * `lrs serve --port 0` (by default the binary itself, or through `pnpm lrs`) on a fresh PGlite in
 * a temporary directory; resolves once it listens.
 */
const serve = (env: Readonly<Record<string, string>>, spawner = spawnLrs): Promise<Running> => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lrs-serve-"))
  const child = spawner(["serve", "--port", "0"], {
    LRS_DATA_DIR: dataDir,
    LRS_ADMIN_PASSWORD: "admin-password-for-serve-test",
    LRS_RATE_LIMIT: "0",
    ...env
  })
  let output = ""
  child.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString("utf8")))
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once("exit", (code, signal) => {
      fs.rmSync(dataDir, { recursive: true, force: true })
      resolve({ code, signal, at: performance.now() })
    })
  )
  return new Promise((resolve, reject) => {
    const onData = () => {
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]
      if (port === undefined) return
      child.stdout?.off("data", onData)
      resolve({ child, port: Number(port), exited, output: () => output })
    }
    child.stdout?.on("data", onData)
    void exited.then(({ code }) => reject(new Error(`lrs serve exited (${code}) before listening:\n${output}`)))
  })
}

/** Stops a server the test left running (by its pid only). */
const kill = (running: Running | undefined) => {
  if (running !== undefined && running.child.exitCode === null && running.child.signalCode === null) running.child.kill("SIGKILL")
}

interface Answer {
  readonly status: number
  readonly connection: string | undefined
  readonly body: unknown
}

/** Whether connections to `port` are refused within `ms` (tried every 200 ms). */
const refusedWithin = async (port: number, ms: number): Promise<boolean> => {
  const until = performance.now() + ms
  while (performance.now() < until) {
    const answered = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy()
        resolve(true)
      })
      socket.once("error", () => resolve(false))
    })
    if (!answered) return true
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  return false
}

const within = <A>(promise: Promise<A>, ms: number, what: string): Promise<A> =>
  Promise.race([promise, new Promise<A>((_, reject) => setTimeout(() => reject(new Error(`${what}: nothing after ${ms} ms`)), ms))])

const signIn = { username: "admin", password: "admin-password-for-serve-test" }

/**
 * Sends a request on its own keep-alive connection; `sent` resolves once the request (or, when
 * `halfSent`, its headers and half its body, the rest sent by `finish`) has been handed to the
 * operating system, `answer` with the complete response or the error.
 */
const request = (port: number, method: string, route: string, body?: unknown, options?: { readonly halfSent: boolean }) => {
  const agent = new http.Agent({ keepAlive: true })
  const text = body === undefined ? "" : JSON.stringify(body)
  const headers = body === undefined ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(text)) }
  const req = http.request({ host: "127.0.0.1", port, method, path: route, agent, headers })
  const half = Math.floor(text.length / 2)
  const sent = new Promise<void>((resolve) => {
    if (options?.halfSent === true) req.write(text.slice(0, half), () => resolve())
    else req.end(text === "" ? undefined : text, () => resolve())
  })
  const finish = () => void req.end(text.slice(half))
  // an error is an answer too, so the assertion shows every request's outcome
  const answer = new Promise<Answer | { readonly error: string }>((resolve) => {
    const failed = (e: Error) => resolve({ error: `${route}: ${e.message}` })
    req.once("error", failed)
    req.once("response", (res) => {
      let text = ""
      res.on("data", (chunk: Buffer) => (text += chunk.toString("utf8")))
      res.once("error", failed)
      res.once("end", () => {
        agent.destroy()
        resolve({ status: res.statusCode ?? 0, connection: res.headers.connection, body: JSON.parse(text) })
      })
    })
  })
  return { sent, answer, finish }
}

/** A connection that has been answered once and is kept open, idle; resolves when the server closes it. */
const idleKeepAlive = async (port: number) => {
  const socket = net.connect(port, "127.0.0.1")
  const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()))
  socket.on("error", () => {})
  const first = new Promise<string>((resolve) => {
    let text = ""
    const onData = (chunk: Buffer) => {
      text += chunk.toString("utf8")
      if (text.includes("\r\n\r\n") && text.endsWith("}")) {
        socket.off("data", onData)
        resolve(text)
      }
    }
    socket.on("data", onData)
  })
  socket.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
  const head = await within(first, 60_000, "the idle connection's first answer")
  expect(head).toMatch(/^HTTP\/1\.1 200/)
  expect(head.toLowerCase()).toContain("connection: keep-alive")
  return { closed }
}

describe("lrs serve stops gracefully on SIGTERM (a real process)", () => {
  it("answers every request sent before the signal, closes an idle keep-alive connection, answers a request in flight with Connection: close, exits 0 within the grace period", async () => {
    const grace = 20_000
    let running: Running | undefined
    try {
      running = await serve({ LRS_SHUTDOWN_GRACE_MS: String(grace) })
      const { port } = running
      const idle = await idleKeepAlive(port)
      // sign-ins (scrypt and the database), readiness (the database) and health (neither), each on
      // its own connection, all sent before the signal (at most 3 sign-ins to an account at once)
      const requests = [
        ...[1, 2].map(() => request(port, "POST", "/api/v1/auth/login", signIn)),
        ...[1, 2].map(() => request(port, "GET", "/readyz")),
        ...[1, 2].map(() => request(port, "GET", "/healthz"))
      ]
      // and one whose body is only half sent: in flight whenever the server starts stopping
      const halfSent = request(port, "POST", "/api/v1/auth/login", signIn, { halfSent: true })
      await within(Promise.all([...requests, halfSent].map((r) => r.sent)), 60_000, "sending the requests")
      const signalled = performance.now()
      running.child.kill("SIGTERM")
      const answers = await within(Promise.all(requests.map((r) => r.answer)), grace, "the answers")
      expect(answers.map((a) => "status" in a ? a.status : a.error)).toEqual([200, 200, 200, 200, 200, 200])
      expect(answers[0]).toMatchObject({ body: { tokenType: "Bearer" } })
      expect(answers[2]).toMatchObject({ body: { status: "ready" } })
      expect(answers[4]).toMatchObject({ body: { status: "ok" } })
      // the server closes idle connections once it is stopping: the rest of the body comes after that
      await within(idle.closed, grace, "closing the idle keep-alive connection")
      halfSent.finish()
      expect(await within(halfSent.answer, grace, "the answer in flight")).toMatchObject({
        status: 200,
        connection: "close",
        body: { tokenType: "Bearer" }
      })
      const exit = await within(running.exited, grace, "the process's exit")
      expect(exit).toMatchObject({ code: 0, signal: null })
      expect(exit.at - signalled).toBeLessThan(grace)
    } catch (e) {
      // what the server printed tells why
      console.error(running?.output())
      throw e
    } finally {
      kill(running)
    }
  }, slow)

  it("a client keeping a request unfinished: the connection is closed after LRS_SHUTDOWN_GRACE_MS and the process exits 0", async () => {
    const grace = 2_000
    let running: Running | undefined
    try {
      running = await serve({ LRS_SHUTDOWN_GRACE_MS: String(grace) })
      const socket = net.connect(running.port, "127.0.0.1")
      socket.on("error", () => {})
      const closed = new Promise<void>((resolve) => socket.once("close", () => resolve()))
      // a body that never comes
      socket.write("POST /api/v1/auth/login HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
      await new Promise((resolve) => setTimeout(resolve, 1_000))
      const signalled = performance.now()
      running.child.kill("SIGTERM")
      await within(closed, 60_000, "closing the unfinished request's connection")
      const exit = await within(running.exited, 60_000, "the process's exit")
      expect(exit).toMatchObject({ code: 0, signal: null })
      // closed at the end of the grace period, not before; then the database is closed
      expect(exit.at - signalled).toBeGreaterThanOrEqual(grace)
      expect(exit.at - signalled).toBeLessThan(grace + 15_000)
    } catch (e) {
      // what the server printed tells why
      console.error(running?.output())
      throw e
    } finally {
      kill(running)
    }
  }, slow)

  it("pnpm lrs serve: a SIGTERM to pnpm (as a supervisor sends it to its child) stops the server, not only pnpm", async () => {
    let running: Running | undefined
    try {
      running = await serve({ LRS_SHUTDOWN_GRACE_MS: "2000" }, spawnPnpmLrs)
      const { port } = running
      running.child.kill("SIGTERM")
      const exit = await within(running.exited, 60_000, "pnpm's exit")
      expect(exit).toMatchObject({ code: 0, signal: null })
      // the server is gone with it: nothing listens on its port any more
      expect(await refusedWithin(port, 30_000)).toBe(true)
    } catch (e) {
      console.error(running?.output())
      throw e
    } finally {
      // pnpm's process group: pnpm and whatever it started, an orphaned server included
      if (running?.child.pid !== undefined) {
        try {
          process.kill(-running.child.pid, "SIGKILL")
        } catch {
          // already gone
        }
      }
    }
  }, slow)
})
