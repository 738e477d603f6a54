/**
 * The baseline of `lrs bench api`: the least a server can do to answer a find by ULN — a bare
 * `node:http` server and a `pg` pool running exactly the SQL of `Learners.resolve`, answering
 * plain JSON. No Effect, no schema decoding, no authentication, no access log, no middleware: what
 * the reference server adds on top is what the benchmark's ratio measures.
 *
 * `POST /learners/find-by-uln` `{uln, givenName, familyName}` → 200 `{responseCode, searchedUln,
 * learner}` (WSRC0004 / WSRC0022 when the ULN is held and both names equal the held ones ignoring
 * case, WSRC0001 otherwise); 400 on a body that is not that; `GET /healthz` → 200.
 *
 * @since 0.1.0
 */
import * as http from "node:http"
import type { AddressInfo } from "node:net"
import * as Pg from "pg"

/**
 * The query, character for character the one of `Learners.resolve` (the test checks the two agree
 * on what they return).
 *
 * @since 0.1.0
 * @category constants
 */
export const FIND_BY_ULN_SQL = `
        SELECT t.uln, t.details, t.version_number, t.created_at, t.updated_at, s.master_uln,
          ARRAY(SELECT c.uln FROM learners c WHERE c.master_uln = t.uln ORDER BY c.uln) AS linked_ulns
        FROM learners s JOIN learners t ON t.uln = coalesce(s.master_uln, s.uln)
        WHERE s.uln = $1`

/**
 * Options of {@link listen}.
 *
 * @since 0.1.0
 * @category models
 */
export interface BaselineOptions {
  /** PostgreSQL connection string. */
  readonly url: string
  /** Port to listen on (0: any free one). */
  readonly port: number
  readonly host?: string | undefined
  /** Pool size (the reference server's default `DATABASE_POOL_MAX` is 10). */
  readonly poolMax?: number | undefined
}

/**
 * A running baseline server.
 *
 * @since 0.1.0
 * @category models
 */
export interface Baseline {
  readonly port: number
  readonly close: () => Promise<void>
}

interface Row {
  readonly uln: string
  readonly details: Record<string, unknown>
  readonly version_number: number
  readonly created_at: Date
  readonly updated_at: Date
  readonly master_uln: string | null
  readonly linked_ulns: ReadonlyArray<string>
}

interface FindRequest {
  readonly uln: string
  readonly givenName: string
  readonly familyName: string
}

const isFindRequest = (value: unknown): value is FindRequest => {
  if (typeof value !== "object" || value === null) return false
  const v = value as Record<string, unknown>
  return typeof v["uln"] === "string" && typeof v["givenName"] === "string" && typeof v["familyName"] === "string"
}

const same = (a: unknown, b: string): boolean => typeof a === "string" && a.trim().toLowerCase() === b.trim().toLowerCase()

const send = (res: http.ServerResponse, status: number, body: unknown): void => {
  const text = JSON.stringify(body)
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) })
  res.end(text)
}

/**
 * The answer to a find-by-ULN request for the rows the query returned.
 *
 * @since 0.1.0
 * @category handlers
 */
export const answer = (request: FindRequest, rows: ReadonlyArray<Row>): unknown => {
  const row = rows[0]
  if (row === undefined || !same(row.details["givenName"], request.givenName) || !same(row.details["familyName"], request.familyName)) {
    return { responseCode: "WSRC0001", searchedUln: request.uln, learner: null }
  }
  const linked = row.master_uln !== null
  return {
    responseCode: linked ? "WSRC0022" : "WSRC0004",
    searchedUln: request.uln,
    learner: {
      ...row.details,
      uln: row.uln,
      versionNumber: row.version_number,
      createdAt: row.created_at.toISOString(),
      updatedAt: row.updated_at.toISOString(),
      linkedUlns: row.linked_ulns,
      masterSubstituted: linked
    }
  }
}

/**
 * Starts the baseline server; resolves once it listens.
 *
 * @since 0.1.0
 * @category lifecycle
 */
export const listen = async (options: BaselineOptions): Promise<Baseline> => {
  const pool = new Pg.Pool({ connectionString: options.url, max: options.poolMax ?? 10, application_name: "lrs bench baseline" })
  const server = http.createServer((req, res) => {
    if (req.method === "GET" && req.url === "/healthz") return send(res, 200, { status: "ok" })
    if (req.method !== "POST" || req.url !== "/learners/find-by-uln") return send(res, 404, { error: "not found" })
    const chunks: Array<Buffer> = []
    req.on("data", (chunk: Buffer) => chunks.push(chunk))
    req.on("end", () => {
      let body: unknown
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"))
      } catch {
        return send(res, 400, { error: "the body is not JSON" })
      }
      if (!isFindRequest(body)) return send(res, 400, { error: "uln, givenName and familyName are required strings" })
      pool.query<Row>(FIND_BY_ULN_SQL, [body.uln]).then(
        (result) => send(res, 200, answer(body, result.rows)),
        () => send(res, 500, { error: "database error" })
      )
    })
  })
  server.keepAliveTimeout = 60_000
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject)
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve())
  })
  const port = (server.address() as AddressInfo).port
  return {
    port,
    close: async () => {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await pool.end()
    }
  }
}
