// JSON Schema of an initiative source (initiatives/<name>/initiative.yaml): a policy set of azpol
// definitions. Structure only: wiring and limits are checked in initiative/compile-initiative.ts.
import { exemptionsSchema } from "./exemption-source.schema.js";
import { parameterMapSchema, sourceHeaderProperties } from "./source-header.schema.js";

export const initiativeSourceSchema = {
  $id: "https://azpol.dev/schemas/initiative-source.json",
  type: "object",
  additionalProperties: false,
  required: ["name", "displayName", "definitions"],
  properties: {
    ...sourceHeaderProperties,
    parameters: parameterMapSchema({ schema: { type: "object" } }),
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
