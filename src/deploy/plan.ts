// Desired vs current → a plan. Pure. Changes ARM would reject on an existing definition
// (removing or retyping a parameter, adding one without a default: InvalidPolicyParameterUpdate,
// terraform-provider-azurerm#13991) are "blocked" before any write.
import { MANAGED_BY, type DesiredAssignment, type DesiredDefinition, type DesiredState } from "./desired-state.js";
import { jsonDiff, type Change } from "./json-diff.js";
import type { ArmResource } from "./arm-port.js";

export type Action = "create" | "update" | "unchanged" | "blocked";

export interface PlanItem {
  kind: "definition" | "assignment";
  name: string;
  id: string;
  action: Action;
  changes: Change[];
  blocked: string[];
  desired: DesiredDefinition | DesiredAssignment;
}

export interface Plan {
  scope: string;
  definitionLocation: string;
  items: PlanItem[];
  counts: Record<Action, number>;
}

type Params = Record<string, { type?: string; defaultValue?: unknown } | undefined>;

/** The part of a current definition azpol manages, shaped like the desired one. */
function comparableDefinition(current: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const params = { ...((current.parameters as Params | undefined) ?? {}) };
  const want = (desired.parameters as Params | undefined) ?? {};
  // Azure accepts parameter types in any case ("object" and "Object" both occur in built-ins)
  for (const [k, p] of Object.entries(params)) {
    const w = want[k];
    if (p && w?.type && p.type?.toLowerCase() === w.type.toLowerCase()) params[k] = { ...p, type: w.type };
  }
  const metadata = (current.metadata as Record<string, unknown> | undefined) ?? {};
  const wantedMetadata = Object.keys((desired.metadata as Record<string, unknown> | undefined) ?? {});
  return {
    displayName: current.displayName,
    description: current.description,
    mode: current.mode,
    // the service adds createdBy/createdOn/updatedBy/updatedOn: compare only our keys
    metadata: Object.fromEntries(wantedMetadata.filter((k) => k in metadata).map((k) => [k, metadata[k]])),
    parameters: params,
    policyRule: current.policyRule,
  };
}

function comparableAssignment(current: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const id = typeof current.policyDefinitionId === "string" ? current.policyDefinitionId : "";
  const metadata = (current.metadata as Record<string, unknown> | undefined) ?? {};
  return {
    displayName: current.displayName,
    description: current.description,
    // ARM ids are case-insensitive
    policyDefinitionId: id.toLowerCase() === String(desired.policyDefinitionId).toLowerCase() ? desired.policyDefinitionId : id,
    parameters: current.parameters ?? {},
    enforcementMode: current.enforcementMode ?? "Default",
    metadata: "managedBy" in metadata ? { managedBy: metadata.managedBy } : {},
  };
}

function definitionBlocks(current: Record<string, unknown>, desired: Record<string, unknown>): string[] {
  const before = (current.parameters as Params | undefined) ?? {};
  const after = (desired.parameters as Params | undefined) ?? {};
  const reasons: string[] = [];
  for (const [name, p] of Object.entries(before)) {
    const next = after[name];
    if (!next) reasons.push(`parameter '${name}' would be removed; Azure rejects removing or renaming parameters (InvalidPolicyParameterUpdate). Keep it, or deploy under a new definition name`);
    else if (p?.type && next.type && p.type.toLowerCase() !== next.type.toLowerCase()) reasons.push(`parameter '${name}' would change type ${p.type} → ${next.type}; Azure rejects that (InvalidPolicyParameterUpdate)`);
  }
  for (const [name, p] of Object.entries(after)) {
    if (!(name in before) && p?.defaultValue === undefined) reasons.push(`parameter '${name}' is new and has no default; Azure requires a defaultValue for parameters added to an existing (possibly assigned) definition`);
  }
  return reasons;
}

function item(desired: DesiredDefinition | DesiredAssignment, current: ArmResource | undefined): PlanItem {
  const base = { kind: desired.kind, name: desired.name, id: desired.id, desired };
  if (!current) return { ...base, action: "create", changes: [], blocked: [] };
  const comparable = desired.kind === "definition" ? comparableDefinition(current.properties, desired.properties) : comparableAssignment(current.properties, desired.properties);
  const changes = jsonDiff(comparable, desired.properties);
  const blocked = desired.kind === "definition" ? definitionBlocks(current.properties, desired.properties) : assignmentBlocks(current.properties);
  if (blocked.length) return { ...base, action: "blocked", changes, blocked };
  return { ...base, action: changes.length ? "update" : "unchanged", changes, blocked: [] };
}

function assignmentBlocks(current: Record<string, unknown>): string[] {
  const metadata = (current.metadata as Record<string, unknown> | undefined) ?? {};
  return metadata.managedBy === MANAGED_BY.managedBy
    ? []
    : ["an assignment with this name exists but was not made by azpol (metadata.managedBy); azpol will not take it over. Delete or rename it first"];
}

export function planDeployment(
  desired: DesiredState,
  current: { definitions: (ArmResource | undefined)[]; assignments: (ArmResource | undefined)[] },
  describeLocation: string,
): Plan {
  const items = [
    ...desired.definitions.map((d, i) => item(d, current.definitions[i])),
    ...desired.assignments.map((a, i) => item(a, current.assignments[i])),
  ];
  const counts: Record<Action, number> = { create: 0, update: 0, unchanged: 0, blocked: 0 };
  for (const i of items) counts[i.action]++;
  return { scope: desired.scope.id, definitionLocation: describeLocation, items, counts };
}
