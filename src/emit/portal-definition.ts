// The JSON to paste into the Azure portal's policy definition editor: {mode, parameters,
// policyRule}. Name, display name, description and category go into the portal's form.
import { POLICY_MODE } from "../core/policy-model.js";
import type { DefinitionModel } from "../core/mutation-model.js";
import { policyParameters, policyRule } from "./policy-rule.js";

export function portalDefinition(model: DefinitionModel): Record<string, unknown> {
  return { mode: POLICY_MODE, parameters: policyParameters(model), policyRule: policyRule(model) };
}
