// A Terraform module per definition: azurerm_policy_definition plus example assignments at
// resource group, subscription and management group scope, each created only when its
// scope variable is set.
import { POLICY_MODE, type PolicyModel } from "../core/policy-model.js";
import { hclAttributes, hclString, hclValue } from "./hcl.js";
import { assignmentParameters, exampleAssignments, moduleInputs } from "./terraform-assignments.js";
import { policyMetadata, policyParameters, policyRule } from "./policy-rule.js";

export function terraformModule(model: PolicyModel): string {
  // azurerm_policy_definition drops a parameter's "schema" (terraform-provider-azurerm#19720),
  // which would show as a diff on every plan, so the Terraform copy leaves it out.
  const parameters = Object.fromEntries(
    Object.entries(policyParameters(model)).map(([k, v]) => {
      const { schema: _dropped, ...rest } = v as Record<string, unknown>;
      return [k, rest];
    }),
  );
  const blocks = [
    ...moduleInputs(model, ">= 3.0, < 6.0", "policy", "the definition"),
    assignmentParameters(model, "definition's"),
    `resource "azurerm_policy_definition" "this" {\n${hclAttributes([
      ["name", hclString(model.name)],
      ["policy_type", hclString("Custom")],
      ["mode", hclString(POLICY_MODE)],
      ["display_name", hclString(model.displayName)],
      ["description", hclString(model.description)],
      ["management_group_id", "var.definition_management_group_id"],
      ["metadata", `jsonencode(${hclValue(policyMetadata(model), "  ")})`],
      ["parameters", `jsonencode(${hclValue(parameters, "  ")})`],
      ["policy_rule", `jsonencode(${hclValue(policyRule(model), "  ")})`],
    ])}\n}`,
    ...exampleAssignments(model, "azurerm_policy_definition.this.id"),
    `output "policy_definition_id" {\n  value = azurerm_policy_definition.this.id\n}`,
  ];
  return `${blocks.join("\n\n")}\n`;
}
