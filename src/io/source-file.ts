// Reads a YAML or JSON source and keeps its syntax tree, so any JSON pointer into the
// data can be turned into line:col for diagnostics. JSON goes through the YAML parser too (for
// positions), after a strict JSON check when the file says it is JSON (`json`): YAML accepts a
// trailing comma or a `// comment` line that no JSON reader does.
import { isMap, isPair, isScalar, isSeq, LineCounter, parseAllDocuments, parseDocument, visit, type Document, type Node } from "yaml";
import { splitPointer, type Diagnostic } from "../model/diagnostics.js";
import { depthProblem } from "./read-bounds.js";

export interface SourceFile {
  /** path as shown to the user (relative to the working directory when possible) */
  file: string;
  data: unknown;
  /** 1-based line and column for a JSON pointer into `data`; "key" asks for the key's position */
  locate: (pointer: string, at?: "key") => { line: number; col: number };
  syntaxErrors: Diagnostic[];
}

export function parseSourceText(file: string, text: string, options: { json?: boolean } = {}): SourceFile {
  // bounded before the (recursive) parser sees it: read-bounds.ts
  const deep = depthProblem(text);
  if (deep) return { file, data: undefined, locate: () => ({ line: 1, col: 1 }), syntaxErrors: [{ code: "AZP1001", severity: "error", message: `the file ${deep}`, file, pointer: "", line: 1, col: 1 }] };
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true, strict: true });
  const position = (offset: number) => {
    const p = lineCounter.linePos(offset);
    return { line: p.line, col: p.col };
  };
  const syntaxErrors: Diagnostic[] = doc.errors.map((e) => ({
    code: "AZP1001",
    severity: "error",
    message: syntaxMessage(e, text),
    file,
    pointer: "",
    ...position(e.pos[0]),
  }));
  if (syntaxErrors.length === 0 && options.json) syntaxErrors.push(...strictJson(text, file, position));
  if (syntaxErrors.length === 0) syntaxErrors.push(...inexactNumbers(doc, text, file, position));
  let data: unknown;
  if (syntaxErrors.length === 0) {
    try {
      data = doc.toJS({ maxAliasCount: 100 });
    } catch (e) {
      // an alias bomb ("billion laughs") expands past the limit: refuse it, do not crash
      syntaxErrors.push({ code: "AZP1001", severity: "error", message: `the YAML expands aliases too much (${e instanceof Error ? e.message : String(e)}); write the values out`, file, pointer: "", line: 1, col: 1 });
    }
  }
  return {
    file,
    data: syntaxErrors.length ? undefined : data,
    locate: (pointer, at) => position(offsetOf(doc, pointer, at === "key")),
    syntaxErrors,
  };
}

function syntaxMessage(e: { code: string; message: string }, text: string): string {
  // the parser is recursive: if a shape the depth scan undercounts still exhausts its stack,
  // say what the file is, not what the parser ran out of
  if (/call stack/i.test(e.message)) return "the file is nested too deeply to read; it was not read (lower its nesting, or AZPOL_MAX_DEPTH refuses it earlier)";
  // the parser's own words ("please use YAML.parseAllDocuments()") are advice for its caller
  if (e.code === "MULTIPLE_DOCS") return `a definition source is one YAML document (found ${parseAllDocuments(text).length}): put each definition, initiative or assignment in a file of its own (a Kubernetes manifest is checked with azpol test)`;
  return e.message.split("\n")[0]?.replace(/^./, (c) => c.toLowerCase()) ?? "syntax error";
}

/** A .json source is read as JSON readers read it (JSON.parse, RFC 8259): no comments, no trailing commas. */
function strictJson(text: string, file: string, position: (offset: number) => { line: number; col: number }): Diagnostic[] {
  try {
    JSON.parse(text.replace(/^\uFEFF/, ""));
    return [];
  } catch (e) {
    const raw = e instanceof Error ? e.message : String(e);
    // Node 20 says "... at position 7", Node 22 and 24 add "(line 2 column 1)"
    const at = /at position (\d+)/.exec(raw);
    const offset = at ? Number(at[1]) + (text.startsWith("\uFEFF") ? 1 : 0) : text.length;
    const what = raw.replace(/ in JSON at position \d+.*$/, "").replace(/ \(line \d+ column \d+\)$/, "").replace(/^./, (c) => c.toLowerCase());
    return [{ code: "AZP1001", severity: "error", message: `not valid JSON (a .json source is strict JSON: no comments, no trailing commas; write it as .yaml for those): ${what}`, file, pointer: "", ...position(offset) }];
  }
}

/**
 * Integers a JavaScript number cannot hold exactly (beyond ±2^53): reading them would change the
 * value in silence (9007199254740993 becomes ...992), and Azure's Integer parameters are 64-bit.
 * They are refused at their line and column, here where every source and imported file is read.
 */
function inexactNumbers(doc: Document, text: string, file: string, position: (offset: number) => { line: number; col: number }): Diagnostic[] {
  const found: Diagnostic[] = [];
  visit(doc, {
    Scalar(_, node) {
      if (typeof node.value !== "number" || !node.range) return;
      const written = text.slice(node.range[0], node.range[1]).trim();
      // only integer literals: a float is read as the nearest double by design (Float parameters are doubles)
      if (!/^[-+]?(?:\d[\d_]*|0x[\da-f_]+|0o[0-7_]+)$/i.test(written) || Number.isSafeInteger(node.value)) return;
      found.push({
        code: "AZP1001",
        severity: "error",
        message: `the integer ${written} is beyond ±2^53 (9007199254740991), so it cannot be read exactly (JavaScript reads it as ${String(node.value)}); write it as a string, or a smaller number`,
        file,
        pointer: "",
        ...position(node.range[0]),
      });
    },
  });
  return found;
}

/**
 * Offset of the deepest node the pointer reaches; a missing key points at its parent.
 * A block map or list is reported at its key (the line a reader looks for), anything
 * else at its value.
 */
function offsetOf(doc: Document, pointer: string, preferKey: boolean): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? 0;
  for (const segment of splitPointer(pointer)) {
    if (isMap(node)) {
      const pair = node.items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === segment);
      if (!pair) break;
      node = pair.value;
      const keyOffset = (pair.key as Node).range?.[0];
      const isBlock = preferKey || ((isMap(pair.value) || isSeq(pair.value)) && !pair.value.flow);
      offset = (isBlock ? keyOffset : undefined) ?? (pair.value as Node | null)?.range?.[0] ?? keyOffset ?? offset;
    } else if (isSeq(node)) {
      const item = node.items[Number(segment)] as Node | undefined;
      if (!item) break;
      node = item;
      offset = item.range?.[0] ?? offset;
    } else {
      break;
    }
  }
  return offset;
}
