import { ValidationError } from "@effect/cli"
import { Database } from "@learner-records/server"
import { ConfigError, Predicate } from "effect"

/**
 * How a failed command ends: the line to print on standard error (none when it was printed
 * already) and the exit code.
 */
export interface Failure {
  readonly code: number
  readonly message?: string | undefined
}

const hasCode = (u: unknown): u is { readonly code: string } => Predicate.hasProperty(u, "code") && typeof u.code === "string"

/** The error, then its causes (`cause` chains and the errors of an `AggregateError`), first first. */
const causes = (error: unknown): ReadonlyArray<unknown> => {
  const all: Array<unknown> = []
  const visit = (u: unknown, depth: number) => {
    if (u === undefined || u === null || depth > 8 || all.includes(u)) return
    all.push(u)
    if (u instanceof AggregateError) for (const e of u.errors) visit(e, depth + 1)
    if (Predicate.hasProperty(u, "cause")) visit(u.cause, depth + 1)
  }
  visit(error, 0)
  return all
}

const messageOf = (u: unknown): string =>
  Predicate.hasProperty(u, "message") && typeof u.message === "string" ? u.message : String(u)

/** Where `DATABASE_URL` points, without the user or the password. */
const postgresTarget = (url: string): string => {
  if (!URL.canParse(url)) return "DATABASE_URL"
  const parsed = new URL(url)
  const host = parsed.hostname !== "" ? parsed.hostname : parsed.searchParams.get("host") ?? "localhost"
  return `${host}:${parsed.port !== "" ? parsed.port : "5432"}`
}

/** The reason a connection to PostgreSQL failed, from node's or the server's error code. */
const connectReason = (code: string, message: string): string | undefined => {
  switch (code) {
    case "ECONNREFUSED":
      return "connection refused"
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return "host not found"
    case "ETIMEDOUT":
      return "timed out"
    case "ECONNRESET":
      return "connection reset"
    case "EHOSTUNREACH":
    case "ENETUNREACH":
      return "host unreachable"
    case "28P01": // invalid_password
    case "28000": // invalid_authorization_specification (pg_hba)
    case "3D000": // invalid_catalog_name: no such database
    case "53300": // too_many_connections
    case "57P03": // cannot_connect_now (starting up, shutting down)
      return message
    default:
      return undefined
  }
}

/** Removes the password of `DATABASE_URL` wherever it appears, should a driver quote the URL. */
const redact = (text: string, url: string | undefined): string => {
  if (url === undefined || !URL.canParse(url)) return text
  const { password } = new URL(url)
  return password === "" ? text : text.split(password).join("***").split(decodeURIComponent(password)).join("***")
}

const sqlFailure = (error: unknown, env: NodeJS.ProcessEnv): string => {
  const url = env["DATABASE_URL"]?.trim()
  const chain = causes(error)
  if (url === undefined || url === "") {
    const dir = env["LRS_DATA_DIR"] ?? Database.defaultDataDir
    const detail = chain.slice(1).map(messageOf).at(-1) ?? messageOf(error)
    return `cannot use the embedded database in ${dir}: ${detail}; check LRS_DATA_DIR`
  }
  for (const cause of chain) {
    if (!hasCode(cause)) continue
    const reason = connectReason(cause.code, messageOf(cause))
    if (reason !== undefined) return redact(`cannot connect to PostgreSQL at ${postgresTarget(url)} (${reason}); check DATABASE_URL`, url)
  }
  const detail = chain.slice(1).map(messageOf).at(-1) ?? messageOf(error)
  return redact(`PostgreSQL at ${postgresTarget(url)} refused a statement: ${detail}`, url)
}

/** One line per problem of the configuration (the environment variables). */
const configLines = (error: ConfigError.ConfigError): ReadonlyArray<string> =>
  ConfigError.reduceWithContext(error, undefined, {
    andCase: (_, left: ReadonlyArray<string>, right: ReadonlyArray<string>) => [...left, ...right],
    orCase: (_, left: ReadonlyArray<string>, right: ReadonlyArray<string>) => [...left, ...right],
    invalidDataCase: (_, path, message) => [message.includes(path.join(".")) ? message : `${path.join(".")}: ${message}`],
    missingDataCase: (_, path, message) => [`${path.join(".")} is missing: ${message}`],
    sourceUnavailableCase: (_, path, message) => [`${path.join(".")}: ${message}`],
    unsupportedCase: (_, path, message) => [`${path.join(".")}: ${message}`]
  })

const serveFailure = (error: unknown): string => {
  for (const cause of causes(error)) {
    if (!hasCode(cause)) continue
    const port = Predicate.hasProperty(cause, "port") ? String(cause.port) : "?"
    const address = Predicate.hasProperty(cause, "address") ? String(cause.address) : "?"
    switch (cause.code) {
      case "EADDRINUSE":
        return `port ${port} is in use; choose another with --port or PORT`
      case "EACCES":
        return `not allowed to listen on port ${port}; choose one above 1023 with --port or PORT`
      case "EADDRNOTAVAIL":
        return `cannot listen on ${address}: no such address on this machine; choose another with --host or HOST`
      case "ENOTFOUND":
      case "EAI_AGAIN":
        return `cannot listen on ${Predicate.hasProperty(cause, "hostname") ? String(cause.hostname) : address}: host not found; check --host or HOST`
    }
  }
  return `cannot listen: ${causes(error).map(messageOf).at(-1) ?? "unknown reason"}`
}

/**
 * What to tell an operator when a command fails: one line naming the problem and what to do, no
 * stack trace, no password; `undefined` for what is not an expected failure (a defect is reported
 * with its trace: it is a bug). `@effect/cli` has printed its own usage errors already.
 */
export const describeFailure = (error: unknown, env: NodeJS.ProcessEnv = process.env): Failure | undefined => {
  if (ValidationError.isValidationError(error)) return { code: 1 }
  if (ConfigError.isConfigError(error)) return { code: 1, message: configLines(error).join("\n") }
  if (Predicate.isTagged(error, "SqlError")) return { code: 1, message: sqlFailure(error, env) }
  if (Predicate.isTagged(error, "MigrationError")) return { code: 1, message: `cannot migrate the database: ${messageOf(error)}` }
  if (Predicate.isTagged(error, "ServeError")) return { code: 1, message: serveFailure(error) }
  return undefined
}
