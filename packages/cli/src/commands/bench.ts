import { Command } from "@effect/cli"
import { benchApi, benchBaseline } from "../bench/api.js"
import { benchMatching } from "../bench/matching.js"
import { benchUln } from "../bench/uln.js"
import { benchValidate } from "../bench/validate.js"

/** `lrs bench <figure>`: the performance figures of CONTRACT §7, each against a baseline run in the same process. */
export const bench = Command.make("bench").pipe(
  Command.withDescription("Measure a CONTRACT §7 figure against a baseline in the same process"),
  Command.withSubcommands([benchUln, benchMatching, benchValidate, benchApi, benchBaseline])
)
