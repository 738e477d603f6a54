import { describe, expect, it } from "@effect/vitest"
import * as Effect from "effect/Effect"
import * as Option from "effect/Option"
import * as Passwords from "../src/Passwords.js"

describe("Passwords", () => {
  it.effect("a hash verifies its own password only", () =>
    Effect.gen(function*() {
      const hash = yield* Passwords.hash("a-long-enough-password")
      expect(Option.isSome(Passwords.parseHash(hash))).toBe(true)
      expect(yield* Passwords.verify("a-long-enough-password", hash)).toBe(true)
      expect(yield* Passwords.verify("a-long-enough-passwore", hash)).toBe(false)
    }))

  it.effect("the unmatchable hash is well formed, at the usual cost, so checking against it costs a real scrypt", () =>
    Effect.gen(function*() {
      const parsed = Passwords.parseHash(Passwords.unmatchableHash)
      const real = Passwords.parseHash(yield* Passwords.hash("x"))
      expect(Option.isSome(parsed) && Option.isSome(real)).toBe(true)
      if (Option.isSome(parsed) && Option.isSome(real)) {
        expect({ n: parsed.value.n, r: parsed.value.r, p: parsed.value.p, length: parsed.value.key.length })
          .toEqual({ n: real.value.n, r: real.value.r, p: real.value.p, length: real.value.key.length })
      }
      expect(yield* Passwords.verify("", Passwords.unmatchableHash)).toBe(false)
      expect(yield* Passwords.verify("lrs-demo-password", Passwords.unmatchableHash)).toBe(false)
    }))

  it("anything else is not a hash", () => {
    for (const bad of ["", "scrypt$32768$8$AAAA$AAAA", "bcrypt$1$2$3$4$5", "scrypt$x$8$1$AAAA$AAAA", "scrypt$32768$8$1$AAAA$"]) {
      expect(Option.isNone(Passwords.parseHash(bad)), bad).toBe(true)
    }
  })
})
