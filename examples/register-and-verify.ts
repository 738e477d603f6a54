/**
 * Register a learner and verify the ULN they were given — as a learner registration body (LRB).
 *
 *   LRS_URL=http://127.0.0.1:3000 node --conditions=source --import tsx examples/register-and-verify.ts
 *
 * Signs in as LRS_USERNAME / LRS_PASSWORD (default: the demo's college.online). Registering gives
 * 201 WSRC0005 and a new ULN, 202 WSRC0003 when the details are close to existing learners (held
 * as a registration exception, no ULN yet), or fails with 409 WSRC0021 when the learner exists.
 */
import { createClient, LrsConflict, LrsError } from "@learner-records/client"
import { pathToFileURL } from "node:url"

export const main = async (baseUrl: string): Promise<string> => {
  const lrs = createClient({ baseUrl })
  await lrs.login(process.env.LRS_USERNAME ?? "college.online", process.env.LRS_PASSWORD ?? "lrs-demo-password")

  // random names, so that every run registers someone new
  const name = () => "Example" + Math.random().toString(36).replace(/[^a-z]/g, "").slice(0, 6)
  const details = {
    givenName: name(),
    familyName: name(),
    dateOfBirth: "2002-04-18",
    gender: 1, // 0 not known, 1 male, 2 female, 9 not specified
    lastKnownPostCode: "SW1A 2AA",
    abilityToShare: 1, // the learner saw the privacy notice and agrees to share
    verificationType: 1 // identity checked against a passport or similar
  } as const

  try {
    const registered = await lrs.learners.register(details)
    if (registered.responseCode === "WSRC0003") {
      return `held as registration exception ${registered.exceptionId} (${registered.possibleMatches.length} possible matches)`
    }
    const verified = await lrs.learners.verify({ uln: registered.uln, givenName: details.givenName, familyName: details.familyName })
    return `registered ${registered.uln} (${registered.responseCode}); verify: ${verified.responseCode}`
  } catch (e) {
    if (e instanceof LrsConflict && e.code === "WSRC0021") return "already registered (WSRC0021)"
    if (e instanceof LrsError) throw new Error(`${e.status} ${e.code}: ${e.detail} (request ${e.requestId})`, { cause: e })
    throw e
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await main(process.env.LRS_URL ?? "http://127.0.0.1:3000"))
}
