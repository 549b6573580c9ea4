// The part of a resource as ARM returns it that azpol manages, shaped like the desired one, so a
// diff shows only real changes: ARM adds server fields (policyType, createdBy, instanceId, ...),
// accepts parameter types in any case, and compares ids without regard to case. Pure.
type Params = Record<string, { type?: string; defaultValue?: unknown } | undefined>;

/** a string field as ARM returns it, or "" */
const text = (v: unknown): string => (typeof v === "string" ? v : "");

/** The part of a current definition azpol manages, shaped like the desired one. */
export function comparableDefinition(current: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const params = { ...((current.parameters as Params | undefined) ?? {}) };
  const want = (desired.parameters as Params | undefined) ?? {};
  // Azure accepts parameter types in any case ("object" and "Object" both occur in built-ins)
  for (const [k, p] of Object.entries(params)) {
    const w = want[k];
    if (p && w?.type && p.type?.toLowerCase() === w.type.toLowerCase()) params[k] = { ...p, type: w.type };
  }
  const metadata = (current.metadata as Record<string, unknown> | undefined) ?? {};
  const wantedMetadata = Object.keys((desired.metadata as Record<string, unknown> | undefined) ?? {});
  return {
    displayName: current.displayName,
    description: current.description,
    mode: current.mode,
    // the service adds createdBy/createdOn/updatedBy/updatedOn: compare only our keys
    metadata: Object.fromEntries(wantedMetadata.filter((k) => k in metadata).map((k) => [k, metadata[k]])),
    parameters: params,
    policyRule: current.policyRule,
    // properties.version only when azpol sends one (a source with versioned: true)
    ...("version" in desired ? { version: current.version } : {}),
  };
}

export function comparableAssignment(current: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const id = typeof current.policyDefinitionId === "string" ? current.policyDefinitionId : "";
  const metadata = (current.metadata as Record<string, unknown> | undefined) ?? {};
  const wantedMetadata = Object.keys((desired.metadata as Record<string, unknown> | undefined) ?? {});
  return {
    displayName: current.displayName,
    description: current.description,
    // ARM ids are case-insensitive
    policyDefinitionId: id.toLowerCase() === String(desired.policyDefinitionId).toLowerCase() ? desired.policyDefinitionId : id,
    parameters: current.parameters ?? {},
    enforcementMode: current.enforcementMode ?? "Default",
    metadata: Object.fromEntries(wantedMetadata.filter((k) => k in metadata).map((k) => [k, metadata[k]])),
    // written by assignment sources only (deploy --scope leaves them to whoever set them); a
    // definitionVersion is compared only when the source pins one, as ARM may report a default
    ...("notScopes" in desired ? { notScopes: current.notScopes ?? [] } : {}),
    ...("nonComplianceMessages" in desired ? { nonComplianceMessages: current.nonComplianceMessages ?? [] } : {}),
    ...("definitionVersion" in desired ? { definitionVersion: current.definitionVersion } : {}),
  };
}



const ourMetadata = (current: Record<string, unknown>, desired: Record<string, unknown>) => {
  const metadata = (current.metadata as Record<string, unknown> | undefined) ?? {};
  return Object.fromEntries(Object.keys((desired.metadata as Record<string, unknown> | undefined) ?? {}).filter((k) => k in metadata).map((k) => [k, metadata[k]]));
};

export function comparableSetDefinition(current: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const asDefinition = comparableDefinition(current, desired);
  const wanted = (desired.policyDefinitions as Record<string, unknown>[] | undefined) ?? [];
  const refs = ((current.policyDefinitions as Record<string, unknown>[] | undefined) ?? []).map((r, i) => {
    const want = wanted[i] ?? {};
    const id = text(r.policyDefinitionId);
    // only the keys azpol writes (ARM adds groupNames, definitionVersion, ...)
    return {
      policyDefinitionReferenceId: r.policyDefinitionReferenceId,
      policyDefinitionId: id.toLowerCase() === text(want.policyDefinitionId).toLowerCase() ? want.policyDefinitionId : id,
      parameters: r.parameters ?? {},
      ...("definitionVersion" in want ? { definitionVersion: r.definitionVersion } : {}),
    };
  });
  return { displayName: asDefinition.displayName, description: asDefinition.description, metadata: asDefinition.metadata, parameters: asDefinition.parameters, policyDefinitions: refs };
}

export function comparableExemption(current: Record<string, unknown>, desired: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {
    displayName: current.displayName,
    description: current.description ?? "",
    policyAssignmentId: text(current.policyAssignmentId).toLowerCase() === String(desired.policyAssignmentId).toLowerCase() ? desired.policyAssignmentId : current.policyAssignmentId,
    // the exemption-structure docs show "waiver" in lowercase: compare without regard to case
    exemptionCategory: text(current.exemptionCategory).toLowerCase() === String(desired.exemptionCategory).toLowerCase() ? desired.exemptionCategory : current.exemptionCategory,
    metadata: ourMetadata(current, desired),
  };
  const refs = current.policyDefinitionReferenceIds as unknown[] | undefined;
  if (refs?.length || desired.policyDefinitionReferenceIds !== undefined) out.policyDefinitionReferenceIds = refs ?? [];
  // one instant, however ARM spells it (2027-01-01T00:00:00Z or ...00.0000000Z)
  const expires = current.expiresOn;
  if (expires !== undefined && expires !== null) out.expiresOn = typeof expires === "string" && desired.expiresOn !== undefined && Date.parse(expires) === Date.parse(text(desired.expiresOn)) ? desired.expiresOn : expires;
  return out;
}
