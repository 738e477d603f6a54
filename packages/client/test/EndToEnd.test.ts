/**
 * The SDK against the real server (in-memory PGlite, demo data): every operation of the api,
 * through the Promise client and through the Effect service, with the typed errors.
 */
import { FetchHttpClient } from "@effect/platform"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { QualificationNumber } from "@learner-records/core"
import { Effect, Either, Schema } from "effect"
import {
  createClient,
  LearnerRecordsClient,
  LrsBadRequest,
  LrsConflict,
  LrsError,
  LrsInvalidRequest,
  LrsNotFound,
  LrsUnauthorized
} from "../src/index.js"
import { ADMIN_PASSWORD, DEMO_PASSWORD, type LrsHarness, startServer, unique } from "./harness.js"

let lrs: LrsHarness
beforeAll(async () => {
  lrs = await startServer()
})
afterAll(() => lrs?.close())

/** The LrsError a promise rejects with (fails the test when it resolves or throws something else). */
const rejection = async (promise: Promise<unknown>): Promise<LrsError> => {
  try {
    await promise
  } catch (e) {
    expect(e).toBeInstanceOf(LrsError)
    const error = e as LrsError
    expect(error.requestId).toMatch(/.+/)
    return error
  }
  throw new Error("expected the call to fail")
}

const letters = (n: number): string =>
  Array.from({ length: n }, () => String.fromCharCode(97 + Math.floor(Math.random() * 26))).join("")
const name = (): string => {
  const s = letters(9)
  return s[0]!.toUpperCase() + s.slice(1)
}
/** Details of a learner nobody has registered (random names). */
const newLearner = () => ({
  givenName: name(),
  familyName: name(),
  dateOfBirth: "2001-02-03",
  gender: 2 as const,
  lastKnownPostCode: "SW1A 2AA",
  abilityToShare: 1 as const,
  verificationType: 1 as const
})
/** A subject code (QAN) with a random prefix and its check character. */
const subjectCode = (): string => {
  const digits = `7${String(Math.floor(Math.random() * 1e6)).padStart(6, "0")}`
  const check = QualificationNumber.checkCharacter(digits)
  return check === undefined ? subjectCode() : `${digits.slice(0, 3)}/${digits.slice(3)}/${check}`
}

describe("Promise client (createClient) against the real server", () => {
  it("service.status needs no credentials", async () => {
    const client = createClient({ baseUrl: lrs.baseUrl })
    const status = await client.service.status()
    expect(status.service).toBe("learner-records")
    expect(status.database).toBe("pglite")
    expect(status.requestId).toMatch(/.+/)
  })

  it("auth.login, session.me, session.logout; 401 after logout; 401 on a wrong password", async () => {
    const client = createClient({ baseUrl: lrs.baseUrl })
    const wrong = await rejection(client.auth.login({ username: "college.online", password: "not the password" }))
    expect(wrong).toBeInstanceOf(LrsUnauthorized)
    expect(wrong.status).toBe(401)

    const login = await client.auth.login({ username: "college.online", password: DEMO_PASSWORD })
    expect(login.tokenType).toBe("Bearer")
    client.setCredentials({ token: login.token })
    const me = await client.session.me()
    expect(me).toMatchObject({ username: "college.online", organisationName: "Demo College", via: "token" })
    await client.session.logout()
    const after = await rejection(client.session.me())
    expect(after).toBeInstanceOf(LrsUnauthorized)
    expect(after).toMatchObject({ status: 401, operation: "session.me" })
    expect(after.code).toMatch(/^WSEC/)
  })

  it("learners: findByUln, findByDemographics (every outcome), register, update, verify; typed errors", async () => {
    const client = createClient({ baseUrl: lrs.baseUrl })
    await client.login("college.online", DEMO_PASSWORD)

    const exact = lrs.scenario("learners.findByUln", "WSRC0004")
    const found = await client.learners.findByUln(exact as never)
    expect(found.responseCode).toBe("WSRC0004")
    expect(found.learner?.givenName).toBe("Amara")
    expect(found.requestId).toMatch(/.+/)
    expect((await client.learners.findByUln(lrs.scenario("learners.findByUln", "WSRC0022") as never)).responseCode).toBe("WSRC0022")
    expect((await client.learners.findByUln(lrs.scenario("learners.findByUln", "WSRC0001") as never)).responseCode).toBe("WSRC0001")

    for (const code of ["WSRC0004", "WSRC0003", "WSRC0002", "WSRC0001"] as const) {
      const result = await client.learners.findByDemographics(lrs.scenario("learners.findByDemographics", code) as never)
      expect(result.responseCode).toBe(code)
      if (code === "WSRC0003") expect(result.learners[0]?.score).toBeGreaterThan(0)
    }

    // 400 WSEC0001 naming the field (found by the client, not sent)
    const invalid = await rejection(client.learners.findByDemographics({
      givenName: "Ada",
      familyName: "Lovelace",
      dateOfBirth: "10/12/1990",
      gender: 2,
      postcode: "SW1A 1AA"
    } as never))
    expect(invalid).toBeInstanceOf(LrsInvalidRequest)
    expect(invalid).toBeInstanceOf(LrsBadRequest)
    expect(invalid).toMatchObject({ status: 400, code: "WSEC0001" })
    expect(invalid.errors.map((e) => e.field)).toContain("dateOfBirth")

    // register: 201 WSRC0005, 409 WSRC0021, 202 WSRC0003 (held)
    const details = newLearner()
    const registered = await client.learners.register(details)
    expect(registered.responseCode).toBe("WSRC0005")
    if (registered.responseCode !== "WSRC0005") throw new Error("not registered")
    const duplicate = await rejection(client.learners.register(details))
    expect(duplicate).toBeInstanceOf(LrsConflict)
    expect(duplicate).toMatchObject({ status: 409, code: "WSRC0021", operation: "learners.register" })
    const held = await client.learners.register(lrs.scenario("learners.register", "202") as never)
    expect(held.responseCode).toBe("WSRC0003")

    // update: WSRC0006, then the old version again is stale (409 WSRC0013); unknown ULN 404 WSRC0019
    const uln = registered.uln
    const version = registered.learner.versionNumber
    const updated = await client.learners.update({
      path: { uln },
      payload: { ...details, lastKnownPostCode: "SW1A 1AA", versionNumber: version }
    })
    expect(updated.responseCode).toBe("WSRC0006")
    const stale = await rejection(client.learners.update({
      path: { uln },
      payload: { ...details, lastKnownPostCode: "M1 1AE", versionNumber: version }
    }))
    expect(stale).toBeInstanceOf(LrsConflict)
    expect(stale).toMatchObject({ status: 409, code: "WSRC0013" })
    const unknownUln = lrs.scenario("learners.findByUln", "WSRC0001").uln as string
    const missing = await rejection(client.learners.update({ path: { uln: unknownUln }, payload: { ...details, versionNumber: 0 } }))
    expect(missing).toBeInstanceOf(LrsNotFound)
    expect(missing).toMatchObject({ status: 404, code: "WSRC0019" })

    const verified = await client.learners.verify({ uln, givenName: details.givenName, familyName: details.familyName })
    expect(verified.responseCode).toBe("WSVRC001")
    const notVerified = await client.learners.verify({ uln, givenName: "John", familyName: "Smith" })
    expect(notVerified.responseCode).toBe("WSVRC005")
    expect(notVerified.failureFlags.length).toBeGreaterThan(0)
  })

  it("registrationExceptions: list and resolve (register-new); resolving twice is 409", async () => {
    const client = createClient({ baseUrl: lrs.baseUrl })
    await client.login("college.online", DEMO_PASSWORD)
    const held = await client.learners.register({ ...(lrs.scenario("learners.register", "202") as ReturnType<typeof newLearner>), lastKnownPostCode: "M1 2AB" })
    if (held.responseCode !== "WSRC0003") throw new Error(`expected a held registration, got ${held.responseCode}`)
    const open = await client.registrationExceptions.list({ status: "open" })
    expect(open.map((e) => e.id)).toContain(held.exceptionId)
    const resolved = await client.registrationExceptions.resolve({ path: { id: held.exceptionId }, payload: { action: "register-new" } })
    expect(resolved.responseCode).toBe("WSRC0005")
    expect(resolved.exception.status).toBe("resolved")
    const again = await rejection(
      client.registrationExceptions.resolve({ path: { id: held.exceptionId }, payload: { action: "register-new" } })
    )
    expect(again).toBeInstanceOf(LrsConflict)
    expect(again.status).toBe(409)
  })

  it("achievements as awards.user: create, update, withdraw, reinstate, list; another AO gets 404", async () => {
    const client = createClient({ baseUrl: lrs.baseUrl })
    await client.login("awards.user", DEMO_PASSWORD)
    const body: Record<string, unknown> = { ...lrs.scenario("achievements.create", "201"), awardDate: "2024-05-01" }
    const created = await client.achievements.create(body as never)
    expect(created.responseCode).toBe("ACH001")
    const id = created.achievement.id
    const replay = await client.achievements.create(body as never)
    expect(replay).toMatchObject({ responseCode: "ACH005" })
    const updated = await client.achievements.update({ path: { id }, payload: { ...body, grade: "Merit" } as never })
    expect(updated.responseCode).toBe("ACH002")
    const withdrawn = await client.achievements.withdraw({ path: { id }, payload: { reason: "Awarded in error" } })
    expect(withdrawn.responseCode).toBe("ACH003")
    const twice = await rejection(client.achievements.withdraw({ path: { id }, payload: { reason: "Again" } }))
    expect(twice).toBeInstanceOf(LrsConflict)
    const reinstated = await client.achievements.reinstate({ path: { id }, payload: {} })
    expect(reinstated.responseCode).toBe("ACH004")
    const page = await client.achievements.list({ uln: String(body["uln"]) })
    expect(page.achievements.map((a) => a.id)).toContain(id)

    const refused = await rejection(client.achievements.create({ ...lrs.scenario("achievements.create", "422") } as never))
    expect(refused).toMatchObject({ status: 422, code: "ACH011" })

    const other = createClient({ baseUrl: lrs.baseUrl })
    await other.login("other.awards", DEMO_PASSWORD)
    const notYours = await rejection(other.achievements.withdraw({ path: { id }, payload: { reason: "Not mine" } }))
    expect(notYours).toBeInstanceOf(LrsNotFound)
    expect(notYours).toMatchObject({ status: 404, code: "ACH013" })
  })

  it("plr.get (every outcome) and plr.accessLog", async () => {
    const client = createClient({ baseUrl: lrs.baseUrl })
    await client.login("college.super", DEMO_PASSWORD)
    // view left out: the server defaults it to FULL, so the SDK must not require it
    const plrOf = (outcome: string) => lrs.scenario("plr.get", outcome) as never
    const plr = await client.plr.get(plrOf("WSRC0004"))
    expect(plr.responseCode).toBe("WSRC0004")
    expect(plr.learningEvents.length).toBeGreaterThanOrEqual(2)
    expect((await client.plr.get(plrOf("WSEC0206"))).responseCode).toBe("WSEC0206")
    expect((await client.plr.get(plrOf("WSEC0208"))).responseCode).toBe("WSEC0208")
    const log = await client.plr.accessLog({ path: { uln: plr.incomingUln } })
    expect(log.entries.some((entry) => entry.requestId === plr.requestId)).toBe(true)
    // a page at a time: the cursor of one page gives the next, with no entry twice
    await client.plr.get(plrOf("WSRC0004"))
    const both = await client.plr.accessLog({ path: { uln: plr.incomingUln }, urlParams: { limit: 2 } })
    expect(both.entries).toHaveLength(2)
    const first = await client.plr.accessLog({ path: { uln: plr.incomingUln }, urlParams: { limit: 1 } })
    expect(first.entries).toHaveLength(1)
    expect(first.nextCursor).not.toBeNull()
    const second = await client.plr.accessLog({ path: { uln: plr.incomingUln }, urlParams: { limit: 1, cursor: first.nextCursor! } })
    expect(second.entries).toHaveLength(1)
    expect(second.entries[0]!.requestId).not.toBe(first.entries[0]!.requestId)
    expect([...first.entries, ...second.entries]).toEqual(both.entries)
  })

  it("users.* and API keys as college.super; an API-key client; revoked keys are refused", async () => {
    const client = createClient({ baseUrl: lrs.baseUrl })
    await client.login("college.super", DEMO_PASSWORD)
    const users = await client.users.list()
    expect(users.map((u) => u.username)).toContain("college.online")
    const username = `e2e.${unique()}`
    const created = await client.users.create({ username, displayName: "E2E user", roles: ["OnlineUser"], password: "a long password 123" })
    expect(created).toMatchObject({ username, status: "active" })
    const taken = await rejection(client.users.create({ username, displayName: "Again", roles: ["OnlineUser"], password: "a long password 123" }))
    expect(taken).toMatchObject({ status: 409, code: "SVC007" })
    const renamed = await client.users.update({ path: { id: created.id }, payload: { displayName: "Renamed" } })
    expect(renamed.displayName).toBe("Renamed")
    expect((await client.users.resetPassword({ path: { id: created.id }, payload: { password: "another long password" } })).id).toBe(created.id)
    expect((await client.users.revoke({ id: created.id })).status).toBe("revoked")

    const key = await client.users.createApiKey({ name: `MIS ${unique()}`, roles: ["OnlineUser"] })
    expect(key.key).toMatch(/.+/)
    expect((await client.users.listApiKeys()).map((k) => k.id)).toContain(key.apiKey.id)

    const system = createClient({ baseUrl: lrs.baseUrl, apiKey: key.key })
    expect(await system.session.me()).toMatchObject({ via: "apiKey", organisationName: "Demo College" })
    const found = await system.learners.findByUln(lrs.scenario("learners.findByUln", "WSRC0004") as never)
    expect(found.responseCode).toBe("WSRC0004")

    const revoked = await client.users.revokeApiKey({ id: key.apiKey.id })
    expect(revoked.revokedAt).not.toBeNull()
    const refused = await rejection(system.session.me())
    expect(refused).toBeInstanceOf(LrsUnauthorized)
  })

  it("admin.* as admin; other users get 403", async () => {
    const client = createClient({ baseUrl: lrs.baseUrl })
    await client.login("admin", ADMIN_PASSWORD)
    const orgs = await client.admin.listOrganisations()
    expect(orgs.map((o) => o.name)).toContain("Demo College")
    const org = await client.admin.createOrganisation({ name: `E2E AO ${unique()}`, kinds: ["AO"] })
    expect(await client.admin.getOrganisation({ id: org.id })).toMatchObject({ id: org.id, kinds: ["AO"] })
    const renamed = await client.admin.updateOrganisation({ path: { id: org.id }, payload: { name: `${org.name} (renamed)`, kinds: ["AO", "LRB"], olass: false } })
    expect(renamed.kinds).toEqual(expect.arrayContaining(["AO", "LRB"]))

    const code = subjectCode()
    const subject = {
      subjectCode: code,
      title: "E2E Award",
      level: "Level 1",
      qualificationType: "Other",
      owner: "10000002",
      availability: { _tag: "Private" as const }
    }
    const put = await client.admin.putQualification({ path: { subjectCode: code }, payload: subject as never })
    expect(put.subjectCode).toBe(code)
    const imported = await client.admin.importQualifications(
      `SubjectCode,Title,Level,QualificationType,OwnerUkprn,Availability,AllowedUkprns,OperationalStartDate\n${subjectCode()},Imported Award,Level 2,Other,10000002,Shared,,\n`
    )
    expect(imported.imported).toBe(1)
    const page = await client.admin.listQualifications({ owner: "10000002", limit: 500 })
    expect(page.qualifications.map((q) => q.subjectCode)).toContain(code)

    const online = createClient({ baseUrl: lrs.baseUrl })
    await online.login("college.online", DEMO_PASSWORD)
    const forbidden = await rejection(online.admin.listOrganisations())
    expect(forbidden).toMatchObject({ status: 403, code: "WSEC0006" })
  })
})

describe("Effect client (LearnerRecordsClient) against the real server", () => {
  const run = <A, E>(effect: Effect.Effect<A, E, LearnerRecordsClient>, credentials?: { readonly apiKey: string }) =>
    effect.pipe(Effect.provide(LearnerRecordsClient.layerFetch({ baseUrl: lrs.baseUrl, credentials })))

  it.effect("session, service and learners, with the api's typed errors", () =>
    run(Effect.gen(function*() {
      const client = yield* LearnerRecordsClient
      const status = yield* client.service.status()
      expect(status.apiVersion).toBe("v1")
      const login = yield* client.auth.login({ payload: { username: "college.online", password: DEMO_PASSWORD } })
      yield* client.setCredentials({ token: login.token })
      expect((yield* client.session.me()).username).toBe("college.online")

      const found = yield* client.learners.findByUln({ payload: lrs.scenario("learners.findByUln", "WSRC0004") as never })
      expect(found.responseCode).toBe("WSRC0004")
      const outcome = yield* client.learners.findByDemographics({ payload: lrs.scenario("learners.findByDemographics", "WSRC0003") as never })
      expect(outcome.responseCode).toBe("WSRC0003")

      const details = newLearner()
      const registered = yield* client.learners.register({ payload: details as never })
      if (registered.responseCode !== "WSRC0005") throw new Error("not registered")
      const duplicate = yield* Effect.flip(client.learners.register({ payload: details as never }))
      expect(duplicate._tag).toBe("Conflict")
      if (duplicate._tag === "Conflict") expect(duplicate.code).toBe("WSRC0021")

      const payload = { ...details, lastKnownPostCode: "SW1A 1AA", versionNumber: registered.learner.versionNumber }
      expect((yield* client.learners.update({ path: { uln: registered.uln }, payload: payload as never })).responseCode).toBe("WSRC0006")
      const stale = yield* Effect.flip(client.learners.update({ path: { uln: registered.uln }, payload: { ...payload, lastKnownPostCode: "M1 1AE" } as never }))
      expect(stale).toMatchObject({ _tag: "Conflict", code: "WSRC0013" })
      if (stale._tag === "Conflict") expect(stale.requestId).toMatch(/.+/)

      const verified = yield* client.learners.verify({ payload: { uln: registered.uln, givenName: details.givenName, familyName: details.familyName } as never })
      expect(verified.responseCode).toBe("WSVRC001")

      const held = yield* client.learners.register({ payload: { ...lrs.scenario("learners.register", "202"), lastKnownPostCode: "M1 3AB" } as never })
      if (held.responseCode !== "WSRC0003") throw new Error("not held")
      const open = yield* client.registrationExceptions.list({ urlParams: { status: "open" } })
      const exception = open.find((e) => e.id === held.exceptionId)
      expect(exception?.possibleMatches.length).toBeGreaterThan(0)
      const useExisting = exception!.possibleMatches[0]!.learner.uln
      const resolved = yield* client.registrationExceptions.resolve({ path: { id: held.exceptionId }, payload: { action: "use-existing", uln: useExisting } })
      expect(resolved).toMatchObject({ responseCode: "WSRC0004", uln: useExisting })

      yield* client.login("college.super", DEMO_PASSWORD)
      const plr = yield* client.plr.get({ payload: { view: "BRIEF", ...lrs.scenario("plr.get", "WSRC0004") } as never })
      expect(plr.responseCode).toBe("WSRC0004")
      const log = yield* client.plr.accessLog({ path: { uln: plr.incomingUln }, urlParams: { limit: 10 } })
      expect(log.entries.length).toBeGreaterThan(0)

      yield* client.session.logout()
      const after = yield* Effect.either(client.session.me())
      expect(Either.isLeft(after) && after.left._tag).toBe("Unauthorized")
    })))

  it.effect("achievements as awards.user; another AO's achievement is NotFound ACH013", () =>
    run(Effect.gen(function*() {
      const client = yield* LearnerRecordsClient
      yield* client.login("awards.user", DEMO_PASSWORD)
      const body: Record<string, unknown> = { ...lrs.scenario("achievements.create", "201"), awardDate: "2024-05-02" }
      const created = yield* client.achievements.create({ payload: body as never })
      expect(created.responseCode).toBe("ACH001")
      const id = created.achievement.id
      expect((yield* client.achievements.update({ path: { id }, payload: { ...body, grade: "Distinction" } as never })).responseCode).toBe("ACH002")
      expect((yield* client.achievements.withdraw({ path: { id }, payload: { reason: "Awarded in error" } })).responseCode).toBe("ACH003")
      expect((yield* client.achievements.reinstate({ path: { id }, payload: { reason: "Awarded after all" } })).responseCode).toBe("ACH004")
      const page = yield* client.achievements.list({ urlParams: { uln: body["uln"] as never, limit: 10 } })
      expect(page.achievements.map((a) => a.id)).toContain(id)

      yield* client.login("other.awards", DEMO_PASSWORD)
      const notYours = yield* Effect.flip(client.achievements.withdraw({ path: { id }, payload: { reason: "Not mine" } }))
      expect(notYours).toMatchObject({ _tag: "NotFound", code: "ACH013" })
    })))

  it.effect("users, API keys (and a client with one), admin", () =>
    Effect.gen(function*() {
      const key = yield* run(Effect.gen(function*() {
        const client = yield* LearnerRecordsClient
        yield* client.login("college.super", DEMO_PASSWORD)
        expect((yield* client.users.list()).length).toBeGreaterThan(0)
        const user = yield* client.users.create({ payload: { username: `fx.${unique()}`, displayName: "Effect user", roles: ["ViewLearnerOnly"], password: "a long password 456" } })
        yield* client.users.update({ path: { id: user.id }, payload: { roles: ["OnlineUser"] } })
        yield* client.users.resetPassword({ path: { id: user.id }, payload: { password: "yet another password" } })
        expect((yield* client.users.revoke({ path: { id: user.id } })).status).toBe("revoked")
        const key = yield* client.users.createApiKey({ payload: { name: `Effect MIS ${unique()}`, roles: ["OnlineUser"] } })
        expect((yield* client.users.listApiKeys()).some((k) => k.id === key.apiKey.id)).toBe(true)
        return key
      }))
      const me = yield* run(Effect.flatMap(LearnerRecordsClient, (client) => client.session.me()), { apiKey: key.key })
      expect(me.via).toBe("apiKey")
      yield* run(Effect.gen(function*() {
        const client = yield* LearnerRecordsClient
        yield* client.login("college.super", DEMO_PASSWORD)
        yield* client.users.revokeApiKey({ path: { id: key.apiKey.id } })
      }))
      const refused = yield* run(Effect.flip(Effect.flatMap(LearnerRecordsClient, (client) => client.session.me())), { apiKey: key.key })
      expect(refused).toMatchObject({ _tag: "Unauthorized" })

      yield* run(Effect.gen(function*() {
        const client = yield* LearnerRecordsClient
        yield* client.login("admin", ADMIN_PASSWORD)
        const org = yield* client.admin.createOrganisation({ payload: { name: `Effect LRB ${unique()}`, kinds: ["LRB"], olass: false } })
        expect((yield* client.admin.listOrganisations()).some((o) => o.id === org.id)).toBe(true)
        expect((yield* client.admin.getOrganisation({ path: { id: org.id } })).name).toBe(org.name)
        yield* client.admin.updateOrganisation({ path: { id: org.id }, payload: { name: org.name, kinds: ["LRB"], olass: true } })
        const code = Schema.decodeSync(QualificationNumber.SubjectCode)(subjectCode())
        yield* client.admin.putQualification({
          path: { subjectCode: code },
          payload: { subjectCode: code, title: "Effect Award", level: "Level 1", qualificationType: "Other", owner: "10000002", availability: { _tag: "Shared" } } as never
        })
        const imported = yield* client.admin.importQualifications({
          payload: `SubjectCode,Title,Level,QualificationType,OwnerUkprn,Availability,AllowedUkprns,OperationalStartDate\n${subjectCode()},Imported,Level 2,Other,10000002,Private,,\n`
        })
        expect(imported.imported).toBe(1)
        const page = yield* client.admin.listQualifications({ urlParams: { owner: "10000002" as never, limit: 500 } })
        expect(page.qualifications.some((q) => q.subjectCode === code)).toBe(true)
      }))
    }).pipe(Effect.provide(FetchHttpClient.layer)))
})
