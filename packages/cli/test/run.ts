import { spawnSync } from "node:child_process"
import * as path from "node:path"
import { fileURLToPath } from "node:url"

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..")

/** Runs the real `lrs` binary from source, as `pnpm lrs` does, and returns what it printed. */
export const lrs = (args: ReadonlyArray<string>, input?: string) => {
  const r = spawnSync(process.execPath, ["--conditions=source", "--import", "tsx", path.join(root, "packages/cli/src/bin.ts"), ...args], {
    cwd: root,
    input: input ?? "",
    encoding: "utf8",
    timeout: 120_000
  })
  return { status: r.status, stdout: r.stdout, stderr: r.stderr }
}
