/**
 * What a request that does not decode is answered (CONTRACT §6): 400 with one error per field,
 * each naming the field and saying its rule in plain words — never the schema's description, a
 * TypeScript-like rendering of its type, Effect's tree drawing, or the "Expected undefined" of an
 * optional field's absent member. Swept over every operation that takes a body, from the api's own
 * example bodies.
 */
import { HttpApi, HttpApiError, HttpApiSchema } from "@effect/platform"
import { Examples, LearnerRecordsApi, Security } from "@learner-records/api"
import { Access, QualificationRegister } from "@learner-records/core"
import { describe, expect, it } from "@effect/vitest"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as AST from "effect/SchemaAST"
import * as Problems from "../src/http/Problems.js"
import { ADMIN_PASSWORD, call, describeHttp, organisationWith, type Reply, signIn } from "./http.js"

interface Problem {
  readonly code: string
  readonly detail: string
  readonly errors: ReadonlyArray<{ readonly field: string; readonly message: string }>
}

// Effect's own wording of a schema, which no client should have to read
const UNCLEAR = /Expected |readonly|Brand<|filter|└─|is missing|is unexpected|actual |undefined/

/** The sentences a schema describes its fields with (Effect's own filters' phrases aside). */
const descriptions = (ast: AST.AST, seen = new Set<AST.AST>()): Array<string> => {
  if (seen.has(ast)) return []
  seen.add(ast)
  const own = Option.toArray(AST.getDescriptionAnnotation(ast))
  const inner = (() => {
    switch (ast._tag) {
      case "TypeLiteral":
        return ast.propertySignatures.flatMap((p) => [...Option.toArray(AST.getDescriptionAnnotation(p)), ...descriptions(p.type, seen)])
      case "TupleType":
        return [...ast.elements.map((e) => e.type), ...ast.rest.map((r) => r.type)].flatMap((t) => descriptions(t, seen))
      case "Union":
        return ast.types.flatMap((t) => descriptions(t, seen))
      case "Refinement":
        return descriptions(ast.from, seen)
      case "Transformation":
        return [...descriptions(ast.from, seen), ...descriptions(ast.to, seen)]
      case "Suspend":
        return descriptions(ast.f(), seen)
      default:
        return []
    }
  })()
  return [...own, ...inner].filter((d) => d.length > 12 && !d.startsWith("a ") && !d.startsWith("an "))
}

interface Operation {
  readonly id: Examples.OperationWithBody
  /** Its access operation (`Security.Operation`), when it has one. */
  readonly access: Access.Operation | undefined
  readonly method: "POST" | "PUT"
  readonly path: string
  readonly payload: AST.AST
  readonly json: boolean
}

// path parameters that decode, so that the body is what is judged
const pathValues: Record<string, string> = {
  uln: "9276308686",
  subjectCode: encodeURIComponent("600/2345/4"),
  id: "00000000-0000-4000-8000-000000000000"
}

const operations: ReadonlyArray<Operation> = (() => {
  const found: Array<Operation> = []
  HttpApi.reflect(LearnerRecordsApi.LearnerRecordsApi, {
    onGroup: () => {},
    onEndpoint: ({ endpoint, group }) => {
      const id = `${group.identifier}.${endpoint.name}`
      if (Option.isNone(endpoint.payloadSchema) || !(id in Examples.requestBodies)) return
      if (endpoint.method !== "POST" && endpoint.method !== "PUT") return
      const payload = endpoint.payloadSchema.value.ast
      found.push({
        id: id as Examples.OperationWithBody,
        access: Option.getOrUndefined(Context.getOption(endpoint.annotations, Security.Operation)),
        method: endpoint.method,
        path: endpoint.path.replace(/:(\w+)/g, (_, name: string) => pathValues[name] ?? "x"),
        payload,
        json: HttpApiSchema.getEncoding(payload).kind === "Json"
      })
    }
  })
  return found
})()

/** A 400 that names fields and says each rule plainly; its errors. */
const refused = (reply: Reply, operation: Operation, what: string) => {
  const context = `${operation.id} with ${what}: ${reply.text}`
  expect(reply.status, context).toBe(400)
  expect(reply.headers["content-type"], context).toContain("application/problem+json")
  const problem = reply.body as Problem
  expect(["WSEC0001", "WSEC0136"], context).toContain(problem.code)
  expect(problem.errors.length, context).toBeGreaterThan(0)
  const sentences = descriptions(operation.payload)
  for (const text of [problem.detail, ...problem.errors.map((e) => e.message)]) {
    expect(text, context).not.toMatch(UNCLEAR)
    for (const sentence of sentences) expect(text, context).not.toContain(sentence)
  }
  for (const error of problem.errors) expect(error.field, context).toMatch(/^[A-Za-z_][\w.[\]-]*$/)
  // one entry per field
  expect(new Set(problem.errors.map((e) => e.field)).size, context).toBe(problem.errors.length)
  return problem.errors
}

const wrongKind = (value: unknown): unknown => typeof value === "string" ? 42 : "x"

/**
 * A token for each operation: of a caller who may call it (any other is answered 403 before the
 * body is decoded) — the admin, a super and online user of an LRB, an awarding body user of an AO.
 */
const callers = Effect.gen(function*() {
  const lrb = yield* organisationWith(["LRB"], ["OnlineUser"])
  const ao = yield* organisationWith(["AO"], ["AwardingBodyUser"])
  const candidates = [
    { token: yield* signIn("admin", ADMIN_PASSWORD), roles: ["LrsAdmin", "SuperUser"], organisationKinds: ["LRS"] },
    { token: lrb.tokens.OnlineUser!, roles: ["OnlineUser"], organisationKinds: ["LRB"] },
    { token: ao.tokens.AwardingBodyUser!, roles: ["AwardingBodyUser"], organisationKinds: ["AO"] }
  ] as const
  return (operation: Operation): string | undefined => {
    if (operation.access === undefined) return undefined
    const access = operation.access
    const caller = candidates.find((c) => Access.mayCall(access, { roles: [...c.roles], organisationKinds: [...c.organisationKinds] }))
    expect(caller, `a caller who may call ${access}`).toBeDefined()
    return caller!.token
  }
})

describeHttp("Request errors", (it) => {
  it.effect("every operation's body — not an object, a field of the wrong kind, an unknown property — is refused naming the field and its rule", () =>
    Effect.gen(function*() {
      const tokenFor = yield* callers
      expect(operations.length).toBeGreaterThanOrEqual(Object.keys(Examples.requestBodies).length - 1)
      for (const operation of operations) {
        const token = tokenFor(operation)
        const send = (body: unknown) => call(operation.method, operation.path, { ...(token === undefined ? {} : { token }), body })
        // a body in another media type is 415 naming Content-Type (RequestBodies.test.ts)
        if (!operation.json) continue
        for (const body of [[], "x", null, 42]) {
          const reply = yield* send(body)
          const errors = reply.status === 400 || body !== null ? refused(reply, operation, JSON.stringify(body)) : []
          // a body an operation lets be left out is sent as null, and taken as {}: its required fields are named
          if (body === null && errors.every((e) => e.message === "is required")) continue
          expect(errors, operation.id).toEqual([{ field: "body", message: expect.stringMatching(/^must be a JSON object\b/) }])
        }
        const example: Record<string, unknown> = Examples.requestBodies[operation.id] as Record<string, unknown>
        for (const [key, value] of Object.entries(example)) {
          const errors = refused(yield* send({ ...example, [key]: wrongKind(value) }), operation, `${key} of the wrong kind`)
          expect(errors.map((e) => e.field), operation.id).toEqual([key])
          // null is a value some fields take; those that do not say so of the field
          const nulled = yield* send({ ...example, [key]: null })
          if (nulled.status === 400 && (nulled.body as Problem).code.startsWith("WSEC")) {
            expect(refused(nulled, operation, `${key} null`).map((e) => e.field)).toEqual([key])
          }
        }
        const extra = refused(yield* send({ ...example, notAField: 1 }), operation, "an unknown property")
        expect(extra).toEqual([{ field: "notAField", message: "is not allowed" }])
        const { [Object.keys(example)[0]!]: _, ...without } = example
        const missing = yield* send(without)
        if (missing.status === 400 && (missing.body as Problem).code.startsWith("WSEC")) {
          expect(refused(missing, operation, "its first field left out")).toEqual([{ field: Object.keys(example)[0], message: "is required" }])
        }
      }
    }))

  it.effect("the bodies QA sent say what they must be, once per field", () =>
    Effect.gen(function*() {
      const tokenFor = yield* callers
      const as = (id: Examples.OperationWithBody) => tokenFor(operations.find((o) => o.id === id)!)!
      const token = as("users.update")
      const problem = (reply: Reply) => {
        expect(reply.status).toBe(400)
        const { code, detail, errors } = reply.body as Problem
        return { code, detail, errors }
      }
      const body = { code: "WSEC0001", detail: "body: must be a JSON object", errors: [{ field: "body", message: "must be a JSON object" }] }
      expect(problem(yield* call("POST", "/api/v1/achievements", { token: as("achievements.create"), body: [] }))).toEqual(body)
      expect(problem(yield* call("POST", "/api/v1/auth/login", { body: [] }))).toEqual(body)
      for (const uln of [[], null, "x"]) expect(problem(yield* call("POST", "/api/v1/learners/find-by-uln", { token: as("learners.findByUln"), body: uln }))).toEqual(body)
      // JSON sent as text: not this operation's media type, whatever the body
      const text = yield* call("POST", "/api/v1/achievements", { token: as("achievements.create"), text: { body: JSON.stringify(Examples.requestBodies["achievements.create"]), contentType: "text/plain" } })
      expect(text.status).toBe(415)
      expect(text.body).toMatchObject({ code: "WSEC0001", errors: [{ field: "Content-Type", message: "must be application/json" }] })

      const roles = { code: "WSEC0001", detail: "roles: must be a list of at least one role", errors: [{ field: "roles", message: "must be a list of at least one role" }] }
      expect(problem(yield* call("PUT", `/api/v1/users/${pathValues.id}`, { token, body: { roles: "x" } }))).toEqual(roles)
      expect(problem(yield* call("PUT", `/api/v1/users/${pathValues.id}`, { token, body: { roles: [] } }))).toEqual(roles)
      expect(problem(yield* call("PUT", `/api/v1/users/${pathValues.id}`, { token, body: { roles: ["OnlineUser", "Boss"] } })).errors)
        .toEqual([{ field: "roles[1]", message: expect.stringMatching(/^must be one of "SuperUser", "OnlineUser", .* or "LrsAdmin"$/) }])
      expect(problem(yield* call("PUT", `/api/v1/users/${pathValues.id}`, { token, body: { email: 5 } })).errors)
        .toEqual([{ field: "email", message: "must be an e-mail address or null" }])

      // a bad date in an optional field: its rule, and no second error from the absent member
      const qualification = { ...Examples.requestBodies["admin.putQualification"], operationalStartDate: "2020-13-01" }
      expect(problem(yield* call("PUT", `/api/v1/admin/qualifications/${pathValues.subjectCode}`, { token, body: qualification })).errors)
        .toEqual([{ field: "operationalStartDate", message: "there is no month 13" }])
      const learner = { ...Examples.requestBodies["learners.findByDemographics"], dateOfBirth: 20070211 }
      expect(problem(yield* call("POST", "/api/v1/learners/find-by-demographics", { token: as("learners.findByDemographics"), body: learner })).errors)
        .toEqual([{ field: "dateOfBirth", message: "must be a date written YYYY-MM-DD" }])
      const availability = { ...Examples.requestBodies["admin.putQualification"], availability: { _tag: "Restricted", allowed: ["1"] } }
      expect(problem(yield* call("PUT", `/api/v1/admin/qualifications/${pathValues.subjectCode}`, { token, body: availability })).errors)
        .toEqual([{ field: "availability.allowed[0]", message: `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1"` }])

      // an invalid ULN keeps its own code
      expect(problem(yield* call("POST", "/api/v1/learners/find-by-uln", { token: as("learners.findByUln"), body: { ...Examples.requestBodies["learners.findByUln"], uln: 42 } })))
        .toMatchObject({ code: "WSEC0136", errors: [{ field: "uln", message: "must be a string (ULN)" }] })
    }))

  it.effect("the register import names each bad line's column and says its rule", () =>
    Effect.gen(function*() {
      const token = yield* signIn("admin", ADMIN_PASSWORD)
      const file = [
        QualificationRegister.CSV_COLUMNS.join(","),
        "600/2345/4,T,L,Q,1234,Shared,,",
        "600/2345/5,T,L,Q,10009999,Restricted,10000001;1,",
        "600/2345/6, ,L,Q,10009999,Shared,,"
      ].join("\n")
      const reply = yield* call("POST", "/api/v1/admin/qualifications/import", { token, text: { body: file, contentType: "text/csv" } })
      expect(reply.status).toBe(422)
      // each fault of a line: a UKPRN that is not an awarding organisation's beside the others (the
      // database may hold the demo's organisations, so whether it is one at all is not asked)
      const notAo = (ukprn: string) => expect.stringMatching(new RegExp(`^UKPRN ${ukprn} is not (a registered organisation|an awarding organisation)`))
      expect((reply.body as Problem).errors).toEqual([
        { field: "rows[2].OwnerUkprn", message: `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1234"` },
        { field: "rows[3].OwnerUkprn", message: notAo("10009999") },
        { field: "rows[3].AllowedUkprns", message: `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1"` },
        { field: "rows[3].AllowedUkprns", message: notAo("10000001") },
        { field: "rows[4].Title", message: "must not be blank" },
        { field: "rows[4].OwnerUkprn", message: notAo("10009999") }
      ])
    }))
})

describe("Problems.fromDecodeError", () => {
  it("without the request's parse issue, cleans the decode error's own list of Effect's wording", () => {
    const error = new HttpApiError.HttpApiDecodeError({
      message: "",
      issues: [
        { _tag: "Type", path: ["roles"], message: "Expected The new roles, at least one; they replace the old ones., actual \"x\"" },
        { _tag: "Type", path: ["roles"], message: "Expected undefined, actual \"x\"" },
        { _tag: "Type", path: ["dateOfBirth"], message: "there is no month 13" },
        { _tag: "Type", path: ["dateOfBirth"], message: "Expected undefined, actual \"2020-13-01\"" },
        { _tag: "Missing", path: ["givenName"], message: "is missing" },
        { _tag: "Unexpected", path: ["zz"], message: "is unexpected, expected: \"givenName\" | \"familyName\"" }
      ]
    })
    expect(Problems.fromDecodeError(error, "req-1")).toMatchObject({
      code: "WSEC0001",
      errors: [
        { field: "roles", message: "is not valid" },
        { field: "dateOfBirth", message: "there is no month 13" },
        { field: "givenName", message: "is required" },
        { field: "zz", message: "is not allowed" }
      ],
      requestId: "req-1"
    })
  })
})
