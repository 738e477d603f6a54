import { Command, HelpDoc, Options, ValidationError } from "@effect/cli"
import { HttpServer } from "@effect/platform"
import { type Demo, Server } from "@learner-records/server"
import { Console, Effect, Option } from "effect"

/** The admin lines of a start-up banner. */
export const adminLines = (admin: Server.Started["admin"]): ReadonlyArray<string> =>
  admin._tag === "Created"
    ? Option.match(admin.password, {
      onNone: () => [`  admin      created user "${admin.username}" with the password in LRS_ADMIN_PASSWORD`],
      onSome: (password) => [
        `  admin      created user "${admin.username}" with the generated password: ${password}`,
        "             (shown once: note it now, or set LRS_ADMIN_PASSWORD before the first start)"
      ]
    })
    : []

/** The demo sign-ins and the scenarios to try, for the banner. */
export const demoLines = (demo: Demo.DemoData, docsUrl: string | undefined): ReadonlyArray<string> => [
  "",
  `Demo data loaded. Every demo user's password is ${process.env["LRS_DEMO_PASSWORD"] ?? "lrs-demo-password"}:`,
  ...demo.logins.filter((l) => l.username !== "admin").map((l) => `  ${l.username.padEnd(16)} ${l.role.padEnd(17)} ${l.organisation}`),
  "",
  `Try these${docsUrl === undefined ? "" : ` from ${docsUrl}`}, where each is in its operation's Examples list (sign in with POST /api/v1/auth/login, then Authorize with the token):`,
  ...demo.scenarios.map((s) => `  ${s.route.padEnd(42)} as ${s.signInAs.padEnd(15)} → ${s.outcome}\n      ${JSON.stringify(s.body)}`)
]

/** `--port`: 1–65535, or 0 for any free port (node would throw a RangeError with a stack trace). */
const port = Options.integer("port").pipe(
  Options.mapEffect((n) =>
    n >= 0 && n <= 65535 ? Effect.succeed(n) : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`port ${n} is not a port (1–65535, or 0 for any free port)`)))
  ),
  Options.optional,
  Options.withDescription("Port to listen on (default PORT or 3000; 0 picks a free one)")
)

/** `lrs serve [--port N] [--host H] [--demo]`: the reference server on `DATABASE_URL` or embedded PGlite. */
export const serve = Command.make("serve", {
  port,
  host: Options.text("host").pipe(Options.optional, Options.withDescription("Address to listen on (default HOST or 127.0.0.1)")),
  demo: Options.boolean("demo").pipe(Options.withDescription("Load the demo data set (lrs seed --demo) unless it is already there"))
}, ({ demo, host, port }) =>
  Effect.scoped(Effect.gen(function*() {
    const { address, started } = yield* Server.serve({ port: Option.getOrUndefined(port), host: Option.getOrUndefined(host), demo })
    const url = HttpServer.formatAddress(address)
    const database = process.env["DATABASE_URL"] ? "PostgreSQL (DATABASE_URL)" : `embedded PGlite in ${process.env["LRS_DATA_DIR"] ?? "./.lrs-data"}`
    yield* Console.log([
      `learner-records server listening on ${url}`,
      `  docs       ${url}/docs   (OpenAPI: ${url}/api/openapi.json)`,
      `  database   ${database}`,
      ...adminLines(started.admin),
      `  health     ${url}/healthz   readiness ${url}/readyz   metrics ${url}/metrics`,
      "Ctrl-C (or SIGTERM) stops it gracefully.",
      ...Option.match(started.demo, { onNone: () => [], onSome: (data) => demoLines(data, `${url}/docs`) })
    ].join("\n"))
    return yield* Effect.never
  }))).pipe(Command.withDescription("Run the reference server (embedded database unless DATABASE_URL is set)"))

/** `lrs migrate`: applies pending migrations to the configured database. */
export const migrate = Command.make("migrate", {}, () =>
  Effect.gen(function*() {
    const applied = yield* Server.migrate
    yield* Console.log(applied.length === 0 ? "database is up to date" : applied.map(([id, name]) => `applied ${id} ${name}`).join("\n"))
  })).pipe(Command.withDescription("Apply pending migrations to DATABASE_URL (or the embedded database)"))
