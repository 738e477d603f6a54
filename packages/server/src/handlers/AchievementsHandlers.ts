/**
 * Handlers of the `achievements` group (CONTRACT §4.3): awarding organisations create, update,
 * withdraw, reinstate and list their achievements. Every rule is core's
 * (`AchievementLifecycle.decide`, `Verification.verify`): a handler loads the achievement, the
 * register entry and the learner, calls `decide`, and stores the transition and its history entry,
 * all in one transaction.
 *
 * Object-level check: an achievement is only ever loaded together with its owner, so another
 * organisation's achievement is answered exactly like a missing one (404 ACH013).
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { AchievementsApi, LearnerRecordsApi as Contract, Problem, type Security } from "@learner-records/api"
import { Achievement, AchievementLifecycle, ResponseCode, ServiceDate, Verification } from "@learner-records/core"
import { Clock, Effect, Either, type Layer, Option } from "effect"
import { Achievements } from "../Achievements.js"
import { authorize, notFound } from "../Authorization.js"
import * as Problems from "../http/Problems.js"
import { decodeCursor, encodeCursor } from "../internal/cursor.js"
import { orDieSql } from "../internal/sql.js"
import { heldOf, Learners } from "../Learners.js"
import { Qualifications } from "../Qualifications.js"

/**
 * The moment an operation happens: today (the service's date, the UK's: core `ServiceDate`) for the
 * award-date bounds, and the timestamp written into the history.
 *
 * @since 0.1.0
 * @category utils
 */
export const now: Effect.Effect<{ readonly today: string; readonly at: string }> = Effect.map(Clock.currentTimeMillis, (ms) => {
  const at = new Date(ms).toISOString()
  return { today: ServiceDate.dateAt(ms), at }
})

/**
 * The caller's UKPRN, which owns the achievements they create; 403 WSEC0006 when their
 * organisation has none (an awarding organisation is known by its UKPRN).
 *
 * @since 0.1.0
 * @category authorization
 */
export const awardingOrganisationOf = (caller: Security.Caller): Effect.Effect<string, Problem.Forbidden> =>
  caller.ukprn === null
    ? Problems.fail("Forbidden", {
      code: "WSEC0006",
      title: ResponseCode.catalogue.WSEC0006.title,
      detail: `Your organisation (${caller.organisationName}) has no UKPRN, so it cannot hold achievements; ask the LRS admin to record it.`
    })
    : Effect.succeed(caller.ukprn)

/**
 * The request fields a failed verification (WSVRC005) blames: the given name when it does not
 * satisfy the given name held (VRF1), the family name when it satisfies neither the family name
 * nor the previous family name held (VRF5 and VRF6), the date of birth (VRF7), the gender (VRF8);
 * both names when only the cross comparisons failed.
 */
const blamedFields = (flags: ReadonlyArray<Verification.FailureFlag>): ReadonlyArray<string> => {
  const fields: Array<string> = []
  if (flags.includes("VRF1")) fields.push("givenName")
  if (flags.includes("VRF5") && flags.includes("VRF6")) fields.push("familyName")
  if (fields.length === 0 && !flags.includes("VRF7") && !flags.includes("VRF8")) fields.push("givenName", "familyName")
  if (flags.includes("VRF7")) fields.push("dateOfBirth")
  if (flags.includes("VRF8")) fields.push("gender")
  return fields
}

/** The status of each refusal: another organisation's achievement is not found, never forbidden. */
const statusOf = (code: AchievementLifecycle.AchievementError["code"]): "NotFound" | "Conflict" | "Unprocessable" => {
  switch (code) {
    case "ACH012":
    case "ACH013":
      return "NotFound"
    case "ACH010":
    case "ACH011":
    case "ACH021":
    case "ACH022":
    case "ACH023":
      return "Unprocessable"
    default:
      return "Conflict"
  }
}

const fieldOf = (error: AchievementLifecycle.AchievementError): string | undefined => {
  switch (error._tag) {
    case "SubjectNotOnRegister":
    case "SubjectNotAvailable":
      return "subjectCode"
    case "AwardDateInFuture":
    case "AwardDateTooEarly":
      return "awardDate"
    case "FieldCannotChange":
      return error.field
    default:
      return undefined
  }
}

/**
 * The problem of a refused command (docs/achievements.md §7): ACH012 and ACH013 → 404 (both as
 * ACH013, so nothing is revealed), ACH014–ACH020 → 409, ACH010/011/021/022/023 → 422, naming the
 * field at fault.
 *
 * @since 0.1.0
 * @category errors
 */
export const refused = (
  id: string | undefined,
  error: AchievementLifecycle.AchievementError
): Effect.Effect<never, Problem.NotFound | Problem.Conflict | Problem.Unprocessable> => {
  const status = statusOf(error.code)
  if (status === "NotFound") return notFound(`Achievement ${id ?? ""}`.trim(), "ACH013")
  const field = fieldOf(error)
  return Problems.fail(status, {
    code: error.code,
    title: ResponseCode.catalogue[error.code].title,
    detail: error.message,
    errors: field === undefined ? [] : [new Problem.FieldError({ field, message: error.message })]
  })
}

/** Verification outcomes that identify the learner (CONTRACT §4.3: WSVRC001–004). */
const verifies = (code: Verification.Code): boolean => code !== "WSVRC005" && code !== "WSVRC006"

/**
 * Handlers of the `achievements` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"learner-records", "achievements">,
  never,
  Security.Authentication | Security.Authorization | SqlClient.SqlClient | Achievements | Qualifications | Learners
> = HttpApiBuilder.group(Contract.LearnerRecordsApi, "achievements", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const achievements = yield* Achievements
    const qualifications = yield* Qualifications
    const learners = yield* Learners
    const transaction = <A, E, R>(self: Effect.Effect<A, E, R>) => orDieSql(sql.withTransaction(self))

    /** The learner the request's ULN and details verify against (the master when linked), else 422 ACH025. */
    const verified = (request: Verification.Request) =>
      Effect.gen(function*() {
        const resolved = yield* learners.resolve(request.uln)
        const outcome = Option.match(resolved, {
          onNone: () => Verification.verify(request, undefined),
          onSome: ({ learner, linked }) => Verification.verify(request, heldOf(learner), { linked })
        })
        if (Option.isSome(resolved) && verifies(outcome.responseCode)) return resolved.value.learner
        const unknown = outcome.responseCode === "WSVRC006"
        const detail = unknown
          ? `ULN ${request.uln} is not on the register (WSVRC006); an achievement needs a registered learner.`
          : `The details do not verify against ULN ${request.uln} (WSVRC005: ${outcome.failureFlags.join(", ")}); check the learner's names, date of birth and gender.`
        const fields = unknown ? ["uln"] : blamedFields(outcome.failureFlags)
        return yield* Problems.fail("Unprocessable", {
          code: "ACH025",
          title: ResponseCode.catalogue.ACH025.title,
          detail,
          errors: fields.map((field) => new Problem.FieldError({ field, message: unknown ? "no learner has this ULN" : `does not match the learner held (${outcome.responseCode})` }))
        })
      })

    /** What decide needs about the subject and the learner of these details. */
    const contextFor = (caller: string, details: Achievement.AchievementDetails, dateOfBirth: string) =>
      Effect.gen(function*() {
        const { at, today } = yield* now
        const subject = yield* qualifications.get(details.subjectCode)
        return {
          caller,
          subject: Option.getOrUndefined(subject),
          learnerDateOfBirth: dateOfBirth,
          today,
          at
        } satisfies AchievementLifecycle.Context
      })

    /** Loads the caller's achievement (404 ACH013 when missing or another organisation's) and decides a change to it. */
    const change = (id: string, ao: string, command: AchievementLifecycle.Command) =>
      Effect.gen(function*() {
        const current = yield* achievements.ownedForUpdate(id, ao)
        if (Option.isNone(current)) return yield* notFound(`Achievement ${id}`, "ACH013")
        const { at, today } = yield* now
        const decided = AchievementLifecycle.decide(current, command, { caller: ao, today, at })
        if (Either.isLeft(decided)) return yield* refused(id, decided.left)
        yield* achievements.save(decided.right)
        return decided.right
      })

    return handlers
      .handle("create", ({ payload }) =>
        Effect.gen(function*() {
          const ao = yield* awardingOrganisationOf(yield* authorize("achievements.create"))
          return yield* transaction(Effect.gen(function*() {
            const learner = yield* verified(payload)
            // stored against the master ULN, whichever of the learner's ULNs was sent
            const details = Achievement.details({ ...payload, uln: learner.uln })
            const context = yield* contextFor(ao, details, learner.dateOfBirth)
            const command = AchievementLifecycle.Create.make({ id: crypto.randomUUID(), details })
            const identity = { awardingOrganisation: ao, uln: details.uln, subjectCode: details.subjectCode, awardDate: details.awardDate }
            const decide = (current: Option.Option<Achievement.Achievement>) => {
              const decided = AchievementLifecycle.decide(current, command, context)
              // a create never meets another organisation's achievement: it only looks up the caller's
              return Either.isRight(decided)
                ? Effect.succeed(decided.right)
                : refused(undefined, decided.left).pipe(Effect.catchTag("NotFound", Effect.die))
            }
            let transition = yield* decide(yield* achievements.byIdentity(identity))
            if (transition.code === "ACH001" && !(yield* achievements.insert(transition))) {
              // a concurrent create of the same identity committed first: decide against it
              transition = yield* decide(yield* achievements.byIdentity(identity))
            }
            return transition.code === "ACH001"
              ? AchievementsApi.AchievementCreated.make({ responseCode: "ACH001", achievement: transition.achievement })
              : AchievementsApi.AchievementUnchanged.make({ responseCode: "ACH005", achievement: transition.achievement })
          }))
        }))
      .handle("update", ({ path, payload }) =>
        Effect.gen(function*() {
          const ao = yield* awardingOrganisationOf(yield* authorize("achievements.update"))
          return yield* transaction(Effect.gen(function*() {
            const current = yield* achievements.ownedForUpdate(path.id, ao)
            if (Option.isNone(current)) return yield* notFound(`Achievement ${path.id}`, "ACH013")
            const learner = yield* verified(payload)
            const details = Achievement.details({ ...payload, uln: learner.uln })
            const context = yield* contextFor(ao, details, learner.dateOfBirth)
            const decided = AchievementLifecycle.decide(current, AchievementLifecycle.Update.make({ details }), context)
            if (Either.isLeft(decided)) return yield* refused(path.id, decided.left)
            const transition = decided.right
            if (details.awardDate !== current.value.awardDate) {
              // a new award date must not make it the twin of another of the AO's achievements
              const twin = yield* achievements.byIdentity({ awardingOrganisation: ao, uln: details.uln, subjectCode: details.subjectCode, awardDate: details.awardDate })
              if (Option.isSome(twin) && twin.value.id !== path.id) {
                return yield* refused(path.id, new AchievementLifecycle.AchievementAlreadyExists({ achievementId: twin.value.id }))
              }
            }
            yield* achievements.save(transition)
            const responseCode = transition.code === "ACH002" ? "ACH002" : "ACH005"
            return AchievementsApi.AchievementUpdated.make({ responseCode, achievement: transition.achievement })
          }))
        }))
      .handle("withdraw", ({ path, payload }) =>
        Effect.gen(function*() {
          const ao = yield* awardingOrganisationOf(yield* authorize("achievements.withdraw"))
          const transition = yield* transaction(change(path.id, ao, AchievementLifecycle.Withdraw.make({ reason: payload.reason })))
            .pipe(Effect.catchTag("Unprocessable", Effect.die))
          return AchievementsApi.AchievementWithdrawn.make({ responseCode: "ACH003", achievement: transition.achievement })
        }))
      .handle("reinstate", ({ path, payload }) =>
        Effect.gen(function*() {
          const ao = yield* awardingOrganisationOf(yield* authorize("achievements.reinstate"))
          const command = AchievementLifecycle.Reinstate.make(payload.reason === undefined ? {} : { reason: payload.reason })
          // a reinstate changes no details, so none of the 422 refusals applies
          const transition = yield* transaction(change(path.id, ao, command)).pipe(Effect.catchTag("Unprocessable", Effect.die))
          return AchievementsApi.AchievementReinstated.make({ responseCode: "ACH004", achievement: transition.achievement })
        }))
      .handle("list", ({ urlParams }) =>
        Effect.gen(function*() {
          const ao = yield* awardingOrganisationOf(yield* authorize("achievements.list"))
          const after = urlParams.cursor === undefined ? undefined : decodeCursor("achievements", urlParams.cursor, (p) => /^\d{1,18}$/.test(p))
          if (urlParams.cursor !== undefined && after === undefined) {
            return yield* Problems.fail("BadRequest", {
              code: "WSEC0001",
              title: ResponseCode.catalogue.WSEC0001.title,
              detail: "cursor: not a cursor of this list; pass the nextCursor of the previous page.",
              errors: [new Problem.FieldError({ field: "cursor", message: "not a cursor of this list" })]
            })
          }
          return yield* transaction(Effect.gen(function*() {
            const empty = AchievementsApi.AchievementPage.make({ achievements: [], nextCursor: null })
            // a linked ULN finds the master's achievements, where they are stored
            let uln: string | undefined = undefined
            if (urlParams.uln !== undefined) {
              const resolved = yield* learners.resolve(urlParams.uln)
              if (Option.isNone(resolved)) return empty
              uln = resolved.value.learner.uln
            }
            const page = yield* achievements.list(ao, {
              uln,
              subjectCode: urlParams.subjectCode,
              status: urlParams.status,
              lifecycle: urlParams.lifecycle,
              after,
              limit: urlParams.limit ?? AchievementsApi.DefaultLimit
            })
            return AchievementsApi.AchievementPage.make({
              achievements: page.achievements,
              nextCursor: page.next === undefined ? null : encodeCursor("achievements", page.next)
            })
          }))
        }))
  }))
