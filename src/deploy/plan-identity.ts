// What is printed is what is written. A plan item is printed by its kind and name (text,
// Markdown, --json) under "Plan for <scope> (definitions in <location>)", but applying it writes
// desired.properties to the ARM resource that desired.location/scope/scopeId and desired.name
// address (apply-plan.ts's writeItem), or deletes item.current. A plan azpol makes keeps these
// together by construction; a saved plan is a file anyone can rewrite, digest included (a sha256
// is no signature). So before a saved plan is printed or applied, every item is checked here:
// the name printed is the name written, the id is where that name is written, at the scope and
// definition location the plan's header names, and the counts are the items' actions. Pure.
import { hiddenCharacterProblem } from "../model/safe-name.js";
import type { Action, Plan, PlanItem, ResourceKind } from "./plan.js";
import { assignmentId, definitionId, describeLocation, type DefinitionLocation, type Scope } from "./scope.js";

const TYPE: Record<ResourceKind, string> = { definition: "policyDefinitions", setDefinition: "policySetDefinitions", assignment: "policyAssignments", exemption: "policyExemptions" };
const ACTIONS: readonly Action[] = ["create", "update", "unchanged", "blocked", "delete"];
const same = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

/** The ARM id `desired` is written to, as apply-plan.ts addresses it (undefined: not a write). */
function writtenId(item: PlanItem): string | undefined {
  const d = item.desired;
  if (!("properties" in d)) return undefined;
  if (d.kind === "definition") return definitionId(d.location, d.name);
  if (d.kind === "setDefinition") return definitionId(d.location, d.name).replace(/\/policyDefinitions\/([^/]+)$/, "/policySetDefinitions/$1");
  if (d.kind === "assignment") return assignmentId(d.scope, d.name);
  return `${d.scopeId}/providers/Microsoft.Authorization/policyExemptions/${d.name}`;
}

/** Where the write lands, to compare with the plan's header: the definition location or the scope. */
function writtenWhere(item: PlanItem): { location?: DefinitionLocation | undefined; scope?: Scope | undefined; scopeId?: string | undefined } {
  return item.desired as { location?: DefinitionLocation; scope?: Scope; scopeId?: string };
}

function itemProblem(plan: Plan, item: PlanItem): string | undefined {
  const d = item.desired as Partial<PlanItem["desired"]> | undefined;
  if (!TYPE[item.kind] || !ACTIONS.includes(item.action)) return `has kind ${JSON.stringify(item.kind)} and action ${JSON.stringify(item.action)}`;
  if (typeof item.name !== "string" || typeof item.id !== "string" || !d || typeof d !== "object") return "has no name, id or body";
  const hidden = hiddenCharacterProblem(item.name) ?? hiddenCharacterProblem(item.id);
  if (hidden) return `${hidden}, so what is printed would not read as what is written`;
  if (d.kind !== item.kind || d.name !== item.name || d.id !== item.id) return `is printed as ${item.kind} ${item.name} but its body is ${String(d.kind)} ${String(d.name)} (${String(d.id)})`;
  const tail = new RegExp(`/providers/Microsoft\\.Authorization/${TYPE[item.kind]}/([^/]+)$`, "i").exec(item.id);
  if (!tail || tail[1] !== item.name) return `is printed as ${item.name} but its id ${item.id} names another ${item.kind}`;
  if (item.action === "delete" || item.action === "unchanged" || item.action === "blocked") return undefined;
  const target = writtenId(item);
  if (target === undefined || !same(target, item.id)) return `is printed as ${item.id} but would be written to ${String(target)}`;
  const where = writtenWhere(item);
  if (where.location && describeLocation(where.location) !== plan.definitionLocation) return `would be written in ${describeLocation(where.location)}, not the printed ${plan.definitionLocation}`;
  // an estate's assignments go to the scopes it lists (each item prints its own id, at its scope)
  const assignedWhere = (id: string) => (plan.estate ? plan.estate.scopes.some((s) => same(s, id)) : same(id, plan.scope));
  if (where.scope && !assignedWhere(where.scope.id)) return `would be assigned at ${where.scope.id}, not ${plan.estate ? "a scope of the printed estate" : `the printed ${plan.scope}`}`;
  if (where.scopeId !== undefined && !same(where.scopeId, plan.scope) && !where.scopeId.toLowerCase().startsWith(`${plan.scope.toLowerCase()}/`) && !plan.scope.toLowerCase().startsWith("/providers/microsoft.management/")) return `would be made at ${where.scopeId}, outside the printed ${plan.scope}`;
  return undefined;
}

/** Why this plan would print something other than what it writes (first problem per item), or []. */
export function planIdentityProblems(plan: Plan): string[] {
  const problems = plan.items.flatMap((item, n) => {
    const p = itemProblem(plan, item);
    return p ? [`item ${n + 1} ${p}`] : [];
  });
  const counts: Record<string, number> = { create: 0, update: 0, unchanged: 0, blocked: 0, delete: 0 };
  for (const i of plan.items) counts[i.action] = (counts[i.action] ?? 0) + 1;
  const printed = plan.counts as Record<string, number> | undefined;
  if (!printed || ACTIONS.some((a) => printed[a] !== counts[a])) problems.push(`its counts ${JSON.stringify(printed)} are not its items' actions ${JSON.stringify(counts)}`);
  return problems;
}
