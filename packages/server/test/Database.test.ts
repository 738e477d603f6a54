import * as SqlClient from "@effect/sql/SqlClient"
import { assert, describe, expect, it } from "@effect/vitest"
import * as ConfigProvider from "effect/ConfigProvider"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Redacted from "effect/Redacted"
import * as fc from "fast-check"
import { spawnSync } from "node:child_process"
import * as fs from "node:fs"
import * as os from "node:os"
import * as path from "node:path"
import * as Database from "../src/Database.js"
import * as Migrations from "../src/Migrations.js"
import { describeBothDatabases } from "./utils.js"

class Boom {
  readonly _tag = "Boom"
}

describeBothDatabases("Database", (it, database) => {
  it.effect("runs the migrations once, then reports them applied", () =>
    Effect.gen(function*() {
      const before = yield* Migrations.status
      expect(before).toEqual({ applied: 0, latest: Migrations.latestId, upToDate: false })
      const applied = yield* Migrations.run
      expect(applied.map(([id]) => id)).toEqual(Object.keys(Migrations.migrations).map((key) => Number.parseInt(key, 10)))
      expect(yield* Migrations.run).toEqual([])
      expect(yield* Migrations.status).toEqual({
        applied: Migrations.latestId,
        latest: Migrations.latestId,
        upToDate: true
      })
      const sql = yield* SqlClient.SqlClient
      const meta = yield* sql<{ readonly key: string; readonly value: string }>`SELECT key, value FROM lrs_meta`
      expect(meta.map((row) => row.key)).toEqual(["instance_id"])
    }))

  it.effect("inserts and selects with the shared conventions", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE smoke (
        id integer PRIMARY KEY,
        given_name text NOT NULL,
        date_of_birth date,
        big bigint NOT NULL DEFAULT 9007199254740993,
        created_at timestamptz NOT NULL DEFAULT now(),
        extra jsonb
      )`
      yield* sql`INSERT INTO smoke ${
        sql.insert([
          { id: 1, givenName: "Ada", dateOfBirth: "1815-12-10", extra: JSON.stringify({ some_key: 1 }) },
          { id: 2, givenName: "Alan", dateOfBirth: null, extra: null }
        ])
      }`
      const rows = yield* sql<{
        readonly id: number
        readonly givenName: string
        readonly dateOfBirth: string | null
        readonly big: string
        readonly createdAt: Date
        readonly extra: unknown
      }>`SELECT * FROM smoke ORDER BY id`
      expect(rows.map(({ createdAt: _, ...row }) => row)).toEqual([
        { id: 1, givenName: "Ada", dateOfBirth: "1815-12-10", big: "9007199254740993", extra: { some_key: 1 } },
        { id: 2, givenName: "Alan", dateOfBirth: null, big: "9007199254740993", extra: null }
      ])
      assert(rows[0]?.createdAt instanceof Date)
      const dates = yield* sql<{ readonly dates: ReadonlyArray<string | null> }>`
        SELECT ARRAY['2024-02-29'::date, NULL] AS dates`
      expect(dates[0]?.dates).toEqual(["2024-02-29", null])
      const [count] = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM smoke WHERE ${
        sql.in("id", [1, 2, 3])
      }`
      expect(count?.n).toBe(2)
    }))

  it.effect("rolls a failed transaction back, nested ones to their savepoint", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE tx_smoke (id integer PRIMARY KEY)`
      const failed = yield* sql`INSERT INTO tx_smoke (id) VALUES (1)`.pipe(
        Effect.zipRight(Effect.fail(new Boom())),
        sql.withTransaction,
        Effect.flip
      )
      expect(failed).toBeInstanceOf(Boom)
      yield* sql.withTransaction(Effect.gen(function*() {
        yield* sql`INSERT INTO tx_smoke (id) VALUES (2)`
        yield* Effect.ignore(sql.withTransaction(sql`INSERT INTO tx_smoke (id) VALUES (2)`))
        yield* sql`INSERT INTO tx_smoke (id) VALUES (3)`
      }))
      const rows = yield* sql<{ readonly id: number }>`SELECT id FROM tx_smoke ORDER BY id`
      expect(rows.map((row) => row.id)).toEqual([2, 3])
    }))

  it.effect("keeps concurrent transactions apart", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      yield* sql`CREATE TABLE counter (id integer PRIMARY KEY, n integer NOT NULL)`
      yield* sql`INSERT INTO counter (id, n) VALUES (1, 0)`
      const increment = sql.withTransaction(Effect.gen(function*() {
        const [row] = yield* sql<{ readonly n: number }>`SELECT n FROM counter WHERE id = 1 FOR UPDATE`
        yield* Effect.sleep("1 millis")
        yield* sql`UPDATE counter SET n = ${(row?.n ?? 0) + 1} WHERE id = 1`
      }))
      yield* Effect.all(Array.from({ length: 20 }, () => increment), { concurrency: "unbounded", discard: true })
      const [row] = yield* sql<{ readonly n: number }>`SELECT n FROM counter WHERE id = 1`
      expect(row?.n).toBe(20)
    }))

  it.effect("reports the server", () =>
    Effect.gen(function*() {
      const sql = yield* SqlClient.SqlClient
      const [row] = yield* sql<{ readonly version: string }>`SELECT version()`
      expect(row?.version).toContain(database === "pglite" ? "PGlite" : "PostgreSQL")
    }))
})

describe("Database.DatabaseConfig", () => {
  const read = (env: ReadonlyArray<readonly [string, string]>) =>
    Effect.withConfigProvider(Database.DatabaseConfig, ConfigProvider.fromMap(new Map(env)))

  it.effect("picks PGlite in ./.lrs-data by default, LRS_DATA_DIR when set", () =>
    Effect.gen(function*() {
      expect(yield* read([])).toEqual({ _tag: "Pglite", dataDir: "./.lrs-data" })
      expect(yield* read([["LRS_DATA_DIR", "/var/lib/lrs"]])).toEqual({ _tag: "Pglite", dataDir: "/var/lib/lrs" })
      expect(yield* read([["DATABASE_URL", " "]])).toEqual({ _tag: "Pglite", dataDir: "./.lrs-data" })
    }))

  it.effect("picks PostgreSQL when DATABASE_URL is set", () =>
    Effect.gen(function*() {
      const config = yield* read([["DATABASE_URL", "postgres://u@h/db"]])
      assert(config._tag === "Postgres")
      expect(Redacted.value(config.url)).toBe("postgres://u@h/db")
    }))

  // node-postgres reads anything else as a host or a socket: `not-a-url` connected to host "base",
  // `mysql://…` to localhost:5432
  it.effect("refuses a DATABASE_URL that is not a postgres:// or postgresql:// URL, naming it but never its value", () =>
    Effect.gen(function*() {
      for (const url of ["not-a-url", "mysql://lrs:s3cret@127.0.0.1:3306/lrs", "http://h/db", "postgres//h/db", "postgres:5432/db", "h:5432/db"]) {
        const fromConfig = String(yield* Effect.flip(read([["DATABASE_URL", url]])))
        const fromLayer = String(yield* Effect.flip(Effect.scoped(Layer.build(Database.layerPgConfig)).pipe(
          Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["DATABASE_URL", url]])))
        )))
        for (const error of [fromConfig, fromLayer]) {
          expect(error).toContain("DATABASE_URL must be a postgres:// or postgresql:// URL")
          expect(error).not.toContain("s3cret")
        }
      }
      expect(yield* read([["DATABASE_URL", "postgresql://u:p@h:5433/db?sslmode=require"]])).toMatchObject({ _tag: "Postgres" })
    }))
})

describe("Database.isPostgresUrl", () => {
  it("accepts postgres:// and postgresql:// URLs, with or without a user, port or parameters, or a socket", () => {
    expect(Database.isPostgresUrl("postgres:///lrs?host=/var/run/postgresql")).toBe(true)
    fc.assert(fc.property(
      fc.constantFrom("postgres", "postgresql", "POSTGRES"),
      fc.option(fc.constantFrom("u", "u:p", "lrs:s%40cret"), { nil: undefined }),
      fc.domain(),
      fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      fc.constantFrom("/lrs", "/", "", "/lrs?sslmode=require"),
      (scheme, user, host, port, rest) =>
        Database.isPostgresUrl(`${scheme}://${user === undefined ? "" : `${user}@`}${host}${port === undefined ? "" : `:${port}`}${rest}`)
    ))
  })

  it("refuses every other scheme and what is not a URL", () => {
    fc.assert(fc.property(fc.webUrl(), (url) => !Database.isPostgresUrl(url)))
    // a host and port without the scheme, even a host named postgres
    fc.assert(fc.property(
      fc.oneof(fc.domain(), fc.constantFrom("postgres", "postgresql")),
      fc.integer({ min: 1, max: 65535 }),
      (host, port) => !Database.isPostgresUrl(`${host}:${port}/db`)
    ))
  })
})

describe("Database.PoolConfig", () => {
  const read = (env: ReadonlyArray<readonly [string, string]>) =>
    Effect.withConfigProvider(Database.PoolConfig, ConfigProvider.fromMap(new Map(env)))

  it.effect("keeps every connection it opens unless DATABASE_POOL_MIN says fewer", () =>
    Effect.gen(function*() {
      expect(yield* read([])).toEqual({ maxConnections: 10, minConnections: 10 })
      expect(yield* read([["DATABASE_POOL_MAX", "4"]])).toEqual({ maxConnections: 4, minConnections: 4 })
      expect(yield* read([["DATABASE_POOL_MAX", "4"], ["DATABASE_POOL_MIN", "1"]])).toEqual({ maxConnections: 4, minConnections: 1 })
      expect(yield* read([["DATABASE_POOL_MAX", "4"], ["DATABASE_POOL_MIN", "0"]])).toEqual({ maxConnections: 4, minConnections: 0 })
      // never more kept than the pool may hold
      expect(yield* read([["DATABASE_POOL_MAX", "4"], ["DATABASE_POOL_MIN", "9"]])).toEqual({ maxConnections: 4, minConnections: 4 })
    }))

  it.effect("refuses a pool of no connections, a negative minimum and a size that is not a number", () =>
    Effect.gen(function*() {
      for (const env of [[["DATABASE_POOL_MAX", "0"]], [["DATABASE_POOL_MIN", "-1"]], [["DATABASE_POOL_MAX", "ten"]]] as const) {
        const error = yield* Effect.flip(read(env))
        expect(String(error)).toMatch(/DATABASE_POOL_(MAX|MIN)/)
      }
    }))
})

describe("Database.layerPglite: one process per data directory", () => {
  const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "lrs-lock-"))
  const open = (dir: string) =>
    Effect.scoped(Effect.gen(function*() {
      const context = yield* Layer.build(Database.layerPglite(dir))
      const sql = Context.get(context, SqlClient.SqlClient)
      yield* sql`SELECT 1`
      // held while open, by this process
      return fs.readFileSync(path.join(dir, "lrs.lock"), "utf8")
    }))
  /** The pid of a process that has ended. */
  const deadPid = () => {
    const child = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" })
    return Number(child.stdout)
  }

  it.effect("a directory another live process holds is refused, saying which process; one whose holder is gone is taken over and released on close", () =>
    Effect.gen(function*() {
      const dir = tempDir()
      // the test runner's parent: alive, and not this process
      fs.writeFileSync(path.join(dir, "lrs.lock"), String(process.ppid))
      const refused = yield* Effect.flip(open(dir))
      expect(refused._tag).toBe("SqlError")
      expect(refused.message).toContain(`in use by another process (pid ${process.ppid})`)
      expect(fs.readFileSync(path.join(dir, "lrs.lock"), "utf8")).toBe(String(process.ppid))

      fs.writeFileSync(path.join(dir, "lrs.lock"), String(deadPid()))
      expect(yield* open(dir)).toBe(String(process.pid))
      expect(fs.existsSync(path.join(dir, "lrs.lock"))).toBe(false)
      // and again, with no claim left
      expect(yield* open(dir)).toBe(String(process.pid))
      fs.rmSync(dir, { recursive: true, force: true })
    }), 60_000)
})
