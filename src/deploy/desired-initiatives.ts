// What azpol wants in Azure for initiatives and exemptions: a policy set definition per initiative
// (next to its member definitions), one assignment per initiative (its members are then not
// assigned on their own), and the exemptions the sources declare against those assignments.
// Expired exemptions are left out: Azure no longer honours them (validate warns, AZP2037).
import type { PolicyModel } from "../core/policy-model.js";
import { policySetProperties } from "../emit/initiative/policy-set.js";
import type { ExemptionModel } from "../model/exemption-source.js";
import type { InitiativeModel } from "../initiative/initiative-model.js";
import { UsageError } from "../errors.js";
import { assignmentId, definitionId, type DefinitionLocation, type Scope } from "./scope.js";

export interface DesiredSetDefinition {
  kind: "setDefinition";
  name: string;
  id: string;
  location: DefinitionLocation;
  /** the member definitions (by name), which must be written first */
  members: string[];
  properties: Record<string, unknown>;
}

export interface DesiredExemption {
  kind: "exemption";
  name: string;
  id: string;
  /** where the exemption is made (an ARM id at or below the assignment scope) */
  scopeId: string;
  /** the assignment it exempts from (by name), which must be written first */
  assignmentName: string;
  properties: Record<string, unknown>;
}

export function setDefinitionId(location: DefinitionLocation, name: string): string {
  return definitionId(location, name).replace(/\/policyDefinitions\/([^/]+)$/, "/policySetDefinitions/$1");
}

export function desiredSetDefinitions(initiatives: InitiativeModel[], location: DefinitionLocation, metadata: Record<string, string>): DesiredSetDefinition[] {
  return initiatives.map((m) => {
    const properties = policySetProperties(m, (name) => definitionId(location, name));
    return {
      kind: "setDefinition",
      name: m.name,
      id: setDefinitionId(location, m.name),
      location,
      members: [...new Set(m.members.map((x) => x.definitionName))],
      properties: { ...properties, metadata: { ...(properties.metadata as Record<string, unknown>), ...metadata } },
    };
  });
}

/** Where an exemption goes: the assignment scope, a resource group in it, or an ARM id under it. */
export function exemptionScopeId(scope: Scope, e: ExemptionModel, source: string): string {
  const fail = (why: string) => new UsageError(`${source}: exemption '${e.name}': ${why}`);
  if (e.scope === undefined) return scope.id;
  if (!e.scope.startsWith("/")) {
    if (scope.kind === "managementGroup") throw fail(`scope ${JSON.stringify(e.scope)} is a resource group name, but the assignment is at management group ${scope.managementGroupId}; write the resource group's full id`);
    const id = `/subscriptions/${scope.subscriptionId}/resourceGroups/${e.scope}`;
    if (scope.kind === "resourceGroup" && scope.resourceGroup.toLowerCase() !== e.scope.toLowerCase()) throw fail(`resource group ${e.scope} is outside the assignment scope ${scope.id}`);
    return id;
  }
  const id = e.scope.replace(/\/+$/, "");
  const inside = id.toLowerCase() === scope.id.toLowerCase() || id.toLowerCase().startsWith(`${scope.id.toLowerCase()}/`);
  // a subscription under a management group cannot be checked offline; ARM checks it
  // (assignmentScopeValidation: Default)
  if (!inside && !(scope.kind === "managementGroup" && id.toLowerCase().startsWith("/subscriptions/"))) throw fail(`scope ${id} is outside the assignment scope ${scope.id}; an exemption must be at or below it`);
  return id;
}

export function desiredExemption(scope: Scope, e: ExemptionModel, assignmentName: string, source: string, metadata: Record<string, string>): DesiredExemption {
  const scopeId = exemptionScopeId(scope, e, source);
  const properties: Record<string, unknown> = {
    displayName: e.displayName,
    description: e.description,
    policyAssignmentId: assignmentId(scope, assignmentName),
    exemptionCategory: e.category,
    metadata,
  };
  if (e.referenceIds.length) properties.policyDefinitionReferenceIds = e.referenceIds;
  if (e.expiresOn !== undefined) properties.expiresOn = e.expiresOn;
  return { kind: "exemption", name: e.name, id: `${scopeId}/providers/Microsoft.Authorization/policyExemptions/${e.name}`, scopeId, assignmentName, properties };
}

/** The definitions an initiative assigns: they get no assignment of their own. */
export function assignedThroughInitiatives(models: Pick<PolicyModel, "name" | "sourceFile" | "exemptions">[], initiatives: InitiativeModel[]): Map<string, string> {
  const via = new Map<string, string>();
  for (const i of initiatives) for (const m of i.members) if (!via.has(m.definitionName)) via.set(m.definitionName, i.name);
  for (const m of models) {
    const initiative = via.get(m.name);
    if (initiative && m.exemptions.length) throw new UsageError(`${m.sourceFile}: the exemptions of '${m.name}' need its own assignment, but it is assigned through initiative '${initiative}'; declare them on the initiative, with referenceIds to pick this member`);
  }
  return via;
}
