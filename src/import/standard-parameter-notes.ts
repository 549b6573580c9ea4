// What the build writes differently for the standard parameters (effect, excludedNamespaces,
// namespaces, labelSelector, source, warn): azpol's own displayName and description, no other
// metadata (portalReview), azpol's type spelling. Behaviour is the same (round-trip.ts
// NORMALISATIONS); each change is named in the imported file's header, as the README says. Pure.
import { asRecord } from "../core/constraint-template.js";
import { DETAILS_PARAMETERS, STANDARD_PARAMETERS, type PolicyParameter } from "../core/policy-model.js";

const STANDARD: readonly string[] = [...STANDARD_PARAMETERS, ...DETAILS_PARAMETERS];
const show = (v: unknown) => (typeof v === "string" && v.length > 80 ? JSON.stringify(`${v.slice(0, 77)}...`) : JSON.stringify(v));

export function standardParameterNotes(original: Record<string, Record<string, unknown>>, built: Record<string, PolicyParameter>): string[] {
  const notes: string[] = [];
  for (const name of STANDARD) {
    const from = original[name];
    const to = built[name];
    if (!from || !to) continue;
    const metadata = asRecord(from.metadata) ?? {};
    const builtMetadata = to.metadata as unknown as Record<string, unknown>;
    for (const key of ["displayName", "description"]) {
      if (metadata[key] !== undefined && metadata[key] !== builtMetadata[key]) notes.push(`parameter '${name}': metadata.${key} ${show(metadata[key])} becomes azpol's ${show(builtMetadata[key])}`);
    }
    for (const key of Object.keys(metadata)) if (!["displayName", "description"].includes(key) && builtMetadata[key] === undefined) notes.push(`parameter '${name}': metadata.${key} is not kept (azpol writes the standard parameters' metadata)`);
    if (typeof from.type === "string" && from.type !== to.type) notes.push(`parameter '${name}': type ${show(from.type)} is written ${show(to.type)} (Azure compares types case-insensitively)`);
  }
  return notes;
}
