import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { memoizeByString } from "../src/internal/memo.js"
import { Blocking, Normalise } from "../src/index.js"

describe("memoizeByString (the name rules' cache)", () => {
  it("computes each input once while under its limit, then starts afresh, so it never holds more than the limit", () => {
    const calls: Array<string> = []
    const upper = memoizeByString((s) => {
      calls.push(s)
      return s.toUpperCase()
    }, 2)
    expect([upper("a"), upper("b"), upper("a"), upper("b")]).toEqual(["A", "B", "A", "B"])
    expect(calls).toEqual(["a", "b"])
    // a third input finds the cache full: it is emptied, so "a" is computed again afterwards
    expect(upper("c")).toBe("C")
    expect(upper("a")).toBe("A")
    expect(calls).toEqual(["a", "b", "c", "a"])
  })
  it("the cached name rules answer as on first sight, whatever was seen before", () => {
    fc.assert(fc.property(fc.array(fc.string(), { maxLength: 20 }), fc.string(), (seen, name) => {
      const first = [Normalise.name(name), Normalise.nameKey(name), Blocking.phoneticKey(name)]
      for (const other of seen) Blocking.phoneticKey(other)
      expect([Normalise.name(name), Normalise.nameKey(name), Blocking.phoneticKey(name)]).toEqual(first)
    }))
  })
})
