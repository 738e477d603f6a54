import * as path from "node:path"
import { fileURLToPath } from "node:url"
import type { ViteUserConfig } from "vitest/config"

const root = path.dirname(fileURLToPath(import.meta.url))

/**
 * Shared vitest settings: workspace packages resolve to their TypeScript sources, so the suite
 * never needs a build first.
 */
export const shared: ViteUserConfig = {
  esbuild: { target: "es2022" },
  resolve: {
    alias: [
      { find: /^@learner-records\/(core|api|server|client|cli)$/, replacement: path.join(root, "packages/$1/src/index.ts") },
      { find: /^@learner-records\/(core|api|server|client|cli)\/(.+)$/, replacement: path.join(root, "packages/$1/src/$2.ts") }
    ]
  },
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: [path.join(root, "vitest.setup.ts")],
    testTimeout: 30_000,
    hookTimeout: 120_000
  }
}
