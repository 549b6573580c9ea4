// Deployable ARM templates (`az deployment sub|mg create --template-file`): one
// Microsoft.Authorization/policyDefinitions resource with policy.json's properties. ARM evaluates
// any string that starts with '[' and ends with ']' as a template expression, so every such
// string (the policy's own "[parameters('effect')]", "[field(...)]", ...) is written '[[...]',
// which ARM turns back into the literal (learn.microsoft.com/azure/azure-resource-manager/
// templates/template-expressions, "Escape characters"); strings like "[Preview] x" stay as is.
import type { DefinitionModel } from "../core/mutation-model.js";
import { definitionProperties } from "./arm-definition.js";
import { stableJson } from "./stable-json.js";

export const ARM_TEMPLATE_FILES = ["template.subscription.json", "template.managementgroup.json"] as const;

/** The api-version azpol deploy and the fake ARM use for policy definitions. */
export const POLICY_API_VERSION = "2025-03-01";

const SCHEMAS = {
  subscription: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  managementGroup: "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
};

export function isArmExpression(value: string): boolean {
  return value.startsWith("[") && value.endsWith("]");
}

/** Escapes every string ARM would evaluate; keys are never evaluated, so they stay. */
export function escapeArmStrings(value: unknown): unknown {
  if (typeof value === "string") return isArmExpression(value) ? `[${value}` : value;
  if (Array.isArray(value)) return value.map(escapeArmStrings);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, escapeArmStrings(v)]));
  return value;
}

export function armTemplate(model: DefinitionModel, scope: keyof typeof SCHEMAS): Record<string, unknown> {
  // inside an expression a string literal doubles its single quotes
  const name = `'${model.name.replace(/'/g, "''")}'`;
  const id =
    scope === "subscription"
      ? `[subscriptionResourceId('Microsoft.Authorization/policyDefinitions', ${name})]`
      : `[extensionResourceId(managementGroup().id, 'Microsoft.Authorization/policyDefinitions', ${name})]`;
  // Everything from the source is escaped, the resource name and metadata included; only the
  // output is an expression azpol means ARM to evaluate.
  const literal = escapeArmStrings({
    metadata: { generator: "azpol", source: model.sourceFile },
    resources: [
      {
        type: "Microsoft.Authorization/policyDefinitions",
        apiVersion: POLICY_API_VERSION,
        name: model.name,
        properties: definitionProperties(model),
      },
    ],
  }) as Record<string, unknown>;
  return { $schema: SCHEMAS[scope], contentVersion: "1.0.0.0", ...literal, outputs: { policyDefinitionId: { type: "string", value: id } } };
}

export function armTemplateFiles(model: DefinitionModel): Record<(typeof ARM_TEMPLATE_FILES)[number], string> {
  return {
    "template.subscription.json": stableJson(armTemplate(model, "subscription")),
    "template.managementgroup.json": stableJson(armTemplate(model, "managementGroup")),
  };
}
