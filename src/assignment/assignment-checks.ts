// The checks of one assignment's values (base or one environment's): its scopes and notScopes,
// its name at those scopes, and its parameter values against what it assigns. Pure.
import type { DefinitionModel } from "../core/mutation-model.js";
import type { PolicyParameter } from "../core/policy-model.js";
import { registryRuleProblem } from "../core/registry-rule.js";
import { canonicalEffect } from "../core/rules/effect.js";
import { valueMatchesType } from "../core/rules/parameter-defaults.js";
import { parseScope, type DefinitionLocation, type Scope } from "../deploy/scope.js";
import type { InitiativeModel } from "../initiative/initiative-model.js";
import type { AssignmentValuesSource } from "../model/assignment-source.js";
import { safeNameProblem } from "../model/safe-name.js";
import type { Report } from "./compile-assignment.js";

export interface Assignable {
  kind: "definition" | "initiative";
  model: DefinitionModel | InitiativeModel;
  /** an initiative's members, for nonComplianceMessages */
  referenceIds: string[];
}

type At = (key: string, ...rest: (string | number)[]) => string;

/**
 * Assignment names (learn.microsoft.com/azure/governance/policy/concepts/assignment-structure,
 * as commonly quoted; unconfirmed here): at most 64 characters, 24 at a management group, none of
 * < > * % & : \ ? . + / and no trailing space.
 */
const FORBIDDEN = /[<>*%&:\\?.+/]/;

export function checkAssignmentName(name: string, scopes: Scope[], report: Report): void {
  const max = scopes.some((s) => s.kind === "managementGroup") ? 24 : 64;
  const bad = FORBIDDEN.exec(name);
  if (name.length > max) report("AZP2405", "/name", `assignment name ${JSON.stringify(name)} is ${name.length} characters; Azure allows at most ${max}${max === 24 ? " at a management group" : ""}`);
  else if (bad) report("AZP2405", "/name", `assignment name ${JSON.stringify(name)} contains '${bad[0]}'; Azure assignment names cannot contain < > * % & : \\ ? . + /`);
  else if (/\s$/.test(name)) report("AZP2405", "/name", `assignment name ${JSON.stringify(name)} ends with a space; remove it`);
  else {
    // the one rule for names from input (src/model/safe-name.ts): no hidden or direction-changing characters, no path tricks
    const problem = safeNameProblem(name, "assignment name");
    if (problem) report("AZP2405", "/name", problem);
  }
}

/** Whether `scope` is the location or below it, as far as the ids tell (a management group's subscriptions are not in the sources). */
function within(scope: Scope, location: DefinitionLocation): boolean | "unknown" {
  if ("subscriptionId" in location) return scope.kind !== "managementGroup" && scope.subscriptionId.toLowerCase() === location.subscriptionId.toLowerCase();
  return scope.kind === "managementGroup" && scope.managementGroupId.toLowerCase() === location.managementGroupId.toLowerCase() ? true : "unknown";
}

export function checkScopes(values: AssignmentValuesSource, at: At, location: DefinitionLocation | undefined, report: Report): Scope[] {
  if (!values.scopes?.length) {
    report("AZP2403", at("scopes"), "the assignment lists no scopes; add scopes: with a management group (mg:<name>), subscription or resource group id");
    return [];
  }
  const scopes: Scope[] = [];
  values.scopes.forEach((text, i) => {
    let scope: Scope;
    if (!text.includes("/") && !/^mg:/i.test(text)) {
      // deploy --scope takes a bare resource group name in the current subscription; a source names its subscription
      report("AZP2403", at("scopes", i), `scope ${JSON.stringify(text)} is a bare name; a source says which subscription: write /subscriptions/<id>/resourceGroups/${text} (or mg:${text} for a management group)`);
      return;
    }
    try {
      scope = parseScope(text, undefined);
    } catch (e) {
      const why = e instanceof Error ? e.message.replace(/^--scope:? ?/, "") : String(e);
      report("AZP2403", at("scopes", i), `scope ${JSON.stringify(text)} is malformed: ${why}. Write mg:<name>, /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>`);
      return;
    }
    if (scopes.some((s) => s.id.toLowerCase() === scope.id.toLowerCase())) report("AZP2403", at("scopes", i), `scope ${JSON.stringify(text)} is listed twice`);
    const inside = location ? within(scope, location) : true;
    const where = location && ("subscriptionId" in location ? `subscription ${location.subscriptionId}` : `management group ${location.managementGroupId}`);
    if (inside === false) report("AZP2404", at("scopes", i), `scope ${scope.id} is outside the definitions' location (${where}); Azure only assigns a definition at or below where it is made. Move the scope or the definitionLocation in azpol.yaml`);
    else if (inside === "unknown") report("AZP2404", at("scopes", i), `scope ${scope.id} may be outside the definitions' location (${where}): the management group hierarchy is not in the sources, so Azure decides at deploy`, "warning");
    scopes.push(scope);
  });
  (values.notScopes ?? []).forEach((text, i) => {
    const id = text.replace(/\/+$/, "");
    if (!/^\/(subscriptions|providers\/Microsoft\.Management\/managementGroups)\//i.test(id)) report("AZP2403", at("notScopes", i), `notScope ${JSON.stringify(text)} is not an ARM id; write /subscriptions/<id>/resourceGroups/<name> (or a resource id)`);
    // below a management group cannot be told offline; below a subscription or resource group by id
    else if (!scopes.some((s) => s.kind === "managementGroup" || id.toLowerCase().startsWith(`${s.id.toLowerCase()}/`))) report("AZP2403", at("notScopes", i), `notScope ${JSON.stringify(text)} is not below any of the assignment's scopes, so it excludes nothing; remove it or fix the id`);
  });
  return scopes;
}

function checkValue(name: string, p: PolicyParameter, raw: unknown, registry: boolean, pointer: string, owner: string, report: Report): unknown {
  const value = name === "effect" && typeof raw === "string" ? (canonicalEffect(raw) ?? raw) : raw;
  if (!valueMatchesType(p.type, value)) report("AZP2402", pointer, `'${name}' is ${p.type} in ${owner}, got ${JSON.stringify(value)}`);
  else if (p.allowedValues && !p.allowedValues.some((a) => JSON.stringify(a) === JSON.stringify(value))) report("AZP2402", pointer, `${JSON.stringify(value)} is not allowed for '${name}' in ${owner}; use one of: ${p.allowedValues.map((a) => JSON.stringify(a)).join(", ")}`);
  else if (registry) {
    const list = value as unknown[];
    if (list.length === 0) report("AZP2402", pointer, `'${name}' lists no registries`);
    list.forEach((entry, i) => {
      const problem = registryRuleProblem(entry);
      if (problem) report("AZP2402", `${pointer}/${i}`, `registry ${problem}`);
    });
  }
  return value;
}

/** Checks the values against the parameters of what is assigned; returns them with effects in their canonical case. */
export function checkParameterValues(values: AssignmentValuesSource, assigned: Assignable, at: At, report: Report): Record<string, unknown> {
  const declared = assigned.model.parameters;
  const owner = `${assigned.kind} ${assigned.model.name}`;
  const out: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(values.parameters ?? {})) {
    const p = declared[name];
    if (!p) {
      report("AZP2402", at("parameters", name), `${owner} declares no parameter '${name}'${Object.keys(declared).length ? `; it has: ${Object.keys(declared).join(", ")}` : ""}`);
      continue;
    }
    out[name] = checkValue(name, p, raw, "registryParameters" in assigned.model && assigned.model.registryParameters.includes(name), at("parameters", name), owner, report);
  }
  for (const [name, p] of Object.entries(declared)) {
    if (p.defaultValue === undefined && !(name in out) && !(name in (values.parameters ?? {}))) report("AZP2402", at("parameters"), `${owner} requires '${name}' (it has no default); set it under parameters:`);
  }
  (values.nonComplianceMessages ?? []).forEach((m, i) => {
    const ref = m.policyDefinitionReferenceId;
    if (ref === undefined) return;
    if (assigned.kind === "definition") report("AZP2402", at("nonComplianceMessages", i, "policyDefinitionReferenceId"), "policyDefinitionReferenceId picks an initiative member; this assignment assigns a definition, so remove it");
    else if (!assigned.referenceIds.some((r) => r.toLowerCase() === ref.toLowerCase())) report("AZP2402", at("nonComplianceMessages", i, "policyDefinitionReferenceId"), `initiative ${assigned.model.name} has no member '${ref}'; its members: ${assigned.referenceIds.join(", ")}`);
  });
  return out;
}
