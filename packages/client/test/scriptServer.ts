/**
 * A small real `node:http` server that answers requests from a script, one step per request, and
 * records what it was sent: enough to test the transport (retries, headers, timeouts) without the
 * LRS server.
 */
import { Effect } from "effect"
import * as http from "node:http"
import type { AddressInfo } from "node:net"

export interface Step {
  readonly status?: number
  readonly headers?: Readonly<Record<string, string>>
  readonly body?: unknown
  /** Wait this many milliseconds before answering. */
  readonly delay?: number
  /** Drop the connection instead of answering (a network fault). */
  readonly drop?: boolean
  /** Send the status line, headers and half the body, then wait this many ms before the rest. */
  readonly stallBody?: number
  /** Send the status line, headers and half the body, then drop the connection. */
  readonly dropMidBody?: boolean
}

export interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
  /** `Date.now()` when the request arrived. */
  readonly at: number
}

export interface ScriptServer {
  readonly url: string
  readonly seen: ReadonlyArray<Seen>
  /** How many requests the client closed before they were answered. */
  readonly abandoned: () => number
}

export const status = {
  service: "learner-records",
  version: "0.1.0",
  apiVersion: "v1",
  database: "pglite",
  maintenanceWindows: [],
  deprecations: []
}

export const problem = (tag: string, code: string, requestId = "server-id") => ({
  _tag: tag,
  code,
  title: tag,
  detail: `${tag} (${code})`,
  errors: [],
  requestId
})

/** Starts a server answering with `steps` in order (500 once they run out); closed with the scope. */
export const scriptServer = (steps: ReadonlyArray<Step>) =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: http.Server; readonly api: ScriptServer }>((resume) => {
      const seen: Array<Seen> = []
      let next = 0
      let abandoned = 0
      const server = http.createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (c: Buffer) => chunks.push(c))
        res.on("close", () => {
          if (!res.writableFinished) abandoned++
        })
        req.on("end", () => {
          seen.push({
            method: req.method ?? "",
            url: req.url ?? "",
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8"),
            at: Date.now()
          })
          const step: Step = steps[next++] ?? { status: 500, body: problem("InternalError", "WSEC0999") }
          const answer = () => {
            if (step.drop === true) {
              req.socket.destroy()
              return
            }
            const status = step.status ?? 200
            const body = step.body === undefined ? "" : JSON.stringify(step.body)
            res.writeHead(status, {
              ...(body === "" ? {} : { "content-type": status >= 400 ? "application/problem+json" : "application/json" }),
              ...(step.stallBody !== undefined || step.dropMidBody === true ? { "content-length": String(Buffer.byteLength(body)) } : {}),
              "x-request-id": String(req.headers["x-request-id"] ?? "generated"),
              ...step.headers
            })
            if (step.stallBody !== undefined || step.dropMidBody === true) {
              const half = Math.floor(body.length / 2)
              res.write(body.slice(0, half))
              if (step.dropMidBody === true) setTimeout(() => req.socket.destroy(), 20)
              else setTimeout(() => res.end(body.slice(half)), step.stallBody)
              return
            }
            res.end(body)
          }
          if (step.delay !== undefined) setTimeout(answer, step.delay)
          else answer()
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, api: { url: `http://127.0.0.1:${port}`, seen, abandoned: () => abandoned } }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ api }) => api))
