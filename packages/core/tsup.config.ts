import { defineConfig } from "tsup"

export default defineConfig({
  entry: ["src/index.ts"],
  format: ["esm", "cjs"],
  dts: true,
  clean: true,
  sourcemap: true,
  target: "es2022",
  tsconfig: "tsconfig.build.json",
  // double-metaphone is ESM-only: bundle it so the CommonJS build works without require(esm)
  noExternal: ["double-metaphone"]
})
