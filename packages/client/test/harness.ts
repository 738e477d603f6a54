/**
 * End-to-end harness: the real LRS server (`Server.serve`) on a random port over an in-memory
 * PGlite database with the demo data set, started once per test file.
 *
 * ```ts
 * let lrs: LrsHarness
 * beforeAll(async () => { lrs = await startServer() })
 * afterAll(() => lrs.close())
 * ```
 *
 * Rate limiting is off (`LRS_RATE_LIMIT=0`); the admin's password is {@link ADMIN_PASSWORD}, every
 * demo user's is {@link DEMO_PASSWORD}.
 */
import { Database, type Demo, Server } from "@learner-records/server"
import { ConfigProvider, Effect, Exit, Option, Scope } from "effect"

/** The password of the `admin` account of the harness server. */
export const ADMIN_PASSWORD = "admin-password-for-client-e2e"

/** The password of every demo user (`college.online`, `awards.user`, …). */
export const DEMO_PASSWORD = "lrs-demo-password"

/** A running harness server. */
export interface LrsHarness {
  /** `http://127.0.0.1:<port>` */
  readonly baseUrl: string
  readonly demo: Demo.DemoData
  /** The request body of the demo scenario whose outcome starts with `outcome` (e.g. `"WSRC0004 exact"`). */
  readonly scenario: (operation: string, outcome: string) => Record<string, unknown>
  readonly close: () => Promise<void>
}

const config = ConfigProvider.fromMap(
  new Map([["LRS_RATE_LIMIT", "0"], ["LRS_ADMIN_PASSWORD", ADMIN_PASSWORD], ["LRS_DEMO_PASSWORD", DEMO_PASSWORD]])
).pipe(ConfigProvider.orElse(() => ConfigProvider.fromEnv()))

/** Starts the server; close it with `close()`. */
export const startServer = async (): Promise<LrsHarness> => {
  const scope = Effect.runSync(Scope.make())
  const { address, started } = await Effect.runPromise(
    Server.serve({ port: 0, host: "127.0.0.1", database: Database.layerPglite(undefined), demo: true }).pipe(
      Scope.extend(scope),
      Effect.withConfigProvider(config)
    )
  )
  if (address._tag !== "TcpAddress") throw new Error(`unexpected server address ${address._tag}`)
  const demo = Option.getOrThrow(started.demo)
  return {
    baseUrl: `http://127.0.0.1:${address.port}`,
    demo,
    scenario: (operation, outcome) => {
      const found = demo.scenarios.find((s) => s.operation === operation && s.outcome.startsWith(outcome))
      if (found === undefined) throw new Error(`no demo scenario ${operation} "${outcome}"`)
      return found.body as Record<string, unknown>
    },
    close: () => Effect.runPromise(Scope.close(scope, Exit.void))
  }
}

let counter = 0

/** A suffix unique in this run (user names, organisation names). */
export const unique = (): string => `${Date.now().toString(36)}${(counter++).toString(36)}`
