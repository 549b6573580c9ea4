// What azpol wants in Azure for a set of definitions at one scope: the definitions (at the
// subscription or management group containing the scope) and one assignment each.
import type { PolicyModel } from "../core/policy-model.js";
import { definitionProperties } from "../emit/arm-definition.js";
import { managementGroupAssignmentName } from "../emit/terraform.js";
import { assignmentId, definitionId, definitionLocation, type DefinitionLocation, type Scope } from "./scope.js";

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
  definitionName: string;
  properties: Record<string, unknown>;
}

export interface DesiredState {
  scope: Scope;
  location: DefinitionLocation;
  definitions: DesiredDefinition[];
  assignments: DesiredAssignment[];
}

/** ARM limits management group assignment names to 24 characters. */
export function assignmentName(scope: Scope, definitionName: string): string {
  return scope.kind === "managementGroup" ? managementGroupAssignmentName(definitionName) : definitionName;
}

export function desiredState(
  models: PolicyModel[],
  scope: Scope,
  values: (model: PolicyModel) => Record<string, unknown>,
  enforcementMode: EnforcementMode,
  owner = "default",
): DesiredState {
  const location = definitionLocation(scope);
  const definitions = models.map((m): DesiredDefinition => {
    const properties = definitionProperties(m);
    return { kind: "definition", name: m.name, id: definitionId(location, m.name), location, properties: { ...properties, metadata: { ...(properties.metadata as Record<string, unknown>), ...ownership(owner) } } };
  });
  const assignments = models.map((m): DesiredAssignment => {
    const name = assignmentName(scope, m.name);
    const parameters = Object.fromEntries(Object.entries(values(m)).map(([k, v]) => [k, { value: v }]));
    return {
      kind: "assignment",
      name,
      id: assignmentId(scope, name),
      scope,
      definitionName: m.name,
      properties: {
        displayName: m.displayName,
        description: m.description,
        policyDefinitionId: definitionId(location, m.name),
        parameters,
        enforcementMode,
        metadata: ownership(owner),
      },
    };
  });
  return { scope, location, definitions, assignments };
}
