// How an initiative's parameters reach its members' parameters, checked (AZP2029-AZP2033).
// Each member parameter gets "[parameters('x')]" (an initiative parameter) or a literal. One the
// source does not set is passed through from the initiative parameter of the same name, which is
// declared from the member's own declaration unless the source declares it; two members passing
// through one name must declare it alike. An initiative parameter that feeds a member parameter
// must accept nothing the member refuses: the same type, and allowedValues within the member's.
import { joinPointer, type DiagnosticCode, type Severity } from "../model/diagnostics.js";
import { parameterRef, parameterRefName, type PolicyModel, type PolicyParameter } from "../core/policy-model.js";
import { valueMatchesType } from "../core/rules/parameter-defaults.js";
import { registryRuleProblem } from "../core/registry-rule.js";
import type { MemberSource } from "../model/initiative-source.js";

type Report = (code: DiagnosticCode, pointer: string, message: string, severity?: Severity) => void;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export interface WiredMember {
  index: number;
  definition: PolicyModel;
  parameters: Record<string, unknown>;
  /** the parameters the source sets (the rest are passed through) */
  given: Set<string>;
}

/** Each member's parameter values, and the pass-through parameters the members declare. */
export function wireMembers(members: { source: MemberSource; definition: PolicyModel; index: number }[], declared: Record<string, PolicyParameter>, report: Report): { wired: WiredMember[]; passThrough: Record<string, PolicyParameter> } {
  const passThrough: Record<string, PolicyParameter> = {};
  const passedBy = new Map<string, { definition: string; index: number }>();
  const wired = members.map(({ source, definition, index }): WiredMember => {
    const given = source.parameters ?? {};
    const at = (...rest: string[]) => joinPointer("definitions", index, ...rest);
    for (const name of Object.keys(given)) {
      if (!(name in definition.parameters)) report("AZP2029", at("parameters", name), `definition '${definition.name}' has no parameter '${name}'; it has: ${Object.keys(definition.parameters).join(", ")}`);
    }
    const parameters: Record<string, unknown> = {};
    for (const [name, p] of Object.entries(definition.parameters)) {
      if (name in given) {
        parameters[name] = given[name];
        const ref = parameterRefName(given[name]);
        if (ref === undefined) checkLiteral(definition, name, p, given[name], at("parameters", name), report);
        continue;
      }
      parameters[name] = parameterRef(name);
      if (name in declared) continue;
      const first = passedBy.get(name);
      const existing = passThrough[name];
      if (first && existing) {
        const differs = (["type", "allowedValues", "defaultValue", "schema"] as const).filter((k) => !same(existing[k], p[k]));
        if (differs.length) {
          report("AZP2033", at("definition"), `'${definition.name}' and '${first.definition}' (/definitions/${first.index}) both pass '${name}' through but declare it differently (${differs.join(", ")}); declare '${name}' under parameters:, or set it per member with parameters: { ${name}: ... }`);
        }
        continue;
      }
      passedBy.set(name, { definition: definition.name, index });
      passThrough[name] = structuredClone(p);
    }
    return { index, definition, parameters, given: new Set(Object.keys(given)) };
  });
  return { wired, passThrough };
}

/** A literal value for a member parameter: of its type, allowed, and (for registry lists) registries. */
function checkLiteral(definition: PolicyModel, name: string, p: PolicyParameter, value: unknown, pointer: string, report: Report): void {
  if (typeof value === "string" && value.startsWith("[") && value.endsWith("]") && !value.startsWith("[[")) {
    report("AZP2032", pointer, `${JSON.stringify(value)} is an ARM expression azpol cannot check; use "[parameters('<initiative parameter>')]" or a literal (a literal string starting with '[' is written '[[...')`);
    return;
  }
  if (!valueMatchesType(p.type, value)) {
    report("AZP2032", pointer, `'${name}' of '${definition.name}' is ${p.type}, got ${JSON.stringify(value)}`);
    return;
  }
  if (p.allowedValues && !p.allowedValues.some((a) => same(a, value))) {
    report("AZP2032", pointer, `${JSON.stringify(value)} is not allowed for '${name}' of '${definition.name}'; use one of: ${p.allowedValues.map((a) => JSON.stringify(a)).join(", ")} (Azure compares case-sensitively)`);
    return;
  }
  if (definition.registryParameters.includes(name)) checkRegistries(value, pointer, report);
}

export function checkRegistries(value: unknown, pointer: string, report: Report): void {
  if (!Array.isArray(value)) return;
  if (value.length === 0) report("AZP2032", pointer, "lists no registries; add at least one registry host");
  value.forEach((entry, i) => {
    const problem = registryRuleProblem(entry);
    if (problem) report("AZP2032", `${pointer}/${i}`, `registry ${problem}`);
  });
}

/**
 * Every "[parameters('x')]" names an initiative parameter that fits the member parameter it feeds.
 * Returns the initiative parameters that feed registry lists.
 */
export function checkReferences(wired: WiredMember[], parameters: Record<string, PolicyParameter>, report: Report): { used: Set<string>; registryParameters: string[] } {
  const used = new Set<string>();
  const registry = new Set<string>();
  for (const m of wired) {
    for (const [name, value] of Object.entries(m.parameters)) {
      const ref = parameterRefName(value);
      if (ref === undefined) continue;
      const pointer = m.given.has(name) ? joinPointer("definitions", m.index, "parameters", name) : joinPointer("definitions", m.index, "definition");
      const target = m.definition.parameters[name];
      const source = parameters[ref];
      if (!source) {
        report("AZP2030", pointer, `"[parameters('${ref}')]" names no initiative parameter; declare '${ref}' under parameters:${Object.keys(parameters).length ? ` (declared: ${Object.keys(parameters).join(", ")})` : ""}`);
        continue;
      }
      used.add(ref);
      if (!target) continue;
      if (source.type.toLowerCase() !== target.type.toLowerCase()) {
        report("AZP2031", pointer, `initiative parameter '${ref}' is ${source.type}, but '${name}' of '${m.definition.name}' is ${target.type}; make them the same type`);
        continue;
      }
      if (target.allowedValues) {
        const outside = source.allowedValues === undefined ? undefined : source.allowedValues.filter((v) => !target.allowedValues?.some((a) => same(a, v)));
        if (outside === undefined || outside.length) {
          report("AZP2031", pointer, `initiative parameter '${ref}' ${outside === undefined ? "has no allowedValues" : `allows ${outside.map((v) => JSON.stringify(v)).join(", ")}`}, but '${name}' of '${m.definition.name}' allows only ${target.allowedValues.map((v) => JSON.stringify(v)).join(", ")}; an assignment could pass a value Azure then refuses`);
        }
      }
      if (m.definition.registryParameters.includes(name)) registry.add(ref);
    }
  }
  return { used, registryParameters: [...registry] };
}
