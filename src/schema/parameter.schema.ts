// The schema of a parameter declaration, shared by definition and initiative sources.
export const parameterDeclarationProperties = {
  type: { type: "string", enum: ["String", "Array", "Object", "Boolean", "Integer", "Float", "DateTime"] },
  displayName: { type: "string" },
  description: { type: "string" },
  default: {},
  allowedValues: { type: "array" },
} as const;
