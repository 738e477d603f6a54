/**
 * Jaro and Jaro-Winkler similarity (Winkler 1990), written here rather than imported because it is
 * twenty lines, sits on the hot path of every comparison, and must behave the same in every build.
 * Checked against the textbook vectors (MARTHA/MARHTA 0.9611, DWAYNE/DUANE 0.8400, DIXON/DICKSONX
 * 0.8133).
 */

// Scratch buffers reused between calls: matching allocates nothing for names of up to 64 letters.
let flagsA = new Uint8Array(64)
let flagsB = new Uint8Array(64)

/** Jaro similarity in [0, 1]: 1 for equal strings, 0 when no character matches. */
export const jaro = (a: string, b: string): number => {
  if (a === b) return 1
  const la = a.length
  const lb = b.length
  if (la === 0 || lb === 0) return 0
  if (la > flagsA.length) flagsA = new Uint8Array(la * 2)
  if (lb > flagsB.length) flagsB = new Uint8Array(lb * 2)
  flagsA.fill(0, 0, la)
  flagsB.fill(0, 0, lb)
  const window = Math.max(0, (Math.max(la, lb) >> 1) - 1)
  let matches = 0
  for (let i = 0; i < la; i++) {
    const lo = Math.max(0, i - window)
    const hi = Math.min(lb - 1, i + window)
    const c = a.charCodeAt(i)
    for (let j = lo; j <= hi; j++) {
      if (flagsB[j] === 0 && b.charCodeAt(j) === c) {
        flagsA[i] = 1
        flagsB[j] = 1
        matches++
        break
      }
    }
  }
  if (matches === 0) return 0
  let transpositions = 0
  let k = 0
  for (let i = 0; i < la; i++) {
    if (flagsA[i] === 0) continue
    while (flagsB[k] === 0) k++
    if (a.charCodeAt(i) !== b.charCodeAt(k)) transpositions++
    k++
  }
  const m = matches
  return (m / la + m / lb + (m - transpositions / 2) / m) / 3
}

/**
 * Jaro-Winkler similarity: Jaro raised for a common prefix of up to four characters, with the
 * standard scaling factor 0.1.
 */
export const jaroWinkler = (a: string, b: string): number => {
  const j = jaro(a, b)
  const limit = Math.min(4, a.length, b.length)
  let prefix = 0
  while (prefix < limit && a.charCodeAt(prefix) === b.charCodeAt(prefix)) prefix++
  return j + prefix * 0.1 * (1 - j)
}
