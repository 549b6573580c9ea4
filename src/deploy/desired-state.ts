// What azpol wants in Azure for a set of definitions at one scope: the definitions (at the
// subscription or management group containing the scope), the initiatives grouping them, one
// assignment per initiative and per definition outside any, and the exemptions the sources declare.
import type { DefinitionModel } from "../core/mutation-model.js";
import { definitionProperties } from "../emit/arm-definition.js";
import { managementGroupAssignmentName } from "../emit/terraform-assignments.js";
import type { InitiativeModel } from "../initiative/initiative-model.js";
import { UsageError } from "../errors.js";
import { assignedThroughInitiatives, desiredExemption, desiredSetDefinitions, setDefinitionId, type DesiredExemption, type DesiredSetDefinition } from "./desired-initiatives.js";
import { assignmentId, definitionId, definitionLocation, type DefinitionLocation, type Scope } from "./scope.js";
export type { DesiredExemption, DesiredSetDefinition } from "./desired-initiatives.js";

/** Marks assignments azpol made, so `azpol status` can find them and deploy won't take over others. */
export const MANAGED_BY = { managedBy: "azpol" } as const;

/**
 * What azpol writes into the metadata of every definition and assignment: managedBy, and the owner
 * (a repository or an environment: --owner, or owner: in azpol.yaml), so that --prune only ever
 * deletes what this owner made and two owners never take over each other's resources.
 */
export function ownership(owner: string): Record<string, string> {
  return { ...MANAGED_BY, azpolOwner: owner };
}

export type EnforcementMode = "Default" | "DoNotEnforce";

export interface DesiredDefinition {
  kind: "definition";
  name: string;
  id: string;
  location: DefinitionLocation;
  properties: Record<string, unknown>;
}

export interface DesiredAssignment {
  kind: "assignment";
  name: string;
  id: string;
  scope: Scope;
  /** the definition, or with `initiative` the policy set, it assigns */
  definitionName: string;
  initiative?: boolean;
  properties: Record<string, unknown>;
}

export interface DesiredState {
  scope: Scope;
  location: DefinitionLocation;
  definitions: DesiredDefinition[];
  setDefinitions: DesiredSetDefinition[];
  assignments: DesiredAssignment[];
  exemptions: DesiredExemption[];
}

/** ARM limits management group assignment names to 24 characters. */
export function assignmentName(scope: Scope, definitionName: string): string {
  return scope.kind === "managementGroup" ? managementGroupAssignmentName(definitionName) : definitionName;
}

export function desiredState(
  models: DefinitionModel[],
  scope: Scope,
  values: (holder: { name: string }) => Record<string, unknown>,
  enforcementMode: EnforcementMode,
  owner = "default",
  initiatives: InitiativeModel[] = [],
): DesiredState {
  const location = definitionLocation(scope);
  const definitions = models.map((m): DesiredDefinition => {
    const properties = definitionProperties(m);
    return { kind: "definition", name: m.name, id: definitionId(location, m.name), location, properties: { ...properties, metadata: { ...(properties.metadata as Record<string, unknown>), ...ownership(owner) } } };
  });
  const viaInitiative = assignedThroughInitiatives(models, initiatives);
  const assign = (holder: { name: string; displayName: string; description: string }, policyDefinitionId: string, initiative: boolean): DesiredAssignment => {
    const name = assignmentName(scope, holder.name);
    const parameters = Object.fromEntries(Object.entries(values(holder)).map(([k, v]) => [k, { value: v }]));
    return {
      kind: "assignment",
      name,
      id: assignmentId(scope, name),
      scope,
      definitionName: holder.name,
      ...(initiative ? { initiative: true } : {}),
      properties: { displayName: holder.displayName, description: holder.description, policyDefinitionId, parameters, enforcementMode, metadata: ownership(owner) },
    };
  };
  const setDefinitions = desiredSetDefinitions(initiatives, location, ownership(owner));
  const own = models.filter((m) => !viaInitiative.has(m.name));
  const assignments = [...own.map((m) => assign(m, definitionId(location, m.name), false)), ...initiatives.map((i) => assign(i, setDefinitionId(location, i.name), true))];
  const exemptions = [...own, ...initiatives].flatMap((holder) =>
    holder.exemptions.filter((e) => !e.expired).map((e) => desiredExemption(scope, e, assignmentName(scope, holder.name), holder.sourceFile, ownership(owner))),
  );
  const seen = new Map<string, string>();
  for (const e of exemptions) {
    const first = seen.get(e.id.toLowerCase());
    if (first !== undefined) throw new UsageError(`two exemptions named '${e.name}' at ${e.scopeId} (${first} and ${e.properties.policyAssignmentId as string}); exemption names are unique per scope, so rename one`);
    seen.set(e.id.toLowerCase(), String(e.properties.policyAssignmentId));
  }
  return { scope, location, definitions, setDefinitions, assignments, exemptions };
}
