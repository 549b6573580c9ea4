// AZP2004-AZP2006: registry lists (format: registries, or the conventional names
// blockedRegistries/allowedRegistries) hold valid, distinct registry rules and are not empty.
// AZP2026: replacements (for azpol fix) map registry rules to registry rules.
import type { ParameterSource } from "../../model/definition-source.js";
import { joinPointer } from "../../model/diagnostics.js";
import { normalizeRegistryRule, registryRuleProblem } from "../registry-rule.js";
import type { Rule } from "./rule-context.js";

const CONVENTIONAL_NAMES = new Set(["blockedRegistries", "allowedRegistries"]);

export function isRegistryList(name: string, parameter: ParameterSource): boolean {
  return parameter.format === "registries" || CONVENTIONAL_NAMES.has(name);
}

export const registriesRule: Rule = ({ source, report }) => {
  for (const [name, parameter] of Object.entries(source.parameters ?? {})) {
    if (!isRegistryList(name, parameter)) continue;
    const at = (...rest: (string | number)[]) => joinPointer("parameters", name, ...rest);
    if (parameter.type !== "Array") {
      report("AZP2004", at("type"), `parameter '${name}' is a registry list, so its type must be Array, not ${JSON.stringify(parameter.type)}`);
      continue;
    }
    if (parameter.default === undefined) continue; // the assignment must supply it; ARM checks presence
    if (!Array.isArray(parameter.default)) continue; // reported by the default-type rule
    if (parameter.default.length === 0) {
      report("AZP2006", at("default"), `parameter '${name}' lists no registries; add at least one registry host`);
      continue;
    }
    const seen = new Map<string, number>();
    const entries: unknown[] = parameter.default;
    entries.forEach((entry: unknown, i: number) => {
      const problem = registryRuleProblem(entry);
      if (problem) report("AZP2004", at("default", i), `registry ${problem}`);
      if (typeof entry !== "string") return;
      // Compared as the templates read them: "docker.io/nginx" and "index.docker.io/library/nginx" are one rule.
      const key = normalizeRegistryRule(entry) ?? entry;
      const first = seen.get(key);
      if (first === undefined) seen.set(key, i);
      else if (key === entry || entries[first] === entry) report("AZP2005", at("default", i), `registry ${JSON.stringify(entry)} is already listed at index ${first}; remove this one`);
      else report("AZP2005", at("default", i), `registry ${JSON.stringify(entry)} is the same rule as ${JSON.stringify(entries[first])} at index ${first} (both mean ${JSON.stringify(key)}, as the templates normalise them like images); remove this one`);
    });
  }
};

export const replacementsRule: Rule = ({ source, report }) => {
  for (const [from, to] of Object.entries(source.replacements ?? {})) {
    const at = joinPointer("replacements", from);
    const fromProblem = registryRuleProblem(from);
    if (fromProblem) report("AZP2026", at, `replacement key: registry ${fromProblem}`);
    const toProblem = registryRuleProblem(to);
    if (toProblem) report("AZP2026", at, `replacement for ${JSON.stringify(from)}: registry ${toProblem}`);
    if (from.toLowerCase() === to.toLowerCase()) report("AZP2026", at, `replacement maps ${JSON.stringify(from)} to itself`);
  }
};
