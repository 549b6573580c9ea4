// Text for reach warnings and `azpol test --attack` reports.
import type { AttackReport } from "../../probe/attack.js";
import { FIELD_PATH, IMAGE_FIELDS } from "../../probe/probe-objects.js";
import type { Reach } from "../../probe/reach.js";

/** One warning line per kind the template cannot fully see (empty when it sees everything). */
export function reachWarnings(r: Reach): string[] {
  if (!r.probed) return [`note: definition ${r.definition}: ${r.note ?? "reach not probed"}`];
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
    return `warning: definition ${r.definition}: template ${r.template} cannot see ${what} of a ${kind}: an image it denies there (${r.deniedImage ?? "?"}) gets no violation, so such a ${kind} is "ok" here and admitted by the cluster${fix}`;
  });
}

export function attackLines(a: AttackReport): string[] {
  if (!a.probed) return [`${a.definition} (template ${a.template}): not attacked: ${a.note ?? ""}`];
  const lines = [`${a.definition} (template ${a.template}, ${a.allowList ? "an allow list" : "a block list"}; denied probe ${a.deniedImage ?? "?"}${a.allowedImage ? `, allowed probe ${a.allowedImage}` : ""})`];
  for (const f of a.families) {
    const first = a.bypasses.find((b) => b.family === f.family);
    lines.push(`  ${f.through ? "GETS THROUGH" : "denied      "} ${f.family}: ${f.description}${f.through ? ` (${f.through} of ${f.tried})` : ""}`);
    if (first) lines.push(`      e.g. ${first.attempt}: ${JSON.stringify(first.object)}`);
  }
  const through = a.families.filter((f) => f.through > 0).length;
  lines.push(`  ${through} of ${a.families.length} families get through`);
  return lines;
}
