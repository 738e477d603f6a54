// Writes docs/response-codes.md from the catalogue in core, so the docs cannot drift from the code.
import * as ResponseCode from "../packages/core/src/ResponseCode.js"
import { writeFileSync } from "node:fs"

writeFileSync(new URL("../docs/response-codes.md", import.meta.url), ResponseCode.toMarkdown() + "\n")
