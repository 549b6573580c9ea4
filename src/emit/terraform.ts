// A Terraform module per definition: azurerm_policy_definition plus example assignments at
// resource group, subscription and management group scope, each created only when its
// scope variable is set. A Base64Encoded ConstraintTemplate is written beside main.tf as
// template.yaml and read with filebase64(), so the module stays readable and a template change
// is a reviewable YAML diff instead of a new Base64 blob. example/main.tf is a root module
// (provider block) that calls it. A Base64Encoded mutator (a Mutate definition) is written the
// same way, as mutation.yaml.
import { POLICY_MODE } from "../core/policy-model.js";
import { isMutation, type DefinitionModel } from "../core/mutation-model.js";
import { HclExpression, hclAttributes, hclString, hclValue } from "./hcl.js";
import { assignmentParameters, exampleAssignments, moduleInputs } from "./terraform-assignments.js";
import { terraformExampleRoot } from "./terraform-example.js";
import { policyMetadata, policyParameters, policyRule } from "./policy-rule.js";

/** The file beside main.tf that holds a Base64Encoded template's YAML. */
export const TERRAFORM_TEMPLATE_FILE = "template.yaml";
/** The file beside main.tf that holds a Base64Encoded mutator's YAML. */
export const TERRAFORM_MUTATION_FILE = "mutation.yaml";

/** details.templateInfo, or details.mutationInfo of a Mutate definition, and the file its Base64 content goes to. */
function embedded(model: DefinitionModel) {
  return isMutation(model) ? { key: "mutationInfo", info: model.mutationInfo, file: TERRAFORM_MUTATION_FILE } : { key: "templateInfo", info: model.templateInfo, file: TERRAFORM_TEMPLATE_FILE };
}

/** The files of a definition's Terraform: main.tf, template.yaml or mutation.yaml (Base64Encoded only), example/main.tf. */
export function terraformFiles(model: DefinitionModel): Record<string, string> {
  const { info, file } = embedded(model);
  return {
    "main.tf": terraformModule(model),
    ...(info.sourceType === "Base64Encoded" ? { [file]: Buffer.from(info.content, "base64").toString("utf8") } : {}),
    "example/main.tf": terraformExampleRoot(model, "definition"),
  };
}

/** policyRule with a Base64Encoded template's (or mutator's) content read from its file at plan time. */
function terraformPolicyRule(model: DefinitionModel): Record<string, unknown> {
  const rule = policyRule(model);
  const { key, info, file } = embedded(model);
  if (info.sourceType !== "Base64Encoded") return rule;
  const then = rule.then as { details: Record<string, unknown> };
  const details = { ...then.details, [key]: { sourceType: "Base64Encoded", content: new HclExpression(`filebase64("\${path.module}/${file}")`) } };
  return { ...rule, then: { ...then, details } };
}

export function terraformModule(model: DefinitionModel): string {
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
      ["policy_rule", `jsonencode(${hclValue(terraformPolicyRule(model), "  ")})`],
    ])}\n}`,
    ...exampleAssignments(model, "azurerm_policy_definition.this.id"),
    `output "policy_definition_id" {\n  value = azurerm_policy_definition.this.id\n}`,
  ];
  return `${blocks.join("\n\n")}\n`;
}
