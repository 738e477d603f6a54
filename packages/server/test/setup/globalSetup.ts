/**
 * Vitest global setup of the server package: gives the tests a PostgreSQL server URL through
 * `provide("databaseUrl", …)` (read with `inject("databaseUrl")`, see `test/utils.ts`).
 *
 * - `DATABASE_URL` set → that server is used (each test file creates and drops its own database in
 *   it, so the role needs CREATEDB).
 * - otherwise a throwaway cluster is started with `initdb` + `pg_ctl` found on PATH, in
 *   `/usr/lib/postgresql/<newest>/bin` or `/usr/local/pgsql/bin`, on a free loopback port, with trust
 *   auth and durability off; as root it runs as the `postgres` system user. It is stopped and its
 *   folder removed at teardown.
 * - no PostgreSQL: with `CI=true` the run fails loudly; otherwise a warning is printed, nothing is
 *   provided, the PostgreSQL suites are skipped and the PGlite ones still run.
 *
 * It also provides `pgliteTemplate`: a dump of a freshly initialised PGlite, cached in
 * `node_modules/.cache/lrs-test/` per PGlite build, from which every test file starts its PGlite.
 *
 * @since 0.1.0
 */
import { PGlite } from "@electric-sql/pglite"
import { execFile, execFileSync, spawnSync } from "node:child_process"
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"

declare module "vitest" {
  export interface ProvidedContext {
    /** PostgreSQL server URL (a maintenance database); absent when no PostgreSQL is available. */
    databaseUrl?: string
    /** A PGlite data directory dump (tar) right after initdb: loading it is ~4x faster than `PGlite.create()`. */
    pgliteTemplate?: string
  }
}

const isCi = (): boolean => {
  const ci = process.env["CI"]
  return ci !== undefined && ci !== "" && ci !== "0" && ci.toLowerCase() !== "false"
}

const isExecutable = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

const hasTools = (dir: string): boolean => isExecutable(path.join(dir, "initdb")) && isExecutable(path.join(dir, "pg_ctl"))

/** Directory holding `initdb` and `pg_ctl`: PATH first, then the newest Debian install, then the source-build default. */
export const findPostgresBin = (): string | undefined => {
  const fromPath = (process.env["PATH"] ?? "").split(path.delimiter).filter((dir) => dir !== "" && hasTools(dir))
  const debianRoot = "/usr/lib/postgresql"
  const debian = fs.existsSync(debianRoot)
    ? fs.readdirSync(debianRoot)
      .filter((version) => /^\d+(\.\d+)?$/.test(version))
      .sort((a, b) => Number.parseFloat(b) - Number.parseFloat(a))
      .map((version) => path.join(debianRoot, version, "bin"))
      .filter(hasTools)
    : []
  return [...fromPath, ...debian, "/usr/local/pgsql/bin"].find(hasTools)
}

const freePort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = net.createServer()
    server.unref()
    server.on("error", reject)
    server.listen(0, "127.0.0.1", () => {
      const address = server.address()
      server.close(() =>
        typeof address === "object" && address !== null ? resolve(address.port) : reject(new Error("no port"))
      )
    })
  })

interface Runner {
  readonly run: (file: string, args: ReadonlyArray<string>) => Promise<void>
  /** Synchronous and never throws: for teardown, also from a process "exit" handler. */
  readonly stopSync: (file: string, args: ReadonlyArray<string>) => void
  readonly owner: { readonly uid: number; readonly gid: number } | undefined
}

type Command = readonly [file: string, args: ReadonlyArray<string>]

const quote = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`

/** As root PostgreSQL refuses to run, so every command goes through `runuser` (or `su`) as `postgres`. */
const makeRunner = (): Runner => {
  let wrap = (file: string, args: ReadonlyArray<string>): Command => [file, args]
  let owner: Runner["owner"] = undefined
  if (process.getuid?.() === 0) {
    try {
      owner = {
        uid: Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()),
        gid: Number(execFileSync("id", ["-g", "postgres"], { encoding: "utf8" }).trim())
      }
    } catch {
      throw new Error(
        "Running as root, but there is no `postgres` system user to run PostgreSQL as. " +
          "Create it (`useradd --system postgres`) or set DATABASE_URL."
      )
    }
    const hasRunuser = spawnSync("runuser", ["--help"], { stdio: "ignore" }).status === 0
    wrap = (file, args) =>
      hasRunuser
        ? ["runuser", ["-u", "postgres", "--", file, ...args]]
        : ["su", ["postgres", "-s", "/bin/sh", "-c", [file, ...args].map(quote).join(" ")]]
  }
  const run = (file: string, args: ReadonlyArray<string>): Promise<void> =>
    new Promise((resolve, reject) => {
      const [command, commandArgs] = wrap(file, args)
      execFile(command, [...commandArgs], (error, _stdout, stderr) => {
        if (error === null) resolve()
        else reject(new Error(`${path.basename(file)} failed: ${error.message}\n${stderr}`))
      })
    })
  const stopSync = (file: string, args: ReadonlyArray<string>): void => {
    const [command, commandArgs] = wrap(file, args)
    spawnSync(command, [...commandArgs], { stdio: "ignore" })
  }
  return { run, stopSync, owner }
}

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error))

interface Cluster {
  readonly url: string
  readonly stop: () => void
}

const startCluster = async (bin: string): Promise<Cluster> => {
  const runner = makeRunner()
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "lrs-pg-"))
  const dataDir = path.join(root, "data")
  const logFile = path.join(root, "postgres.log")
  if (runner.owner !== undefined) {
    fs.chownSync(root, runner.owner.uid, runner.owner.gid)
    fs.chmodSync(root, 0o700)
  }
  const pgCtl = path.join(bin, "pg_ctl")
  const remove = () => fs.rmSync(root, { recursive: true, force: true })
  let started = false
  // synchronous, so that it also works from a process "exit" handler
  const stop = () => {
    if (started) {
      started = false
      runner.stopSync(pgCtl, ["-D", dataDir, "-m", "immediate", "-w", "stop"])
    }
    remove()
  }
  try {
    await runner.run(path.join(bin, "initdb"), [
      "-D",
      dataDir,
      "-U",
      "postgres",
      "--auth=trust",
      "--encoding=UTF8",
      "--locale=C",
      "--no-sync"
    ])
    const port = await freePort()
    // settings for a disposable test cluster: loopback only, no unix socket, no durability
    fs.appendFileSync(
      path.join(dataDir, "postgresql.conf"),
      [
        "",
        "# lrs test cluster",
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        "unix_socket_directories = ''",
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "max_connections = 200",
        ""
      ].join("\n")
    )
    started = true
    await runner.run(pgCtl, ["-D", dataDir, "-l", logFile, "-w", "-t", "60", "start"])
    return { url: `postgres://postgres@127.0.0.1:${port}/postgres`, stop }
  } catch (error) {
    const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8") : ""
    stop()
    throw new Error(`Could not start a throwaway PostgreSQL from ${bin}: ${describeError(error)}\n${log}`)
  }
}

/** Path of the PGlite template for the installed PGlite build; created (atomically) when missing. */
const pgliteTemplate = async (): Promise<string> => {
  const build = fs.realpathSync(createRequire(import.meta.url).resolve("@electric-sql/pglite"))
  const key = createHash("sha256").update(build).digest("hex").slice(0, 16)
  const dir = fileURLToPath(new URL("../../node_modules/.cache/lrs-test/", import.meta.url))
  const file = path.join(dir, `pglite-${key}.tar`)
  if (fs.existsSync(file)) return file
  const db = await PGlite.create()
  try {
    const dump = await db.dumpDataDir("none")
    fs.mkdirSync(dir, { recursive: true })
    const partial = `${file}.${process.pid}.partial`
    fs.writeFileSync(partial, new Uint8Array(await dump.arrayBuffer()))
    fs.renameSync(partial, file)
  } finally {
    await db.close()
  }
  return file
}

/** Vitest global setup: provides `databaseUrl` and `pgliteTemplate`, returns the teardown. */
export default async function setup(project: TestProject): Promise<(() => void) | undefined> {
  const [postgres, template] = await Promise.allSettled([setupPostgres(project), pgliteTemplate()])
  if (template.status === "fulfilled") {
    project.provide("pgliteTemplate", template.value)
  } else {
    console.warn(`[server tests] no PGlite template (each file runs initdb itself): ${describeError(template.reason)}`)
  }
  if (postgres.status === "rejected") throw postgres.reason
  return postgres.value
}

const setupPostgres = async (project: TestProject): Promise<(() => void) | undefined> => {
  const url = process.env["DATABASE_URL"]
  if (url !== undefined && url.trim() !== "") {
    project.provide("databaseUrl", url)
    return undefined
  }
  const bin = findPostgresBin()
  if (bin === undefined) {
    const message = "No PostgreSQL found (initdb/pg_ctl not on PATH, in /usr/lib/postgresql/*/bin nor /usr/local/pgsql/bin)" +
      " and DATABASE_URL is not set."
    if (isCi()) {
      throw new Error(`\n\n*** ${message} CI=true: the PostgreSQL tests must run. Install PostgreSQL (apt-get install -y postgresql). ***\n`)
    }
    console.warn(`\n[server tests] ${message} Skipping the PostgreSQL suites; the PGlite suites still run.\n`)
    return undefined
  }
  const started = Date.now()
  const cluster = await startCluster(bin)
  const onExit = () => cluster.stop()
  process.once("exit", onExit)
  project.provide("databaseUrl", cluster.url)
  if (process.env["LRS_TEST_VERBOSE"] !== undefined) {
    console.log(`[server tests] PostgreSQL from ${bin} at ${cluster.url} (${Date.now() - started} ms)`)
  }
  return () => {
    process.off("exit", onExit)
    cluster.stop()
  }
}
