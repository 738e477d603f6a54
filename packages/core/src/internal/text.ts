/**
 * Turns chunks of bytes or text into text, as a stream: UTF-8 with a multi-byte character split
 * across chunks handled, and a leading byte-order mark removed. Invalid UTF-8 becomes U+FFFD,
 * which the batch rules report per field; nothing here throws.
 */

/** A piece of a file: bytes or already-decoded text. */
export type Chunk = string | Uint8Array

/** A streaming decoder. */
export interface TextChunks {
  push(chunk: Chunk): string
  end(): string
}

/** A new streaming decoder. */
export const textChunks = (): TextChunks => {
  let decoder: TextDecoder | undefined
  let first = true
  const stripBom = (s: string): string => {
    if (!first || s.length === 0) return s
    first = false
    return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s
  }
  return {
    push(chunk) {
      if (typeof chunk === "string") {
        // text after bytes: flush whatever partial character the decoder holds first
        const pending = decoder === undefined ? "" : decoder.decode()
        return stripBom(pending + chunk)
      }
      // the default decoder drops a leading BOM itself and never throws (fatal: false)
      decoder ??= new TextDecoder("utf-8")
      const s = decoder.decode(chunk, { stream: true })
      if (s.length > 0) first = false
      return s
    },
    end() {
      return decoder === undefined ? "" : stripBom(decoder.decode())
    }
  }
}

/** `true` for a value that can be iterated asynchronously. */
export const isAsyncIterable = (u: unknown): u is AsyncIterable<unknown> =>
  typeof u === "object" && u !== null && Symbol.asyncIterator in u

/** A whole file, or its chunks, as an iterable of chunks. */
export const chunksOf = (source: Chunk | Iterable<Chunk>): Iterable<Chunk> =>
  typeof source === "string" || source instanceof Uint8Array ? [source] : source
