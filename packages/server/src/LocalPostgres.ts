/**
 * A throwaway PostgreSQL cluster on this machine, for the server tests (test/setup/globalSetup.ts)
 * and `lrs bench api`: `initdb` + `pg_ctl` found on PATH, in `/usr/lib/postgresql/<newest>/bin` or
 * `/usr/local/pgsql/bin`, on a free loopback port, trust auth, durability off. As root PostgreSQL
 * refuses to run, so every command then runs as the `postgres` system user (`runuser`, or `su`).
 *
 * Plain promises, not Effects: the vitest global setup runs outside any Effect runtime; {@link scoped}
 * wraps it for Effect callers.
 *
 * @since 0.1.0
 */
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import type * as Scope from "effect/Scope"
import { execFile, execFileSync, spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as net from "node:net"
import * as os from "node:os"
import * as path from "node:path"
import * as Pg from "pg"

const isExecutable = (file: string): boolean => {
  try {
    fs.accessSync(file, fs.constants.X_OK)
    return fs.statSync(file).isFile()
  } catch {
    return false
  }
}

const hasTools = (dir: string): boolean => isExecutable(path.join(dir, "initdb")) && isExecutable(path.join(dir, "pg_ctl"))

/**
 * The directory holding `initdb` and `pg_ctl`: PATH first, then the newest Debian install, then the
 * source-build default; `undefined` when PostgreSQL is not installed.
 *
 * @since 0.1.0
 * @category discovery
 */
export const findBin = (): string | undefined => {
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

/**
 * A free TCP port on the loopback interface (free when asked; another process may take it later).
 *
 * @since 0.1.0
 * @category discovery
 */
export const freePort = (): Promise<number> =>
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

/**
 * A running throwaway cluster: the URL of its `postgres` database (user `postgres`, no password)
 * and a synchronous `stop` that shuts it down and removes its folder (safe to call twice).
 *
 * @since 0.1.0
 * @category models
 */
export interface Cluster {
  readonly url: string
  readonly stop: () => void
}

/**
 * Options of {@link start}.
 *
 * @since 0.1.0
 * @category models
 */
export interface StartOptions {
  /** Extra `postgresql.conf` lines (e.g. `shared_buffers = '512MB'`), appended last. */
  readonly settings?: ReadonlyArray<string> | undefined
}

/**
 * Starts a throwaway cluster from the tools in `bin` (see {@link findBin}). Its settings are for
 * disposable data only: loopback, no unix socket, `fsync`, `synchronous_commit` and
 * `full_page_writes` off, 200 connections.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const start = async (bin: string, options: StartOptions = {}): Promise<Cluster> => {
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
    fs.appendFileSync(
      path.join(dataDir, "postgresql.conf"),
      [
        "",
        "# lrs throwaway cluster",
        "listen_addresses = '127.0.0.1'",
        `port = ${port}`,
        "unix_socket_directories = ''",
        "fsync = off",
        "synchronous_commit = off",
        "full_page_writes = off",
        "max_connections = 200",
        ...(options.settings ?? []),
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

/**
 * Starting a cluster or creating a database failed; `message` says why.
 *
 * @since 0.1.0
 * @category errors
 */
export class LocalPostgresError extends Data.TaggedError("LocalPostgresError")<{ readonly message: string; readonly cause?: unknown }> {}

const toError = (e: unknown) => new LocalPostgresError({ message: e instanceof Error ? e.message : String(e), cause: e })

/**
 * {@link start} as a scoped Effect: the cluster stops when the scope closes, and also when the
 * process exits first.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const scoped = (bin: string, options: StartOptions = {}): Effect.Effect<Cluster, LocalPostgresError, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.tryPromise({ try: () => start(bin, options), catch: toError }).pipe(
      Effect.tap((cluster) => Effect.sync(() => process.once("exit", cluster.stop)))
    ),
    (cluster) =>
      Effect.sync(() => {
        process.off("exit", cluster.stop)
        cluster.stop()
      })
  )

const withClient = async <A>(url: string, f: (client: Pg.Client) => Promise<A>): Promise<A> => {
  const client = new Pg.Client({ connectionString: url, application_name: "learner-records setup" })
  await client.connect()
  try {
    return await f(client)
  } finally {
    await client.end().catch(() => undefined)
  }
}

/**
 * A database of its own on a PostgreSQL server: `CREATE DATABASE <prefix>_<random>` through
 * `serverUrl` (its role needs CREATEDB), dropped (`WITH (FORCE)`) when the scope closes. Yields the
 * new database's URL and the server's version string.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const freshDatabase = (
  serverUrl: string,
  prefix = "lrs"
): Effect.Effect<{ readonly url: string; readonly version: string }, LocalPostgresError, Scope.Scope> => {
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
  const target = new URL(serverUrl)
  target.pathname = `/${name}`
  return Effect.acquireRelease(
    Effect.tryPromise({
      try: () =>
        withClient(serverUrl, async (client) => {
          await client.query(`CREATE DATABASE ${name}`)
          const version = await client.query<{ readonly version: string }>("SELECT version()")
          return { url: target.toString(), version: version.rows[0]?.version ?? "PostgreSQL" }
        }),
      catch: toError
    }),
    () => Effect.promise(() => withClient(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).catch(() => undefined))
  )
}
