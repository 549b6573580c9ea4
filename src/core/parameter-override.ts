// `--param name=value` overrides a parameter's default at build time. The raw text is
// read according to the parameter's type: Array takes "a,b" or JSON, Object takes JSON.
import type { ParameterType } from "../model/definition-source.js";
import { UsageError } from "../errors.js";

export interface ParameterOverride {
  name: string;
  raw: string;
}

export const STANDARD_PARAMETER_TYPES: Record<string, ParameterType> = {
  effect: "String",
  excludedNamespaces: "Array",
  namespaces: "Array",
  labelSelector: "Object",
  source: "String",
  warn: "Boolean",
};

/** Splits "name=value"; the value may itself contain '='. */
export function parseOverrideArgument(arg: string): ParameterOverride | string {
  const eq = arg.indexOf("=");
  if (eq <= 0) return `--param ${JSON.stringify(arg)} is not name=value; e.g. --param blockedRegistries=k8s.gcr.io,gcr.io/old`;
  return { name: arg.slice(0, eq).trim(), raw: arg.slice(eq + 1) };
}

/**
 * --param name=value, repeatable for different names: a malformed one is a usage error (exit 2),
 * and so is one name given twice, whose first value was silently dropped (--registry repeats to
 * append, so a user may expect the same here).
 */
export function parseOverrides(args: string[] = []): ParameterOverride[] {
  const seen = new Map<string, string>();
  return args.map((arg) => {
    const parsed = parseOverrideArgument(arg);
    if (typeof parsed === "string") throw new UsageError(parsed);
    const before = seen.get(parsed.name);
    if (before !== undefined) throw new UsageError(`--param ${parsed.name} is given twice (${JSON.stringify(before)} and ${JSON.stringify(parsed.raw)}); give it once: an Array takes a comma-separated list or JSON (--param ${parsed.name}=a,b)`);
    seen.set(parsed.name, parsed.raw);
    return parsed;
  });
}

export function parseOverrideValue(type: ParameterType, raw: string): { value: unknown } | { error: string } {
  const json = (): { value: unknown } | { error: string } => {
    try {
      return { value: JSON.parse(raw) as unknown };
    } catch {
      return { error: `is not valid JSON: ${raw}` };
    }
  };
  switch (type) {
    case "String":
    case "DateTime":
      return { value: raw };
    case "Array":
      if (raw.trim().startsWith("[")) return json();
      return { value: raw === "" ? [] : raw.split(",").map((s) => s.trim()) };
    case "Object":
      return json();
    case "Boolean":
      if (raw === "true" || raw === "false") return { value: raw === "true" };
      return { error: `must be true or false, got ${JSON.stringify(raw)}` };
    case "Integer":
      if (/^-?\d+$/.test(raw)) return { value: Number(raw) };
      return { error: `must be a whole number, got ${JSON.stringify(raw)}` };
    case "Float":
      if (raw.trim() !== "" && Number.isFinite(Number(raw))) return { value: Number(raw) };
      return { error: `must be a number, got ${JSON.stringify(raw)}` };
  }
}
