// JSON Schema of a definition source. Structure only: semantic rules (registry syntax,
// namespace labels, template parameters, Azure limits) live in core/rules.
import { exemptionsSchema } from "./exemption-source.schema.js";
import { parameterMapSchema, sourceHeaderProperties } from "./source-header.schema.js";

const stringList = { type: "array", items: { type: "string" } } as const;

export const definitionSourceSchema = {
  $id: "https://azpol.dev/schemas/definition-source.json",
  type: "object",
  additionalProperties: false,
  required: ["name", "displayName", "description", "template"],
  properties: {
    ...sourceHeaderProperties,
    description: { type: "string", minLength: 1 },
    template: {
      type: "object",
      additionalProperties: false,
      required: ["path", "source"],
      properties: {
        path: { type: "string", minLength: 1 },
        source: { type: "string", enum: ["PublicURL", "Base64Encoded"] },
        url: { type: "string", minLength: 1 },
        sha256: { type: "string", pattern: "^[0-9a-f]{64}$" },
      },
      if: { properties: { source: { const: "PublicURL" } } },
      then: { required: ["url"] },
    },
    effect: { type: "string" },
    // the effect parameter's allowedValues, as written (built-ins list case duplicates)
    effects: { type: "array", items: { type: "string" }, minItems: 1 },
    // details.source and details.warn: declaring one declares the parameter of that name
    source: { type: "string", enum: ["Original", "Generated", "All"] },
    warn: { type: "boolean" },
    // which clusters the definition applies to (policyRule.if), in the order given
    clusterTypes: {
      type: "array",
      minItems: 1,
      uniqueItems: true,
      items: { type: "string", enum: ["Microsoft.ContainerService/managedClusters", "Microsoft.Kubernetes/connectedClusters", "AKS Engine"] },
    },
    preview: { type: "boolean" },
    deprecated: { type: "boolean" },
    // also send version as the definition's own version (properties.version), which
    // assignments and initiative members can pin with definitionVersion
    versioned: { type: "boolean" },
    excludedNamespaces: stringList,
    namespaces: stringList,
    labelSelector: { type: "object" },
    // a list, or "[parameters('x')]" naming an Array parameter
    apiGroups: { type: ["array", "string"], items: { type: "string" } },
    kinds: { type: ["array", "string"], items: { type: "string" }, minItems: 1 },
    parameters: parameterMapSchema({
      templateParameter: { type: "string", minLength: 1 },
      format: { type: "string", enum: ["registries"] },
      schema: { type: "object" },
      deprecated: { type: "boolean" },
      portalReview: { type: "boolean" },
    }),
    values: { type: "object" },
    replacements: { type: "object", additionalProperties: { type: "string", minLength: 1 } },
    exemptions: exemptionsSchema,
  },
} as const;
