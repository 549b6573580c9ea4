// Writes JSON values as HCL2 expressions (for jsonencode(...) arguments), escaping what
// HCL would otherwise interpolate: "${" and "%{" inside strings. An HclExpression inside a value
// is written as it is (a function call such as filebase64(...) where the JSON has its result).

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(["for", "in", "if", "null", "true", "false"]);

/** HCL written verbatim inside a value given to hclValue. */
export class HclExpression {
  constructor(readonly text: string) {}
}

export function hclString(s: string): string {
  const escaped = s
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/\n/g, "\\n")
    .replace(/\r/g, "\\r")
    .replace(/\t/g, "\\t")
    .replace(/\$\{/g, () => "$${")
    .replace(/%\{/g, () => "%%{");
  return `"${escaped}"`;
}

function hclKey(key: string): string {
  return IDENTIFIER.test(key) && !KEYWORDS.has(key) ? key : hclString(key);
}

export function hclValue(value: unknown, indent = ""): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "string") return hclString(value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (value instanceof HclExpression) return value.text;
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => v === null || typeof v !== "object" || v instanceof HclExpression)) return `[${value.map((v) => hclValue(v)).join(", ")}]`;
    return `[\n${value.map((v) => `${inner}${hclValue(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  return `{\n${hclAttributes(
    entries.map(([k, v]) => [hclKey(k), hclValue(v, inner)]),
    inner,
  )}\n${indent}}`;
}

/**
 * `name = value` lines as terraform fmt writes them (hclwrite): the `=` of a run of consecutive
 * single-line attributes is aligned; an attribute whose value spans lines is not padded and
 * ends the run. (Aligning across it is what made `terraform fmt -check` fail on azpol's main.tf.)
 */
export function hclAttributes(attributes: [string, string][], indent = "  "): string {
  const lines: string[] = [];
  let run: [string, string][] = [];
  const flush = () => {
    const width = Math.max(0, ...run.map(([k]) => k.length));
    for (const [k, v] of run) lines.push(`${indent}${k.padEnd(width)} = ${v}`);
    run = [];
  };
  for (const [k, v] of attributes) {
    if (v.includes("\n")) {
      flush();
      lines.push(`${indent}${k} = ${v}`);
    } else {
      run.push([k, v]);
    }
  }
  flush();
  return lines.join("\n");
}
