// Calibrates azpol's estimate of Gatekeeper's time (src/core/webhook-budget.ts) against
// Gatekeeper's own code. For every (template, object) pair below it runs
//   - gator test --stats: Gatekeeper's templateRunTimeNS for that template on that object (the Rego
//     driver's time: input conversion + evaluation; median of --runs), and
//   - azpol's engine: the same evaluation's counted cost (steps, input nodes and bytes;
//     engine/eval_cost.go), which does not depend on the machine,
// then fits   templateRunTimeNS ≈ perTemplate + nodes × perInputNode + bytes × perInputByte + steps × perStep
//   perTemplate:   the least templateRunTimeNS of the empty template;
//   perInput*:     least squares over the empty template on objects of growing size, one shape
//                  node-heavy (many tiny items), one byte-heavy (one long annotation);
//   perStep:       the LARGEST (time - the rest) / steps over the templates that do work (the
//                  slowest kind of step), so the estimate errs towards reporting.
// "time" for the fit is gator's process CPU time less that of the empty template on a small Pod,
// not templateRunTimeNS: that is wall time, and on a shared machine it measures the other processes
// too (at load 15 on 2 cores it was 3-4x the CPU time, and grew faster than the work). Both print.
// Prints the coefficients to paste into GATEKEEPER_COST_NS and, for each pair, measured beside
// predicted. Run it on an idle machine (`uptime`): templateRunTimeNS is wall time.
//   npm run build:engine && npm run setup:gator && npm run calibrate:webhook-budget -- [--runs 5]
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { GATEKEEPER_COST_NS, type EvalCost } from "../src/core/webhook-budget.js";
import { loadEngine, configureEngine } from "../src/rego/engine.js";
import { reviewOf, type KubeObject } from "../src/rego/kubernetes-object.js";
import { calibrationObjects, calibrationTemplates, type CalibrationTemplate } from "../test/support/slow-templates.js";
import { worstCases } from "../test/support/worst-case-objects.js";
import { gatorPath, requireGatorVersion } from "./gator-support.js";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Number(values.runs);
const gator = gatorPath();
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
console.log(`gator: ${requireGatorVersion(gator)}`);
console.log(`load average: ${loadavg().map((l) => l.toFixed(1)).join(" ")} on ${availableParallelism()} cores; median of ${runs} runs`);

configureEngine({ maxSteps: Number.MAX_SAFE_INTEGER, evalTimeoutMs: 0 });
const engine = await loadEngine();
const scratch = mkdtempSync(join(tmpdir(), "azpol-calibrate-"));

interface Pair {
  template: CalibrationTemplate;
  object: { name: string; object: KubeObject };
}

async function azpolCost(p: Pair): Promise<EvalCost> {
  const t = p.template.template as { spec: { targets: { rego: string; libs?: string[] }[] } };
  const target = t.spec.targets[0];
  if (!target) throw new Error(`${p.template.name}: no target`);
  const compiled = await engine.compile(target.rego, target.libs ?? [], undefined);
  const [result] = await compiled.evaluate([{ review: reviewOf(p.object.object), parameters: p.template.parameters }]);
  compiled.release();
  if (!result?.cost) throw new Error(`${p.template.name} on ${p.object.name}: the engine returned no cost`);
  return result.cost;
}

/** gator's templateRunTimeNS (wall) and its process CPU time (user + sys) for the pair, medians. */
function gatorRun(p: Pair): { ns: number; cpuNs: number } {
  const kind = (p.template.template as { spec: { crd: { spec: { names: { kind: string } } } } }).spec.crd.spec.names.kind;
  const templateFile = join(scratch, "template.yaml");
  const constraintFile = join(scratch, "constraint.yaml");
  const objectFile = join(scratch, "object.json");
  writeFileSync(templateFile, stringify(p.template.template));
  writeFileSync(constraintFile, stringify({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind, metadata: { name: "calibrate" }, spec: { enforcementAction: "dryrun", match: { kinds: [{ apiGroups: [""], kinds: ["Pod"] }] }, parameters: p.template.parameters } }));
  writeFileSync(objectFile, JSON.stringify(p.object.object));
  const times: number[] = [];
  const cpus: number[] = [];
  for (let r = 0; r < runs; r++) {
    const run = spawnSync("/usr/bin/time", ["-f", "%U %S", gator, "test", "-f", templateFile, "-f", constraintFile, "-f", objectFile, "--deny-only", "--stats", "-o", "json"], { encoding: "utf8", maxBuffer: 1 << 28 });
    if (run.status !== 0 && run.status !== 1) throw new Error(`gator test failed (${run.status}): ${run.stderr}`);
    const [user = 0, sys = 0] = (run.stderr.trim().split("\n").pop() ?? "").split(" ").map(Number);
    cpus.push((user + sys) * 1e9);
    const out = JSON.parse(run.stdout) as { stats?: { scope: string; statsFor: string; stats: { name: string; value: number }[] }[] };
    // one entry per object the constraint matched: the Pod's
    const entries = (out.stats ?? []).filter((e) => e.scope === "template" && e.statsFor === kind).map((e) => e.stats.find((s) => s.name === "templateRunTimeNS")?.value ?? 0);
    if (entries.length === 0) throw new Error(`gator printed no templateRunTimeNS for ${kind}`);
    times.push(Math.max(...entries));
  }
  return { ns: median(times), cpuNs: median(cpus) };
}

try {
  const templates = calibrationTemplates();
  const objects = calibrationObjects();
  const worst = worstCases().map((c) => ({ name: c.name, object: c.object }));
  const empty = templates.find((t) => t.name === "empty");
  if (!empty) throw new Error("no empty template");
  const rows: { pair: Pair; cost: EvalCost; ns: number; cpuNs: number }[] = [];
  const measure = async (pair: Pair) => {
    const cost = await azpolCost(pair);
    const { ns, cpuNs } = gatorRun(pair);
    rows.push({ pair, cost, ns, cpuNs });
    console.log(`  ${pair.template.name.padEnd(22)} ${pair.object.name.padEnd(30)} ${(ns / 1e6).toFixed(1).padStart(9)} ms ${(cpuNs / 1e6).toFixed(0).padStart(7)} ms  steps ${String(cost.steps).padStart(9)}  nodes ${String(cost.inputNodes).padStart(7)}  bytes ${String(cost.inputBytes).padStart(8)}`);
  };
  console.log("measured: gator templateRunTimeNS (wall), gator process CPU; azpol's counts:");
  for (const o of objects) await measure({ template: empty, object: o });
  for (const t of templates.filter((x) => x !== empty)) for (const o of t.objects === "worst" ? worst : objects.filter((x) => t.objects.includes(x.name))) await measure({ template: t, object: o });

  // Fitted on gator's CPU time less its CPU time for the empty template on a small Pod (start-up,
  // reading, compiling): on a shared machine wall time measures the other processes too. CPU time
  // includes Gatekeeper's decoding of the object (the webhook decodes the AdmissionReview too).
  const emptyRows = rows.filter((r) => r.pair.template === empty);
  const smallest = emptyRows.reduce((a, r) => (r.cost.inputNodes < a.cost.inputNodes ? r : a));
  // the least templateRunTimeNS of the empty template: its fixed cost (rego.New, the query), least disturbed
  const perTemplate = Math.min(...emptyRows.map((r) => r.ns));
  const base = smallest.cpuNs;
  const fitRows = emptyRows.filter((r) => r !== smallest).map((r) => ({ y: Math.max(0, r.cpuNs - base), n: r.cost.inputNodes, b: r.cost.inputBytes }));
  const snn = fitRows.reduce((a, r) => a + r.n * r.n, 0);
  const sbb = fitRows.reduce((a, r) => a + r.b * r.b, 0);
  const snb = fitRows.reduce((a, r) => a + r.n * r.b, 0);
  const sny = fitRows.reduce((a, r) => a + r.n * r.y, 0);
  const sby = fitRows.reduce((a, r) => a + r.b * r.y, 0);
  const det = snn * sbb - snb * snb;
  let perInputNode = Math.max(0, (sny * sbb - sby * snb) / det);
  let perInputByte = Math.max(0, (sby * snn - sny * snb) / det);
  if (perInputNode === 0) perInputByte = sby / sbb;
  if (perInputByte === 0) perInputNode = sny / snn;
  const conversion = (c: EvalCost) => perTemplate + c.inputNodes * perInputNode + c.inputBytes * perInputByte;
  const working = rows.filter((r) => r.pair.template !== empty && r.cost.steps >= 20_000);
  const perStepOf = (r: (typeof rows)[number]) => (r.cpuNs - base - conversion(r.cost)) / r.cost.steps;
  for (const r of working) console.log(`  per step: ${r.pair.template.name} on ${r.pair.object.name}: ${perStepOf(r).toFixed(0)} ns`);
  const perStep = Math.max(...working.map(perStepOf));
  const round = (x: number, digits = 2) => Number(x.toPrecision(digits));
  const fitted = { perTemplate: round(perTemplate), perInputNode: round(perInputNode), perInputByte: round(perInputByte, 3), perStep: round(perStep) };
  console.log(`\nfitted (ns): ${JSON.stringify(fitted)}`);
  console.log(`in use (src/core/webhook-budget.ts GATEKEEPER_COST_NS): ${JSON.stringify(GATEKEEPER_COST_NS)}`);
  console.log("\nmeasured (gator CPU less the small-Pod run; templateRunTimeNS) beside predicted with the coefficients in use:");
  const predict = (c: EvalCost) => GATEKEEPER_COST_NS.perTemplate + c.inputNodes * GATEKEEPER_COST_NS.perInputNode + c.inputBytes * GATEKEEPER_COST_NS.perInputByte + c.steps * GATEKEEPER_COST_NS.perStep;
  for (const r of rows) {
    const p = predict(r.cost);
    const cpu = Math.max(0, r.cpuNs - base);
    console.log(`  ${r.pair.template.name.padEnd(22)} ${r.pair.object.name.padEnd(30)} cpu ${(cpu / 1e9).toFixed(3)} s  wall ${(r.ns / 1e9).toFixed(3)} s  predicted ${(p / 1e9).toFixed(3)} s  (${(p / Math.max(cpu, 1e6)).toFixed(2)}x cpu)`);
  }
} finally {
  engine.close();
  rmSync(scratch, { recursive: true, force: true });
}
