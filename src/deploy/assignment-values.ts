// Assignment parameter values from --param name=value and a parameters file, checked
// against each definition's parameters before anything reaches Azure.
import { parseOverrideValue, type ParameterOverride } from "../core/parameter-override.js";
import type { PolicyModel } from "../core/policy-model.js";
import { registryRuleProblem } from "../core/registry-rule.js";
import { valueMatchesType } from "../core/rules/parameter-defaults.js";
import { canonicalEffect } from "../core/rules/effect.js";
import { UsageError } from "../errors.js";

/** Accepts ARM's parameters file ({"parameters": {"x": {"value": v}}}) or a plain {"x": v}. */
export function readParametersDocument(doc: unknown, file: string): Record<string, unknown> {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) throw new UsageError(`${file}: expected a JSON object of parameter values`);
  const record = doc as Record<string, unknown>;
  const inner = record.parameters && typeof record.parameters === "object" && !Array.isArray(record.parameters) ? (record.parameters as Record<string, unknown>) : record;
  return Object.fromEntries(
    Object.entries(inner)
      .filter(([k]) => k !== "$schema" && k !== "contentVersion")
      .map(([k, v]) => [k, v !== null && typeof v === "object" && !Array.isArray(v) && "value" in v ? v.value : v]),
  );
}

/** Per definition, the values to put into its assignment (only what was given). */
/** What is assigned: a definition, or an initiative (its members are not assigned on their own). */
/** A Mutate definition declares no registry lists (Azure forbids parameterising mutationInfo). */
export type Assigned = Pick<PolicyModel, "name" | "parameters"> & { registryParameters?: readonly string[] };

export function assignmentValues(models: Assigned[], overrides: ParameterOverride[], fileValues: Record<string, unknown>): Map<string, Record<string, unknown>> {
  const given = new Map<string, { raw?: string; value?: unknown; from: string }>();
  for (const [name, value] of Object.entries(fileValues)) given.set(name, { value, from: "parameters file" });
  for (const o of overrides) given.set(o.name, { raw: o.raw, from: `--param ${o.name}` });
  for (const name of given.keys()) {
    if (!models.some((m) => name in m.parameters)) throw new UsageError(`${given.get(name)?.from}: nothing assigned has a parameter '${name}' (a definition in an initiative is assigned through the initiative's parameters); check the name`);
  }
  const out = new Map<string, Record<string, unknown>>();
  for (const model of models) {
    const values: Record<string, unknown> = {};
    for (const [name, g] of given) {
      const p = model.parameters[name];
      if (!p) continue;
      let value = g.value;
      if (g.raw !== undefined) {
        const parsed = parseOverrideValue(p.type, g.raw);
        if ("error" in parsed) throw new UsageError(`${g.from} ${parsed.error}`);
        value = parsed.value;
      }
      if (name === "effect" && typeof value === "string") value = canonicalEffect(value) ?? value;
      if (!valueMatchesType(p.type, value)) throw new UsageError(`${g.from}: '${name}' is ${p.type} in ${model.name}, got ${JSON.stringify(value)}`);
      if (p.allowedValues && !p.allowedValues.some((a) => JSON.stringify(a) === JSON.stringify(value))) {
        throw new UsageError(`${g.from}: ${JSON.stringify(value)} is not allowed for '${name}' in ${model.name}; use one of: ${p.allowedValues.map(String).join(", ")}`);
      }
      if (model.registryParameters?.includes(name) === true) {
        const list = value as unknown[];
        if (list.length === 0) throw new UsageError(`${g.from}: '${name}' lists no registries`);
        for (const entry of list) {
          const problem = registryRuleProblem(entry);
          if (problem) throw new UsageError(`${g.from}: registry ${problem}`);
        }
      }
      values[name] = value;
    }
    out.set(model.name, values);
  }
  return out;
}
