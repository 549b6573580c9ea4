// The ajv options of the definition-source schema check, shared by the generator of the
// precompiled validator (scripts/generate-schema-validator.ts) and its drift test.
export const AJV_OPTIONS = { allErrors: true, strict: true, strictRequired: false, allowUnionTypes: true } as const;
