// The ARM resource body: what PUT .../policyDefinitions/{name} takes and `az policy
// definition create` / Bicep / ARM templates wrap. `azpol deploy` sends the same properties.
import { POLICY_MODE } from "../core/policy-model.js";
import type { DefinitionModel } from "../core/mutation-model.js";
import { policyMetadata, policyParameters, policyRule, policyVersion } from "./policy-rule.js";

export function definitionProperties(model: DefinitionModel): Record<string, unknown> {
  return {
    displayName: model.displayName,
    description: model.description,
    mode: POLICY_MODE,
    metadata: policyMetadata(model),
    ...policyVersion(model),
    parameters: policyParameters(model),
    policyRule: policyRule(model),
  };
}

export interface ArmDefinition {
  properties: Record<string, unknown>;
}

export function armDefinition(model: DefinitionModel): ArmDefinition {
  return { properties: definitionProperties(model) };
}
