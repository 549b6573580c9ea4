// Depth bounds at read, for every input azpol parses (manifests, stdin, plans, imported JSON,
// sources): text nested deeper than AZPOL_MAX_DEPTH (default 256; no Kubernetes object or
// definition comes near it: the shipped sources stay under 40) is refused before a parser, the
// engine or any recursive walk sees it. A 5,000-deep manifest once overflowed the engine's stack:
// exit 70 with one definition, exit 1 ("violations") with several, and an empty --json. The
// default was 1000 until the YAML parser was found to run out of stack below it in the CLI: a
// flow sequence ([[[...) at about 800 levels, a list of maps (- a:) at about 1000 counted levels
// on Node 20, 22 and 24. 256 leaves it at least three times that margin (test/read-bounds.test.ts
// parses every shape at the limit through the CLI). Size bounds are read-input.ts's.
//
// The depth is measured by one linear scan, without parsing (so it cannot overflow itself):
// flow brackets ([ {) outside quotes and comments, plus block nesting (indentation levels and
// "- " sequence entries) outside flow collections; block scalars (| and >) are skipped. It errs
// low on odd text, never high on ordinary YAML or JSON.

export const DEFAULT_MAX_DEPTH = 256;

export function maxDepth(): number {
  const n = Number(process.env.AZPOL_MAX_DEPTH);
  return Number.isSafeInteger(n) && n > 0 ? n : DEFAULT_MAX_DEPTH;
}

export interface DocumentDepth {
  /** 0-based line where the document starts */
  startLine: number;
  /** 0-based line after its last line */
  endLine: number;
  depth: number;
}

const VALUE_START = new Set([":", "[", "{", ",", "-", "?"]);

/** Each YAML document's (or a JSON text's) nesting depth, in one pass. */
export function documentDepths(text: string): DocumentDepth[] {
  const lines = text.split("\n");
  const docs: DocumentDepth[] = [];
  let doc: DocumentDepth = { startLine: 0, endLine: 0, depth: 0 };
  let flow = 0;
  let quote: "'" | '"' | undefined;
  let indents: number[] = [];
  let blockScalarIndent: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (quote === undefined && flow === 0 && /^(---|\.\.\.)(\s|$)/.test(line)) {
      doc.endLine = i;
      docs.push(doc);
      doc = { startLine: i + 1, endLine: i + 1, depth: 0 };
      indents = [];
      blockScalarIndent = undefined;
      continue;
    }
    const indent = line.length - line.trimStart().length;
    if (blockScalarIndent !== undefined) {
      if (line.trim() === "" || indent > blockScalarIndent) continue;
      blockScalarIndent = undefined;
    }
    let at = 0;
    if (quote === undefined && flow === 0) {
      const rest = line.slice(indent);
      if (rest === "" || rest.startsWith("#")) continue;
      while (indents.length && (indents[indents.length - 1] ?? 0) >= indent) indents.pop();
      indents.push(indent);
      // "- - - x": each sequence entry on the line is one more level
      let col = indent;
      while (line[col] === "-" && (line[col + 1] === " " || col + 1 === line.length)) {
        indents.push(col + 1);
        col += 2;
        while (line[col] === " ") col++;
      }
      at = col;
    }
    let previous = at === 0 ? "" : " ";
    for (let c = at; c < line.length; c++) {
      const ch = line[c] ?? "";
      if (quote === '"') {
        if (ch === "\\") c++;
        else if (ch === '"') quote = undefined;
        continue;
      }
      if (quote === "'") {
        if (ch === "'" && line[c + 1] === "'") c++; // '' is an escaped quote inside the scalar
        else if (ch === "'") quote = undefined;
        continue;
      }
      if (ch === "#" && (c === 0 || previous === " " || previous === "\t")) break;
      if ((ch === '"' || ch === "'") && (previous === "" || previous === " " || VALUE_START.has(previous))) quote = ch;
      else if (ch === "[" || ch === "{") flow++;
      else if ((ch === "]" || ch === "}") && flow > 0) flow--;
      else if ((ch === "|" || ch === ">") && flow === 0 && /^[|>][-+0-9]*\s*(#.*)?$/.test(line.slice(c))) blockScalarIndent = indent;
      if (ch !== " " && ch !== "\t") previous = ch;
      else previous = " ";
      const depth = indents.length + flow;
      if (depth > doc.depth) doc.depth = depth;
    }
    const depth = indents.length + flow;
    if (depth > doc.depth) doc.depth = depth;
  }
  doc.endLine = lines.length;
  docs.push(doc);
  return docs;
}

/** Why a whole text (a plan, a JSON file, a source) is too deep to read, or undefined. */
export function depthProblem(text: string, limit = maxDepth()): string | undefined {
  const deepest = Math.max(0, ...documentDepths(text).map((d) => d.depth));
  return deepest > limit ? tooDeep(deepest, limit) : undefined;
}

const tooDeep = (depth: number, limit: number) => `is nested ${depth >= limit * 2 ? `more than ${limit * 2}` : depth} levels deep, over the ${limit}-level limit (raise it with AZPOL_MAX_DEPTH); it was not read`;

/**
 * A manifest stream with each too-deep document blanked (its lines kept, so later lines keep
 * their numbers) and one problem per such document; the other documents are read as usual.
 */
export function boundManifestDepth(text: string, limit = maxDepth()): { text: string; problems: { line: number; message: string }[] } {
  const docs = documentDepths(text);
  const deep = docs.filter((d) => d.depth > limit);
  if (deep.length === 0) return { text, problems: [] };
  const lines = text.split("\n");
  for (const d of deep) for (let i = d.startLine; i < d.endLine; i++) lines[i] = "";
  return { text: lines.join("\n"), problems: deep.map((d) => ({ line: d.startLine + 1, message: `this document ${tooDeep(d.depth, limit)}` })) };
}
