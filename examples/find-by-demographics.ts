/**
 * Find a learner by demographics and handle each outcome — the `switch` is checked by the types:
 * add an outcome to the api and this file stops compiling until it is handled.
 *
 *   LRS_URL=http://127.0.0.1:3000 node --conditions=source --import tsx examples/find-by-demographics.ts
 *
 * Signs in as LRS_USERNAME / LRS_PASSWORD (default: the demo's college.online).
 */
import { createClient, type PromiseOperations } from "@learner-records/client"
import { pathToFileURL } from "node:url"

/** What findByDemographics takes. */
export type Search = Parameters<PromiseOperations["learners"]["findByDemographics"]>[0]

export const main = async (
  baseUrl: string,
  search: Search = { givenName: "Amara", familyName: "Okafor", dateOfBirth: "2006-03-14", gender: 2, postcode: "SW1A 1AA" }
): Promise<string> => {
  const lrs = createClient({ baseUrl })
  await lrs.login(process.env.LRS_USERNAME ?? "college.online", process.env.LRS_PASSWORD ?? "lrs-demo-password")
  const result = await lrs.learners.findByDemographics(search)
  switch (result.responseCode) {
    case "WSRC0004": // exactly one learner matches on all five mandatory fields
    case "WSRC0022": // …and the ULN found is linked: the master learner is returned
      return `${result.responseCode} found ${result.learners[0]?.learner.uln}`
    case "WSRC0003": // 1–10 possible matches, best first: let a person choose
      return `WSRC0003 possible: ${result.learners.map((m) => `${m.learner.uln} (${m.score.toFixed(2)})`).join(", ")}`
    case "WSRC0002": // more than ten: ask for more details (previous family name, school at 16, …)
      return "WSRC0002 too many matches, refine the search"
    case "WSRC0001": // nobody: register the learner
      return "WSRC0001 no match, register the learner"
    default: {
      const unhandled: never = result.responseCode
      throw new Error(`unhandled outcome ${String(unhandled)}`)
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(await main(process.env.LRS_URL ?? "http://127.0.0.1:3000"))
}
