/**
 * Which client a request without a good credential is charged to, for the rate limit. Two rules:
 *
 * - **Behind a proxy** (a load balancer, a TLS terminator) every request comes from the proxy's
 *   address, so all clients would share one allowance. When the peer is one of
 *   `LRS_TRUSTED_PROXIES` (addresses or CIDR blocks), the client is the right-most address of
 *   `X-Forwarded-For` that is not itself a trusted proxy: the last hop a trusted proxy saw. An
 *   untrusted peer's `X-Forwarded-For` is ignored, since anyone can send one.
 * - **IPv6**: one subscriber is usually given a whole /64 and picks any address in it at will, so
 *   an IPv6 client is its /64; an IPv4-mapped address (`::ffff:192.0.2.1`) is the IPv4 address.
 *
 * @since 0.1.2
 */
import type { HttpServerRequest } from "@effect/platform"
import { Config, ConfigError, Either } from "effect"
import * as net from "node:net"

/**
 * Parses a list of addresses and CIDR blocks (separated by commas or spaces) into a block list;
 * the first entry that is neither, when one is not.
 *
 * @since 0.1.2
 * @category parsing
 */
export const parseProxies = (text: string): Either.Either<net.BlockList, string> => {
  const list = new net.BlockList()
  for (const entry of text.split(/[\s,]+/).filter((e) => e !== "")) {
    const slash = entry.indexOf("/")
    const address = slash === -1 ? entry : entry.slice(0, slash)
    const prefix = slash === -1 ? undefined : entry.slice(slash + 1)
    const family = net.isIP(address)
    const bits = prefix === undefined ? undefined : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN
    if (family === 0 || (bits !== undefined && !(bits <= (family === 6 ? 128 : 32)))) return Either.left(entry)
    const type = family === 6 ? "ipv6" : "ipv4"
    if (bits === undefined) list.addAddress(address, type)
    else list.addSubnet(address, bits, type)
  }
  return Either.right(list)
}

/**
 * The proxies whose `X-Forwarded-For` is believed (`LRS_TRUSTED_PROXIES`; none by default).
 *
 * @since 0.1.2
 * @category config
 */
export const TrustedProxies: Config.Config<net.BlockList> = Config.string("LRS_TRUSTED_PROXIES").pipe(
  Config.withDefault(""),
  Config.mapOrFail((text) =>
    Either.mapLeft(parseProxies(text), (entry) =>
      ConfigError.InvalidData(["LRS_TRUSTED_PROXIES"], `"${entry}" is not an IP address or a CIDR block (such as 10.0.0.0/8 or fd00::/8)`))
  )
)

/** The eight 16-bit groups of an IPv6 address (zone dropped), or undefined when it is not one. */
const ipv6Groups = (address: string): ReadonlyArray<number> | undefined => {
  const bare = address.split("%", 1)[0]!
  if (net.isIPv6(bare) === false) return undefined
  let text = bare
  // a dotted IPv4 tail is the last two groups
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text)
  if (dotted !== null) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number]
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`
  }
  const [head = "", tail] = text.split("::", 2)
  const part = (s: string) => s === "" ? [] : s.split(":").map((g) => parseInt(g, 16))
  const left = part(head)
  const right = tail === undefined ? [] : part(tail)
  const zeros = tail === undefined ? 0 : 8 - left.length - right.length
  return [...left, ...Array.from({ length: zeros }, () => 0), ...right]
}

/**
 * The rate limit's key for an address: an IPv4 address as it is (an IPv4-mapped IPv6 address as
 * its IPv4 address), an IPv6 address as its /64, anything else as it was given.
 *
 * @since 0.1.2
 * @category keys
 */
export const clientKey = (address: string): string => {
  const groups = ipv6Groups(address)
  if (groups === undefined) return address
  if (groups.slice(0, 5).every((g) => g === 0) && groups[5] === 0xffff) {
    return `${groups[6]! >> 8}.${groups[6]! & 255}.${groups[7]! >> 8}.${groups[7]! & 255}`
  }
  return `${groups.slice(0, 4).map((g) => g.toString(16)).join(":")}::/64`
}

const familyOf = (address: string): "ipv4" | "ipv6" | undefined => {
  const family = net.isIP(address.split("%", 1)[0]!)
  return family === 4 ? "ipv4" : family === 6 ? "ipv6" : undefined
}

const trusted = (proxies: net.BlockList, address: string): boolean => {
  const family = familyOf(address)
  return family !== undefined && proxies.check(address.split("%", 1)[0]!, family)
}

/**
 * The address of one `X-Forwarded-For` hop, as some proxies write it: `[2001:db8::1]`, with a port
 * (`203.0.113.7:4431`, `[2001:db8::1]:4431`), or bare.
 *
 * @since 0.1.2
 * @category addresses
 */
export const hopAddress = (hop: string): string => {
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(hop)
  if (bracketed !== null) return bracketed[1]!
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(hop)
  return withPort !== null ? withPort[1]! : hop
}

/**
 * The address a request came from: its peer's, or, when the peer is a trusted proxy, the
 * right-most `X-Forwarded-For` hop that is not a trusted proxy (the left-most when every hop is
 * one). `undefined` when the peer is unknown.
 *
 * @since 0.1.2
 * @category addresses
 */
export const clientAddress = (proxies: net.BlockList, peer: string | undefined, forwardedFor: string | undefined): string | undefined => {
  if (peer === undefined || forwardedFor === undefined || !trusted(proxies, peer)) return peer
  const hops = forwardedFor.split(",").map((h) => hopAddress(h.trim())).filter((h) => h !== "")
  // a hop that is not an address (a proxy's "unknown", garbage) ends what can be believed
  let client = peer
  for (let i = hops.length - 1; i >= 0; i--) {
    const hop = hops[i]!
    if (familyOf(hop) === undefined) break
    client = hop
    if (!trusted(proxies, hop)) break
  }
  return client
}

/**
 * The rate limit's key for a request with no good credential: its client's address (see
 * {@link clientAddress}), grouped as {@link clientKey} says.
 *
 * @since 0.1.2
 * @category keys
 */
export const requestKey = (proxies: net.BlockList, request: HttpServerRequest.HttpServerRequest): string => {
  const peer = request.remoteAddress._tag === "Some" ? request.remoteAddress.value : undefined
  const address = clientAddress(proxies, peer, request.headers["x-forwarded-for"])
  return `ip:${address === undefined ? "unknown" : clientKey(address)}`
}
