// JSON Schema of an initiative source (initiatives/<name>/initiative.yaml): a policy set of azpol
// definitions. Structure only: wiring and limits are checked in initiative/compile-initiative.ts.
import { exemptionsSchema } from "./exemption-source.schema.js";
import { parameterDeclarationProperties } from "./parameter.schema.js";

export const initiativeSourceSchema = {
  $id: "https://azpol.dev/schemas/initiative-source.json",
  type: "object",
  additionalProperties: false,
  required: ["name", "displayName", "definitions"],
  properties: {
    $schema: { type: "string" },
    name: { type: "string", minLength: 1 },
    displayName: { type: "string", minLength: 1 },
    description: { type: "string" },
    version: { type: "string" },
    category: { type: "string", minLength: 1 },
    parameters: {
      type: "object",
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        required: ["type"],
        properties: {
          ...parameterDeclarationProperties,
          schema: { type: "object" },
        },
      },
    },
    definitions: {
      type: "array",
      minItems: 1,
      items: {
        type: "object",
        additionalProperties: false,
        required: ["definition"],
        properties: {
          definition: { type: "string", minLength: 1 },
          referenceId: { type: "string", minLength: 1 },
          definitionVersion: { type: "string", minLength: 1 },
          parameters: { type: "object" },
        },
      },
    },
    exemptions: exemptionsSchema,
  },
} as const;
