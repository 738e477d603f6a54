import { describe, expect, it } from "@effect/vitest"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { lrsAsync } from "./run.js"

// Each run starts the real binary from source: slow on a busy machine.
const slow = 240_000

/** What an operator sees: one line on standard error, no stack trace, nothing on standard output. */
const expectOneLine = (r: Awaited<ReturnType<typeof lrsAsync>>, line: string | RegExp) => {
  expect(r.status).toBe(1)
  expect(r.stdout).toBe("")
  const lines = r.stderr.trimEnd().split("\n")
  expect(lines).toHaveLength(1)
  expect(lines[0]).toMatch(line)
  expect(r.stderr).not.toMatch(/\bat .*:\d+:\d+|node_modules|ERROR \(#/)
}

/** A usage error: `@effect/cli`'s message, then nothing but the exit code (no `ERROR (#…)` record). */
const expectUsage = (r: Awaited<ReturnType<typeof lrsAsync>>, message: string) => {
  expect(r.status).toBe(1)
  expect(r.stderr.trim()).toBe(message)
  expect(r.stdout).toBe("")
}

// PostgreSQL on a port where nothing listens
const unreachable = "postgres://lrs:s3cret-pw@127.0.0.1:1/lrs"
const memory = { LRS_DATA_DIR: "memory://" }

describe("lrs: an operator's mistake is one line, no stack trace, exit 1", () => {
  it("migrate, seed --demo and serve on an unreachable PostgreSQL: where, why and what to check; never the password", async () => {
    for (const args of [["migrate"], ["seed", "--demo"], ["serve"]]) {
      const r = await lrsAsync(args, { DATABASE_URL: unreachable })
      expectOneLine(r, "cannot connect to PostgreSQL at 127.0.0.1:1 (connection refused); check DATABASE_URL")
      expect(r.stderr).not.toContain("s3cret-pw")
    }
  }, slow)

  it("a DATABASE_URL that is not a PostgreSQL URL is refused before connecting anywhere", async () => {
    for (const url of ["not-a-url", "mysql://lrs:s3cret-pw@127.0.0.1:1/lrs"]) {
      const r = await lrsAsync(["migrate"], { DATABASE_URL: url })
      expectOneLine(r, /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL/)
      expect(r.stderr).not.toContain("s3cret-pw")
    }
  }, slow)

  it("serve --port 99999: not a port", async () => {
    expectUsage(await lrsAsync(["serve", "--port", "99999"], memory), "port 99999 is not a port (1–65535, or 0 for any free port)")
  }, slow)

  it("serve with PORT=abc: names the variable", async () => {
    expectOneLine(await lrsAsync(["serve"], { ...memory, PORT: "abc" }), /^PORT: Expected a network port value but received "?abc"?$/)
  }, slow)

  it("serve on a port in use: says so and how to choose another", async () => {
    const blocker = net.createServer()
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve))
    try {
      const port = (blocker.address() as net.AddressInfo).port
      expectOneLine(await lrsAsync(["serve", "--port", String(port)], memory), `port ${port} is in use; choose another with --port or PORT`)
    } finally {
      blocker.close()
    }
  }, slow)

  it("reset-password: an unknown user, a password the api refuses, a database in use or not there → one line, nothing written; a right one resets", async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "lrs-reset-"))
    try {
      const env = { LRS_DATA_DIR: dataDir, LRS_ADMIN_PASSWORD: "admin-password-for-reset" }
      expect((await lrsAsync(["seed", "--demo"], env)).status).toBe(0)
      expectOneLine(await lrsAsync(["reset-password", "nobody"], env), `there is no user named "nobody"`)
      expectOneLine(
        await lrsAsync(["reset-password", "admin"], { ...env, LRS_NEW_PASSWORD: "short" }),
        "the new password is not acceptable: a password has at least 12 characters (LRS_NEW_PASSWORD)"
      )
      const given = await lrsAsync(["reset-password", "ADMIN"], { ...env, LRS_NEW_PASSWORD: "a-new-admin-password" })
      expect(given.status, given.stderr).toBe(0)
      expect(given.stdout.trim()).toBe("admin: password set to LRS_NEW_PASSWORD; every session of it is signed out.")
      const generated = await lrsAsync(["reset-password", "college.online"], env)
      expect(generated.status, generated.stderr).toBe(0)
      expect(generated.stdout).toMatch(/^college\.online: password reset; every session of it is signed out\.\nnew password: \S{12,}\n/)
      // while another process (here: this test's) holds the embedded database, nothing is written
      fs.writeFileSync(path.join(dataDir, "lrs.lock"), String(process.pid))
      expectOneLine(
        await lrsAsync(["reset-password", "admin"], env),
        `cannot use the embedded database in ${dataDir}: it is in use by another process (pid ${process.pid}): the embedded database takes one process at a time, so stop that one first (or, if no such process is yours, remove ${path.join(dataDir, "lrs.lock")}); check LRS_DATA_DIR`
      )
      fs.rmSync(path.join(dataDir, "lrs.lock"))
      // a mistyped directory is not created
      const nowhere = path.join(dataDir, "no-such-dir")
      expectOneLine(await lrsAsync(["reset-password", "admin"], { LRS_DATA_DIR: nowhere }), `there is no embedded database in ${nowhere} (no server has used it); check LRS_DATA_DIR, or set DATABASE_URL`)
      expect(fs.existsSync(nowhere)).toBe(false)
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true })
    }
  }, slow)

  it("usage errors: @effect/cli's message only", async () => {
    expectUsage(await lrsAsync(["validate"]), "Missing argument <file>")
    expectUsage(await lrsAsync(["validate", "x.csv", "--kind", "bogus"]), "Expected one of the following cases: registration, verification, achievement")
    expectUsage(await lrsAsync(["seed", "--learners", "abc"]), "'abc' is not a integer")
    expectUsage(await lrsAsync(["bogus"]), "Invalid subcommand for lrs - use one of 'serve', 'migrate', 'reset-password', 'uln', 'seed', 'match', 'verify', 'validate', 'bench'")
  }, slow)
})
