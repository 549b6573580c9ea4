// azpol impact's text: the headline (every object read and its verdict), then per namespace, per
// denied image, and every denied, undecided, excluded, not-checked and rejected workload with why.
import type { ImpactOutcome } from "../../actions/impact.js";
import type { DeniedObject, UnjudgedObject, WorkloadReport } from "../../impact/summarize.js";
import type { Output } from "../output.js";
import { paint } from "./colour.js";
import { NOTHING_CHECKED } from "./test-report.js";

// an object with no metadata.namespace goes where kubectl's context points when applied; a
// Namespace itself has none: neither is "the cluster" nor an empty name
const NO_NAMESPACE = "(no namespace)";

function workloadName(w: WorkloadReport): string {
  const kinds = new Map<string, number>();
  for (const o of w.owns) kinds.set(o.split(" ")[0] ?? "", (kinds.get(o.split(" ")[0] ?? "") ?? 0) + 1);
  const under = [...kinds].map(([kind, n]) => `${n} ${kind}${n === 1 ? "" : "(s)"}`).join(", ");
  return `${w.kind} ${w.namespace ? `${w.namespace}/` : ""}${w.name}${under ? ` (with ${under})` : ""}${w.ownedBy ? ` <- ${w.ownedBy}` : ""}`;
}

function deniedLine(d: DeniedObject): string {
  const others = d.images.filter((i) => !d.deniedImages.includes(i));
  const denied = d.deniedImages.length ? d.deniedImages.join(", ") : `no image named (${d.messages[0] ?? ""})`;
  return `${workloadName(d)}: ${denied}${others.length ? ` (also runs ${others.join(", ")})` : ""}`;
}

const unjudgedLine = (w: UnjudgedObject, label: string) => `${workloadName(w)}${w.images.length ? `: ${w.images.join(", ")}` : ""}: ${paint.yellow(`${label} (${w.reason})`)}`;

// not-checked objects of one reason are said once, with their names: a stdin list of 200
// Namespaces is one line, not 200
function notCheckedLines(items: UnjudgedObject[]): string[] {
  const byReason = new Map<string, UnjudgedObject[]>();
  for (const w of items) byReason.set(w.reason, [...(byReason.get(w.reason) ?? []), w]);
  const SHOWN = 10;
  return [...byReason].map(([reason, ws]) => {
    const names = ws.slice(0, SHOWN).map((w) => `${workloadName(w)}${w.images.length ? ` [${w.images.join(", ")}]` : ""}`);
    return `  ${names.join("; ")}${ws.length > SHOWN ? `; and ${ws.length - SHOWN} more` : ""}: ${paint.yellow(`not checked (${reason})`)}`;
  });
}

export function renderImpact(output: Output, outcome: ImpactOutcome, hint: string | undefined): void {
  const { from, summary, problems, rejected, strictUnavailable } = outcome;
  const counts = [
    `${paint.bold(String(summary.denied.length))} would be denied`,
    `${summary.excluded.length} excluded`,
    `${summary.notChecked.length} not checked`,
    ...(summary.undecided.length ? [`${summary.undecided.length} undecided`] : []),
    ...(rejected.length ? [`${rejected.length} rejected by the API server (not judged)`] : []),
  ];
  output.out(`${summary.objectsRead} object(s) from ${from}, ${summary.objects} counting each workload once with what it owns: ${counts.join(", ")}`);
  if (summary.byNamespace.length) output.out("by namespace:");
  for (const n of summary.byNamespace) output.out(`  ${n.namespace || NO_NAMESPACE}: ${paint.red(String(n.denied))} of ${n.objects} denied${n.excluded ? `, ${n.excluded} excluded` : ""}${n.notChecked ? `, ${n.notChecked} not checked` : ""}`);
  if (summary.byImage.length) output.out("by image:");
  for (const i of summary.byImage) output.out(`  ${i.image}: ${i.objects} workload(s) in ${i.namespaces.map((n) => n || NO_NAMESPACE).join(", ")}, denied by ${i.definitions.join(", ")}`);
  if (summary.denied.length) output.out("denied:");
  for (const d of summary.denied) output.out(`  ${deniedLine(d)}`);
  if (summary.undecided.length) output.out("undecided (Gatekeeper would not answer in time; the add-on admits them):");
  for (const u of summary.undecided) output.out(`  ${unjudgedLine(u, "undecided")}`);
  if (summary.excluded.length) output.out("excluded:");
  for (const e of summary.excluded) output.out(`  ${unjudgedLine(e, "excluded")}`);
  if (summary.notChecked.length) output.out("not checked:");
  for (const line of notCheckedLines(summary.notChecked)) output.out(line);
  if (rejected.length) output.out("rejected by the API server (never run, so not judged):");
  for (const r of rejected) output.out(`  ${r.kind} ${r.namespace ? `${r.namespace}/` : ""}${r.name}: ${paint.red(`rejected by the API server (${r.reason})`)}`);
  if (strictUnavailable) output.err(`warning: objects were not checked for what the API server would reject (${strictUnavailable})`);
  for (const p of problems) output.err(`warning: ${p}`);
  if (summary.nothingChecked) output.err(`azpol: ${NOTHING_CHECKED} (the reasons are above)`);
  if (hint) output.err(`hint: ${hint}`);
}
