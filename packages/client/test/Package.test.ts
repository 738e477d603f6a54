/**
 * What a user installs: builds the package when its dist is missing or older than its sources,
 * packs it with `pnpm pack`, unpacks the tarball into a temporary project and checks the files,
 * the exports map, that the browser entry needs nothing from Node, and that `import`, `require`
 * and TypeScript all load it in a child process.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { execFile } from "node:child_process"
import * as fs from "node:fs"
import { createRequire } from "node:module"
import * as os from "node:os"
import * as path from "node:path"
import { fileURLToPath } from "node:url"
import { promisify } from "node:util"

const packageDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..")
const dist = path.join(packageDir, "dist")
const entries = ["index", "node"] as const
const distFiles = entries.flatMap((e) => [`${e}.js`, `${e}.cjs`, `${e}.d.ts`, `${e}.d.cts`])

/** The dependencies the unpacked package is given, from this workspace. */
const dependencies = ["effect", "@effect/platform", "@effect/platform-node", "@learner-records/api", "@learner-records/core"]

const newest = (dir: string): number =>
  fs.readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const full = path.join(dir, entry.name)
    return Math.max(max, entry.isDirectory() ? newest(full) : fs.statSync(full).mtimeMs)
  }, 0)

const distIsFresh = (): boolean => {
  if (!distFiles.every((f) => fs.existsSync(path.join(dist, f)))) return false
  const built = Math.min(...distFiles.map((f) => fs.statSync(path.join(dist, f)).mtimeMs))
  const sources = Math.max(
    newest(path.join(packageDir, "src")),
    ...["package.json", "tsup.config.ts", "tsconfig.build.json"].map((f) => fs.statSync(path.join(packageDir, f)).mtimeMs)
  )
  return built > sources
}

const execFileAsync = promisify(execFile)

// asynchronous, so that a long build does not block the test worker
const run = (command: string, args: ReadonlyArray<string>, cwd: string): Promise<string> =>
  execFileAsync(command, args, { cwd, encoding: "utf8", timeout: 300_000, maxBuffer: 16 * 1024 * 1024 }).then(
    (result) => result.stdout,
    (error: { readonly message: string; readonly stdout?: string }) => {
      throw new Error(`${error.message}\n${error.stdout ?? ""}`)
    }
  )

let tmp = ""
let unpacked = ""
let files: ReadonlyArray<string> = []

const listFiles = (dir: string, prefix = ""): Array<string> =>
  fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? listFiles(path.join(dir, entry.name), `${prefix}${entry.name}/`) : [`${prefix}${entry.name}`]
  )

beforeAll(async () => {
  if (!distIsFresh()) await run("pnpm", ["run", "build"], packageDir)
  for (const dep of ["api", "core"]) {
    // the unpacked package loads its workspace dependencies from their dist
    if (!fs.existsSync(path.join(packageDir, "..", dep, "dist", "index.cjs"))) await run("pnpm", ["run", "build"], path.join(packageDir, "..", dep))
  }
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), "lrs-client-pack-"))
  await run("pnpm", ["pack", "--pack-destination", tmp], packageDir)
  const tarball = fs.readdirSync(tmp).find((f) => f.endsWith(".tgz"))
  if (tarball === undefined) throw new Error("pnpm pack made no tarball")
  const modules = path.join(tmp, "project", "node_modules")
  unpacked = path.join(modules, "@learner-records", "client")
  fs.mkdirSync(unpacked, { recursive: true })
  await run("tar", ["-xzf", path.join(tmp, tarball), "-C", unpacked, "--strip-components=1"], tmp)
  for (const dep of dependencies) {
    const target = path.join(modules, dep)
    fs.mkdirSync(path.dirname(target), { recursive: true })
    fs.symlinkSync(fs.realpathSync(path.join(packageDir, "node_modules", dep)), target, "dir")
  }
  files = listFiles(unpacked).sort()
}, 360_000)

afterAll(() => {
  if (tmp !== "") fs.rmSync(tmp, { recursive: true, force: true })
})

type Exports = Record<string, string | Record<string, Record<string, string> | string>>

const manifest = (): { readonly exports: Exports; readonly sideEffects: unknown; readonly dependencies: Record<string, string> } =>
  JSON.parse(fs.readFileSync(path.join(unpacked, "package.json"), "utf8"))

const targets = (value: unknown): Array<string> =>
  typeof value === "string" ? [value] : typeof value === "object" && value !== null ? Object.values(value).flatMap(targets) : []

const node = (args: ReadonlyArray<string>): Promise<string> => run(process.execPath, args, path.join(tmp, "project"))

const script = (lines: ReadonlyArray<string>): string => lines.join("\n")

describe("package", () => {
  it("holds the built entries, the README and the manifest, and nothing else", () => {
    for (const f of distFiles) expect(files).toContain(`dist/${f}`)
    expect(files).toContain("README.md")
    expect(files).toContain("package.json")
    expect(files.filter((f) => !f.startsWith("dist/") && f !== "README.md" && f !== "package.json")).toEqual([])
  })

  it("has an exports map whose every target exists, no source condition, and no side effects", () => {
    const pkg = manifest()
    expect(pkg.sideEffects).toBe(false)
    expect(Object.keys(pkg.exports).sort()).toEqual([".", "./node", "./package.json"])
    expect(JSON.stringify(pkg.exports)).not.toContain("source")
    const all = targets(pkg.exports)
    expect(all.length).toBeGreaterThanOrEqual(9)
    for (const target of all) expect(fs.existsSync(path.join(unpacked, target)), target).toBe(true)
    expect(Object.values(pkg.dependencies).join(" ")).not.toContain("workspace:")
  })

  it("keeps Node out of the browser entry", () => {
    for (const f of ["dist/index.js", "dist/index.cjs"]) {
      const code = fs.readFileSync(path.join(unpacked, f), "utf8")
      expect(code, f).not.toMatch(/["']node:/)
      expect(code, f).not.toContain("@effect/platform-node")
      expect(code, f).not.toMatch(/require\(["'](http|https|net|fs|crypto|undici)["']\)|from ["'](http|https|net|fs|crypto|undici)["']/)
    }
  })

  it("loads with import, and makes calls", async () => {
    const out = await node([
      "--input-type=module",
      "-e",
      script([
        `import * as client from "@learner-records/client"`,
        `import * as node from "@learner-records/client/node"`,
        `const lrs = client.createClient({ baseUrl: "http://127.0.0.1:9" })`,
        `const error = await lrs.service.status({ retry: false }).catch((e) => e)`,
        `console.log(JSON.stringify({`,
        `  createClient: typeof client.createClient, tag: typeof client.LearnerRecordsClient, layerNode: typeof node.layerNode,`,
        `  oneCopy: node.LrsError === client.LrsError, findByUln: typeof lrs.learners.findByUln,`,
        `  error: error.name, network: error instanceof client.LrsNetworkError, code: error.code`,
        `}))`
      ])
    ])
    expect(JSON.parse(out)).toEqual({
      createClient: "function",
      tag: "function",
      layerNode: "function",
      oneCopy: true,
      findByUln: "function",
      error: "LrsNetworkError",
      network: true,
      code: "NETWORK"
    })
  }, 60_000)

  it("loads with require, and makes calls", async () => {
    const out = await node([
      "-e",
      script([
        `const client = require("@learner-records/client")`,
        `const node = require("@learner-records/client/node")`,
        `const lrs = client.createClient({ baseUrl: "http://127.0.0.1:9" })`,
        `lrs.service.status({ retry: false }).catch((e) => e).then((error) => console.log(JSON.stringify({`,
        `  createClient: typeof client.createClient, layerNode: typeof node.layerNode, oneCopy: node.LrsError === client.LrsError,`,
        `  error: error.name, network: error instanceof client.LrsNetworkError`,
        `})))`
      ])
    ])
    expect(JSON.parse(out)).toEqual({
      createClient: "function",
      layerNode: "function",
      oneCopy: true,
      error: "LrsNetworkError",
      network: true
    })
  }, 60_000)

  it("gives TypeScript users the types, from import and from require", async () => {
    const project = path.join(tmp, "project")
    const body = (importLines: string) =>
      script([
        importLines,
        `type IsAny<T> = 0 extends 1 & T ? true : false`,
        `const lrs = createClient({ baseUrl: "http://localhost", apiKey: "k" })`,
        `export const find = async () => {`,
        `  const found = await lrs.learners.findByUln({ uln: "1000000043", givenName: "Ada", familyName: "Lovelace" })`,
        `  const code: "WSRC0001" | "WSRC0004" | "WSRC0022" = found.responseCode`,
        `  const requestId: string = found.requestId`,
        `  return [code, requestId]`,
        `}`,
        `export const stale = (e: unknown) => e instanceof LrsError && e.code === "WSRC0013"`,
        `export const typed: [IsAny<typeof lrs>, IsAny<typeof LearnerRecordsClient>, IsAny<typeof layerNode>] = [false, false, false]`
      ])
    fs.writeFileSync(
      path.join(project, "esm.mts"),
      body(`import { createClient, LearnerRecordsClient, LrsError } from "@learner-records/client"\nimport { layerNode } from "@learner-records/client/node"`)
    )
    fs.writeFileSync(
      path.join(project, "cjs.cts"),
      body(`import { createClient, LearnerRecordsClient, LrsError } from "@learner-records/client"\nimport { layerNode } from "@learner-records/client/node"`)
    )
    fs.writeFileSync(
      path.join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: []
        },
        files: ["esm.mts", "cjs.cts"]
      })
    )
    const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
    await expect(node([tsc, "-p", project])).resolves.toBe("")
  }, 180_000)
})
