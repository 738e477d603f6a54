/**
 * Vitest global setup of the server package: gives the tests a PostgreSQL server URL through
 * `provide("databaseUrl", …)` (read with `inject("databaseUrl")`, see `test/utils.ts`).
 *
 * - `DATABASE_URL` set → that server is used (each test file creates and drops its own database in
 *   it, so the role needs CREATEDB).
 * - otherwise a throwaway cluster is started (src/LocalPostgres.ts) with `initdb` + `pg_ctl` found on PATH, in
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
import { createHash } from "node:crypto"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { TestProject } from "vitest/node"
import * as LocalPostgres from "../../src/LocalPostgres.js"

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

const describeError = (error: unknown): string => (error instanceof Error ? error.message : String(error))

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
  const bin = LocalPostgres.findBin()
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
  const cluster = await LocalPostgres.start(bin)
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
