// The one output boundary every command's text passes on its way to stdout and stderr (runCli wraps
// the raw streams with guardedOutput; kept out of output.ts so only run.ts's chunk loads it).
import { redactSecrets } from "../io/redact.js";
import type { Output } from "./output.js";
import { hasColour, MARKED_SGR } from "./render/colour.js";

// What azpol prints cannot take over the terminal it is printed on, nor carry a secret: every byte
// for stdout and stderr passes printable() below (guardedOutput applies it to every command's
// output; fix --dry-run withholds a patch hunk it would change, src/fix/printable-patch.ts).
// Input decides much of what is printed: a template's violation message, a suite's test names, a
// manifest's object names and images, file names, property names. Raw, their control characters
// would act on the terminal instead of showing: ESC starts colour, cursor and erase sequences and
// OSC 8 hyperlinks, a lone CR returns to the start of the line so what follows overwrites a FAIL,
// BEL, NUL and C1 controls (U+009B is a one-byte CSI) likewise; the Unicode direction overrides
// and isolates (U+202A-U+202E, U+2066-U+2069, "Trojan Source", CVE-2021-42574) and the invisible
// marks reorder or hide text. Each is shown as its escape instead: \x1b, \x0d, \u202e.
//   - tab, newline and a CR directly before a newline (CRLF: a Windows file's lines in a patch) stay;
//   - the escape of a character above U+001F is \uXXXX, which inside a JSON string is the same
//     character, so a --json document keeps its exact data (JSON.stringify already escapes
//     U+0000-U+001F itself, but leaves DEL, C1 and the Unicode marks raw);
//   - U+FEFF (a byte-order mark) stays: fix --dry-run prints the first line of a file with one.
// azpol's own colour is added after this (outputText), so it is the only escape sequence that
// reaches a terminal.
// eslint-disable-next-line no-control-regex -- these characters are exactly what this file is about
const UNSAFE = /\r(?!\n)|[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufff9-\ufffb]/g;

const escaped = (c: string): string => {
  const code = c.charCodeAt(0);
  return code < 0x20 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
};

/** `text` with every character that would act on a terminal shown as its escape (\x1b, \u202e). */
export function neutraliseControls(text: string): string {
  return text.replace(UNSAFE, escaped);
}

/** `text` as azpol may print it: secrets redacted on the raw text, then controls neutralised. */
export function printable(text: string): string {
  return neutraliseControls(redactSecrets(text));
}

/**
 * A JSON document's strings redacted BEFORE they are JSON-escaped: `\"password\": \"…\"` or a URL
 * with `\u0026sig=` inside a string is plain `"password": "…"` and `&sig=` to the redactor this way.
 * Only a document that holds an escape needs it (without one, its text is its strings' raw text).
 */
function redactJsonStrings(text: string): string {
  if (!text.includes("\\") || !/^\s*[[{]/.test(text)) return text;
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return text;
  }
  const redact = (value: unknown): unknown =>
    typeof value === "string" ? redactSecrets(value) : Array.isArray(value) ? value.map(redact) : value !== null && typeof value === "object" ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redact(v)])) : value;
  return `${JSON.stringify(redact(doc), null, 2)}${text.endsWith("\n") ? "\n" : ""}`;
}

/** Text as it may reach a stream: secrets redacted, controls neutralised, then azpol's colour. */
export function outputText(text: string): string {
  const json = redactJsonStrings(text);
  if (!hasColour(json)) return printable(json);
  // split at the marks (the codes are the odd parts), so a mark is never read as part of a secret
  return json
    .split(MARKED_SGR)
    .map((part, i) => (i % 2 ? `\u001b[${part}m` : printable(part)))
    .join("");
}

/** `raw` behind the boundary: nothing printed carries a secret or acts on the terminal. */
export function guardedOutput(raw: Output): Output {
  return { ...raw, out: (text) => raw.out(outputText(text)), err: (text) => raw.err(outputText(text)), printable };
}
