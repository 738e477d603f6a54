/**
 * Handlers of the `plr` group (CONTRACT §4.5): a learner's Personal Learning Record, and the log of
 * who read it.
 *
 * `get` answers like the LRS's GetLearnerLearningEvents: the ULN must exist (else 404 WSRC0001);
 * the details must verify against it with core's `Verification.verify` (WSVRC001–004; otherwise
 * 200 WSEC0208 with neither learner nor events); the learner must agree to share (core
 * `Learner.agreesToShare`: only ability to share 1; otherwise 200 WSEC0206 with the learner and no
 * events); then WSRC0004, or WSRC0022 when the ULN is linked and the master's record is returned.
 * Learning events are the active achievements held against the (master) ULN, with their history (the
 * awarding organisations' reasons left out: core `Achievement.asLearningEvent`) in
 * the FULL view and without it in the BRIEF view. Every answer that returns a learner is written to
 * the access log in the same transaction.
 *
 * `accessLog` lists a learner's reads newest first in pages with a cursor (as `achievements.list`
 * does); a period whose `from` is after its `to` is refused (400 WSEC0001 naming both) rather than
 * answered with an empty page.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { AchievementsApi, LearnerRecordsApi as Contract, PlrApi, Problem, type Security } from "@learner-records/api"
import { Access, Achievement, Learner, ResponseCode, Uln, Verification } from "@learner-records/core"
import { Effect, type Layer, Option } from "effect"
import { AccessLog } from "../AccessLog.js"
import { Achievements } from "../Achievements.js"
import { authorize } from "../Authorization.js"
import * as Problems from "../http/Problems.js"
import { decodeCursor, encodeCursor } from "../internal/cursor.js"
import { orDieSql } from "../internal/sql.js"
import { heldOf, Learners } from "../Learners.js"

const unknownUln = (uln: string) =>
  Problems.fail("NotFound", { code: "WSRC0001", title: ResponseCode.catalogue.WSRC0001.title, detail: `No learner has ULN ${uln}.` })

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString()

const badRequest = (detail: string, errors: ReadonlyArray<Problem.FieldError>) =>
  Problems.fail("BadRequest", { code: "WSEC0001", title: ResponseCode.catalogue.WSEC0001.title, detail, errors })

/** The access log's query parameters beyond their own formats: a period that ends before it starts, a cursor of another list. */
const checkAccessLogParams = (params: typeof PlrApi.AccessLogParams.Type) =>
  Effect.gen(function*() {
    const { from, to, cursor } = params
    // ISO dates compare as text
    if (from !== undefined && to !== undefined && from > to) {
      return yield* badRequest(`from ${from} is after to ${to}: the period runs from \`from\` to \`to\`, both included, so from must not be after to.`, [
        new Problem.FieldError({ field: "from", message: `${from} is after to (${to})` }),
        new Problem.FieldError({ field: "to", message: `${to} is before from (${from})` })
      ])
    }
    if (cursor === undefined) return undefined
    const after = decodeCursor("access-log", cursor, (p) => /^\d{1,18}$/.test(p))
    if (after === undefined) {
      return yield* badRequest("cursor: not a cursor of this list; pass the nextCursor of the previous page.", [
        new Problem.FieldError({ field: "cursor", message: "not a cursor of this list" })
      ])
    }
    return after
  })

/**
 * Handlers of the `plr` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"learner-records", "plr">,
  never,
  Security.Authentication | Security.Authorization | SqlClient.SqlClient | Achievements | Learners | AccessLog
> = HttpApiBuilder.group(Contract.LearnerRecordsApi, "plr", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    const achievements = yield* Achievements
    const learners = yield* Learners
    const accessLog = yield* AccessLog
    const transaction = <A, E, R>(self: Effect.Effect<A, E, R>) => orDieSql(sql.withTransaction(self))

    return handlers
      .handle("get", ({ payload }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("plr.get")
          return yield* transaction(Effect.gen(function*() {
            const resolved = yield* learners.resolve(payload.uln)
            if (Option.isNone(resolved)) return yield* unknownUln(payload.uln)
            const { learner, linked } = resolved.value
            const outcome = Verification.verify(payload, heldOf(learner), { linked })
            if (outcome.responseCode === "WSVRC005" || outcome.responseCode === "WSVRC006") {
              return PlrApi.PlrResponse.make({ responseCode: "WSEC0208", incomingUln: payload.uln, foundUln: null, learner: null, learningEvents: [] })
            }
            yield* accessLog.record(caller, "plr.get", [learner.uln])
            if (!Learner.agreesToShare(learner.abilityToShare)) {
              return PlrApi.PlrResponse.make({ responseCode: "WSEC0206", incomingUln: payload.uln, foundUln: learner.uln, learner, learningEvents: [] })
            }
            const full = (payload.view ?? "FULL") === "FULL"
            const learningEvents = (yield* achievements.onRecord(learner.uln, full)).map((event) => Achievement.asLearningEvent(event, full))
            return PlrApi.PlrResponse.make({
              responseCode: linked ? "WSRC0022" : "WSRC0004",
              incomingUln: payload.uln,
              foundUln: learner.uln,
              learner,
              learningEvents
            })
          }))
        }))
      .handle("accessLog", ({ path, urlParams }) =>
        Effect.gen(function*() {
          const caller = yield* authorize("plr.accessLog")
          const after = yield* checkAccessLogParams(urlParams)
          return yield* transaction(Effect.gen(function*() {
            const resolved = yield* learners.resolve(path.uln)
            if (Option.isNone(resolved)) return yield* unknownUln(path.uln)
            // reads are logged against the learner answering for the ULN (the master when linked)
            const page = yield* accessLog.list(resolved.value.learner.uln, {
              organisationId: Access.managesAllOrganisations(caller) ? undefined : caller.organisationId,
              from: urlParams.from,
              to: urlParams.to,
              after,
              limit: urlParams.limit ?? AchievementsApi.DefaultLimit
            })
            return PlrApi.AccessLogPage.make({
              entries: page.entries.map((row) => PlrApi.AccessLogEntry.make({ ...row, uln: Uln.Uln.make(row.uln), at: iso(row.at) })),
              nextCursor: page.next === undefined ? null : encodeCursor("access-log", page.next)
            })
          }))
        }))
  }))
