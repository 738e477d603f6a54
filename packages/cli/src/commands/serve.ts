import { Command, Options } from "@effect/cli"
import { HttpServer } from "@effect/platform"
import { Server } from "@learner-records/server"
import { Console, Effect, Option } from "effect"

/** `lrs serve [--port N] [--host H]`: the reference server on `DATABASE_URL` or embedded PGlite. */
export const serve = Command.make("serve", {
  port: Options.integer("port").pipe(Options.optional, Options.withDescription("Port to listen on (default PORT or 3000)")),
  host: Options.text("host").pipe(Options.optional, Options.withDescription("Address to listen on (default HOST or 127.0.0.1)"))
}, ({ host, port }) =>
  Effect.scoped(Effect.gen(function*() {
    const { address, started } = yield* Server.serve({ port: Option.getOrUndefined(port), host: Option.getOrUndefined(host) })
    const url = HttpServer.formatAddress(address)
    const database = process.env["DATABASE_URL"] ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${process.env["LRS_DATA_DIR"] ?? "./.lrs-data"}`
    const admin = started.admin._tag === "Created"
      ? Option.match(started.admin.password, {
        onNone: () => [`  admin      created user "${started.admin._tag === "Created" ? started.admin.username : ""}" with the password in LRS_ADMIN_PASSWORD`],
        onSome: (password) => [
          `  admin      created user "admin" with the generated password: ${password}`,
          "             (shown once: note it now, or set LRS_ADMIN_PASSWORD before the first start)"
        ]
      })
      : []
    yield* Console.log([
      `learner-records server listening on ${url}`,
      `  docs       ${url}/docs   (OpenAPI: ${url}/api/openapi.json)`,
      `  database   ${database}`,
      ...admin,
      `  health     ${url}/healthz   readiness ${url}/readyz   metrics ${url}/metrics`,
      "Ctrl-C (or SIGTERM) stops it gracefully."
    ].join("\n"))
    return yield* Effect.never
  }))).pipe(Command.withDescription("Run the reference server (embedded database unless DATABASE_URL is set)"))

/** `lrs migrate`: applies pending migrations to the configured database. */
export const migrate = Command.make("migrate", {}, () =>
  Effect.gen(function*() {
    const applied = yield* Server.migrate
    yield* Console.log(applied.length === 0 ? "database is up to date" : applied.map(([id, name]) => `applied ${id} ${name}`).join("\n"))
  })).pipe(Command.withDescription("Apply pending migrations to DATABASE_URL (or the embedded database)"))
