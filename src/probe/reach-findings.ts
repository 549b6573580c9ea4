// What a reach probe (reach.ts) means for a user: one AZP3016 finding per declared kind the
// template cannot fully see. `azpol test` prints them as warnings before checking manifests, and
// `azpol validate` reports them as diagnostics: the same code and words in both (rule-catalogue.ts).
import { FIELD_PATH, IMAGE_FIELDS } from "./probe-objects.js";
import type { Reach } from "./reach.js";

export interface ReachFinding {
  code: "AZP3016";
  kind: string;
  message: string;
}

export function reachFindings(r: Reach): ReachFinding[] {
  if (!r.probed) return [];
  const byKind = new Map<string, { fields: string[]; fixable: string[] }>();
  for (const g of r.gaps) {
    const k = byKind.get(g.kind) ?? { fields: [], fixable: [] };
    k.fields.push(FIELD_PATH[g.field]);
    if (g.fixedBySourceAll) k.fixable.push(FIELD_PATH[g.field]);
    byKind.set(g.kind, k);
  }
  return [...byKind.entries()].map(([kind, k]) => {
    const what = k.fields.length === IMAGE_FIELDS.length ? "any image in its pod spec" : k.fields.join(", ");
    const fix = k.fixable.length ? `; setting \`source: All\` in the definition makes it see ${k.fixable.length === k.fields.length ? "them" : k.fixable.join(", ")} (Gatekeeper expands the ${kind} into the Pod it makes, which the template does see)` : "";
    return {
      code: "AZP3016",
      kind,
      message: `definition ${r.definition}: template ${r.template} cannot see ${what} of a ${kind}: an image it denies there (${r.deniedImage ?? "?"}) gets no violation, so such a ${kind} is "ok" here and admitted by the cluster${fix}`,
    };
  });
}
