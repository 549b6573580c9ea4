// The policyRule every emitted format shares.
import { parameterRef, type PolicyParameter } from "../core/policy-model.js";
import { isMutation, type DefinitionModel } from "../core/mutation-model.js";

/** policyRule.if: one cluster type is an equals (as Microsoft's AKS-only built-ins write it), several an in. */
export function clusterCondition(clusterTypes: readonly string[]): Record<string, unknown> {
  return clusterTypes.length === 1 ? { field: "type", equals: clusterTypes[0] } : { field: "type", in: [...clusterTypes] };
}

const copyList = (v: string[] | string): string[] | string => (typeof v === "string" ? v : [...v]);

export function policyRule(model: DefinitionModel): Record<string, unknown> {
  if (isMutation(model)) {
    // in the order of Microsoft's mutation built-ins (MutateContainerAllowedCapabilitiesContainers.json)
    return {
      if: clusterCondition(model.clusterTypes),
      then: {
        effect: parameterRef("effect"),
        details: {
          ...Object.fromEntries(model.detailsParameters.map((d) => [d, parameterRef(d)])),
          mutationInfo: { ...model.mutationInfo },
          excludedNamespaces: parameterRef("excludedNamespaces"),
        },
      },
    };
  }
  return {
    if: clusterCondition(model.clusterTypes),
    then: {
      effect: parameterRef("effect"),
      details: {
        ...Object.fromEntries(model.detailsParameters.map((d) => [d, parameterRef(d)])),
        templateInfo: { ...model.templateInfo },
        apiGroups: copyList(model.apiGroups),
        kinds: copyList(model.kinds),
        excludedNamespaces: parameterRef("excludedNamespaces"),
        namespaces: parameterRef("namespaces"),
        labelSelector: parameterRef("labelSelector"),
        // none at all when there are none, as Microsoft's built-ins without template parameters write it
        ...(Object.keys(model.values).length ? { values: { ...model.values } } : {}),
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

export function policyMetadata(model: { category: string; version: string; preview?: boolean; deprecated?: boolean }): Record<string, unknown> {
  return {
    category: model.category,
    version: model.version,
    ...(model.preview !== undefined ? { preview: model.preview } : {}),
    ...(model.deprecated !== undefined ? { deprecated: model.deprecated } : {}),
  };
}

/** properties.version (Azure's definition versions, api-version 2023-04-01+), when the source asks for it. */
export function policyVersion(model: { version: string; versioned?: boolean }): Record<string, unknown> {
  return model.versioned ? { version: model.version } : {};
}
