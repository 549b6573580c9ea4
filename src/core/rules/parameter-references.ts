// AZP2009/AZP2018: every [parameters('x')] the rule will contain is declared, and every
// declared parameter reaches the template (an unused one is only a warning).
import { joinPointer } from "../../model/diagnostics.js";
import { STANDARD_PARAMETERS } from "../policy-model.js";
import type { Rule } from "./rule-context.js";

const REFERENCE = /parameters\(\s*'([^']*)'\s*\)/g;

export function referencedParameters(value: unknown, found: Set<string> = new Set()): Set<string> {
  if (typeof value === "string") for (const m of value.matchAll(REFERENCE)) found.add(m[1] ?? "");
  else if (Array.isArray(value)) value.forEach((v) => referencedParameters(v, found));
  else if (value !== null && typeof value === "object") Object.values(value).forEach((v) => referencedParameters(v, found));
  return found;
}

export const parameterReferencesRule: Rule = ({ source, report }) => {
  const declared = new Set<string>([...STANDARD_PARAMETERS, ...Object.keys(source.parameters ?? {})]);
  const used = new Set<string>();
  for (const [key, value] of Object.entries(source.values ?? {})) {
    for (const name of referencedParameters(value)) {
      used.add(name);
      if (!declared.has(name)) {
        report("AZP2009", joinPointer("values", key), `values.${key} uses parameter '${name}', which is not declared; declare it under parameters or fix the name`);
      }
    }
  }
  // a parameterised apiGroups/kinds uses its parameter (match-kinds.ts checks the reference)
  for (const field of ["apiGroups", "kinds"] as const) for (const name of referencedParameters(source[field])) used.add(name);
  for (const [name, parameter] of Object.entries(source.parameters ?? {})) {
    if (!parameter.templateParameter && !used.has(name)) {
      report("AZP2018", joinPointer("parameters", name), `parameter '${name}' is never passed to the template; add templateParameter or use it in values`, "warning");
    }
  }
};
