// The ARM body of a policy set definition (initiative): what PUT .../policySetDefinitions/{name}
// takes (learn.microsoft.com/azure/governance/policy/concepts/initiative-definition-structure).
// Member ids are absolute ARM ids, which depend on where the definitions are created: the caller
// says how to write one (deploy: the real id; ARM templates and Bicep: an expression; the REST
// body and the az files: DEFINITION_LOCATION, replaced by create.sh or the user).
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import { policyMetadata, policyParameters } from "../policy-rule.js";

/** Stands for /subscriptions/<id> or /providers/Microsoft.Management/managementGroups/<name>. */
export const DEFINITION_LOCATION = "{definitionLocation}";

export const definitionIdAt = (location: string) => (definitionName: string) => `${location}/providers/Microsoft.Authorization/policyDefinitions/${definitionName}`;

export function policySetProperties(model: InitiativeModel, memberId: (definitionName: string) => unknown): Record<string, unknown> {
  return {
    displayName: model.displayName,
    description: model.description,
    metadata: policyMetadata(model),
    parameters: policyParameters(model),
    policyDefinitions: memberReferences(model, memberId),
  };
}

export function memberReferences(model: InitiativeModel, memberId: (definitionName: string) => unknown): Record<string, unknown>[] {
  return model.members.map((m) => ({
    policyDefinitionReferenceId: m.referenceId,
    policyDefinitionId: memberId(m.definitionName),
    parameters: Object.fromEntries(Object.entries(m.parameters).map(([k, v]) => [k, { value: v }])),
    ...(m.definitionVersion !== undefined ? { definitionVersion: m.definitionVersion } : {}),
  }));
}
