import { defineConfig } from "tsup"

export default defineConfig({
  // index: browser-safe (fetch only); node: adds NodeHttpClient and re-exports the index by the
  // package's own name, so the two entries share the index's code instead of each bundling a copy
  entry: { index: "src/index.ts", node: "src/node.ts" },
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json",
  external: ["@learner-records/client"]
})
