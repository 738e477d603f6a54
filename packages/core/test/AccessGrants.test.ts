import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { Access } from "../src/index.js"

type Profile = Access.OrganisationProfile

const LRB: Profile = { kinds: ["LRB"], olass: false }
const OLASS: Profile = { kinds: ["LRB"], olass: true }
const AO: Profile = { kinds: ["AO"], olass: false }
const BOTH: Profile = { kinds: ["LRB", "AO"], olass: false }
const LRS: Profile = { kinds: ["LRS"], olass: false }

describe("Access.grantableRoles", () => {
  // the table the server enforces on users.create / update and createApiKey (422 naming the role)
  it.each([
    ["LRB", LRB, ["SuperUser", "OnlineUser", "BatchUser", "ViewLearnerOnly"], ["OnlineUser", "BatchUser", "ViewLearnerOnly"]],
    ["OLASS LRB", OLASS, ["SuperUser", "OnlineUser", "BatchUser", "ViewLearnerOnly", "LearnerPlanUser"], ["OnlineUser", "BatchUser", "ViewLearnerOnly", "LearnerPlanUser"]],
    ["AO", AO, ["SuperUser", "BatchUser", "AwardingBodyUser"], ["BatchUser", "AwardingBodyUser"]],
    ["LRB and AO", BOTH, ["SuperUser", "OnlineUser", "BatchUser", "ViewLearnerOnly", "AwardingBodyUser"], ["OnlineUser", "BatchUser", "ViewLearnerOnly", "AwardingBodyUser"]],
    ["LRS", LRS, ["SuperUser", "LrsAdmin"], []],
    // the OLASS flag means nothing on an organisation that is not an LRB
    ["AO flagged OLASS", { kinds: ["AO"], olass: true }, ["SuperUser", "BatchUser", "AwardingBodyUser"], ["BatchUser", "AwardingBodyUser"]]
  ] as const)("%s: users %j, API keys %j", (_, organisation, users, keys) => {
    expect(Access.grantableRoles(organisation)).toEqual(users)
    expect(Access.grantableRoles(organisation, "apiKey")).toEqual(keys)
  })

  it("explains a refusal in words naming the role and where it belongs", () => {
    expect(Access.grantProblem("AwardingBodyUser", LRB)).toBe("AwardingBodyUser can only be granted in an awarding organisation (AO)")
    expect(Access.grantProblem("LearnerPlanUser", LRB)).toBe("LearnerPlanUser can only be granted in an OLASS LRB")
    expect(Access.grantProblem("LrsAdmin", BOTH)).toBe("LrsAdmin can only be granted in the LRS organisation")
    expect(Access.grantProblem("SuperUser", LRB, "apiKey")).toContain("an API key cannot have the role SuperUser")
    expect(Access.grantProblem("SuperUser", LRS)).toBeUndefined()
  })

  it("roleProblems gives the position of every refused role", () => {
    expect(Access.roleProblems(["OnlineUser", "AwardingBodyUser", "LrsAdmin"], LRB).map((p) => [p.index, p.role])).toEqual([[1, "AwardingBodyUser"], [2, "LrsAdmin"]])
    expect(Access.roleProblems(["OnlineUser", "SuperUser"], LRB)).toEqual([])
    expect(Access.roleProblems(["OnlineUser", "SuperUser"], LRB, "apiKey").map((p) => p.index)).toEqual([1])
  })

  const profiles = fc.record({
    kinds: fc.subarray([...Access.OrganisationKind.literals], { minLength: 1 }),
    olass: fc.boolean()
  })
  const roles = fc.array(fc.constantFrom(...Access.Role.literals), { maxLength: 8 })

  it("property: a list of roles has no problem exactly when every role is grantable", () => {
    fc.assert(fc.property(profiles, roles, fc.constantFrom<Access.Holder>("user", "apiKey"), (organisation, list, holder) => {
      const grantable = Access.grantableRoles(organisation, holder)
      expect(Access.roleProblems(list, organisation, holder).length === 0).toBe(list.every((r) => grantable.includes(r)))
    }))
  })

  it("property: an API key gets a subset of what a user may get, never SuperUser or LrsAdmin; SuperUser may be granted anywhere", () => {
    fc.assert(fc.property(profiles, (organisation) => {
      const users = Access.grantableRoles(organisation)
      const keys = Access.grantableRoles(organisation, "apiKey")
      expect(keys.every((r) => users.includes(r))).toBe(true)
      expect(keys).not.toContain("SuperUser")
      expect(keys).not.toContain("LrsAdmin")
      expect(users).toContain("SuperUser")
    }))
  })

  it("property: every grantable role lets its holder call some operation in that organisation (learner plans come later)", () => {
    fc.assert(fc.property(profiles, (organisation) => {
      for (const role of Access.grantableRoles(organisation)) {
        if (role === "LearnerPlanUser") continue
        const operations = (Object.keys(Access.permissions) as Array<Access.Operation>)
          .filter((op) => Access.mayCall(op, { roles: [role], organisationKinds: organisation.kinds }))
        expect(operations.length, `${role} in ${organisation.kinds.join("+")}`).toBeGreaterThan(0)
      }
    }))
  })
})

describe("Access.managesAllOrganisations and selfDemotion", () => {
  it("only an LrsAdmin of the LRS organisation manages every organisation", () => {
    expect(Access.managesAllOrganisations({ roles: ["LrsAdmin", "SuperUser"], organisationKinds: ["LRS"] })).toBe(true)
    expect(Access.managesAllOrganisations({ roles: ["SuperUser"], organisationKinds: ["LRS"] })).toBe(false)
    expect(Access.managesAllOrganisations({ roles: ["LrsAdmin"], organisationKinds: ["LRB"] })).toBe(false)
  })
  it("nobody takes SuperUser or LrsAdmin away from themselves; other changes are fine", () => {
    expect(Access.selfDemotion(["SuperUser", "OnlineUser"], ["OnlineUser"])).toBe("SuperUser")
    expect(Access.selfDemotion(["LrsAdmin", "SuperUser"], ["SuperUser"])).toBe("LrsAdmin")
    expect(Access.selfDemotion(["SuperUser"], ["SuperUser", "OnlineUser"])).toBeUndefined()
    expect(Access.selfDemotion(["OnlineUser"], ["BatchUser"])).toBeUndefined()
  })
})

describe("Access.reservedRoleProblems and reservedAgainst", () => {
  const roles = fc.subarray([...Access.Role.literals])

  it("LrsAdmin is granted only by an LrsAdmin, whatever else either side holds", () =>
    fc.assert(fc.property(roles, roles, (caller, granted) => {
      const problems = Access.reservedRoleProblems(caller, granted)
      const expected = granted.includes("LrsAdmin") && !caller.includes("LrsAdmin") ? ["LrsAdmin"] : []
      expect(problems.map((p) => p.role)).toEqual(expected)
      for (const p of problems) expect(granted[p.index]).toBe(p.role)
    })))

  it("an LrsAdmin's account is out of reach of anyone who is not one; every other account is not", () =>
    fc.assert(fc.property(roles, roles, (caller, user) => {
      expect(Access.reservedAgainst(caller, user)).toBe(user.includes("LrsAdmin") && !caller.includes("LrsAdmin") ? "LrsAdmin" : undefined)
    })))

  it("names the role and the rule", () => {
    expect(Access.reservedRoleProblems(["SuperUser"], ["SuperUser", "LrsAdmin"])).toEqual([
      { index: 1, role: "LrsAdmin", message: "only a holder of LrsAdmin may grant LrsAdmin" }
    ])
  })
})

describe("Access.organisationProblems", () => {
  const kinds = fc.subarray(["LRB", "AO", "LRS"] as const, { minLength: 1 })
  const profile = fc.record({ kinds, olass: fc.boolean() })

  it("LRS is only ever the service's own organisation, alone; OLASS only on an LRB", () =>
    fc.assert(fc.property(fc.option(profile, { nil: undefined }), profile, (current, next) => {
      const fields = Access.organisationProblems(current, next).map((p) => p.field)
      const wasLrs = current?.kinds.includes("LRS") ?? false
      const kindsOk = wasLrs ? next.kinds.length === 1 && next.kinds[0] === "LRS" : !next.kinds.includes("LRS")
      expect(fields.includes("kinds")).toBe(!kindsOk)
      expect(fields.includes("olass")).toBe(next.olass && !next.kinds.includes("LRB"))
    })))

  it("says why", () => {
    expect(Access.organisationProblems(LRS, { kinds: ["LRB"], olass: false })).toEqual([
      { field: "kinds", message: "the LRS organisation is the service's own: its kinds stay [\"LRS\"]" }
    ])
    expect(Access.organisationProblems(undefined, { kinds: ["AO"], olass: true })).toEqual([
      { field: "olass", message: "OLASS is a flag on an LRB: the organisation must be an LRB" }
    ])
    expect(Access.organisationProblems(LRB, OLASS)).toEqual([])
  })
})

describe("Access.keepsApiKeys", () => {
  it("a user's API keys live while they may manage API keys: a super user, in any kind of organisation", () => {
    for (const profile of [LRB, OLASS, AO, BOTH, LRS]) {
      expect(Access.keepsApiKeys(["SuperUser"], profile.kinds)).toBe(true)
      expect(Access.keepsApiKeys(["OnlineUser", "BatchUser", "ViewLearnerOnly", "AwardingBodyUser", "LearnerPlanUser"], profile.kinds)).toBe(false)
      expect(Access.keepsApiKeys([], profile.kinds)).toBe(false)
    }
  })
})
