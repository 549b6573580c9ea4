// A fix as a patch git apply takes: git's header paths over the one unified-diff writer
// (emit/unified-diff.ts). Every line is kept byte for byte, so the caller must print it untrimmed.
import { diffHunks, type DiffHunk } from "../emit/unified-diff.js";
/** A path as git writes it in a patch header: C-quoted when it holds a quote, a backslash, a control
 * character or surrounding spaces (git's quote.c quote_c_style), plain otherwise. */
export function patchPath(path: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what git quotes
  if (!/["\\\x00-\x1f\x7f]|^\s|\s$/.test(path)) return path;
  const escapes: Record<string, string> = { '"': '\\"', "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };
  const body = [...Buffer.from(path, "utf8")]
    .map((byte) => {
      const c = String.fromCharCode(byte);
      if (escapes[c]) return escapes[c];
      return byte < 0x20 || byte >= 0x7f ? `\\${byte.toString(8).padStart(3, "0")}` : c;
    })
    .join("");
  return `"${body}"`;
}

/** A fix's diff as its header and its hunks (each "@@ ..." line and its body), to print or withhold one by one. */
export interface DiffHunks {
  header: string[];
  /** each hunk's lines; `start` is its first line number (1-based) in the file */
  hunks: DiffHunk[];
}

export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  const { header, hunks } = unifiedDiffHunks(file, before, after, context);
  return hunks.length ? `${[...header, ...hunks.flatMap((h) => h.lines)].join("\n")}\n` : "";
}

/** A fix never changes the line structure: lines pair one to one (the one diff writer's pairLines). */
export function unifiedDiffHunks(file: string, before: string, after: string, context = 3): DiffHunks {
  const count = (t: string) => (t.endsWith("\n") ? t.slice(0, -1) : t).split("\n").length;
  if (count(before) !== count(after) || before.endsWith("\n") !== after.endsWith("\n")) throw new Error(`internal: a fix changed the line structure of ${file}`);
  return { header: [`--- ${patchPath(`a/${file}`)}`, `+++ ${patchPath(`b/${file}`)}`], hunks: diffHunks(before, after, { context, pairLines: true }) };
}
