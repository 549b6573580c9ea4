// Where commands write, and the one output boundary every command's text passes on its way there
// (runCli wraps the raw streams with guardedOutput). Tests pass their own raw Output; the bin
// passes the process streams.
import { randomBytes } from "node:crypto";
import { redactSecrets } from "../io/redact.js";
import { printable } from "../io/printable.js";

export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** true when stderr is a terminal (progress lines are only for people) */
  interactive: boolean;
}

export const processOutput: Output = {
  out: (text) => process.stdout.write(text.endsWith("\n") ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith("\n") ? text : `${text}\n`),
  interactive: Boolean(process.stderr.isTTY),
};

// azpol's own colour (render/colour.ts) is written as this mark, not as ESC: the boundary turns
// every control character of the text into its visible escape and only then the marks into SGR
// sequences, so colour works and no input can forge one (the mark is random per process).
const MARK = `\u{e000}${randomBytes(12).toString("hex")}[`;
const MARKED_SGR = new RegExp(`${MARK.replace("[", "\\[")}(\\d+(?:;\\d+)*)m`, "g");

/** The SGR sequence `ESC [ <codes> m` as colour.ts writes it for the boundary to let through. */
export const colourSequence = (codes: string): string => `${MARK}${codes}m`;

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
  if (!json.includes(MARK)) return printable(json);
  // split at the marks (the codes are the odd parts), so a mark is never read as part of a secret
  return json
    .split(MARKED_SGR)
    .map((part, i) => (i % 2 ? `\u001b[${part}m` : printable(part)))
    .join("");
}

/** `raw` behind the boundary: nothing printed carries a secret or acts on the terminal. */
export function guardedOutput(raw: Output): Output {
  return { ...raw, out: (text) => raw.out(outputText(text)), err: (text) => raw.err(outputText(text)) };
}
