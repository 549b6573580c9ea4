// Reads the Bicep azpol writes with a real Bicep grammar (tree-sitter-bicep 1.1.0, the .wasm
// build, through web-tree-sitter) and evaluates its literals to JSON, the way Bicep compiles
// them before its own '[' escaping. Only literals are supported: anything else is an error, so a
// test never passes on something it did not read.
import { createRequire } from "node:module";
import { Language, Parser, type Node } from "web-tree-sitter";

let parser: Parser | undefined;

export async function bicepParser(): Promise<Parser> {
  if (parser) return parser;
  await Parser.init();
  const wasm = createRequire(import.meta.url).resolve("tree-sitter-bicep/tree-sitter-bicep.wasm");
  const p = new Parser();
  p.setLanguage(await Language.load(wasm));
  parser = p;
  return p;
}

/** Every ERROR or MISSING node, as "line:column type". */
export function syntaxProblems(node: Node): string[] {
  const out: string[] = [];
  const walk = (n: Node) => {
    if (n.isError || n.isMissing) out.push(`${n.startPosition.row + 1}:${n.startPosition.column + 1} ${n.isMissing ? "missing" : "error"} ${n.text.slice(0, 40)}`);
    for (const c of n.children) if (c) walk(c);
  };
  walk(node);
  return out;
}

const ESCAPES: Record<string, string> = { "\\": "\\", "'": "'", $: "$", n: "\n", r: "\r", t: "\t" };

/**
 * A single-quoted Bicep string, decoded from its source text with Bicep's escapes. The grammar
 * checks the structure, but it drops some escapes (\$) from its nodes, so the text is decoded
 * here; an unescaped ${ is an interpolation, which is not a literal.
 */
function stringValue(node: Node): string {
  const text = node.text;
  if (text.startsWith("'''")) throw new Error("multi-line strings are not written by azpol");
  if (!text.startsWith("'") || !text.endsWith("'")) throw new Error(`not a string: ${text.slice(0, 40)}`);
  let out = "";
  for (let i = 1; i < text.length - 1; i++) {
    const ch = text[i] as string;
    if (ch === "$" && text[i + 1] === "{") throw new Error(`interpolation in ${text.slice(0, 60)}`);
    if (ch !== "\\") {
      out += ch;
      continue;
    }
    const next = text[++i] as string;
    if (next === "u" && text[i + 1] === "{") {
      const close = text.indexOf("}", i);
      out += String.fromCodePoint(parseInt(text.slice(i + 2, close), 16));
      i = close;
    } else if (ESCAPES[next] !== undefined) out += ESCAPES[next];
    else throw new Error(`unknown escape \\${next}`);
  }
  return out;
}

/** The JSON value of a Bicep literal expression. */
export function literalValue(node: Node): unknown {
  switch (node.type) {
    case "string":
      return stringValue(node);
    case "number":
      return Number(node.text);
    case "boolean":
      return node.text === "true";
    case "null":
      return null;
    case "array":
      return node.namedChildren.filter((c): c is Node => c !== null).map(literalValue);
    case "object": {
      const out: Record<string, unknown> = {};
      for (const prop of node.namedChildren) {
        if (!prop || prop.type !== "object_property") throw new Error(`unexpected ${prop?.type} in object`);
        const [key, value] = prop.namedChildren;
        if (!key || !value) throw new Error("object property without key or value");
        out[key.type === "identifier" ? key.text : (literalValue(key) as string)] = literalValue(value);
      }
      return out;
    }
    case "call_expression": {
      // json('<number>'): azpol's spelling of a non-integer number
      const m = /^json\('(.*)'\)$/s.exec(node.text);
      if (m) return JSON.parse(m[1] as string);
      throw new Error(`not a literal: ${node.text.slice(0, 60)}`);
    }
    case "member_expression":
      // a resource's property (definition0.id): kept as its text, for the caller to check
      return { $expression: node.text };
    default:
      throw new Error(`not a literal: ${node.type} ${node.text.slice(0, 60)}`);
  }
}
