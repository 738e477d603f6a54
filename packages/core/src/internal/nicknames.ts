import { NICKNAME_GROUPS } from "../data/nicknames.js"

const EMPTY: ReadonlyArray<number> = []

// name → the groups it belongs to (KATE is short for Catherine, Katherine and Kathryn)
const groups = new Map<string, Array<number>>()
NICKNAME_GROUPS.forEach((line, id) => {
  for (const n of line.split(" ")) {
    const list = groups.get(n)
    if (list === undefined) groups.set(n, [id])
    else if (!list.includes(id)) list.push(id)
  }
})

/** The nickname groups a normalised name key belongs to (empty when none). */
export const nicknameGroups = (key: string): ReadonlyArray<number> => groups.get(key) ?? EMPTY

/** `true` when two group lists share a group. */
export const shareGroup = (a: ReadonlyArray<number>, b: ReadonlyArray<number>): boolean => {
  if (a.length === 0 || b.length === 0) return false
  for (let i = 0; i < a.length; i++) if (b.includes(a[i]!)) return true
  return false
}
