/**
 * Handlers of the `plr` group (CONTRACT §4.5): a learner's Personal Learning Record, and the log of
 * who read it.
 *
 * `get` answers like the LRS's GetLearnerLearningEvents: the ULN must exist (else 404 WSRC0001);
 * the details must verify against it with core's `Verification.verify` (WSVRC001–004; otherwise
 * 200 WSEC0208 with neither learner nor events); the learner must agree to share (core
 * `Learner.agreesToShare`: only ability to share 1; otherwise 200 WSEC0206 with the learner and no
 * events); then WSRC0004, or WSRC0022 when the ULN is linked and the master's record is returned.
 * Learning events are the active achievements held against the (master) ULN, with their history in
 * the FULL view and without it in the BRIEF view. Every answer that returns a learner is written to
 * the access log in the same transaction.
 *
 * @since 0.1.0
 */
import { HttpApiBuilder, type HttpApiGroup } from "@effect/platform"
import * as SqlClient from "@effect/sql/SqlClient"
import { AchievementsApi, LearnerRecordsApi as Contract, PlrApi, type Security } from "@learner-records/api"
import { Access, Learner, ResponseCode, Uln, Verification } from "@learner-records/core"
import { Effect, type Layer, Option } from "effect"
import { AccessLog } from "../AccessLog.js"
import { Achievements } from "../Achievements.js"
import { authorize } from "../Authorization.js"
import * as Problems from "../http/Problems.js"
import { orDieSql } from "../internal/sql.js"
import { heldOf, Learners } from "../Learners.js"

const unknownUln = (uln: string) =>
  Problems.fail("NotFound", { code: "WSRC0001", title: ResponseCode.catalogue.WSRC0001.title, detail: `No learner has ULN ${uln}.` })

const iso = (value: Date | string): string => (value instanceof Date ? value : new Date(value)).toISOString()

/**
 * Handlers of the `plr` group.
 *
 * @since 0.1.0
 * @category layers
 */
export const layer: Layer.Layer<
  HttpApiGroup.ApiGroup<"learner-records", "plr">,
  never,
  Security.Authentication | SqlClient.SqlClient | Achievements | Learners | AccessLog
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
            const learningEvents = yield* achievements.onRecord(learner.uln, (payload.view ?? "FULL") === "FULL")
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
          return yield* transaction(Effect.gen(function*() {
            const resolved = yield* learners.resolve(path.uln)
            if (Option.isNone(resolved)) return yield* unknownUln(path.uln)
            // reads are logged against the learner answering for the ULN (the master when linked)
            const rows = yield* accessLog.list(resolved.value.learner.uln, {
              organisationId: Access.managesAllOrganisations(caller) ? undefined : caller.organisationId,
              from: urlParams.from,
              to: urlParams.to,
              limit: urlParams.limit ?? AchievementsApi.DefaultLimit
            })
            return rows.map((row) => PlrApi.AccessLogEntry.make({ ...row, uln: Uln.Uln.make(row.uln), at: iso(row.at) }))
          }))
        }))
  }))
