/**
 * A small streaming XML reader and writer, enough for the batch files' XML shapes (elements,
 * attributes, text, CDATA, comments, the XML declaration; the five predefined and numeric character
 * references). It never throws: the first well-formedness fault becomes an `Error` event with its
 * line, and the reader stops there. A DOCTYPE is refused, so no entity can expand.
 *
 * @since 0.1.0
 */
import { type Chunk, chunksOf, textChunks } from "./internal/text.js"

/**
 * What the reader sees, in document order. Text is given with references resolved and line ends
 * normalised to LF, possibly in several pieces.
 *
 * @since 0.1.0
 * @category models
 */
export type XmlEvent =
  | { readonly _tag: "Open"; readonly name: string; readonly attributes: Readonly<Record<string, string>>; readonly line: number }
  | { readonly _tag: "Close"; readonly name: string; readonly line: number }
  | { readonly _tag: "Text"; readonly text: string; readonly line: number }
  | { readonly _tag: "Error"; readonly message: string; readonly line: number }

/**
 * A push reader: give it text as it arrives, get the events complete so far.
 *
 * @since 0.1.0
 * @category models
 */
export interface Reader {
  push(text: string): Array<XmlEvent>
  end(): Array<XmlEvent>
}

/**
 * Limits that keep memory bounded on hostile input.
 *
 * @since 0.1.0
 * @category models
 */
export interface ReaderOptions {
  /** Longest tag, comment or CDATA section, in characters (default 1,000,000). */
  readonly maxMarkupLength?: number
  /** Deepest nesting (default 64). */
  readonly maxDepth?: number
}

const NAME = /^[A-Za-z_:][-A-Za-z0-9_:.]*/
const ATTRIBUTE = /\s+([A-Za-z_:][-A-Za-z0-9_:.]*)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y
const PREDEFINED: Readonly<Record<string, string>> = { lt: "<", gt: ">", amp: "&", quot: "\"", apos: "'" }

// characters XML 1.0 allows in a document
const isXmlChar = (cp: number) =>
  cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || (cp >= 0x10000 && cp <= 0x10ffff)

/** Resolves references in text or an attribute value; a string is an error message. */
const unescape = (raw: string): { readonly text: string } | string => {
  if (!raw.includes("&")) return { text: raw }
  let out = ""
  let at = 0
  for (;;) {
    const amp = raw.indexOf("&", at)
    if (amp === -1) break
    const semi = raw.indexOf(";", amp)
    if (semi === -1 || semi - amp > 12) return "an & must start a reference such as &amp; (write & as &amp;)"
    out += raw.slice(at, amp)
    const ref = raw.slice(amp + 1, semi)
    if (ref.startsWith("#")) {
      const cp = /^#x[0-9A-Fa-f]{1,6}$/.test(ref) ? parseInt(ref.slice(2), 16) : /^#[0-9]{1,7}$/.test(ref) ? parseInt(ref.slice(1), 10) : NaN
      if (!isXmlChar(cp)) return `&${ref}; is not a character XML allows`
      out += String.fromCodePoint(cp)
    } else {
      const c = PREDEFINED[ref]
      if (c === undefined) return `unknown entity &${ref}; (only &lt; &gt; &amp; &quot; &apos; and numeric references are allowed)`
      out += c
    }
    at = semi + 1
  }
  return { text: out + raw.slice(at) }
}

const countLines = (s: string, from: number, to: number): number => {
  let n = 0
  for (let k = s.indexOf("\n", from); k !== -1 && k < to; k = s.indexOf("\n", k + 1)) n++
  return n
}

const NAME_ONLY = /^[A-Za-z_:][-A-Za-z0-9_:.]*$/
const NO_ATTRIBUTES: Readonly<Record<string, string>> = Object.freeze({})

/**
 * A new reader.
 *
 * @since 0.1.0
 * @category constructors
 */
export const reader = (options: ReaderOptions = {}): Reader => {
  const maxMarkup = options.maxMarkupLength ?? 1_000_000
  const maxDepth = options.maxDepth ?? 64
  let buf = ""
  let line = 1
  let failed = false
  let seenRoot = false
  let pendingCr = false
  let scanned = 0 // how much of the markup waiting at the start of buf has been scanned
  let scanQuote = 0 // and the quote the scan was inside
  const stack: Array<string> = []
  let out: Array<XmlEvent> = []

  const fail = (message: string, at = line) => {
    failed = true
    buf = ""
    out.push({ _tag: "Error", message, line: at })
  }
  const text = (raw: string) => {
    if (raw.length === 0) return
    if (stack.length === 0) {
      if (/\S/.test(raw)) fail(seenRoot ? "text after the end of the document" : "text before the first element: this is not an XML document")
      return
    }
    const r = unescape(raw)
    if (typeof r === "string") return fail(r)
    out.push({ _tag: "Text", text: r.text, line })
  }
  const tag = (body: string, at: number) => {
    if (body.charCodeAt(0) === 47) {
      const open = stack.pop()
      // the usual case, </name>, without building a new string
      if (open !== undefined && body.length === open.length + 1 && body.endsWith(open)) {
        out.push({ _tag: "Close", name: open, line: at })
        return
      }
      const name = body.slice(1).trim()
      if (open === undefined) return fail(`</${name}> closes nothing`, at)
      if (open !== name) return fail(`</${name}> does not close <${open}>`, at)
      out.push({ _tag: "Close", name, line: at })
      return
    }
    if (NAME_ONLY.test(body)) {
      // the usual case, <name>, with no attributes to read
      if (stack.length === 0 && seenRoot) return fail(`a second root element <${body}>: an XML document has one`, at)
      if (stack.length >= maxDepth) return fail(`elements nested more than ${maxDepth} deep`, at)
      seenRoot = true
      out.push({ _tag: "Open", name: body, attributes: NO_ATTRIBUTES, line: at })
      stack.push(body)
      return
    }
    const m = NAME.exec(body)
    if (m === null) return fail(`a tag must start with an element name: <${body.slice(0, 20)}`, at)
    const name = m[0]
    const selfClosing = body.endsWith("/")
    const rest = selfClosing ? body.slice(name.length, -1) : body.slice(name.length)
    const attributes: Record<string, string> = {}
    ATTRIBUTE.lastIndex = 0
    let pos = 0
    for (;;) {
      ATTRIBUTE.lastIndex = pos
      const a = ATTRIBUTE.exec(rest)
      if (a === null) break
      const value = unescape(a[2] ?? a[3] ?? "")
      if (typeof value === "string") return fail(value, at)
      if (Object.hasOwn(attributes, a[1]!)) return fail(`attribute ${a[1]} is repeated on <${name}>`, at)
      attributes[a[1]!] = value.text
      pos = ATTRIBUTE.lastIndex
    }
    if (rest.slice(pos).trim().length > 0) return fail(`malformed attributes on <${name}>`, at)
    if (stack.length === 0 && seenRoot) return fail(`a second root element <${name}>: an XML document has one`, at)
    if (stack.length >= maxDepth) return fail(`elements nested more than ${maxDepth} deep`, at)
    seenRoot = true
    out.push({ _tag: "Open", name, attributes, line: at })
    if (selfClosing) out.push({ _tag: "Close", name, line: at })
    else stack.push(name)
  }

  // consumes as much of buf as is complete; `final` when no more input will come
  const drain = (final: boolean) => {
    let pos = 0
    const n = buf.length
    while (pos < n && !failed) {
      const lt = buf.indexOf("<", pos)
      if (lt !== pos) {
        // text up to the next tag; at the end of a chunk keep a partial reference for later
        let stop = lt === -1 ? n : lt
        if (lt === -1 && !final) {
          const amp = buf.lastIndexOf("&")
          if (amp >= pos && buf.indexOf(";", amp) === -1) stop = amp
        }
        text(buf.slice(pos, stop))
        line += countLines(buf, pos, stop)
        pos = stop
        if (lt === -1) break
        continue
      }
      // markup: find where it ends. A scan cut short by the end of a chunk resumes where it
      // stopped (`scanned`), so a long tag arriving in small chunks is read once, not again per chunk.
      const from = pos === 0 && scanned > 0 ? scanned : 0
      let close = -1
      let skip = true
      const c1 = pos + 1 < n ? buf.charCodeAt(pos + 1) : -1
      if (c1 === 33 /* ! */) {
        if (buf.startsWith("<!--", pos)) {
          const e = buf.indexOf("-->", Math.max(pos + 4, from - 2))
          close = e === -1 ? -1 : e + 3
        } else if (buf.startsWith("<![CDATA[", pos)) {
          const e = buf.indexOf("]]>", Math.max(pos + 9, from - 2))
          if (e !== -1) {
            if (stack.length === 0) fail("CDATA outside the root element")
            else out.push({ _tag: "Text", text: buf.slice(pos + 9, e), line })
          }
          close = e === -1 ? -1 : e + 3
        } else if (n - pos < 9 && !final) {
          break // might still become <!-- or <![CDATA[
        } else {
          fail("a DOCTYPE or other declaration is not allowed in a batch file")
          break
        }
        scanned = close === -1 ? n - pos : 0
      } else if (c1 === 63 /* ? */) {
        const e = buf.indexOf("?>", Math.max(pos + 2, from - 1))
        close = e === -1 ? -1 : e + 2
        scanned = close === -1 ? n - pos : 0
      } else if (c1 !== -1) {
        // a tag: `>` outside quoted attribute values ends it
        skip = false
        let quote = from > 0 ? scanQuote : 0
        let k = from > 0 ? from : pos + 1
        for (; k < n; k++) {
          const c = buf.charCodeAt(k)
          if (quote !== 0) {
            if (c === quote) quote = 0
          } else if (c === 34 || c === 39) {
            quote = c
          } else if (c === 62) {
            close = k + 1
            break
          } else if (c === 60) {
            fail("a < inside a tag (write < in text as &lt;)", line + countLines(buf, pos, k))
            break
          }
        }
        if (failed) break
        scanned = close === -1 ? k - pos : 0
        scanQuote = quote
      }
      if (close === -1) {
        if (final) fail("the document ends inside a tag, comment or CDATA section")
        else if (n - pos > maxMarkup) fail(`a tag, comment or CDATA section longer than ${maxMarkup} characters`)
        break
      }
      const at = line
      if (!skip) tag(buf.slice(pos + 1, close - 1), at)
      line += countLines(buf, pos, close)
      pos = close
    }
    buf = failed ? "" : buf.slice(pos)
  }

  return {
    push(chunk) {
      out = []
      if (failed || chunk.length === 0) return out
      // XML line-end normalisation: CRLF and lone CR are LF; a CR ending the chunk waits for the
      // next, which may start with its LF. Only the new text is looked at.
      let s = pendingCr ? "\r" + chunk : chunk
      pendingCr = s.endsWith("\r")
      if (pendingCr) s = s.slice(0, -1)
      buf += s.includes("\r") ? s.replace(/\r\n?/g, "\n") : s
      drain(false)
      return out
    },
    end() {
      out = []
      if (failed) return out
      if (pendingCr) buf += "\n"
      pendingCr = false
      drain(true)
      if (failed) return out
      if (stack.length > 0) fail(`the document ends before </${stack.at(-1)}>`)
      else if (!seenRoot) fail("no root element: this is not an XML document")
      return out
    }
  }
}

/**
 * Every event of a whole text.
 *
 * @since 0.1.0
 * @category parsing
 */
export const parse = (text: string, options?: ReaderOptions): Array<XmlEvent> => {
  const r = reader(options)
  return [...r.push(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text), ...r.end()]
}

/**
 * The events of a file given whole or in chunks of bytes (UTF-8) or text.
 *
 * @since 0.1.0
 * @category parsing
 */
export function* events(source: Chunk | Iterable<Chunk>, options?: ReaderOptions): Generator<XmlEvent, void, undefined> {
  const text = textChunks()
  const r = reader(options)
  for (const chunk of chunksOf(source)) yield* r.push(text.push(chunk))
  yield* r.push(text.end())
  yield* r.end()
}

/**
 * Text escaped for an element's content. Line ends and tabs are written as references so that
 * they survive the reader's line-end normalisation; characters XML cannot hold at all (most
 * control characters) become U+FFFD.
 *
 * @since 0.1.0
 * @category writing
 */
export const escape = (text: string): string => {
  // most values need nothing
  if (!/[&<>\u0000-\u001f\ud800-\udfff\ufffe\uffff]/.test(text)) return text
  let out = ""
  for (const ch of text) {
    switch (ch) {
      case "&": out += "&amp;"; break
      case "<": out += "&lt;"; break
      case ">": out += "&gt;"; break
      case "\r": out += "&#13;"; break
      case "\n": out += "&#10;"; break
      case "\t": out += "&#9;"; break
      default: out += isXmlChar(ch.codePointAt(0)!) ? ch : "\uFFFD"
    }
  }
  return out
}

/**
 * `<name>text</name>`, escaped.
 *
 * @since 0.1.0
 * @category writing
 */
export const element = (name: string, text: string): string => `<${name}>${escape(text)}</${name}>`
