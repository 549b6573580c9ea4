// How a text file azpol rewrites was stored, so what it writes back keeps it: the encoding
// (UTF-8, or UTF-16 with a byte-order mark, the only encodings read-input.ts accepts), whether a
// BOM was there, and whether lines end in CRLF. `fix` and `publish --write` change a few bytes
// of a user's file; dropping a BOM or re-encoding UTF-16 as UTF-8 would change all of them.

export interface TextShape {
  encoding: "utf-8" | "utf-16le" | "utf-16be";
  bom: boolean;
  crlf: boolean;
}

export const PLAIN_UTF8: TextShape = { encoding: "utf-8", bom: false, crlf: false };

/** The shape of a file's bytes (call it on the bytes read-input.ts decoded). */
export function shapeOf(bytes: Uint8Array, text: string): TextShape {
  const crlf = /\r\n/.test(text) && !/(^|[^\r])\n/.test(text);
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { encoding: "utf-16le", bom: true, crlf };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { encoding: "utf-16be", bom: true, crlf };
  return { encoding: "utf-8", bom: bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf, crlf };
}

/** `text` as bytes of `shape`: its BOM, its encoding and (when the file used them) CRLF line ends. */
export function encodeAs(text: string, shape: TextShape): Buffer {
  const body = shape.crlf ? text.replace(/\r?\n/g, "\r\n") : text;
  if (shape.encoding === "utf-8") return Buffer.concat([shape.bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(body, "utf8")]);
  const le = Buffer.from(body, "utf16le");
  if (shape.encoding === "utf-16le") return Buffer.concat([Buffer.from([0xff, 0xfe]), le]);
  for (let i = 0; i + 1 < le.length; i += 2) [le[i], le[i + 1]] = [le[i + 1] ?? 0, le[i] ?? 0];
  return Buffer.concat([Buffer.from([0xfe, 0xff]), le]);
}
