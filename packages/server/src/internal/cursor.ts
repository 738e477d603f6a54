/**
 * Opaque page cursors: the position of the last row of a page, base64url-encoded with a prefix
 * naming the list, so a client cannot build one by hand or pass one list's cursor to another.
 *
 * @since 0.1.0
 */

/**
 * The cursor of `position` in the list `kind`.
 *
 * @since 0.1.0
 */
export const encodeCursor = (kind: string, position: string): string => Buffer.from(`${kind}:${position}`, "utf8").toString("base64url")

/**
 * The position a cursor of the list `kind` holds, or `undefined` when it is not such a cursor or
 * the position does not pass `valid`.
 *
 * @since 0.1.0
 */
export const decodeCursor = (kind: string, cursor: string, valid: (position: string) => boolean): string | undefined => {
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) return undefined
  const text = Buffer.from(cursor, "base64url").toString("utf8")
  const prefix = `${kind}:`
  if (!text.startsWith(prefix)) return undefined
  const position = text.slice(prefix.length)
  return valid(position) ? position : undefined
}
