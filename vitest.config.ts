import { defineConfig } from "vitest/config"

// `test.projects` replaces the `vitest.workspace.ts` file deprecated in vitest 3.2.
export default defineConfig({
  test: {
    projects: ["packages/*"]
  }
})
