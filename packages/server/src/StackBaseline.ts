/**
 * The second baseline of `lrs bench api`: the {@link Baseline} rewritten on the reference server's
 * stack — one `HttpApi` endpoint served by `@effect/platform-node`, the query through
 * `@effect/sql-pg` — and nothing else: no authentication, no access log, no middleware, no
 * verification. It runs exactly the SQL of `Learners.resolve` and answers exactly what the
 * {@link Baseline} answers.
 *
 * It is the ceiling of the stack: the LRS server does all of this and more on the same stack, so
 * it cannot be expected to be faster. "Stack baseline ÷ baseline" is what the stack itself costs
 * against bare `node:http` + `pg`, and "LRS ÷ stack baseline" is what the product's own work costs
 * (docs/server.md, "Speed").
 *
 * @since 0.1.0
 */
import { HttpApi, HttpApiBuilder, HttpApiEndpoint, HttpApiGroup, HttpServer } from "@effect/platform"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import * as PgClient from "@effect/sql-pg/PgClient"
import * as SqlClient from "@effect/sql/SqlClient"
import type { SqlError } from "@effect/sql/SqlError"
import { Context, Effect, Layer, Redacted, Schema } from "effect"
import type { ServeError } from "@effect/platform/HttpServerError"
import type * as Scope from "effect/Scope"
import { createServer } from "node:http"
import { answer, type BaselineOptions, FIND_BY_ULN_SQL } from "./Baseline.js"

const FindRequest = Schema.Struct({ uln: Schema.String, givenName: Schema.String, familyName: Schema.String })

type Rows = Parameters<typeof answer>[1]

/**
 * The stack baseline's contract: `POST /learners/find-by-uln` and `GET /healthz`, as in {@link Baseline}.
 *
 * @since 0.1.0
 * @category api
 */
export class StackBaselineApi extends HttpApi.make("stack-baseline").add(
  HttpApiGroup.make("baseline")
    .add(HttpApiEndpoint.post("findByUln", "/learners/find-by-uln").setPayload(FindRequest).addSuccess(Schema.Unknown))
    .add(HttpApiEndpoint.get("healthz", "/healthz").addSuccess(Schema.Struct({ status: Schema.Literal("ok") })))
) {}

const handlers = HttpApiBuilder.group(StackBaselineApi, "baseline", (handlers) =>
  Effect.gen(function*() {
    const sql = yield* SqlClient.SqlClient
    return handlers
      .handle("findByUln", ({ payload }) => Effect.map(Effect.orDie(sql.unsafe<Rows[number]>(FIND_BY_ULN_SQL, [payload.uln])), (rows) => answer(payload, rows)))
      .handle("healthz", () => Effect.succeed({ status: "ok" as const }))
  }))

/**
 * The stack baseline as a layer, listening on `options.port` (0: any free port).
 *
 * @since 0.1.0
 * @category layers
 */
export const layer = (options: BaselineOptions): Layer.Layer<HttpServer.HttpServer, ServeError | SqlError> => {
  const pool = options.poolMax ?? 10
  return HttpApiBuilder.serve().pipe(
    Layer.provide(HttpApiBuilder.api(StackBaselineApi).pipe(Layer.provide(handlers))),
    Layer.provideMerge(NodeHttpServer.layer(createServer, { port: options.port, host: options.host ?? "127.0.0.1" })),
    Layer.provide(PgClient.layer({
      url: Redacted.make(options.url),
      maxConnections: pool,
      minConnections: pool,
      applicationName: "lrs bench stack baseline"
    }))
  )
}

/**
 * Starts the stack baseline in the current scope and returns the port it listens on.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const listen = (options: BaselineOptions): Effect.Effect<{ readonly port: number }, ServeError | SqlError, Scope.Scope> =>
  Effect.map(Layer.build(layer(options)), (context) => {
    const address = Context.get(context, HttpServer.HttpServer).address
    return { port: address._tag === "TcpAddress" ? address.port : 0 }
  })
