#!/usr/bin/env node
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import { run } from "./Cli.js"
import { describeFailure } from "./internal/failure.js"
import { ExitCode } from "./internal/io.js"

run(process.argv).pipe(
  Effect.catchAll((error) =>
    Effect.gen(function*() {
      const failure = error instanceof ExitCode ? error : describeFailure(error)
      // anything else is not a failure an operator can fix: reported as it is, with its trace
      if (failure === undefined) return yield* Effect.fail(error)
      if (failure.message !== undefined) yield* Console.error(failure.message)
      process.exitCode = failure.code
    })
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: false })
)
