// What azpol wants in Azure for a whole estate: every definition and initiative at the
// definitions' location, and every assignment source at every one of its scopes (narrowed to the
// scopes at or below --scope when given). Pure. Assignment values come from the sources; a flag
// given for this run (--param, --parameters-file, --enforcement-mode) overrides them, and the plan
// says so (Plan.valueOrigins).
import type { AssignmentModel } from "./assignment-model.js";
import type { DefinitionModel } from "../core/mutation-model.js";
import type { InitiativeModel } from "../initiative/initiative-model.js";
import { definitionProperties } from "../emit/arm-definition.js";
import { desiredSetDefinitions, setDefinitionId } from "../deploy/desired-initiatives.js";
import { ownership, type DesiredAssignment, type DesiredDefinition, type DesiredState, type EnforcementMode } from "../deploy/desired-state.js";
import { assignmentId, definitionId, type DefinitionLocation, type Scope } from "../deploy/scope.js";

export interface EstateOverrides {
  /** per target (definition or initiative name): parameter values for this run */
  values: Map<string, Record<string, unknown>>;
  enforcementMode?: EnforcementMode;
}

/** Whether `scope` is `within` or below it, by id (a management group's subscriptions are not known offline: only itself). */
export function scopeWithin(scope: Scope, within: Scope): boolean {
  const a = scope.id.toLowerCase();
  const b = within.id.toLowerCase();
  return a === b || a.startsWith(`${b}/`);
}

/**
 * The notScopes of a source that apply at one of its scopes: those below it. (A management
 * group's subscriptions are not known offline, so at a management group all of them.)
 */
export function notScopesAt(scope: Scope, notScopes: string[]): string[] {
  return scope.kind === "managementGroup" ? notScopes : notScopes.filter((n) => n.toLowerCase().startsWith(`${scope.id.toLowerCase()}/`));
}

export function assignmentProperties(a: AssignmentModel, scope: Scope, policyDefinitionId: string, values: Record<string, unknown>, enforcementMode: EnforcementMode, owner: string): Record<string, unknown> {
  return {
    displayName: a.displayName,
    description: a.description,
    policyDefinitionId,
    parameters: Object.fromEntries(Object.entries(values).map(([k, v]) => [k, { value: v }])),
    enforcementMode,
    // written even when empty, so removing the last one from the source clears it in Azure
    notScopes: notScopesAt(scope, a.notScopes),
    nonComplianceMessages: a.nonComplianceMessages,
    ...(a.definitionVersion !== undefined ? { definitionVersion: a.definitionVersion } : {}),
    metadata: ownership(owner),
  };
}

export interface DesiredEstate extends DesiredState {
  /** every scope an assignment is made at (where the plan lists assignments) */
  scopes: Scope[];
}

export function desiredEstate(
  models: DefinitionModel[],
  initiatives: InitiativeModel[],
  assignments: AssignmentModel[],
  location: DefinitionLocation,
  owner: string,
  overrides: EstateOverrides,
  narrow?: Scope,
): DesiredEstate {
  const definitions = models.map((m): DesiredDefinition => {
    const properties = definitionProperties(m);
    return { kind: "definition", name: m.name, id: definitionId(location, m.name), location, properties: { ...properties, metadata: { ...(properties.metadata as Record<string, unknown>), ...ownership(owner) } } };
  });
  const desiredAssignments: DesiredAssignment[] = assignments.flatMap((a) => {
    const initiative = a.target.kind === "initiative";
    const policyDefinitionId = initiative ? setDefinitionId(location, a.target.name) : definitionId(location, a.target.name);
    const values = { ...a.parameters, ...overrides.values.get(a.target.name) };
    return a.scopes
      .filter((s) => narrow === undefined || scopeWithin(s, narrow))
      .map((scope): DesiredAssignment => {
        const properties = assignmentProperties(a, scope, policyDefinitionId, values, overrides.enforcementMode ?? a.enforcementMode, owner);
        return { kind: "assignment", name: a.name, id: assignmentId(scope, a.name), scope, definitionName: a.target.name, ...(initiative ? { initiative: true } : {}), properties };
      });
  });
  const scopes = [...new Map(desiredAssignments.map((d) => [d.scope.id.toLowerCase(), d.scope])).values()];
  const locationScope: Scope = "subscriptionId" in location ? { kind: "subscription", subscriptionId: location.subscriptionId, id: `/subscriptions/${location.subscriptionId}` } : { kind: "managementGroup", managementGroupId: location.managementGroupId, id: `/providers/Microsoft.Management/managementGroups/${location.managementGroupId}` };
  return {
    scope: narrow ?? locationScope,
    location,
    definitions,
    setDefinitions: desiredSetDefinitions(initiatives, location, ownership(owner)),
    assignments: desiredAssignments,
    // exemptions in the sources name the one assignment `deploy --scope` makes; an estate has none such
    exemptions: [],
    scopes,
  };
}
