/**
 * Organisations (CONTRACT §4.7): learner registration bodies, awarding organisations and the LRS
 * itself, managed by the LRS admin. A UKPRN belongs to one organisation at most.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { Access, QualificationRegister } from "@learner-records/core"
import { Effect, Option } from "effect"
import { textArray } from "./internal/sql.js"

/**
 * An organisation as read.
 *
 * @since 0.1.0
 * @category models
 */
export interface OrganisationRow {
  readonly id: string
  readonly name: string
  readonly ukprn: string | null
  readonly kinds: ReadonlyArray<string>
  readonly olass: boolean
  readonly createdAt: Date | string
}

/**
 * What the LRS admin sets on an organisation.
 *
 * @since 0.1.0
 * @category models
 */
export interface OrganisationInput {
  readonly name: string
  readonly ukprn?: string | undefined
  readonly kinds: ReadonlyArray<string>
  readonly olass: boolean
}

/**
 * Why an organisation could not be saved: another organisation has the UKPRN; the organisation's
 * own UKPRN cannot change because achievements or the qualification register carry it; its users
 * or keys hold roles it could no longer have; or it would stop being an awarding organisation
 * while the register names it (`NamedOnRegister`, core's `QualificationRegister.kindsChangeProblem`).
 *
 * @since 0.1.0
 * @category models
 */
export type SaveRefusal =
  | CreateRefusal
  | { readonly _tag: "UkprnInUse"; readonly achievements: number }
  | { readonly _tag: "RolesInUse"; readonly holders: ReadonlyArray<RoleInUse> }
  | { readonly _tag: "NamedOnRegister"; readonly named: QualificationRegister.NamedSubjects; readonly problem: string }
  | { readonly _tag: "UkprnOnRegister"; readonly named: QualificationRegister.NamedSubjects }

/**
 * Why an organisation could not be created: another organisation has the UKPRN, or its kinds and
 * OLASS flag break core's `Access.organisationProblems`.
 *
 * @since 0.1.2
 * @category models
 */
export type CreateRefusal =
  | { readonly _tag: "UkprnTaken" }
  | { readonly _tag: "NotAllowed"; readonly problems: ReadonlyArray<Access.OrganisationProblem> }

/**
 * A user or API key of the organisation holding a role it could no longer have.
 *
 * @since 0.1.2
 * @category models
 */
export interface RoleInUse {
  readonly holder: Access.Holder
  readonly name: string
  readonly role: Access.Role
  readonly message: string
}

const profileOf = (input: { readonly kinds: ReadonlyArray<string>; readonly olass: boolean }): Access.OrganisationProfile => ({
  kinds: input.kinds as ReadonlyArray<Access.OrganisationKind>,
  olass: input.olass
})

// subjects named in a refusal; the rest are counted
const NAMED_SHOWN = 5

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/**
 * `true` when `id` could be an organisation id (a UUID); anything else is simply not found, rather
 * than a database error on the cast.
 *
 * @since 0.1.0
 * @category predicates
 */
export const isOrganisationId = (id: string): boolean => UUID.test(id)

/**
 * The organisations repository.
 *
 * @since 0.1.0
 * @category services
 */
export class Organisations extends Effect.Service<Organisations>()("@learner-records/server/Organisations", {
  effect: Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient

    const columns = sql`id::text AS id, name, ukprn, kinds, olass, created_at`

    /** Every organisation, by name. */
    const list = Effect.fn("Organisations.list")(function*() {
      return yield* sql<OrganisationRow>`SELECT ${columns} FROM organisations ORDER BY lower(name), id`
    })

    /** One organisation; none for an unknown (or malformed) id. */
    const get = Effect.fn("Organisations.get")(function*(id: string, options: { readonly forUpdate?: boolean } = {}) {
      if (!isOrganisationId(id)) return Option.none<OrganisationRow>()
      const rows = yield* sql<OrganisationRow>`SELECT ${columns} FROM organisations WHERE id = ${id}::uuid
        ${options.forUpdate === true ? sql`FOR UPDATE` : sql``}`
      return Option.fromNullable(rows[0])
    })

    const ukprnTaken = (ukprn: string | undefined, except: string | null) =>
      ukprn === undefined ? Effect.succeed(false) : Effect.map(
        sql<{ readonly id: string }>`SELECT id::text AS id FROM organisations
          WHERE ukprn = ${ukprn} ${except === null ? sql`` : sql`AND id <> ${except}::uuid`}`,
        (rows) => rows.length > 0
      )

    /**
     * The kinds of the organisation of each of `ukprns` that one has (a UKPRN no organisation has
     * is left out). The rows are locked `FOR SHARE` until the transaction ends, so a concurrent
     * update cannot take AO away from one between this check and the write it guards.
     */
    const kindsByUkprn = Effect.fn("Organisations.kindsByUkprn")(function*(ukprns: ReadonlyArray<string>) {
      const kinds = new Map<string, ReadonlyArray<Access.OrganisationKind>>()
      if (ukprns.length === 0) return kinds
      const rows = yield* sql<{ readonly ukprn: string; readonly kinds: ReadonlyArray<Access.OrganisationKind> }>`
        SELECT ukprn, kinds FROM organisations WHERE ukprn = ANY(${textArray(ukprns)}::text[]) ORDER BY ukprn FOR SHARE`
      for (const row of rows) kinds.set(row.ukprn, row.kinds)
      return kinds
    })

    // the subjects on the register naming `ukprn` as owner or allowed: how many, and the first few
    const namedOnRegister = (ukprn: string) =>
      Effect.map(
        sql<{ readonly subjectCode: string; readonly total: number }>`
          SELECT subject_code, count(*) OVER ()::int AS total FROM qualifications
          WHERE owner_ukprn = ${ukprn} OR ${ukprn} = ANY(allowed_ukprns)
          ORDER BY subject_code LIMIT ${NAMED_SHOWN}`,
        (rows): QualificationRegister.NamedSubjects => ({ total: rows[0]?.total ?? 0, first: rows.map((r) => r.subjectCode) })
      )

    /** Creates an organisation; refused when another organisation has the UKPRN. */
    const create = Effect.fn("Organisations.create")(function*(input: OrganisationInput) {
      const problems = Access.organisationProblems(undefined, profileOf(input))
      if (problems.length > 0) return yield* Effect.fail<CreateRefusal>({ _tag: "NotAllowed", problems })
      if (yield* ukprnTaken(input.ukprn, null)) return yield* Effect.fail<CreateRefusal>({ _tag: "UkprnTaken" })
      const rows = yield* sql<OrganisationRow>`INSERT INTO organisations (name, ukprn, kinds, olass)
        VALUES (${input.name}, ${input.ukprn ?? null}, ${textArray(input.kinds)}::text[], ${input.olass})
        ON CONFLICT (ukprn) DO NOTHING
        RETURNING ${columns}`
      // a concurrent create took the UKPRN between the check and the insert
      const row = rows[0]
      if (row === undefined) return yield* Effect.fail<CreateRefusal>({ _tag: "UkprnTaken" })
      return row
    })

    /**
     * Replaces an organisation's details; none for an unknown id. Refused when another organisation
     * has the UKPRN, or when the UKPRN would change while achievements awarded under it exist (they
     * would lose their owner).
     */
    const update = Effect.fn("Organisations.update")(function*(id: string, input: OrganisationInput) {
      const current = yield* get(id, { forUpdate: true })
      if (Option.isNone(current)) return Option.none<OrganisationRow>()
      const problems = Access.organisationProblems(profileOf(current.value), profileOf(input))
      if (problems.length > 0) return yield* Effect.fail<SaveRefusal>({ _tag: "NotAllowed", problems })
      // the roles its users and keys hold must still be ones it may have (a prison education
      // team that stops being OLASS would keep LearnerPlanUsers it can no longer grant)
      const sameKinds = current.value.olass === input.olass && current.value.kinds.length === input.kinds.length &&
        current.value.kinds.every((k) => input.kinds.includes(k))
      const holders = sameKinds ? [] : yield* sql<{ readonly holder: Access.Holder; readonly name: string; readonly roles: ReadonlyArray<Access.Role> }>`
        SELECT 'user' AS holder, username AS name, roles FROM users WHERE organisation_id = ${id}::uuid AND status <> 'revoked'
        UNION ALL
        SELECT 'apiKey' AS holder, name, roles FROM api_keys WHERE organisation_id = ${id}::uuid AND revoked_at IS NULL
        ORDER BY holder DESC, name`
      const inUse = holders.flatMap((h) =>
        Access.roleProblems(h.roles, profileOf(input), h.holder).map((p) => ({ holder: h.holder, name: h.name, role: p.role, message: p.message }))
      )
      if (inUse.length > 0) return yield* Effect.fail<SaveRefusal>({ _tag: "RolesInUse", holders: inUse })
      const ukprn = input.ukprn ?? null
      const before = current.value.ukprn
      // the register names awarding organisations only: one it names stays an AO (checked when
      // the kinds change, so an organisation named before the rule can still be renamed)
      if (!sameKinds && before !== null && !QualificationRegister.mayHoldSubjects(profileOf(input).kinds)) {
        const named = yield* namedOnRegister(before)
        const problem = QualificationRegister.kindsChangeProblem(named, profileOf(input).kinds)
        if (problem !== undefined) return yield* Effect.fail<SaveRefusal>({ _tag: "NamedOnRegister", named, problem })
      }
      if (yield* ukprnTaken(input.ukprn, id)) return yield* Effect.fail<SaveRefusal>({ _tag: "UkprnTaken" })
      if (before !== null && before !== ukprn) {
        const used = yield* sql<{ readonly n: number }>`SELECT count(*)::int AS n FROM achievements WHERE awarding_organisation = ${before}`
        const achievements = used[0]?.n ?? 0
        if (achievements > 0) return yield* Effect.fail<SaveRefusal>({ _tag: "UkprnInUse", achievements })
        // subjects naming the old UKPRN would name no organisation
        const named = yield* namedOnRegister(before)
        if (named.total > 0) return yield* Effect.fail<SaveRefusal>({ _tag: "UkprnOnRegister", named })
      }
      const rows = yield* sql<OrganisationRow>`UPDATE organisations
        SET name = ${input.name}, ukprn = ${ukprn}, kinds = ${textArray(input.kinds)}::text[], olass = ${input.olass},
          updated_at = now()
        WHERE id = ${id}::uuid
        RETURNING ${columns}`
      return Option.fromNullable(rows[0])
    })

    return { list, get, create, update, kindsByUkprn } as const
  })
}) {}
