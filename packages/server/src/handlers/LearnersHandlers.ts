/**
 * Handlers of the `learners` group (CONTRACT §4.1, §4.2): find by ULN, find by demographics,
 * register, update and verify. Every rule is core's (matching, verification, the registration
 * rules of `Learner`); this module reads and writes through the repositories, one transaction per
 * operation, and writes every learner a search returns to the access log in that transaction.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { LearnerRecordsApi as Contract, LearnersApi, Problem, type Security } from "@learner-records/api"
import { Learner, Matching, ResponseCode, ServiceDate, Verification } from "@learner-records/core"
import { Effect, type Layer, Option } from "effect"
import { AccessLog } from "../AccessLog.js"
import { authorize } from "../Authorization.js"
import * as Problems from "../http/Problems.js"
import { orDieSql } from "../internal/sql.js"
import { heldOf, Learners, matchingDetails, substituted } from "../Learners.js"
import { agreementOf, possibleMatchOf, RegistrationExceptions } from "../RegistrationExceptions.js"

const fieldErrors = (problems: ReadonlyArray<Learner.DetailProblem>) => problems.map((p) => new Problem.FieldError(p))

/**
 * 422 WSRC0015 naming each problem, unless there are none.
 *
 * @since 0.1.2
 * @category validation
 */
export const refuseInsufficient = (problems: ReadonlyArray<Learner.DetailProblem>) =>
  problems.length === 0 ? Effect.void : Problems.fail("Unprocessable", {
    code: "WSRC0015",
    title: ResponseCode.catalogue.WSRC0015.title,
    detail: problems.length === 1 ? `${problems[0]!.field}: ${problems[0]!.message}` : `${problems.length} fields are insufficient; see errors.`,
    errors: fieldErrors(problems)
  })

/**
 * 422 WSRC0015 when well-formed details are still not enough to register a learner (an update's
 * rule is `Learner.insufficientForUpdate`, which needs the learner held).
 *
 * @since 0.1.0
 * @category validation
 */
export const requireSufficient = (details: Learner.LearnerDetails) =>
  Effect.flatMap(ServiceDate.today, (date) => refuseInsufficient(Learner.insufficientData(details, date)))

/**
 * 409 WSRC0021: the learner is already registered, under these ULNs (`updating`: the learner of that
 * ULN would become a duplicate of them).
 *
 * @since 0.1.0
 * @category errors
 */
export const alreadyRegistered = (existing: ReadonlyArray<Matching.MatchedLearner>, updating?: string) => {
  const ulns = existing.map((m) => m.uln).join(", ")
  return Problems.fail("Conflict", {
    code: "WSRC0021",
    title: ResponseCode.catalogue.WSRC0021.title,
    detail: updating === undefined
      ? `A learner with the same given name, family name, date of birth, gender and postcode is already registered: use ULN ${ulns}.`
      : `Another learner with the same given name, family name, date of birth, gender and postcode is already registered (ULN ${ulns}): learner ${updating} cannot become a duplicate of them; if they are the same person, use ULN ${ulns}.`
  })
}

/** The codes of a verification that identifies the learner (the names agree, exactly or similarly). */
const identifies = (code: Verification.Code): boolean => code !== "WSVRC005" && code !== "WSVRC006"

/**
 * Handlers of the `learners` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"learner-records", "learners">,
  never,
  Security.Authentication | Security.Authorization | SqlClient.SqlClient | Learners | AccessLog | RegistrationExceptions
> = HttpApiBuilder.group(Contract.LearnerRecordsApi, "learners", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const learners = yield* Learners
    const accessLog = yield* AccessLog
    const exceptions = yield* RegistrationExceptions
    const transaction = <A, E, R>(self: Effect.Effect<A, E, R>) => orDieSql(sql.withTransaction(self))

    /**
     * The learners of core's matches as the api returns them (the master for a linked learner).
     * Made of learners read from our own database and core's scores, so not validated again on
     * construction: the api validates the answer as it encodes it.
     */
    const matchesOf = (
      matched: ReadonlyArray<Matching.MatchedLearner>,
      held: (ulns: ReadonlyArray<string>) => Effect.Effect<Map<string, Learner.Learner>, SqlError> = learners.byUlns
    ) =>
      Effect.map(held(matched.map((m) => m.uln)), (found) =>
        matched.flatMap((m) => {
          const learner = found.get(m.uln)
          return learner === undefined ? [] : [
            new LearnersApi.LearnerMatch({
              learner: substituted(learner, m.masterSubstituted),
              score: m.score,
              agreement: agreementOf(m.agreement)
            }, true)
          ]
        }))

    return handlers
      .handle("findByUln", ({ payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("learners.findByUln")
          // a read and then one INSERT (atomic on its own, committed before the answer): no
          // transaction needed, which saves two round trips on the hottest operation
          // the answer is made of the decoded payload and a learner read from our own database
          // (valid since it was written): not validated again here; the api encodes it
          const none = () => new LearnersApi.FindByUlnResponse({ responseCode: "WSRC0001", searchedUln: payload.uln, learner: null }, true)
          return yield* orDieSql(Effect.gen(function*() {
            const resolved = yield* learners.resolve(payload.uln)
            if (Option.isNone(resolved)) return none()
            const { learner, linked } = resolved.value
            // "the names agree" means what it means in verify: exactly or similarly (WSVRC001–004)
            const outcome = Verification.verify({ givenName: payload.givenName, familyName: payload.familyName }, heldOf(learner), { linked })
            if (!identifies(outcome.responseCode)) return none()
            yield* accessLog.record(caller, "learners.findByUln", [learner.uln])
            return new LearnersApi.FindByUlnResponse({ responseCode: linked ? "WSRC0022" : "WSRC0004", searchedUln: payload.uln, learner }, true)
          }))
        }))
      .handle("findByDemographics", ({ payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("learners.findByDemographics")
          // reads, then one INSERT for the access log: as for findByUln, no transaction needed
          return yield* orDieSql(Effect.gen(function*() {
            const found = yield* learners.search(payload)
            const outcome = Matching.find(payload, found.candidates)
            const matches = yield* matchesOf(outcome.learners, found.learners)
            yield* accessLog.record(caller, "learners.findByDemographics", matches.map((m) => m.learner.uln))
            return new LearnersApi.FindByDemographicsResponse({ responseCode: outcome.responseCode, learners: matches }, true)
          }))
        }))
      .handle("register", ({ payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("learners.register")
          yield* requireSufficient(payload)
          return yield* transaction(Effect.gen(function*() {
            const check = yield* learners.checkDuplicate(payload)
            switch (check._tag) {
              case "Duplicate":
                return yield* alreadyRegistered(check.existing)
              case "PossibleDuplicates": {
                // close to existing learners: no ULN; a person of this organisation decides
                const exceptionId = yield* exceptions.raise({
                  organisationId: caller.organisationId,
                  raisedBy: caller.userId,
                  source: "single",
                  details: payload,
                  possibleMatches: check.learners.map(possibleMatchOf)
                })
                const possibleMatches = yield* matchesOf(check.learners)
                yield* accessLog.record(caller, "learners.register", possibleMatches.map((m) => m.learner.uln))
                return LearnersApi.RegistrationHeld.make({ responseCode: "WSRC0003", exceptionId, possibleMatches })
              }
              case "Clear": {
                const learner = yield* learners.insert(payload, caller.organisationId)
                return LearnersApi.RegisterLearnerResponse.make({ responseCode: "WSRC0005", uln: learner.uln, learner })
              }
            }
          }))
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          yield* authorize("learners.update")
          const { versionNumber, ...rest } = payload
          const details = Learner.LearnerDetails.make(rest)
          const today = yield* ServiceDate.today
          return yield* transaction(Effect.gen(function*() {
            const resolved = yield* learners.resolve(path.uln)
            if (Option.isNone(resolved)) {
              return yield* Problems.fail("NotFound", {
                code: "WSRC0019",
                title: ResponseCode.catalogue.WSRC0019.title,
                detail: `No learner has ULN ${path.uln}.`
              })
            }
            // a linked ULN is updated through its master, the learner a find answers with
            const { learner: held, linked } = resolved.value
            // the age range applies to a date of birth being changed, not to one kept as held
            yield* refuseInsufficient(Learner.insufficientForUpdate(held, details, today))
            const stale = Problems.fail("Conflict", {
              code: "WSRC0013",
              title: ResponseCode.catalogue.WSRC0013.title,
              detail: `The learner ${held.uln} is at version ${held.versionNumber}, not ${versionNumber}: read it again and reapply your change.`
            })
            if (held.versionNumber !== versionNumber) return yield* stale
            const refused = Learner.abilityToShareChange(held.abilityToShare, details.abilityToShare)
            if (refused !== undefined) {
              return yield* Problems.fail("Unprocessable", {
                code: "WSRC0014",
                title: ResponseCode.catalogue.WSRC0014.title,
                detail: refused,
                errors: [new Problem.FieldError({ field: "abilityToShare", message: refused })]
              })
            }
            if (Learner.sameDetails(Learner.detailsOf(held), details)) {
              return LearnersApi.UpdateLearnerResponse.make({ responseCode: "WSRC0020", learner: held })
            }
            // registration's rule: no two learners (other than a master and its linked learners)
            // hold the same five mandatory fields; only a change to one of them can break it
            if (Matching.mandatoryChanged(matchingDetails(held), matchingDetails(details))) {
              const duplicates = yield* learners.duplicatesOnUpdate(held.uln, details)
              if (duplicates.length > 0) return yield* alreadyRegistered(duplicates, held.uln)
            }
            const updated = yield* learners.update(held.uln, versionNumber, details)
            // another update won the race between the read and the write
            if (Option.isNone(updated)) return yield* stale
            return LearnersApi.UpdateLearnerResponse.make({ responseCode: "WSRC0006", learner: substituted(updated.value, linked) })
          }))
        }))
      .handle("verify", ({ payload }) =>
        Effect.gen(function*() {
          yield* authorize("learners.verify")
          const resolved = yield* orDieSql(learners.resolve(payload.uln))
          const outcome = Option.match(resolved, {
            onNone: () => Verification.verify(payload, undefined),
            onSome: ({ learner, linked }) => Verification.verify(payload, heldOf(learner), { linked })
          })
          return LearnersApi.VerifyLearnerResponse.make({
            responseCode: outcome.responseCode,
            searchedUln: payload.uln,
            uln: Option.match(resolved, { onNone: () => null, onSome: ({ learner }) => learner.uln }),
            failureFlags: outcome.failureFlags
          })
        }))
  }))
