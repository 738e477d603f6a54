import { describe, expect, it } from "@effect/vitest"
import { Either, Option, Schema } from "effect"
import * as fc from "fast-check"
import { Achievement, AchievementLifecycle, AchievementPolicy, QualificationRegister, ResponseCode } from "../src/index.js"

type Achievement = Achievement.Achievement
type Details = Achievement.AchievementDetails
type Subject = QualificationRegister.RegisteredSubject
type Command = AchievementLifecycle.Command

const A = "10000001"
const B = "10000002"
const C = "10000003"
const TODAY = "2024-06-30"

type SubjectInput = typeof QualificationRegister.RegisteredSubject.Encoded
const subject = (code: string, owner: string, availability: SubjectInput["availability"], extra: Partial<SubjectInput> = {}): Subject =>
  Schema.decodeUnknownSync(QualificationRegister.RegisteredSubject)({
    subjectCode: code,
    title: `Subject ${code}`,
    level: "Level 2",
    qualificationType: "Certificate",
    owner,
    availability,
    ...extra
  })

const SHARED = subject("601/2977/3", C, { _tag: "Shared" })
const PRIVATE_A = subject("600/1166/X", A, { _tag: "Private" })
const PRIVATE_B = subject("100/2508/X", B, { _tag: "Private" })
const RESTRICTED_AB = subject("K/501/5773", C, { _tag: "Restricted", allowed: [A, B] })
const RESTRICTED_C = subject("J/601/1234", B, { _tag: "Restricted", allowed: [C] })
const LATE = subject("603/0001/1", A, { _tag: "Shared" }, { operationalStartDate: "2020-09-01" })
const register = new Map([SHARED, PRIVATE_A, PRIVATE_B, RESTRICTED_AB, RESTRICTED_C, LATE].map((s) => [s.subjectCode as string, s]))

const details = (overrides: Record<string, unknown> = {}): Details =>
  Schema.decodeUnknownSync(Achievement.AchievementDetails)({
    uln: "1000000043",
    subjectCode: SHARED.subjectCode,
    awardDate: "2023-08-24",
    grade: "Pass",
    status: "Final",
    ...overrides
  })

const ctx = (caller: string, subjectCode: string | undefined, extra: Partial<AchievementLifecycle.Context> = {}): AchievementLifecycle.Context => ({
  caller,
  subject: subjectCode === undefined ? undefined : register.get(subjectCode),
  today: TODAY,
  at: "2024-06-30T12:00:00Z",
  ...extra
})

const decide = (current: Achievement | undefined, command: Command, caller: string, extra: Partial<AchievementLifecycle.Context> = {}) => {
  const code = command._tag === "Create" || command._tag === "Update"
    ? command.details.subjectCode
    : command._tag === "ResolveDataChallenge" && command.amendment !== undefined
    ? command.amendment.subjectCode
    : current?.subjectCode
  return AchievementLifecycle.decide(Option.fromNullable(current), command, ctx(caller, code, extra))
}

const ok = (r: Either.Either<AchievementLifecycle.Transition, AchievementLifecycle.AchievementError>) => {
  if (Either.isLeft(r)) throw new Error(`expected success, got ${r.left._tag}: ${r.left.message}`)
  return r.right
}
const outcome = (r: Either.Either<AchievementLifecycle.Transition, AchievementLifecycle.AchievementError>): string =>
  Either.isRight(r) ? r.right.code : r.left._tag

const create = (d: Details = details(), id = "ach-1"): Command => ({ _tag: "Create", id, details: d })
const active = (caller = A, d: Details = details()) => ok(decide(undefined, create(d), caller)).achievement
const withdrawn = () => ok(decide(active(), { _tag: "Withdraw", reason: "issued in error" }, A)).achievement
const challenged = () => ok(decide(active(), { _tag: "RaiseDataChallenge" }, B)).achievement

describe("AchievementLifecycle.decide: the transition table, every state × command × caller", () => {
  const changed = details({ grade: "Merit", status: "Provisional" })
  const commands: Record<string, Command> = {
    "Create (same details)": create(),
    "Create (other details)": create(changed, "ach-2"),
    "Update (changed)": { _tag: "Update", details: changed },
    "Update (same details)": { _tag: "Update", details: details() },
    Withdraw: { _tag: "Withdraw", reason: "issued in error" },
    Reinstate: { _tag: "Reinstate" },
    RaiseDataChallenge: { _tag: "RaiseDataChallenge", reason: "grade is wrong" },
    "ResolveDataChallenge (rejected)": { _tag: "ResolveDataChallenge", outcome: "Rejected", note: "grade checked" },
    "ResolveDataChallenge (amended)": { _tag: "ResolveDataChallenge", outcome: "Amended", amendment: changed }
  }
  const states: Record<string, () => Achievement | undefined> = { none: () => undefined, active, challenged, withdrawn }
  // [owner A, other AO B] for each state; ACH00x is success, anything else is the error's tag
  const table: Record<string, Record<string, readonly [string, string]>> = {
    none: {
      "Create (same details)": ["ACH001", "ACH001"],
      "Create (other details)": ["ACH001", "ACH001"],
      "Update (changed)": ["AchievementNotFound", "AchievementNotFound"],
      "Update (same details)": ["AchievementNotFound", "AchievementNotFound"],
      Withdraw: ["AchievementNotFound", "AchievementNotFound"],
      Reinstate: ["AchievementNotFound", "AchievementNotFound"],
      RaiseDataChallenge: ["AchievementNotFound", "AchievementNotFound"],
      "ResolveDataChallenge (rejected)": ["AchievementNotFound", "AchievementNotFound"],
      "ResolveDataChallenge (amended)": ["AchievementNotFound", "AchievementNotFound"]
    },
    active: {
      "Create (same details)": ["ACH005", "AchievementAlreadyExists"],
      "Create (other details)": ["AchievementAlreadyExists", "AchievementAlreadyExists"],
      "Update (changed)": ["ACH002", "NotAchievementOwner"],
      "Update (same details)": ["ACH005", "NotAchievementOwner"],
      Withdraw: ["ACH003", "NotAchievementOwner"],
      Reinstate: ["NotWithdrawn", "NotAchievementOwner"],
      RaiseDataChallenge: ["ACH006", "ACH006"],
      "ResolveDataChallenge (rejected)": ["NoDataChallenge", "NotAchievementOwner"],
      "ResolveDataChallenge (amended)": ["NoDataChallenge", "NotAchievementOwner"]
    },
    challenged: {
      "Create (same details)": ["ACH005", "AchievementAlreadyExists"],
      "Create (other details)": ["AchievementAlreadyExists", "AchievementAlreadyExists"],
      "Update (changed)": ["UnderDataChallenge", "NotAchievementOwner"],
      "Update (same details)": ["UnderDataChallenge", "NotAchievementOwner"],
      Withdraw: ["UnderDataChallenge", "NotAchievementOwner"],
      Reinstate: ["UnderDataChallenge", "NotAchievementOwner"],
      RaiseDataChallenge: ["DataChallengeAlreadyOpen", "DataChallengeAlreadyOpen"],
      "ResolveDataChallenge (rejected)": ["ACH007", "NotAchievementOwner"],
      "ResolveDataChallenge (amended)": ["ACH007", "NotAchievementOwner"]
    },
    withdrawn: {
      "Create (same details)": ["AchievementAlreadyExists", "AchievementAlreadyExists"],
      "Create (other details)": ["AchievementAlreadyExists", "AchievementAlreadyExists"],
      "Update (changed)": ["AchievementIsWithdrawn", "NotAchievementOwner"],
      "Update (same details)": ["AchievementIsWithdrawn", "NotAchievementOwner"],
      Withdraw: ["AlreadyWithdrawn", "NotAchievementOwner"],
      Reinstate: ["ACH004", "NotAchievementOwner"],
      RaiseDataChallenge: ["AchievementIsWithdrawn", "AchievementIsWithdrawn"],
      "ResolveDataChallenge (rejected)": ["NoDataChallenge", "NotAchievementOwner"],
      "ResolveDataChallenge (amended)": ["NoDataChallenge", "NotAchievementOwner"]
    }
  }
  const cells: Array<[string, string, string, string]> = []
  for (const [state, row] of Object.entries(table)) {
    for (const [name, [owner, other]] of Object.entries(row)) {
      cells.push([state, name, "owner", owner], [state, name, "other", other])
    }
  }
  it("covers every cell", () => {
    expect(cells).toHaveLength(Object.keys(states).length * Object.keys(commands).length * 2)
  })
  it.each(cells)("%s + %s by the %s AO → %s", (state, name, who, expected) => {
    const before = states[state]!()
    const beforeJson = JSON.stringify(before)
    const result = decide(before, commands[name]!, who === "owner" ? A : B)
    expect(outcome(result)).toBe(expected)
    expect(JSON.stringify(before)).toBe(beforeJson) // decide never mutates
    if (Either.isRight(result)) {
      const { achievement, code, entry } = result.right
      const grew = achievement.history.length - (before?.history.length ?? 0)
      expect(grew).toBe(code === "ACH005" ? 0 : 1)
      expect(Option.isSome(entry)).toBe(grew === 1)
      expect(achievement.history.slice(0, before?.history.length ?? 0)).toEqual(before?.history ?? [])
      expect(ResponseCode.isResponseCode(code)).toBe(true)
    } else {
      expect(ResponseCode.isResponseCode(result.left.code)).toBe(true)
      expect(result.left.message.length).toBeGreaterThan(10)
    }
  })
})

describe("AchievementLifecycle.decide: what each transition does", () => {
  it("create: the caller becomes the owner; subject title, level, type come from the register; source AO or QCFU", () => {
    const t = ok(decide(undefined, create(), A))
    expect(t.code).toBe("ACH001")
    expect(t.achievement).toMatchObject({ id: "ach-1", awardingOrganisation: A, source: "AO", subject: "Subject 601/2977/3", level: "Level 2", lifecycle: "Active", underDataChallenge: false })
    expect(t.achievement.history).toEqual([Option.getOrThrow(t.entry)])
    expect(Option.getOrThrow(t.entry)).toMatchObject({ sequence: 1, action: "Created", by: A, lifecycle: "Active" })
    const unit = ok(decide(undefined, create(details({ subjectCode: "k/501/5773" })), A)).achievement
    expect(unit.source).toBe("QCFU")
    expect(Achievement.isOnPlr(t.achievement)).toBe(true)
  })
  it("withdraw takes it off the PLR and keeps it; reinstate restores the status and details it had", () => {
    const a = active(A, details({ status: "Provisional", grade: "B" }))
    const w = ok(decide(a, { _tag: "Withdraw", reason: "wrong learner" }, A))
    expect(w.achievement.lifecycle).toBe("Withdrawn")
    expect(Achievement.isOnPlr(w.achievement)).toBe(false)
    expect(Achievement.plr([a, w.achievement])).toEqual([a])
    expect(Option.getOrThrow(w.entry)).toMatchObject({ action: "Withdrawn", reason: "wrong learner", sequence: 2 })
    const r = ok(decide(w.achievement, { _tag: "Reinstate" }, A)).achievement
    expect(r.status).toBe("Provisional")
    expect(Achievement.details(r)).toEqual(Achievement.details(a))
    expect(r.history.map((h) => h.action)).toEqual(["Created", "Withdrawn", "Reinstated"])
  })
  it("a data challenge freezes the achievement until the owner resolves it; an amendment is applied", () => {
    const c = challenged()
    expect(c.underDataChallenge).toBe(true)
    expect(c.history.at(-1)).toMatchObject({ action: "DataChallengeRaised", by: B })
    const amended = ok(decide(c, { _tag: "ResolveDataChallenge", outcome: "Amended", amendment: details({ grade: "Distinction" }) }, A))
    expect(amended.achievement).toMatchObject({ grade: "Distinction", underDataChallenge: false })
    const rejected = ok(decide(c, { _tag: "ResolveDataChallenge", outcome: "Rejected" }, A)).achievement
    expect(rejected).toMatchObject({ grade: "Pass", underDataChallenge: false })
    expect(outcome(decide(rejected, { _tag: "Update", details: details({ grade: "Merit" }) }, A))).toBe("ACH002")
  })
  it("an amendment that breaks a rule is refused and the challenge stays open", () => {
    const c = challenged()
    const r = decide(c, { _tag: "ResolveDataChallenge", outcome: "Amended", amendment: details({ awardDate: "2025-01-01" }) }, A)
    expect(outcome(r)).toBe("AwardDateInFuture")
  })
  it("an update replaces the details whole: an optional detail it leaves out is cleared (ACH002), and the same update again is ACH005 with no entry", () => {
    const full = active(A, details({ credits: 10, languageForAssessment: "Welsh", centreUkprn: "10000009", aoLearnerRef: "REF1" }))
    const cleared = ok(decide(full, { _tag: "Update", details: details({ status: "Provisional" }) }, A))
    expect(cleared.code).toBe("ACH002")
    expect(Achievement.details(cleared.achievement)).toEqual(details({ status: "Provisional" }))
    for (const field of ["credits", "languageForAssessment", "centreUkprn", "aoLearnerRef"]) expect(cleared.achievement, field).not.toHaveProperty(field)
    const again = ok(decide(cleared.achievement, { _tag: "Update", details: details({ status: "Provisional" }) }, A))
    expect(again.code).toBe("ACH005")
    expect(Option.isNone(again.entry)).toBe(true)
  })

  it("property: after any update the achievement's details are exactly the update's", () => {
    const optional = fc.record({
      credits: fc.option(fc.integer({ min: 0, max: 999 }), { nil: undefined }),
      languageForAssessment: fc.option(fc.constantFrom("English", "Welsh", "Irish"), { nil: undefined }),
      centreUkprn: fc.option(fc.constantFrom("10000009", "10000010"), { nil: undefined }),
      aoLearnerRef: fc.option(fc.constantFrom("REF1", "r-2"), { nil: undefined })
    })
    const defined = (o: Record<string, unknown>) => Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined))
    fc.assert(fc.property(optional, optional, fc.constantFrom("Pass", "Merit"), (before, after, grade) => {
      const current = active(A, details(defined(before)))
      const update = details({ ...defined(after), grade })
      const t = ok(decide(current, { _tag: "Update", details: update }, A))
      expect(Achievement.details(t.achievement)).toEqual(update)
      expect(t.code).toBe(Achievement.sameDetails(Achievement.details(current), update) ? "ACH005" : "ACH002")
    }))
  })

  it("the ULN and subject code of an achievement cannot change", () => {
    const a = active()
    expect(outcome(decide(a, { _tag: "Update", details: details({ uln: "9276308686" }) }, A))).toBe("FieldCannotChange")
    const r = decide(a, { _tag: "Update", details: details({ subjectCode: RESTRICTED_AB.subjectCode }) }, A)
    expect(Either.isLeft(r) && r.left._tag === "FieldCannotChange" && r.left.field).toBe("subjectCode")
  })
})

describe("ownership: owned, shared, restricted, private", () => {
  const tryCreate = (subjectCode: string, caller: string) => outcome(decide(undefined, create(details({ subjectCode })), caller))
  it.each([
    ["its own private subject", PRIVATE_A.subjectCode, A, "ACH001"],
    ["another AO's private subject", PRIVATE_B.subjectCode, A, "SubjectNotAvailable"],
    ["a shared subject", SHARED.subjectCode, B, "ACH001"],
    ["a restricted subject whose list includes it", RESTRICTED_AB.subjectCode, B, "ACH001"],
    ["a restricted subject whose list does not include it", RESTRICTED_C.subjectCode, A, "SubjectNotAvailable"],
    ["its own restricted subject though not on the list", RESTRICTED_C.subjectCode, B, "ACH001"],
    ["a subject not on the register", "500/0000/1", A, "SubjectNotOnRegister"]
  ])("an AO awarding %s → %s", (_, code, caller, expected) => {
    expect(tryCreate(code, caller)).toBe(expected)
  })
  it("says which availability refused it", () => {
    const r = decide(undefined, create(details({ subjectCode: RESTRICTED_C.subjectCode })), A)
    expect(Either.isLeft(r) && r.left.message).toContain("restricted to a list")
    const p = decide(undefined, create(details({ subjectCode: PRIVATE_B.subjectCode })), A)
    expect(Either.isLeft(p) && p.left.code).toBe("ACH011")
    expect(Either.isLeft(p) && p.left.message).toContain("private")
  })
  it("a register entry for another subject is never grounds to award", () => {
    const r = AchievementLifecycle.decide(Option.none(), create(details({ subjectCode: PRIVATE_B.subjectCode })), ctx(A, PRIVATE_A.subjectCode))
    expect(outcome(r)).toBe("SubjectNotOnRegister")
  })
  it("an update is checked against the register again (an AO taken off a restricted list cannot amend)", () => {
    const a = active(B, details({ subjectCode: RESTRICTED_AB.subjectCode }))
    const narrowed = subject(RESTRICTED_AB.subjectCode, C, { _tag: "Restricted", allowed: [A] })
    const r = AchievementLifecycle.decide(Option.some(a), { _tag: "Update", details: details({ subjectCode: RESTRICTED_AB.subjectCode, grade: "Merit" }) }, { ...ctx(B, undefined), subject: narrowed })
    expect(outcome(r)).toBe("SubjectNotAvailable")
  })
})

describe("award date bounds", () => {
  const tryDate = (awardDate: string, extra: Partial<AchievementLifecycle.Context> = {}, subjectCode: string = SHARED.subjectCode) =>
    decide(undefined, create(details({ awardDate, subjectCode })), A, extra)
  it("today is accepted; tomorrow is in the future", () => {
    expect(outcome(tryDate(TODAY))).toBe("ACH001")
    const r = tryDate("2024-07-01")
    expect(outcome(r)).toBe("AwardDateInFuture")
    expect(Either.isLeft(r) && r.left.message).toBe("the award date 2024-07-01 is in the future (today is 2024-06-30)")
  })
  it("with a date of birth, not before the learner's 5th birthday", () => {
    expect(outcome(tryDate("2015-05-01", { learnerDateOfBirth: "2010-05-01" }))).toBe("ACH001")
    const r = tryDate("2015-04-30", { learnerDateOfBirth: "2010-05-01" })
    expect(outcome(r)).toBe("AwardDateTooEarly")
    expect(Either.isLeft(r) && r.left.message).toContain("before the learner turned 5 (on 2015-05-01)")
    // born 29 February: the birthday counts as reached on 1 March in a common year
    expect(outcome(tryDate("2013-02-28", { learnerDateOfBirth: "2008-02-29" }))).toBe("AwardDateTooEarly")
    expect(outcome(tryDate("2013-03-01", { learnerDateOfBirth: "2008-02-29" }))).toBe("ACH001")
  })
  it("not before the policy's earliest date, nor the subject's operational start date", () => {
    const r = tryDate("1900-01-01")
    expect(Either.isLeft(r) && r.left.message).toContain("placeholder")
    expect(outcome(tryDate("1989-12-31"))).toBe("AwardDateTooEarly")
    expect(outcome(tryDate("1990-01-01"))).toBe("ACH001")
    expect(outcome(tryDate("2020-08-31", {}, LATE.subjectCode))).toBe("AwardDateTooEarly")
    expect(outcome(tryDate("2020-09-01", {}, LATE.subjectCode))).toBe("ACH001")
  })
  it("the policy is a parameter", () => {
    const strict = { policy: { ...AchievementPolicy.defaultPolicy, minimumAgeAtAward: 14 } }
    expect(outcome(tryDate("2020-01-01", { ...strict, learnerDateOfBirth: "2010-01-01" }))).toBe("AwardDateTooEarly")
    expect(outcome(tryDate("2020-01-01", { learnerDateOfBirth: "2010-01-01" }))).toBe("ACH001")
  })
})

describe("commands at the boundary", () => {
  it("decode from JSON; an amended resolution needs its amendment", () => {
    const decode = Schema.decodeUnknownEither(AchievementLifecycle.Command)
    expect(Either.isRight(decode({ _tag: "Withdraw", reason: "issued in error" }))).toBe(true)
    expect(Either.isLeft(decode({ _tag: "Withdraw", reason: "  " }))).toBe(true)
    expect(Either.isLeft(decode({ _tag: "ResolveDataChallenge", outcome: "Amended" }))).toBe(true)
    expect(Either.isRight(decode({ _tag: "ResolveDataChallenge", outcome: "Rejected" }))).toBe(true)
    expect(Either.isLeft(decode({ _tag: "Create", id: "x", details: { uln: "1000000042" } }))).toBe(true)
  })
  it("an achievement round-trips through its schema", () => {
    const a = withdrawn()
    const json = JSON.parse(JSON.stringify(Schema.encodeSync(Achievement.Achievement)(a)))
    expect(Schema.decodeUnknownSync(Achievement.Achievement)(json)).toEqual(a)
  })
})

describe("an AO's free text is trimmed (grade, language for assessment, AO learner reference)", () => {
  const padding = fc.string({ unit: fc.constantFrom(" ", "\t"), maxLength: 3 })
  // text of 1 to 20 characters that does not start or end with a space
  const word = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.length > 0 && s.trim() === s)
  const decode = Schema.decodeUnknownEither(Achievement.AchievementDetails)
  it("surrounding spaces are dropped when decoded, as the subject code's are (property)", () => {
    fc.assert(fc.property(word, padding, padding, fc.constantFrom("grade", "languageForAssessment", "aoLearnerRef"), (text, before, after, field) => {
      const padded = decode({ uln: "1000000043", subjectCode: ` ${SHARED.subjectCode} `, awardDate: "2023-08-24", grade: "Pass", status: "Final", [field]: `${before}${text}${after}` })
      const plain = decode({ uln: "1000000043", subjectCode: SHARED.subjectCode, awardDate: "2023-08-24", grade: "Pass", status: "Final", [field]: text })
      expect(padded).toEqual(plain)
      expect(Either.isRight(padded) && padded.right[field as "grade"]).toBe(text)
    }))
  })
  it("a create that differs only in surrounding spaces is the same achievement: ACH005, not ACH014", () => {
    const stored = active(A, details({ grade: " Pass ", languageForAssessment: "English ", aoLearnerRef: "  REF-1" }))
    expect(stored).toMatchObject({ grade: "Pass", languageForAssessment: "English", aoLearnerRef: "REF-1" })
    expect(outcome(decide(stored, create(details({ grade: "Pass", languageForAssessment: "English", aoLearnerRef: "REF-1" })), A))).toBe("ACH005")
  })
  it("is still not blank, and at most its length as sent", () => {
    expect(Either.isLeft(decode({ uln: "1000000043", subjectCode: SHARED.subjectCode, awardDate: "2023-08-24", grade: "   ", status: "Final" }))).toBe(true)
    expect(Either.isLeft(decode({ uln: "1000000043", subjectCode: SHARED.subjectCode, awardDate: "2023-08-24", grade: `${"x".repeat(50)} `, status: "Final" }))).toBe(true)
    // encoding gives back what is held
    expect(Schema.encodeSync(Achievement.Grade)("Pass")).toBe("Pass")
  })
})

describe("ACH014 says what to do instead", () => {
  it("with other details: update it; withdrawn, with the same or other details: reinstate it (an update would be ACH017)", () => {
    const message = (r: Either.Either<AchievementLifecycle.Transition, AchievementLifecycle.AchievementError>) =>
      Either.isLeft(r) ? [r.left.code, r.left.message] : [r.right.code, ""]
    const [code, other] = message(decide(active(), create(details({ grade: "Merit" })), A))
    expect(code).toBe("ACH014")
    expect(other).toContain("with other details; update it instead")
    for (const d of [details(), details({ grade: "Merit" })]) {
      const [c, text] = message(decide(withdrawn(), create(d), A))
      expect(c).toBe("ACH014")
      expect(text).toContain("is withdrawn; reinstate it instead")
      expect(text).not.toContain("update it instead")
    }
  })
})

describe("any sequence of commands keeps the invariants (property)", () => {
  const callers = fc.constantFrom(A, B, C)
  // weighted towards subjects and dates that succeed, so long sequences reach every state
  const subjectCodes = fc.constantFrom(SHARED.subjectCode, SHARED.subjectCode, SHARED.subjectCode, PRIVATE_A.subjectCode, RESTRICTED_AB.subjectCode, "500/0000/1")
  const someDetails = fc.record({
    subjectCode: subjectCodes,
    grade: fc.constantFrom("Pass", "Merit"),
    status: fc.constantFrom("Final", "Provisional"),
    awardDate: fc.constantFrom("2023-08-24", "2023-08-24", "2024-07-01", "1980-01-01")
  }).map((o) => details(o))
  const command: fc.Arbitrary<Command> = fc.oneof(
    someDetails.map((d) => ({ _tag: "Create" as const, id: "ach", details: d })),
    someDetails.map((d) => ({ _tag: "Update" as const, details: d })),
    fc.constant({ _tag: "Withdraw" as const, reason: "r" }),
    fc.constant({ _tag: "Reinstate" as const }),
    fc.constant({ _tag: "RaiseDataChallenge" as const }),
    fc.constant({ _tag: "ResolveDataChallenge" as const, outcome: "Rejected" as const }),
    someDetails.map((d) => ({ _tag: "ResolveDataChallenge" as const, outcome: "Amended" as const, amendment: d }))
  )
  it("one owner, append-only history, withdrawn never on the PLR, never withdrawn and challenged", () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(fc.array(fc.tuple(callers, command), { minLength: 10, maxLength: 60 }), (steps) => {
        let state: Achievement | undefined
        let owner: string | undefined
        let beforeWithdraw: Details | undefined
        for (const [caller, cmd] of steps) {
          const before = state
          const result = decide(state, cmd, caller)
          if (Either.isLeft(result)) continue
          const { achievement: next, code, entry } = result.right
          seen.add(code)
          // one owner: set by the first create, never changed, and only it changes the record
          if (owner === undefined) owner = next.awardingOrganisation
          expect(next.awardingOrganisation).toBe(owner)
          if (code !== "ACH005" && code !== "ACH006" && before !== undefined) expect(caller).toBe(owner)
          // history: append-only, numbered from 1, the last entry describes the record
          const prior = before?.history ?? []
          expect(next.history.slice(0, prior.length)).toEqual(prior)
          expect(next.history.length - prior.length).toBe(Option.isSome(entry) ? 1 : 0)
          next.history.forEach((h, i) => expect(h.sequence).toBe(i + 1))
          const last = next.history.at(-1)!
          expect(last.lifecycle).toBe(next.lifecycle)
          expect(last.underDataChallenge).toBe(next.underDataChallenge)
          expect(last.details).toEqual(Achievement.details(next))
          // the PLR
          expect(Achievement.isOnPlr(next)).toBe(next.lifecycle === "Active")
          if (next.lifecycle === "Withdrawn") expect(Achievement.plr([next])).toEqual([])
          expect(next.lifecycle === "Withdrawn" && next.underDataChallenge).toBe(false)
          // reinstate restores exactly what was withdrawn
          if (code === "ACH003") beforeWithdraw = Achievement.details(before!)
          if (code === "ACH004") expect(Achievement.details(next)).toEqual(beforeWithdraw)
          state = next
        }
      }),
      { numRuns: 500 }
    )
    // the sequences reach every kind of success, so the invariants were checked on each
    expect([...seen].sort()).toEqual(["ACH001", "ACH002", "ACH003", "ACH004", "ACH005", "ACH006", "ACH007"])
  })
})

describe("QualificationRegister.parseCsv", () => {
  it("loads subjects and reports each bad line", () => {
    const text = [
      QualificationRegister.CSV_COLUMNS.join(","),
      "601/2977/3,\"GCSE Maths, 9 to 1\",Level 2,GCSE (9 to 1),10000001,Shared,,",
      "k/501/5773,Unit 1,Level 1,QCF unit,10000002,restricted,10000001; 10000003,2012-09-01",
      "600/1166/X,Private one,Level 3,GCE A Level,10000001,Private,,",
      "600/1166/X,Twice,Level 3,GCE A Level,10000001,Private,,",
      "500/0000/1,Bad owner,Level 1,Other,1234,Shared,,",
      "500/0000/2,Bad availability,Level 1,Other,10000001,Open,,",
      "500/0000/3,Allowed but shared,Level 1,Other,10000001,Shared,10000002,",
      ""
    ].join("\r\n")
    const { problems, subjects } = QualificationRegister.parseCsv(text)
    expect(subjects.map((s) => [s.subjectCode, s.availability._tag])).toEqual([["601/2977/3", "Shared"], ["K/501/5773", "Restricted"], ["600/1166/X", "Private"]])
    expect(subjects[1]).toMatchObject({ availability: { allowed: ["10000001", "10000003"] }, operationalStartDate: "2012-09-01" })
    expect(subjects[0]!.title).toBe("GCSE Maths, 9 to 1")
    expect(problems.map((p) => p.line)).toEqual([5, 6, 7, 8])
    expect(problems[0]!.message).toContain("listed twice")
    expect(problems[1]!.message).toContain("UKPRN")
    expect(problems.map((p) => p.field)).toEqual(["SubjectCode", "OwnerUkprn", "Availability", "AllowedUkprns"])
    expect(QualificationRegister.parseCsv("a,b\n1,2").problems[0]!.message).toContain("first line must be")
    expect(QualificationRegister.parseCsv("").problems).toHaveLength(1)
  })

  it("says what is wrong with a line in the words of the column's rule, not the schema's", () => {
    const text = [
      QualificationRegister.CSV_COLUMNS.join(","),
      "600/2345/4,T,L,Q,1234,Shared,,",
      "600/2345/5,T,L,Q,10009999,Restricted,10000001;1,",
      "600/2345/6, ,L,Q,10009999,Shared,,",
      "600/2345/7,T,L,Q,10009999,Shared,,2020-13-01",
      `600/2345/8,T,${"L".repeat(51)},Q,10009999,Shared,,`,
      "600/2345,T,L,Q,10009999,Shared,,"
    ].join("\n")
    expect(QualificationRegister.parseCsv(text).problems).toEqual([
      { line: 2, field: "OwnerUkprn", message: `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1234"` },
      { line: 3, field: "AllowedUkprns", message: `a UKPRN is 8 digits starting with 1, e.g. "10012345"; got "1"` },
      { line: 4, field: "Title", message: "must not be blank" },
      { line: 5, field: "OperationalStartDate", message: "there is no month 13" },
      { line: 6, field: "Level", message: "must be at most 50 characters (got 51)" },
      { line: 7, field: "SubjectCode", message: expect.stringMatching(/^a subject code is a qualification number NNN\/NNNN\/C/) }
    ])
  })
})
