// What the registry templates' grammar costs in CEL, measured with Kubernetes' own cost model:
// should the templates carry K8sNativeValidation (CEL) code so that the AKS add-on turns them
// into ValidatingAdmissionPolicies? scripts/cel-cost/registry-cel.ts ports the Rego to CEL;
// scripts/cel-cost/main.go compiles and runs it exactly as Gatekeeper 3.20.1's k8scel driver
// does and prints the runtime cost Kubernetes' CEL charges, with the decisions of
//   - Gatekeeper's webhook (a template with CEL code is decided by the k8scel driver, which is
//     registered before the Rego driver; it gives the whole template 1,000,000 cost units), and
//   - a generated ValidatingAdmissionPolicy in the API server (1,000,000 per expression,
//     10,000,000 per policy binding).
// Objects: the worst cases of `npm run bench:worst-case` and realistic Pods, each next to the
// Rego's decision on the same object (azpol's engine); then, so the cost is that of a faithful
// port, the 6,000-image oracle corpus of test/oracle (distribution/reference decides) through
// the CEL port.
//   npm run build:oracle && npm run bench:cel -- [--images 6000]   (--images 0: the cost tables only)
// Costs are deterministic (no wall time). Exits 0; the verdict is printed.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { parse } from "yaml";
import type { ConstraintTemplate } from "../src/core/constraint-template.js";
import { IMAGE_LISTS, MAX_IMAGE_ITEMS, POD_BEARING_KINDS } from "../src/core/pod-bearing-kinds.js";
import { readTemplateFile } from "../src/io/load-definitions.js";
import { loadEngine } from "../src/rego/engine.js";
import { reviewObjects } from "../src/rego/evaluate.js";
import { TemplateCache } from "../src/rego/template-cache.js";
import type { KubeObject } from "../src/rego/kubernetes-object.js";
import { generateImages } from "../test/oracle/image-corpus.js";
import { oracleParseImages, oracleParseRules, type OracleImage } from "../test/oracle/oracle.js";
import { Random, oracleSeed } from "../test/oracle/random.js";
import { expectedDecision, type Mode } from "../test/oracle/registry-decision.js";
import { workload } from "../test/support/workloads.js";
import { longImage, worstCases } from "../test/support/worst-case-objects.js";
import { registryCelCode } from "./cel-cost/registry-cel.js";

const PER_CALL = 1_000_000; // k8s.io/apiserver pkg/apis/cel/config.go PerCallLimit
const PER_POLICY = 10_000_000; // RuntimeCELCostBudget
const { values } = parseArgs({ options: { images: { type: "string", default: "6000" } } });
const root = join(import.meta.dirname, "..");
const scratch = mkdtempSync(join(tmpdir(), "azpol-cel-"));

interface Decision {
  action: string;
  message: string;
}
interface Measured {
  name: string;
  cost: number;
  messageCost: number;
  perCallErrors: string[];
  gatekeeper: Decision[];
  vap: Decision[];
  error?: string;
}

const TEMPLATES: { dir: string; mode: Mode; registries: string[] }[] = [
  { dir: "disallowed-registries", mode: "block", registries: ["k8s.gcr.io", "docker.io/library/busybox", "registry.example.com:5000", "10.1.2.3", "[::1]:5000", "gcr.io/google-containers"] },
  { dir: "allowed-registries", mode: "allow", registries: ["myacr.azurecr.io", "registry.k8s.io", "mcr.microsoft.com", "docker.io/library/nginx", "localhost:5000/dev", "[::1]"] },
];

/** The shipped template.yaml with the CEL port added as a second engine, as Gatekeeper reads it. */
function celTemplate(dir: string, mode: Mode): Record<string, unknown> {
  const t = parse(readFileSync(join(root, "constraint-templates", dir, "template.yaml"), "utf8")) as { spec: { targets: Record<string, unknown>[] } };
  const target = t.spec.targets[0] ?? {};
  target.code = [registryCelCode(mode)];
  return t;
}

function measure(meter: string, dir: string, mode: Mode, registries: string[], objects: { name: string; object: KubeObject }[]): Measured[] {
  if (objects.length === 0) return [];
  const template = celTemplate(dir, mode);
  const kind = (template.spec as { crd: { spec: { names: { kind: string } } } }).crd.spec.names.kind;
  const constraint = { apiVersion: "constraints.gatekeeper.sh/v1beta1", kind, metadata: { name: "bench" }, spec: { enforcementAction: "deny", parameters: { registries } } };
  const out = execFileSync(meter, [], { input: JSON.stringify({ template, constraint, objects }), encoding: "utf8", maxBuffer: 1 << 30 });
  return out.trim().split("\n").map((l) => JSON.parse(l) as Measured);
}

const denies = (ds: Decision[]): boolean => ds.some((d) => d.action === "deny");
const outOfBudget = (ds: Decision[]): boolean => ds.some((d) => /cost|budget/i.test(d.message));
const verdict = (ds: Decision[]): string => (outOfBudget(ds) ? "deny (out of budget)" : denies(ds) ? "deny" : "allow");

function realisticPods(): { name: string; object: KubeObject; why: string }[] {
  const pod = (name: string, images: string[]): KubeObject => ({ apiVersion: "v1", kind: "Pod", metadata: { name, namespace: "default" }, spec: { containers: images.map((image, i) => ({ name: `c${i}`, image })) } });
  const typical = (i: number) => `myacr.azurecr.io/team-${i}/service-${i}:1.2.${i}`;
  const digestImage = (i: number) => `mcr.microsoft.com/oss/kubernetes/component-${i}:v1.30.${i}@sha256:${"ab".repeat(32)}`;
  return [
    { name: "one-container", object: pod("one", [typical(0)]), why: "one container, a 40-character image" },
    { name: "ten-containers", object: pod("ten", Array.from({ length: 10 }, (_, i) => typical(i))), why: "10 containers (a large real Pod: app, sidecars, init containers)" },
    { name: "ten-digest-images", object: pod("tend", Array.from({ length: 10 }, (_, i) => digestImage(i))), why: "10 containers with 120-character tag+digest images" },
    { name: `bound-${MAX_IMAGE_ITEMS}-typical`, object: pod("bound", Array.from({ length: MAX_IMAGE_ITEMS }, (_, i) => typical(i))), why: `${MAX_IMAGE_ITEMS} containers (the image bound) with typical images` },
    { name: "bound-64-long", object: pod("b64", Array.from({ length: 64 }, (_, i) => longImage(i, 1000))), why: "64 distinct valid 1,000-character images (half the image bound)" },
    { name: "bound-32-long", object: pod("b32", Array.from({ length: 32 }, (_, i) => longImage(i, 1000))), why: "32 distinct valid 1,000-character images" },
  ];
}

try {
  const meter = join(scratch, "cel-cost");
  console.log("building the CEL cost meter (scripts/cel-cost: Gatekeeper 3.20.1, k8s.io/apiserver v0.33.3)...");
  execFileSync("go", ["build", "-trimpath", "-o", meter, "."], { cwd: join(root, "scripts", "cel-cost"), stdio: "inherit" });

  // 1. Cost on the worst cases and on realistic Pods, beside the Rego's decision.
  const objects = [...worstCases(), ...realisticPods()];
  const engine = await loadEngine();
  const cache = new TemplateCache(engine);
  console.log(`limits: ${PER_CALL.toLocaleString("en")} per expression (API server) and per template (Gatekeeper's webhook, k8scel driver); ${PER_POLICY.toLocaleString("en")} per policy binding (API server)`);
  for (const t of TEMPLATES) {
    const rego = readTemplateFile(join(root, "constraint-templates", t.dir, "template.yaml")) as ConstraintTemplate;
    const regoVerdicts = await reviewObjects(cache, [{ template: rego, constraint: { kind: rego.kind, name: "bench", match: undefined, parameters: { registries: t.registries }, enforcementAction: "deny" } }], objects.map((o) => o.object));
    const results = measure(meter, t.dir, t.mode, t.registries, objects.map((o) => ({ name: o.name, object: o.object })));
    console.log(`\n${t.dir} (CEL port)`);
    console.log(["object".padEnd(30), "cost".padStart(12), "decision".padStart(12), "/ 1e6".padStart(8), "  webhook (CEL)".padEnd(24), "VAP".padEnd(22), "Rego"].join(" "));
    results.forEach((r, i) => {
      const regoVerdict = (regoVerdicts[i]?.length ?? 0) > 0 ? "deny" : "allow";
      // An expression that runs out of its per-call limit stops there: its cost is at least that.
      // validating.Validate spends validations + messages from one budget.
      const stopped = r.perCallErrors.length > 0;
      const total = r.cost + r.messageCost;
      const cost = `${stopped ? ">" : ""}${total.toLocaleString("en")}`;
      const ratio = `${stopped ? ">" : ""}${(total / PER_CALL).toFixed(2)}`;
      console.log([r.name.padEnd(30), cost.padStart(12), r.cost.toLocaleString("en").padStart(12), ratio.padStart(8), `  ${verdict(r.gatekeeper)}`.padEnd(24), verdict(r.vap).padEnd(22), regoVerdict, r.error ? `  error: ${r.error}` : ""].join(" "));
    });
  }

  // 2. Is the port faithful? The oracle corpus through the CEL port (Gatekeeper's webhook decision).
  const count = Number(values.images);
  const seed = oracleSeed();
  const images = generateImages(new Random(seed), count);
  const parses = oracleParseImages(images);
  const FILLER = "myacr.azurecr.io/team/filler:1";
  const RULE_SETS: { name: string; mode: Mode; dir: string; registries: string[] }[] = [
    { name: "block list", mode: "block", dir: "disallowed-registries", registries: ["k8s.gcr.io", "docker.io/library/busybox", "registry.example.com:5000", "10.1.2.3", "[::1]:5000", "localhost"] },
    { name: "allow list, hosts only", mode: "allow", dir: "allowed-registries", registries: ["myacr.azurecr.io", "10.1.2.3:5000", "[::1]", "docker.io"] },
    { name: "block list, Docker Hub short forms", mode: "block", dir: "disallowed-registries", registries: ["docker.io/nginx", "index.docker.io/busybox", "registry-1.docker.io/team", "k8s.gcr.io:0443"] },
    { name: "allow list, path prefixes", mode: "allow", dir: "allowed-registries", registries: ["myacr.azurecr.io/team", "docker.io/library/nginx", "localhost:5000/dev", "registry.example.com:443/platform"] },
  ];
  console.log(`\noracle corpus through the CEL port: ${count} images (seed ${seed}), decisions vs distribution/reference`);
  for (const set of RULE_SETS) {
    const ruleImages = oracleParseRules(set.registries);
    const placement = new Random(seed ^ 0x5eed);
    const objs = images.map((image, i) => ({ name: `case-${i}`, object: workload(placement.pick(POD_BEARING_KINDS).kind, placement.pick(IMAGE_LISTS), image, `case-${i}`, FILLER) }));
    const results = measure(meter, set.dir, set.mode, set.registries, objs);
    let bypasses = 0;
    let falsePositives = 0;
    let maxCost = 0;
    const examples: string[] = [];
    results.forEach((r, i) => {
      maxCost = Math.max(maxCost, r.cost + r.messageCost);
      const want = expectedDecision(parses[i] as OracleImage, set.mode, set.registries, ruleImages);
      const got = denies(r.gatekeeper) ? "deny" : "allow";
      if (got === want) return;
      if (want === "deny") bypasses++;
      else falsePositives++;
      if (examples.length < 5) examples.push(`${JSON.stringify(images[i])}: want ${want}, got ${got}: ${r.gatekeeper.map((d) => d.message).filter(Boolean).join(" | ")}`);
    });
    console.log(`  ${set.name}: ${bypasses} bypasses, ${falsePositives} false positives; highest cost ${maxCost.toLocaleString("en")}`);
    for (const e of examples) console.log(`    ${e}`);
  }
  engine.close();
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
