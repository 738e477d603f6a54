import { type ChildProcess, spawn, spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

/** The command line of the real `lrs` binary from source, as `pnpm lrs` runs it. */
const command = (args: ReadonlyArray<string>): Array<string> => [
  "--conditions=source",
  "--import",
  "tsx",
  path.join(root, "packages/cli/src/bin.ts"),
  ...args
]

/**
 * The environment of a run: the test's, without `DATABASE_URL` (a run picks its database
 * explicitly), with `env` on top.
 */
const environment = (env: Readonly<Record<string, string>>): NodeJS.ProcessEnv => {
  const { DATABASE_URL: _, ...rest } = process.env
  return { ...rest, ...env }
}

/** Runs the real `lrs` binary from source, as `pnpm lrs` does, and returns what it printed. */
export const lrs = (args: ReadonlyArray<string>, input?: string) => {
  const r = spawnSync(process.execPath, command(args), {
    cwd: root,
    input: input ?? "",
    encoding: "utf8",
    timeout: 120_000
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}

/** Starts the real `lrs` binary from source in the background (standard input ignored). */
export const spawnLrs = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}): ChildProcess =>
  spawn(process.execPath, command(args), { cwd: root, env: environment(env), stdio: ["ignore", "pipe", "pipe"] })

/**
 * Starts `pnpm -s lrs <args>` in the background, as an operator or a supervisor would, in a
 * process group of its own (so a test can end whatever pnpm started, even an orphan).
 */
export const spawnPnpmLrs = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}): ChildProcess =>
  spawn("pnpm", ["-s", "lrs", ...args], { cwd: root, env: environment(env), stdio: ["ignore", "pipe", "pipe"], detached: true })

/**
 * {@link lrs} without blocking the test worker's event loop (a long `spawnSync` can keep it from
 * answering vitest, which then reports a timeout of its own).
 */
export const lrsAsync = (args: ReadonlyArray<string>, env: Readonly<Record<string, string>> = {}) =>
  new Promise<{ readonly status: number | null; readonly stdout: string; readonly stderr: string }>((resolve, reject) => {
    const child = spawnLrs(args, env)
    let stdout = ""
    let stderr = ""
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")))
    child.stderr?.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")))
    child.once("error", reject)
    child.once("close", (status) => resolve({ status, stdout, stderr }))
  })
