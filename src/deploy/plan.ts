// Desired vs current → a plan. Pure. Current state comes from two lists (the custom definitions
// at the definition location, the assignments at the scope), matched to the desired resources by
// id. Changes ARM would reject on an existing definition (removing or retyping a parameter,
// adding one without a default: InvalidPolicyParameterUpdate, terraform-provider-azurerm#13991)
// are "blocked" before any write. With prune, what this owner made and the sources no longer
// have is deleted: never a resource azpol did not make, or another owner's.
import type { DefinitionLocation } from "./scope.js";
import { MANAGED_BY, type DesiredAssignment, type DesiredDefinition, type DesiredExemption, type DesiredSetDefinition, type DesiredState } from "./desired-state.js";
import { jsonDiff, type Change } from "./json-diff.js";
import type { ArmResource } from "./arm-port.js";
import { withReplacements } from "./replace-plan.js";
import { definitionBlocks } from "./definition-compat.js";
import { metadataOf, ownedBy } from "./ownership.js";
import { comparableAssignment, comparableDefinition, comparableExemption, comparableSetDefinition } from "./comparable.js";
export { ownedBy } from "./ownership.js";

export type Action = "create" | "update" | "unchanged" | "blocked" | "delete";

/** A resource azpol owns and the sources no longer declare (prune). */
export type ResourceKind = "definition" | "setDefinition" | "assignment" | "exemption";

export interface DeletedResource {
  kind: ResourceKind;
  name: string;
  id: string;
}

export interface PlanItem {
  kind: ResourceKind;
  name: string;
  id: string;
  action: Action;
  changes: Change[];
  blocked: string[];
  desired: DesiredDefinition | DesiredSetDefinition | DesiredAssignment | DesiredExemption | DeletedResource;
  /** the resource as read from ARM (absent: not there); a saved plan checks it has not changed */
  current?: ArmResource | undefined;
}

export interface Plan {
  scope: string;
  definitionLocation: string;
  items: PlanItem[];
  counts: Record<Action, number>;
  /** assignment values this run takes from a flag, not the sources: row ("parameters.effect", "enforcementMode") → flag */
  valueOrigins?: Record<string, string>;
  /** a plan of the estate (assignments/): where its definitions go and every scope it assigns at, so a saved plan reads them again */
  estate?: { location: DefinitionLocation; scopes: string[] };
}

const COMPARABLE = { definition: comparableDefinition, setDefinition: comparableSetDefinition, assignment: comparableAssignment, exemption: comparableExemption };

function item(desired: DesiredDefinition | DesiredSetDefinition | DesiredAssignment | DesiredExemption, current: ArmResource | undefined, owner: string): PlanItem {
  const base = { kind: desired.kind, name: desired.name, id: desired.id, desired, current };
  if (!current) return { ...base, action: "create", changes: [], blocked: [] };
  const comparable = COMPARABLE[desired.kind](current.properties, desired.properties);
  const changes = jsonDiff(comparable, desired.properties);
  // ARM rejects the same parameter changes on a policy set as on a definition (set parameters are
  // fed to assignments alike); azpol does not replace initiatives, so the change stays blocked
  const compat = desired.kind === "definition" || desired.kind === "setDefinition" ? definitionBlocks(current.properties, desired.properties) : [];
  const blocked = [...ownerBlocks(desired.kind, current.properties, owner), ...compat];
  if (blocked.length) return { ...base, action: "blocked", changes, blocked };
  return { ...base, action: changes.length ? "update" : "unchanged", changes, blocked: [] };
}

function ownerBlocks(kind: ResourceKind, current: Record<string, unknown>, owner: string): string[] {
  const m = metadataOf(current);
  if (m.managedBy !== MANAGED_BY.managedBy) {
    // definitions are matched by name at one location; an assignment or exemption may be someone else's, by hand
    return kind === "assignment" || kind === "exemption" ? [`${kind === "assignment" ? "an assignment" : "an exemption"} with this name exists but was not made by azpol (metadata.managedBy); azpol will not take it over. Delete or rename it first`] : [];
  }
  const theirs = typeof m.azpolOwner === "string" ? m.azpolOwner : "default";
  return theirs === owner ? [] : [`this ${kind} belongs to azpol owner '${theirs}' (another repository or environment); azpol will not take it over. Use --owner ${theirs} if it is yours, or rename`];
}

/** Looks up by id, as ARM compares ids: without regard to case. */
function byId(resources: ArmResource[]): Map<string, ArmResource> {
  return new Map(resources.map((r) => [r.id.toLowerCase(), r]));
}

export interface PlanOptions {
  owner: string;
  /** delete what this owner made that the sources no longer declare */
  prune: boolean;
  /** replace a definition whose parameter change Azure rejects (replace-plan.ts) */
  allowReplace?: boolean;
}

/** What ARM has: the lists a plan reads (initiatives and exemptions only when the plan needs them). */
export interface Current {
  definitions: ArmResource[];
  assignments: ArmResource[];
  setDefinitions?: ArmResource[];
  exemptions?: ArmResource[];
}

export function planDeployment(wanted: DesiredState, current: Current, describeLocation: string, options: PlanOptions = { owner: "default", prune: false }): Plan {
  const { desired, replaced, wouldReplace } = withReplacements(wanted, current.definitions, options.owner, options.allowReplace === true);
  const all = byId([...current.definitions, ...(current.setDefinitions ?? []), ...current.assignments, ...(current.exemptions ?? [])]);
  const items = [...desired.definitions, ...desired.setDefinitions, ...desired.assignments, ...desired.exemptions].map((d) => item(d, all.get(d.id.toLowerCase()), options.owner));
  for (const i of items) {
    const next = i.kind === "definition" && i.action === "blocked" ? wouldReplace.get(i.id.toLowerCase()) : undefined;
    if (next) i.blocked.push(`with --allow-replace: create the definition as ${next}, move this owner's assignments to it, then delete ${i.name}`);
  }
  // replaced definitions go once their assignments have moved (apply deletes definitions last)
  for (const r of replaced) items.push({ kind: "definition", name: r.from.name, id: r.from.id, action: "delete", changes: [], blocked: [], desired: { kind: "definition", name: r.from.name, id: r.from.id }, current: r.from });
  if (options.prune) {
    const wanted = new Set(items.map((i) => i.id.toLowerCase()));
    // exemptions, then assignments, then initiatives: nothing can be deleted while it is referenced
    const lists = [["exemption", current.exemptions ?? []], ["assignment", current.assignments], ["setDefinition", current.setDefinitions ?? []], ["definition", current.definitions]] as const;
    for (const [kind, list] of lists) {
      for (const r of list) {
        if (wanted.has(r.id.toLowerCase()) || !ownedBy(r, options.owner)) continue;
        items.push({ kind, name: r.name, id: r.id, action: "delete", changes: [], blocked: [], desired: { kind, name: r.name, id: r.id }, current: r });
      }
    }
  }
  const counts: Record<Action, number> = { create: 0, update: 0, unchanged: 0, blocked: 0, delete: 0 };
  for (const i of items) counts[i.action]++;
  return { scope: desired.scope.id, definitionLocation: describeLocation, items, counts };
}
