// Reading an ARM template as ARM does (learn.microsoft.com/azure/azure-resource-manager/templates/
// template-expressions, "Escape characters"): a string starting '[' and ending ']' is an expression,
// one starting '[[' is the literal without the first '['.
import { isArmExpression } from "../../src/emit/arm-template.js";

/** What ARM makes of a template value: '[[...]' is the literal '[...]'. */
export function armUnescape(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith("[[") && value.endsWith("]") ? value.slice(1) : value;
  if (Array.isArray(value)) return value.map(armUnescape);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, armUnescape(v)]));
  return value;
}

/** Every string ARM would evaluate, with its path. */
export function evaluatedStrings(value: unknown, path = ""): string[] {
  if (typeof value === "string") return isArmExpression(value) && !value.startsWith("[[") ? [`${path}: ${value}`] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => evaluatedStrings(v, `${path}[${i}]`));
  if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => evaluatedStrings(v, `${path}.${k}`));
  return [];
}
