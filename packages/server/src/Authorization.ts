/**
 * The function check of every operation: the caller's roles and organisation kinds against core's
 * `Access.permissions`. Object-level checks (whose record) are the repositories' business and
 * answer 404.
 *
 * @since 0.1.0
 */
import { type Problem, Security } from "@learner-records/api"
import { Access } from "@learner-records/core"
import { Effect } from "effect"
import * as Problems from "./http/Problems.js"

/**
 * The current caller when they may call `operation`, else 403 WSEC0006.
 *
 * @since 0.1.0
 * @category authorization
 */
export const authorize = (operation: Access.Operation): Effect.Effect<Security.Caller, Problem.Forbidden, Security.CurrentCaller> =>
  Effect.flatMap(Security.CurrentCaller, (caller) =>
    Access.mayCall(operation, caller)
      ? Effect.succeed(caller)
      : Problems.fail("Forbidden", {
        code: "WSEC0006",
        title: "Insufficient access",
        detail: `${operation} needs one of the roles ${Access.permissions[operation].roles.join(", ")} in an organisation that is ${Access.permissions[operation].organisation.join(" or ")}.`
      }))

/**
 * A 404 problem for an object that does not exist or belongs to another organisation: the two are
 * answered the same, so a caller learns nothing about other organisations' objects.
 *
 * @since 0.1.0
 * @category authorization
 */
export const notFound = (what: string, code: string = "SVC004"): Effect.Effect<never, Problem.NotFound> =>
  Problems.fail("NotFound", { code, title: "Not found", detail: `${what} does not exist, or is not yours.` })
