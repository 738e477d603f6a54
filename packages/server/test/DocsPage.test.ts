/**
 * The interactive docs page as a new user meets it (issue 5, "Done when"): the server started as
 * the README's run command starts it (`Server.serve` with the demo data), `/docs` opened in
 * headless Debian `chromium` through `playwright-core`, and operations performed with the page's
 * own controls — "Try it out", the request body (typed, or picked from the demo's examples), path,
 * query and header parameters, "Authorize" with the token from the login. Nothing is sent to the server except by clicking the page.
 *
 * On both databases, like the rest of the suite. Without chromium the test is skipped, unless `CI`
 * is set: then it fails (`.ci/run` installs chromium).
 */
import * as Reactivity from "@effect/experimental/Reactivity"
import * as PgClient from "@effect/sql-pg/PgClient"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { ConfigProvider, Effect, Exit, Option, Redacted, Scope } from "effect"
import { execFileSync } from "node:child_process"
import { type Browser, chromium, type Locator, type Page } from "playwright-core"
import * as Database from "../src/Database.js"
import type * as Demo from "../src/Demo.js"
import * as Server from "../src/Server.js"
import { databaseUrl, type DatabaseKind, freshDatabase } from "./utils.js"

const isCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false"
const chromiumPath = ((): string | undefined => {
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim() || undefined
  } catch {
    return undefined
  }
})()
const DEMO_PASSWORD = "lrs-demo-password"

const config = ConfigProvider.fromMap(new Map([["LRS_RATE_LIMIT", "0"], ["LRS_ADMIN_PASSWORD", "admin-password-for-docs-page"]]))

interface Running {
  readonly baseUrl: string
  readonly demo: Demo.DemoData
  readonly rows: (query: string) => Promise<ReadonlyArray<Record<string, unknown>>>
  readonly close: () => Promise<void>
}

/** The server with the demo data on a fresh database of `kind`, and a way to read that database. */
const start = async (kind: DatabaseKind): Promise<Running> => {
  const scope = Effect.runSync(Scope.make())
  const program = Effect.gen(function*() {
    const url = kind === "postgres" ? yield* freshDatabase : undefined
    const database = url === undefined ? Database.layerPglite(undefined) : Database.layerPg(url, { maxConnections: 4 })
    const { address, started } = yield* Server.serve({ port: 0, host: "127.0.0.1", database, demo: true })
    if (address._tag !== "TcpAddress") return yield* Effect.dieMessage(`unexpected server address ${address._tag}`)
    return { url, port: address.port, demo: Option.getOrThrow(started.demo) }
  })
  const { demo, port, url } = await Effect.runPromise(program.pipe(Scope.extend(scope), Effect.withConfigProvider(config)))
  const baseUrl = `http://127.0.0.1:${port}`
  // PostgreSQL is read directly; the in-memory PGlite is only reachable through the server
  const rows = (query: string) =>
    url === undefined
      ? Promise.reject(new Error("no direct access to the in-memory PGlite"))
      : Effect.runPromise(
        Effect.scoped(Effect.flatMap(PgClient.make({ url: Redacted.make(url), maxConnections: 1 }), (sql) => sql.unsafe<Record<string, unknown>>(query))).pipe(
          Effect.provide(Reactivity.layer)
        )
      )
  return { baseUrl, demo, rows, close: () => Effect.runPromise(Scope.close(scope, Exit.void)) }
}

interface Answer {
  readonly status: number
  readonly body: unknown
  /** The response headers the page shows, lower-cased names. */
  readonly headers: Readonly<Record<string, string>>
}

/** The page's controls, as a user works them. */
const docsPage = (page: Page) => {
  const operation = (method: string, path: string): Locator =>
    page.locator(`.opblock.opblock-${method}`, { has: page.locator(`.opblock-summary-path[data-path="${path}"]`) })

  /** Expands the operation and presses "Try it out". */
  const open = async (method: string, path: string): Promise<Locator> => {
    const block = operation(method, path)
    if (!(await block.evaluate((element) => element.classList.contains("is-open")))) await block.locator(".opblock-summary").click()
    const tryOut = block.locator("button.try-out__btn:not(.cancel)")
    if ((await tryOut.count()) > 0) await tryOut.click()
    return block
  }

  const body = (block: Locator, value: unknown) => block.locator("textarea.body-param__text").fill(JSON.stringify(value))

  /** Picks one of the body's named examples from the page's Examples list; answers the body it shows. */
  const example = async (block: Locator, summary: string): Promise<unknown> => {
    await block.locator(".examples-select select").first().selectOption({ label: summary })
    return JSON.parse(await block.locator("textarea.body-param__text").inputValue())
  }

  const parameter = async (block: Locator, name: string, value: string) => {
    const row = block.locator(`tr[data-param-name="${name}"]`)
    if ((await row.locator("select").count()) > 0) await row.locator("select").selectOption(value)
    else await row.locator("input").fill(value)
  }

  /** Presses "Execute" and reads the answer the page shows. */
  const execute = async (block: Locator): Promise<Answer> => {
    const clear = block.locator("button.btn-clear")
    if ((await clear.count()) > 0) await clear.click()
    await block.locator("button.execute").click()
    const response = block.locator(".live-responses-table tbody tr.response").first()
    await response.waitFor({ timeout: 15_000 })
    const status = Number((await response.locator(".response-col_status").textContent())?.trim())
    const shown = response.locator(".response-col_description")
    const bodyText = (await shown.locator(".highlight-code pre, pre.microlight").first().textContent()) ?? ""
    const headerText = (await shown.locator(".response-headers, pre.microlight").last().textContent()) ?? ""
    const headers: Record<string, string> = {}
    for (const [, name, value] of headerText.matchAll(/([a-z0-9-]+): (\S+)/gi)) headers[name!.toLowerCase()] = value!
    let parsed: unknown = bodyText
    try {
      parsed = JSON.parse(bodyText)
    } catch {
      // not JSON: kept as shown
    }
    return { status, body: parsed, headers }
  }

  const authorize = async (token: string) => {
    await page.locator("button.authorize").first().click()
    await page.locator("#auth-bearer-value").fill(token)
    await page.locator(".modal-ux button.authorize").first().click()
    await page.locator(".modal-ux button.btn-done").first().click()
  }

  return { open, body, example, parameter, execute, authorize }
}

const scenario = (demo: Demo.DemoData, operation: string, outcome: string): Record<string, unknown> => {
  const found = demo.scenarios.find((s) => s.operation === operation && s.outcome.startsWith(outcome))
  if (found === undefined) throw new Error(`no demo scenario ${operation} "${outcome}"`)
  return found.body as Record<string, unknown>
}

const kinds: ReadonlyArray<DatabaseKind> = databaseUrl() === undefined && !isCI ? ["pglite"] : ["pglite", "postgres"]

describe.each(kinds)("the /docs page in headless Chromium (%s)", (kind) => {
  let lrs: Running | undefined
  let browser: Browser | undefined

  beforeAll(async () => {
    if (chromiumPath === undefined) return
    lrs = await start(kind)
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"] })
  }, 60_000)

  afterAll(async () => {
    await browser?.close()
    await lrs?.close()
  })

  it.skipIf(chromiumPath === undefined && !isCI)(
    "a demo user signs in, authorizes, and finds, registers (idempotently), reads the access log and signs out from the page",
    async () => {
      if (chromiumPath === undefined || lrs === undefined || browser === undefined) {
        throw new Error("CI is set but `chromium` is not installed: .ci/run installs it")
      }
      const { baseUrl, demo } = lrs
      const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } })
      const elsewhere: Array<string> = []
      const pageErrors: Array<string> = []
      page.on("request", (request) => {
        if (!request.url().startsWith(baseUrl)) elsewhere.push(request.url())
      })
      page.on("pageerror", (error) => pageErrors.push(error.message))
      // the browser logs each 4xx the steps below ask for; any other error in its console is a fault
      page.on("console", (message) => {
        if (message.type() === "error" && !message.location().url.startsWith(`${baseUrl}/api/`)) {
          pageErrors.push(`console: ${message.text()} (${message.location().url})`)
        }
      })
      await page.goto(`${baseUrl}/docs`)
      await page.waitForSelector(".opblock", { timeout: 20_000 })
      const docs = docsPage(page)

      // every operation of the document is on the page
      const spec = (await (await fetch(`${baseUrl}/api/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> }
      const operations = Object.values(spec.paths).reduce((n, item) => n + Object.keys(item).length, 0)
      expect(await page.locator(".opblock").count()).toBe(operations)

      // sign in with the login operation, the demo user picked from its examples, then Authorize with its token
      const login = await docs.open("post", "/api/v1/auth/login")
      expect(await docs.example(login, "college.super: SuperUser, Demo College")).toEqual({ username: "college.super", password: DEMO_PASSWORD })
      const signedIn = await docs.execute(login)
      expect(signedIn.status).toBe(200)
      const token = (signedIn.body as { token: string }).token
      expect(token).toMatch(/^lrs_tok_/)
      await docs.authorize(token)

      // find by ULN: the page starts from the demo's first request; a linked ULN is one of its examples
      const find = await docs.open("post", "/api/v1/learners/find-by-uln")
      const wanted = scenario(demo, "learners.findByUln", "WSRC0004")
      expect(JSON.parse(await find.locator("textarea.body-param__text").inputValue())).toEqual(wanted)
      const linked = scenario(demo, "learners.findByUln", "WSRC0022")
      expect(await docs.example(find, "WSRC0022 linked ULN: Grace's master record (as college.online)")).toEqual(linked)
      const master = await docs.execute(find)
      expect(master.status).toBe(200)
      expect(master.body).toMatchObject({ responseCode: "WSRC0022", searchedUln: linked["uln"] })
      // then the first example again, with a request id of our own in the header parameter
      expect(await docs.example(find, "WSRC0004 exact match (as college.online)")).toEqual(wanted)
      await docs.parameter(find, "X-Request-ID", "docs-page-find-1")
      const found = await docs.execute(find)
      expect(found.status).toBe(200)
      expect(found.body).toMatchObject({ responseCode: "WSRC0004", learner: { uln: wanted["uln"] } })
      expect(found.headers["x-request-id"]).toBe("docs-page-find-1")

      // register a new learner with an Idempotency-Key; executing again replays the first answer
      const register = await docs.open("post", "/api/v1/learners")
      const learner = {
        givenName: "Philippa",
        familyName: "Docspage",
        dateOfBirth: "2001-02-03",
        gender: 2,
        lastKnownPostCode: "LS1 4AP",
        abilityToShare: 1,
        verificationType: 1
      }
      await docs.body(register, learner)
      await docs.parameter(register, "Idempotency-Key", "docs-page-register-1")
      const registered = await docs.execute(register)
      expect(registered.status).toBe(201)
      expect(registered.body).toMatchObject({ responseCode: "WSRC0005", learner: { familyName: "Docspage" } })
      expect(registered.headers["idempotent-replayed"]).toBeUndefined()
      const replayed = await docs.execute(register)
      expect(replayed.status).toBe(201)
      expect(replayed.body).toEqual(registered.body)
      expect(replayed.headers["idempotent-replayed"]).toBe("true")
      // a new key is a new request: the learner is there once, so this one is refused
      await docs.parameter(register, "Idempotency-Key", "docs-page-register-2")
      const again = await docs.execute(register)
      expect(again.status).toBe(409)
      expect(again.body).toMatchObject({ code: "WSRC0021" })
      if (kind === "postgres") {
        expect(await lrs.rows("SELECT uln FROM learners WHERE family_name = 'Docspage'")).toHaveLength(1)
      }

      // the access log of the learner found: path and query parameters
      const accessLog = await docs.open("get", "/api/v1/learners/{uln}/access-log")
      await docs.parameter(accessLog, "uln", String(wanted["uln"]))
      await docs.parameter(accessLog, "limit", "50")
      const log = await docs.execute(accessLog)
      expect(log.status).toBe(200)
      expect(JSON.stringify(log.body)).toContain("docs-page-find-1")

      // a list with a choice of values (a select on the page)
      const exceptions = await docs.open("get", "/api/v1/registration-exceptions")
      await docs.parameter(exceptions, "status", "open")
      const listed = await docs.execute(exceptions)
      expect(listed.status).toBe(200)

      // a path parameter of a demo request starts from the demo's value, with its outcome in the list
      const withdraw = await docs.open("post", "/api/v1/achievements/{id}/withdraw")
      expect(await withdraw.locator(`tr[data-param-name="id"] input`).inputValue()).toBe("demo-ach-4")
      expect(await withdraw.locator(`tr[data-param-name="id"] select option`).allTextContents()).toEqual(["demo-ach-4: 200 ACH003 withdrawn (409 once it is)"])

      // sign out; the same token is refused afterwards
      const logout = await docs.open("post", "/api/v1/auth/logout")
      expect((await docs.execute(logout)).status).toBe(204)
      const me = await docs.open("get", "/api/v1/me")
      const refused = await docs.execute(me)
      expect(refused.status).toBe(401)
      expect(refused.body).toMatchObject({ code: "WSEC0005" })

      expect(pageErrors).toEqual([])
      expect(elsewhere).toEqual([])
    },
    120_000
  )
})
