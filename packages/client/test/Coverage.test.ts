/**
 * "Typed access to every operation" stays true: this file fails the type check (`pnpm check`,
 * `tsc -b packages/client`) when an operation of `LearnerRecordsApi` has no Effect method or no
 * Promise method, or when a group takes a name the clients use for themselves; and it checks the
 * same at run time.
 */
import { FetchHttpClient, HttpApi, type HttpApiEndpoint, type HttpApiGroup } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { LearnerRecordsApi } from "@learner-records/api"
import type { Uln } from "@learner-records/core"
import { Effect } from "effect"
import {
  createClient,
  type Groups,
  LearnerRecordsClient,
  type LrsClient,
  type PromiseSessionMethods,
  type ReservedName,
  type Service
} from "../src/index.js"

// ---- type level --------------------------------------------------------------------------

/** Every operation of the api, from its type: `{ group, endpoint, topLevel }`. */
type OperationOf<G> = G extends HttpApiGroup.HttpApiGroup<infer Id, infer Endpoints, infer _E, infer _R, infer TopLevel>
  ? Endpoints extends unknown ? {
      readonly group: Id
      readonly endpoint: HttpApiEndpoint.HttpApiEndpoint.Name<Endpoints>
      readonly topLevel: TopLevel
    }
  : never
  : never

type ApiOperation = OperationOf<Groups>

type NameOf<Op> = Op extends { readonly group: infer G extends string; readonly endpoint: infer E extends string } ? `${G}.${E}`
  : never

/** The member of a client for an operation (`never` when there is none). */
type MemberAt<C, Op> = Op extends { readonly topLevel: true; readonly endpoint: infer E extends string } ? E extends keyof C ? C[E] : never
  : Op extends { readonly group: infer G extends string; readonly endpoint: infer E extends string }
    ? G extends keyof C ? E extends keyof C[G] ? C[G][E] : never : never
  : never

type IsEffectMethod<F> = [F] extends [never] ? false
  : F extends (...args: never) => Effect.Effect<unknown, unknown, never> ? true
  : false

type IsPromiseMethod<F> = [F] extends [never] ? false
  : F extends (...args: never) => Promise<unknown> ? true
  : false

type MissingEffect = ApiOperation extends infer Op ? Op extends ApiOperation ? IsEffectMethod<MemberAt<Service, Op>> extends true ? never
    : NameOf<Op>
  : never
  : never

type MissingPromise = ApiOperation extends infer Op ? Op extends ApiOperation ? IsPromiseMethod<MemberAt<LrsClient, Op>> extends true ? never
    : NameOf<Op>
  : never
  : never

type Collisions = Extract<HttpApiGroup.HttpApiGroup.Name<Groups>, ReservedName | keyof PromiseSessionMethods>

/** Operations that must be found, so that the checks below cannot pass by finding nothing. */
type Known = "learners.findByUln" | "learners.update" | "auth.login" | "session.me" | "users.create" | "service.status"

export const everyOperationHasAnEffectMethod: [MissingEffect] extends [never] ? true
  : { readonly "operations without an Effect method": MissingEffect } = true

export const everyOperationHasAPromiseMethod: [MissingPromise] extends [never] ? true
  : { readonly "operations without a Promise method": MissingPromise } = true

export const noGroupTakesAClientName: [Collisions] extends [never] ? true
  : { readonly "groups named like a client member": Collisions } = true

export const theOperationsAreFound: [Exclude<Known, NameOf<ApiOperation>>] extends [never] ? true
  : { readonly "operations not derived from the api type": Exclude<Known, NameOf<ApiOperation>> } = true

/**
 * Request fields the server defaults (`view`, `limit`, `olass`) may be left out in both clients:
 * this function only has to type-check; it is never called.
 */
export const defaultedFieldsAreOptional = (lrs: Service, client: LrsClient, uln: Uln.Uln): ReadonlyArray<unknown> => [
  lrs.plr.get({ payload: { uln, givenName: "Ada", familyName: "Lovelace" } }),
  lrs.plr.accessLog({ path: { uln }, urlParams: {} }),
  lrs.achievements.list({ urlParams: {} }),
  lrs.admin.listQualifications({ urlParams: {} }),
  lrs.admin.createOrganisation({ payload: { name: "An AO", kinds: ["AO"] } }),
  client.plr.get({ uln, givenName: "Ada", familyName: "Lovelace" }),
  client.plr.accessLog({ path: { uln } }),
  client.achievements.list({}),
  client.admin.listQualifications({}),
  client.admin.createOrganisation({ name: "An AO", kinds: ["AO"] })
]

// ---- run time ----------------------------------------------------------------------------

const operations = (): Array<{ readonly group: string; readonly endpoint: string; readonly topLevel: boolean }> => {
  const out: Array<{ readonly group: string; readonly endpoint: string; readonly topLevel: boolean }> = []
  HttpApi.reflect(LearnerRecordsApi.LearnerRecordsApi, {
    onGroup() {},
    onEndpoint: ({ endpoint, group }) => out.push({ group: group.identifier, endpoint: endpoint.name, topLevel: group.topLevel })
  })
  return out
}

const memberAt = (client: unknown, op: { readonly group: string; readonly endpoint: string; readonly topLevel: boolean }): unknown => {
  const holder: unknown = op.topLevel ? client : (client as Record<string, unknown>)[op.group]
  return typeof holder === "object" && holder !== null ? (holder as Record<string, unknown>)[op.endpoint] : undefined
}

describe("coverage", () => {
  it.effect("every operation of the api has an Effect method and a Promise method", () =>
    Effect.gen(function*() {
      const service = yield* LearnerRecordsClient.make({ baseUrl: "http://localhost" }).pipe(Effect.provide(FetchHttpClient.layer))
      const promise = createClient({ baseUrl: "http://localhost" })
      const all = operations()
      expect(all.length).toBeGreaterThanOrEqual(20)
      const missing = all
        .filter((op) => typeof memberAt(service, op) !== "function" || typeof memberAt(promise, op) !== "function")
        .map((op) => `${op.group}.${op.endpoint}`)
      expect(missing).toEqual([])
    }))
})
