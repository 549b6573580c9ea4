// Benchmark: azpol as users run it (the built CLI, whole process, start-up included) next to
// gator on the same input, in one run, as ratios. Targets (issue: "every command starts in a
// blink"): validate/build of the shipped definitions <= 0.3 s warm, <= 1 s cold, < 150 MB;
// azpol test on 2,000 workloads against both shipped definitions >= 2x gator's objects/s; one
// small suite <= 2x gator's wall time; on a small real-ish corpus (25 objects as a service's
// manifests hold them: workloads of every kind beside Services, ConfigMaps and a Namespace) azpol
// test, start-up included, >= 1x gator test's objects/s. Every figure is the median of --runs (5).
//   npm run build && npm run setup:gator && npm run bench:cli -- [--objects 2000] [--runs 3]
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { stringify } from "yaml";
import { buildSources } from "../src/pipeline/read-sources.js";
import { POD_BEARING_KIND_NAMES } from "../src/core/pod-bearing-kinds.js";
import { constraintFromPolicy } from "../src/rego/constraint.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";
import { workload } from "../test/support/workloads.js";
import { gatorPath } from "./gator-support.js";

const { values } = parseArgs({ options: { objects: { type: "string", default: "2000" }, runs: { type: "string", default: "5" } } });
const n = Number(values.objects);
const runs = Number(values.runs);
const root = join(import.meta.dirname, "..");
const cli = join(root, "dist", "src", "cli", "main.js");
const scratch = mkdtempSync(join(tmpdir(), "azpol-bench-cli-"));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

// A project with both shipped definitions, and N workloads of every pod-bearing kind.
const project = join(scratch, "project");
cpSync(join(root, "definitions"), join(project, "definitions"), { recursive: true, filter: (s) => !s.includes("golden") });
cpSync(join(root, "constraint-templates"), join(project, "constraint-templates"), { recursive: true });
const images = ["registry.k8s.io/pause:3.9", "k8s.gcr.io/pause:3.9", "nginx:1.27", "myacr.azurecr.io/app@sha256:" + "a".repeat(64), "K8S.GCR.IO:443/etcd"];
const objects: KubeObject[] = Array.from({ length: n }, (_, i) =>
  workload(POD_BEARING_KIND_NAMES[i % POD_BEARING_KIND_NAMES.length] ?? "Pod", i % 2 ? "initContainers" : "containers", images[i % images.length] ?? "nginx", `obj-${i}`, "myacr.azurecr.io/pause:3.9", "shop"),
);
const objectsFile = join(project, "objects.yaml");
writeFileSync(objectsFile, objects.map((o) => stringify(o)).join("---\n"));

// gator gets the same templates and the constraints Azure would install for each definition.
const built = buildSources([join(project, "definitions")], [], []);
const gatorFiles: string[] = [];
built.models.forEach((m, i) => {
  const c = constraintFromPolicy(m);
  if (!c) return;
  const file = join(scratch, `constraint-${i}.yaml`);
  writeFileSync(file, stringify({ apiVersion: "constraints.gatekeeper.sh/v1beta1", kind: c.kind, metadata: { name: c.name }, spec: { enforcementAction: c.enforcementAction, match: c.match, parameters: c.parameters } }));
  const template = join(scratch, `template-${i}.yaml`);
  writeFileSync(template, readFileSync(join(project, "definitions", m.name, "..", "..", "constraint-templates", m.template.name === "k8sazpolallowedregistries" ? "allowed-registries" : "disallowed-registries", "template.yaml")));
  gatorFiles.push(template, file);
});

interface Run {
  seconds: number;
  rssMb: number;
  status: number | null;
  stdout: string;
}

function azpol(args: string[], env: NodeJS.ProcessEnv = {}): Run {
  const rssFile = join(scratch, `rss-${Date.now()}-${Math.random()}`);
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", join(root, "scripts", "rss-probe.mjs"), cli, ...args], {
    cwd: project,
    env: { ...process.env, AZPOL_RSS_FILE: rssFile, ...env },
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  const seconds = (performance.now() - started) / 1000;
  let rssMb = 0;
  try {
    rssMb = Number(readFileSync(rssFile, "utf8").trim()) / 1024;
  } catch {
    // no figure
  }
  return { seconds, rssMb, status: run.status, stdout: run.stdout };
}

function timed(cmd: string, args: string[]): number {
  const started = performance.now();
  const run = spawnSync(cmd, args, { cwd: project, encoding: "utf8", maxBuffer: 1 << 30 });
  if (run.status !== 0 && run.status !== 1) throw new Error(`${cmd} ${args[0]} exited ${run.status}: ${run.stderr}`);
  return (performance.now() - started) / 1000;
}

const rows: string[][] = [["measure", "azpol", "peer / target", "ratio"]];
const row = (...cells: string[]) => rows.push(cells);
const s = (x: number) => `${x.toFixed(2)} s`;

for (const command of ["validate", "build"]) {
  const cold = Array.from({ length: runs }, () => azpol(command === "build" ? ["build", "--out", join(scratch, "out")] : ["validate"], { AZPOL_CACHE_DIR: mkdtempSync(join(scratch, "cache-")) }));
  const warmCache = mkdtempSync(join(scratch, "cache-"));
  azpol(["validate"], { AZPOL_CACHE_DIR: warmCache });
  const warm = Array.from({ length: runs }, () => azpol(command === "build" ? ["build", "--out", join(scratch, "out")] : ["validate"], { AZPOL_CACHE_DIR: warmCache }));
  const bad = [...cold, ...warm].find((r) => r.status !== 0);
  if (bad) throw new Error(`azpol ${command} exited ${bad.status}`);
  row(`azpol ${command}, cold (empty compile cache)`, s(median(cold.map((r) => r.seconds))), "target <= 1.00 s", (median(cold.map((r) => r.seconds)) / 1).toFixed(2));
  row(`azpol ${command}, warm`, s(median(warm.map((r) => r.seconds))), "target <= 0.30 s", (median(warm.map((r) => r.seconds)) / 0.3).toFixed(2));
  row(`azpol ${command}, peak memory (warm)`, `${median(warm.map((r) => r.rssMb)).toFixed(0)} MB`, "target < 150 MB", (median(warm.map((r) => r.rssMb)) / 150).toFixed(2));
}

let gator: string | undefined;
try {
  gator = gatorPath();
} catch (e) {
  row("gator", "-", `not found: ${e instanceof Error ? e.message.split(";")[0] : String(e)}`, "-");
}

const gatorObjects = gator ? median(Array.from({ length: runs }, () => timed(gator, ["test", ...[...gatorFiles, objectsFile].flatMap((f) => ["-f", f]), "-o", "json"])) ) : NaN;
for (const engine of ["native", "wasm"]) {
  const times = Array.from({ length: engine === "wasm" ? 1 : runs }, () => {
    const r = azpol(["test", "objects.yaml", "--json"], { AZPOL_ENGINE: engine });
    if (r.status !== 1) throw new Error(`azpol test (${engine}) exited ${r.status}`);
    return r.seconds;
  });
  const secs = median(times);
  row(`azpol test, ${n} workloads x ${built.models.length} definitions, ${engine} engine (obj/s)`, `${(n / secs).toFixed(0)}`, gator ? `gator ${(n / gatorObjects).toFixed(0)}${engine === "native" ? "; target >= 2x" : ""}` : "-", gator ? `${(gatorObjects / secs).toFixed(2)}x gator` : "-");
}

// The small corpus: what one service's manifests look like, start-up included on both sides.
const small = [
  ...Array.from({ length: 18 }, (_, i) => workload(POD_BEARING_KIND_NAMES[i % POD_BEARING_KIND_NAMES.length] ?? "Pod", i % 3 ? "containers" : "initContainers", images[i % images.length] ?? "nginx", `svc-${i}`, "myacr.azurecr.io/pause:3.9", "shop")),
  ...Array.from({ length: 4 }, (_, i) => ({ apiVersion: "v1", kind: "Service", metadata: { name: `svc-${i}`, namespace: "shop" }, spec: { selector: { app: `svc-${i}` }, ports: [{ port: 80 }] } })),
  ...Array.from({ length: 2 }, (_, i) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: `config-${i}`, namespace: "shop" }, data: { "app.conf": "level=info" } })),
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "shop" } },
];
const smallFile = join(project, "service.yaml");
writeFileSync(smallFile, small.map((o) => stringify(o)).join("---\n"));
const smallGator = gator ? median(Array.from({ length: runs }, () => timed(gator, ["test", ...[...gatorFiles, smallFile].flatMap((f) => ["-f", f]), "-o", "json"]))) : NaN;
const smallAzpol = median(
  Array.from({ length: runs }, () => {
    const r = azpol(["test", "service.yaml", "--json"]);
    if (r.status !== 1) throw new Error(`azpol test service.yaml exited ${r.status}`);
    return r.seconds;
  }),
);
row(`azpol test, a service's manifests (${small.length} objects), start-up included (obj/s)`, `${(small.length / smallAzpol).toFixed(0)} (${s(smallAzpol)})`, gator ? `gator ${(small.length / smallGator).toFixed(0)} (${s(smallGator)}); target >= 1x` : "-", gator ? `${(smallGator / smallAzpol).toFixed(2)}x gator` : "-");

const suite = join(project, "constraint-templates", "disallowed-registries", "suite.yaml");
const suiteAzpol = median(Array.from({ length: runs }, () => azpol(["test", suite]).seconds));
const suiteGator = gator ? median(Array.from({ length: runs }, () => timed(gator, ["verify", suite]))) : NaN;
row("one small suite (disallowed-registries, 9 cases), wall", s(suiteAzpol), gator ? `gator verify ${s(suiteGator)}` : "-", gator ? `${(suiteAzpol / suiteGator).toFixed(2)}x gator's time` : "-");

rmSync(scratch, { recursive: true, force: true });
const widths = rows[0]?.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? "").length))) ?? [];
console.log(`median of ${runs} runs (wasm engine: 1 run); ${process.arch}, ${(await import("node:os")).cpus().length} cores`);
for (const r of rows) console.log(r.map((cell, c) => cell.padEnd(widths[c] ?? 0)).join("  "));
process.exit(0);
