// The one unified-diff (diff -u) writer: deploy's plan review (a template as Azure has it and as
// the sources make it; checked with GNU patch) and fix's patches (checked with git apply).
// Longest common subsequence over the lines between the common head and tail; texts too large
// for that (over MAX_CELLS line pairs) are shown as one hunk replacing the differing middle. With
// `pairLines` (fix: it changes characters within lines, never the line count) line n of one text
// pairs with line n of the other, so each changed line is its own "-"/"+" pair. Every line is kept
// byte for byte (a CR of a CRLF file, tabs, a byte-order mark): git apply matches context exactly,
// and a text without a final newline gets diff's "\ No newline at end of file" marker.
const MAX_CELLS = 4_000_000;

type Op = { kind: " " | "-" | "+"; text: string; a: number; b: number };

function lines(text: string): string[] {
  if (text === "") return [];
  return (text.endsWith("\n") ? text.slice(0, -1) : text).split("\n");
}

/** The edit script between a and b: kept, removed and added lines with their line numbers. */
function editScript(a: string[], b: string[]): Op[] {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const ops: Op[] = a.slice(0, head).map((text, i) => ({ kind: " ", text, a: i, b: i }));
  if (am.length * bm.length > MAX_CELLS) {
    ops.push(...am.map((text, i) => ({ kind: "-" as const, text, a: head + i, b: head })));
    ops.push(...bm.map((text, i) => ({ kind: "+" as const, text, a: head + am.length, b: head + i })));
  } else {
    // lcs[i][j]: length of the longest common subsequence of am[i..] and bm[j..]
    const width = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * width);
    for (let i = am.length - 1; i >= 0; i--) {
      for (let j = bm.length - 1; j >= 0; j--) {
        lcs[i * width + j] = am[i] === bm[j] ? (lcs[(i + 1) * width + j + 1] as number) + 1 : Math.max(lcs[(i + 1) * width + j] as number, lcs[i * width + j + 1] as number);
      }
    }
    let i = 0;
    let j = 0;
    while (i < am.length || j < bm.length) {
      if (i < am.length && j < bm.length && am[i] === bm[j]) ops.push({ kind: " ", text: am[i++] as string, a: head + i - 1, b: head + j++ });
      else if (j < bm.length && (i === am.length || (lcs[i * width + j + 1] as number) >= (lcs[(i + 1) * width + j] as number))) ops.push({ kind: "+", text: bm[j++] as string, a: head + i, b: head + j - 1 });
      else ops.push({ kind: "-", text: am[i++] as string, a: head + i - 1, b: head + j });
    }
  }
  const at = a.length - tail;
  const bt = b.length - tail;
  ops.push(...a.slice(at).map((text, k) => ({ kind: " " as const, text, a: at + k, b: bt + k })));
  return ops;
}

function unterminated(text: string): string[] {
  const all = lines(text);
  if (text !== "" && !text.endsWith("\n")) all[all.length - 1] += "\n";
  return all;
}

/** Line n of a paired with line n of b (same count): kept, or removed and added in place. */
function pairedScript(a: string[], b: string[]): Op[] {
  return a.flatMap((text, n): Op[] => (text === b[n] ? [{ kind: " ", text, a: n, b: n }] : [{ kind: "-", text, a: n, b: n }, { kind: "+", text: b[n] as string, a: n, b: n }]));
}

export interface DiffOptions {
  /** lines of context around changes (diff -u: 3) */
  context?: number;
  /** line n pairs with line n: the texts have the same number of lines */
  pairLines?: boolean;
}

/** One hunk: its "@@ ..." line and body; `start` is its first line number (1-based) in the first text. */
export interface DiffHunk {
  start: number;
  lines: string[];
}

/** The hunks of `diff -u` between two texts, [] when they are equal. */
export function diffHunks(before: string, after: string, options: DiffOptions = {}): DiffHunk[] {
  const context = options.context ?? 3;
  // the last line of a text without a final newline keeps a "\n" of its own, so it never equals
  // a line that has one (diff pairs them as removed and added) and is printed with diff's marker
  const a = unterminated(before);
  const b = unterminated(after);
  const ops = options.pairLines ? pairedScript(a, b) : editScript(a, b);
  const printed = (o: Op): string[] => (o.text.endsWith("\n") ? [`${o.kind}${o.text.slice(0, -1)}`, "\\ No newline at end of file"] : [`${o.kind}${o.text}`]);
  const changed = ops.flatMap((o, i) => (o.kind === " " ? [] : [i]));
  const hunks: DiffHunk[] = [];
  let k = 0;
  while (k < changed.length) {
    const first = changed[k] as number;
    let last = first;
    while (k + 1 < changed.length && (changed[k + 1] as number) - last <= 2 * context) last = changed[++k] as number;
    k++;
    const hunk = ops.slice(Math.max(0, first - context), Math.min(ops.length, last + context + 1));
    const start = hunk[0] as Op;
    const aCount = hunk.filter((o) => o.kind !== "+").length;
    const bCount = hunk.filter((o) => o.kind !== "-").length;
    // diff -u numbers an empty side's range from the line before it
    const aStart = aCount === 0 ? start.a : start.a + 1;
    const bStart = bCount === 0 ? start.b : start.b + 1;
    hunks.push({ start: start.a + 1, lines: [`@@ -${aStart},${aCount} +${bStart},${bCount} @@`, ...hunk.flatMap(printed)] });
  }
  return hunks;
}

/** `diff -u` of two texts under the given header labels, "" when they are equal. */
export function unifiedDiff(label: { before: string; after: string }, before: string, after: string, options: DiffOptions = {}): string {
  const hunks = diffHunks(before, after, options);
  return hunks.length ? `${[`--- ${label.before}`, `+++ ${label.after}`, ...hunks.flatMap((h) => h.lines)].join("\n")}\n` : "";
}
