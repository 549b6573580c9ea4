// JSON Schema of a definition source. Structure only: semantic rules (registry syntax,
// namespace labels, template parameters, Azure limits) live in core/rules.
import { exemptionsSchema } from "./exemption-source.schema.js";
import { parameterDeclarationProperties } from "./parameter.schema.js";

const stringList = { type: "array", items: { type: "string" } } as const;

export const definitionSourceSchema = {
  $id: "https://azpol.dev/schemas/definition-source.json",
  type: "object",
  additionalProperties: false,
  required: ["name", "displayName", "description", "template"],
  properties: {
    $schema: { type: "string" },
    name: { type: "string", minLength: 1 },
    displayName: { type: "string", minLength: 1 },
    description: { type: "string", minLength: 1 },
    version: { type: "string" },
    category: { type: "string", minLength: 1 },
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
    excludedNamespaces: stringList,
    namespaces: stringList,
    labelSelector: { type: "object" },
    apiGroups: stringList,
    kinds: { ...stringList, minItems: 1 },
    parameters: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["type"],
        properties: {
          ...parameterDeclarationProperties,
          templateParameter: { type: "string", minLength: 1 },
          format: { type: "string", enum: ["registries"] },
          schema: { type: "object" },
        },
      },
    },
    values: { type: "object" },
    replacements: { type: "object", additionalProperties: { type: "string", minLength: 1 } },
    exemptions: exemptionsSchema,
  },
} as const;
