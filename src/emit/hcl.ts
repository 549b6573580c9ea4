// Writes JSON values as HCL2 expressions (for jsonencode(...) arguments), escaping what
// HCL would otherwise interpolate: "${" and "%{" inside strings.

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_-]*$/;
const KEYWORDS = new Set(["for", "in", "if", "null", "true", "false"]);

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
  const inner = `${indent}  `;
  if (Array.isArray(value)) {
    if (value.length === 0) return "[]";
    if (value.every((v) => v === null || typeof v !== "object")) return `[${value.map((v) => hclValue(v)).join(", ")}]`;
    return `[\n${value.map((v) => `${inner}${hclValue(v, inner)},`).join("\n")}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return "{}";
  const width = Math.max(...entries.map(([k]) => hclKey(k).length));
  return `{\n${entries.map(([k, v]) => `${inner}${hclKey(k).padEnd(width)} = ${hclValue(v, inner)}`).join("\n")}\n${indent}}`;
}

/** `name = value` lines with aligned `=`, as terraform fmt writes them. */
export function hclAttributes(attributes: [string, string][], indent = "  "): string {
  const width = Math.max(...attributes.map(([k]) => k.length));
  return attributes.map(([k, v]) => `${indent}${k.padEnd(width)} = ${v}`).join("\n");
}
