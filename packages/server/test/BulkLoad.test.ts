import * as SqlClient from "@effect/sql/SqlClient"
import { SqlError } from "@effect/sql/SqlError"
import { assert, expect } from "@effect/vitest"
import { Blocking, Learner, SyntheticLearners } from "@learner-records/core"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Cause from "effect/Cause"
import * as Schema from "effect/Schema"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as Redacted from "effect/Redacted"
import * as Baseline from "../src/Baseline.js"
import * as StackBaseline from "../src/StackBaseline.js"
import { BulkLoad, detailsOf } from "../src/BulkLoad.js"
import { keyColumns } from "../src/internal/blockingColumns.js"
import { call, countRows, describeHttp, fixture, freshUkprn, unique } from "./http.js"
import { storedKeys } from "./records.js"

const decodeDetails = Schema.decodeUnknownSync(Learner.LearnerDetails)
const encodeDetails = Schema.encodeSync(Learner.LearnerDetails)

interface StoredRow {
  readonly uln: string
  readonly details: unknown
  readonly givenName: string
  readonly familyName: string
  readonly previousFamilyName: string | null
  readonly dateOfBirth: string
  readonly gender: number
  readonly postcode: string
  readonly abilityToShare: number
  readonly verificationType: number
  readonly masterUln: string | null
  readonly registeredBy: string | null
  readonly versionNumber: number
}

const stored = (ulns: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const rows = yield* sql<StoredRow>`SELECT uln, details, given_name, family_name, previous_family_name, date_of_birth,
        gender, postcode, ability_to_share, verification_type, ${sql.literal(keyColumns.join(", "))}, master_uln, registered_by::text,
        version_number
      FROM learners WHERE uln IN ${sql.in(ulns)}`
    return new Map(rows.map((row) => [row.uln, row]))
  }).pipe(Effect.orDie)

/** Every column of a loaded learner is what the register holds for it (details decode through core's schema). */
const expectStored = (row: StoredRow | undefined, learner: SyntheticLearners.SyntheticLearner) => {
  assert(row !== undefined, `learner ${learner.uln} was not stored`)
  const details = decodeDetails(row.details)
  expect(encodeDetails(details)).toEqual(detailsOf(learner))
  const keys = Blocking.blockingKeys(learner)
  expect(row).toMatchObject({
    givenName: learner.givenName,
    familyName: learner.familyName,
    previousFamilyName: learner.previousFamilyName ?? null,
    dateOfBirth: learner.dateOfBirth,
    gender: learner.gender,
    postcode: learner.postcode,
    abilityToShare: 1,
    verificationType: 1,
    masterUln: learner.masterUln ?? null
  })
  expect(storedKeys(row)).toEqual(keys)
}

/** The definitions of the learners table's indexes and constraints (to check a rebuild put them all back). */
const schemaOfLearners = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly definition: string }>`
    SELECT pg_get_indexdef(indexrelid) AS definition FROM pg_index WHERE indrelid = 'learners'::regclass
    UNION ALL
    SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'learners'::regclass
    ORDER BY 1`
  return rows.map((row) => row.definition)
}).pipe(Effect.orDie)

const failedWithSqlError = <A>(exit: Exit.Exit<A, SqlError>): boolean =>
  Exit.isFailure(exit) && Option.exists(Cause.failureOption(exit.cause), (e) => e instanceof SqlError)

const load = (rows: ReadonlyArray<SyntheticLearners.SyntheticLearner>, options: Parameters<BulkLoad["learners"]>[1] = {}) =>
  Effect.flatMap(BulkLoad, (bulk) => bulk.learners(rows, options))

// ULNs in the synthetic data are drawn from a seeded generator: a fresh seed per load keeps them apart
const synthetic = (learners: number, linkedShare = 0.01) =>
  SyntheticLearners.generate({ learners, seed: `bulk-test-${unique()}`, linkedShare })

describeHttp("BulkLoad", (it, database) => {
  it.layer(BulkLoad.Default)((it) => {
    // first: these two need the register empty
    it.effect("a failed load into an empty register leaves nothing, with every index and constraint in place", () =>
      Effect.gen(function*() {
        const before = yield* schemaOfLearners
        const rows = synthetic(1_500)
        // the same ULN twice: the primary key stops the load in its third batch
        const broken = [...rows, { ...rows[3]!, masterUln: undefined }]
        const exit = yield* Effect.exit(load(broken, { batchSize: 500 }))
        expect(failedWithSqlError(exit)).toBe(true)
        expect(yield* countRows("learners")).toBe(0)
        expect(yield* schemaOfLearners).toEqual(before)
      }))

    it.effect("loads an empty register with every column, key and link; the indexes and foreign keys come back", () =>
      Effect.gen(function*() {
        const before = yield* schemaOfLearners
        const rows = synthetic(3_000, 0.05)
        expect(rows.some((l) => l.masterUln !== undefined)).toBe(true)
        expect(rows.some((l) => l.previousFamilyName !== undefined)).toBe(true)
        const progress: Array<number> = []
        const result = yield* load(rows, { batchSize: 700, onProgress: (n) => progress.push(n) })
        expect(result).toMatchObject({
          inserted: 3_000,
          method: database === "postgres" ? "copy" : "insert",
          rebuilt: database === "postgres"
        })
        expect(progress).toEqual([700, 1_400, 2_100, 2_800, 3_000])
        expect(yield* countRows("learners")).toBe(3_000)
        const byUln = yield* stored(rows.map((l) => l.uln))
        for (const learner of rows) expectStored(byUln.get(learner.uln), learner)
        expect([...byUln.values()].every((row) => row.registeredBy === null && row.versionNumber === 0)).toBe(true)
        expect(yield* schemaOfLearners).toEqual(before)
        const sql = yield* SqlClient.SqlClient
        // vacuumed as well as analysed: every page is marked all-visible, so neither the first
        // reads nor autovacuum pay for the load later
        const [pages] = yield* sql<{ readonly relpages: number; readonly relallvisible: number }>`
          SELECT relpages, relallvisible FROM pg_class WHERE relname = 'learners'`
        expect(pages!.relpages).toBeGreaterThan(0)
        expect(pages!.relallvisible).toBe(pages!.relpages)
        // the self-reference is enforced again
        const orphan = yield* Effect.exit(sql`UPDATE learners SET master_uln = '1000000000' WHERE uln = ${rows[0]!.uln}`)
        assert(Exit.isFailure(orphan))
      }))

    it.effect("a load into a register that has learners keeps its indexes and records who registered them", () =>
      Effect.gen(function*() {
        const f = yield* fixture
        const existing = yield* countRows("learners")
        const rows = synthetic(600)
        const result = yield* load(rows, { batchSize: 250, registeredBy: f.lrb.id })
        expect(result).toMatchObject({ inserted: 600, rebuilt: false })
        expect(yield* countRows("learners")).toBe(existing + 600)
        const byUln = yield* stored(rows.map((l) => l.uln))
        expect([...byUln.values()].every((row) => row.registeredBy === f.lrb.id)).toBe(true)
      }))

    it.effect("a failed load into a register that has learners leaves nothing of itself", () =>
      Effect.gen(function*() {
        const existing = yield* countRows("learners")
        const sql = yield* SqlClient.SqlClient
        const taken = (yield* sql<{ readonly uln: string }>`SELECT uln FROM learners LIMIT 1`)[0]!.uln
        const fresh = synthetic(300, 0)
        const exit = yield* Effect.exit(load([...fresh, { ...fresh[0]!, uln: taken }], { batchSize: 100 }))
        expect(failedWithSqlError(exit)).toBe(true)
        expect(yield* countRows("learners")).toBe(existing)
        expect((yield* stored(fresh.map((l) => l.uln))).size).toBe(0)
      }))

    it.effect("quotes, backslashes, tabs and commas in a name survive both paths", () =>
      Effect.gen(function*() {
        const [a, b, c, d] = synthetic(4, 0)
        const odd = (l: SyntheticLearners.SyntheticLearner, givenName: string, familyName: string) => ({
          ...l,
          givenName,
          familyName,
          previousFamilyName: "{Null},\"x\""
        })
        const viaDefault = [odd(a!, "Jo\"hn\\", "O'Neil\tX"), odd(b!, "NULL", "a,b{c}")]
        const viaInsert = [odd(c!, "Jo\"hn\\", "O'Neil\tX"), odd(d!, "\\N", "back\\\\slash")]
        yield* load(viaDefault)
        yield* load(viaInsert, { method: "insert" })
        const byUln = yield* stored([...viaDefault, ...viaInsert].map((l) => l.uln))
        for (const learner of [...viaDefault, ...viaInsert]) expectStored(byUln.get(learner.uln), learner)
      }))

    it.effect("bulk-loaded learners are found over HTTP by ULN (a linked ULN answers with its master) and by demographics", () =>
      Effect.gen(function*() {
        const f = yield* fixture
        const rows = synthetic(400, 0.2)
        yield* load(rows, { batchSize: 150 })
        const linked = rows.find((l) => l.masterUln !== undefined)!
        const master = rows.find((l) => l.uln === linked.masterUln)!
        const token = f.lrb.tokens["OnlineUser"]
        const exact = yield* call("POST", "/api/v1/learners/find-by-uln", {
          token,
          body: { uln: master.uln, givenName: master.givenName, familyName: master.familyName }
        })
        expect(exact.status).toBe(200)
        expect(exact.body).toMatchObject({ responseCode: "WSRC0004", learner: { uln: master.uln, dateOfBirth: master.dateOfBirth } })
        const viaLink = yield* call("POST", "/api/v1/learners/find-by-uln", {
          token,
          body: { uln: linked.uln, givenName: master.givenName, familyName: master.familyName }
        })
        expect(viaLink.body).toMatchObject({ responseCode: "WSRC0022", learner: { uln: master.uln, linkedUlns: expect.arrayContaining([linked.uln]) } })
        const search = yield* call("POST", "/api/v1/learners/find-by-demographics", {
          token,
          body: {
            givenName: master.givenName,
            familyName: master.familyName,
            dateOfBirth: master.dateOfBirth,
            gender: master.gender,
            postcode: master.postcode
          }
        })
        expect(search.status).toBe(200)
        const found = (search.body as { readonly learners: ReadonlyArray<{ readonly learner: { readonly uln: string } }> }).learners
        expect(found.map((m) => m.learner.uln)).toContain(master.uln)
      }))

    if (database === "postgres") {
      it.effect("both bench baselines answer find by ULN with the same learner as the LRS server", () =>
        Effect.gen(function*() {
          const f = yield* fixture
          const rows = synthetic(300, 0.2)
          yield* load(rows)
          const pg = yield* PgClient.PgClient
          const url = pg.config.url
          assert(url !== undefined)
          const bare = yield* Effect.acquireRelease(
            Effect.promise(() => Baseline.listen({ url: Redacted.value(url), port: 0, poolMax: 2 })),
            (b) => Effect.promise(() => b.close())
          )
          const stack = yield* StackBaseline.listen({ url: Redacted.value(url), port: 0, poolMax: 2 })
          for (const port of [bare.port, stack.port]) yield* baselineAgrees(f, rows, port)
        }).pipe(Effect.scoped))
    }

    /** The baseline on `port` answers as the LRS server does, and refuses a body that is not a find. */
    const baselineAgrees = (f: Effect.Effect.Success<typeof fixture>, rows: ReadonlyArray<SyntheticLearners.SyntheticLearner>, port: number) =>
      Effect.gen(function*() {
        const post = (body: unknown) =>
          Effect.promise(async () => {
            const r = await fetch(`http://127.0.0.1:${port}/learners/find-by-uln`, {
              method: "POST",
              headers: { "content-type": "application/json" },
              body: typeof body === "string" ? body : JSON.stringify(body)
            })
            // a refused body may come back empty (the stack baseline's platform answers 400 with no body)
            const text = await r.text()
            return { status: r.status, body: (text === "" ? {} : JSON.parse(text)) as { readonly responseCode?: string; readonly learner?: unknown } }
          })
        const linked = rows.find((l) => l.masterUln !== undefined)!
        const master = rows.find((l) => l.uln === linked.masterUln)!
        for (const uln of [master.uln, linked.uln]) {
          const body = { uln, givenName: master.givenName, familyName: master.familyName }
          const lrs = yield* call("POST", "/api/v1/learners/find-by-uln", { token: f.lrb.tokens["OnlineUser"], body })
          const answered = yield* post(body)
          expect(answered.status).toBe(200)
          expect(answered.body.responseCode).toBe((lrs.body as { readonly responseCode: string }).responseCode)
          expect(answered.body.learner).toEqual((lrs.body as { readonly learner: unknown }).learner)
        }
        expect((yield* post({ uln: master.uln, givenName: "Nobody", familyName: master.familyName })).body).toMatchObject({
          responseCode: "WSRC0001",
          learner: null
        })
        expect((yield* post({ uln: "9999999999", givenName: "A", familyName: "B" })).body.responseCode).toBe("WSRC0001")
        expect((yield* post({ uln: master.uln })).status).toBe(400)
        expect((yield* post("{not json")).status).toBe(400)
      })

    it.effect("caller: an organisation and a user with the given roles, who can sign in", () =>
      Effect.gen(function*() {
        const bulk = yield* BulkLoad
        const username = `bench.${unique()}`
        const ukprn = freshUkprn()
        const ids = yield* bulk.caller({
          organisationName: `Bench ${username}`,
          ukprn,
          kinds: ["LRB"],
          username,
          password: "bench-password-123",
          roles: ["OnlineUser"]
        })
        const sql = yield* SqlClient.SqlClient
        const orgs = yield* sql<{ readonly ukprn: string; readonly kinds: ReadonlyArray<string> }>`
          SELECT ukprn, kinds FROM organisations WHERE id = ${ids.organisationId}::uuid`
        expect(orgs).toEqual([{ ukprn, kinds: ["LRB"] }])
        const login = yield* call("POST", "/api/v1/auth/login", { body: { username, password: "bench-password-123" } })
        expect(login.status).toBe(200)
        expect(login.body).toMatchObject({ user: { roles: ["OnlineUser"] } })
        // the same UKPRN again: nothing half-written
        const users = yield* countRows("users")
        const again = yield* Effect.exit(bulk.caller({
          organisationName: "Again",
          ukprn,
          kinds: ["LRB"],
          username: `${username}.2`,
          password: "bench-password-123",
          roles: ["OnlineUser"]
        }))
        assert(Exit.isFailure(again))
        expect(yield* countRows("users")).toBe(users)
      }))
  })
})
