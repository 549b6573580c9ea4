// A unified diff (diff -u) of a fix: fixes change characters within lines, never the line count,
// so lines pair one to one; changed lines are grouped into hunks with three lines of context.
// Every line is kept byte for byte (a CR of a CRLF file, tabs, a byte-order mark, blank last
// lines): git apply matches context exactly, so the caller must print the result untrimmed.
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
  hunks: { start: number; lines: string[] }[];
}

export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  const { header, hunks } = unifiedDiffHunks(file, before, after, context);
  return hunks.length ? `${[...header, ...hunks.flatMap((h) => h.lines)].join("\n")}\n` : "";
}

export function unifiedDiffHunks(file: string, before: string, after: string, context = 3): DiffHunks {
  // a final newline ends the last line; it does not start another one
  const lines = (t: string) => (t.endsWith("\n") ? t.slice(0, -1) : t).split("\n");
  const a = lines(before);
  const b = lines(after);
  const noNewline = !before.endsWith("\n");
  if (a.length !== b.length || noNewline !== !after.endsWith("\n")) throw new Error(`internal: a fix changed the line structure of ${file}`);
  const changed = a.map((line, i) => line !== b[i]).flatMap((c, i) => (c ? [i] : []));
  const header = [`--- ${patchPath(`a/${file}`)}`, `+++ ${patchPath(`b/${file}`)}`];
  const hunks: DiffHunks["hunks"] = [];
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] as number;
    let last = first;
    while (i + 1 < changed.length && (changed[i + 1] as number) - last <= 2 * context) last = changed[++i] as number;
    i++;
    const start = Math.max(0, first - context);
    const end = Math.min(a.length - 1, last + context);
    const body: string[] = [];
    for (let n = start; n <= end; n++) {
      const last = noNewline && n === a.length - 1 ? ["\\ No newline at end of file"] : [];
      if (a[n] === b[n]) body.push(` ${a[n]}`, ...last);
      else body.push(`-${a[n]}`, ...last, `+${b[n]}`, ...last);
    }
    hunks.push({ start: start + 1, lines: [`@@ -${start + 1},${end - start + 1} +${start + 1},${end - start + 1} @@`, ...body] });
  }
  return { header, hunks };
}
