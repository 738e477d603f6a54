/**
 * An example request body for every operation that takes one, keyed by operation id
 * (`group.endpoint`, as in the OpenAPI document). The document carries each as its request body's
 * `example`, so the interactive docs start from a body the server accepts instead of the
 * placeholders a schema alone gives (`"string"`, dates drawn from their pattern). Each is typed as
 * its operation's request, and a test decodes each with the operation's payload schema.
 *
 * They name no one in particular: on a server with the demo data, its own examples (the demo
 * learners, the demo sign-ins) come first.
 *
 * @since 0.1.0
 */
import type * as AchievementsApi from "./AchievementsApi.js"
import type * as AdminApi from "./AdminApi.js"
import type * as AuthApi from "./AuthApi.js"
import type * as LearnersApi from "./LearnersApi.js"
import type * as PlrApi from "./PlrApi.js"
import type * as RegistrationExceptionsApi from "./RegistrationExceptionsApi.js"
import type * as UsersApi from "./UsersApi.js"
import { QualificationRegister } from "@learner-records/core"

/** A learner who is nobody in particular; the ULN is well formed (its check digit holds). */
const learner = {
  uln: "9276308686",
  givenName: "Priya",
  familyName: "Sharma",
  dateOfBirth: "2007-02-11",
  gender: 2,
  postcode: "B15 2TT"
} as const

const registration = {
  givenName: learner.givenName,
  familyName: learner.familyName,
  dateOfBirth: learner.dateOfBirth,
  gender: learner.gender,
  lastKnownPostCode: learner.postcode,
  lastKnownAddressLine1: "12 Edgbaston Park Road",
  lastKnownAddressTown: "Birmingham",
  emailAddress: "priya.sharma@example.org",
  abilityToShare: 1,
  verificationType: 1
} satisfies typeof LearnersApi.RegisterLearnerRequest.Encoded

const achievement = {
  uln: learner.uln,
  givenName: learner.givenName,
  familyName: learner.familyName,
  subjectCode: "600/2345/4",
  awardDate: "2024-06-28",
  grade: "Merit",
  status: "Final"
} satisfies typeof AchievementsApi.CreateAchievementRequest.Encoded

/**
 * The example request bodies, by operation id. A `text/csv` body is its text.
 *
 * @since 0.1.0
 * @category examples
 */
export const requestBodies = {
  "auth.login": { username: "jane.smith", password: "correct-horse-battery-staple" } satisfies typeof AuthApi.LoginRequest.Encoded,
  "users.create": {
    username: "jane.smith",
    displayName: "Jane Smith",
    email: "jane.smith@riverside.ac.uk",
    roles: ["OnlineUser"],
    password: "correct-horse-battery-staple"
  } satisfies typeof UsersApi.CreateUserRequest.Encoded,
  "users.update": { displayName: "Jane Smith", roles: ["OnlineUser", "ViewLearnerOnly"] } satisfies typeof UsersApi.UpdateUserRequest.Encoded,
  "users.resetPassword": { password: "a-new-long-passphrase" } satisfies typeof UsersApi.ResetPasswordRequest.Encoded,
  "users.createApiKey": { name: "MIS nightly sync", roles: ["OnlineUser"] } satisfies typeof UsersApi.CreateApiKeyRequest.Encoded,
  "learners.findByUln": { uln: learner.uln, givenName: learner.givenName, familyName: learner.familyName } satisfies typeof LearnersApi.FindByUlnRequest.Encoded,
  "learners.findByDemographics": {
    givenName: learner.givenName,
    familyName: learner.familyName,
    dateOfBirth: learner.dateOfBirth,
    gender: learner.gender,
    postcode: learner.postcode
  } satisfies typeof LearnersApi.FindByDemographicsRequest.Encoded,
  "learners.register": registration,
  "learners.update": { ...registration, lastKnownPostCode: "B29 6BD", versionNumber: 1 } satisfies typeof LearnersApi.UpdateLearnerRequest.Encoded,
  "learners.verify": {
    uln: learner.uln,
    givenName: learner.givenName,
    familyName: learner.familyName,
    dateOfBirth: learner.dateOfBirth,
    gender: learner.gender
  } satisfies typeof LearnersApi.VerifyLearnerRequest.Encoded,
  "registrationExceptions.resolve": { action: "use-existing", uln: learner.uln } satisfies typeof RegistrationExceptionsApi.ResolveRegistrationExceptionRequest.Encoded,
  "achievements.create": achievement,
  "achievements.update": { ...achievement, grade: "Distinction" } satisfies typeof AchievementsApi.UpdateAchievementRequest.Encoded,
  "achievements.withdraw": { reason: "Awarded to the wrong learner" } satisfies typeof AchievementsApi.WithdrawAchievementRequest.Encoded,
  "achievements.reinstate": { reason: "Withdrawn in error" } satisfies typeof AchievementsApi.ReinstateAchievementRequest.Encoded,
  "plr.get": { uln: learner.uln, givenName: learner.givenName, familyName: learner.familyName, view: "FULL" } satisfies typeof PlrApi.GetPlrRequest.Encoded,
  "admin.createOrganisation": { name: "Riverside College", ukprn: "10004321", kinds: ["LRB"] } satisfies typeof AdminApi.OrganisationRequest.Encoded,
  "admin.updateOrganisation": { name: "Riverside College", ukprn: "10004321", kinds: ["LRB", "AO"] } satisfies typeof AdminApi.OrganisationRequest.Encoded,
  "admin.putQualification": {
    subjectCode: "600/2345/4",
    title: "Functional Skills Qualification in Mathematics at Level 1",
    level: "Level 1",
    qualificationType: "Functional Skills",
    owner: "10009999",
    availability: { _tag: "Shared" },
    operationalStartDate: "2015-09-01"
  } satisfies typeof AdminApi.PutQualificationRequest.Encoded,
  "admin.importQualifications": [
    QualificationRegister.CSV_COLUMNS.join(","),
    "600/2345/4,Functional Skills Qualification in Mathematics at Level 1,Level 1,Functional Skills,10009999,Shared,,2015-09-01",
    ""
  ].join("\n") satisfies typeof AdminApi.ImportQualificationsRequest.Encoded
} as const

/**
 * The id of an operation with an example body.
 *
 * @since 0.1.0
 * @category examples
 */
export type OperationWithBody = keyof typeof requestBodies
