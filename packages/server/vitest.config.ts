import { defineProject, mergeConfig } from "vitest/config"
import { shared } from "../../vitest.shared.js"

export default mergeConfig(
  shared,
  defineProject({
    test: {
      // a PostgreSQL server for the tests (`inject("databaseUrl")`), see test/setup/globalSetup.ts
      globalSetup: ["./test/setup/globalSetup.ts"]
    }
  })
)
