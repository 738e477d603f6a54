/**
 * Password hashing with scrypt, a memory-hard KDF (node:crypto), and the random secrets used for
 * bearer tokens and API keys (stored only as SHA-256 digests).
 *
 * @since 0.1.0
 */
import { Effect, Option } from "effect"
import * as crypto from "node:crypto"

// N = 2^15, r = 8: 32 MiB per hash and ~50 ms on the reference machine; OWASP's scrypt minimum is N = 2^17 with
// r = 8 p = 1, or an equivalent cost — we keep 2^15 with p = 1 plus the three-attempt lockout.
const N = 32768
const R = 8
const P = 1
const KEY_LENGTH = 32
const MAX_MEMORY = 128 * N * R * 2

const scrypt = (password: string, salt: Buffer, n: number, r: number, p: number, length: number) =>
  Effect.async<Buffer, Error>((resume) => {
    crypto.scrypt(password.normalize("NFKC"), salt, length, { N: n, r, p, maxmem: Math.max(MAX_MEMORY, 128 * n * r * 2) }, (error, key) =>
      resume(error === null ? Effect.succeed(key) : Effect.fail(error)))
  })

/**
 * Hashes a password as `scrypt$N$r$p$salt$hash` (base64url), with a fresh random salt.
 *
 * @since 0.1.0
 * @category passwords
 */
export const hash = (password: string): Effect.Effect<string> =>
  Effect.gen(function*() {
    const salt = crypto.randomBytes(16)
    const key = yield* Effect.orDie(scrypt(password, salt, N, R, P, KEY_LENGTH))
    return `scrypt$${N}$${R}$${P}$${salt.toString("base64url")}$${key.toString("base64url")}`
  })

/**
 * The parts of a stored hash (`scrypt$N$r$p$salt$hash`), or none when it is not one.
 *
 * @since 0.1.2
 * @category passwords
 */
export const parseHash = (stored: string): Option.Option<{ readonly n: number; readonly r: number; readonly p: number; readonly salt: Buffer; readonly key: Buffer }> => {
  const parts = stored.split("$")
  if (parts.length !== 6 || parts[0] !== "scrypt") return Option.none()
  const [n, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  const key = Buffer.from(parts[5]!, "base64url")
  if (!Number.isInteger(n) || !Number.isInteger(r) || !Number.isInteger(p) || key.length === 0) return Option.none()
  return Option.some({ n, r, p, salt: Buffer.from(parts[4]!, "base64url"), key })
}

/**
 * A well-formed hash with the usual cost that no password is expected to match (its key is all
 * zeros): sign-in checks an unknown user's password against it, so that an unknown user costs one
 * scrypt too and cannot be told from a wrong password by the time the answer takes.
 *
 * @since 0.1.2
 * @category passwords
 */
export const unmatchableHash = `scrypt$${N}$${R}$${P}$${Buffer.alloc(16).toString("base64url")}$${Buffer.alloc(KEY_LENGTH).toString("base64url")}`

/**
 * Checks a password against a stored hash in constant time; `false` for a malformed hash.
 *
 * @since 0.1.0
 * @category passwords
 */
export const verify = (password: string, stored: string): Effect.Effect<boolean> =>
  Option.match(parseHash(stored), {
    onNone: () => Effect.succeed(false),
    onSome: ({ key: expected, n, p, r, salt }) =>
      Effect.map(
        Effect.orElseSucceed(scrypt(password, salt, n, r, p, expected.length), () => Buffer.alloc(0)),
        (key) => key.length === expected.length && crypto.timingSafeEqual(key, expected)
      )
  })

/**
 * A new random secret with a recognisable prefix, e.g. `lrs_tok_…` or `lrs_key_…` (256 bits).
 *
 * @since 0.1.0
 * @category secrets
 */
export const newSecret = (prefix: "lrs_tok_" | "lrs_key_"): string => prefix + crypto.randomBytes(32).toString("base64url")

/**
 * The SHA-256 digest under which a token or API key is stored: the secret itself never is.
 *
 * @since 0.1.0
 * @category secrets
 */
export const digest = (secret: string): string => crypto.createHash("sha256").update(secret).digest("base64url")

/**
 * A random password for the first admin when `LRS_ADMIN_PASSWORD` is not set.
 *
 * @since 0.1.0
 * @category secrets
 */
export const generatePassword = (): string => crypto.randomBytes(18).toString("base64url")
