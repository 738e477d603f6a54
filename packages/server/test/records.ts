/**
 * Test helpers for achievements and PLRs: learners inserted through the `Learners` repository (so
 * their blocking-key columns are core's `Blocking.blockingKeys`), merges by SQL, fresh subject
 * codes, and register entries put by the LRS admin.
 *
 * @since 0.1.0
 */
import * as SqlClient from "@effect/sql/SqlClient"
import { expect } from "@effect/vitest"
import { Blocking, Learner, QualificationNumber } from "@learner-records/core"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { keyColumns } from "../src/internal/blockingColumns.js"
import { columnsOf, Learners } from "../src/Learners.js"
import { call } from "./http.js"

let counter = 0

const alphabet = "abcdefghijklmnopqrstuvwxyz"

/**
 * `n` random lowercase letters (for names that resemble no other).
 *
 * @since 0.1.0
 */
export const word = (n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(Math.random() * 26)]).join("")

const pad = (n: number): string => String(n).padStart(2, "0")

/**
 * A registration request for a person nobody else in the suite resembles: random given and family
 * names and a random date of birth. Every such person shares the postcode, the gender and the
 * initials' key, so a shared given name would let two of them score as possible matches.
 *
 * @since 0.1.0
 */
export const person = (over: Record<string, unknown> = {}) => ({
  givenName: `Ad${word(6)}`,
  familyName: `Zq${word(7)}`,
  lastKnownPostCode: "CV4 7AL",
  dateOfBirth: `${1970 + Math.floor(Math.random() * 35)}-${pad(1 + Math.floor(Math.random() * 12))}-${pad(1 + Math.floor(Math.random() * 28))}`,
  gender: 2,
  abilityToShare: 1,
  verificationType: 2,
  ...over
})

/**
 * A name no other test uses (letters only, as names are matched phonetically).
 *
 * @since 0.1.0
 */
export const freshName = (): string => {
  let n = Date.now() * 100 + (counter++ % 100)
  let out = ""
  while (n > 0) {
    out += String.fromCharCode(97 + (n % 26))
    n = Math.floor(n / 26)
  }
  return `Zed${out}`
}

/**
 * Learner details for tests: a fresh given and family name, born 2001-02-03, male, agrees to share.
 *
 * @since 0.1.0
 */
export const learnerDetails = (overrides: Record<string, unknown> = {}) => ({
  givenName: freshName(),
  familyName: freshName(),
  dateOfBirth: "2001-02-03",
  gender: 1,
  lastKnownPostCode: "CV4 9EE",
  abilityToShare: 1,
  verificationType: 1,
  ...overrides
})

/**
 * Inserts a learner directly through the repository; returns it.
 *
 * @since 0.1.0
 */
export const insertLearner = (overrides: Record<string, unknown> = {}) =>
  Effect.gen(function*() {
    const learners = yield* Learners
    return yield* learners.insert(Schema.decodeUnknownSync(Learner.LearnerDetails)(learnerDetails(overrides)), null)
  }).pipe(Effect.provide(Learners.Default), Effect.orDie)

/**
 * Merges `linked` into `master` (as a merge would): `linked` answers with the master from now on.
 *
 * @since 0.1.0
 */
export const link = (linked: string, master: string) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    yield* sql`UPDATE learners SET master_uln = ${master} WHERE uln = ${linked}`
  }).pipe(Effect.orDie)

/**
 * A fresh QAN with the right check character.
 *
 * @since 0.1.0
 */
export const freshQan = (): string => {
  for (;;) {
    const digits = String(Math.floor(Math.random() * 1e7)).padStart(7, "0")
    const check = QualificationNumber.checkCharacter(digits)
    if (check !== undefined) return `${digits.slice(0, 3)}/${digits.slice(3)}/${check}`
  }
}

/**
 * A fresh unit reference.
 *
 * @since 0.1.0
 */
export const freshUnit = (): string => `K/${String(Math.floor(Math.random() * 1e7)).padStart(7, "0").replace(/^(\d{3})(\d{4})$/, "$1/$2")}`

/**
 * A register entry as the admin API takes it.
 *
 * @since 0.1.0
 */
export interface SubjectBody {
  readonly subjectCode: string
  readonly title: string
  readonly level: string
  readonly qualificationType: string
  readonly owner: string
  readonly availability: { readonly _tag: "Private" | "Shared" } | { readonly _tag: "Restricted"; readonly allowed: ReadonlyArray<string> }
  readonly operationalStartDate?: string
}

/**
 * A register entry owned by `owner` (private unless said otherwise).
 *
 * @since 0.1.0
 */
export const subject = (owner: string, overrides: Partial<SubjectBody> = {}): SubjectBody => ({
  subjectCode: freshQan(),
  title: "Certificate in Testing",
  level: "Level 2",
  qualificationType: "Vocational",
  owner,
  availability: { _tag: "Private" },
  ...overrides
})

/**
 * Puts a subject on the register as the LRS admin (fails the test unless 200).
 *
 * @since 0.1.0
 */
export const putSubject = (adminToken: string, body: SubjectBody) =>
  Effect.gen(function*() {
    const r = yield* call("PUT", `/api/v1/admin/qualifications/${encodeURIComponent(body.subjectCode)}`, { token: adminToken, body })
    expect(r.status, r.text).toBe(200)
    return body
  })

/**
 * The blocking keys stored in a learner row (columns camel-cased by the client: `key_year_names`
 * is `keyYearNames`), as core's `BlockingKeys`; `NULL` is `undefined`.
 *
 * @since 0.1.0
 */
export const storedKeys = (row: object): Record<string, unknown> => {
  const fields = new Map<string, unknown>(Object.entries(row))
  const out: Record<string, unknown> = {}
  for (const name of Blocking.keyNames) {
    const value = fields.get(`key${name.charAt(0).toUpperCase()}${name.slice(1)}`)
    out[name] = value === null ? undefined : value
  }
  return out
}

/**
 * The `learners` row the repository writes for these details, blocking keys included: for tests
 * that store a learner by SQL under an older schema, before the migration they test.
 *
 * @since 0.1.0
 */
export const learnerRow = (uln: string, details: Learner.LearnerDetails, masterUln: string | null = null) => {
  const { keys, ...columns } = columnsOf(details)
  return { uln, masterUln, ...columns, ...Object.fromEntries(keyColumns.map((column, i) => [column, keys[i]])) }
}
