import { describe, expect, it } from "@effect/vitest"
import * as Either from "effect/Either"
import * as fc from "fast-check"
import { clientAddress, clientKey, parseProxies } from "../src/http/ClientAddress.js"

const proxies = (text: string) => Either.getOrThrow(parseProxies(text))

const group = fc.integer({ min: 0, max: 0xffff })
const groups = fc.array(group, { minLength: 8, maxLength: 8 })
const full = (g: ReadonlyArray<number>) => g.map((x) => x.toString(16)).join(":")
// the same address as a URL host writes it: lower case, the longest run of zeros as ::
const canonical = (g: ReadonlyArray<number>) => new URL(`http://[${full(g)}]/`).hostname.slice(1, -1)
const padded = (g: ReadonlyArray<number>) => g.map((x) => x.toString(16).padStart(4, "0").toUpperCase()).join(":")
const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255)).map((p) => p.join("."))

describe("ClientAddress.clientKey", () => {
  it("an IPv4 address is itself; an IPv4-mapped IPv6 address is its IPv4 address; an IPv6 address is its /64", () => {
    expect(clientKey("192.0.2.1")).toBe("192.0.2.1")
    expect(clientKey("::ffff:192.0.2.1")).toBe("192.0.2.1")
    expect(clientKey("::ffff:c000:201")).toBe("192.0.2.1")
    expect(clientKey("2001:db8:1:2::1")).toBe("2001:db8:1:2::/64")
    expect(clientKey("2001:DB8:1:2:ffff:ffff:ffff:ffff")).toBe("2001:db8:1:2::/64")
    expect(clientKey("fe80::1%eth0")).toBe("fe80:0:0:0::/64")
    expect(clientKey("::1")).toBe("0:0:0:0::/64")
    expect(clientKey("unknown")).toBe("unknown")
  })

  it("property: any two ways of writing addresses in the same /64 give one key, in different /64s two", () => {
    fc.assert(fc.property(groups, groups, fc.boolean(), (a, b, same) => {
      const other = same ? [...a.slice(0, 4), ...b.slice(4)] : b
      // an IPv4-mapped address is not a /64 (checked above)
      fc.pre(!(a.slice(0, 5).every((g) => g === 0) && a[5] === 0xffff) && !(other.slice(0, 5).every((g) => g === 0) && other[5] === 0xffff))
      const keys = new Set([clientKey(full(a)), clientKey(canonical(a)), clientKey(padded(a))])
      expect(keys.size).toBe(1)
      expect(clientKey(canonical(other)) === clientKey(full(a))).toBe(same || full(a.slice(0, 4)) === full(b.slice(0, 4)))
    }), { numRuns: 500 })
  })

  it("property: an IPv4 address and its IPv4-mapped form have one key", () => {
    fc.assert(fc.property(ipv4, (address) => {
      expect(clientKey(address)).toBe(address)
      expect(clientKey(`::ffff:${address}`)).toBe(address)
      // as a URL host writes it: ::ffff:c000:201
      expect(clientKey(new URL(`http://[::ffff:${address}]/`).hostname.slice(1, -1))).toBe(address)
    }))
  })
})

describe("ClientAddress.clientAddress", () => {
  const trusted = proxies("10.0.0.0/8, 127.0.0.1 fd00::/8")

  it("an untrusted peer's X-Forwarded-For is ignored: anyone can send one", () => {
    expect(clientAddress(trusted, "198.51.100.9", "203.0.113.7")).toBe("198.51.100.9")
    expect(clientAddress(proxies(""), "127.0.0.1", "203.0.113.7")).toBe("127.0.0.1")
  })

  it("behind trusted proxies the client is the right-most hop that is not one of them", () => {
    expect(clientAddress(trusted, "127.0.0.1", "203.0.113.7")).toBe("203.0.113.7")
    expect(clientAddress(trusted, "10.1.2.3", "198.51.100.1, 203.0.113.7, 10.9.9.9")).toBe("203.0.113.7")
    expect(clientAddress(trusted, "fd00::5", " 2001:db8::7 ,fd00::6")).toBe("2001:db8::7")
    // as some proxies write a hop: with a port, in brackets
    expect(clientAddress(trusted, "127.0.0.1", "203.0.113.7:4431")).toBe("203.0.113.7")
    expect(clientAddress(trusted, "127.0.0.1", "[2001:db8::7]:4431")).toBe("2001:db8::7")
    expect(clientAddress(trusted, "127.0.0.1", "198.51.100.1, [2001:db8::7]")).toBe("2001:db8::7")
    // every hop a proxy: the left-most
    expect(clientAddress(trusted, "127.0.0.1", "10.0.0.2, 10.0.0.1")).toBe("10.0.0.2")
    // a hop that is not an address ends what can be believed
    expect(clientAddress(trusted, "127.0.0.1", "203.0.113.7, unknown")).toBe("127.0.0.1")
    expect(clientAddress(trusted, "127.0.0.1", undefined)).toBe("127.0.0.1")
    expect(clientAddress(trusted, undefined, "203.0.113.7")).toBeUndefined()
  })

  it("property: a client cannot choose its address by what it prepends to X-Forwarded-For", () => {
    fc.assert(fc.property(fc.array(fc.oneof(ipv4, fc.string()), { maxLength: 4 }), ipv4, (forged, real) => {
      fc.pre(!real.startsWith("10.") && real !== "127.0.0.1")
      // the trusted proxy appends the address it saw
      expect(clientAddress(trusted, "10.0.0.1", [...forged, real].join(", "))).toBe(real)
    }))
  })

  it("LRS_TRUSTED_PROXIES: addresses and CIDR blocks; anything else is named", () => {
    expect(Either.isRight(parseProxies(""))).toBe(true)
    expect(Either.isRight(parseProxies("10.0.0.0/8,192.168.1.1 ::1 fd00::/8"))).toBe(true)
    for (const bad of ["10.0.0.0/33", "fd00::/129", "10.0.0.0/", "10.0.0.0/x", "example.org", "10.0.0.256"]) {
      expect(parseProxies(`127.0.0.1, ${bad}`)).toEqual(Either.left(bad))
    }
  })
})
