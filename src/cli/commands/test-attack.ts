// `azpol test --attack`: every definition's template, with the definition's parameters, against
// the bypass families (src/probe/attack.ts); each family that gets through is printed with the
// object that proves it. Exit 1 when any gets through.
import { attack, type AttackReport } from "../../probe/attack.js";
import type { DefinitionPolicy } from "../../pipeline/definition-policies.js";
import type { TemplateCache } from "../../rego/evaluate.js";
import type { Output } from "../output.js";
import { attackLines } from "../render/probe-report.js";

export async function runAttack(cache: TemplateCache, policies: DefinitionPolicy[], output: Output, json: boolean): Promise<boolean> {
  const reports: AttackReport[] = [];
  for (const p of policies) reports.push(await attack(cache, p));
  const ok = reports.every((r) => r.bypasses.length === 0);
  if (json) output.out(JSON.stringify({ ok, attacks: reports }, null, 2));
  else {
    for (const r of reports) for (const line of attackLines(r)) output.out(line);
    const through = reports.filter((r) => r.bypasses.length > 0);
    output.out(through.length ? `${through.length} of ${reports.length} definition${reports.length === 1 ? "" : "s"} can be side-stepped: ${through.map((r) => r.definition).join(", ")}` : `no family got through any of ${reports.length} definition${reports.length === 1 ? "" : "s"}`);
  }
  return ok;
}
