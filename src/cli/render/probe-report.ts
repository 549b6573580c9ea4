// Text for reach warnings and `azpol test --attack` reports.
import type { AttackReport } from "../../probe/attack.js";
import type { Reach } from "../../probe/reach.js";
import { reachFindings } from "../../probe/reach-findings.js";

/** One warning line per kind the template cannot fully see (empty when it sees everything). */
export function reachWarnings(r: Reach): string[] {
  if (!r.probed) return [`note: definition ${r.definition}: ${r.note ?? "reach not probed"}`];
  return reachFindings(r).map((f) => `warning ${f.code}: ${f.message}`);
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
