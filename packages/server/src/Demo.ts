/**
 * The demo data set (`lrs seed --demo`, `lrs serve --demo`): a college (LRB), an awarding body
 * (AO), an OLASS prison education LRB and a second awarding body, users of every role, a
 * qualification register with private, shared and restricted subjects, and learners chosen so
 * that every find and verify outcome, the PLR outcomes and a held registration can be tried from
 * the docs page. Seeding is idempotent: a second run finds the record of the first in `lrs_meta`
 * and returns it.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import {
  Achievement,
  AchievementLifecycle,
  Learner,
  QualificationNumber,
  QualificationRegister,
  ServiceDate,
  Uln
} from "@learner-records/core"
import { OpenApiDocument } from "@learner-records/api"
import { Config, type ConfigError, Effect, Either, Layer, Option, Schema } from "effect"
import { Accounts } from "./Accounts.js"
import { Achievements } from "./Achievements.js"
import { Learners } from "./Learners.js"
import { Organisations } from "./Organisations.js"
import * as Passwords from "./Passwords.js"
import { Qualifications } from "./Qualifications.js"
import { possibleMatchOf, RegistrationExceptions } from "./RegistrationExceptions.js"

/** The default demo password: public (it is written here), so the docs may show it. */
const DEFAULT_PASSWORD = "lrs-demo-password"

/**
 * The password of every demo user: `LRS_DEMO_PASSWORD`, default `lrs-demo-password`.
 *
 * @since 0.1.0
 * @category config
 */
export const DemoPassword = Config.string("LRS_DEMO_PASSWORD").pipe(Config.withDefault(DEFAULT_PASSWORD))

/**
 * A demo sign-in.
 *
 * @since 0.1.0
 * @category models
 */
export const DemoLogin = Schema.Struct({
  username: Schema.String,
  role: Schema.String,
  organisation: Schema.String
})

/**
 * Something to try, with the request body and the outcome it gives.
 *
 * @since 0.1.0
 * @category models
 */
export const DemoScenario = Schema.Struct({
  operation: Schema.String,
  route: Schema.String,
  signInAs: Schema.String,
  outcome: Schema.String,
  status: Schema.Number,
  code: Schema.String,
  body: Schema.Unknown
})

/**
 * What the demo seed holds: the sign-ins (all with the demo password) and the scenarios.
 *
 * @since 0.1.0
 * @category models
 */
export const DemoData = Schema.Struct({
  logins: Schema.Array(DemoLogin),
  scenarios: Schema.Array(DemoScenario),
  /**
   * The demo users' password when it is the public default, which the docs page may then offer
   * in its sign-in examples; absent when `LRS_DEMO_PASSWORD` chose another (never stored).
   */
  password: Schema.optional(Schema.String)
})

/**
 * @since 0.1.0
 * @category models
 */
export type DemoData = typeof DemoData.Type

const META_KEY = "demo"

/**
 * The demo data set this database holds, if it was seeded (by `lrs seed --demo` or
 * `lrs serve --demo`).
 *
 * @since 0.1.0
 * @category seeding
 */
export const stored: Effect.Effect<Option.Option<DemoData>, SqlError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const rows = yield* sql<{ readonly value: string }>`SELECT value FROM lrs_meta WHERE key = ${META_KEY}`
  return rows[0] === undefined ? Option.none() : Option.some(Schema.decodeUnknownSync(Schema.parseJson(DemoData))(rows[0].value))
})

const UKPRN = { college: "10000001", awardingBody: "10000002", prison: "10000003", otherBody: "10000004" } as const

const qan = (prefix: string): string => `${prefix}/${QualificationNumber.checkCharacter(prefix.replace("/", "")) ?? "0"}`

const SUBJECTS = {
  privateCert: qan("600/1234"),
  sharedMaths: qan("600/2345"),
  restrictedEnglish: qan("600/3456"),
  otherPrivate: qan("601/1111"),
  otherShared: qan("601/2222")
}

const register: ReadonlyArray<QualificationRegister.RegisteredSubject> = [
  { subjectCode: SUBJECTS.privateCert, title: "Level 2 Certificate in Demo Studies", level: "Level 2", qualificationType: "Vocationally-Related Qualification", owner: UKPRN.awardingBody, availability: { _tag: "Private" } },
  { subjectCode: SUBJECTS.sharedMaths, title: "Functional Skills Qualification in Mathematics at Level 1", level: "Level 1", qualificationType: "Functional Skills", owner: UKPRN.awardingBody, availability: { _tag: "Shared" } },
  { subjectCode: SUBJECTS.restrictedEnglish, title: "Functional Skills Qualification in English at Level 2", level: "Level 2", qualificationType: "Functional Skills", owner: UKPRN.awardingBody, availability: { _tag: "Restricted", allowed: [UKPRN.otherBody] } },
  { subjectCode: SUBJECTS.otherPrivate, title: "Level 3 Diploma in Other Studies", level: "Level 3", qualificationType: "Vocationally-Related Qualification", owner: UKPRN.otherBody, availability: { _tag: "Private" } },
  { subjectCode: SUBJECTS.otherShared, title: "Entry Level Award in Employability", level: "Entry Level", qualificationType: "Other Vocational Qualification", owner: UKPRN.otherBody, availability: { _tag: "Shared" } }
].map((subject) => Schema.decodeUnknownSync(QualificationRegister.RegisteredSubject)(subject))

const learner = (fields: {
  readonly givenName: string
  readonly familyName: string
  readonly dateOfBirth: string
  readonly gender: 1 | 2
  readonly postcode: string
  readonly abilityToShare?: 0 | 1 | 2
  readonly previousFamilyName?: string
}): Learner.LearnerDetails =>
  Schema.decodeUnknownSync(Learner.LearnerDetails)({
    givenName: fields.givenName,
    familyName: fields.familyName,
    ...(fields.previousFamilyName === undefined ? {} : { previousFamilyName: fields.previousFamilyName }),
    dateOfBirth: fields.dateOfBirth,
    gender: fields.gender,
    lastKnownPostCode: fields.postcode,
    abilityToShare: fields.abilityToShare ?? 1,
    verificationType: 1
  })

// eleven learners alike in everything but the postcode: a search for one more gives WSRC0002
const KHAN_POSTCODES = ["B1 1BB", "B2 4QA", "B3 2DX", "B4 6AT", "B5 4BU", "B6 4AB", "B7 4BL", "B8 1AA", "B9 4DP", "B10 0AB", "B11 1AA"]

/**
 * Loads the demo data set unless it is already there; returns what it holds.
 *
 * @since 0.1.0
 * @category seeding
 */
export const seed: Effect.Effect<DemoData, SqlError | ConfigError.ConfigError, SqlClient.SqlClient> = Effect.gen(function*() {
  const sql = yield* SqlClient.SqlClient
  const existing = yield* stored
  if (Option.isSome(existing)) return existing.value
  const password = yield* DemoPassword
  return yield* sql.withTransaction(Effect.gen(function*() {
    const organisations = yield* Organisations
    const accounts = yield* Accounts
    const qualifications = yield* Qualifications
    const learners = yield* Learners
    const achievements = yield* Achievements
    const exceptions = yield* RegistrationExceptions

    const org = (name: string, ukprn: string, kinds: ReadonlyArray<string>, olass = false) =>
      Effect.flatMap(
        Effect.orDie(organisations.create({ name, ukprn, kinds, olass })),
        (row) => Effect.succeed(row.id)
      )
    const college = yield* org("Demo College", UKPRN.college, ["LRB"])
    const awardingBody = yield* org("Demo Awarding Body", UKPRN.awardingBody, ["AO"])
    const prison = yield* org("Demo Prison Education", UKPRN.prison, ["LRB"], true)
    const otherBody = yield* org("Other Awarding Body", UKPRN.otherBody, ["AO"])

    const hash = yield* Passwords.hash(password)
    const users: ReadonlyArray<readonly [string, string, string, string]> = [
      ["college.super", "SuperUser", college, "Demo College"],
      ["college.online", "OnlineUser", college, "Demo College"],
      ["college.batch", "BatchUser", college, "Demo College"],
      ["college.viewer", "ViewLearnerOnly", college, "Demo College"],
      ["awards.user", "AwardingBodyUser", awardingBody, "Demo Awarding Body"],
      ["awards.super", "SuperUser", awardingBody, "Demo Awarding Body"],
      ["awards.batch", "BatchUser", awardingBody, "Demo Awarding Body"],
      ["prison.planner", "LearnerPlanUser", prison, "Demo Prison Education"],
      ["prison.super", "SuperUser", prison, "Demo Prison Education"],
      ["other.awards", "AwardingBodyUser", otherBody, "Other Awarding Body"]
    ]
    const userIds = new Map<string, string>()
    for (const [username, role, organisationId] of users) {
      const created = yield* accounts.createUser({ organisationId, username, displayName: username, email: null, roles: [role], passwordHash: hash })
      if (Option.isSome(created)) userIds.set(username, created.value.id)
    }

    yield* qualifications.putAll(register)

    const amara = yield* learners.insert(learner({ givenName: "Amara", familyName: "Okafor", dateOfBirth: "2006-03-14", gender: 2, postcode: "SW1A 1AA" }), college)
    const oliverA = yield* learners.insert(learner({ givenName: "Oliver", familyName: "Bennett", dateOfBirth: "2005-07-22", gender: 1, postcode: "M1 1AE" }), college)
    yield* learners.insert(learner({ givenName: "Oliver", familyName: "Bennett", dateOfBirth: "2005-07-22", gender: 1, postcode: "M4 5BD" }), college)
    for (const postcode of KHAN_POSTCODES) {
      yield* learners.insert(learner({ givenName: "Mohammed", familyName: "Khan", dateOfBirth: "2004-01-01", gender: 1, postcode }), college)
    }
    const grace = yield* learners.insert(learner({ givenName: "Grace", familyName: "Thompson", previousFamilyName: "Price", dateOfBirth: "2003-11-05", gender: 2, postcode: "CF10 1EP" }), college)
    const graceDuplicate = yield* learners.insert(learner({ givenName: "Grace", familyName: "Thompson", dateOfBirth: "2003-11-05", gender: 2, postcode: "CF10 3NQ" }), college)
    // a merge (a later issue's operation): the duplicate ULN now answers with Grace's master record
    yield* sql`UPDATE learners SET master_uln = ${grace.uln} WHERE uln = ${graceDuplicate.uln}`
    const daniel = yield* learners.insert(learner({ givenName: "Daniel", familyName: "Evans", dateOfBirth: "2007-09-30", gender: 1, postcode: "LS1 4AP", abilityToShare: 2 }), college)

    // a registration held for a person of the college to decide: close to the Oliver Bennetts
    const heldDetails = learner({ givenName: "Oliver", familyName: "Bennet", dateOfBirth: "2005-07-22", gender: 1, postcode: "M1 1AE" })
    const held = yield* learners.checkDuplicate(heldDetails)
    if (held._tag !== "PossibleDuplicates") return yield* Effect.dieMessage(`demo held registration: ${held._tag}`)
    const raisedBy = userIds.get("college.online")
    if (raisedBy === undefined) return yield* Effect.dieMessage("demo user college.online was not created")
    const heldId = yield* exceptions.raise({
      organisationId: college,
      raisedBy,
      source: "single",
      details: heldDetails,
      possibleMatches: held.learners.map(possibleMatchOf)
    })

    // an unused valid ULN (draw until it is not registered)
    let unused = Uln.generate()
    while ((yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM learners WHERE uln = ${unused}`)[0]!.n > 0) unused = Uln.generate()

    const today = yield* ServiceDate.today
    const award = (id: string, uln: string, subjectCode: string, awardDate: string, grade: string, withdrawn = false) =>
      Effect.gen(function*() {
        const subject = register.find((s) => s.subjectCode === subjectCode)
        const at = new Date().toISOString()
        const details = Schema.decodeUnknownSync(Achievement.AchievementDetails)({ uln, subjectCode, awardDate, grade, status: "Final" })
        const created = AchievementLifecycle.decide(Option.none(), { _tag: "Create", id, details }, { caller: UKPRN.awardingBody, subject, learnerDateOfBirth: "2006-03-14", today, at })
        if (Either.isLeft(created)) return yield* Effect.dieMessage(`demo achievement ${id}: ${created.left.code}`)
        yield* achievements.insert(created.right)
        if (withdrawn) {
          const after = AchievementLifecycle.decide(Option.some(created.right.achievement), { _tag: "Withdraw", reason: "Awarded in error (demo)" }, { caller: UKPRN.awardingBody, today, at })
          if (Either.isRight(after)) yield* achievements.save(after.right)
        }
      })
    yield* award("demo-ach-1", amara.uln, SUBJECTS.sharedMaths, "2023-06-30", "Pass")
    yield* award("demo-ach-2", amara.uln, SUBJECTS.privateCert, "2024-07-15", "Merit")
    yield* award("demo-ach-3", amara.uln, SUBJECTS.restrictedEnglish, "2024-01-20", "Pass", true)
    // Oliver's, to update, withdraw and reinstate from the docs page without changing Amara's PLR
    yield* award("demo-ach-4", oliverA.uln, SUBJECTS.privateCert, "2023-07-14", "Pass")

    const names = (l: Learner.Learner) => ({ givenName: l.givenName, familyName: l.familyName })
    const data: DemoData = {
      ...(password === DEFAULT_PASSWORD ? { password } : {}),
      logins: [
        { username: "admin", role: "LrsAdmin", organisation: "Learning Records Service (password: LRS_ADMIN_PASSWORD or printed at first start)" },
        ...users.map(([username, role, , organisation]) => ({ username, role, organisation }))
      ],
      scenarios: [
        { operation: "learners.findByUln", route: "POST /api/v1/learners/find-by-uln", signInAs: "college.online", outcome: "WSRC0004 exact match", status: 200, code: "WSRC0004", body: { uln: amara.uln, ...names(amara) } },
        { operation: "learners.findByUln", route: "POST /api/v1/learners/find-by-uln", signInAs: "college.online", outcome: "WSRC0022 linked ULN: Grace's master record", status: 200, code: "WSRC0022", body: { uln: graceDuplicate.uln, ...names(grace) } },
        { operation: "learners.findByUln", route: "POST /api/v1/learners/find-by-uln", signInAs: "college.online", outcome: "WSRC0001 no learner", status: 200, code: "WSRC0001", body: { uln: unused, givenName: "Nobody", familyName: "Known" } },
        { operation: "learners.findByDemographics", route: "POST /api/v1/learners/find-by-demographics", signInAs: "college.online", outcome: "WSRC0004 one exact match", status: 200, code: "WSRC0004", body: { givenName: "Amara", familyName: "Okafor", dateOfBirth: "2006-03-14", gender: 2, postcode: "SW1A1AA" } },
        { operation: "learners.findByDemographics", route: "POST /api/v1/learners/find-by-demographics", signInAs: "college.online", outcome: "WSRC0003 two possible matches", status: 200, code: "WSRC0003", body: { givenName: "Oliver", familyName: "Bennett", dateOfBirth: "2005-07-22", gender: 1, postcode: "LS1 4AP" } },
        { operation: "learners.findByDemographics", route: "POST /api/v1/learners/find-by-demographics", signInAs: "college.online", outcome: "WSRC0002 more than ten possible matches", status: 200, code: "WSRC0002", body: { givenName: "Mohammed", familyName: "Khan", dateOfBirth: "2004-01-01", gender: 1, postcode: "B12 0AA" } },
        { operation: "learners.findByDemographics", route: "POST /api/v1/learners/find-by-demographics", signInAs: "college.online", outcome: "WSRC0001 no match", status: 200, code: "WSRC0001", body: { givenName: "Zebedee", familyName: "Quartermaine", dateOfBirth: "1999-12-31", gender: 1, postcode: "ZE1 0AA" } },
        { operation: "learners.verify", route: "POST /api/v1/learners/verify", signInAs: "awards.user", outcome: "WSVRC001 verified", status: 200, code: "WSVRC001", body: { uln: amara.uln, ...names(amara), dateOfBirth: "2006-03-14", gender: 2 } },
        { operation: "learners.verify", route: "POST /api/v1/learners/verify", signInAs: "awards.user", outcome: "WSVRC002 verified against the master of a linked ULN", status: 200, code: "WSVRC002", body: { uln: graceDuplicate.uln, ...names(grace) } },
        { operation: "learners.verify", route: "POST /api/v1/learners/verify", signInAs: "awards.user", outcome: "WSVRC003 verified on similar names (previous family name), flags say which", status: 200, code: "WSVRC003", body: { uln: grace.uln, givenName: "Grace", familyName: "Price" } },
        { operation: "learners.verify", route: "POST /api/v1/learners/verify", signInAs: "awards.user", outcome: "WSVRC005 does not verify", status: 200, code: "WSVRC005", body: { uln: amara.uln, givenName: "John", familyName: "Smith" } },
        { operation: "learners.verify", route: "POST /api/v1/learners/verify", signInAs: "awards.user", outcome: "WSVRC006 no learner has this ULN", status: 200, code: "WSVRC006", body: { uln: unused, givenName: "Nobody", familyName: "Known" } },
        { operation: "learners.register", route: "POST /api/v1/learners", signInAs: "college.online", outcome: "409 WSRC0021 the learner already exists", status: 409, code: "WSRC0021", body: Schema.encodeSync(Learner.LearnerDetails)(Learner.detailsOf(amara)) },
        { operation: "learners.register", route: "POST /api/v1/learners", signInAs: "college.online", outcome: "202 WSRC0003 held as a registration exception (close to the Oliver Bennetts)", status: 202, code: "WSRC0003", body: { givenName: "Oliver", familyName: "Benett", dateOfBirth: "2005-07-22", gender: 1, lastKnownPostCode: "M1 1AE", abilityToShare: 1, verificationType: 1 } },
        { operation: "plr.get", route: "POST /api/v1/plr", signInAs: "college.online", outcome: "WSRC0004 the learner and two achievements (a third is withdrawn)", status: 200, code: "WSRC0004", body: { uln: amara.uln, ...names(amara), view: "FULL" } },
        { operation: "plr.get", route: "POST /api/v1/plr", signInAs: "college.online", outcome: "WSEC0206 learner has not agreed to share", status: 200, code: "WSEC0206", body: { uln: daniel.uln, ...names(daniel) } },
        { operation: "plr.get", route: "POST /api/v1/plr", signInAs: "college.online", outcome: "WSEC0208 not verified", status: 200, code: "WSEC0208", body: { uln: amara.uln, givenName: "John", familyName: "Smith" } },
        { operation: "achievements.create", route: "POST /api/v1/achievements", signInAs: "awards.user", outcome: "201 ACH001 (a shared subject owned by this AO)", status: 201, code: "ACH001", body: { uln: oliverA.uln, givenName: "Oliver", familyName: "Bennett", subjectCode: SUBJECTS.sharedMaths, awardDate: "2024-06-28", grade: "Pass", status: "Final" } },
        { operation: "achievements.create", route: "POST /api/v1/achievements", signInAs: "awards.user", outcome: "422 ACH011 another AO's private subject", status: 422, code: "ACH011", body: { uln: oliverA.uln, givenName: "Oliver", familyName: "Bennett", subjectCode: SUBJECTS.otherPrivate, awardDate: "2024-06-28", grade: "Pass", status: "Final" } },
        { operation: "registrationExceptions.resolve", route: `POST /api/v1/registration-exceptions/${heldId}/resolve`, signInAs: "college.online", outcome: "200 WSRC0004 the held \"Oliver Bennet\" is Oliver Bennett (409 SVC011 once resolved)", status: 200, code: "WSRC0004", body: { action: "use-existing", uln: oliverA.uln } },
        { operation: "achievements.update", route: "PUT /api/v1/achievements/demo-ach-4", signInAs: "awards.user", outcome: "200 ACH002 Oliver's certificate regraded Pass → Merit", status: 200, code: "ACH002", body: { uln: oliverA.uln, givenName: "Oliver", familyName: "Bennett", subjectCode: SUBJECTS.privateCert, awardDate: "2023-07-14", grade: "Merit", status: "Final" } },
        { operation: "achievements.withdraw", route: "POST /api/v1/achievements/demo-ach-4/withdraw", signInAs: "awards.user", outcome: "200 ACH003 withdrawn (409 once it is)", status: 200, code: "ACH003", body: { reason: "Awarded to the wrong learner (demo)" } },
        { operation: "achievements.reinstate", route: "POST /api/v1/achievements/demo-ach-4/reinstate", signInAs: "awards.user", outcome: "200 ACH004 reinstated as it was", status: 200, code: "ACH004", body: { reason: "Withdrawn in error (demo)" } },
        { operation: "learners.update", route: `PUT /api/v1/learners/${daniel.uln}`, signInAs: "college.online", outcome: `200 WSRC0006 Daniel's postcode updated (version ${daniel.versionNumber}; sending it again is 409 WSRC0013)`, status: 200, code: "WSRC0006", body: { ...Schema.encodeSync(Learner.LearnerDetails)(Learner.detailsOf(daniel)), lastKnownPostCode: "LS2 7HY", versionNumber: daniel.versionNumber } }
      ]
    }
    yield* sql`INSERT INTO lrs_meta (key, value) VALUES (${META_KEY}, ${JSON.stringify(data)})`
    return data
  }).pipe(
    Effect.provide(Layer.mergeAll(Organisations.Default, Accounts.Default, Qualifications.Default, Learners.Default, Achievements.Default, RegistrationExceptions.Default))
  ))
}).pipe(Effect.withSpan("Demo.seed"))

const { isJson } = OpenApiDocument
type Json = OpenApiDocument.Json

/** One of a media type's named examples, as OpenAPI has them. */
interface NamedExample {
  readonly summary: string
  readonly value: unknown
}

/**
 * The demo data as the OpenAPI document's request examples: each scenario is a named example of
 * its operation's body ("WSRC0022 linked ULN… (as college.online)") and, read from its route,
 * of its path parameters (the demo achievement's id), and each demo user one of the sign-in's when the password is the public
 * default. They come first, so `/docs` starts from the
 * first scenario and offers the others in its Examples list; the api's own example stays, last.
 *
 * @since 0.1.0
 * @category docs
 */
export const openApiExamples = (data: DemoData) => (spec: object): OpenApiDocument.Json => {
  const byOperation = new Map<string, Map<string, NamedExample>>()
  const add = (operation: string, key: string, example: NamedExample) => {
    const named = byOperation.get(operation) ?? new Map<string, NamedExample>()
    let unique = key
    for (let n = 2; named.has(unique); n++) unique = `${key}-${n}`
    byOperation.set(operation, named.set(unique, example))
  }
  for (const scenario of data.scenarios) {
    add(scenario.operation, scenario.code, { summary: `${scenario.outcome} (as ${scenario.signInAs})`, value: scenario.body })
  }
  if (data.password !== undefined) {
    for (const login of data.logins) {
      // the admin's password is not the demo password
      if (login.role === "LrsAdmin") continue
      add("auth.login", login.username, { summary: `${login.username}: ${login.role}, ${login.organisation}`, value: { username: login.username, password: data.password } })
    }
  }
  /**
   * The values the demo's requests of `operation` give its path parameter `name`, read from each
   * request's route where the document's path (`/achievements/{id}/withdraw`) has `{name}`.
   */
  const pathExamples = (operation: string, template: string, name: string): Record<string, NamedExample> => {
    const at = template.split("/").indexOf(`{${name}}`)
    const examples: Record<string, NamedExample> = {}
    for (const scenario of data.scenarios) {
      if (scenario.operation !== operation) continue
      const segments = (scenario.route.split(" ")[1] ?? "").split("/")
      const value = at < 0 || segments.length !== template.split("/").length ? undefined : decodeURIComponent(segments[at]!)
      if (value !== undefined && !(value in examples)) examples[value] = { summary: `${value}: ${scenario.outcome}`, value }
    }
    return examples
  }
  const withParameters = (op: Json, operation: string, template: string): Json =>
    !Array.isArray(op.parameters) ? op : {
      ...op,
      parameters: op.parameters.map((parameter: unknown) => {
        if (!isJson(parameter) || parameter.in !== "path" || typeof parameter.name !== "string") return parameter
        const examples = pathExamples(operation, template, parameter.name)
        return Object.keys(examples).length === 0 ? parameter : { ...parameter, examples }
      })
    }
  const withBody = (op: Json, named: Map<string, NamedExample> | undefined): Json => {
    if (named === undefined || !isJson(op.requestBody) || !isJson(op.requestBody.content)) return op
    const media = op.requestBody.content["application/json"]
    if (!isJson(media)) return op
    const { example, ...rest } = media
    const examples = Object.fromEntries([
      ...named,
      ...(example === undefined ? [] : [["not-in-the-demo-data", { summary: "Someone not in the demo data", value: example }] as const])
    ])
    return { ...op, requestBody: { ...op.requestBody, content: { ...op.requestBody.content, "application/json": { ...rest, examples } } } }
  }
  return OpenApiDocument.mapOperations({ ...spec }, (op, _method, path) =>
    typeof op.operationId === "string"
      ? withParameters(withBody(op, byOperation.get(op.operationId)), op.operationId, path)
      : op)
}
