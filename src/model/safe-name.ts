// The one rule for a name that comes from input and becomes part of a path azpol writes or a
// name people review: a template's metadata.name, a definition, initiative, exemption or
// assignment name, an initiative's reference id. It must be a single path segment on every
// platform azpol runs on (no '/', '\', '..', no Windows device name, no trailing dot or space),
// and carry nothing that reads differently from what it is (controls, bidi overrides,
// zero-width characters: the "Trojan Source" trick). Checked once, here; the guarded writer
// (src/io/guarded-writer.ts) applies it again to every input-derived segment it writes.

// C0/C1 controls, U+202A-U+202E and U+2066-U+2069 (bidi), U+200B-U+200F, U+2060, U+061C, U+FEFF
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\u061c\ufeff\u2028\u2029]/u;
// path separators and the characters Windows refuses in file names
const PATH_CHARS = /[/\\:*?"<>|]/;
const WINDOWS_DEVICE = /^(con|prn|aux|nul|com[0-9]|lpt[0-9])(\..*)?$/i;
export const MAX_NAME_LENGTH = 128;

const codePoint = (c: string) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`;

/** The first control, invisible or direction-changing character in `text`, described; or undefined. */
export function hiddenCharacterProblem(text: string): string | undefined {
  const m = INVISIBLE.exec(text);
  return m ? `holds ${codePoint(m[0])}, an invisible, control or direction-changing character` : undefined;
}

// text people read (display names, descriptions): the same characters, but line breaks and tabs are text
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDDEN_IN_TEXT = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u200b-\u200f\u2060\u061c\ufeff\u2028\u2029]/u;

/**
 * The one rule for text people read beside a name (a display name, a description, a category,
 * a parameter's name): nothing that reads differently from what it is. Undefined when clean.
 */
export function readableTextProblem(text: unknown): string | undefined {
  if (typeof text !== "string") return undefined;
  const m = HIDDEN_IN_TEXT.exec(text);
  return m ? `holds an invisible or direction-changing character (${codePoint(m[0])} at position ${m.index}); remove it, it makes the text read differently from what it is` : undefined;
}

/** Why `name` may not be used as a name from input (`what` says which), or undefined. */
export function safeNameProblem(name: unknown, what: string): string | undefined {
  if (typeof name !== "string" || name === "") return `${what} is empty`;
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  const invisible = INVISIBLE.exec(name);
  if (invisible) return `${what} ${shown.replace(INVISIBLE, "?")} holds an invisible, control or direction-changing character (${codePoint(invisible[0])}); it would read differently from what it is`;
  if (name === "." || name === "..") return `${what} ${shown} names a folder, not a file; use letters, digits and '-'`;
  const bad = PATH_CHARS.exec(name);
  if (bad) return `${what} ${shown} contains '${bad[0]}'; a name becomes a folder name, so it cannot hold / \\ : * ? " < > |`;
  if (name.includes("..")) return `${what} ${shown} contains '..'; use letters, digits and '-'`;
  if (/^[\s.]|[\s.]$/u.test(name)) return `${what} ${shown} starts or ends with a dot or a space; remove it`;
  if (WINDOWS_DEVICE.test(name)) return `${what} ${shown} is a device name on Windows; pick another name`;
  if (name.length > MAX_NAME_LENGTH) return `${what} is ${name.length} characters; at most ${MAX_NAME_LENGTH}`;
  return undefined;
}
