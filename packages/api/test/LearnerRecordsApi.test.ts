import { OpenApi } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Learner } from "@learner-records/core"
import { Option, ParseResult, Schema } from "effect"
import { AchievementsApi, AdminApi, Examples, LearnerRecordsApi, LearnersApi, PlrApi, Protocol, RegistrationExceptionsApi, UsersApi } from "../src/index.js"

const spec = OpenApi.fromApi(LearnerRecordsApi.LearnerRecordsApi)

const methods = ["get", "put", "post", "delete", "patch"] as const

type Operation = NonNullable<OpenApi.OpenAPISpecPathItem["get"]>

const operations = (): Array<{ readonly path: string; readonly method: string; readonly op: Operation }> =>
  Object.entries(spec.paths).flatMap(([path, item]) =>
    methods.flatMap((method) => {
      const op = item[method]
      return op === undefined ? [] : [{ path, method, op }]
    })
  )

const rejectsUnknown = (schema: Schema.Schema.AnyNoContext, valid: unknown) => {
  const decode = Schema.decodeUnknownEither(schema)
  expect(decode(valid)._tag, JSON.stringify(valid)).toBe("Right")
  expect(decode({ ...(valid as object), owner: "someone" })._tag).toBe("Left")
}

const award = {
  uln: "1000000043",
  givenName: "Ada",
  familyName: "Lovelace",
  subjectCode: "601/2977/3",
  awardDate: "2024-06-30",
  grade: "Pass",
  status: "Final"
}

const subject = {
  subjectCode: "601/2977/3",
  title: "Level 2 Certificate in Mathematics",
  level: "Level 2",
  qualificationType: "Certificate",
  owner: "10000001",
  availability: { _tag: "Shared" }
}

describe("LearnerRecordsApi", () => {
  it("is OpenAPI 3.1 under /api/v1, every operation summarised and described", () => {
    expect(spec.openapi).toBe("3.1.0")
    const paths = Object.keys(spec.paths)
    for (
      const path of [
        "/api/v1/learners/find-by-demographics",
        "/api/v1/learners/{uln}",
        "/api/v1/learners/{uln}/access-log",
        "/api/v1/achievements",
        "/api/v1/achievements/{id}",
        "/api/v1/achievements/{id}/withdraw",
        "/api/v1/achievements/{id}/reinstate",
        "/api/v1/plr",
        "/api/v1/registration-exceptions",
        "/api/v1/registration-exceptions/{id}/resolve",
        "/api/v1/admin/organisations",
        "/api/v1/admin/organisations/{id}",
        "/api/v1/admin/qualifications",
        "/api/v1/admin/qualifications/{subjectCode}",
        "/api/v1/admin/qualifications/import"
      ]
    ) expect(paths).toContain(path)
    const all = operations()
    expect(all.length).toBeGreaterThan(30)
    for (const { method, op, path } of all) {
      expect(op.summary, `${method} ${path} summary`).toBeTruthy()
      expect(op.description, `${method} ${path} description`).toBeTruthy()
    }
  })

  it("describes every field of every body and component, and every parameter", () => {
    type Json = { readonly [key: string]: unknown }
    const isObject = (u: unknown): u is Json => typeof u === "object" && u !== null && !Array.isArray(u)
    // a property that is only a reference to a named component takes that component's description
    const isReference = (p: Json) =>
      typeof p["$ref"] === "string" || (Array.isArray(p["allOf"]) && p["allOf"].length === 1 && isObject(p["allOf"][0]) && "$ref" in p["allOf"][0])
    const undescribed: Array<string> = []
    const walk = (where: string, schema: unknown): void => {
      if (!isObject(schema)) return
      if (isObject(schema["properties"])) {
        for (const [name, property] of Object.entries(schema["properties"])) {
          if (!isObject(property)) continue
          if (typeof property["description"] !== "string" && !isReference(property)) undescribed.push(`${where}.${name}`)
          walk(`${where}.${name}`, property)
        }
      }
      for (const key of ["items", "additionalProperties"]) walk(`${where}[]`, schema[key])
      for (const key of ["anyOf", "oneOf", "allOf"]) {
        const members = schema[key]
        if (Array.isArray(members)) for (const member of members) walk(where, member)
      }
    }
    const components: Json = { ...spec.components?.schemas }
    for (const [name, schema] of Object.entries(components)) walk(name, schema)
    for (const { method, op, path } of operations()) {
      for (const parameter of op.parameters ?? []) {
        const schema: Json = isObject(parameter.schema) ? parameter.schema : {}
        if (typeof parameter.description !== "string" && typeof schema["description"] !== "string") {
          undescribed.push(`${method} ${path} parameter ${parameter.name}`)
        }
      }
      const content = isObject(op.requestBody) && isObject(op.requestBody["content"]) ? op.requestBody["content"] : {}
      for (const media of Object.values(content)) if (isObject(media)) walk(`${method} ${path} body`, media["schema"])
    }
    expect(undescribed).toEqual([])
  })

  it("names operations as the SDK does", () => {
    const ids = operations().map(({ op }) => op.operationId)
    for (
      const id of [
        "achievements.create", "achievements.update", "achievements.withdraw", "achievements.reinstate", "achievements.list",
        "plr.get", "plr.accessLog", "registrationExceptions.list", "registrationExceptions.resolve",
        "admin.listOrganisations", "admin.createOrganisation", "admin.getOrganisation", "admin.updateOrganisation",
        "admin.listQualifications", "admin.putQualification", "admin.importQualifications"
      ]
    ) expect(ids).toContain(id)
    expect(ids).not.toContain("learners.accessLog")
  })

  it("documents every error as application/problem+json", () => {
    let errors = 0
    for (const { method, op, path } of operations()) {
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        if (Number(status) < 400) continue
        errors++
        const content: Record<string, unknown> = { ...(response as { content?: Record<string, unknown> }).content }
        expect(Object.keys(content), `${method} ${path} ${status}`).toEqual(["application/problem+json"])
      }
    }
    expect(errors).toBeGreaterThan(100)
  })

  it("documents two successes where an operation has them", () => {
    const register = spec.paths["/api/v1/learners"]?.post
    expect(register?.responses?.["201"]?.content?.["application/json"]).toBeDefined()
    expect(register?.responses?.["202"]?.content?.["application/json"]).toBeDefined()
    const create = spec.paths["/api/v1/achievements"]?.post
    expect(create?.responses?.["201"]?.content?.["application/json"]).toBeDefined()
    expect(create?.responses?.["200"]?.content?.["application/json"]).toBeDefined()
    const imports = spec.paths["/api/v1/admin/qualifications/import"]?.post
    expect(Object.keys({ ...imports?.requestBody?.content })).toEqual(["text/csv"])
  })

  it("rejects unknown properties in request bodies (no mass assignment)", () => {
    rejectsUnknown(LearnersApi.VerifyLearnerRequest, { uln: "1000000043", givenName: "Ada", familyName: "Lovelace" })
    expect(Schema.decodeUnknownEither(LearnersApi.RegisterLearnerRequest)({
      givenName: "Ada", familyName: "Lovelace", lastKnownPostCode: "SW1A 2AA", dateOfBirth: "2008-01-01", gender: 2,
      abilityToShare: 1, verificationType: 1, uln: "1000000043"
    })._tag).toBe("Left")
    rejectsUnknown(LearnersApi.FindByUlnRequest, { uln: "1000000043", givenName: "Ada", familyName: "Lovelace" })
    rejectsUnknown(LearnersApi.FindByDemographicsRequest, {
      givenName: "Ada", familyName: "Lovelace", dateOfBirth: "2008-01-01", gender: 2, postcode: "SW1A 2AA"
    })
    rejectsUnknown(LearnersApi.UpdateLearnerRequest, {
      givenName: "Ada", familyName: "Lovelace", lastKnownPostCode: "SW1A 2AA", dateOfBirth: "2008-01-01", gender: 2,
      abilityToShare: 1, verificationType: 1, versionNumber: 0
    })
    rejectsUnknown(AchievementsApi.CreateAchievementRequest, award)
    rejectsUnknown(AchievementsApi.UpdateAchievementRequest, { ...award, dateOfBirth: "2008-01-01", gender: 2, credits: 10 })
    rejectsUnknown(AchievementsApi.WithdrawAchievementRequest, { reason: "awarded in error" })
    rejectsUnknown(AchievementsApi.ReinstateAchievementRequest, {})
    rejectsUnknown(PlrApi.GetPlrRequest, { uln: "1000000043", givenName: "Ada", familyName: "Lovelace", view: "BRIEF" })
    rejectsUnknown(RegistrationExceptionsApi.ResolveRegistrationExceptionRequest, { action: "register-new" })
    rejectsUnknown(RegistrationExceptionsApi.ResolveRegistrationExceptionRequest, { action: "use-existing", uln: "1000000043" })
    rejectsUnknown(AdminApi.OrganisationRequest, { name: "Example College", kinds: ["LRB"] })
    rejectsUnknown(AdminApi.PutQualificationRequest, subject)
    rejectsUnknown(UsersApi.CreateUserRequest, { username: "ada", displayName: "Ada", roles: ["OnlineUser"], password: "correct horse battery" })
    rejectsUnknown(UsersApi.UpdateUserRequest, { displayName: "Ada L" })
    rejectsUnknown(UsersApi.ResetPasswordRequest, { password: "correct horse battery" })
    rejectsUnknown(UsersApi.CreateApiKeyRequest, { name: "MIS", roles: ["BatchUser"] })
  })

  it("sends a subject code in a path URL-encoded", () => {
    expect(Schema.encodeSync(AdminApi.SubjectCodePath)({ subjectCode: Schema.decodeSync(AdminApi.SubjectCodePath)({ subjectCode: "601/2977/3" }).subjectCode }))
      .toEqual({ subjectCode: "601%2F2977%2F3" })
    expect(Schema.decodeSync(AdminApi.SubjectCodePath)({ subjectCode: "k%2F501%2F5773" }).subjectCode).toBe("K/501/5773")
  })

  it("checks the new request bodies' rules", () => {
    // fields the server defaults are optional (so a client may leave them out), not filled in by the schema
    const plr = Schema.decodeUnknownSync(PlrApi.GetPlrRequest)({ uln: "1000000043", givenName: "Ada", familyName: "Lovelace" })
    expect(plr.view).toBeUndefined()
    expect(Schema.decodeUnknownSync(PlrApi.GetPlrRequest)({ uln: "1000000043", givenName: "Ada", familyName: "Lovelace", view: "BRIEF" }).view).toBe("BRIEF")
    const org = Schema.decodeUnknownSync(AdminApi.OrganisationRequest)({ name: "Example AO", kinds: ["AO"] })
    expect(org.olass).toBeUndefined()
    const decodeOrg = Schema.decodeUnknownEither(AdminApi.OrganisationRequest)
    expect(decodeOrg({ name: "Example", kinds: [] })._tag).toBe("Left")
    // LRS is a kind the request may carry (the LRS organisation's own update); whether an
    // organisation may have it is core's Access.organisationProblems, checked by the server
    expect(decodeOrg({ name: "Example", kinds: ["LRS"] })._tag).toBe("Right")
    expect(decodeOrg({ name: "Example", kinds: ["LRX"] })._tag).toBe("Left")
    const resolve = Schema.decodeUnknownEither(RegistrationExceptionsApi.ResolveRegistrationExceptionRequest)
    expect(resolve({ action: "use-existing" })._tag).toBe("Left")
    expect(resolve({ action: "register-new", uln: "1000000043" })._tag).toBe("Left")
    expect(Schema.decodeUnknownEither(AchievementsApi.WithdrawAchievementRequest)({})._tag).toBe("Left")
    const list = Schema.decodeUnknownSync(AchievementsApi.ListAchievementsParams)
    expect(list({}).limit).toBeUndefined()
    expect(AchievementsApi.DefaultLimit).toBe(100)
    expect(list({ limit: "500", lifecycle: "Withdrawn" }).limit).toBe(500)
    expect(() => list({ limit: "501" })).toThrow()
    expect(() => list({ limit: "0" })).toThrow()
    expect(() => list({ status: "Pending" })).toThrow()
    expect(() => list({ limit: "2.5" })).toThrow()
  })

  it("documents the defaults the server applies, and what limit means, in the OpenAPI document", () => {
    const spec = OpenApi.fromApi(LearnerRecordsApi.LearnerRecordsApi)
    const json = JSON.parse(JSON.stringify(spec)) as {
      paths: Record<string, Record<string, { parameters?: Array<{ name: string; description?: string; schema: { default?: unknown } }>; requestBody?: { content: Record<string, { schema: { properties: Record<string, { default?: unknown }> } }> } }>>
    }
    expect(json.paths["/api/v1/plr"]!["post"]!.requestBody!.content["application/json"]!.schema.properties["view"]!.default).toBe("FULL")
    expect(json.paths["/api/v1/admin/organisations"]!["post"]!.requestBody!.content["application/json"]!.schema.properties["olass"]!.default).toBe(false)
    for (const path of ["/api/v1/achievements", "/api/v1/admin/qualifications", "/api/v1/learners/{uln}/access-log"]) {
      const limit = json.paths[path]!["get"]!.parameters!.find((p) => p.name === "limit")!
      expect(limit.description).toContain("1 to 500")
      expect(limit.schema.default).toBe("100")
    }
  })

  it("documents the protocol's headers: X-Request-ID everywhere, Idempotency-Key on the POSTs that change something", () => {
    type Json = Record<string, unknown>
    const header = (op: Operation, name: string) => (op.parameters ?? []).find((p) => p.in === "header" && p.name === name)
    const headersOf = (response: unknown): Json => ({ ...(response as { headers?: Json }).headers })
    const keyed: Array<string> = []
    for (const { method, op, path } of operations()) {
      const where = `${method} ${path}`
      expect(header(op, "X-Request-ID"), where).toMatchObject({ required: false })
      for (const [status, response] of Object.entries(op.responses ?? {})) {
        expect(Object.keys(headersOf(response)), `${where} ${status}`).toContain("X-Request-ID")
        if (status === "429") expect(Object.keys(headersOf(response)), `${where} 429`).toContain("Retry-After")
      }
      const key = header(op, "Idempotency-Key")
      if (key === undefined) continue
      keyed.push(op.operationId)
      expect(method, where).toBe("post")
      expect(Object.keys(headersOf(op.responses?.["409"])), `${where} 409`).toContain("Retry-After")
      expect(op.responses?.["409"]?.description, where).toContain("SVC003")
      expect(op.responses?.["422"]?.description, where).toContain("SVC002")
      expect(Object.keys(headersOf(op.responses?.["200"] ?? op.responses?.["201"] ?? op.responses?.["204"])), where).toContain("Idempotent-Replayed")
      expect(Object.keys(headersOf(op.responses?.["401"])), `${where} 401 is never replayed`).not.toContain("Idempotent-Replayed")
      // the document's pattern is the rule the server applies
      const pattern = new RegExp(String((key.schema as unknown as Json)["pattern"]))
      for (const value of ["0b7e5d1c-2f0a-4c3e-9d7b-1a2b3c4d5e6f", "row-17", "x".repeat(255)]) expect(pattern.test(value), value).toBe(true)
      for (const value of ["", "two words", "x".repeat(256), "caf\u00e9"]) expect(pattern.test(value), value).toBe(false)
    }
    for (const id of ["learners.register", "achievements.create", "achievements.withdraw", "users.create", "users.createApiKey", "session.logout", "admin.createOrganisation"]) {
      expect(keyed, id).toContain(id)
    }
    // reads sent as POSTs are safe to repeat; login has no credential to scope a key to
    for (const id of ["learners.findByUln", "learners.findByDemographics", "learners.verify", "plr.get", "auth.login", "learners.update", "achievements.list"]) {
      expect(keyed, id).not.toContain(id)
    }
    expect(Object.keys({ ...(spec.components as unknown as { headers?: Json }).headers })).toEqual(expect.arrayContaining(["X-Request-ID", "Retry-After", "Idempotent-Replayed"]))
  })

  it("lets reinstate's body (an optional reason) be left out; withdraw's, with its required reason, stays required", () => {
    // a POST without a body reaches the payload schema as null
    expect(Schema.decodeUnknownSync(AchievementsApi.ReinstateAchievementRequest)(null)).toEqual({})
    expect(Schema.decodeUnknownSync(AchievementsApi.ReinstateAchievementRequest)({ reason: "appeal upheld" })).toEqual({ reason: "appeal upheld" })
    // a body that is there is decoded as before: its faults only, no "Expected null" beside them
    const blank = Schema.decodeUnknownEither(AchievementsApi.ReinstateAchievementRequest)({ reason: "" })
    expect(blank._tag).toBe("Left")
    if (blank._tag === "Left") expect(new Set(ParseResult.ArrayFormatter.formatErrorSync(blank.left).map((i) => i.path.join(".")))).toEqual(new Set(["reason"]))
    expect(Schema.decodeUnknownEither(AchievementsApi.ReinstateAchievementRequest)("not a body")._tag).toBe("Left")
    // the client sends {} when there is no reason
    expect(Schema.encodeSync(AchievementsApi.ReinstateAchievementRequest)({})).toEqual({})
    // withdraw without a body is refused as {} is: naming the missing reason
    const withdraw = Schema.decodeUnknownEither(AchievementsApi.WithdrawAchievementRequest)(null)
    expect(withdraw._tag).toBe("Left")
    if (withdraw._tag === "Left") {
      expect(ParseResult.ArrayFormatter.formatErrorSync(withdraw.left)).toEqual([{ _tag: "Missing", path: ["reason"], message: "is missing" }])
    }
    // the document: the body itself (no null), optional for reinstate only
    const body = (path: string) => spec.paths[path]?.post?.requestBody
    const reinstate = body("/api/v1/achievements/{id}/reinstate")
    expect(reinstate?.required).toBe(false)
    expect(reinstate?.content["application/json"]?.schema).toMatchObject({ type: "object", properties: { reason: {} } })
    const withdrawBody = body("/api/v1/achievements/{id}/withdraw")
    expect(withdrawBody?.required).toBe(true)
    expect(withdrawBody?.content["application/json"]?.schema).toMatchObject({ type: "object", required: ["reason"] })
    // every other body is required, as before, and no body is documented as possibly null
    for (const { op } of operations()) {
      if (op.requestBody === undefined) continue
      if (op.operationId !== "achievements.reinstate") expect(op.requestBody.required, op.operationId).toBe(true)
      for (const media of Object.values(op.requestBody.content)) {
        const members: ReadonlyArray<unknown> = (media.schema as { anyOf?: ReadonlyArray<unknown> }).anyOf ?? []
        expect(members.map((m) => JSON.stringify(m)), op.operationId).not.toContain(`{"type":"null"}`)
      }
    }
  })

  it("gives every request body an example that its operation accepts", () => {
    const examples: Record<string, unknown> = Examples.requestBodies
    const withBody: Array<string> = []
    for (const group of Object.values(LearnerRecordsApi.LearnerRecordsApi.groups)) {
      for (const endpoint of Object.values(group.endpoints)) {
        if (Option.isNone(endpoint.payloadSchema) || endpoint.method === "GET") continue
        const id = `${group.identifier}.${endpoint.name}`
        withBody.push(id)
        expect(Object.keys(examples), id).toContain(id)
        // decoded as the server decodes a body: no unknown properties
        const decoded = Schema.decodeUnknownEither(endpoint.payloadSchema.value as Schema.Schema.AnyNoContext, { onExcessProperty: "error" })(examples[id])
        expect(decoded._tag, `${id}: ${JSON.stringify(decoded)}`).toBe("Right")
      }
    }
    // no example for an operation that has no body
    expect(Object.keys(examples).sort()).toEqual(withBody.sort())
    // the document carries each on its body's media type, which is what /docs starts from
    for (const { op } of operations()) {
      const content = Object.values(op.requestBody?.content ?? {})
      for (const media of content) expect((media as { example?: unknown }).example, op.operationId).toEqual(examples[op.operationId])
    }
    // registering the example learner is not refused for want of details
    for (const id of ["learners.register", "learners.update"] as const) {
      const details = Schema.decodeUnknownSync(Learner.LearnerDetails)(Examples.requestBodies[id], { onExcessProperty: "ignore" })
      expect(Learner.insufficientData(details, "2026-11-29"), id).toEqual([])
    }
  })
})

describe("Protocol", () => {
  it("keys the POSTs that change something, by the operation's name", () => {
    for (const name of ["register", "create", "withdraw", "reinstate", "resolve", "logout", "getaway", "findings", "listing"]) {
      expect(Protocol.takesIdempotencyKey("POST", name), name).toBe(true)
    }
    for (const name of ["findByUln", "findByDemographics", "verify", "get", "validate", "search", "listMine", "countAll", "previewImport"]) {
      expect(Protocol.takesIdempotencyKey("POST", name), name).toBe(false)
    }
    for (const method of ["GET", "PUT", "DELETE", "PATCH"]) expect(Protocol.takesIdempotencyKey(method, "create"), method).toBe(false)
    expect(Protocol.takesIdempotencyKey("post", "create")).toBe(true)
  })

  it("replays successes and the client errors that would come again, nothing else", () => {
    for (const status of [200, 201, 202, 204, 400, 403, 404, 413, 422]) expect(Protocol.isReplayedStatus(status), String(status)).toBe(true)
    for (const status of [301, 401, 409, 429, 500, 503]) expect(Protocol.isReplayedStatus(status), String(status)).toBe(false)
  })

  it("accepts request ids that are safe to log and quote", () => {
    for (const id of ["req-1", "0b7e5d1c-2f0a-4c3e-9d7b-1a2b3c4d5e6f", "a.b_c:d", "x".repeat(128)]) expect(Protocol.requestIdPattern.test(id), id).toBe(true)
    for (const id of ["", "x".repeat(129), "with space", "line\nbreak", "<script>"]) expect(Protocol.requestIdPattern.test(id), id).toBe(false)
  })
})
