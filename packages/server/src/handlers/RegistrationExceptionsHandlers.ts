/**
 * Handlers of the `registrationExceptions` group (CONTRACT §4.1): the registrations held with
 * possible matches, listed for the registering organisation and resolved by one of its users —
 * use an existing ULN, or register the held details as a new learner. Another organisation's
 * exception is answered 404 like a missing one.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { LearnerRecordsApi as Contract, LearnersApi, Problem, RegistrationExceptionsApi, type Security } from "@learner-records/api"
import { type Learner, ResponseCode, Uln } from "@learner-records/core"
import { Effect, type Layer, Option, Schema } from "effect"
import { AccessLog } from "../AccessLog.js"
import { authorize, notFound } from "../Authorization.js"
import * as Problems from "../http/Problems.js"
import { orDieSql } from "../internal/sql.js"
import { Learners, substituted } from "../Learners.js"
import { isPossibleMatch, type PossibleMatch, type RegistrationException, RegistrationExceptions } from "../RegistrationExceptions.js"
import { alreadyRegistered } from "./LearnersHandlers.js"

const decodeUln = Schema.decodeSync(Uln.Uln)

/**
 * The possible matches of a held registration as the api shows them: each with the learner as held
 * now (skipped if it is gone), the score and the per-field agreement.
 *
 * @since 0.1.0
 * @category mapping
 */
export const learnerMatches = (
  matches: ReadonlyArray<PossibleMatch>,
  learners: ReadonlyMap<string, Learner.Learner>
): Array<LearnersApi.LearnerMatch> =>
  matches.flatMap((m) => {
    const learner = learners.get(m.uln)
    return learner === undefined ? [] : [LearnersApi.LearnerMatch.make({
      learner: substituted(learner, m.uln !== m.matchedUln),
      score: m.score,
      agreement: m.agreement
    })]
  })

/**
 * The api's view of an exception.
 *
 * @since 0.1.0
 * @category mapping
 */
export const exceptionView = (
  e: RegistrationException,
  learners: ReadonlyMap<string, Learner.Learner>
): RegistrationExceptionsApi.RegistrationException =>
  RegistrationExceptionsApi.RegistrationException.make({
    id: e.id,
    status: e.status,
    raisedAt: e.createdAt,
    raisedBy: e.raisedByUsername,
    source: e.source,
    details: e.details,
    possibleMatches: learnerMatches(e.possibleMatches, learners),
    resolution: e.status === "resolved" && e.resolution !== null && e.resolvedUln !== null
      ? RegistrationExceptionsApi.RegistrationResolution.make({
        action: e.resolution,
        uln: decodeUln(e.resolvedUln),
        resolvedAt: e.resolvedAt ?? e.createdAt,
        resolvedBy: e.resolvedByUsername ?? ""
      })
      : null
  })

/**
 * Handlers of the `registrationExceptions` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"learner-records", "registrationExceptions">,
  never,
  Security.Authentication | Security.Authorization | SqlClient.SqlClient | Learners | AccessLog | RegistrationExceptions
> = HttpApiBuilder.group(Contract.LearnerRecordsApi, "registrationExceptions", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const learners = yield* Learners
    const accessLog = yield* AccessLog
    const exceptions = yield* RegistrationExceptions
    const transaction = <A, E, R>(self: Effect.Effect<A, E, R>) => orDieSql(sql.withTransaction(self))

    /** The views of some exceptions; the learners they show are written to the access log. */
    const views = (caller: Security.Caller, operation: string, list: ReadonlyArray<RegistrationException>) =>
      Effect.gen(function*() {
        const ulns = [...new Set(list.flatMap((e) => e.possibleMatches.map((m) => m.uln)))]
        const found = yield* learners.byUlns(ulns)
        yield* accessLog.record(caller, operation, [...found.keys()])
        return list.map((e) => exceptionView(e, found))
      })

    return handlers
      .handle("list", ({ urlParams }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("registrationExceptions.list")
          return yield* transaction(Effect.gen(function*() {
            const list = yield* exceptions.list(caller.organisationId, { status: urlParams.status })
            return yield* views(caller, "registrationExceptions.list", list)
          }))
        }))
      .handle("resolve", ({ path, payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("registrationExceptions.resolve")
          return yield* transaction(Effect.gen(function*() {
            const held = yield* exceptions.lock(path.id, caller.organisationId)
            if (Option.isNone(held)) return yield* notFound(`Registration exception ${path.id}`)
            const exception = held.value
            if (exception.status === "resolved") {
              return yield* Problems.fail("Conflict", {
                code: "SVC011",
                title: ResponseCode.catalogue.SVC011.title,
                detail: `Registration exception ${exception.id} was already resolved (${exception.resolution} ULN ${exception.resolvedUln}).`
              })
            }
            let responseCode: "WSRC0004" | "WSRC0005" | "WSRC0022"
            let uln: Uln.Uln
            if (payload.action === "use-existing") {
              // a linked ULN gives its master, as a find by ULN does
              const resolved = yield* learners.resolve(payload.uln)
              if (Option.isNone(resolved)) {
                return yield* Problems.fail("NotFound", {
                  code: "WSRC0001",
                  title: ResponseCode.catalogue.WSRC0001.title,
                  detail: `No learner has ULN ${payload.uln}.`
                })
              }
              const chosen = resolved.value.learner.uln
              const matches = exception.possibleMatches
              const answering = yield* learners.answeringUlns([...new Set(matches.flatMap((m) => [m.uln, m.matchedUln]))])
              if (!isPossibleMatch(matches, chosen, answering)) {
                return yield* Problems.fail("Unprocessable", {
                  code: "SVC014",
                  title: ResponseCode.catalogue.SVC014.title,
                  detail: `ULN ${payload.uln} is not one of the possible matches of registration exception ${exception.id} (${
                    [...new Set(matches.map((m) => m.uln))].join(", ")
                  }) nor linked to one: use one of them, or register-new.`,
                  errors: [new Problem.FieldError({ field: "uln", message: "not one of the exception's possible matches" })]
                })
              }
              responseCode = resolved.value.linked ? "WSRC0022" : "WSRC0004"
              uln = chosen
              yield* exceptions.markResolved(exception.id, "use-existing", uln, caller.userId)
            } else {
              // the register may have changed since the registration was held: an exact duplicate still wins
              const check = yield* learners.checkDuplicate(exception.details)
              if (check._tag === "Duplicate") return yield* alreadyRegistered(check.existing)
              const learner = yield* learners.insert(exception.details, caller.organisationId)
              responseCode = "WSRC0005"
              uln = learner.uln
              yield* exceptions.markResolved(exception.id, "register-new", uln, caller.userId)
            }
            const after = yield* exceptions.find(exception.id, caller.organisationId)
            const [view] = yield* views(caller, "registrationExceptions.resolve", Option.toArray(after))
            return RegistrationExceptionsApi.ResolveRegistrationExceptionResponse.make({ responseCode, uln, exception: view! })
          }))
        }))
  }))
