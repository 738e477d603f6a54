/**
 * Small deterministic and non-deterministic random sources. Core does no I/O, so the
 * non-deterministic source is `crypto.getRandomValues`, present in Node ≥ 20 and browsers.
 */

/** A source of uniformly distributed 32-bit unsigned integers. */
export type RandomSource = () => number

/** Hashes a string or number seed into a 32-bit state (FNV-1a over the seed's text). */
export const seedToState = (seed: string | number): number => {
  const text = String(seed)
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

/** splitmix32: fast, well-distributed, and reproducible on every platform. */
export const seeded = (seed: string | number): RandomSource => {
  let state = seedToState(seed)
  return () => {
    state = (state + 0x9e3779b9) | 0
    let z = state
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b)
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35)
    return (z ^ (z >>> 16)) >>> 0
  }
}

/** Cryptographically random 32-bit integers, drawn in blocks to keep the call cheap. */
export const secure = (): RandomSource => {
  const block = new Uint32Array(256)
  let index = block.length
  return () => {
    if (index === block.length) {
      globalThis.crypto.getRandomValues(block)
      index = 0
    }
    return block[index++]!
  }
}

/** A uniform integer in [0, bound) without modulo bias. */
export const below = (random: RandomSource, bound: number): number => {
  const limit = 0x1_0000_0000 - (0x1_0000_0000 % bound)
  for (;;) {
    const x = random()
    if (x < limit) return x % bound
  }
}
