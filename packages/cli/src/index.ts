/**
 * `@learner-records/cli`: the `lrs` command as a library, for embedding or testing.
 *
 * @since 0.1.0
 */

/** @since 0.1.0 */
export * as Cli from "./Cli.js"
