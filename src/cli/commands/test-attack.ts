// `azpol test --attack` output: each family that gets through with the object that proves it.
import type { AttackReport } from "../../probe/attack.js";
import type { Output } from "../output.js";
import { attackLines } from "../render/probe-report.js";

export function renderAttack(result: { ok: boolean; attacks: AttackReport[] }, output: Output, json: boolean): void {
  if (json) {
    output.out(JSON.stringify(result, null, 2));
    return;
  }
  const reports = result.attacks;
  for (const r of reports) for (const line of attackLines(r)) output.out(line);
  const through = reports.filter((r) => r.bypasses.length > 0);
  const n = `${reports.length} definition${reports.length === 1 ? "" : "s"}`;
  output.out(through.length ? `${through.length} of ${n} can be side-stepped: ${through.map((r) => r.definition).join(", ")}` : `no family got through any of ${n}`);
}
