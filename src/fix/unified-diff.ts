// A unified diff (diff -u) of a fix: fixes change characters within lines, never the line count,
// so lines pair one to one; changed lines are grouped into hunks with three lines of context.
export function unifiedDiff(file: string, before: string, after: string, context = 3): string {
  // a final newline ends the last line; it does not start another one
  const lines = (t: string) => (t.endsWith("\n") ? t.slice(0, -1) : t).split("\n");
  const a = lines(before);
  const b = lines(after);
  const noNewline = !before.endsWith("\n");
  const changed = a.map((line, i) => line !== b[i]).flatMap((c, i) => (c ? [i] : []));
  if (changed.length === 0) return "";
  const out = [`--- a/${file}`, `+++ b/${file}`];
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
    out.push(`@@ -${start + 1},${end - start + 1} +${start + 1},${end - start + 1} @@`, ...body);
  }
  return `${out.join("\n")}\n`;
}
