/**
 * The Promise client in a real browser: a small page, bundled with esbuild from the package's
 * browser entry (`platform: "browser"`, so a Node-only import fails the build), served by a tiny
 * node:http server that also proxies `/api` to the LRS server (same origin: the LRS server has no
 * CORS), driven by headless Debian `chromium` through `playwright-core`. The page signs in as
 * college.online, finds a demo learner by ULN and verifies a ULN, and writes what it got into
 * the DOM.
 *
 * Without chromium the test is skipped, unless `CI` is set: then it fails.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import * as esbuild from "esbuild"
import { execFileSync } from "node:child_process"
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { chromium } from "playwright-core"
import { DEMO_PASSWORD, type LrsHarness, startServer } from "./harness.js"

const here = path.dirname(fileURLToPath(import.meta.url))
const isCI = process.env.CI !== undefined && process.env.CI !== "" && process.env.CI !== "false"
const chromiumPath = ((): string | undefined => {
  try {
    return execFileSync("which", ["chromium"], { encoding: "utf8" }).trim() || undefined
  } catch {
    return undefined
  }
})()
if (chromiumPath === undefined && !isCI) {
  console.warn("Browser.test.ts: skipped, `chromium` is not installed (apt-get install chromium); with CI=true this fails")
}

// the page's code: imports the Promise facade from the package's browser entry ("." → src/index.ts)
const pageScript = `
import { createClient, LrsError } from ${JSON.stringify(path.join(here, "../src/index.ts"))}
const demo = window.LRS_DEMO
const show = (id, text) => { document.getElementById(id).textContent = text }
const lrs = createClient({ baseUrl: location.origin })
try {
  const login = await lrs.login("college.online", demo.password)
  show("user", login.user.username + " @ " + login.user.organisationName)
  const found = await lrs.learners.findByUln(demo.find)
  show("found", found.responseCode + " " + found.learner.givenName + " " + found.learner.familyName + " " + found.learner.uln)
  const verified = await lrs.learners.verify(demo.verify)
  show("verified", verified.responseCode + " " + verified.uln)
  try {
    await lrs.learners.verify({ ...demo.verify, uln: "123" })
  } catch (e) {
    show("error", (e instanceof LrsError) + " " + e.name + " " + e.status + " " + e.code + " " + e.errors.map((f) => f.field).join(","))
  }
  show("requestId", found.requestId)
  show("status", "done")
} catch (e) {
  show("status", "failed: " + (e && e.code) + " " + (e && e.message))
}
`

let lrs: LrsHarness
let page: http.Server
let pageUrl = ""

beforeAll(async () => {
  lrs = await startServer()
  const bundle = await esbuild.build({
    stdin: { contents: pageScript, resolveDir: here, loader: "js", sourcefile: "page.js" },
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    conditions: ["source"],
    logLevel: "silent"
  })
  const script = bundle.outputFiles[0]!.text
  const find = lrs.scenario("learners.findByUln", "WSRC0004")
  const verify = lrs.scenario("learners.verify", "WSVRC001")
  const html = `<!doctype html><html><head><meta charset="utf-8"><title>LRS client</title>
<script>window.LRS_DEMO = ${JSON.stringify({ password: DEMO_PASSWORD, find, verify })}</script>
<script type="module" src="/app.js"></script></head>
<body><p id="status">loading</p><p id="user"></p><p id="found"></p><p id="verified"></p><p id="error"></p><p id="requestId"></p></body></html>`
  const upstream = new URL(lrs.baseUrl)
  page = http.createServer((req, res) => {
    if (req.url?.startsWith("/api/")) {
      const proxied = http.request(
        { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: { ...req.headers, host: upstream.host } },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, answer.headers)
          answer.pipe(res)
        }
      )
      proxied.on("error", () => res.writeHead(502).end())
      req.pipe(proxied)
    } else if (req.url === "/app.js") {
      res.writeHead(200, { "content-type": "text/javascript; charset=utf-8" }).end(script)
    } else if (req.url === "/" || req.url === "/index.html") {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html)
    } else {
      res.writeHead(404).end()
    }
  })
  await new Promise<void>((resolve) => page.listen(0, "127.0.0.1", resolve))
  pageUrl = `http://127.0.0.1:${(page.address() as AddressInfo).port}/`
})

afterAll(async () => {
  await new Promise<void>((resolve) => (page ? page.close(() => resolve()) : resolve()))
  await lrs?.close()
})

describe("Promise client in headless Chromium", () => {
  it.skipIf(chromiumPath === undefined && !isCI)("signs in, finds a learner by ULN, verifies a ULN", async () => {
    if (chromiumPath === undefined) throw new Error("CI is set but `chromium` is not installed: .ci/run installs it")
    const browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: ["--no-sandbox"] })
    try {
      const tab = await browser.newPage()
      const consoleErrors: Array<string> = []
      tab.on("pageerror", (e) => consoleErrors.push(e.message))
      await tab.goto(pageUrl)
      await tab.waitForFunction(() => document.getElementById("status")?.textContent !== "loading", undefined, { timeout: 20_000 })
      const text = async (id: string) => (await tab.textContent(`#${id}`)) ?? ""
      expect(consoleErrors).toEqual([])
      expect(await text("status")).toBe("done")
      expect(await text("user")).toBe("college.online @ Demo College")
      const find = lrs.scenario("learners.findByUln", "WSRC0004")
      expect(await text("found")).toBe(`WSRC0004 Amara Okafor ${String(find["uln"])}`)
      expect(await text("verified")).toBe(`WSVRC001 ${String(find["uln"])}`)
      expect(await text("error")).toBe("true LrsInvalidRequest 400 WSEC0001 uln")
      expect(await text("requestId")).toMatch(/^[0-9a-f-]{36}$/)
    } finally {
      await browser.close()
    }
  })
})
