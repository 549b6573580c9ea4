// The part of the schema a definition source and an initiative source share: the header (name,
// displayName, description, version, category) and the map of parameter declarations. The
// TypeScript shape it admits is SourceHeader in model/source-header.ts.

/** One parameter declaration's properties, whichever source declares it. */
const parameterDeclarationProperties = {
  type: { type: "string", enum: ["String", "Array", "Object", "Boolean", "Integer", "Float", "DateTime"] },
  displayName: { type: "string" },
  description: { type: "string" },
  default: {},
  allowedValues: { type: "array" },
} as const;

/** $schema, name, displayName, description, version, category; a source may tighten description. */
export const sourceHeaderProperties = {
  $schema: { type: "string" },
  name: { type: "string", minLength: 1 },
  displayName: { type: "string", minLength: 1 },
  description: { type: "string" },
  version: { type: "string" },
  category: { type: "string", minLength: 1 },
} as const;

/** `parameters`: name → declaration, each with the shared declaration properties plus `extra`. */
export function parameterMapSchema<Extra extends Record<string, object>>(extra: Extra) {
  return {
    type: "object",
    additionalProperties: {
      type: "object",
      additionalProperties: false,
      required: ["type"],
      properties: { ...parameterDeclarationProperties, ...extra },
    },
  } as const;
}
