/**
 * Remembers a pure function's results for the strings it saw last, up to `limit` of them (then it
 * starts afresh). For the name rules: names repeat a great deal — a million learners have about
 * 19,000 distinct names — so a bulk load or a search mostly meets names already seen.
 */
export const memoizeByString = <A>(f: (input: string) => A, limit: number): (input: string) => A => {
  const cache = new Map<string, A>()
  return (input) => {
    const hit = cache.get(input)
    if (hit !== undefined) return hit
    const value = f(input)
    if (cache.size >= limit) cache.clear()
    cache.set(input, value)
    return value
  }
}
