// Deployable ARM templates of an initiative: the member definitions and the policy set in one
// deployment, so `az deployment sub|mg create` makes all of them. Strings from the sources are
// escaped ('[[...', arm-template.ts); the only expressions ARM evaluates are the member ids (and
// dependsOn), written as subscriptionResourceId(...) or extensionResourceId(managementGroup().id, ...).
import type { PolicyModel } from "../../core/policy-model.js";
import type { InitiativeModel } from "../../initiative/initiative-model.js";
import { definitionProperties } from "../arm-definition.js";
import { escapeArmStrings, POLICY_API_VERSION } from "../arm-template.js";
import { stableJson } from "../stable-json.js";
import { policySetProperties } from "./policy-set.js";

export const INITIATIVE_ARM_TEMPLATE_FILES = ["template.subscription.json", "template.managementgroup.json"] as const;

const SCHEMAS = {
  subscription: "https://schema.management.azure.com/schemas/2018-05-01/subscriptionDeploymentTemplate.json#",
  managementGroup: "https://schema.management.azure.com/schemas/2019-08-01/managementGroupDeploymentTemplate.json#",
};

type Scope = keyof typeof SCHEMAS;

/** inside an expression a string literal doubles its single quotes */
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

export function resourceIdExpression(scope: Scope, type: string, name: string): string {
  return scope === "subscription" ? `[subscriptionResourceId('${type}', ${literal(name)})]` : `[extensionResourceId(managementGroup().id, '${type}', ${literal(name)})]`;
}

export function initiativeArmTemplate(model: InitiativeModel, members: PolicyModel[], scope: Scope): Record<string, unknown> {
  const definitionId = (name: string) => resourceIdExpression(scope, "Microsoft.Authorization/policyDefinitions", name);
  const set = escapeArmStrings(policySetProperties(model, () => "")) as { policyDefinitions: Record<string, unknown>[] };
  // the member ids are the expressions: set after escaping, so they stay evaluated
  set.policyDefinitions.forEach((ref, i) => (ref.policyDefinitionId = definitionId(model.members[i]?.definitionName ?? "")));
  const definitions = members.map((m) => escapeArmStrings({ type: "Microsoft.Authorization/policyDefinitions", apiVersion: POLICY_API_VERSION, name: m.name, properties: definitionProperties(m) }) as Record<string, unknown>);
  return {
    $schema: SCHEMAS[scope],
    contentVersion: "1.0.0.0",
    metadata: escapeArmStrings({ generator: "azpol", source: model.sourceFile }),
    resources: [
      ...definitions,
      {
        type: "Microsoft.Authorization/policySetDefinitions",
        apiVersion: POLICY_API_VERSION,
        name: escapeArmStrings(model.name),
        dependsOn: members.map((m) => definitionId(m.name)),
        properties: set,
      },
    ],
    outputs: { policySetDefinitionId: { type: "string", value: resourceIdExpression(scope, "Microsoft.Authorization/policySetDefinitions", model.name) } },
  };
}

export function initiativeArmTemplateFiles(model: InitiativeModel, members: PolicyModel[]): Record<(typeof INITIATIVE_ARM_TEMPLATE_FILES)[number], string> {
  return {
    "template.subscription.json": stableJson(initiativeArmTemplate(model, members, "subscription")),
    "template.managementgroup.json": stableJson(initiativeArmTemplate(model, members, "managementGroup")),
  };
}
