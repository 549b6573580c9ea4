// Parameter declarations between plain ARM JSON and the @azure/arm-policy 7 models. Pure.
// The v7 models keep extra parameter metadata keys (e.g. portalReview) in an
// `additionalProperties` bag: its serializer drops keys outside the bag, and its
// deserializer puts them into it. Convert both ways so what azpol compares is plain ARM JSON.
const METADATA_FIELDS = ["displayName", "description", "strongType", "assignPermissions"];
type ParameterMap = Record<string, { metadata?: Record<string, unknown> } & Record<string, unknown>>;

function mapMetadata(parameters: unknown, fn: (metadata: Record<string, unknown>) => Record<string, unknown>): unknown {
  if (!parameters || typeof parameters !== "object") return parameters;
  return Object.fromEntries(
    Object.entries(parameters as ParameterMap).map(([name, p]) => [name, p.metadata && typeof p.metadata === "object" ? { ...p, metadata: fn(p.metadata) } : p]),
  );
}

export function toSdkParameters(parameters: unknown): unknown {
  return mapMetadata(parameters, (m) => {
    const known = Object.fromEntries(Object.entries(m).filter(([k]) => METADATA_FIELDS.includes(k)));
    const extra = Object.fromEntries(Object.entries(m).filter(([k]) => !METADATA_FIELDS.includes(k)));
    return Object.keys(extra).length ? { ...known, additionalProperties: extra } : known;
  });
}

export function fromSdkParameters(parameters: unknown): unknown {
  return mapMetadata(parameters, (m) => {
    const { additionalProperties, ...rest } = m as { additionalProperties?: Record<string, unknown> } & Record<string, unknown>;
    return Object.fromEntries(Object.entries({ ...rest, ...(additionalProperties ?? {}) }).filter(([, v]) => v !== undefined));
  });
}
