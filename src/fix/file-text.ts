// A file fix may edit, read so that writing it back changes nothing but the image scalars: the
// UTF-8 byte-order mark (which readInputText drops) is kept aside and restored, UTF-16 is written
// back as UTF-16 with its own mark. Line endings (LF, CRLF) and a missing final newline are part
// of the text itself and pass through untouched.
import { readInputBytes, type InputRead } from "../io/read-input.js";

export type FileEncoding = "utf-8" | "utf-8-bom" | "utf-16le" | "utf-16be";

export type FixTextRead = { text: string; encoding: FileEncoding } | { error: string };

const BOM = "\uFEFF";

export function decodeFixText(bytes: Uint8Array): FixTextRead {
  const decode = (label: string, from: number, encoding: FileEncoding): FixTextRead => {
    try {
      // ignoreBOM: a second mark after the first is content, and must survive the round trip
      return { text: new TextDecoder(label, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(from)), encoding };
    } catch {
      return { error: "is not valid UTF-8 (or UTF-16 with a byte-order mark); re-save it as UTF-8" };
    }
  };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return decode("utf-16le", 2, "utf-16le");
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return decode("utf-16be", 2, "utf-16be");
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return decode("utf-8", 3, "utf-8-bom");
  return decode("utf-8", 0, "utf-8");
}

export function readFixText(path: string): FixTextRead {
  const read = readInputBytes(path);
  return "error" in read ? (read satisfies InputRead) : decodeFixText(read.bytes);
}

/** The bytes to write back: the same encoding and byte-order mark the file was read with. */
export function encodeFixText(text: string, encoding: FileEncoding = "utf-8"): Buffer {
  if (encoding === "utf-8") return Buffer.from(text, "utf8");
  if (encoding === "utf-8-bom") return Buffer.from(BOM + text, "utf8");
  const le = Buffer.from(BOM + text, "utf16le");
  return encoding === "utf-16le" ? le : le.swap16();
}

/** What a diff shows as the file's text: git sees a UTF-8 mark as the first bytes of line 1. */
export function diffText(text: string, encoding: FileEncoding = "utf-8"): string {
  return encoding === "utf-8-bom" ? BOM + text : text;
}
