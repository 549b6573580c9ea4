// The policyRule every emitted format shares.
import { CLUSTER_TYPES, parameterRef, type PolicyModel, type PolicyParameter } from "../core/policy-model.js";

export function policyRule(model: PolicyModel): Record<string, unknown> {
  return {
    if: { field: "type", in: [...CLUSTER_TYPES] },
    then: {
      effect: parameterRef("effect"),
      details: {
        templateInfo: { ...model.templateInfo },
        apiGroups: [...model.apiGroups],
        kinds: [...model.kinds],
        excludedNamespaces: parameterRef("excludedNamespaces"),
        namespaces: parameterRef("namespaces"),
        labelSelector: parameterRef("labelSelector"),
        values: { ...model.values },
      },
    },
  };
}

/** Parameters in the ARM shape: type, metadata, allowedValues, defaultValue, schema. */
export function policyParameters(model: { parameters: Record<string, PolicyParameter> }): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, p] of Object.entries(model.parameters)) {
    const entry: Record<string, unknown> = { type: p.type, metadata: { ...p.metadata } };
    if (p.allowedValues !== undefined) entry.allowedValues = p.allowedValues;
    if (p.defaultValue !== undefined) entry.defaultValue = p.defaultValue;
    if (p.schema !== undefined) entry.schema = p.schema;
    out[name] = entry;
  }
  return out;
}

export function policyMetadata(model: { category: string; version: string }): Record<string, unknown> {
  return { category: model.category, version: model.version };
}
