// JSON Schema of the `exemptions:` list a definition or initiative source may carry: the
// policyExemptions `azpol deploy` creates against that source's assignment. Structure only;
// expiry, names and reference ids are checked in exemption/compile-exemptions.ts.
export const exemptionsSchema = {
  type: "array",
  items: {
    type: "object",
    additionalProperties: false,
    required: ["name", "category"],
    properties: {
      name: { type: "string", minLength: 1 },
      displayName: { type: "string", minLength: 1 },
      description: { type: "string" },
      category: { type: "string", enum: ["Waiver", "Mitigated"] },
      expiresOn: { type: "string", minLength: 1 },
      scope: { type: "string", minLength: 1 },
      referenceIds: { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 },
    },
  },
} as const;
