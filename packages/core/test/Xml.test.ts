import { describe, expect, it } from "@effect/vitest"
import * as fc from "fast-check"
import { Xml } from "../src/index.js"

type Event = Xml.XmlEvent

// merges adjacent text pieces, so streams cut at different places compare equal
const normalise = (events: ReadonlyArray<Event>) => {
  const out: Array<Event> = []
  for (const e of events) {
    const last = out.at(-1)
    if (e._tag === "Text" && last?._tag === "Text") out[out.length - 1] = { ...last, text: last.text + e.text }
    else out.push(e)
  }
  return out.map((e) => (e._tag === "Text" ? { _tag: "Text", text: e.text } : e))
}

const cut = (text: string, cuts: ReadonlyArray<number>, bytes: boolean) => {
  const source: string | Uint8Array = bytes ? new TextEncoder().encode(text) : text
  const points = [...new Set(cuts.map((c) => c % (source.length + 1)))].sort((a, b) => a - b)
  const pieces: Array<string | Uint8Array> = []
  let at = 0
  for (const p of [...points, source.length]) {
    pieces.push(source.slice(at, p))
    at = p
  }
  return [...Xml.events(pieces)]
}

describe("Xml.parse", () => {
  it("reads elements, attributes, text, CDATA; skips the declaration and comments", () => {
    const events = Xml.parse("\uFEFF<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!-- c --><a x=\"1\" y='&lt;2'>\n  <b>O&apos;Brien &amp; Co &#233;&#x1F600;</b><c/><d><![CDATA[<raw> & ]]></d>\n</a>\n")
    expect(normalise(events)).toEqual([
      { _tag: "Open", name: "a", attributes: { x: "1", y: "<2" }, line: 2 },
      { _tag: "Text", text: "\n  " },
      { _tag: "Open", name: "b", attributes: {}, line: 3 },
      { _tag: "Text", text: "O'Brien & Co é😀" },
      { _tag: "Close", name: "b", line: 3 },
      { _tag: "Open", name: "c", attributes: {}, line: 3 },
      { _tag: "Close", name: "c", line: 3 },
      { _tag: "Open", name: "d", attributes: {}, line: 3 },
      { _tag: "Text", text: "<raw> & " },
      { _tag: "Close", name: "d", line: 3 },
      { _tag: "Text", text: "\n" },
      { _tag: "Close", name: "a", line: 4 }
    ])
  })
  it("normalises CRLF and CR to LF, and counts lines", () => {
    const events = Xml.parse("<a>\r\n<b>x\ry</b>\r\n</a>")
    expect(normalise(events).filter((e) => e._tag === "Text").map((e) => e._tag === "Text" && e.text)).toEqual(["\n", "x\ny", "\n"])
    expect(events.find((e) => e._tag === "Close" && e.name === "a")?.line).toBe(4) // the lone CR is a line end too
  })
  it.each([
    ["FileVersion,FileName\n2A,x", "not an XML document"],
    ["", "no root element"],
    ["<a><b></a>", "</a> does not close <b>"],
    ["<a>", "ends before </a>"],
    ["<a></a><b/>", "second root"],
    ["<a>&nbsp;</a>", "unknown entity &nbsp;"],
    ["<a>fish & chips</a>", "an & must start a reference"],
    ["<!DOCTYPE a [<!ENTITY x \"y\">]><a>&x;</a>", "DOCTYPE"],
    ["<a x=1></a>", "malformed attributes"],
    ["<a><b</a>", "a < inside a tag"],
    ["<a>&#0;</a>", "not a character XML allows"],
    ["<a></a>trailing", "text after the end"],
    ["<a><!-- never closed", "ends inside a tag, comment"]
  ])("refuses %j: %s", (input, message) => {
    const events = Xml.parse(input)
    const error = events.find((e) => e._tag === "Error")
    expect(error?._tag === "Error" && error.message).toContain(message)
    expect(events.at(-1)?._tag).toBe("Error") // it stops at the first fault
  })
  it("a tag, comment, CDATA or declaration cut anywhere reads the same (a resumed scan keeps its quote)", () => {
    const doc = "<?xml version=\"1.0\"?><a x=\"1>2\" y='\"q\"'><!-- a > b --><b>t<![CDATA[x]]>\r\n</b></a>"
    const whole = normalise(Xml.parse(doc))
    expect(whole[0]).toEqual({ _tag: "Open", name: "a", attributes: { x: "1>2", y: "\"q\"" }, line: 1 })
    for (let i = 0; i <= doc.length; i++) {
      for (let j = i; j <= doc.length; j += 7) expect(normalise(cut(doc, [i, j], false))).toEqual(whole)
    }
  })
  it("limits depth and markup length", () => {
    expect(Xml.parse("<a>".repeat(70)).at(-1)).toMatchObject({ _tag: "Error", message: "elements nested more than 64 deep" })
    const r = Xml.reader({ maxMarkupLength: 100 })
    expect(r.push("<a><!--" + "x".repeat(200)).at(-1)).toMatchObject({ _tag: "Error" })
  })
})

describe("Xml properties", () => {
  const text = fc.string({ unit: fc.constantFrom("a", " ", "&", "<", ">", "\"", "'", "\r", "\n", "\t", "é", "😀", "\u0001", "]]>") })
  const doc = fc.array(fc.tuple(fc.constantFrom("x", "y", "Long-Name_1"), text), { maxLength: 6 })
  const write = (items: ReadonlyArray<readonly [string, string]>) => `<?xml version="1.0"?>\r\n<root>${items.map(([n, t]) => Xml.element(n, t)).join("\r\n")}</root>`
  const texts = (events: ReadonlyArray<Event>) => {
    const out: Array<string> = []
    let inner: string | undefined
    for (const e of events) {
      if (e._tag === "Open" && e.name !== "root") inner = ""
      else if (e._tag === "Text" && inner !== undefined) inner += e.text
      else if (e._tag === "Close" && e.name !== "root") {
        out.push(inner!)
        inner = undefined
      }
    }
    return out
  }
  it("what the writer escapes the reader reads back (control characters become U+FFFD)", () => {
    fc.assert(fc.property(doc, (items) => {
      const events = Xml.parse(write(items))
      expect(events.some((e) => e._tag === "Error")).toBe(false)
      expect(texts(events)).toEqual(items.map(([, t]) => t.replaceAll("\u0001", "\uFFFD")))
    }), { numRuns: 500 })
  })
  it("cutting the input anywhere, as text or bytes, gives the same events", () => {
    fc.assert(fc.property(doc, fc.array(fc.nat(), { maxLength: 8 }), fc.boolean(), (items, cuts, bytes) => {
      const xml = write(items)
      expect(normalise(cut(xml, cuts, bytes))).toEqual(normalise(Xml.parse(xml)))
    }), { numRuns: 500 })
  })
  it("never throws on any string or bytes, and nothing follows an error", () => {
    const markupish = fc.string({ unit: fc.constantFrom("<", ">", "/", "a", "b", "=", "\"", "'", "&", ";", "!", "-", "?", "[", "]", " ", "\n", "#", "x", "C") })
    fc.assert(fc.property(fc.oneof(markupish, fc.string({ unit: "binary" })), fc.array(fc.nat(), { maxLength: 4 }), (s, cuts) => {
      const events = cut(s, cuts, false)
      const firstError = events.findIndex((e) => e._tag === "Error")
      if (firstError !== -1) expect(firstError).toBe(events.length - 1)
      // balanced: every Open has its Close unless the document failed
      if (firstError === -1) expect(events.filter((e) => e._tag === "Open").length).toBe(events.filter((e) => e._tag === "Close").length)
    }), { numRuns: 2000 })
    fc.assert(fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      expect(() => [...Xml.events(bytes)]).not.toThrow()
    }), { numRuns: 500 })
  })
})
