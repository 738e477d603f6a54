/**
 * Handlers of the `admin` group (CONTRACT §4.7): organisations and the qualification register,
 * for the LRS admin only. A register file is read by core's `QualificationRegister.parseCsv` and
 * imported all or nothing: one bad line and nothing is written. A put and a line of the file are
 * checked by the same rules, core's `QualificationRegister.SubjectEntry`. The register names only awarding
 * organisations (core's `QualificationRegister.awarderProblems`), looked up in `Organisations`.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { AchievementsApi, AdminApi, LearnerRecordsApi as Contract, Problem, type Security } from "@learner-records/api"
import { type Access, FieldIssues, QualificationRegister, ResponseCode, type Ukprn } from "@learner-records/core"
import { Effect, Either, type Layer, Option } from "effect"
import { authorize, notFound } from "../Authorization.js"
import * as Problems from "../http/Problems.js"
import { decodeCursor, encodeCursor } from "../internal/cursor.js"
import { orDieSql } from "../internal/sql.js"
import { type CreateRefusal, type OrganisationInput, type OrganisationRow, Organisations, type RoleInUse, type SaveRefusal } from "../Organisations.js"
import { Qualifications } from "../Qualifications.js"

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString()

const organisationOf = (row: OrganisationRow): AdminApi.Organisation =>
  AdminApi.Organisation.make({
    id: row.id,
    name: row.name,
    ukprn: row.ukprn as Ukprn.Ukprn | null,
    kinds: row.kinds as ReadonlyArray<Access.OrganisationKind>,
    olass: row.olass,
    createdAt: iso(row.createdAt)
  })

const inputOf = (request: typeof AdminApi.OrganisationRequest.Type): OrganisationInput => ({
  name: request.name,
  ukprn: request.ukprn,
  // a kind listed twice is the same kind
  kinds: [...new Set(request.kinds)],
  olass: request.olass ?? false
})

const createRefusal = (ukprn: string | undefined, refusal: CreateRefusal) =>
  refusal._tag === "UkprnTaken"
    ? Problems.fail("Conflict", {
      code: "SVC007",
      title: ResponseCode.catalogue.SVC007.title,
      detail: `Another organisation has UKPRN ${ukprn ?? ""}.`,
      errors: [new Problem.FieldError({ field: "ukprn", message: "another organisation has this UKPRN" })]
    })
    : Problems.fail("BadRequest", {
      code: "WSEC0001",
      title: ResponseCode.catalogue.WSEC0001.title,
      detail: refusal.problems.map((p) => `${p.field}: ${p.message}`).join("; "),
      errors: refusal.problems.map((p) => new Problem.FieldError({ field: p.field, message: p.message }))
    })

const holderName = (h: RoleInUse) => `${h.holder === "user" ? "user" : "API key"} ${h.name}`

const refusal = (ukprn: string | undefined, refusal: SaveRefusal) => {
  switch (refusal._tag) {
    case "UkprnInUse":
      return Problems.fail("Conflict", {
        code: "SVC013",
        title: ResponseCode.catalogue.SVC013.title,
        detail: `The organisation has awarded ${refusal.achievements} achievement(s) under its UKPRN, so the UKPRN cannot change.`,
        errors: [new Problem.FieldError({ field: "ukprn", message: "achievements are held under the current UKPRN" })]
      })
    case "NamedOnRegister":
      return Problems.fail("Unprocessable", {
        code: "SVC015",
        title: ResponseCode.catalogue.SVC015.title,
        detail: `The organisation cannot stop being an awarding organisation: ${refusal.problem}.`,
        errors: [new Problem.FieldError({ field: "kinds", message: refusal.problem })]
      })
    case "UkprnOnRegister":
      return Problems.fail("Conflict", {
        code: "SVC013",
        title: ResponseCode.catalogue.SVC013.title,
        detail: `The qualification register names the organisation's UKPRN as owner or allowed on ${
          QualificationRegister.describeNamed(refusal.named)
        }, so the UKPRN cannot change; give them another owner or availability first.`,
        errors: [new Problem.FieldError({ field: "ukprn", message: "subjects on the qualification register name the current UKPRN" })]
      })
    case "RolesInUse":
      return Problems.fail("Unprocessable", {
        code: "SVC008",
        title: ResponseCode.catalogue.SVC008.title,
        detail: `The organisation's users or API keys hold roles it could no longer have: ${
          refusal.holders.map((h) => `${h.role} (${holderName(h)})`).join(", ")
        }. Change or revoke them first.`,
        errors: refusal.holders.map((h) => new Problem.FieldError({ field: "kinds", message: `${holderName(h)}: ${h.message}` }))
      })
    default:
      return createRefusal(ukprn, refusal)
  }
}

const badRequest = (field: string, message: string) =>
  Problems.fail("BadRequest", {
    code: "WSEC0001",
    title: ResponseCode.catalogue.WSEC0001.title,
    detail: `${field}: ${message}`,
    errors: [new Problem.FieldError({ field, message })]
  })

/**
 * The field path of an awarder problem in a put's body: `owner`, or `availability.allowed[<i>]`.
 *
 * @since 0.1.2
 * @category mapping
 */
export const awarderField = (problem: QualificationRegister.AwarderProblem): string => FieldIssues.formatPath(problem.path)

/**
 * The field path of a register-file problem: `rows[<line>].<Column>`, or `rows[<line>]` for the
 * whole line.
 *
 * @since 0.1.0
 * @category mapping
 */
export const problemField = (problem: QualificationRegister.RegisterProblem): string =>
  problem.field === undefined ? `rows[${problem.line}]` : `rows[${problem.line}].${problem.field}`

/**
 * Handlers of the `admin` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"learner-records", "admin">,
  never,
  Security.Authentication | Security.Authorization | SqlClient.SqlClient | Organisations | Qualifications
> = HttpApiBuilder.group(Contract.LearnerRecordsApi, "admin", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const organisations = yield* Organisations
    const qualifications = yield* Qualifications
    const transaction = <A, E, R>(self: Effect.Effect<A, E, R>) => orDieSql(sql.withTransaction(self))

    return handlers
      .handle("listOrganisations", () =>
        Effect.gen(function*() {
          yield* authorize("admin.organisations")
          return (yield* orDieSql(organisations.list())).map(organisationOf)
        }))
      .handle("createOrganisation", ({ payload }) =>
        Effect.gen(function*() {
          yield* authorize("admin.organisations")
          const created = yield* Effect.either(transaction(organisations.create(inputOf(payload))))
          if (Either.isLeft(created)) return yield* createRefusal(payload.ukprn, created.left)
          return organisationOf(created.right)
        }))
      .handle("getOrganisation", ({ path }) =>
        Effect.gen(function*() {
          yield* authorize("admin.organisations")
          const found = yield* orDieSql(organisations.get(path.id))
          if (Option.isNone(found)) return yield* notFound(`Organisation ${path.id}`)
          return organisationOf(found.value)
        }))
      .handle("updateOrganisation", ({ path, payload }) =>
        Effect.gen(function*() {
          yield* authorize("admin.organisations")
          const updated = yield* Effect.either(transaction(organisations.update(path.id, inputOf(payload))))
          if (Either.isLeft(updated)) return yield* refusal(payload.ukprn, updated.left)
          if (Option.isNone(updated.right)) return yield* notFound(`Organisation ${path.id}`)
          return organisationOf(updated.right.value)
        }))
      .handle("listQualifications", ({ urlParams }) =>
        Effect.gen(function*() {
          yield* authorize("admin.qualifications")
          const after = urlParams.cursor === undefined ? undefined : decodeCursor("qualifications", urlParams.cursor, (p) => p !== "")
          if (urlParams.cursor !== undefined && after === undefined) return yield* badRequest("cursor", "not a cursor of this list; pass the nextCursor of the previous page")
          const page = yield* orDieSql(qualifications.list({ owner: urlParams.owner, after, limit: urlParams.limit ?? AchievementsApi.DefaultLimit }))
          const last = page.subjects.at(-1)
          return AdminApi.QualificationPage.make({
            qualifications: page.subjects,
            nextCursor: page.more && last !== undefined ? encodeCursor("qualifications", last.subjectCode) : null
          })
        }))
      .handle("putQualification", ({ path, payload }) =>
        Effect.gen(function*() {
          yield* authorize("admin.qualifications")
          if (path.subjectCode !== payload.subjectCode) {
            return yield* badRequest("subjectCode", `the body's subject code ${payload.subjectCode} differs from the path's ${path.subjectCode}`)
          }
          return yield* transaction(Effect.gen(function*() {
            const kinds = yield* organisations.kindsByUkprn(QualificationRegister.namedUkprns([payload]))
            const problems = QualificationRegister.awarderProblems(payload, (ukprn) => kinds.get(ukprn))
            if (problems.length > 0) {
              return yield* Problems.fail("Unprocessable", {
                code: "SVC015",
                title: ResponseCode.catalogue.SVC015.title,
                detail: problems.map((p) => `${awarderField(p)}: ${p.message}`).join("; "),
                errors: problems.map((p) => new Problem.FieldError({ field: awarderField(p), message: p.message }))
              })
            }
            return yield* qualifications.put(payload)
          }))
        }))
      .handle("importQualifications", ({ payload }) =>
        Effect.gen(function*() {
          yield* authorize("admin.qualifications")
          // the body comes decoded, bytes that are not UTF-8 as U+FFFD: such a file is not text,
          // and is refused whole before a line of it is read
          const undecodable = QualificationRegister.encodingProblem(payload)
          if (undecodable !== undefined) {
            const field = problemField(undecodable)
            return yield* Problems.fail("BadRequest", {
              code: "WSEC0001",
              title: ResponseCode.catalogue.WSEC0001.title,
              detail: `The register file is not UTF-8 text; nothing was imported. ${field}: ${undecodable.message}.`,
              errors: [new Problem.FieldError({ field, message: undecodable.message })]
            })
          }
          const parsed = QualificationRegister.parseCsv(payload)
          const imported = yield* transaction(Effect.gen(function*() {
            const kinds = yield* organisations.kindsByUkprn(QualificationRegister.fileUkprns(parsed))
            const { problems, subjects } = QualificationRegister.checkAwarders(parsed, (ukprn) => kinds.get(ukprn))
            if (problems.length > 0) {
              return yield* Problems.fail("Unprocessable", {
                code: "SVC012",
                title: ResponseCode.catalogue.SVC012.title,
                detail: problems.length === 1
                  ? `${problemField(problems[0]!)}: ${problems[0]!.message}`
                  : `${problems.length} problems in the register file; nothing was imported. See errors.`,
                errors: problems.map((p) => new Problem.FieldError({ field: problemField(p), message: p.message }))
              })
            }
            return yield* qualifications.putAll(subjects)
          }))
          return AdminApi.ImportQualificationsResponse.make({ imported, problems: [] })
        }))
  }))
