// JSON Schema of an assignment source (assignments/<file>.yaml). Structure only: what it assigns,
// its parameter values and its scopes are checked in assignment/compile-assignment.ts.
const valueProperties = {
  scopes: { type: "array", minItems: 1, items: { type: "string", minLength: 1 } },
  notScopes: { type: "array", items: { type: "string", minLength: 1 } },
  enforcementMode: { enum: ["Default", "DoNotEnforce"] },
  parameters: { type: "object" },
  nonComplianceMessages: {
    type: "array",
    items: {
      type: "object",
      additionalProperties: false,
      required: ["message"],
      properties: { message: { type: "string", minLength: 1 }, policyDefinitionReferenceId: { type: "string", minLength: 1 } },
    },
  },
  // ARM's definitionVersion: a major version pin, e.g. "1.*.*" (policy versioning, preview)
  definitionVersion: { type: "string", pattern: "^\\d+\\.\\*\\.\\*(-preview)?$" },
} as const;

export const assignmentSourceSchema = {
  $id: "https://azpol.dev/schemas/assignment-source.json",
  type: "object",
  additionalProperties: false,
  required: ["name"],
  properties: {
    $schema: { type: "string" },
    name: { type: "string", minLength: 1 },
    displayName: { type: "string", minLength: 1 },
    description: { type: "string" },
    definition: { type: "string", minLength: 1 },
    initiative: { type: "string", minLength: 1 },
    ...valueProperties,
    environments: {
      type: "object",
      propertyNames: { pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$" },
      additionalProperties: { type: "object", additionalProperties: false, properties: valueProperties },
    },
  },
} as const;
