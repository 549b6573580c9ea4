// Benchmark: objects evaluated per second by azpol's OPA engine and by gator on the same
// input, plus the engine's load time.
//   npm run build && npm run setup:gator && npm run bench:test -- [--objects 2000] [--runs 3]
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse, stringify } from "yaml";
import type { ConstraintTemplate } from "../src/core/constraint-template.js";
import { readTemplateFile } from "../src/io/load-definitions.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";
import { workload } from "../test/support/workloads.js";
import { gatorPath } from "./gator-support.js";

const { values } = parseArgs({ options: { objects: { type: "string", default: "2000" }, runs: { type: "string", default: "3" } } });
const n = Number(values.objects);
const runs = Number(values.runs);
const root = join(import.meta.dirname, "..");
const templateFile = join(root, "constraint-templates", "disallowed-registries", "template.yaml");
const constraintFile = join(root, "constraint-templates", "disallowed-registries", "samples", "k8s-gcr-io", "constraint.yaml");
const kinds = ["Pod", "Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"];
const images = ["registry.k8s.io/pause:3.9", "k8s.gcr.io/pause:3.9", "nginx:1.27", "myacr.azurecr.io/app@sha256:" + "a".repeat(64), "K8S.GCR.IO:443/etcd"];
const fields = ["containers", "initContainers"] as const;
const objects: KubeObject[] = Array.from({ length: n }, (_, i) => workload(kinds[i % kinds.length] ?? "Pod", fields[i % 2] ?? "containers", images[i % images.length] ?? "nginx", `obj-${i}`, "registry.k8s.io/pause:3.9"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// azpol: engine load (first call in this process), then in-process evaluation
const loadStarted = performance.now();
const engine = await loadEngine();
const loadMs = performance.now() - loadStarted;
const template = readTemplateFile(templateFile) as ConstraintTemplate;
const constraintDoc = parse(readFileSync(constraintFile, "utf8")) as { spec: { match: never; parameters: Record<string, unknown> } };
const constraint = { kind: template.kind, name: "bench", match: constraintDoc.spec.match, parameters: constraintDoc.spec.parameters, enforcementAction: "deny" };
const cache = new TemplateCache(engine);
const compileStarted = performance.now();
await cache.get(template);
const compileMs = performance.now() - compileStarted;
const azpolTimes: number[] = [];
let violations = 0;
for (let r = 0; r < runs; r++) {
  const started = performance.now();
  violations = (await reviewObjects(cache, [{ template, constraint }], objects)).reduce((sum, v) => sum + v.length, 0);
  azpolTimes.push((performance.now() - started) / 1000);
}

// gator: whole process on the same objects, and on one object to show its fixed start-up cost
const scratch = mkdtempSync(join(tmpdir(), "azpol-bench-test-"));
const gatorRow: string[] = [];
const cliRow: string[] = [];
try {
  // azpol test (the built CLI, whole process) on the same objects, against the k8s.gcr.io preset
  const project = join(scratch, "project");
  cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
  cpSync(join(root, "definitions", "k8s-gcr-deprecation"), join(project, "definitions", "k8s-gcr-deprecation"), { recursive: true });
  writeFileSync(join(project, "objects.yaml"), objects.map((o) => stringify(o)).join("---\n"));
  const cliTimes: number[] = [];
  let cliViolations = 0;
  for (let r = 0; r < runs; r++) {
    const started = performance.now();
    const run = spawnSync(process.execPath, [join(root, "dist", "src", "cli", "main.js"), "test", "objects.yaml", "--json"], { cwd: project, encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
    cliTimes.push((performance.now() - started) / 1000);
    if (run.status !== 1) throw new Error(`azpol test exited ${run.status}: ${run.stderr}`);
    cliViolations = (JSON.parse(run.stdout) as { objects: { violations: unknown[] }[] }).objects.reduce((sum, o) => sum + o.violations.length, 0);
  }
  const cliSeconds = median(cliTimes);
  cliRow.push(`azpol test (whole process) ${(n / cliSeconds).toFixed(0).padStart(8)} obj/s   ${cliSeconds.toFixed(2)} s for ${n}, start-up and engine load included; ${cliViolations} violations`);

  const gator = gatorPath();
  const objectsFile = join(scratch, "objects.yaml");
  writeFileSync(objectsFile, objects.map((o) => stringify(o)).join("---\n"));
  writeFileSync(join(scratch, "one.yaml"), stringify(objects[1]));
  const time = (file: string) => {
    const started = performance.now();
    const run = spawnSync(gator, ["test", "-f", templateFile, "-f", constraintFile, "-f", file, "-o", "json"], { encoding: "utf8", maxBuffer: 512 * 1024 * 1024 });
    if (run.status !== 0 && run.status !== 1) throw new Error(run.stderr);
    return { seconds: (performance.now() - started) / 1000, results: (JSON.parse(run.stdout || "[]") as unknown[] | null)?.length ?? 0 };
  };
  const full = Array.from({ length: runs }, () => time(objectsFile));
  const startup = median(Array.from({ length: runs }, () => time(join(scratch, "one.yaml")).seconds));
  const seconds = median(full.map((f) => f.seconds));
  gatorRow.push(`gator test (whole process) ${(n / seconds).toFixed(0).padStart(8)} obj/s   ${seconds.toFixed(2)} s for ${n}; ${startup.toFixed(2)} s for 1 object; ${full[0]?.results} violations`);
} catch (e) {
  gatorRow.push(`gator: skipped (${e instanceof Error ? e.message.split("\n")[0] : String(e)})`);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

const seconds = median(azpolTimes);
console.log(`${n} objects (${kinds.join(", ")}), disallowed-registries template, median of ${runs} runs`);
console.log(`engine load (${engine.source}, OPA ${engine.opaVersion})  ${loadMs.toFixed(0)} ms; template compile ${compileMs.toFixed(0)} ms`);
console.log(`azpol engine (in process)  ${(n / seconds).toFixed(0).padStart(8)} obj/s   ${seconds.toFixed(2)} s for ${n}; ${violations} violations`);
for (const row of cliRow) console.log(row);
for (const row of gatorRow) console.log(row);
process.exit(0);
