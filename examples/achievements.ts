/**
 * As an awarding organisation (AO): create an achievement, withdraw it, reinstate it.
 *
 *   LRS_URL=http://127.0.0.1:3000 LRS_ULN=… LRS_GIVEN_NAME=… LRS_FAMILY_NAME=… LRS_SUBJECT_CODE=600/2345/X \
 *     node --conditions=source --import tsx examples/achievements.ts
 *
 * Signs in as LRS_USERNAME / LRS_PASSWORD (default: the demo's awards.user). The learner's names
 * must verify against the ULN (else 422 ACH025); the subject must be the AO's own or shared with
 * it (else 422 ACH011). Creating is idempotent on (AO, learner, subject, award date): the same
 * achievement again answers 200 ACH005 with the one already held.
 */
import { createClient, LrsConflict, LrsError } from "@learner-records/client"
import { pathToFileURL } from "node:url"

export interface Award {
  readonly uln: string
  readonly givenName: string
  readonly familyName: string
  readonly subjectCode: string
  readonly awardDate: string
}

export const main = async (baseUrl: string, award: Award): Promise<ReadonlyArray<string>> => {
  const lrs = createClient({ baseUrl })
  await lrs.login(process.env.LRS_USERNAME ?? "awards.user", process.env.LRS_PASSWORD ?? "lrs-demo-password")
  const log: Array<string> = []
  const created = await lrs.achievements.create({ ...award, grade: "Pass", status: "Final" })
  const id = created.achievement.id
  log.push(`${created.responseCode} ${id}`)
  const withdrawn = await lrs.achievements.withdraw({ path: { id }, payload: { reason: "Awarded in error" } })
  log.push(`${withdrawn.responseCode} ${withdrawn.achievement.lifecycle}`)
  try {
    await lrs.achievements.withdraw({ path: { id }, payload: { reason: "Twice" } })
  } catch (e) {
    // 409: it is already withdrawn
    if (e instanceof LrsConflict) log.push(`409 ${e.code}`)
    else if (e instanceof LrsError) throw new Error(`${e.status} ${e.code}: ${e.detail} (request ${e.requestId})`, { cause: e })
    else throw e
  }
  const reinstated = await lrs.achievements.reinstate({ path: { id }, payload: { reason: "Awarded after all" } })
  log.push(`${reinstated.responseCode} ${reinstated.achievement.lifecycle}`)
  return log
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const env = (name: string) => {
    const value = process.env[name]
    if (value === undefined) throw new Error(`set ${name}`)
    return value
  }
  const log = await main(process.env.LRS_URL ?? "http://127.0.0.1:3000", {
    uln: env("LRS_ULN"),
    givenName: env("LRS_GIVEN_NAME"),
    familyName: env("LRS_FAMILY_NAME"),
    subjectCode: env("LRS_SUBJECT_CODE"),
    awardDate: process.env.LRS_AWARD_DATE ?? new Date().toISOString().slice(0, 10)
  })
  for (const line of log) console.log(line)
}
