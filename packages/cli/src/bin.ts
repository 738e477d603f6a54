#!/usr/bin/env node
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { run } from "./Cli.js"
import { ExitCode } from "./internal/io.js"

run(process.argv).pipe(
  Effect.catchTag("ExitCode", (e: ExitCode) =>
    Effect.gen(function*() {
      if (e.message !== undefined) yield* Console.error(e.message)
      process.exitCode = e.code
    })),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: false })
)
